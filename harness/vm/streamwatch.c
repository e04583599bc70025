// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/streamwatch.h"
#include "proto/stream.h"

#include <string.h>

#define SPAWN_HDR "\n" STREAM_MAGIC "spawn "
#define EXIT_HDR "\n" STREAM_MAGIC "exit "
#define HELLO_HDR STREAM_MAGIC STREAM_KIND_HELLO " "

void streamwatch_init(struct stream_watch *w, double t0)
{
	memset(w, 0, sizeof *w);
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

void streamwatch_feed(struct stream_watch *w, const char *data, size_t n, double now)
{
	char b[65536 + sizeof w->tail];
	while (n > 0) {
		size_t k = n < 65536 ? n : 65536;
		memcpy(b, w->tail, w->tl);
		memcpy(b + w->tl, data, k);
		data += k;
		n -= k;
		size_t len = w->tl + k;
		if (w->seen == 0 && len < strlen(HELLO_HDR)) {
			/* too short to tell yet: keep it all for the next feed */
			memcpy(w->tail, b, len);
			w->tl = len;
			continue;
		}
		scan(w, b, len, w->tl, now - w->t0);
		w->seen += k;
		/* keep a tail shorter than a header, so nothing is seen twice */
		w->tl = len < strlen(SPAWN_HDR) - 1 ? len : strlen(SPAWN_HDR) - 1;
		memcpy(w->tail, b + len - w->tl, w->tl);
	}
}
