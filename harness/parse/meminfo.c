// SPDX-License-Identifier: GPL-2.0-or-later
/* Key/value /proc files: /proc/meminfo ("Key:   123 kB") and /proc/vmstat
 * ("key 123"), plus the kvlist helpers. Pure: (buf, len), no NUL needed. */
#include "parse/parse.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "parse/dec.h"

static void kv_push(struct kvlist *l, const char *key, size_t klen, long long val)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, ncap * sizeof *l->v);
		l->cap = ncap;
	}
	struct kv *e = &l->v[l->n++];
	memcpy(e->key, key, klen);
	e->key[klen] = '\0';
	e->val = val;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Value part of one line: blanks, number, then optional blanks and an
 * optional unit word ("kB"), then the end of the line. */
static int line_value(const char *p, const char *end, long long *val)
{
	while (p < end && is_blank(*p))
		p++;
	if (dec_ll(&p, end, LLONG_MIN, LLONG_MAX, 1, val) < 0)
		return -1;
	if (p < end && !is_blank(*p))
		return -1; /* "123abc" */
	while (p < end && is_blank(*p))
		p++;
	if (p < end && end - p == 2 && p[0] == 'k' && p[1] == 'B')
		p += 2;
	while (p < end && is_blank(*p))
		p++;
	return p == end ? 0 : -1;
}

/* The end of the key of a line: its ':' (meminfo) or its first blank
 * (vmstat, whose value starts with that blank); NULL when there is none. */
static const char *key_end(const char *p, const char *le, int colon)
{
	if (colon)
		return memchr(p, ':', (size_t)(le - p));
	while (p < le && !is_blank(*p))
		p++;
	return p < le ? p : NULL;
}

/* "key<sep>value" lines. A key holding a NUL byte is skipped: as a C string
 * it would read as another, shorter key ("MemAvailable\0x: 1" as
 * MemAvailable). */
static size_t parse_kv(const char *buf, size_t len, struct kvlist *out, int colon)
{
	out->n = 0;
	if (!buf)
		return 0;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *k = key_end(p, le, colon);
		long long v;
		if (k && k > p && (size_t)(k - p) < KV_KEY_MAX && !memchr(p, '\0', (size_t)(k - p)) &&
		    line_value(colon ? k + 1 : k, le, &v) == 0)
			kv_push(out, p, (size_t)(k - p), v);
		p = nl ? nl + 1 : end;
	}
	return out->n;
}

size_t parse_meminfo(const char *buf, size_t len, struct kvlist *out)
{
	return parse_kv(buf, len, out, 1);
}

size_t parse_vmstat(const char *buf, size_t len, struct kvlist *out)
{
	return parse_kv(buf, len, out, 0);
}

/* The first entry of key, or NULL. Its first byte is compared before
 * strcmp is called: most keys differ there (under libFuzzer every strcmp
 * is a hooked call). */
static const struct kv *kv_find(const struct kvlist *l, const char *key)
{
	if (!l || !key)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].key[0] == key[0] && strcmp(l->v[i].key, key) == 0)
			return &l->v[i];
	return NULL;
}

long long kv_get(const struct kvlist *l, const char *key, long long def)
{
	const struct kv *e = kv_find(l, key);
	return e ? e->val : def;
}

int kv_has(const struct kvlist *l, const char *key)
{
	return kv_find(l, key) != NULL;
}

void kvlist_free(struct kvlist *l)
{
	if (!l)
		return;
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
