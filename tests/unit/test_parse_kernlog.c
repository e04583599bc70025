// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the kernel log parsers: /dev/kmsg records and the assembly
 * of OOM-killer reports, allocation failures, panics, oopses and warnings,
 * against golden files of real 6.1 and 6.12 output (tests/golden/kernlog,
 * format in tests/golden/README.md). */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"
#include "golden.h"
#include "lib/util.h"

/* ---- golden files: tests/unit/golden.c ---- */

/* The text after "# <tag>: " in the header (up to the newline), or NULL. */
static const char *golden_hdr(const struct golden *g, const char *tag, size_t *n)
{
	char pat[64];
	snprintf(pat, sizeof pat, "# %s: ", tag);
	for (const char *p = g->data; p < g->body;) {
		const char *le = strchr(p, '\n');
		if (strncmp(p, pat, strlen(pat)) == 0) {
			p += strlen(pat);
			*n = (size_t)(le - p);
			return p;
		}
		p = le + 1;
	}
	return NULL;
}

/* ---- expectations: "key=value" (value may be "quoted") against fields ---- */

enum ftype { F_STR, F_INT, F_LL, F_ULL, F_SIZE };
struct field {
	const char *name;
	enum ftype t;
	size_t off;
};

#define OF(f, t) {#f, t, offsetof(struct oom_event, f)}
static const struct field oom_fields[] = {
	OF(ts_us, F_ULL), OF(invoker_comm, F_STR), OF(gfp_mask, F_STR), OF(gfp_flags, F_STR), OF(order, F_INT),
	OF(invoker_oom_score_adj, F_INT), OF(constraint, F_STR), OF(oom_kind, F_STR), OF(victim_pid, F_INT),
	OF(victim_comm, F_STR), OF(victim_uid, F_LL), OF(total_vm_kb, F_LL), OF(anon_rss_kb, F_LL),
	OF(file_rss_kb, F_LL), OF(shmem_rss_kb, F_LL), OF(pgtables_kb, F_LL), OF(victim_oom_score_adj, F_INT),
	OF(killed, F_INT), OF(reaped, F_INT),
};
/* the oom_reaper's line: on a line of its own ("# expect oom[i] reaper:"),
 * which every reaped event has and no other */
static const struct field reaper_fields[] = {
	OF(reaped_ts_us, F_ULL), OF(reaped_anon_rss_kb, F_LL), OF(reaped_file_rss_kb, F_LL),
	OF(reaped_shmem_rss_kb, F_LL),
};
/* the reaper gave up: on a line of its own ("# expect oom[i] unreaped:"),
 * which every event the reaper gave up on has and no other */
static const struct field unreaped_fields[] = {
	OF(reap_failed_ts_us, F_ULL),
};
/* a memory cgroup's OOM: on a line of their own ("# expect oom[i] memcg:"),
 * which an event outside any group need not have */
static const struct field memcg_fields[] = {
	OF(oom_memcg, F_STR), OF(task_memcg, F_STR), OF(memcg_usage_kb, F_LL), OF(memcg_limit_kb, F_LL),
	OF(memcg_failcnt, F_LL), OF(swap_usage_kb, F_LL), OF(swap_limit_kb, F_LL), OF(swap_failcnt, F_LL),
	OF(oom_group, F_STR), OF(group_member, F_INT),
};
#undef OF
#define AF(f, t) {#f, t, offsetof(struct alloc_failure, f)}
static const struct field af_fields[] = {
	AF(ts_us, F_ULL), AF(comm, F_STR), AF(order, F_INT), AF(mode, F_STR), AF(mode_flags, F_STR),
};
#undef AF
/* The "Unreclaimable slab info:" section of one event, as its own
 * "# expect oom[i] slab:" line gives it (a line only for an event that
 * has the section): top is "name:used_kb:total_kb" per kept cache, largest
 * first, joined by commas. */
struct slab_view {
	int slab_dumped, n_slab_caches, n_slab;
	long long slab_total_kb;
	char top[OOM_SLAB_TOP * (SLAB_NAME_MAX + 48)];
};
#define SV(f, t) {#f, t, offsetof(struct slab_view, f)}
static const struct field slab_fields[] = {
	SV(slab_dumped, F_INT), SV(n_slab_caches, F_INT), SV(slab_total_kb, F_LL), SV(n_slab, F_INT), SV(top, F_STR),
};
#undef SV

static void slab_view_of(const struct oom_event *ev, struct slab_view *v)
{
	memset(v, 0, sizeof *v);
	v->slab_dumped = ev->slab_dumped;
	v->n_slab_caches = ev->n_slab_caches;
	v->n_slab = ev->n_slab;
	v->slab_total_kb = ev->slab_total_kb;
	size_t len = 0;
	for (int i = 0; i < ev->n_slab && i < OOM_SLAB_TOP; i++)
		len += (size_t)snprintf(v->top + len, sizeof v->top - len, "%s%s:%lld:%lld", i ? "," : "",
					ev->slab[i].name, ev->slab[i].used_kb, ev->slab[i].total_kb);
}
#define KL(f, t) {#f, t, offsetof(struct kernlog, f)}
static const struct field kl_fields[] = {
	KL(n_oom, F_SIZE), KL(n_af, F_SIZE), KL(panic, F_INT), KL(panic_msg, F_STR), KL(panic_ts_us, F_ULL),
	KL(n_oops, F_INT), KL(n_warn, F_INT),
};
#undef KL

static void fmt_field(const void *obj, const struct field *f, char *out, size_t n)
{
	const char *p = (const char *)obj + f->off;
	switch (f->t) {
	case F_STR:
		snprintf(out, n, "%s", p);
		break;
	case F_INT:
		snprintf(out, n, "%d", *(const int *)p);
		break;
	case F_LL:
		snprintf(out, n, "%lld", *(const long long *)p);
		break;
	case F_ULL:
		snprintf(out, n, "%llu", *(const unsigned long long *)p);
		break;
	case F_SIZE:
		snprintf(out, n, "%zu", *(const size_t *)p);
		break;
	}
}

/* Checks every key=value of one expect line; returns how many. */
static int check_line(const char *what, const char *p, size_t n, const void *obj, const struct field *fs, size_t nf)
{
	const char *le = p + n;
	int checked = 0;
	while (p < le) {
		while (p < le && *p == ' ')
			p++;
		if (p >= le)
			break;
		const char *eq = memchr(p, '=', (size_t)(le - p));
		cr_assert(eq, "%s: malformed expect line", what);
		const char *v = eq + 1, *ve;
		if (v < le && *v == '"') {
			v++;
			ve = memchr(v, '"', (size_t)(le - v));
			cr_assert(ve, "%s: unterminated quote", what);
		} else {
			ve = memchr(v, ' ', (size_t)(le - v));
			if (!ve)
				ve = le;
		}
		const struct field *f = NULL;
		for (size_t i = 0; i < nf; i++)
			if (strlen(fs[i].name) == (size_t)(eq - p) && memcmp(fs[i].name, p, (size_t)(eq - p)) == 0)
				f = &fs[i];
		cr_assert(f, "%s: unknown field %.*s", what, (int)(eq - p), p);
		char got[512];
		fmt_field(obj, f, got, sizeof got);
		cr_assert(strlen(got) == (size_t)(ve - v) && memcmp(got, v, (size_t)(ve - v)) == 0,
			  "%s: %s = \"%s\", want \"%.*s\"", what, f->name, got, (int)(ve - v), v);
		checked++;
		p = ve + (ve < le && *ve == '"');
	}
	return checked;
}

/* Splits a kmsg golden body (records as read from /dev/kmsg: a first line,
 * then continuation lines starting with a space) and feeds each record. */
static size_t feed_kmsg_body(struct kernlog *kl, const char *body, size_t len)
{
	size_t n = 0;
	unsigned long long last_seq = 0;
	const char *p = body, *end = body + len;
	while (p < end) {
		const char *r = p;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
		while (p < end && *p == ' ') {
			nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl + 1 : end;
		}
		char *rec = dup_exact(r, (size_t)(p - r));
		struct kmsg_rec k;
		cr_assert_eq(parse_kmsg_record(rec, (size_t)(p - r), &k), 0, "bad kmsg record: %.60s", r);
		cr_assert(k.text >= rec && k.text + k.text_len <= rec + (p - r));
		if (n)
			cr_assert_eq(k.seq, last_seq + 1);
		last_seq = k.seq;
		kernlog_feed(kl, k.ts_us, k.text, k.text_len);
		free(rec);
		n++;
	}
	return n;
}

static void parse_golden(const struct golden *g, const char *rel, struct kernlog *kl)
{
	size_t fn;
	const char *form = golden_hdr(g, "form", &fn);
	cr_assert(form, "%s: no form", rel);
	kernlog_init(kl);
	if (fn == 7 && memcmp(form, "console", 7) == 0) {
		char *b = dup_exact(g->body, g->body_len);
		kernlog_feed_console(kl, b, g->body_len);
		free(b);
	} else {
		cr_assert(fn == 4 && memcmp(form, "kmsg", 4) == 0, "%s: unknown form", rel);
		size_t n = feed_kmsg_body(kl, g->body, g->body_len);
		size_t en;
		const char *e = golden_hdr(g, "expect_records", &en);
		cr_assert(e);
		cr_assert_eq(n, strtoull(e, NULL, 10), "%s: %zu records", rel, n);
	}
}

/* Parses a golden file and checks every expectation in its header. */
static void check_golden(const char *rel, struct kernlog *out)
{
	struct golden g;
	golden_load(rel, &g);
	struct kernlog kl;
	parse_golden(&g, rel, &kl);
	size_t n;
	const char *e = golden_hdr(&g, "expect", &n);
	cr_assert(e, "%s: no expect line", rel);
	cr_assert_gt(check_line(rel, e, n, &kl, kl_fields, sizeof kl_fields / sizeof kl_fields[0]), 0);
	for (size_t i = 0; i < kl.n_oom; i++) {
		char tag[48], what[300];
		snprintf(tag, sizeof tag, "expect oom[%zu]", i);
		snprintf(what, sizeof what, "%s oom[%zu]", rel, i);
		e = golden_hdr(&g, tag, &n);
		cr_assert(e, "%s: no expectation for oom[%zu]", rel, i);
		cr_assert_eq(check_line(what, e, n, &kl.oom[i], oom_fields, sizeof oom_fields / sizeof oom_fields[0]),
			     (int)(sizeof oom_fields / sizeof oom_fields[0]));
		struct slab_view sv;
		slab_view_of(&kl.oom[i], &sv);
		snprintf(tag, sizeof tag, "expect oom[%zu] slab", i);
		e = golden_hdr(&g, tag, &n);
		cr_assert(e || !sv.slab_dumped, "%s: no slab expectation for oom[%zu]", rel, i);
		if (e)
			cr_assert_eq(check_line(what, e, n, &sv, slab_fields, sizeof slab_fields / sizeof slab_fields[0]),
				     (int)(sizeof slab_fields / sizeof slab_fields[0]));
		snprintf(tag, sizeof tag, "expect oom[%zu] reaper", i);
		e = golden_hdr(&g, tag, &n);
		cr_assert(!e == !kl.oom[i].reaped, "%s: a reaper line %s", what, e ? "for an event not reaped" : "missing");
		if (e)
			cr_assert_eq(check_line(what, e, n, &kl.oom[i], reaper_fields, ARRAY_SIZE(reaper_fields)),
				     (int)ARRAY_SIZE(reaper_fields));
		else
			cr_assert(kl.oom[i].reaped_ts_us == 0 && kl.oom[i].reaped_anon_rss_kb == -1 &&
					  kl.oom[i].reaped_file_rss_kb == -1 && kl.oom[i].reaped_shmem_rss_kb == -1,
				  "%s: reaper fields of an event not reaped", what);
		snprintf(tag, sizeof tag, "expect oom[%zu] unreaped", i);
		e = golden_hdr(&g, tag, &n);
		cr_assert(!e == !kl.oom[i].reap_failed, "%s: an unreaped line %s", what,
			  e ? "for an event the reaper did not give up on" : "missing");
		if (e)
			cr_assert_eq(check_line(what, e, n, &kl.oom[i], unreaped_fields, ARRAY_SIZE(unreaped_fields)),
				     (int)ARRAY_SIZE(unreaped_fields));
		else
			cr_assert_eq(kl.oom[i].reap_failed_ts_us, 0, "%s: reap_failed_ts_us of an event reaped or not", what);
		snprintf(tag, sizeof tag, "expect oom[%zu] memcg", i);
		e = golden_hdr(&g, tag, &n);
		if (e) {
			cr_assert_eq(check_line(what, e, n, &kl.oom[i], memcg_fields, ARRAY_SIZE(memcg_fields)),
				     (int)ARRAY_SIZE(memcg_fields));
			continue;
		}
		/* no memcg line: a global OOM, whose victim ran in the root */
		const struct oom_event *ev = &kl.oom[i];
		cr_assert(!ev->oom_memcg[0] && !ev->oom_group[0] && !ev->group_member, "%s: memcg fields", what);
		cr_assert(!ev->task_memcg[0] || strcmp(ev->task_memcg, "/") == 0, "%s: task_memcg %s", what,
			  ev->task_memcg);
		cr_assert(ev->memcg_usage_kb == -1 && ev->memcg_limit_kb == -1 && ev->memcg_failcnt == -1 &&
				  ev->swap_usage_kb == -1 && ev->swap_limit_kb == -1 && ev->swap_failcnt == -1,
			  "%s: memcg counters", what);
	}
	for (size_t i = 0; i < kl.n_af; i++) {
		char tag[48], what[300];
		snprintf(tag, sizeof tag, "expect af[%zu]", i);
		snprintf(what, sizeof what, "%s af[%zu]", rel, i);
		e = golden_hdr(&g, tag, &n);
		cr_assert(e, "%s: no expectation for af[%zu]", rel, i);
		cr_assert_eq(check_line(what, e, n, &kl.af[i], af_fields, sizeof af_fields / sizeof af_fields[0]),
			     (int)(sizeof af_fields / sizeof af_fields[0]));
	}
	if (out)
		*out = kl;
	else
		kernlog_free(&kl);
	golden_free(&g);
}

/* ---- every golden file ---- */

Test(kernlog, all_golden_files)
{
	const char *root = getenv("OOMLAB_ROOT");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/golden/kernlog", root && *root ? root : ".");
	DIR *d = opendir(dir);
	cr_assert(d, "cannot open %s", dir);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char rel[512];
		snprintf(rel, sizeof rel, "kernlog/%s", de->d_name);
		check_golden(rel, NULL);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 20);
}

/* ---- the article's cells, spelled out ---- */

Test(kernlog, touch_no_swap_6_1)
{
	struct kernlog kl;
	check_golden("kernlog/oom-touch-6.1.console", &kl);
	cr_assert_eq(kl.n_oom, 1);
	const struct oom_event *ev = &kl.oom[0];
	cr_assert_str_eq(ev->invoker_comm, "touch");
	cr_assert_str_eq(ev->gfp_mask, "0x140dca");
	cr_assert_str_eq(ev->gfp_flags, "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO");
	cr_assert_eq(ev->order, 0);
	cr_assert_str_eq(ev->constraint, "CONSTRAINT_NONE");
	cr_assert_str_eq(ev->oom_kind, "global_oom");
	cr_assert_str_eq(ev->victim_comm, "touch");
	cr_assert_eq(ev->total_vm_kb, 184356);
	cr_assert_eq(ev->anon_rss_kb, 182456);
	cr_assert_eq(ev->pgtables_kb, 396);
	cr_assert_eq(ev->ts_us, 2017160);
	cr_assert(ev->killed);
	/* a global OOM: no group hit a limit, the victim ran in the root */
	cr_assert_str_eq(ev->oom_memcg, "");
	cr_assert_str_eq(ev->task_memcg, "/");
	cr_assert_eq(ev->memcg_usage_kb, -1);
	cr_assert_eq(kl.open_oom, -1);
	kernlog_free(&kl);
}

Test(kernlog, alloc_no_swap_6_1_huge_total_vm)
{
	struct kernlog kl;
	check_golden("kernlog/oom-alloc-6.1.console", &kl);
	const struct oom_event *ev = &kl.oom[0];
	/* the OOM was hit by PID 1 (immune) allocating slab, not by alloc */
	cr_assert_str_eq(ev->invoker_comm, "init");
	cr_assert_eq(ev->invoker_oom_score_adj, -1000);
	cr_assert_str_eq(ev->victim_comm, "alloc");
	cr_assert_gt(ev->total_vm_kb, 30LL * 1000 * 1000);
	cr_assert_gt(ev->pgtables_kb, 60000);
	cr_assert_lt(ev->anon_rss_kb, 130000);
	kernlog_free(&kl);
}

Test(kernlog, two_victims_by_oom_score_adj_6_1)
{
	struct kernlog kl;
	check_golden("kernlog/oom-adj-6.1.console", &kl);
	cr_assert_eq(kl.n_oom, 2);
	/* the +500 process dies first although the -500 one is four times bigger */
	cr_assert_str_eq(kl.oom[0].victim_comm, "hold");
	cr_assert_eq(kl.oom[0].victim_oom_score_adj, 500);
	cr_assert_str_eq(kl.oom[1].victim_comm, "touch");
	cr_assert_eq(kl.oom[1].victim_oom_score_adj, -500);
	cr_assert_eq(kl.oom[0].invoker_oom_score_adj, -500);
	cr_assert_gt(kl.oom[1].anon_rss_kb, 4 * kl.oom[0].anon_rss_kb);
	kernlog_free(&kl);
}

Test(kernlog, memcg_oom)
{
	struct kernlog kl;
	check_golden("kernlog/oom-memcg-6.12.console", &kl);
	cr_assert_str_eq(kl.oom[0].constraint, "CONSTRAINT_MEMCG");
	cr_assert_str_eq(kl.oom[0].oom_kind, "oom_memcg");
	cr_assert_str_eq(kl.oom[0].gfp_flags, "GFP_KERNEL");
	cr_assert(kl.oom[0].killed);
	/* "memory: usage 32768kB, limit 32768kB, failcnt 19" and memory.swap.max
	 * left at "max": PAGE_COUNTER_MAX pages in kB */
	cr_assert_str_eq(kl.oom[0].oom_memcg, "/t");
	cr_assert_str_eq(kl.oom[0].task_memcg, "/t");
	cr_assert_eq(kl.oom[0].memcg_usage_kb, 32768);
	cr_assert_eq(kl.oom[0].memcg_limit_kb, 32768);
	cr_assert_eq(kl.oom[0].memcg_failcnt, 19);
	cr_assert_eq(kl.oom[0].swap_usage_kb, 0);
	cr_assert_eq(kl.oom[0].swap_limit_kb, 9007199254740988LL);
	kernlog_free(&kl);
}

/* memory.max 64M, memory.swap.max 0: usage at the limit, to the kB */
Test(kernlog, memcg_max_6_1_and_6_12)
{
	static const char *const files[] = {"kernlog/memcg-max-6.1.console", "kernlog/memcg-max-6.1.kmsg",
					    "kernlog/memcg-max-6.12.console", "kernlog/memcg-max-6.12.kmsg"};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct kernlog kl;
		check_golden(files[i], &kl);
		cr_assert_eq(kl.n_oom, 1, "%s", files[i]);
		const struct oom_event *ev = &kl.oom[0];
		cr_assert_str_eq(ev->oom_memcg, "/a");
		cr_assert_str_eq(ev->task_memcg, "/a");
		cr_assert_eq(ev->memcg_usage_kb, 64 * 1024);
		cr_assert_eq(ev->memcg_limit_kb, 64 * 1024);
		cr_assert_eq(ev->memcg_failcnt, 19);
		cr_assert_eq(ev->swap_usage_kb, 0);
		cr_assert_eq(ev->swap_limit_kb, 0);
		cr_assert_str_eq(ev->oom_group, "");
		cr_assert(ev->killed);
		kernlog_free(&kl);
	}
}

/* memory.swap.max 32M on zram: "swap: usage 32768kB, limit 32768kB" */
Test(kernlog, memcg_swap_6_1_and_6_12)
{
	static const struct {
		const char *file;
		long long failcnt, swap_failcnt;
	} cases[] = {
		{"kernlog/memcg-swap-6.1.console", 8411, 2},
		{"kernlog/memcg-swap-6.1.kmsg", 8411, 2},
		{"kernlog/memcg-swap-6.12.console", 8339, 0},
		{"kernlog/memcg-swap-6.12.kmsg", 8339, 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct kernlog kl;
		check_golden(cases[i].file, &kl);
		cr_assert_eq(kl.n_oom, 1);
		const struct oom_event *ev = &kl.oom[0];
		cr_assert_str_eq(ev->oom_memcg, "/s");
		cr_assert_eq(ev->memcg_usage_kb, 65536);
		cr_assert_eq(ev->memcg_limit_kb, 65536);
		cr_assert_eq(ev->memcg_failcnt, cases[i].failcnt);
		cr_assert_eq(ev->swap_usage_kb, 32768);
		cr_assert_eq(ev->swap_limit_kb, 32768);
		cr_assert_eq(ev->swap_failcnt, cases[i].swap_failcnt);
		kernlog_free(&kl);
	}
}

/* memory.oom.group 1: the victim, then every other process of the group,
 * one event each; the kernel's second line for the victim is no event */
Test(kernlog, memcg_oom_group_6_1_and_6_12)
{
	static const struct {
		const char *file;
		int touch, hold;
	} cases[] = {
		{"kernlog/memcg-group-6.1.console", 80, 79},
		{"kernlog/memcg-group-6.1.kmsg", 80, 79},
		{"kernlog/memcg-group-6.12.console", 128, 127},
		{"kernlog/memcg-group-6.12.kmsg", 128, 127},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct kernlog kl;
		check_golden(cases[i].file, &kl);
		cr_assert_eq(kl.n_oom, 2, "%s", cases[i].file);
		cr_assert_eq(kl.oom[0].victim_pid, cases[i].touch);
		cr_assert_str_eq(kl.oom[0].invoker_comm, "touch");
		cr_assert_str_eq(kl.oom[0].oom_group, "/g");
		cr_assert_eq(kl.oom[0].group_member, 0);
		cr_assert_eq(kl.oom[1].victim_pid, cases[i].hold);
		cr_assert_str_eq(kl.oom[1].victim_comm, "hold");
		cr_assert_eq(kl.oom[1].group_member, 1);
		cr_assert_str_eq(kl.oom[1].oom_group, "/g");
		cr_assert_str_eq(kl.oom[1].oom_memcg, "/g");
		cr_assert_str_eq(kl.oom[1].oom_kind, "oom_memcg");
		cr_assert_str_eq(kl.oom[1].invoker_comm, "");
		cr_assert_eq(kl.oom[1].memcg_usage_kb, -1);
		cr_assert(kl.oom[0].killed && kl.oom[1].killed);
		cr_assert_eq(kl.open_oom, -1);
		kernlog_free(&kl);
	}
}

static void feed_lines(struct kernlog *kl, const char *const *lines, size_t n)
{
	kernlog_init(kl);
	for (size_t i = 0; i < n; i++)
		kernlog_feed(kl, i + 1, lines[i], strlen(lines[i]));
}

/* A path with a comma runs to the next field's name; a counter line takes
 * each number only after the right text, and only inside a report. */
Test(kernlog, memcg_lines_edges)
{
	static const char *const a[] = {
		"memory: usage 1kB, limit 2kB, failcnt 3", /* no report open: dropped */
		"x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"memory: usage 12kB, limit -5kB, failcnt 3",
		"swap: usage 7kB, limit 8kB failcnt 9",
		"Memory cgroup stats for /a,b:",
		"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/a,b,"
		"task_memcg=/a,b/c,task=x,pid=5,uid=0",
		"Memory cgroup out of memory: Killed process 5 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB, "
		"shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
		"Tasks in /a,b are going to be killed due to memory.oom.group set",
		"Memory cgroup out of memory: Killed process 5 (x) total-vm:1kB",
		"Memory cgroup out of memory: Killed process 6 (y) total-vm:2kB",
		"z invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"Memory cgroup out of memory: Killed process 7 (z) total-vm:3kB",
		"Memory cgroup out of memory: Killed process 8 (w) total-vm:3kB",
	};
	struct kernlog kl;
	feed_lines(&kl, a, ARRAY_SIZE(a));
	cr_assert_eq(kl.n_oom, 4);
	const struct oom_event *ev = &kl.oom[0];
	cr_assert_eq(ev->memcg_usage_kb, 12);
	cr_assert_eq(ev->memcg_limit_kb, -1); /* a sign is damage */
	cr_assert_eq(ev->memcg_failcnt, -1);
	cr_assert_eq(ev->swap_usage_kb, 7);
	cr_assert_eq(ev->swap_limit_kb, 8);
	cr_assert_eq(ev->swap_failcnt, -1);
	cr_assert_str_eq(ev->oom_memcg, "/a,b");
	cr_assert_str_eq(ev->task_memcg, "/a,b/c");
	cr_assert_str_eq(ev->oom_group, "/a,b");
	cr_assert_eq(kl.oom[1].victim_pid, 6);
	cr_assert_eq(kl.oom[1].group_member, 1);
	cr_assert_str_eq(kl.oom[1].oom_memcg, "/a,b");
	/* a new report ends the group's episode */
	cr_assert_eq(kl.oom[2].victim_pid, 7);
	cr_assert_eq(kl.oom[2].group_member, 0);
	cr_assert_eq(kl.oom[3].victim_pid, 8);
	cr_assert_eq(kl.oom[3].group_member, 0);
	kernlog_free(&kl);
	/* the stats line names the group when no "oom-kill:" line does */
	static const char *const b[] = {
		"x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"Memory cgroup stats for /q:",
	};
	feed_lines(&kl, b, ARRAY_SIZE(b));
	cr_assert_str_eq(kl.oom[0].oom_memcg, "/q");
	kernlog_free(&kl);
}

/* kmem sockets filled memory with unreclaimable slab: the OOM report lists
 * every cache ("Unreclaimable slab info:"); the largest are the datagrams
 * (kmalloc-cg-4k: unix sockets allocate with GFP_KERNEL_ACCOUNT) and
 * their sk_buffs, ~91% of MemTotal. */
Test(kernlog, unreclaimable_slab_6_1_and_6_12)
{
	static const struct {
		const char *file;
		int caches;
		long long total_kb, top_kb, skb_kb;
	} want[] = {
		{"kernlog/oom-kmem-sockets-6.1.console", 72, 184727, 169212, 10576},
		{"kernlog/oom-kmem-sockets-6.12.console", 77, 199495, 182356, 11396},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct kernlog kl;
		check_golden(want[i].file, &kl);
		cr_assert_eq(kl.n_oom, 1);
		const struct oom_event *ev = &kl.oom[0];
		cr_assert(ev->slab_dumped && ev->killed);
		cr_assert_eq(ev->n_slab_caches, want[i].caches);
		cr_assert_eq(ev->slab_total_kb, want[i].total_kb);
		cr_assert_eq(ev->n_slab, OOM_SLAB_TOP);
		cr_assert_str_eq(ev->slab[0].name, "kmalloc-cg-4k");
		cr_assert_eq(ev->slab[0].total_kb, want[i].top_kb);
		cr_assert_str_eq(ev->slab[1].name, "skbuff_head_cache");
		cr_assert_eq(ev->slab[1].used_kb, want[i].skb_kb);
		for (int k = 1; k < ev->n_slab; k++)
			cr_assert_geq(ev->slab[k - 1].total_kb, ev->slab[k].total_kb);
		kernlog_free(&kl);
	}
	/* the touch reports of both kernels have no such section */
	struct kernlog kl;
	check_golden("kernlog/oom-touch-6.12.console", &kl);
	cr_assert_eq(kl.oom[0].slab_dumped, 0);
	cr_assert_eq(kl.oom[0].n_slab, 0);
	cr_assert_eq(kl.oom[0].slab_total_kb, -1);
	kernlog_free(&kl);
}

/* The section ends at the first message that is not one of its lines: a
 * cache line after it counts for nothing; the largest OOM_SLAB_TOP stay,
 * ties in the kernel's order; a section outside a report is ignored. */
Test(kernlog, unreclaimable_slab_bounds)
{
	static const char *const msgs[] = {
		"Unreclaimable slab info:", /* no report open: ignored */
		"stray                 9KB          9KB",
		"a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"Unreclaimable slab info:",
		"Name                      Used          Total",
		"c1                        1KB          3KB",
		"c2                        2KB          7KB",
		"c3                        7KB          7KB",
		"c4 with space             0KB          1KB",
		"c5                        5KB          5KB",
		"c6                        9KB          9KB",
		"bad                      x1KB          2KB",
		"Tasks state (memory values in pages):",
		"after                   100KB        100KB",
		"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=a,pid=5,uid=0",
		"Out of memory: Killed process 5 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
	};
	struct kernlog kl;
	kernlog_init(&kl);
	for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		char *d = dup_exact(msgs[i], strlen(msgs[i]));
		kernlog_feed(&kl, i, d, strlen(msgs[i]));
		free(d);
	}
	cr_assert_eq(kl.n_oom, 1);
	struct slab_view v;
	slab_view_of(&kl.oom[0], &v);
	/* "bad" is not a cache line, but a line of the section all the same */
	cr_assert_eq(v.n_slab_caches, 6);
	cr_assert_eq(v.slab_total_kb, 32);
	cr_assert_str_eq(v.top, "c6:9:9,c2:2:7,c3:7:7,c5:5:5,c1:1:3");
	cr_assert_eq(kl.in_slab, 0);
	kernlog_free(&kl);
}

/* A cache line whose name holds a NUL (a damaged console: what the
 * kmem fuzz target found) is not a cache: a report never names one with
 * an empty or cut name. */
Test(kernlog, unreclaimable_slab_name_with_nul)
{
	static const char open_[] = "a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0";
	static const char start[] = "Unreclaimable slab info:";
	static const char c1[] = "c1                        1KB          3KB";
	static const char nul[] = "\0\0 8.376646] bio-248   $    8KB          8KB";
	static const char mid[] = "c2\0x                      2KB          4KB";
	struct kernlog kl;
	kernlog_init(&kl);
	kernlog_feed(&kl, 1, open_, sizeof open_ - 1);
	kernlog_feed(&kl, 2, start, sizeof start - 1);
	kernlog_feed(&kl, 3, c1, sizeof c1 - 1);
	kernlog_feed(&kl, 4, nul, sizeof nul - 1);
	kernlog_feed(&kl, 5, mid, sizeof mid - 1);
	cr_assert_eq(kl.n_oom, 1);
	struct slab_view v;
	slab_view_of(&kl.oom[0], &v);
	cr_expect_eq(v.n_slab_caches, 1);
	cr_expect_eq(v.slab_total_kb, 3);
	cr_expect_str_eq(v.top, "c1:1:3");
	kernlog_free(&kl);
}

Test(kernlog, reaper_6_1_and_6_12)
{
	static const char *const files[] = {"kernlog/oom-reaper-6.1.console", "kernlog/oom-reaper-6.12.console",
					    "kernlog/oom-reaper-6.12.kmsg"};
	for (size_t i = 0; i < 3; i++) {
		struct kernlog kl;
		check_golden(files[i], &kl);
		cr_assert_eq(kl.n_oom, 1);
		cr_assert(kl.oom[0].killed);
		cr_assert(kl.oom[0].reaped, "%s", files[i]);
		kernlog_free(&kl);
	}
}

/* The reaper gave up (kernlog/oom-unreaped-6.1.console, written from the
 * kernel's format string: its header says why): the victim's event gets
 * the line's time, and is not reaped; sched_show_task's lines after it
 * are nobody's. */
Test(kernlog, reaper_gave_up)
{
	struct kernlog kl;
	check_golden("kernlog/oom-unreaped-6.1.console", &kl);
	cr_assert_eq(kl.n_oom, 1);
	cr_assert(kl.oom[0].killed);
	cr_assert_not(kl.oom[0].reaped);
	cr_assert(kl.oom[0].reap_failed);
	cr_assert_eq(kl.oom[0].reap_failed_ts_us, 7193064);
	cr_assert_eq(kl.findings.n, 0);
	kernlog_free(&kl);
	/* another pid, a sign, no " (comm)", an event without a kill: nothing */
	static const char inv[] = "a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0";
	static const char kil[] = "Out of memory: Killed process 77 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, "
				  "shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0";
	static const char *const no[] = {"oom_reaper: unable to reap pid:78 (a)", "oom_reaper: unable to reap pid:-1 (a)",
					 "oom_reaper: unable to reap pid:+77 (a)", "oom_reaper: unable to reap pid:77",
					 "oom_reaper: unable to reap pid:77(a)"};
	kernlog_init(&kl);
	kernlog_feed(&kl, 1, inv, sizeof inv - 1);
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		kernlog_feed(&kl, 2, no[i], strlen(no[i]));
	cr_assert_eq(kl.n_oom, 1);
	cr_assert_not(kl.oom[0].reap_failed, "an event without a kill");
	kernlog_feed(&kl, 3, kil, sizeof kil - 1);
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		kernlog_feed(&kl, 4, no[i], strlen(no[i]));
	cr_assert_not(kl.oom[0].reap_failed, "%s", kl.oom[0].victim_comm);
	static const char yes[] = "oom_reaper: unable to reap pid:77 (a) total-vm:1kB)";
	kernlog_feed(&kl, 5, yes, sizeof yes - 1);
	cr_assert(kl.oom[0].reap_failed);
	cr_assert_eq(kl.oom[0].reap_failed_ts_us, 5);
	cr_assert_not(kl.oom[0].reaped);
	kernlog_free(&kl);
}

Test(kernlog, panic_on_oom)
{
	struct kernlog kl;
	check_golden("kernlog/oom-panic-6.1.console", &kl);
	cr_assert(kl.panic);
	cr_assert_str_eq(kl.panic_msg, "Out of memory: system-wide panic_on_oom is enabled");
	cr_assert_eq(kl.n_oom, 1);
	cr_assert_not(kl.oom[0].killed); /* invoked, then panic: nobody killed */
	kernlog_free(&kl);
}

Test(kernlog, allocation_failure_and_warning)
{
	struct kernlog kl;
	check_golden("kernlog/allocfail-6.12.console", &kl);
	cr_assert_eq(kl.n_warn, 1);
	cr_assert_eq(kl.n_af, 1);
	cr_assert_str_eq(kl.af[0].comm, "init");
	cr_assert_eq(kl.af[0].order, 10);
	cr_assert_str_eq(kl.af[0].mode, "0x40cc0");
	cr_assert_str_eq(kl.af[0].mode_flags, "GFP_KERNEL|__GFP_COMP");
	cr_assert_eq(kl.n_oom, 0);
	kernlog_free(&kl);
}

Test(kernlog, oops_and_bug_lines)
{
	struct kernlog kl;
	check_golden("kernlog/oops-6.1rc3-iavf.console", &kl);
	cr_assert_eq(kl.n_oops, 2); /* "BUG: kernel NULL pointer..." and "Oops: 0002 [#1]" */
	kernlog_free(&kl);
	/* newer kernels print "Oops: Oops: ..." (line from the 6.17 report quoted
	 * in the openvswitch fix "net: openvswitch: fix nested key length
	 * validation in the set() action"): still one line */
	kernlog_init(&kl);
	static const char l[] = "Oops: Oops: 0000 [#1] SMP NOPTI";
	kernlog_feed(&kl, 1, l, sizeof l - 1);
	cr_assert_eq(kl.n_oops, 1);
	kernlog_free(&kl);
}

/* The console and kmsg captures of the same boot agree. */
Test(kernlog, console_and_kmsg_forms_agree)
{
	static const char *const pairs[][2] = {
		{"kernlog/oom-touch-6.1.console", "kernlog/oom-touch-6.1.kmsg"},
		{"kernlog/oom-touch-6.12.console", "kernlog/oom-touch-6.12.kmsg"},
		{"kernlog/oom-adj-6.1.console", "kernlog/oom-adj-6.1.kmsg"},
		{"kernlog/oom-memcg-6.12.console", "kernlog/oom-memcg-6.12.kmsg"},
		{"kernlog/memcg-max-6.1.console", "kernlog/memcg-max-6.1.kmsg"},
		{"kernlog/memcg-max-6.12.console", "kernlog/memcg-max-6.12.kmsg"},
		{"kernlog/memcg-group-6.1.console", "kernlog/memcg-group-6.1.kmsg"},
		{"kernlog/memcg-group-6.12.console", "kernlog/memcg-group-6.12.kmsg"},
		{"kernlog/memcg-swap-6.1.console", "kernlog/memcg-swap-6.1.kmsg"},
		{"kernlog/memcg-swap-6.12.console", "kernlog/memcg-swap-6.12.kmsg"},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		struct kernlog a, b;
		check_golden(pairs[i][0], &a);
		check_golden(pairs[i][1], &b);
		cr_assert_eq(a.n_oom, b.n_oom);
		cr_assert_eq(a.n_af, b.n_af);
		for (size_t k = 0; k < a.n_oom; k++)
			cr_assert(memcmp(&a.oom[k], &b.oom[k], sizeof a.oom[k]) == 0, "%s oom[%zu] differs", pairs[i][0], k);
		kernlog_free(&a);
		kernlog_free(&b);
	}
}

/* Feeding a console capture line by line gives what the whole buffer gives,
 * and "a Killed process line" agrees with "a killed event". */
Test(kernlog, line_by_line_equals_buffer)
{
	struct golden g;
	golden_load("kernlog/oom-adj-6.12.console", &g);
	struct kernlog whole, lines;
	kernlog_init(&whole);
	kernlog_feed_console(&whole, g.body, g.body_len);
	kernlog_init(&lines);
	int killed_lines = 0;
	for (const char *p = g.body, *end = g.body + g.body_len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl + 1 : end;
		char *c = dup_exact(p, (size_t)(le - p));
		kernlog_feed_console(&lines, c, (size_t)(le - p));
		if (memmem(p, (size_t)(le - p), ": Killed process ", 17))
			killed_lines++;
		free(c);
		p = le;
	}
	cr_assert_eq(whole.n_oom, lines.n_oom);
	cr_assert(memcmp(whole.oom, lines.oom, whole.n_oom * sizeof *whole.oom) == 0);
	int killed = 0;
	for (size_t i = 0; i < whole.n_oom; i++)
		killed += whole.oom[i].killed;
	cr_assert_eq(killed, killed_lines);
	kernlog_free(&whole);
	kernlog_free(&lines);
	golden_free(&g);
}

/* The OOM report of a capture, from "invoked" to "Killed", as a copy. */
static char *report_of(const struct golden *g, size_t *n)
{
	const char *a = memmem(g->body, g->body_len, "invoked oom-killer", 18);
	cr_assert(a);
	while (a > g->body && a[-1] != '\n')
		a--;
	const char *k = memmem(a, g->body_len - (size_t)(a - g->body), "Killed process", 14);
	cr_assert(k);
	const char *e = memchr(k, '\n', g->body_len - (size_t)(k - g->body));
	cr_assert(e);
	*n = (size_t)(e + 1 - a);
	return dup_exact(a, *n);
}

/* The log may start in the middle of a report (ring buffer overwritten,
 * late reader): the Killed line alone still yields an event. */
Test(kernlog, starts_mid_report)
{
	struct golden g;
	golden_load("kernlog/oom-touch-6.1.console", &g);
	size_t n;
	char *r = report_of(&g, &n);
	const char *from[] = {"oom-kill:constraint", "Out of memory: Killed"};
	for (int i = 0; i < 2; i++) {
		const char *s = memmem(r, n, from[i], strlen(from[i]));
		cr_assert(s);
		while (s > r && s[-1] != '\n')
			s--;
		struct kernlog kl;
		kernlog_init(&kl);
		kernlog_feed_console(&kl, s, n - (size_t)(s - r));
		cr_assert_eq(kl.n_oom, 1);
		cr_assert(kl.oom[0].killed);
		cr_assert_eq(kl.oom[0].victim_pid, 80);
		cr_assert_str_eq(kl.oom[0].victim_comm, "touch");
		cr_assert_str_eq(kl.oom[0].invoker_comm, "");
		cr_assert_eq(kl.oom[0].order, -1);
		cr_assert_str_eq(kl.oom[0].constraint, i == 0 ? "CONSTRAINT_NONE" : "");
		cr_assert_eq(kl.oom[0].total_vm_kb, 184356);
		kernlog_free(&kl);
	}
	free(r);
	golden_free(&g);
}

/* Every prefix of a real report parses without reading past its end; the
 * event is killed only once the Killed line is complete. */
Test(kernlog, every_prefix_of_a_report)
{
	struct golden g;
	golden_load("kernlog/oom-reaper-6.12.console", &g);
	size_t n;
	char *r = report_of(&g, &n);
	for (size_t cut = 0; cut <= n; cut++) {
		char *c = dup_exact(r, cut);
		struct kernlog kl;
		kernlog_init(&kl);
		kernlog_feed_console(&kl, c, cut);
		cr_assert_leq(kl.n_oom, 1);
		if (cut == n) {
			cr_assert(kl.oom[0].killed);
			cr_assert_eq(kl.oom[0].shmem_rss_kb, 484);
			cr_assert_eq(kl.oom[0].pgtables_kb, 424);
			cr_assert_eq(kl.oom[0].victim_oom_score_adj, 0);
		}
		kernlog_free(&kl);
		free(c);
	}
	free(r);
	golden_free(&g);
}

/* Real lines with the comm replaced by awkward ones (a comm may hold
 * spaces, parentheses, commas and colons). */
Test(kernlog, awkward_comms)
{
	struct kernlog kl;
	kernlog_init(&kl);
	static const char inv[] = "Web (Content): x invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=200";
	static const char okl[] = "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/a,task=/b,task=a,pid=1,pid=77,uid=1000";
	static const char kil[] = "Out of memory: Killed process 77 (a) total-vm:1kB) total-vm:184356kB, anon-rss:182456kB, file-rss:0kB, shmem-rss:552kB, UID:1000 pgtables:396kB oom_score_adj:200";
	kernlog_feed(&kl, 5, inv, sizeof inv - 1);
	kernlog_feed(&kl, 6, okl, sizeof okl - 1);
	cr_assert_str_eq(kl.oom[0].victim_comm, "a,pid=1");
	cr_assert_eq(kl.oom[0].victim_pid, 77);
	kernlog_feed(&kl, 7, kil, sizeof kil - 1);
	cr_assert_eq(kl.n_oom, 1);
	const struct oom_event *ev = &kl.oom[0];
	cr_assert_str_eq(ev->invoker_comm, "Web (Content): x");
	cr_assert_eq(ev->invoker_oom_score_adj, 200);
	cr_assert_eq(ev->ts_us, 5);
	cr_assert_str_eq(ev->victim_comm, "a) total-vm:1kB");
	cr_assert_eq(ev->total_vm_kb, 184356);
	cr_assert_eq(ev->victim_uid, 1000);
	cr_assert_eq(ev->victim_oom_score_adj, 200);
	/* reaper for another pid: ignored; for 77: marks the event */
	static const char r1[] = "oom_reaper: reaped process 78 (x), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB";
	static const char r2[] = "oom_reaper: reaped process 77 (a) total-vm:1kB), now anon-rss:0kB, file-rss:0kB, shmem-rss:4kB";
	kernlog_feed(&kl, 8, r1, sizeof r1 - 1);
	cr_assert_not(kl.oom[0].reaped);
	cr_assert_eq(kl.oom[0].reaped_ts_us, 0);
	cr_assert_eq(kl.oom[0].reaped_anon_rss_kb, -1);
	kernlog_feed(&kl, 9, r2, sizeof r2 - 1);
	cr_assert(kl.oom[0].reaped);
	/* its time, and what is left, read after the comm */
	cr_assert_eq(kl.oom[0].reaped_ts_us, 9);
	cr_assert_eq(kl.oom[0].reaped_anon_rss_kb, 0);
	cr_assert_eq(kl.oom[0].reaped_file_rss_kb, 0);
	cr_assert_eq(kl.oom[0].reaped_shmem_rss_kb, 4);
	/* a comm that spells the fixed text: the last "), now " holds the numbers */
	static const char r3[] = "oom_reaper: reaped process 77 (x), now anon-rss:9kB), now anon-rss:1kB, file-rss:2kB, shmem-rss:3kB";
	kernlog_feed(&kl, 10, r3, sizeof r3 - 1);
	cr_assert_eq(kl.oom[0].reaped_ts_us, 10);
	cr_assert_eq(kl.oom[0].reaped_anon_rss_kb, 1);
	cr_assert_eq(kl.oom[0].reaped_file_rss_kb, 2);
	cr_assert_eq(kl.oom[0].reaped_shmem_rss_kb, 3);
	/* a second Killed line without its own "invoked" line: a new event */
	kernlog_feed(&kl, 10, kil, sizeof kil - 1);
	cr_assert_eq(kl.n_oom, 2);
	cr_assert_eq(kl.oom[1].ts_us, 10);
	/* old kernels' "sharing same memory" lines are not kills */
	static const char sh[] = "Killed process 78 (x) sharing same memory";
	kernlog_feed(&kl, 11, sh, sizeof sh - 1);
	cr_assert_eq(kl.n_oom, 2);
	/* sysrq-f form: no flags, order -1 */
	static const char sysrq[] = "kworker/0:1 invoked oom-killer: gfp_mask=0xcc0(), order=-1, oom_score_adj=0";
	kernlog_feed(&kl, 12, sysrq, sizeof sysrq - 1);
	cr_assert_eq(kl.n_oom, 3);
	cr_assert_str_eq(kl.oom[2].gfp_mask, "0xcc0");
	cr_assert_str_eq(kl.oom[2].gfp_flags, "");
	cr_assert_eq(kl.oom[2].order, -1);
	cr_assert_eq(kl.open_oom, 2);
	kernlog_free(&kl);
	cr_assert_null(kl.oom);
	cr_assert_eq(kl.n_oom, 0);
	kernlog_free(&kl);
	kernlog_free(NULL);
}

Test(kernlog, console_prefixes)
{
	/* a real 6.12 line behind a syslog priority (dmesg -r), with a
	 * CONFIG_PRINTK_CALLER id, with CRLF, and with a short fraction */
	static const char in[] =
		"<4>[    2.229813] touch: page allocation failure: order:0, mode:0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), nodemask=(null),cpuset=/,mems_allowed=0\r\n"
		"[    2.229971][  T124] WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:4832 __alloc_pages_noprof+0x303/0x310\r\n"
		"[   12.5] Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled  \n"
		"Kernel panic - not syncing: second panic is ignored\n"
		"[ 1.2.3] broken prefix";
	struct kernlog kl;
	kernlog_init(&kl);
	char *b = dup_exact(in, sizeof in - 1);
	kernlog_feed_console(&kl, b, sizeof in - 1);
	cr_assert_eq(kl.n_af, 1);
	cr_assert_eq(kl.af[0].ts_us, 2229813);
	cr_assert_str_eq(kl.af[0].comm, "touch");
	cr_assert_eq(kl.n_warn, 1);
	cr_assert(kl.panic);
	cr_assert_eq(kl.panic_ts_us, 12500000);
	cr_assert_str_eq(kl.panic_msg, "Out of memory: system-wide panic_on_oom is enabled");
	free(b);
	kernlog_free(&kl);
}

Test(kernlog, garbage_does_not_crash)
{
	static const char *const frags[] = {
		" invoked oom-killer: ", "gfp_mask=0x", "(", ")", ", order=", "oom-kill:", "constraint=", ",task=",
		",pid=", ",uid=", "Out of memory: Killed process ", "1", "-", " (", ") total-vm:", "kB, ",
		"oom_reaper: reaped process ", "oom_reaper: unable to reap pid:", ": page allocation failure: order:", "mode:0x", "Kernel panic - not syncing: ",
		"Oops:", "BUG:", "WARNING: CPU: ", "[", "    1.5", "]", "\n", "99999999999999999999999", ",global_oom",
	};
	unsigned s = 7;
	for (int round = 0; round < 2000; round++) {
		char buf[512];
		size_t n = 0;
		int parts = (int)(s % 12);
		for (int i = 0; i < parts; i++) {
			s = s * 1103515245u + 12345u;
			const char *f = frags[(s >> 16) % (sizeof frags / sizeof frags[0])];
			size_t fl = strlen(f);
			if (n + fl > sizeof buf)
				break;
			memcpy(buf + n, f, fl);
			n += fl;
		}
		s = s * 1103515245u + 12345u;
		char *b = dup_exact(buf, n);
		struct kernlog kl;
		kernlog_init(&kl);
		kernlog_feed_console(&kl, b, n);
		kernlog_feed(&kl, 0, b, n);
		for (size_t i = 0; i < kl.n_oom; i++)
			cr_assert_lt(strlen(kl.oom[i].victim_comm), COMM_MAX);
		kernlog_free(&kl);
		free(b);
	}
}

/* ---- /dev/kmsg records ---- */

Test(kmsg, real_records)
{
	/* records as read from /dev/kmsg on 6.1 (tests/golden/kernlog/oom-reaper-6.1 run) */
	static const char r1[] = "3,401,4176591,-;Out of memory: Killed process 79 (touch) total-vm:184356kB, anon-rss:182452kB, file-rss:0kB, shmem-rss:552kB, UID:0 pgtables:396kB oom_score_adj:0\n";
	static const char r2[] = "6,174,493775,-;acpi PNP0A03:00: _OSC: OS supports [ASPM ClockPM Segments MSI HPX-Type3]\n SUBSYSTEM=acpi\n DEVICE=+acpi:PNP0A03:00\n";
	struct kmsg_rec k;
	char *b = dup_exact(r1, sizeof r1 - 1);
	cr_assert_eq(parse_kmsg_record(b, sizeof r1 - 1, &k), 0);
	cr_assert_eq(k.level, 3);
	cr_assert_eq(k.facility, 0);
	cr_assert_eq(k.seq, 401);
	cr_assert_eq(k.ts_us, 4176591);
	cr_assert_eq(k.text_len, sizeof r1 - 1 - 16 - 1);
	cr_assert(memcmp(k.text, "Out of memory: Killed", 21) == 0);
	free(b);
	b = dup_exact(r2, sizeof r2 - 1);
	cr_assert_eq(parse_kmsg_record(b, sizeof r2 - 1, &k), 0);
	cr_assert_eq(k.level, 6);
	cr_assert_eq(k.seq, 174);
	cr_assert(k.text_len == strlen("acpi PNP0A03:00: _OSC: OS supports [ASPM ClockPM Segments MSI HPX-Type3]"));
	free(b);
	/* user-space facility (prio 14 = user.info), CONFIG_PRINTK_CALLER field, no newline */
	static const char r3[] = "14,7,1000,c,caller=T1;hello";
	cr_assert_eq(parse_kmsg_record(r3, sizeof r3 - 1, &k), 0);
	cr_assert_eq(k.facility, 1);
	cr_assert_eq(k.level, 6);
	cr_assert_eq(k.text_len, 5);
	/* empty text */
	cr_assert_eq(parse_kmsg_record("6,1,2,-;\n", 9, &k), 0);
	cr_assert_eq(k.text_len, 0);
}

Test(kmsg, malformed)
{
	static const char *const bad[] = {
		"", "abc", "4,1;x", "4,1,2", "4,1,2,-", ";x", "4,,2,-;x", "-4,1,2,-;x", "4,1,2x-;x",
		"99999999999,1,2,-;x", "4,1,99999999999999999999999,-;x", "4,1,2,-\n;x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct kmsg_rec k;
		char *b = dup_exact(bad[i], strlen(bad[i]));
		cr_assert_eq(parse_kmsg_record(b, strlen(bad[i]), &k), -1, "accepted \"%s\"", bad[i]);
		free(b);
	}
	/* every prefix of a real record */
	static const char r[] = "4,351,4171012,-;touch invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=0\n";
	for (size_t cut = 0; cut < sizeof r; cut++) {
		struct kmsg_rec k;
		char *b = dup_exact(r, cut);
		int rc = parse_kmsg_record(b, cut, &k);
		cr_assert_eq(rc, cut >= 16 ? 0 : -1, "cut %zu", cut);
		if (rc == 0)
			cr_assert(k.text + k.text_len <= b + cut);
		free(b);
	}
}
