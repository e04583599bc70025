// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/streamwatch.h"
#include "proto/crc32.h"

#include <stdio.h>
#include <string.h>

#define RESYNC_MARK "\n" STREAM_MAGIC

void streamwatch_init(struct stream_watch *w, double t0)
{
	memset(w, 0, sizeof *w);
	w->t0 = t0;
	w->hello = w->first_spawn = w->last_exit = w->bye = -1;
	w->state = SW_HEADER;
}

/* nl: the byte that showed the damage was a newline, which may begin
 * the next "\n@OL1 " */
static void resync(struct stream_watch *w, int nl)
{
	w->state = SW_RESYNC;
	w->match = nl ? 1 : 0;
}

/* A whole header line is in w->hdr (without its newline): note what it
 * says and skip its payload; a line that is not a header: resync. */
static void header(struct stream_watch *w, double at)
{
	char kind[16];
	unsigned long long seq, t, len;
	unsigned crc;
	int used = 0;
	w->hdr[w->hl] = 0;
	if (sscanf(w->hdr, STREAM_MAGIC "%15[a-z] %llu %llu %llu %8x%n", kind, &seq, &t, &len, &crc, &used) != 5 ||
	    (size_t)used != w->hl || len > STREAM_MAX_PAYLOAD || memcmp(w->hdr, STREAM_MAGIC, strlen(STREAM_MAGIC))) {
		resync(w, 1);
		return;
	}
	if (!strcmp(kind, STREAM_KIND_HELLO) && w->hello < 0)
		w->hello = at;
	else if (!strcmp(kind, STREAM_KIND_SPAWN) && w->first_spawn < 0)
		w->first_spawn = at;
	else if (!strcmp(kind, STREAM_KIND_EXIT))
		w->last_exit = at;
	w->is_bye = !strcmp(kind, STREAM_KIND_BYE) && len <= STREAMWATCH_BYE_MAX;
	w->bye_len = len;
	w->bye_crc = crc;
	w->left = len + 1;
	w->state = SW_PAYLOAD;
}

/* The payload of the record being read ended (its newline is b[len]). */
static void payload_end(struct stream_watch *w, double at)
{
	if (w->is_bye && w->bye_buf[w->bye_len] == '\n' && crc32_ieee(w->bye_buf, w->bye_len) == w->bye_crc &&
	    w->bye < 0)
		w->bye = at;
	w->is_bye = 0;
	w->state = SW_HEADER;
	w->hl = 0;
}

void streamwatch_feed(struct stream_watch *w, const char *data, size_t n, double now)
{
	double at = now - w->t0;
	size_t i = 0;
	while (i < n) {
		if (w->state == SW_PAYLOAD) {
			size_t k = n - i < w->left ? n - i : (size_t)w->left;
			if (w->is_bye)
				memcpy(w->bye_buf + (w->bye_len + 1 - w->left), data + i, k);
			w->left -= k;
			i += k;
			if (!w->left)
				payload_end(w, at);
		} else if (w->state == SW_HEADER) {
			char c = data[i++];
			if (c == '\n') {
				header(w, at);
			} else if (w->hl == STREAM_MAX_HEADER) {
				resync(w, 0);
			} else {
				w->hdr[w->hl++] = c;
			}
		} else {
			/* look for "\n@OL1 "; on a match, its header begins */
			char c = data[i++];
			if (c == RESYNC_MARK[w->match]) {
				if (++w->match == strlen(RESYNC_MARK)) {
					memcpy(w->hdr, STREAM_MAGIC, strlen(STREAM_MAGIC));
					w->hl = strlen(STREAM_MAGIC);
					w->state = SW_HEADER;
				}
			} else {
				w->match = c == '\n';
			}
		}
	}
}
