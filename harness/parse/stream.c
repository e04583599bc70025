// SPDX-License-Identifier: GPL-2.0-or-later
/* The agent stream (format in harness/proto/stream.h): reader, writer, "sample"
 * sections and "k=v" payload lookups. The reader treats the stream as
 * untrusted: every offset is checked against len before it is used, and
 * damage costs only the damaged record. */
#include "parse/parse.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "parse/dec.h"
#include "proto/crc32.h"
#include "proto/stream.h"

#define MAGIC_LEN (sizeof STREAM_MAGIC - 1)
#define KIND_MAX 15

_Static_assert(sizeof(((struct stream_rec *)0)->kind) == KIND_MAX + 1, "stream_rec.kind holds a kind");

/* Offset of the next header start at or after from: a complete magic at
 * offset 0 or right after a '\n'. Returns len when there is none; *partial
 * is set when the buffer ends with a line-start proper prefix of the magic
 * (a header cut inside its first bytes). */
static size_t next_magic(const char *buf, size_t len, size_t from, int *partial)
{
	*partial = 0;
	size_t q = from;
	if (q > 0 && q <= len && buf[q - 1] != '\n') {
		const char *nl = q < len ? memchr(buf + q, '\n', len - q) : NULL;
		if (!nl)
			return len;
		q = (size_t)(nl - buf) + 1;
	}
	while (q < len) {
		size_t rem = len - q;
		if (rem >= MAGIC_LEN) {
			if (memcmp(buf + q, STREAM_MAGIC, MAGIC_LEN) == 0)
				return q;
		} else if (memcmp(buf + q, STREAM_MAGIC, rem) == 0) {
			*partial = 1;
			return len;
		}
		const char *nl = memchr(buf + q, '\n', rem);
		if (!nl)
			return len;
		q = (size_t)(nl - buf) + 1;
	}
	return len;
}

enum { H_OK, H_BAD, H_SHORT };

struct hdr {
	char kind[KIND_MAX + 1];
	unsigned long long seq, t_us, len;
	uint32_t crc;
	size_t hlen; /* bytes of the header line including '\n' */
};

/* at most 20 decimal digits (value at most max), then one separator byte
 * sep; H_SHORT when the buffer ends first */
static int h_num(const char *buf, size_t len, size_t *i, unsigned long long max, char sep,
		 unsigned long long *out)
{
	const char *p = buf + *i, *end = buf + len;
	unsigned long long v;
	if (dec_ull(&p, end, max, 20, &v) < 0)
		return p < end ? H_BAD : H_SHORT;
	*i = (size_t)(p - buf);
	if (*i >= len)
		return H_SHORT;
	if (buf[*i] != sep)
		return H_BAD;
	(*i)++;
	*out = v;
	return H_OK;
}

/* Header at q (the magic is known to be there, complete). */
static int parse_header(const char *buf, size_t len, size_t q, struct hdr *h)
{
	size_t i = q + MAGIC_LEN;
	size_t k = 0;
	while (i < len && buf[i] >= 'a' && buf[i] <= 'z') {
		if (k >= KIND_MAX)
			return H_BAD;
		h->kind[k++] = buf[i++];
	}
	h->kind[k] = '\0';
	if (i >= len)
		return H_SHORT;
	if (k == 0 || buf[i] != ' ')
		return H_BAD;
	i++;
	int r;
	if ((r = h_num(buf, len, &i, ~0ULL, ' ', &h->seq)) != H_OK)
		return r;
	if ((r = h_num(buf, len, &i, ~0ULL, ' ', &h->t_us)) != H_OK)
		return r;
	if ((r = h_num(buf, len, &i, STREAM_MAX_PAYLOAD, ' ', &h->len)) != H_OK)
		return r;
	uint32_t crc = 0;
	for (int n = 0; n < 8; n++, i++) {
		if (i >= len)
			return H_SHORT;
		char c = buf[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return H_BAD;
		crc = crc << 4 | d;
	}
	if (i >= len)
		return H_SHORT;
	if (buf[i] != '\n')
		return H_BAD;
	i++;
	if (i - q > STREAM_MAX_HEADER)
		return H_BAD;
	h->crc = crc;
	h->hlen = i - q;
	return H_OK;
}

/* The payload and its '\n' are inside the buffer and the CRC matches. */
static int record_ok(const char *buf, size_t len, size_t q, const struct hdr *h)
{
	size_t pl = q + h->hlen;
	if (h->len >= len - pl)
		return 0;
	return buf[pl + h->len] == '\n' && crc32_ieee(buf + pl, (size_t)h->len) == h->crc;
}

/* Offset of the first good record whose header is at or after from, or len;
 * *nbad counts the header candidates passed over on the way. */
static size_t next_good(const char *buf, size_t len, size_t from, size_t *nbad)
{
	size_t p = from;
	while (p < len) {
		int partial;
		size_t q = next_magic(buf, len, p, &partial);
		if (q >= len)
			break;
		struct hdr h;
		if (parse_header(buf, len, q, &h) == H_OK && record_ok(buf, len, q, &h))
			return q;
		(*nbad)++;
		p = q + 1;
	}
	return len;
}

int stream_next(const char *buf, size_t len, size_t *pos, struct stream_rec *rec,
		struct stream_stats *st)
{
	struct stream_stats dummy = {0};
	if (!st)
		st = &dummy;
	if (!buf || !pos || !rec)
		return 0;
	size_t p = *pos;
	while (p < len) {
		int partial;
		size_t q = next_magic(buf, len, p, &partial);
		if (q >= len) {
			st->skipped_bytes += len - p;
			if (partial)
				st->truncated = 1;
			*pos = len;
			return 0;
		}
		st->skipped_bytes += q - p;
		struct hdr h;
		int r = parse_header(buf, len, q, &h);
		if (r == H_SHORT) {
			st->truncated = 1;
			st->skipped_bytes += len - q;
			*pos = len;
			return 0;
		}
		if (r == H_OK && record_ok(buf, len, q, &h)) {
			size_t pl = q + h.hlen;
			memset(rec, 0, sizeof *rec);
			memcpy(rec->kind, h.kind, sizeof h.kind);
			rec->seq = h.seq;
			rec->t_us = h.t_us;
			rec->payload = buf + pl;
			rec->len = (size_t)h.len;
			rec->offset = q;
			*pos = pl + (size_t)h.len + 1;
			st->records++;
			return 1;
		}
		if (r == H_OK && h.len >= len - (q + h.hlen)) {
			/* The record runs past the end: the stream was cut inside it,
			 * unless a good record follows (then its length is damaged).
			 * Headers inside its payload are not records of their own. */
			size_t nbad = 0;
			size_t g = next_good(buf, len, q + 1, &nbad);
			if (g >= len) {
				st->truncated = 1;
				st->skipped_bytes += len - q;
				*pos = len;
				return 0;
			}
			st->bad += 1 + nbad;
			st->skipped_bytes += g - q;
			p = g;
			continue;
		}
		/* bad header, CRC mismatch, missing '\n', impossible length:
		 * resync on the next "\n@OL1 " after this header start */
		st->bad++;
		st->skipped_bytes += 1;
		p = q + 1;
	}
	*pos = len;
	return 0;
}

static int kind_ok(const char *kind)
{
	size_t n = 0;
	for (; kind[n]; n++)
		if (kind[n] < 'a' || kind[n] > 'z' || n >= KIND_MAX)
			return 0;
	return n > 0;
}

size_t stream_format(char *out, size_t outsz, const char *kind, unsigned long long seq,
		     unsigned long long t_us, const void *payload, size_t len)
{
	if (!out || !kind || !kind_ok(kind) || len > STREAM_MAX_PAYLOAD || (len && !payload))
		return 0;
	char hdr[STREAM_MAX_HEADER + 1];
	uint32_t crc = crc32_ieee(len ? payload : "", len);
	int h = snprintf(hdr, sizeof hdr, "%s%s %llu %llu %zu %08x\n", STREAM_MAGIC, kind, seq, t_us, len,
			 (unsigned)crc);
	if (h < 0 || (size_t)h > STREAM_MAX_HEADER)
		return 0;
	size_t total = (size_t)h + len + 1;
	if (total > outsz)
		return 0;
	if (len)
		memmove(out + h, payload, len);
	memcpy(out, hdr, (size_t)h);
	out[h + len] = '\n';
	return total;
}

#define SECTION_NAME_MAX 192 /* "cgroup.<group>": 7 + 131 */

int sample_next_section(const char *buf, size_t len, size_t *pos, const char **name,
			size_t *name_len, const char **data, size_t *data_len)
{
	if (!buf || !pos || *pos >= len)
		return 0;
	size_t p = *pos, ns = p;
	while (p < len && buf[p] != ' ' && buf[p] != '\n' && p - ns < SECTION_NAME_MAX)
		p++;
	if (p == ns || p >= len || buf[p] != ' ')
		return 0;
	size_t ne = p++;
	unsigned long long v;
	if (h_num(buf, len, &p, STREAM_MAX_PAYLOAD, '\n', &v) != H_OK)
		return 0;
	if (v >= len - p || buf[p + v] != '\n') /* data and its '\n' */
		return 0;
	if (name)
		*name = buf + ns;
	if (name_len)
		*name_len = ne - ns;
	if (data)
		*data = buf + p;
	if (data_len)
		*data_len = (size_t)v;
	*pos = p + (size_t)v + 1;
	return 1;
}

/* value span of "key=value" among the lines before a "--" line */
static int payload_find(const char *buf, size_t len, const char *key, const char **val, size_t *vlen)
{
	if (!buf || !key)
		return -1;
	size_t klen = strlen(key);
	if (!klen || memchr(key, '=', klen) || memchr(key, '\n', klen))
		return -1;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *ve = le;
		if (ve > p && ve[-1] == '\r')
			ve--;
		if (ve - p == 2 && p[0] == '-' && p[1] == '-')
			return -1; /* raw bytes follow */
		if ((size_t)(ve - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == '=') {
			*val = p + klen + 1;
			*vlen = (size_t)(ve - *val);
			return 0;
		}
		p = nl ? nl + 1 : end;
	}
	return -1;
}

int payload_get(const char *buf, size_t len, const char *key, char *out, size_t outsz)
{
	const char *v;
	size_t n;
	if (payload_find(buf, len, key, &v, &n) < 0)
		return -1;
	if (out && outsz) {
		if (n >= outsz)
			n = outsz - 1;
		memcpy(out, v, n);
		out[n] = '\0';
	}
	return 0;
}

int payload_get_ll(const char *buf, size_t len, const char *key, long long *out)
{
	const char *v;
	size_t n;
	if (payload_find(buf, len, key, &v, &n) < 0)
		return -1;
	const char *p = v, *e = v + n;
	long long x;
	if (dec_ll(&p, e, LLONG_MIN, LLONG_MAX, 1, &x) < 0 || p != e)
		return -1;
	if (out)
		*out = x;
	return 0;
}
