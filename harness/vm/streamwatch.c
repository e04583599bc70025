// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/streamwatch.h"
#include "proto/stream.h"
#include "lib/util.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define SPAWN_HDR "\n" STREAM_MAGIC "spawn "
#define EXIT_HDR "\n" STREAM_MAGIC "exit "
#define HELLO_HDR STREAM_MAGIC STREAM_KIND_HELLO " "

void streamwatch_init(struct stream_watch *w, const char *path, double t0)
{
	memset(w, 0, sizeof *w);
	w->path = path;
	w->fd = -1;
	w->t0 = t0;
	w->hello = w->first_spawn = w->last_exit = -1;
}

/* Does hdr start at b[i], ending past old (the bytes seen before)? */
static int match(const char *b, size_t n, size_t i, size_t old, const char *hdr)
{
	size_t hl = strlen(hdr);
	return n - i >= hl && i + hl > old && !memcmp(b + i, hdr, hl);
}

static void scan(struct stream_watch *w, const char *b, size_t n, size_t old, double at)
{
	/* the hello is the first record, or the first after the agent's log
	 * records of a warm boot */
	if (w->hello < 0 && w->seen == 0 && n >= strlen(HELLO_HDR) && !memcmp(b, HELLO_HDR, strlen(HELLO_HDR)))
		w->hello = at;
	for (size_t i = 0; i < n; i++) {
		if (b[i] != '\n')
			continue;
		if (w->hello < 0 && match(b, n, i, old, "\n" HELLO_HDR))
			w->hello = at;
		if (match(b, n, i, old, SPAWN_HDR) && w->first_spawn < 0)
			w->first_spawn = at;
		if (match(b, n, i, old, EXIT_HDR))
			w->last_exit = at;
	}
}

void streamwatch_poll(struct stream_watch *w, double now)
{
	if (w->fd < 0) {
		w->fd = open(w->path, O_RDONLY | O_CLOEXEC);
		if (w->fd < 0)
			return;
	}
	char b[65536 + sizeof w->tail];
	for (;;) {
		memcpy(b, w->tail, w->tl);
		ssize_t n = read_retry(w->fd, b + w->tl, 65536);
		if (n <= 0)
			return;
		size_t len = w->tl + (size_t)n;
		if (w->seen == 0 && len < strlen(HELLO_HDR)) {
			/* too short to tell yet: keep it all for the next poll */
			memcpy(w->tail, b, len);
			w->tl = len;
			continue;
		}
		scan(w, b, len, w->tl, now - w->t0);
		w->seen += (size_t)n;
		/* keep a tail shorter than a header, so nothing is seen twice */
		w->tl = len < strlen(SPAWN_HDR) - 1 ? len : strlen(SPAWN_HDR) - 1;
		memcpy(w->tail, b + len - w->tl, w->tl);
	}
}

void streamwatch_close(struct stream_watch *w)
{
	if (w && w->fd >= 0)
		close(w->fd);
	if (w)
		w->fd = -1;
}
