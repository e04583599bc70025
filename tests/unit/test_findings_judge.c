// SPDX-License-Identifier: GPL-2.0-or-later
/* A cell's kernel findings, judged (judge/findings.h): which log they come
 * from, the allow list (kind word or exact title, the entry that matched),
 * the judged findings a stall appends, and the verdict with its reason. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "judge/findings.h"
#include "lib/util.h"
#include "lib/vocab.h"

/* A finding as the parser makes one. */
static struct finding mk(enum finding_kind kind, const char *title, unsigned long long ts, int count)
{
	struct finding f;
	memset(&f, 0, sizeof f);
	f.kind = kind;
	snprintf(f.title, sizeof f.title, "%s", title);
	f.ts_us = ts;
	f.count = count;
	snprintf(f.frames[0], sizeof f.frames[0], "%s", "__alloc_pages_slowpath");
	snprintf(f.frames[1], sizeof f.frames[1], "%s", "__alloc_pages");
	f.n_frames = 2;
	f.raw_len = (size_t)snprintf(f.raw, sizeof f.raw, "%s\nCall Trace:", title);
	return f;
}

static struct findings fset(struct finding *f, size_t n)
{
	struct findings fs;
	memset(&fs, 0, sizeof fs);
	fs.f = f;
	fs.n = fs.cap = n;
	fs.open = -1;
	return fs;
}

/* A cell whose allow list is the given strings (NULL-terminated). */
static struct cell_spec cell(const char *const *allow)
{
	struct cell_spec cs;
	memset(&cs, 0, sizeof cs);
	while (allow && allow[cs.n_allow])
		cs.n_allow++;
	cs.allow = (char **)allow;
	return cs;
}

static const char *judge(const struct cell_findings *cf, enum verdict *v, struct buf *why)
{
	buf_free(why);
	cell_findings_judge(cf, v, why);
	return why->data ? why->data : "";
}

Test(findings_judge, kind_word_or_exact_title_and_the_entry_that_matched)
{
	static const char *const allow[] = {"WARNING in shrink_folio_list", "alloc_failure",
					    "INFO: task hung in folio_wait_bit_common", NULL};
	struct cell_spec cs = cell(allow);
	struct finding f[] = {
		mk(FK_ALLOC_FAILURE, "page allocation failure in pagefrag", 1000, 37),
		mk(FK_WARNING, "WARNING in shrink_folio_list", 2000, 1),
		mk(FK_WARNING, "WARNING in __alloc_pages_slowpath", 3000, 2),
		mk(FK_HUNG_TASK, "INFO: task hung in folio_wait_bit_common", 4000, 1),
		/* a title is matched whole: a prefix or another case is not it */
		mk(FK_HUNG_TASK, "INFO: task hung in folio_wait_bit", 5000, 1),
		mk(FK_WARNING, "warning in shrink_folio_list", 6000, 1),
	};
	struct findings log = fset(f, ARRAY_SIZE(f));
	struct cell_findings cf;
	cell_findings_collect(&cs, &log, NULL, &cf);
	cr_assert_eq(cf.n, 6);
	static const struct {
		int allowed;
		const char *by;
	} want[] = {
		{1, "alloc_failure"},
		{1, "WARNING in shrink_folio_list"},
		{0, NULL},
		{1, "INFO: task hung in folio_wait_bit_common"},
		{0, NULL},
		{0, NULL},
	};
	for (size_t i = 0; i < cf.n; i++) {
		cr_expect_str_eq(cf.f[i].f.title, f[i].title, "finding %zu", i);
		cr_expect_eq(cf.f[i].allowed, want[i].allowed, "finding %zu", i);
		if (want[i].by)
			cr_expect_str_eq(cf.f[i].allowed_by, want[i].by, "finding %zu", i);
		else
			cr_expect_null(cf.f[i].allowed_by, "finding %zu", i);
	}
	/* the entry is the cell's own string, and the parser's fields are kept */
	cr_expect_eq(cf.f[0].allowed_by, allow[1]);
	cr_expect_eq(cf.f[0].f.count, 37);
	cr_expect_eq(cf.f[0].f.n_frames, 2);
	cr_expect_str_eq(cf.f[0].f.frames[1], "__alloc_pages");
	cr_expect_str_eq(cf.f[0].f.raw, "page allocation failure in pagefrag\nCall Trace:");
	size_t first;
	cr_expect_eq(cell_findings_not_allowed(&cf, &first), 3);
	cr_expect_eq(first, 2);
	enum verdict v = V_PASS;
	struct buf why = {0};
	cr_expect_str_eq(judge(&cf, &v, &why), "kernel finding: WARNING in __alloc_pages_slowpath (+2 more)");
	cr_expect_eq(v, V_FAIL);
	buf_free(&why);
	cell_findings_free(&cf);
	cell_findings_free(&cf); /* idempotent */
}

Test(findings_judge, the_first_entry_that_matches_is_recorded)
{
	static const char *const allow[] = {"warning", "WARNING in foo", NULL};
	struct cell_spec cs = cell(allow);
	cr_expect_eq(cell_allow_match(&cs, FK_WARNING, "WARNING in foo"), allow[0]);
	static const char *const rev[] = {"WARNING in foo", "warning", NULL};
	cs = cell(rev);
	cr_expect_eq(cell_allow_match(&cs, FK_WARNING, "WARNING in foo"), rev[0]);
	cr_expect_eq(cell_allow_match(&cs, FK_WARNING, "WARNING in bar"), rev[1]);
	/* a kind word allows its kind only */
	cr_expect_null(cell_allow_match(&cs, FK_BUG, "WARNING in bar"));
	cs = cell(NULL);
	cr_expect_null(cell_allow_match(&cs, FK_WARNING, "WARNING in foo"));
}

Test(findings_judge, every_kind_word_allows_its_own_kind_only)
{
	for (int k = 0; k < FINDING_KIND_COUNT; k++) {
		const char *allow[] = {finding_kind_table[k].word, NULL};
		struct cell_spec cs = cell(allow);
		for (int j = 0; j < FINDING_KIND_COUNT; j++) {
			const char *m = cell_allow_match(&cs, (enum finding_kind)j, "X in y");
			if (j == k)
				cr_expect_eq(m, allow[0], "%s", allow[0]);
			else
				cr_expect_null(m, "%s allows %s", allow[0], finding_kind_table[j].word);
		}
	}
}

Test(findings_judge, none_or_all_allowed_leaves_the_verdict)
{
	static const char *const allow[] = {"alloc_failure", NULL};
	struct cell_spec cs = cell(allow);
	struct finding f[] = {mk(FK_ALLOC_FAILURE, "page allocation failure in pagefrag", 10, 3)};
	struct findings log = fset(f, 1);
	struct cell_findings cf;
	cell_findings_collect(&cs, &log, NULL, &cf);
	static const enum verdict vs[] = {V_PASS, V_SKIP, V_FAIL, V_BROK};
	struct buf why = {0};
	for (size_t i = 0; i < ARRAY_SIZE(vs); i++) {
		enum verdict v = vs[i];
		cr_expect_str_eq(judge(&cf, &v, &why), "");
		cr_expect_eq(v, vs[i]);
	}
	cell_findings_free(&cf);
	struct findings none = fset(NULL, 0);
	cell_findings_collect(&cs, &none, NULL, &cf);
	cr_expect_eq(cf.n, 0);
	enum verdict v = V_PASS;
	cr_expect_eq(cell_findings_judge(&cf, &v, &why), 0);
	cr_expect_eq(v, V_PASS);
	cell_findings_free(&cf);
	buf_free(&why);
}

/* Not allowed: PASS and SKIP become FAIL, BROK stays BROK (the cell
 * could not be judged; the finding still is its reason). */
Test(findings_judge, not_allowed_is_at_least_fail)
{
	struct cell_spec cs = cell(NULL);
	struct finding f[] = {mk(FK_SOFT_LOCKUP, "BUG: soft lockup in clear_page_erms", 10, 1)};
	struct findings log = fset(f, 1);
	struct cell_findings cf;
	cell_findings_collect(&cs, &log, NULL, &cf);
	static const enum verdict from[] = {V_PASS, V_SKIP, V_FAIL, V_BROK};
	static const enum verdict to[] = {V_FAIL, V_FAIL, V_FAIL, V_BROK};
	struct buf why = {0};
	for (size_t i = 0; i < ARRAY_SIZE(from); i++) {
		enum verdict v = from[i];
		cr_expect_str_eq(judge(&cf, &v, &why), "kernel finding: BUG: soft lockup in clear_page_erms");
		cr_expect_eq(v, to[i], "from %s", verdict_name(from[i]));
	}
	buf_free(&why);
	cell_findings_free(&cf);
}

/* The console's findings join only for titles the log lacks, in time
 * order with the log's. */
Test(findings_judge, console_adds_the_titles_the_log_lacks)
{
	struct cell_spec cs = cell(NULL);
	struct finding k[] = {mk(FK_WARNING, "WARNING in foo", 2000, 1), mk(FK_HUNG_TASK, "INFO: task hung in bar", 9000, 1)};
	struct finding c[] = {mk(FK_WARNING, "WARNING in foo", 2000, 1), mk(FK_SOFT_LOCKUP, "BUG: soft lockup in baz", 5000, 1),
			      mk(FK_OOPS, "Oops in qux", 12000, 1)};
	struct findings log = fset(k, 2), con = fset(c, 3);
	struct cell_findings cf;
	cell_findings_collect(&cs, &log, &con, &cf);
	static const char *const want[] = {"WARNING in foo", "BUG: soft lockup in baz", "INFO: task hung in bar",
					   "Oops in qux"};
	cr_assert_eq(cf.n, ARRAY_SIZE(want));
	for (size_t i = 0; i < cf.n; i++)
		cr_expect_str_eq(cf.f[i].f.title, want[i], "finding %zu", i);
	enum verdict v = V_PASS;
	struct buf why = {0};
	cr_expect_str_eq(judge(&cf, &v, &why), "kernel finding: WARNING in foo (+3 more)");
	cell_findings_free(&cf);
	/* the same log twice is read once */
	cell_findings_collect(&cs, &log, &log, &cf);
	cr_expect_eq(cf.n, 2);
	cell_findings_free(&cf);
	buf_free(&why);
}

/* A stall is appended by the judge at its place in time, judged against
 * allow, or allowed by what the caller says (a workload expecting it). */
Test(findings_judge, a_judged_finding_is_appended_in_time_order)
{
	static const char *const allow[] = {"warning", NULL};
	struct cell_spec cs = cell(allow);
	struct finding f[] = {mk(FK_WARNING, "WARNING in foo", 2000, 1), mk(FK_WARNING, "WARNING in bar", 8000, 1)};
	struct findings log = fset(f, 2);
	struct cell_findings cf;
	cell_findings_collect(&cs, &log, NULL, &cf);
	struct cell_finding *s = cell_findings_add(&cf, &cs, FK_STALL, "stall in touch", 5000, NULL);
	cr_expect_str_eq(s->f.title, "stall in touch");
	cr_expect_eq(s->f.kind, FK_STALL);
	cr_expect_eq(s->f.ts_us, 5000);
	cr_expect_eq(s->f.count, 1);
	cr_expect_eq(s->f.n_frames, 0);
	cr_expect_eq(s->f.raw_len, 0);
	cr_expect_eq(s->allowed, 0);
	cr_assert_eq(cf.n, 3);
	cr_expect_str_eq(cf.f[1].f.title, "stall in touch");
	cr_expect_str_eq(cf.f[2].f.title, "WARNING in bar");
	enum verdict v = V_PASS;
	struct buf why = {0};
	cr_expect_str_eq(judge(&cf, &v, &why), "kernel finding: stall in touch");
	cr_expect_eq(v, V_FAIL);
	/* expected by its workload: allowed by what the caller names */
	s = cell_findings_add(&cf, &cs, FK_STALL, "stall in alloc", 8000, "expect: stalled");
	cr_expect_eq(s->allowed, 1);
	cr_expect_str_eq(s->allowed_by, "expect: stalled");
	cr_expect_str_eq(cf.f[3].f.title, "stall in alloc"); /* after the equal time */
	/* allowed by the matrix */
	static const char *const st[] = {"stall", NULL};
	struct cell_spec cs2 = cell(st);
	s = cell_findings_add(&cf, &cs2, FK_STALL, "stall in frag", 0, NULL);
	cr_expect_eq(s->allowed, 1);
	cr_expect_eq(s->allowed_by, st[0]);
	cr_expect_str_eq(cf.f[0].f.title, "stall in frag");
	v = V_PASS;
	cr_expect_str_eq(judge(&cf, &v, &why), "kernel finding: stall in touch");
	/* a long title is cut to the title's room */
	char longt[400];
	memset(longt, 'x', sizeof longt - 1);
	longt[sizeof longt - 1] = 0;
	longt[5] = ' ';
	s = cell_findings_add(&cf, &cs, FK_STALL, longt, 9000, NULL);
	cr_expect_eq(strlen(s->f.title), FINDING_TITLE_MAX - 1);
	buf_free(&why);
	cell_findings_free(&cf);
}

static struct finding with_raw(enum finding_kind k, const char *raw, unsigned long long ts)
{
	struct finding f = mk(k, "page allocation failure in x", ts, 1);
	f.raw_len = (size_t)snprintf(f.raw, sizeof f.raw, "%s", raw);
	return f;
}

/* The pid of a report's "CPU:" line, as 6.1 and 6.12 print it. */
Test(findings_judge, the_pid_of_a_report)
{
	static const struct {
		const char *raw;
		int pid;
	} cases[] = {
		{"oomlab-wl: page allocation failure: order:0\nCPU: 0 UID: 0 PID: 123 Comm: oomlab-wl Not tainted", 123},
		{"oomlab-wl: page allocation failure: order:0\nCPU: 0 PID: 80 Comm: oomlab-wl Not tainted 6.1.0-57", 80},
		{"WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:5634 __alloc_pages+0x2a9/0x330\nModules linked in:\n"
		 "CPU: 0 PID: 7 Comm: init",
		 7},
		{"x: page allocation failure\nHardware name: QEMU\nCall Trace:\nCPU: 0 PID: 5 Comm: y", -1},
		{"x: page allocation failure\nCPU: 0 PID: Comm: y", -1},
		{"x: page allocation failure\nCPU: 0 PID: 12", -1},
		{"", -1},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct finding f = with_raw(FK_ALLOC_FAILURE, cases[i].raw, 0);
		cr_expect_eq(finding_pid(&f), cases[i].pid, "case %zu", i);
	}
}

/* Only a page allocation failure of a process killed at or before it. */
Test(findings_judge, victims_of_the_oom_killer_are_excused)
{
	struct cell_spec cs = cell(NULL);
	struct oom_event ev[2];
	memset(ev, 0, sizeof ev);
	ev[0].victim_pid = 123;
	ev[0].killed = 1;
	ev[0].ts_us = 1000;
	ev[1].victim_pid = 200; /* reported, not killed */
	ev[1].ts_us = 1000;
	struct kernlog kl;
	memset(&kl, 0, sizeof kl);
	kl.oom = ev;
	kl.n_oom = 2;
	struct finding f[] = {
		with_raw(FK_ALLOC_FAILURE, "a: page allocation failure\nCPU: 0 PID: 123 Comm: a", 1000),
		with_raw(FK_ALLOC_FAILURE, "a: page allocation failure\nCPU: 0 PID: 123 Comm: a", 999),
		with_raw(FK_ALLOC_FAILURE, "a: page allocation failure\nCPU: 0 PID: 200 Comm: a", 2000),
		with_raw(FK_WARNING, "WARNING: CPU: 0 PID: 123 at x\nCPU: 0 PID: 123 Comm: a", 3000),
	};
	struct findings log = fset(f, ARRAY_SIZE(f));
	struct cell_findings cf;
	cell_findings_collect(&cs, &log, NULL, &cf);
	cr_expect_eq(cell_findings_excuse_victims(&cf, &kl), 1);
	/* time order: 999, 1000, 2000, 3000 */
	static const int want[] = {0, 1, 0, 0};
	for (size_t i = 0; i < cf.n; i++)
		cr_expect_eq(cf.f[i].allowed, want[i], "finding %zu", i);
	cr_expect_str_eq(cf.f[1].allowed_by, "oom_victim");
	cr_expect_eq(cell_findings_excuse_victims(&cf, NULL), 0);
	cell_findings_free(&cf);
}

/* The mode of a page allocation failure's first line, as 6.1 and 6.12
 * print it (mm/page_alloc.c warn_alloc: "mode:%#x(%pGg)"). */
Test(findings_judge, gfp_mask_of_the_first_line)
{
	static const struct {
		const char *raw;
		int rc;
		unsigned long mask;
	} cases[] = {
		{"kworker/0:1H: page allocation failure: order:0, mode:0x40820(GFP_ATOMIC|__GFP_COMP), "
		 "nodemask=(null)",
		 0, 0x40820},
		{"oomlab-wl: page allocation failure: order:0, mode:0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO)",
		 0, 0x140dca},
		{"x: page allocation failure: order:3, mode:0x0, nodemask=(null)", 0, 0},
		{"x: page allocation failure: order:0, mode:0x", -1, 0},
		{"x: page allocation failure: order:0, mode:0x12g4", -1, 0},
		{"x: page allocation failure: order:0\nmode:0x400(GFP_NOIO)", -1, 0},
		{"", -1, 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct finding f = with_raw(FK_ALLOC_FAILURE, cases[i].raw, 0);
		unsigned long m = 0;
		cr_expect_eq(finding_gfp_mask(&f, &m), cases[i].rc, "case %zu", i);
		if (!cases[i].rc)
			cr_expect_eq(m, cases[i].mask, "case %zu: %#lx", i, m);
	}
}

/* Only an allocation that may not reclaim, and only when the global OOM
 * killer killed: not in a cell whose only kill was a memory cgroup's. */
Test(findings_judge, no_reclaim_failures_at_a_global_oom_are_excused)
{
	struct cell_spec cs = cell(NULL);
	struct oom_event ev;
	memset(&ev, 0, sizeof ev);
	ev.killed = 1;
	ev.ts_us = 6000;
	snprintf(ev.oom_kind, sizeof ev.oom_kind, "global_oom");
	struct kernlog kl;
	memset(&kl, 0, sizeof kl);
	kl.oom = &ev;
	kl.n_oom = 1;
	struct finding f[] = {
		with_raw(FK_ALLOC_FAILURE, "k: page allocation failure: order:0, mode:0x40820(GFP_ATOMIC|__GFP_COMP)", 5000),
		with_raw(FK_ALLOC_FAILURE, "w: page allocation failure: order:0, mode:0x140dca(GFP_HIGHUSER_MOVABLE)", 5100),
		with_raw(FK_ALLOC_FAILURE, "n: page allocation failure: order:2, mode:0x800(GFP_NOWAIT)", 7000),
		with_raw(FK_WARNING, "WARNING: CPU: 0 PID: 1 at x mode:0x800", 7100),
		with_raw(FK_ALLOC_FAILURE, "m: page allocation failure: order:0", 7200),
	};
	struct findings log = fset(f, ARRAY_SIZE(f));
	struct cell_findings cf;
	cell_findings_collect(&cs, &log, NULL, &cf);
	cr_expect_eq(cell_findings_excuse_no_reclaim(&cf, &kl), 2);
	static const int want[] = {1, 0, 1, 0, 0};
	for (size_t i = 0; i < cf.n; i++)
		cr_expect_eq(cf.f[i].allowed, want[i], "finding %zu", i);
	cr_expect_str_eq(cf.f[0].allowed_by, "no_reclaim_at_oom");
	cell_findings_free(&cf);

	/* a memory cgroup's kill: the machine did not run out */
	snprintf(ev.oom_kind, sizeof ev.oom_kind, "oom_memcg");
	cell_findings_collect(&cs, &log, NULL, &cf);
	cr_expect_eq(cell_findings_excuse_no_reclaim(&cf, &kl), 0);
	cell_findings_free(&cf);
	/* reported, not killed */
	snprintf(ev.oom_kind, sizeof ev.oom_kind, "global_oom");
	ev.killed = 0;
	cell_findings_collect(&cs, &log, NULL, &cf);
	cr_expect_eq(cell_findings_excuse_no_reclaim(&cf, &kl), 0);
	cell_findings_free(&cf);
	cr_expect_eq(cell_findings_excuse_no_reclaim(&cf, NULL), 0);
}
