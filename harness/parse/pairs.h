/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The byte pairs of a line, for the parsers of this folder that look for
 * several fixed texts anywhere in every message (kmsg.c's and findings.c's
 * tables): one pass over the line records each pair of adjacent bytes in a
 * small set, and a text any of whose pairs is missing from the set is not
 * in the line, which saves the search. The test never misses a text that
 * is there (every pair of it is in the line); it may let through one that
 * is not (two pairs can share a bit), and the search then decides. A text
 * of fewer than two bytes has no pair: it may always be there. */
#ifndef OOMLAB_PARSE_PAIRS_H
#define OOMLAB_PARSE_PAIRS_H

#include <stddef.h>
#include <stdint.h>

#define PAIRS_BITS 1024 /* about 100 pairs in a console line: a tenth of the bits set */

struct pairs {
	uint64_t w[PAIRS_BITS / 64];
};

/* The set of the pairs of [s, e) (empty for fewer than two bytes). */
void pairs_of(struct pairs *ps, const char *s, const char *e);

/* 0: lit (n bytes) is certainly not in the text of ps; 1: it may be. */
int pairs_may_hold(const struct pairs *ps, const char *lit, size_t n);

#endif
