// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/excerpt.h"
#include "lib/util.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where a crash shows first on an x86 console: arch/x86/kernel/traps.c
 * ("traps: PANIC: double fault"), the oops banner (arch/x86/kernel/dumpstack.c:
 * "Oops: ..."), the BUG lines (lib/bug.c, mm/), and the panic line
 * (kernel/panic.c) when nothing came before it. */
static const char *const markers[] = {
	"traps: PANIC:", "Oops:", "BUG:", "general protection fault", "Kernel panic - not syncing",
};

size_t excerpt_markers(void)
{
	return ARRAY_SIZE(markers);
}

const char *excerpt_marker(size_t i)
{
	return i < ARRAY_SIZE(markers) ? markers[i] : NULL;
}

/* Offset of the start of the line holding the first marker; len: none. */
static size_t first_marker_line(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && text[i - 1] != '\n')
			continue;
		const char *nl = memchr(text + i, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - (text + i)) : len - i;
		for (size_t m = 0; m < ARRAY_SIZE(markers); m++) {
			size_t ml = strlen(markers[m]);
			for (size_t k = 0; k + ml <= ll; k++)
				if (!memcmp(text + i + k, markers[m], ml))
					return i;
		}
	}
	return len;
}

char *console_excerpt(const char *text, size_t len, size_t max_lines)
{
	size_t from = first_marker_line(text, len);
	if (from == len) {
		/* no crash seen: the last max_lines lines */
		size_t i = len, n = 0;
		if (i > 0 && text[i - 1] == '\n')
			i--;
		while (i > 0) {
			if (text[i - 1] == '\n' && ++n >= max_lines)
				break;
			i--;
		}
		from = i;
	}
	size_t to = from, n = 0;
	while (to < len && n < max_lines && to - from < EXCERPT_BYTES) {
		const char *nl = memchr(text + to, '\n', len - to);
		size_t next = nl ? (size_t)(nl - text) + 1 : len;
		if (next - from > EXCERPT_BYTES)
			break;
		to = next;
		n++;
	}
	if (to == from && to < len) /* one line longer than the cap: cut it */
		to = from + (len - from < EXCERPT_BYTES ? len - from : EXCERPT_BYTES);
	return xstrndup(text + from, to - from);
}

int read_file_tail(const char *path, size_t max, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	off_t off = st.st_size > (off_t)max ? st.st_size - (off_t)max : 0;
	struct buf b = {0};
	if (lseek(fd, off, SEEK_SET) < 0 || buf_read_fd(&b, fd) < 0) {
		close(fd);
		buf_free(&b);
		return -1;
	}
	close(fd);
	size_t skip = 0;
	if (off > 0) { /* the first line is cut: start at the next one */
		const char *nl = b.data ? memchr(b.data, '\n', b.len) : NULL;
		skip = nl ? (size_t)(nl - b.data) + 1 : b.len;
	}
	*text = xstrndup(b.data ? b.data + skip : "", b.len - skip);
	*len = b.len - skip;
	buf_free(&b);
	return 0;
}
