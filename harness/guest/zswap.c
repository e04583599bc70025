// SPDX-License-Identifier: GPL-2.0-or-later
/* zswap's own counters (mm/zswap.c, debugfs): why pages went past zswap
 * to the swap device (its pool full, a page that compressed badly, an
 * allocation that failed) and what it wrote back from its pool. meminfo
 * (Zswap, Zswapped) and vmstat (zswpin, zswpout) say how much it holds
 * and moved; only these say why the rest reached the disk, and on 6.1,
 * whose vmstat has no zswpwb, how much it wrote back.
 *
 * Only when zswap is enabled once the knobs are set: then debugfs is
 * mounted and its zswap directory kept open. Each sample opens and reads
 * each file below afresh (a debugfs attribute is not seekable: no pread);
 * a file this kernel lacks is left out. The section is "<file> <value>"
 * lines, in this table's order. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"

#define ZSWAP_ENABLED "/sys/module/zswap/parameters/enabled"
#define DEBUGFS "/sys/kernel/debug"
#define ZSWAP_DIR DEBUGFS "/zswap"

/* 6.1 and 6.12 (mm/zswap.c, zswap_debugfs_init) */
static const char *const zswap_files[] = {
	"pool_total_size",    "stored_pages",          "same_filled_pages",   "pool_limit_hit",
	"written_back_pages", "reject_reclaim_fail",   "reject_alloc_fail",   "reject_kmemcache_fail",
	"reject_compress_fail", "reject_compress_poor", "decompress_fail",    "duplicate_entry",
};

static int dir_fd = -1;
static unsigned char present[ARRAY_SIZE(zswap_files)];

static int zswap_enabled(void)
{
	char c = 0;
	int fd = open(ZSWAP_ENABLED, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (read_retry(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == 'Y';
}

void zswap_init(void)
{
	int n = 0;

	if (!zswap_enabled())
		return;
	if (mount("debugfs", DEBUGFS, "debugfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
	    errno != EBUSY) {
		alog("zswap: mount debugfs on " DEBUGFS ": %s; no zswap section", strerror(errno));
		return;
	}
	dir_fd = open(ZSWAP_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0) {
		alog("zswap: " ZSWAP_DIR ": %s; no zswap section", strerror(errno));
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(zswap_files); i++) {
		present[i] = faccessat(dir_fd, zswap_files[i], R_OK, 0) == 0;
		n += present[i];
	}
	alog("zswap: enabled; %d counters of " ZSWAP_DIR " in each sample", n);
}

size_t zswap_section(char *out, size_t cap)
{
	size_t len = 0;

	for (size_t i = 0; dir_fd >= 0 && i < ARRAY_SIZE(zswap_files); i++) {
		char v[32];
		ssize_t n;
		int fd, w;

		if (!present[i])
			continue;
		fd = openat(dir_fd, zswap_files[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read_retry(fd, v, sizeof(v) - 1);
		close(fd);
		if (n <= 0)
			continue;
		v[n] = '\0';
		v[strcspn(v, "\n")] = '\0';
		w = snprintf(out + len, cap - len, "%s %s\n", zswap_files[i], v);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
	}
	return len;
}
