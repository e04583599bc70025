/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Properties of the key/value parsers (meminfo, vmstat), shared by their
 * two targets: every entry comes from a line of the input, and formatting
 * the entries the way the kernel prints them and parsing that again gives
 * the same entries. Each check is one pass: the entries come in the order
 * of their lines, so lines and entries are matched in one walk, and
 * lookups are checked on a bounded number of entries (a search of the
 * whole input, or a lookup, per entry made the targets quadratic). */
#ifndef OOMLAB_FUZZ_KV_PROPS_H
#define OOMLAB_FUZZ_KV_PROPS_H

#include <string.h>

#include "fuzz.h"
#include "parse/parse.h"
#include "lib/util.h"

typedef size_t (*kv_parser)(const char *, size_t, struct kvlist *);

/* sep: what the formatter writes after a key; after: the bytes the parser
 * accepts after one. */
static inline void kv_props(const uint8_t *data, size_t size, kv_parser parse, const char *sep,
			    const char *after)
{
	const char *in = (const char *)data;
	struct kvlist a = {0}, b = {0};
	size_t n = parse(in, size, &a);
	FUZZ_CHECK(n == a.n, "returned %zu, list holds %zu", n, a.n);
	/* the entries as the kernel prints them: key, sep, value, " kB" */
	size_t sl = strlen(sep), unit = sep[0] == ':' ? 3 : 0;
	char *text = xmalloc(a.n * (KV_KEY_MAX + sl + 20 + unit + 1) + 1), *w = text;
	const char *line = in, *end = in + size; /* the line the next entry may come from */
	for (size_t i = 0; i < a.n; i++) {
		size_t kl = strlen(a.v[i].key);
		FUZZ_CHECK(kl > 0 && kl < KV_KEY_MAX, "entry %zu: key length %zu", i, kl);
		/* the key starts a line of the input, after the line of the entry
		 * before, and a separator byte follows it */
		int found = 0;
		while (!found && line < end) {
			const char *nl = memchr(line, '\n', (size_t)(end - line));
			found = (size_t)(end - line) > kl && !memcmp(line, a.v[i].key, kl) && line[kl] &&
				strchr(after, line[kl]);
			line = nl ? nl + 1 : end;
		}
		FUZZ_CHECK(found, "entry %zu: key '%s' starts no line after the entry before", i, a.v[i].key);
		memcpy(w, a.v[i].key, kl);
		memcpy(w + kl, sep, sl);
		w = fuzz_put_ll(w + kl + sl, a.v[i].val);
		memcpy(w, " kB", unit);
		w += unit;
		*w++ = '\n';
	}
	size_t tl = (size_t)(w - text);
	char *t = fuzz_dup(text, tl);
	parse(t, tl, &b);
	FUZZ_CHECK(b.n == a.n, "re-parse found %zu entries, first parse %zu", b.n, a.n);
	for (size_t i = 0; i < a.n; i++) {
		FUZZ_CHECK(!strcmp(a.v[i].key, b.v[i].key) && a.v[i].val == b.v[i].val,
			   "entry %zu: '%s'=%lld re-parsed as '%s'=%lld", i, a.v[i].key, a.v[i].val, b.v[i].key,
			   b.v[i].val);
	}
	/* lookups find the first entry of a key: checked on the first and the
	 * last entry and on 2 more, picked by the input's first bytes */
	for (size_t k = 0; k < 4 && a.n; k++) {
		size_t i = k == 0 ? 0 : k == 1 ? a.n - 1 : (k - 2 < size ? data[k - 2] : k) % a.n;
		size_t first = i;
		for (size_t j = 0; j < i; j++)
			if (a.v[j].key[0] == a.v[i].key[0] && !strcmp(a.v[j].key, a.v[i].key)) {
				first = j;
				break;
			}
		FUZZ_CHECK(kv_has(&a, a.v[i].key) && kv_get(&a, a.v[i].key, -7) == a.v[first].val,
			   "kv_get('%s')", a.v[i].key);
	}
	free(t);
	free(text);
	kvlist_free(&a);
	kvlist_free(&b);
}

#endif
