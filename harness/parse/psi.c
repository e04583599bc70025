// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/pressure/memory (and cgroup memory.pressure):
 *   some avg10=0.00 avg60=0.00 avg300=0.00 total=525
 *   full avg10=0.00 avg60=0.00 avg300=0.00 total=525
 * Numbers are parsed by hand: no locale, no NUL needed. */
#include "parse/parse.h"

#include <limits.h>
#include <string.h>

#include "parse/dec.h"

/* "[0-9]+(\.[0-9]*)?" -> double, at most 100. Advances *pp. 0 or -1. */
static int dec_double(const char **pp, const char *end, double *out)
{
	const char *p = *pp;
	double v = 0;
	int digits = 0;
	while (p < end && *p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		p++;
		digits++;
	}
	if (p < end && *p == '.') {
		p++;
		double scale = 0.1;
		while (p < end && *p >= '0' && *p <= '9') {
			v += (*p - '0') * scale;
			scale /= 10;
			p++;
			digits++;
		}
	}
	/* an average is a percentage (the kernel prints 0.00..100.00); more
	 * is damage, and would lose precision or overflow to inf */
	if (!digits || v > 100.0)
		return -1;
	*pp = p;
	*out = v;
	return 0;
}

static int starts(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* Fields after "some"/"full": "key=value" separated by blanks, any order.
 * The line counts only when all four fields parse. */
static int psi_fields(const char *p, const char *end, struct psi_line *out)
{
	struct psi_line l = {0};
	unsigned seen = 0;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p >= end)
			break;
		int r = -1;
		if (starts(p, end, "avg10=")) {
			p += 6;
			r = dec_double(&p, end, &l.avg10);
			seen |= r == 0 ? 1u : 0u;
		} else if (starts(p, end, "avg60=")) {
			p += 6;
			r = dec_double(&p, end, &l.avg60);
			seen |= r == 0 ? 2u : 0u;
		} else if (starts(p, end, "avg300=")) {
			p += 7;
			r = dec_double(&p, end, &l.avg300);
			seen |= r == 0 ? 4u : 0u;
		} else if (starts(p, end, "total=")) {
			p += 6;
			r = dec_ull(&p, end, ULLONG_MAX, DEC_DIGITS_ANY, &l.total_us);
			seen |= r == 0 ? 8u : 0u;
		}
		/* skip the rest of this token (unknown keys, or junk after a number) */
		while (p < end && *p != ' ' && *p != '\t')
			p++;
	}
	if (seen != 15)
		return -1;
	l.present = 1;
	*out = l;
	return 0;
}

int parse_psi(const char *buf, size_t len, struct psi *out)
{
	memset(out, 0, sizeof *out);
	if (!buf)
		return -1;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (starts(p, le, "some ") && !out->some.present)
			psi_fields(p + 5, le, &out->some);
		else if (starts(p, le, "full ") && !out->full.present)
			psi_fields(p + 5, le, &out->full);
		p = nl ? nl + 1 : end;
	}
	return out->some.present ? 0 : -1;
}
