// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the /proc parsers (meminfo, vmstat, pressure, PID/status)
 * against golden files of real kernel output (tests/golden/proc, format in
 * tests/golden/README.md). */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"
#include "golden.h"
#include "lib/util.h"

/* ---- golden files: tests/unit/golden.c ---- */

/* Value of key in the "# expect:" line; 0 found, -1 absent. */
static int expect(const struct golden *g, const char *key, char *out, size_t outsz)
{
	const char *h = strstr(g->data, "\n# expect: ");
	cr_assert(h, "no '# expect:' line");
	const char *p = h + 11, *le = strchr(p, '\n');
	size_t klen = strlen(key);
	while (p < le) {
		while (p < le && *p == ' ')
			p++;
		const char *eq = memchr(p, '=', (size_t)(le - p));
		if (!eq)
			break;
		const char *v = eq + 1, *ve;
		if (v < le && *v == '"') {
			v++;
			ve = memchr(v, '"', (size_t)(le - v));
			cr_assert(ve);
		} else {
			ve = v;
			while (ve < le && *ve != ' ')
				ve++;
		}
		if ((size_t)(eq - p) == klen && memcmp(p, key, klen) == 0) {
			snprintf(out, outsz, "%.*s", (int)(ve - v), v);
			return 0;
		}
		p = ve + (ve < le && *ve == '"');
	}
	return -1;
}

static long long expect_ll(const struct golden *g, const char *key)
{
	char v[64];
	cr_assert(expect(g, key, v, sizeof v) == 0, "no expectation for %s", key);
	return strtoll(v, NULL, 10);
}

/* exact-size heap copy, no NUL: ASan catches any read past len */
/* every "key=value" of the expect line is checked against the kvlist
 * ("n" is the number of entries) */
static void check_kv_golden(const char *rel, size_t (*fn)(const char *, size_t, struct kvlist *))
{
	struct golden g;
	golden_load(rel, &g);
	char *b = dup_exact(g.body, g.body_len);
	struct kvlist l = {0};
	size_t n = fn(b, g.body_len, &l);
	cr_assert_eq(n, l.n);
	cr_assert_eq((long long)n, expect_ll(&g, "n"), "%s: %zu entries", rel, n);
	const char *h = strstr(g.data, "# expect: ") + 10;
	const char *le = strchr(h, '\n');
	int checked = 0;
	for (const char *p = h; p < le;) {
		const char *eq = memchr(p, '=', (size_t)(le - p));
		const char *sp = memchr(p, ' ', (size_t)(le - p));
		if (!sp)
			sp = le;
		cr_assert(eq && eq < sp);
		char key[KV_KEY_MAX];
		snprintf(key, sizeof key, "%.*s", (int)(eq - p), p);
		if (strcmp(key, "n") != 0) {
			long long want = strtoll(eq + 1, NULL, 10);
			cr_assert(kv_has(&l, key), "%s: no %s", rel, key);
			cr_assert_eq(kv_get(&l, key, -12345), want, "%s: %s=%lld, want %lld", rel, key,
				     kv_get(&l, key, -12345), want);
			checked++;
		}
		p = sp + 1;
	}
	cr_assert(checked > 0);
	/* every prefix parses without reading past it, to no more entries */
	for (size_t cut = 0; cut <= g.body_len; cut++) {
		char *c = dup_exact(g.body, cut);
		struct kvlist k = {0};
		size_t m = fn(c, cut, &k);
		cr_assert(m <= n);
		kvlist_free(&k);
		free(c);
	}
	kvlist_free(&l);
	free(b);
	golden_free(&g);
}

/* ---- meminfo ---- */

Test(meminfo, golden_6_1_boot)
{
	check_kv_golden("proc/meminfo-6.1-boot.txt", parse_meminfo);
}

Test(meminfo, golden_6_1_near_oom)
{
	check_kv_golden("proc/meminfo-6.1-touch-near-oom.txt", parse_meminfo);
}

Test(meminfo, golden_6_12_boot)
{
	check_kv_golden("proc/meminfo-6.12-boot.txt", parse_meminfo);
}

Test(meminfo, golden_6_12_alloc_near_oom)
{
	check_kv_golden("proc/meminfo-6.12-alloc-near-oom.txt", parse_meminfo);
	struct golden g;
	golden_load("proc/meminfo-6.12-alloc-near-oom.txt", &g);
	struct kvlist l = {0};
	parse_meminfo(g.body, g.body_len, &l);
	/* the alloc workload: ~32 GB committed, 64 MB of page tables */
	cr_assert_gt(kv_get(&l, "Committed_AS", 0), 30LL * 1024 * 1024);
	cr_assert_gt(kv_get(&l, "PageTables", 0), 60000);
	cr_assert_eq(kv_get(&l, "MemAvailable", -1), 0);
	/* keys with parentheses, counts without a unit */
	cr_assert(kv_has(&l, "Active(anon)"));
	cr_assert_eq(kv_get(&l, "HugePages_Total", -1), 0);
	cr_assert(kv_has(&l, "Unaccepted")); /* 6.12 only */
	kvlist_free(&l);
	golden_free(&g);
}

/* zswap in use: Zswap (its pool) and Zswapped (what it holds) */
Test(meminfo, golden_6_1_zswap)
{
	check_kv_golden("proc/meminfo-6.1-zswap.txt", parse_meminfo);
}

Test(meminfo, golden_6_12_zswap)
{
	check_kv_golden("proc/meminfo-6.12-zswap.txt", parse_meminfo);
}

Test(meminfo, reuse_resets_list)
{
	struct golden g;
	golden_load("proc/meminfo-6.1-boot.txt", &g);
	struct kvlist l = {0};
	size_t a = parse_meminfo(g.body, g.body_len, &l);
	size_t b = parse_meminfo(g.body, g.body_len, &l);
	cr_assert_eq(a, b);
	cr_assert_eq(l.n, a);
	kvlist_free(&l);
	golden_free(&g);
}

Test(meminfo, skips_malformed_lines)
{
	static const char in[] =
		"MemTotal:         217788 kB\n"
		"ThisKeyIsFarTooLongToFitIntoTheFortyEightByteKeyBuffer: 5 kB\n"
		"NoNumber:        kB\n"
		"Trailing:        12x kB\n"
		":      7 kB\n"
		"Huge:            99999999999999999999999 kB\n"
		"no colon 5\n"
		"Neg:             -3\n"
		"Last:            42";
	char *b = dup_exact(in, sizeof in - 1);
	struct kvlist l = {0};
	cr_assert_eq(parse_meminfo(b, sizeof in - 1, &l), 3);
	cr_assert_eq(kv_get(&l, "MemTotal", 0), 217788);
	cr_assert_eq(kv_get(&l, "Neg", 0), -3);
	cr_assert_eq(kv_get(&l, "Last", 0), 42); /* no final newline */
	cr_assert_not(kv_has(&l, "NoNumber"));
	cr_assert_eq(kv_get(&l, "absent", -7), -7);
	kvlist_free(&l);
	kvlist_free(&l);
	kvlist_free(NULL);
	cr_assert_null(l.v);
	free(b);
}

Test(meminfo, garbage_does_not_crash)
{
	unsigned char junk[4096];
	unsigned s = 12345;
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)(round * 20) % sizeof junk;
		for (size_t i = 0; i < n; i++) {
			s = s * 1103515245u + 12345u;
			/* bias towards the characters the parser cares about */
			static const char alpha[] = "Mk:B \t\n0123456789-x";
			junk[i] = (s >> 16) % 3 ? (unsigned char)alpha[(s >> 8) % (sizeof alpha - 1)] : (unsigned char)(s >> 8);
		}
		char *b = dup_exact((const char *)junk, n);
		struct kvlist l = {0};
		parse_meminfo(b, n, &l);
		for (size_t i = 0; i < l.n; i++)
			cr_assert_lt(strlen(l.v[i].key), KV_KEY_MAX);
		parse_vmstat(b, n, &l);
		kvlist_free(&l);
		free(b);
	}
}

/* ---- vmstat ---- */

Test(vmstat, golden_6_1_after_oom)
{
	check_kv_golden("proc/vmstat-6.1-after-oom.txt", parse_vmstat);
}

Test(vmstat, golden_6_12_after_oom)
{
	check_kv_golden("proc/vmstat-6.12-after-oom.txt", parse_vmstat);
	struct golden g;
	golden_load("proc/vmstat-6.12-after-oom.txt", &g);
	struct kvlist l = {0};
	parse_vmstat(g.body, g.body_len, &l);
	cr_assert_eq(kv_get(&l, "oom_kill", -1), 1);
	cr_assert(kv_has(&l, "nr_memmap_pages")); /* 6.12 only */
	kvlist_free(&l);
	golden_free(&g);
}

/* zswpin/zswpout (and zswpwb on 6.12), as the agent keeps vmstat */
Test(vmstat, golden_6_1_zswap)
{
	check_kv_golden("proc/vmstat-6.1-zswap.txt", parse_vmstat);
}

Test(vmstat, golden_6_12_zswap)
{
	check_kv_golden("proc/vmstat-6.12-zswap.txt", parse_vmstat);
}

/* zswap's debugfs counters, the agent's zswap section: vmstat's format */
Test(vmstat, golden_zswap_debugfs_6_1)
{
	check_kv_golden("proc/zswap-debugfs-6.1.txt", parse_vmstat);
}

Test(vmstat, golden_zswap_debugfs_6_12)
{
	check_kv_golden("proc/zswap-debugfs-6.12.txt", parse_vmstat);
}

Test(vmstat, skips_malformed_lines)
{
	static const char in[] = "nr_free_pages 45895\nbroken\n 12\nnr_x 1 2\noom_kill 1";
	struct kvlist l = {0};
	cr_assert_eq(parse_vmstat(in, sizeof in - 1, &l), 2);
	cr_assert_eq(kv_get(&l, "oom_kill", 0), 1);
	kvlist_free(&l);
}

/* ---- pressure ---- */

static void check_psi_golden(const char *rel)
{
	struct golden g;
	golden_load(rel, &g);
	char *b = dup_exact(g.body, g.body_len);
	struct psi p;
	cr_assert_eq(parse_psi(b, g.body_len, &p), 0);
	cr_assert(p.some.present);
	cr_assert(p.full.present);
	static const struct {
		const char *key;
		int full;
		int what; /* 0 avg10, 1 avg60, 2 avg300, 3 total */
	} f[] = {
		{"some.avg10", 0, 0}, {"some.avg60", 0, 1}, {"some.avg300", 0, 2}, {"some.total", 0, 3},
		{"full.avg10", 1, 0}, {"full.avg60", 1, 1}, {"full.avg300", 1, 2}, {"full.total", 1, 3},
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		char v[64];
		cr_assert(expect(&g, f[i].key, v, sizeof v) == 0, "%s: no %s", rel, f[i].key);
		const struct psi_line *l = f[i].full ? &p.full : &p.some;
		if (f[i].what == 3) {
			cr_assert_eq(l->total_us, strtoull(v, NULL, 10), "%s: %s", rel, f[i].key);
		} else {
			double got = f[i].what == 0 ? l->avg10 : f[i].what == 1 ? l->avg60 : l->avg300;
			cr_assert(fabs(got - strtod(v, NULL)) < 1e-9, "%s: %s=%f want %s", rel, f[i].key, got, v);
		}
	}
	for (size_t cut = 0; cut <= g.body_len; cut++) {
		char *c = dup_exact(g.body, cut);
		struct psi q;
		parse_psi(c, cut, &q);
		free(c);
	}
	free(b);
	golden_free(&g);
}

Test(psi, golden_6_1_boot)
{
	check_psi_golden("proc/psi-6.1-boot.txt");
}

Test(psi, golden_6_1_after_oom)
{
	check_psi_golden("proc/psi-6.1-after-oom.txt");
}

Test(psi, golden_6_12_after_oom)
{
	check_psi_golden("proc/psi-6.12-after-oom.txt");
	struct golden g;
	golden_load("proc/psi-6.12-after-oom.txt", &g);
	struct psi p;
	parse_psi(g.body, g.body_len, &p);
	cr_assert_gt(p.some.avg10, 7.0);
	cr_assert_gt(p.some.total_us, p.full.total_us);
	golden_free(&g);
}

Test(psi, some_only_and_damage)
{
	struct psi p;
	static const char some_only[] = "some avg10=1.50 avg60=0.25 avg300=0.00 total=99";
	cr_assert_eq(parse_psi(some_only, sizeof some_only - 1, &p), 0);
	cr_assert(p.some.present);
	cr_assert_not(p.full.present);
	cr_assert(fabs(p.some.avg10 - 1.5) < 1e-9);
	cr_assert_eq(p.some.total_us, 99);
	static const char no_total[] = "some avg10=1.50 avg60=0.25 avg300=0.00\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=1\n";
	cr_assert_eq(parse_psi(no_total, sizeof no_total - 1, &p), -1);
	cr_assert(p.full.present);
	cr_assert_eq(parse_psi("", 0, &p), -1);
	cr_assert_eq(parse_psi("garbage\n", 8, &p), -1);
}

/* ---- /proc/PID/status ---- */

static void check_status_golden(const char *rel, struct proc_status *out)
{
	struct golden g;
	golden_load(rel, &g);
	char *b = dup_exact(g.body, g.body_len);
	struct proc_status s;
	cr_assert_eq(parse_status(b, g.body_len, &s), 0);
	char v[128];
	cr_assert(expect(&g, "name", v, sizeof v) == 0);
	cr_assert_str_eq(s.name, v);
	cr_assert_eq(s.pid, expect_ll(&g, "pid"));
	cr_assert(expect(&g, "state", v, sizeof v) == 0);
	cr_assert_eq(s.state, v[0]);
	static const struct {
		const char *key;
		size_t off;
	} f[] = {
		{"vm_peak_kb", offsetof(struct proc_status, vm_peak_kb)},
		{"vm_size_kb", offsetof(struct proc_status, vm_size_kb)},
		{"vm_hwm_kb", offsetof(struct proc_status, vm_hwm_kb)},
		{"vm_rss_kb", offsetof(struct proc_status, vm_rss_kb)},
		{"rss_anon_kb", offsetof(struct proc_status, rss_anon_kb)},
		{"rss_file_kb", offsetof(struct proc_status, rss_file_kb)},
		{"rss_shmem_kb", offsetof(struct proc_status, rss_shmem_kb)},
		{"vm_data_kb", offsetof(struct proc_status, vm_data_kb)},
		{"vm_pte_kb", offsetof(struct proc_status, vm_pte_kb)},
		{"vm_swap_kb", offsetof(struct proc_status, vm_swap_kb)},
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		long long got = *(const long long *)((const char *)&s + f[i].off);
		cr_assert_eq(got, expect_ll(&g, f[i].key), "%s: %s=%lld", rel, f[i].key, got);
	}
	for (size_t cut = 0; cut <= g.body_len; cut++) {
		char *c = dup_exact(g.body, cut);
		struct proc_status t;
		parse_status(c, cut, &t);
		cr_assert_lt(strlen(t.name), sizeof t.name);
		free(c);
	}
	if (out)
		*out = s;
	free(b);
	golden_free(&g);
}

Test(status, golden_6_1_touch_live)
{
	struct proc_status s;
	check_status_golden("proc/status-6.1-touch-live.txt", &s);
	cr_assert_str_eq(s.name, "touch");
	cr_assert_eq(s.vm_pte_kb, 388);
	cr_assert_eq(s.vm_swap_kb, 0);
}

Test(status, golden_6_1_alloc_live)
{
	struct proc_status s;
	check_status_golden("proc/status-6.1-alloc-live.txt", &s);
	cr_assert_gt(s.vm_size_kb, 30LL * 1000 * 1000); /* ~30 GB never touched */
	cr_assert_gt(s.vm_pte_kb, 60000);
}

Test(status, golden_6_12_touch_live)
{
	check_status_golden("proc/status-6.12-touch-live.txt", NULL);
}

Test(status, golden_zombie_and_kthread_have_no_vm_lines)
{
	static const char *const files[] = {
		"proc/status-6.1-oom-victim-zombie.txt",
		"proc/status-6.12-zombie.txt",
		"proc/status-6.1-kthreadd.txt",
		"proc/status-6.12-kthreadd.txt",
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct proc_status s;
		check_status_golden(files[i], &s);
		cr_assert_eq(s.vm_size_kb, -1);
		cr_assert_eq(s.vm_rss_kb, -1);
		cr_assert_eq(s.vm_pte_kb, -1);
		cr_assert_eq(s.vm_swap_kb, -1);
		cr_assert_gt(s.pid, 0);
	}
}

Test(status, name_with_spaces_and_missing_fields)
{
	static const char in[] = "Name:\tWeb Content\nUmask:\t0022\nState:\tS (sleeping)\nVmRSS:\t  1234 kB\nVmPTE:\tbogus kB";
	struct proc_status s;
	cr_assert_eq(parse_status(in, sizeof in - 1, &s), 0);
	cr_assert_str_eq(s.name, "Web Content");
	cr_assert_eq(s.pid, -1);
	cr_assert_eq(s.state, 'S');
	cr_assert_eq(s.vm_rss_kb, 1234);
	cr_assert_eq(s.vm_pte_kb, -1);
	cr_assert_eq(parse_status("nothing here\n", 13, &s), -1);
	cr_assert_eq(parse_status("", 0, &s), -1);
	char longname[200];
	memset(longname, 'a', sizeof longname);
	memcpy(longname, "Name:\t", 6);
	char *b = dup_exact(longname, sizeof longname);
	cr_assert_eq(parse_status(b, sizeof longname, &s), 0);
	cr_assert_eq(strlen(s.name), sizeof s.name - 1);
	free(b);
}

Test(status, golden_6_12_swapped_out_live)
{
	struct proc_status s;
	check_status_golden("proc/status-6.12-touch-swap-live.txt", &s);
	cr_assert_eq(s.vm_swap_kb, 130664);
	cr_assert_gt(s.vm_size_kb, s.vm_rss_kb + s.vm_swap_kb - 1024);
}
