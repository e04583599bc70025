// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/outkeep.h"
#include "lib/jsonx.h"

#include <string.h>

void out_keep_add(struct out_keep *k, const char *p, size_t n)
{
	k->bytes += n;
	size_t h = OUT_KEEP_HEAD - k->head_len;
	if (h > n)
		h = n;
	memcpy(k->head + k->head_len, p, h);
	k->head_len += h;
	p += h;
	n -= h;
	if (n > OUT_KEEP_TAIL) { /* only the last OUT_KEEP_TAIL bytes can stay */
		p += n - OUT_KEEP_TAIL;
		n = OUT_KEEP_TAIL;
	}
	for (size_t i = 0; i < n; i++) {
		if (k->tail_len < OUT_KEEP_TAIL) {
			k->tail[k->tail_len++] = p[i];
		} else {
			k->tail[k->tail_pos] = p[i];
			k->tail_pos = (k->tail_pos + 1) % OUT_KEEP_TAIL;
		}
	}
}

/* The tail in order into buf (OUT_KEEP_TAIL bytes); its length. */
static size_t tail_linear(const struct out_keep *k, char *buf)
{
	size_t first = k->tail_len - k->tail_pos;
	memcpy(buf, k->tail + k->tail_pos, first);
	memcpy(buf + first, k->tail, k->tail_pos);
	return k->tail_len;
}

json_t *out_keep_json(const struct out_keep *k)
{
	char t[OUT_KEEP_TAIL];
	size_t tl = tail_linear(k, t);
	unsigned long long kept = k->head_len + tl;
	return json_pack("{s:I,s:o,s:o,s:I}", "bytes", (json_int_t)k->bytes, "head",
			 json_text(k->head, k->head_len), "tail", json_text(t, tl), "skipped_bytes",
			 (json_int_t)(k->bytes - kept));
}

void out_keep_last_line(const struct out_keep *k, char *out, size_t outsz)
{
	char t[OUT_KEEP_TAIL];
	const char *s = k->head;
	size_t n = k->head_len;
	if (k->tail_len) {
		n = tail_linear(k, t);
		s = t;
	}
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	size_t b = n;
	while (b && s[b - 1] != '\n')
		b--;
	size_t len = n - b;
	if (outsz == 0)
		return;
	if (len > outsz - 1)
		len = outsz - 1;
	memcpy(out, s + b, len);
	out[len] = 0;
}
