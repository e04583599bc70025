// SPDX-License-Identifier: GPL-2.0-or-later
/* Decimal numbers for the parsers (dec.h). */
#include "parse/dec.h"

#include <limits.h>
#include <stddef.h>

int dec_ull(const char **pp, const char *end, unsigned long long max, unsigned max_digits,
	    unsigned long long *out)
{
	const char *p = *pp, *stop = end;
	if (max_digits != DEC_DIGITS_ANY && p < end && (size_t)(end - p) > max_digits)
		stop = p + max_digits; /* a digit there is one too many */
	unsigned long long v = 0, top = max / 10;
	unsigned last = (unsigned)(max % 10);
	while (p < stop && *p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');
		if (v >= top && (v > top || d > last))
			return -1;
		v = v * 10 + d;
		p++;
	}
	if (p == *pp || (p < end && *p >= '0' && *p <= '9'))
		return -1;
	*pp = p;
	*out = v;
	return 0;
}

int dec_ll(const char **pp, const char *end, long long min, long long max, int plus, long long *out)
{
	const char *p = *pp;
	int neg = 0;
	if (p < end && (*p == '-' || (plus && *p == '+'))) {
		neg = *p == '-';
		p++;
	}
	/* the magnitude of LLONG_MIN is one more than LLONG_MAX */
	unsigned long long lim = (unsigned long long)LLONG_MAX + (neg ? 1 : 0), v;
	if (dec_ull(&p, end, lim, DEC_DIGITS_ANY, &v) < 0)
		return -1;
	long long x = !neg ? (long long)v : v == lim ? LLONG_MIN : -(long long)v;
	if (x < min || x > max)
		return -1;
	*pp = p;
	*out = x;
	return 0;
}
