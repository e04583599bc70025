// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/streamwatch.h"
#include "proto/stream.h"

#include <stdio.h>
#include <string.h>

#define SPAWN_HDR "\n" STREAM_MAGIC "spawn "
#define EXIT_HDR "\n" STREAM_MAGIC "exit "
#define HELLO_HDR STREAM_MAGIC STREAM_KIND_HELLO " "
#define BYE_HDR "\n" STREAM_MAGIC STREAM_KIND_BYE " "

void streamwatch_init(struct stream_watch *w, double t0)
{
	memset(w, 0, sizeof *w);
	w->t0 = t0;
	w->hello = w->first_spawn = w->last_exit = w->bye = -1;
}

/* More of the bye record's header (bytes from its '@' on); once it is
 * whole, where the record ends: "@OL1 bye <seq> <t_us> <len> <crc>\n"
 * then len bytes and a newline. A header that does not parse is not a
 * bye (a damaged record: the VM ends as it would without the watch). */
static void bye_header(struct stream_watch *w, const char *b, size_t n)
{
	size_t room = sizeof w->bye_hdr - 1 - w->bye_hl;
	size_t k = n < room ? n : room;
	memcpy(w->bye_hdr + w->bye_hl, b, k);
	w->bye_hl += k;
	w->bye_hdr[w->bye_hl] = 0;
	char *nl = strchr(w->bye_hdr, '\n');
	if (!nl) {
		if (w->bye_hl == sizeof w->bye_hdr - 1)
			w->bye_hl = 0, w->bye_off = 0; /* too long for a header */
		return;
	}
	unsigned long long seq, t, len;
	unsigned crc;
	int used = 0;
	if (sscanf(w->bye_hdr, STREAM_MAGIC STREAM_KIND_BYE " %llu %llu %llu %8x%n", &seq, &t, &len, &crc,
		   &used) != 4 || w->bye_hdr + used != nl || len > 4096) {
		w->bye_hl = 0, w->bye_off = 0;
		return;
	}
	w->bye_end = w->bye_off + (unsigned long long)(nl + 1 - w->bye_hdr) + len + 1;
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
		if (match(b, n, i, old, BYE_HDR) && !w->bye_hl && w->bye < 0) {
			/* b[0] is at stream offset seen - tl (the kept tail) */
			w->bye_off = w->seen - (w->tl) + i + 1;
			bye_header(w, b + i + 1, n - i - 1);
			if (w->bye_end)
				break;
		}
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
		size_t hl = w->bye_hl;
		scan(w, b, len, w->tl, now - w->t0);
		if (hl && !w->bye_end) /* a header begun in an earlier feed */
			bye_header(w, data - k, k);
		w->seen += k;
		if (w->bye_end && w->seen >= w->bye_end && w->bye < 0)
			w->bye = now - w->t0;
		/* keep a tail shorter than a header, so nothing is seen twice */
		w->tl = len < strlen(SPAWN_HDR) - 1 ? len : strlen(SPAWN_HDR) - 1;
		memcpy(w->tail, b + len - w->tl, w->tl);
	}
}
