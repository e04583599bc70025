// SPDX-License-Identifier: GPL-2.0-or-later
/* The confounders of oomlab compare on real runs: what differs between
 * the two runs that neither set. tests/golden/compare/mglru61 and
 * mglru612 are examples/mglru.json on Debian's 6.1 and 6.12 (their cell
 * reports record the kernels' build configurations); k61 and k612 an
 * older matrix whose reports record none. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "lib/util.h"
#include "reports/compare.h"
#include "reports/html/html.h"

struct cmp {
	struct rundir b, n;
	json_t *doc;
};

static void compare_golden(struct cmp *c, const char *base, const char *nw)
{
	struct buf err = {0};
	char *rb = xasprintf("compare/%s", base), *rn = xasprintf("compare/%s", nw);
	char *db = golden_path(rb), *dn = golden_path(rn);
	cr_assert_eq(rundir_load(db, &c->b, &err), 0, "%s", err.data);
	cr_assert_eq(rundir_load(dn, &c->n, &err), 0, "%s", err.data);
	c->doc = compare_runs(&c->b, &c->n, &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT});
	free(rb);
	free(rn);
	free(db);
	free(dn);
}

static void cmp_free(struct cmp *c)
{
	json_decref(c->doc);
	rundir_free(&c->b);
	rundir_free(&c->n);
}

static json_t *dcell(struct cmp *c, const char *name)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(c->doc, "cells"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "name")), name))
			return x;
	cr_assert_fail("no cell %s", name);
	return NULL;
}

/* The confounders of a cell as "kind name: base -> new" lines. */
static char *lines_of(json_t *cell)
{
	struct buf b = {0};
	json_t *x = json_object_get(cell, "confounders");
	static const char *const kinds[] = {"knobs", "config"};
	for (int k = 0; k < 2; k++) {
		size_t i;
		json_t *d;
		json_array_foreach(json_object_get(x, kinds[k]), i, d) {
			json_t *vb = json_object_get(d, "base"), *vn = json_object_get(d, "new");
			buf_printf(&b, "%s %s: %s -> %s\n", kinds[k], json_string_value(json_object_get(d, "name")),
				   json_is_string(vb) ? json_string_value(vb) : "null",
				   json_is_string(vn) ? json_string_value(vn) : "null");
		}
	}
	return b.data ? b.data : xstrdup("");
}

static const char mthp61_612[] =
	"knobs mthp_enabled:16kB: null -> always inherit madvise [never]\n"
	"knobs mthp_enabled:32kB: null -> always inherit madvise [never]\n"
	"knobs mthp_enabled:64kB: null -> always inherit madvise [never]\n"
	"knobs mthp_enabled:128kB: null -> always inherit madvise [never]\n"
	"knobs mthp_enabled:256kB: null -> always inherit madvise [never]\n"
	"knobs mthp_enabled:512kB: null -> always inherit madvise [never]\n"
	"knobs mthp_enabled:1024kB: null -> always inherit madvise [never]\n"
	"knobs mthp_enabled:2048kB: null -> always [inherit] madvise never\n";

static const char config61_612[] =
	"config CONFIG_LRU_GEN_ENABLED: n -> y\n"
	"config CONFIG_MEMCG_KMEM: y -> null\n"
	"config CONFIG_Z3FOLD: m -> null\n"
	"config CONFIG_Z3FOLD_DEPRECATED: m -> n\n"
	"config CONFIG_ZRAM_DEF_COMP: lzo-rle -> lz4\n"
	"config CONFIG_ZRAM_DEF_COMP_LZ4: n -> y\n"
	"config CONFIG_ZRAM_DEF_COMP_LZO: n -> null\n"
	"config CONFIG_ZRAM_DEF_COMP_LZORLE: y -> null\n"
	"config CONFIG_ZSMALLOC: m -> y\n"
	"config CONFIG_ZSWAP_ZPOOL_DEFAULT: zbud -> zsmalloc\n"
	"config CONFIG_ZSWAP_ZPOOL_DEFAULT_ZBUD: y -> n\n"
	"config CONFIG_ZSWAP_ZPOOL_DEFAULT_ZSMALLOC: n -> y\n"
	"config CONFIG_LRU_GEN_WALKS_MMU: null -> y\n"
	"config CONFIG_MEMCG_V1: null -> n\n"
	"config CONFIG_TRANSPARENT_HUGEPAGE_NEVER: null -> n\n"
	"config CONFIG_ZRAM_BACKEND_842: null -> n\n"
	"config CONFIG_ZRAM_BACKEND_DEFLATE: null -> y\n"
	"config CONFIG_ZRAM_BACKEND_LZ4: null -> y\n"
	"config CONFIG_ZRAM_BACKEND_LZ4HC: null -> y\n"
	"config CONFIG_ZRAM_BACKEND_LZO: null -> n\n"
	"config CONFIG_ZRAM_BACKEND_ZSTD: null -> y\n"
	"config CONFIG_ZRAM_DEF_COMP_DEFLATE: null -> n\n"
	"config CONFIG_ZRAM_MULTI_COMP: null -> n\n"
	"config CONFIG_ZRAM_TRACK_ENTRY_ACTIME: null -> y\n"
	"config CONFIG_ZSMALLOC_CHAIN_SIZE: null -> 8\n"
	"config CONFIG_ZSWAP_SHRINKER_DEFAULT_ON: null -> n\n";

/* Left as the kernels had it, MGLRU differs (and the knob says so);
 * set equal on both, it is no confounder, though the build option that
 * made the defaults differ still is. */
Test(confounders, mglru_default_vs_held_equal_on_61_and_612)
{
	struct cmp c;
	compare_golden(&c, "mglru61", "mglru612");
	char *want_default = xasprintf("%s%s%s%s", mthp61_612, "knobs lru_gen: 0x0000 -> 0x0007\n",
				       "knobs min_free_kbytes: 1790 -> 1827\n", config61_612);
	char *want_set = xasprintf("%s%s%s", mthp61_612, "knobs min_free_kbytes: 1790 -> 1827\n", config61_612);
	char *got = lines_of(dcell(&c, "kernel default"));
	cr_expect_str_eq(got, want_default);
	free(got);
	static const char *const held[] = {"lru_gen n", "lru_gen y", "lru_gen y min_ttl_ms 1000"};
	for (size_t i = 0; i < sizeof held / sizeof held[0]; i++) {
		got = lines_of(dcell(&c, held[i]));
		cr_expect_str_eq(got, want_set, "%s", held[i]);
		free(got);
	}
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(c.doc, "summary"), "confounded")), 4);
	free(want_default);
	free(want_set);
	cmp_free(&c);
}

/* A run against itself has none. */
Test(confounders, none_between_a_run_and_itself)
{
	struct cmp c;
	compare_golden(&c, "mglru612", "mglru612");
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(c.doc, "cells"), i, x) {
		char *got = lines_of(x);
		cr_expect_str_eq(got, "", "%s", json_string_value(json_object_get(x, "name")));
		free(got);
	}
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(c.doc, "summary"), "confounded")), 0);
	cmp_free(&c);
}

/* Reports that record no build configuration: "config" is null, and the
 * knobs still count (min_free_kbytes, computed from the memory each
 * kernel leaves free). */
Test(confounders, older_reports_without_config)
{
	struct cmp c;
	compare_golden(&c, "k61", "k612");
	json_t *x = json_object_get(dcell(&c, "overcommit=0"), "confounders");
	cr_expect(json_is_null(json_object_get(x, "config")));
	char *got = lines_of(dcell(&c, "overcommit=0"));
	cr_expect_str_eq(got, "knobs min_free_kbytes: 1793 -> 1829\n");
	free(got);
	cmp_free(&c);
}

static char *printed(json_t *doc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	compare_print(f, doc, 0);
	fclose(f);
	return text;
}

/* The table: the confounders every compared cell has once, then those of
 * some cells, named. */
Test(confounders, table_lists_common_ones_once_then_per_cell)
{
	struct cmp c;
	compare_golden(&c, "mglru61", "mglru612");
	char *t = printed(c.doc);
	static const char head[] =
		"\nconfounders (set by neither run, different in the two) on every compared cell:\n"
		"  knob mthp_enabled:16kB: (absent) -> always inherit madvise [never]\n";
	static const char tail[] =
		"  config CONFIG_ZSMALLOC_CHAIN_SIZE: (none) -> 8\n"
		"  config CONFIG_ZSWAP_SHRINKER_DEFAULT_ON: (none) -> n\n"
		"\nmore confounders (set by neither run, different in the two) on kernel default:\n"
		"  knob lru_gen: 0x0000 -> 0x0007\n"
		"\n4 compared: 3 regressed, 1 changed, 0 same;";
	cr_expect_not_null(strstr(t, head), "%s", t);
	cr_expect_not_null(strstr(t, "  knob min_free_kbytes: 1790 -> 1827\n  config CONFIG_LRU_GEN_ENABLED: n -> y\n"),
			   "%s", t);
	cr_expect_not_null(strstr(t, tail), "%s", t);
	cr_expect_null(strstr(t, "on lru_gen"), "%s", t);
	free(t);
	cmp_free(&c);

	compare_golden(&c, "k61", "k612");
	t = printed(c.doc);
	cr_expect_not_null(strstr(t, "\nconfounders (set by neither run, different in the two) on every compared cell:\n"
				     "  knob min_free_kbytes: 1793 -> 1829\n"
				     "\nnote: the runs do not both record their kernels' build configurations: "
				     "build options are not compared\n"
				     "\n3 compared:"),
			   "%s", t);
	free(t);
	cmp_free(&c);

	compare_golden(&c, "mglru612", "mglru612");
	t = printed(c.doc);
	cr_expect_null(strstr(t, "confounders"), "%s", t);
	cr_expect_null(strstr(t, "note:"), "%s", t);
	free(t);
	cmp_free(&c);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* The HTML page: a count per compared cell in the table, linked to the
 * cell's list. */
Test(confounders, html_page)
{
	struct cmp c;
	compare_golden(&c, "mglru61", "mglru612");
	struct buf page = {0};
	report_html_compare(&page, &c.b, &c.n, c.doc);
	cr_expect_eq(count(page.data, "<table class=\"confounders\">"), 4);
	cr_expect_not_null(strstr(page.data, "<a href=\"#cmp-0\">36</a>"), "kernel default: 10 knobs, 26 options");
	cr_expect_not_null(strstr(page.data, "<a href=\"#cmp-1\">35</a>"));
	cr_expect_not_null(strstr(page.data, "<tr><td>knob</td><td>lru_gen</td><td>0x0000</td><td>0x0007</td></tr>"));
	cr_expect_not_null(strstr(page.data, "<tr><td>knob</td><td>mthp_enabled:64kB</td><td>(absent)</td>"));
	cr_expect_not_null(
		strstr(page.data, "<tr><td>kernel config</td><td>CONFIG_MEMCG_V1</td><td>(none)</td><td>n</td></tr>"));
	cr_expect_null(strstr(page.data, "Build options not compared"));
	buf_free(&page);
	cmp_free(&c);
	/* older reports: no table where no knob differs, a note instead */
	compare_golden(&c, "k61", "k612");
	report_html_compare(&page, &c.b, &c.n, c.doc);
	cr_expect_eq(count(page.data, "<table class=\"confounders\">"), 3);
	cr_expect_eq(count(page.data, "Build options not compared"), 3);
	cr_expect_not_null(
		strstr(page.data, "<tr><td>knob</td><td>min_free_kbytes</td><td>1793</td><td>1829</td></tr>"));
	buf_free(&page);
	cmp_free(&c);
}
