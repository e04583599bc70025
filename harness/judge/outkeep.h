/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a program of the user's printed (stdout and stderr, one pipe: the
 * agent's "out" records), kept bounded for its cell report: the first
 * OUT_KEEP_HEAD bytes and the last OUT_KEEP_TAIL bytes after them, and how
 * many bytes between the two were left out. Pure; allocates nothing. */
#ifndef OOMLAB_OUTKEEP_H
#define OOMLAB_OUTKEEP_H

#include <jansson.h>
#include <stddef.h>

#define OUT_KEEP_HEAD 4096
#define OUT_KEEP_TAIL 4096

struct out_keep {
	char head[OUT_KEEP_HEAD];
	size_t head_len;
	char tail[OUT_KEEP_TAIL]; /* a ring: the oldest byte at tail_pos once full */
	size_t tail_len, tail_pos;
	unsigned long long bytes; /* everything it printed */
};

/* Append n bytes of output. */
void out_keep_add(struct out_keep *k, const char *p, size_t n);
/* The cell report's "output" (reports/cell.schema.json): {"bytes": N,
 * "head": "...", "tail": "...", "skipped_bytes": N}; tail is "" while
 * everything fits in head. Bytes that are not UTF-8 are shown as
 * lib/jsonx.h's json_text shows them. A new reference. */
json_t *out_keep_json(const struct out_keep *k);
/* The last line that is not empty (without its '\n') into out (at most
 * outsz - 1 bytes, cut at its end), "" when it printed nothing. */
void out_keep_last_line(const struct out_keep *k, char *out, size_t outsz);

#endif
