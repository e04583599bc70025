// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "lib/util.h"

char *golden_path(const char *rel)
{
	const char *root = getenv("OOMLAB_ROOT");
	return xasprintf("%s/tests/golden/%s", root && *root ? root : ".", rel);
}

void golden_load(const char *rel, struct golden *g)
{
	char *path = golden_path(rel);
	memset(g, 0, sizeof *g);
	cr_assert(read_file(path, &g->data, &g->len) == 0, "cannot read golden file %s", path);
	const char *sep = strstr(g->data, "\n# ---\n");
	cr_assert(sep, "%s: no '# ---' line", path);
	free(path);
	g->body = sep + 7;
	g->body_len = g->len - (size_t)(g->body - g->data);
}

void golden_free(struct golden *g)
{
	free(g->data);
	g->data = NULL;
}

char *dup_exact(const char *p, size_t n)
{
	char *d = xmalloc(n ? n : 1);
	memcpy(d, p, n);
	return d;
}

char *read_xz(const char *path, size_t *len)
{
	char *in = NULL;
	size_t inlen = 0;
	cr_assert_eq(read_file(path, &in, &inlen), 0, "%s is missing", path);
	lzma_stream s = LZMA_STREAM_INIT;
	cr_assert_eq(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
	size_t cap = inlen * 8 + 4096, n = 0;
	char *out = xmalloc(cap);
	s.next_in = (const uint8_t *)in;
	s.avail_in = inlen;
	lzma_ret r;
	do {
		if (n == cap) {
			cap *= 2;
			out = xrealloc(out, cap);
		}
		s.next_out = (uint8_t *)out + n;
		s.avail_out = cap - n;
		r = lzma_code(&s, LZMA_FINISH);
		n = cap - s.avail_out;
	} while (r == LZMA_OK);
	cr_assert_eq(r, LZMA_STREAM_END, "%s: not a whole xz stream (%d)", path, (int)r);
	lzma_end(&s);
	free(in);
	*len = n;
	return out;
}
