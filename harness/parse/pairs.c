// SPDX-License-Identifier: GPL-2.0-or-later
/* The byte pairs of a line (pairs.h). No branch a byte or a pair: under
 * libFuzzer every comparison with a constant is a call, and this runs
 * for every message. */
#include "parse/pairs.h"

#include <string.h>

/* The fuzz build traces every comparison for coverage; a set of bits has
 * one path whatever the bytes (the parsers' own tests of a row, made with
 * its answer, stay traced). Not inlined, or the caller's tracing would
 * cover it again (clang 13 and later understand "coverage"), as
 * proto/crc32.h does. */
#if defined(__clang__) && __clang_major__ >= 13
#define PAIRS_NO_COVERAGE __attribute__((noinline, no_sanitize("coverage")))
#else
#define PAIRS_NO_COVERAGE
#endif

/* bit of the pair (a, b): both bytes count, the second at full width */
static unsigned pair_bit(unsigned char a, unsigned char b)
{
	return ((unsigned)a * 31u + (unsigned)b) & (PAIRS_BITS - 1);
}

PAIRS_NO_COVERAGE void pairs_of(struct pairs *ps, const char *s, const char *e)
{
	memset(ps, 0, sizeof *ps);
	for (const char *p = s; p + 1 < e; p++) {
		unsigned h = pair_bit((unsigned char)p[0], (unsigned char)p[1]);
		ps->w[h / 64] |= (uint64_t)1 << (h % 64);
	}
}

/* bit 0: the pair at p is in the set */
static uint64_t has_pair(const struct pairs *ps, const char *p)
{
	unsigned h = pair_bit((unsigned char)p[0], (unsigned char)p[1]);
	return ps->w[h / 64] >> (h % 64);
}

PAIRS_NO_COVERAGE int pairs_may_hold(const struct pairs *ps, const char *lit, size_t n)
{
	if (n < 2)
		return 1;
	/* four pairs spread over the text, its first and its last among
	 * them (every pair of a text of up to 5 bytes): about as good as all
	 * of them at ruling a text out, at a fixed cost */
	size_t step = (n - 2) / 3;
	return (int)(has_pair(ps, lit) & has_pair(ps, lit + step) & has_pair(ps, lit + 2 * step) &
		     has_pair(ps, lit + n - 2) & 1);
}
