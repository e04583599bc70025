// SPDX-License-Identifier: GPL-2.0-or-later
#include "reports/markup.h"

#include <string.h>

/* Length of the well-formed UTF-8 sequence at p (1..4), or 0. Overlongs,
 * surrogates and code points above U+10FFFF are not well formed. */
static size_t utf8_len(const unsigned char *p, size_t n, unsigned *cp)
{
	unsigned c = p[0];
	size_t len;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2, min = 0x80, c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, min = 0x800, c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static int allowed(unsigned cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return 1;
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return 0;
	return cp != 0xfffe && cp != 0xffff;
}

void markup_escn(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned cp = 0;
		size_t len = utf8_len(p + i, n - i, &cp);
		if (len == 0 || !allowed(cp)) {
			/* one byte at a time: what is left may be well formed */
			size_t k = len ? len : 1;
			for (size_t j = 0; j < k; j++)
				buf_printf(b, "\\x%02x", p[i + j]);
			i += k;
			continue;
		}
		switch (cp) {
		case '&': buf_append(b, "&amp;", 5); break;
		case '<': buf_append(b, "&lt;", 4); break;
		case '>': buf_append(b, "&gt;", 4); break;
		case '"': buf_append(b, "&quot;", 6); break;
		case '\'': buf_append(b, "&#39;", 5); break;
		default: buf_append(b, p + i, len); break;
		}
		i += len;
	}
}

void markup_esc(struct buf *b, const char *s)
{
	if (s)
		markup_escn(b, s, strlen(s));
}
