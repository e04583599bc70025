// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of parse_buddyinfo against the golden /proc/buddyinfo files
 * (tests/golden/proc/buddyinfo-*.txt: "# expect: n=N z<i>=<node>:<zone>:
 * <order 0>,<order 1>,...") and hand-made damage. */
#include <criterion/criterion.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "parse/parse.h"
#include "lib/util.h"

/* The value of key on the "# expect:" line (copied into out). */
static int expect_word(const struct golden *g, const char *key, char *out, size_t outsz)
{
	const char *h = strstr(g->data, "\n# expect: ");
	cr_assert(h, "no '# expect:' line");
	h += 11;
	const char *le = strchr(h, '\n');
	size_t kl = strlen(key);
	for (const char *p = h; p < le;) {
		const char *sp = memchr(p, ' ', (size_t)(le - p));
		if (!sp)
			sp = le;
		if ((size_t)(sp - p) > kl && !memcmp(p, key, kl) && p[kl] == '=') {
			snprintf(out, outsz, "%.*s", (int)(sp - p - (ptrdiff_t)kl - 1), p + kl + 1);
			return 0;
		}
		p = sp + 1;
	}
	return -1;
}

static void check_golden(const char *rel)
{
	struct golden g;
	golden_load(rel, &g);
	char *b = dup_exact(g.body, g.body_len);
	struct buddyinfo bi;
	size_t n = parse_buddyinfo(b, g.body_len, &bi);
	char v[512];
	cr_assert_eq(expect_word(&g, "n", v, sizeof v), 0);
	cr_assert_eq(n, (size_t)strtoul(v, NULL, 10), "%s: %zu zones", rel, n);
	cr_assert_eq(n, bi.n);
	for (size_t i = 0; i < n; i++) {
		char key[32];
		snprintf(key, sizeof key, "z%zu", i);
		cr_assert_eq(expect_word(&g, key, v, sizeof v), 0, "%s: no %s", rel, key);
		const struct buddy_zone *z = &bi.z[i];
		char got[512];
		int off = snprintf(got, sizeof got, "%d:%s:", z->node, z->zone);
		for (int o = 0; o < z->n_orders; o++)
			off += snprintf(got + off, sizeof got - (size_t)off, "%s%lld", o ? "," : "",
					z->free[o]);
		cr_expect_str_eq(got, v, "%s: zone %zu", rel, i);
		cr_expect_eq(z->n_orders, 11, "x86-64: orders 0..10");
	}
	free(b);
	golden_free(&g);
}

Test(buddyinfo, golden_6_1_boot)
{
	check_golden("proc/buddyinfo-6.1-boot.txt");
}

Test(buddyinfo, golden_6_1_fragmented)
{
	check_golden("proc/buddyinfo-6.1-fragmented.txt");
}

Test(buddyinfo, golden_6_12_fragmented)
{
	check_golden("proc/buddyinfo-6.12-fragmented.txt");
}

/* The fragmented captures: all free DMA32 memory is in order-0 blocks. */
Test(buddyinfo, fragmented_has_no_high_order_dma32)
{
	struct golden g;
	golden_load("proc/buddyinfo-6.1-fragmented.txt", &g);
	char *b = dup_exact(g.body, g.body_len);
	struct buddyinfo bi;
	cr_assert_eq(parse_buddyinfo(b, g.body_len, &bi), 2);
	cr_assert_str_eq(bi.z[1].zone, "DMA32");
	cr_assert_eq(buddy_free_pages(&bi.z[1]), 20151);
	for (int o = 1; o < bi.z[1].n_orders; o++)
		cr_assert_eq(bi.z[1].free[o], 0);
	/* DMA: 1587 + 3*2 + 1*4 + 2*8 + 32 + 64 + 128 + 256 */
	cr_assert_eq(buddy_free_pages(&bi.z[0]), 1587 + 6 + 4 + 16 + 32 + 64 + 128 + 256);
	free(b);
	golden_free(&g);
}

/* One line as the workload forwards it (no newline, no trailing blank). */
Test(buddyinfo, single_line_without_newline)
{
	static const char l[] = "Node 1, zone   Normal   5 4 3 2 1 0 0 0 0 0 7";
	char *b = dup_exact(l, sizeof l - 1);
	struct buddyinfo bi;
	cr_assert_eq(parse_buddyinfo(b, sizeof l - 1, &bi), 1);
	cr_assert_eq(bi.z[0].node, 1);
	cr_assert_str_eq(bi.z[0].zone, "Normal");
	cr_assert_eq(bi.z[0].n_orders, 11);
	cr_assert_eq(bi.z[0].free[10], 7);
	cr_assert_eq(buddy_free_pages(&bi.z[0]), 5 + 8 + 12 + 16 + 16 + 7 * 1024);
	free(b);
}

/* Damaged lines are skipped; good ones around them still count. */
Test(buddyinfo, damage_is_skipped)
{
	static const char t[] = "garbage\n"
				"Node 0, zone DMA 1 2 x 4\n"         /* not a number */
				"Node 0 zone DMA 1 2\n"              /* no comma */
				"Node 0, zone\n"                     /* no name */
				"Node 0, zone Waytoolongzonename123 1\n"
				"Node 0, zone DMA\n"                 /* no counts */
				"Node 0, zone DMA 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n"
				"Node 99999999, zone DMA 1\n"
				"Node 0, zone DMA 9999999999999999999 1\n"
				"Node 0, zone  DMA32  3 2 1\r\n"
				"Node 0, zone Normal 1";
	char *b = dup_exact(t, sizeof t - 1);
	struct buddyinfo bi;
	cr_assert_eq(parse_buddyinfo(b, sizeof t - 1, &bi), 2);
	cr_assert_str_eq(bi.z[0].zone, "DMA32");
	cr_assert_eq(bi.z[0].n_orders, 3);
	cr_assert_eq(buddy_free_pages(&bi.z[0]), 3 + 4 + 4);
	cr_assert_str_eq(bi.z[1].zone, "Normal");
	/* every prefix of the text: never reads past the end */
	for (size_t n = 0; n < sizeof t - 1; n++) {
		char *p = dup_exact(t, n);
		parse_buddyinfo(p, n, &bi);
		cr_assert_leq(bi.n, 2);
		free(p);
	}
	cr_assert_eq(parse_buddyinfo(NULL, 0, &bi), 0);
	free(b);
}

Test(buddyinfo, free_pages_saturate)
{
	struct buddy_zone z = {.n_orders = 11};
	z.free[10] = LLONG_MAX / 2;
	cr_assert_eq(buddy_free_pages(&z), LLONG_MAX);
}

/* More zones than fit: the first BUDDY_ZONES_MAX are kept. */
Test(buddyinfo, zone_limit)
{
	struct buf t = {0};
	for (int i = 0; i < BUDDY_ZONES_MAX + 3; i++)
		buf_printf(&t, "Node %d, zone Normal %d\n", i, i);
	struct buddyinfo bi;
	cr_assert_eq(parse_buddyinfo(t.data, t.len, &bi), BUDDY_ZONES_MAX);
	cr_assert_eq(bi.z[BUDDY_ZONES_MAX - 1].node, BUDDY_ZONES_MAX - 1);
	buf_free(&t);
}
