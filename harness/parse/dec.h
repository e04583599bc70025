/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decimal numbers in untrusted text, for the parsers of this folder: read
 * from [*pp, end) with no NUL needed, no locale, no overflow. Each parser
 * states its own bounds: the largest value, how many digits (a field the
 * kernel prints at a fixed width, a header of bounded length), whether '+'
 * is a sign. A failed read moves nothing. */
#ifndef OOMLAB_PARSE_DEC_H
#define OOMLAB_PARSE_DEC_H

/* max_digits: no limit on the number of digits. */
#define DEC_DIGITS_ANY 0u

/* Digits -> *out: at least one, at most max_digits of them (leading zeros
 * count; DEC_DIGITS_ANY: no limit), the value at most max. On success *pp
 * moves past the digits. 0, or -1 (no digit, more digits, a larger value). */
int dec_ull(const char **pp, const char *end, unsigned long long max, unsigned max_digits,
	    unsigned long long *out);

/* An optional sign ('-', and '+' when plus is set), then digits as dec_ull
 * (any number of them); the value in [min, max]. 0 or -1, *pp as dec_ull. */
int dec_ll(const char **pp, const char *end, long long min, long long max, int plus, long long *out);

#endif
