// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/buddyinfo: free blocks per zone and order.
 *
 *   Node 0, zone      DMA      0      0      0      0      0      1      1      1      0      1      3
 *   Node 0, zone    DMA32      6      4     12     10      6      6      8      6      6      2     37
 *
 * (mm/vmstat.c frag_show_print: "Node %d, zone %8s" then "%6lu " per order,
 * orders 0..MAX_ORDER-1.) Pure: (buf, len), no NUL needed. A line that is
 * not of this form is skipped; a zone line whose numbers stop at something
 * that is not a number or the end of the line is skipped too. */
#include "parse/parse.h"

#include <limits.h>
#include <string.h>

#include "parse/dec.h"

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && blank(*p))
		p++;
	return p;
}

/* Unsigned decimal of at most 18 digits (so it fits a long long). 0 or -1. */
static int num(const char **pp, const char *end, long long *out)
{
	unsigned long long v;
	if (dec_ull(pp, end, ULLONG_MAX, 18, &v) < 0)
		return -1;
	*out = (long long)v;
	return 0;
}

static int word(const char **pp, const char *end, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(end - *pp) < n || memcmp(*pp, w, n))
		return -1;
	*pp += n;
	return 0;
}

static int parse_line(const char *p, const char *end, struct buddy_zone *z)
{
	long long node;
	memset(z, 0, sizeof *z);
	p = skip_blank(p, end);
	if (word(&p, end, "Node") || p >= end || !blank(*p))
		return -1;
	p = skip_blank(p, end);
	if (num(&p, end, &node) || node > 1 << 20 || word(&p, end, ","))
		return -1;
	p = skip_blank(p, end);
	if (word(&p, end, "zone") || p >= end || !blank(*p))
		return -1;
	p = skip_blank(p, end);
	const char *name = p;
	while (p < end && !blank(*p)) {
		/* the kernel's zone names are words: no NUL, no control bytes */
		if ((unsigned char)*p < 0x21 || *p == 0x7f)
			return -1;
		p++;
	}
	if (p == name || (size_t)(p - name) >= sizeof z->zone)
		return -1;
	memcpy(z->zone, name, (size_t)(p - name));
	z->node = (int)node;
	for (;;) {
		p = skip_blank(p, end);
		if (p == end)
			break;
		if (z->n_orders == BUDDY_ORDERS_MAX || num(&p, end, &z->free[z->n_orders]))
			return -1;
		if (p < end && !blank(*p))
			return -1;
		z->n_orders++;
	}
	return z->n_orders ? 0 : -1;
}

size_t parse_buddyinfo(const char *buf, size_t len, struct buddyinfo *out)
{
	memset(out, 0, sizeof *out);
	if (!buf)
		return 0;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (out->n < BUDDY_ZONES_MAX && parse_line(p, le, &out->z[out->n]) == 0)
			out->n++;
		p = nl ? nl + 1 : end;
	}
	return out->n;
}

long long buddy_free_pages(const struct buddy_zone *z)
{
	long long pages = 0;
	for (int o = 0; o < z->n_orders; o++) {
		/* saturate instead of overflowing on absurd input */
		if (z->free[o] > (LLONG_MAX >> o) || pages > LLONG_MAX - (z->free[o] << o))
			return LLONG_MAX;
		pages += z->free[o] << o;
	}
	return pages;
}
