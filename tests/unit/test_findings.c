// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel findings (harness/parse/findings.c): every golden file of
 * tests/golden/findings/ parsed through struct kernlog (the path the kmsg
 * and the console take) must give exactly the findings its header lists:
 *   # expect: n=<findings>
 *   # expect f[i]: kind=<word> count=<n> ts_us=<n> raw_len=<n> raw_truncated=<0|1> title="<title>"
 *   # expect f[i] frames: <frame> <frame> ...
 * and every row of the pattern table must take a header of those files. */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "lib/util.h"
#include "parse/findings.h"
#include "parse/parse.h"

/* "# <tag>:" line of the header: its value (to the end of the line, ""
 * for none), or NULL */
static char *hdr(const struct golden *g, const char *tag)
{
	char pat[64];
	snprintf(pat, sizeof pat, "# %s:", tag);
	for (const char *p = g->data; p < g->body;) {
		const char *le = strchr(p, '\n');
		if (!strncmp(p, pat, strlen(pat)) && (p[strlen(pat)] == ' ' || p + strlen(pat) == le)) {
			p += strlen(pat);
			p += p < le;
			return xstrndup(p, (size_t)(le - p));
		}
		p = le + 1;
	}
	return NULL;
}

/* value of "key=" in an expect line ("..." quoted to the end of the line) */
static char *val(const char *line, const char *key)
{
	char pat[48];
	snprintf(pat, sizeof pat, "%s=", key);
	const char *p = line;
	while ((p = strstr(p, pat)) && p != line && p[-1] != ' ')
		p++;
	cr_assert(p, "no %s in \"%s\"", key, line);
	p += strlen(pat);
	if (*p == '"') {
		const char *q = strrchr(p + 1, '"');
		cr_assert(q && q > p, "unterminated %s", key);
		return xstrndup(p + 1, (size_t)(q - p - 1));
	}
	return xstrndup(p, strcspn(p, " "));
}

static void frames_str(const struct finding *f, char *out, size_t n)
{
	out[0] = '\0';
	for (int i = 0; i < f->n_frames; i++) {
		if (i)
			strncat(out, " ", n - strlen(out) - 1);
		strncat(out, f->frames[i], n - strlen(out) - 1);
	}
}

/* rows of the pattern table the header lines of the golden files start */
static size_t row_hits[64];

static void check_file(const char *name)
{
	char *rel = xasprintf("findings/%s", name);
	struct golden g;
	golden_load(rel, &g);
	char *form = hdr(&g, "form");
	cr_assert(form && !strcmp(form, "console"), "%s: form", rel);
	char *source = hdr(&g, "source");
	cr_assert(source, "%s: no source line", rel);
	free(source);

	/* through struct kernlog, as the driver parses kmsg and console */
	char *body = dup_exact(g.body, g.body_len);
	struct kernlog kl;
	kernlog_init(&kl);
	kernlog_feed_console(&kl, body, g.body_len);
	const struct findings *fs = &kl.findings;

	/* and findings_feed alone, message by message: the same */
	struct findings alone;
	findings_init(&alone);
	size_t pos = 0, ml;
	unsigned long long ts = 0;
	const char *m;
	while (console_next(body, g.body_len, &pos, &ts, &m, &ml)) {
		findings_feed(&alone, ts, m, ml);
		int row = findings_row_of(m, ml);
		if (row >= 0 && (size_t)row < ARRAY_SIZE(row_hits))
			row_hits[row]++;
	}
	cr_assert_eq(alone.n, fs->n, "%s", rel);
	for (size_t i = 0; i < fs->n; i++) {
		cr_assert_str_eq(alone.f[i].title, fs->f[i].title);
		cr_assert_eq(alone.f[i].count, fs->f[i].count);
	}

	char *e = hdr(&g, "expect");
	cr_assert(e, "%s: no expect line", rel);
	char *n = val(e, "n");
	cr_assert_eq(fs->n, strtoull(n, NULL, 10), "%s: %zu findings, want %s", rel, fs->n, n);
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];
		char tag[64], got[1024];
		snprintf(tag, sizeof tag, "expect f[%zu]", i);
		char *line = hdr(&g, tag);
		cr_assert(line, "%s: no line for f[%zu] (\"%s\")", rel, i, f->title);
		char *v;
		cr_expect_str_eq(finding_kind_name(f->kind), v = val(line, "kind"), "%s f[%zu] kind", rel, i);
		free(v);
		cr_expect_str_eq(f->title, v = val(line, "title"), "%s f[%zu] title", rel, i);
		free(v);
		snprintf(got, sizeof got, "%d", f->count);
		cr_expect_str_eq(got, v = val(line, "count"), "%s f[%zu] count", rel, i);
		free(v);
		snprintf(got, sizeof got, "%llu", f->ts_us);
		cr_expect_str_eq(got, v = val(line, "ts_us"), "%s f[%zu] ts_us", rel, i);
		free(v);
		snprintf(got, sizeof got, "%zu", f->raw_len);
		cr_expect_str_eq(got, v = val(line, "raw_len"), "%s f[%zu] raw_len", rel, i);
		free(v);
		snprintf(got, sizeof got, "%d", f->raw_truncated);
		cr_expect_str_eq(got, v = val(line, "raw_truncated"), "%s f[%zu] raw_truncated", rel, i);
		free(v);
		/* raw: the report's lines as logged, from its header on */
		cr_expect_eq(strlen(f->raw), f->raw_len);
		cr_expect(f->raw_len < FINDING_RAW_MAX);
		cr_expect(f->raw_len == 0 || f->raw[f->raw_len - 1] == '\n');
		free(line);
		snprintf(tag, sizeof tag, "expect f[%zu] frames", i);
		line = hdr(&g, tag);
		cr_assert(line, "%s: no frames line for f[%zu]", rel, i);
		frames_str(f, got, sizeof got);
		cr_expect_str_eq(got, line, "%s f[%zu] frames", rel, i);
		free(line);
	}
	free(n);
	free(e);
	findings_free(&alone);
	kernlog_free(&kl);
	free(body);
	free(form);
	golden_free(&g);
	free(rel);
}

Test(findings, every_golden_file)
{
	char *dir = golden_path("findings");
	DIR *d = opendir(dir);
	cr_assert(d, "cannot open %s", dir);
	struct dirent *de;
	int files = 0;
	memset(row_hits, 0, sizeof row_hits);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l > 8 && !strcmp(de->d_name + l - 8, ".console")) {
			check_file(de->d_name);
			files++;
		}
	}
	closedir(d);
	free(dir);
	cr_assert_geq(files, 10);
	/* every row of the table has a golden file */
	cr_assert_leq(findings_rows(), ARRAY_SIZE(row_hits));
	for (size_t i = 0; i < findings_rows(); i++)
		cr_expect_gt(row_hits[i], 0, "row %zu (\"%s\") starts no report of tests/golden/findings", i,
			     findings_row_text(i));
	/* and every kind the kernel logs has a row (a stall is judged, not logged) */
	for (int k = 0; k < FINDING_KIND_COUNT; k++) {
		int has = 0;
		for (size_t i = 0; i < findings_rows(); i++)
			has |= findings_row_kind(i) == (enum finding_kind)k;
		cr_expect(has || k == FK_STALL, "kind %s has no row", finding_kind_name((enum finding_kind)k));
	}
}

/* ---- the table, row by row: a header and the kind and title it starts ---- */

static const struct {
	const char *line, *kind, *title; /* title of the header alone (no trace yet) */
} heads[] = {
	{"WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:4832 __alloc_pages_noprof+0x303/0x310", "warning",
	 "WARNING in __alloc_pages"},
	{"watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [oomlab-wl:85]", "soft_lockup", "BUG: soft lockup"},
	{"BUG: scheduling while atomic: kworker/0:2/97/0x00000002", "atomic_sleep", "BUG: scheduling while atomic"},
	{"BUG: sleeping function called from invalid context at mm/page_alloc.c:5178", "atomic_sleep",
	 "BUG: sleeping function called from invalid context"},
	{"BUG: Bad page state in process oomlab-wl  pfn:0a1b2", "bad_page", "BUG: Bad page state"},
	{"BUG: Bad rss-counter state mm:000000001a2b3c4d type:MM_ANONPAGES val:-1", "bad_rss",
	 "BUG: Bad rss-counter state"},
	{"BUG: KASAN: slab-use-after-free in shrink_folio_list+0x1f3/0x2a50", "kasan",
	 "KASAN: slab-use-after-free in shrink_folio_list"},
	{"BUG: KFENCE: use-after-free read in test_use_after_free_read+0xb3/0x143", "kfence",
	 "KFENCE: use-after-free read in test_use_after_free_read"},
	{"BUG: unable to handle page fault for address: ffffffffffffffe8", "bug",
	 "BUG: unable to handle kernel paging request"},
	{"BUG: kernel NULL pointer dereference, address: 0000000000000008", "bug",
	 "BUG: unable to handle kernel NULL pointer dereference"},
	{"BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 31s!", "bug", "BUG: workqueue lockup"},
	{"BUG: Bad page map in process oomlab-wl  pte:8000000012345067 pmd:0a1b2067", "bug", "BUG: Bad page map"},
	{"BUG: non-zero pgtables_bytes on freeing mm: 4096", "bug",
	 "BUG: non-zero pgtables_bytes on freeing mm"},
	{"kernel BUG at mm/slub.c:294!", "kernel_bug", "kernel BUG"},
	{"general protection fault, probably for non-canonical address 0xb4965e5a58a488: 0000 [#1] PREEMPT SMP NOPTI",
	 "gpf", "general protection fault"},
	{"Oops: general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP NOPTI",
	 "gpf", "general protection fault"},
	{"Oops: 0002 [#1] PREEMPT SMP NOPTI", "oops", "Oops"},
	{"Oops: double fault: 0000 [#1] PREEMPT SMP NOPTI", "oops", "Oops: double fault"},
	{"NMI watchdog: Watchdog detected hard LOCKUP on cpu 1", "hard_lockup", "hard LOCKUP"},
	{"INFO: task oomlab-wl:83 blocked for more than 1 seconds.", "hung_task", "INFO: task hung"},
	{"rcu: INFO: rcu_preempt self-detected stall on CPU", "rcu_stall", "INFO: rcu detected stall"},
	{"rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:", "rcu_stall", "INFO: rcu detected stall"},
	{"oomlab-wl: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0",
	 "alloc_failure", "page allocation failure"},
	{"Out of memory and no killable processes...", "oom_no_victim", "Out of memory and no killable processes"},
};

Test(findings, each_row_starts_its_kind_and_title)
{
	for (size_t i = 0; i < ARRAY_SIZE(heads); i++) {
		struct findings fs;
		findings_init(&fs);
		char *l = dup_exact(heads[i].line, strlen(heads[i].line));
		findings_feed(&fs, 7, l, strlen(heads[i].line));
		cr_assert_eq(fs.n, 1, "%s", heads[i].line);
		cr_expect_str_eq(finding_kind_name(fs.f[0].kind), heads[i].kind, "%s", heads[i].line);
		cr_expect_str_eq(fs.f[0].title, heads[i].title, "%s", heads[i].line);
		cr_expect_eq(fs.f[0].ts_us, 7);
		cr_expect_eq(fs.f[0].count, 1);
		findings_free(&fs);
		free(l);
	}
}

static const char *const not_findings[] = {
	"INFO: task oomlab-wl:83 is running",            /* no "blocked for more than" */
	"rcu: INFO: rcu_preempt is a flavour",           /* no stall */
	"x WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2",   /* not at the start */
	"oomlab-wl invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
	"Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled",
	"WARNING: /etc/ssh/moduli does not exist",
	"",
};

Test(findings, other_lines_start_none)
{
	for (size_t i = 0; i < ARRAY_SIZE(not_findings); i++) {
		struct findings fs;
		findings_init(&fs);
		findings_feed(&fs, 1, not_findings[i], strlen(not_findings[i]));
		cr_expect_eq(fs.n, 0, "\"%s\" made a finding", not_findings[i]);
		cr_expect_eq(findings_row_of(not_findings[i], strlen(not_findings[i])), -1);
		findings_free(&fs);
	}
}

/* ---- assembly ---- */

static void feed_all(struct findings *fs, const char *const *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *l = dup_exact(lines[i], strlen(lines[i]));
		findings_feed(fs, 100 + i, l, strlen(lines[i]));
		free(l);
	}
}

static const char *const hung[] = {
	"INFO: task a:1 blocked for more than 2 seconds.",
	"task:a state:D stack:0 pid:1 ppid:0 flags:0x00000002",
	"Call Trace:",
	" <TASK>",
	" __schedule+0x34d/0xa00",
	" schedule+0x5a/0xd0",
	" ? io_schedule+0x1/0x2",
	" io_schedule+0x46/0x70",
	" folio_wait_bit_common+0x13d/0x350",
	" filemap_fault+0x4d5/0xa00",
	" </TASK>",
};

Test(findings, title_follows_the_frames_and_is_consistent_after_every_message)
{
	struct findings fs;
	findings_init(&fs);
	feed_all(&fs, hung, 1);
	cr_assert_eq(fs.n, 1);
	cr_expect_str_eq(fs.f[0].title, "INFO: task hung");
	feed_all(&fs, hung + 1, 6);
	cr_assert_eq(fs.n, 1);
	cr_expect_str_eq(fs.f[0].title, "INFO: task hung"); /* the scheduler only: skipped */
	feed_all(&fs, hung + 7, 2);
	cr_assert_eq(fs.n, 1);
	cr_expect_str_eq(fs.f[0].title, "INFO: task hung in folio_wait_bit_common");
	cr_expect_eq(fs.f[0].n_frames, 4); /* "? io_schedule" is not one */
	cr_expect_str_eq(fs.f[0].frames[2], "io_schedule");
	feed_all(&fs, hung + 9, 2);
	cr_expect_eq(fs.f[0].count, 1);
	cr_expect_eq(fs.f[0].ts_us, 100);
	/* the same report again: a storm of one title */
	feed_all(&fs, hung, ARRAY_SIZE(hung));
	cr_assert_eq(fs.n, 1);
	cr_expect_eq(fs.f[0].count, 2);
	cr_expect_eq(fs.f[0].ts_us, 100);
	/* a report cut after its header counts under its title so far, and
	 * leaves the storm's count when its frames give another title */
	feed_all(&fs, hung, 1);
	cr_assert_eq(fs.n, 2);
	cr_expect_str_eq(fs.f[1].title, "INFO: task hung");
	static const char *const other[] = {"Call Trace:", " <TASK>", " __schedule+0x1/0x2",
					     " pipe_read+0x4e/0x470"};
	feed_all(&fs, other, ARRAY_SIZE(other));
	cr_assert_eq(fs.n, 2);
	cr_expect_str_eq(fs.f[1].title, "INFO: task hung in pipe_read");
	cr_expect_eq(fs.f[0].count, 2);
	/* and one that comes to an earlier title joins it */
	feed_all(&fs, hung, 1);
	cr_assert_eq(fs.n, 3);
	feed_all(&fs, hung + 2, 7);
	cr_assert_eq(fs.n, 2);
	cr_expect_eq(fs.f[0].count, 3);
	findings_free(&fs);
}

Test(findings, interleaved_lines_are_skipped_and_too_many_end_the_report)
{
	struct findings fs;
	findings_init(&fs);
	feed_all(&fs, hung, 4);
	static const char *const noise[] = {"systemd-journald[1]: something", "e1000: link up"};
	feed_all(&fs, noise, ARRAY_SIZE(noise));
	feed_all(&fs, hung + 4, 5);
	cr_assert_eq(fs.n, 1);
	cr_expect_str_eq(fs.f[0].title, "INFO: task hung in folio_wait_bit_common");
	cr_expect(!strstr(fs.f[0].raw, "journald"));
	for (int i = 0; i < 30; i++)
		feed_all(&fs, noise, 1);
	/* the report has ended: its frames no longer come */
	feed_all(&fs, hung + 9, 1);
	cr_expect_eq(fs.f[0].n_frames, 4);
	cr_expect_eq(fs.open, -1);
	findings_free(&fs);
}

Test(findings, an_oom_report_or_mem_info_ends_a_report)
{
	struct findings fs;
	findings_init(&fs);
	feed_all(&fs, hung, 4);
	static const char *const oom[] = {"x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
					   "Call Trace:", " <TASK>", " do_anonymous_page+0x2db/0x7d0"};
	feed_all(&fs, oom, ARRAY_SIZE(oom));
	cr_assert_eq(fs.n, 1);
	cr_expect_str_eq(fs.f[0].title, "INFO: task hung");
	cr_expect_eq(fs.f[0].n_frames, 0);
	findings_free(&fs);
}

Test(findings, raw_and_frames_are_bounded)
{
	struct findings fs;
	findings_init(&fs);
	feed_all(&fs, hung, 4);
	for (int i = 0; i < 400; i++) {
		char l[64];
		int n = snprintf(l, sizeof l, " func_%d+0x10/0x20 [mod]", i);
		findings_feed(&fs, 1, l, (size_t)n);
	}
	cr_assert_eq(fs.n, 1);
	cr_expect_eq(fs.f[0].n_frames, FINDING_FRAMES);
	cr_expect_str_eq(fs.f[0].frames[15], "func_15");
	cr_expect_str_eq(fs.f[0].title, "INFO: task hung in func_0");
	cr_expect_eq(fs.f[0].raw_truncated, 1);
	cr_expect_lt(fs.f[0].raw_len, FINDING_RAW_MAX);
	cr_expect_eq(strlen(fs.f[0].raw), fs.f[0].raw_len);
	findings_free(&fs);
}

Test(findings, frames_lose_compiler_suffixes_and_titles_noprof)
{
	struct findings fs;
	findings_init(&fs);
	static const char *const w[] = {"WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:4832 x+0x1/0x2", "Call Trace:",
					 " <TASK>", " ? __warn+0x1/0x2", " __warn+0x7d/0x130",
					 " __alloc_pages_slowpath.constprop.0+0xd04/0xe70", " kmalloc_noprof.cold+0x1/0x2"};
	feed_all(&fs, w, ARRAY_SIZE(w));
	cr_assert_eq(fs.n, 1);
	cr_expect_str_eq(fs.f[0].frames[0], "__warn");
	cr_expect_str_eq(fs.f[0].frames[1], "__alloc_pages_slowpath");
	cr_expect_str_eq(fs.f[0].frames[2], "kmalloc_noprof");
	cr_expect_str_eq(fs.f[0].title, "WARNING in __alloc_pages_slowpath");
	findings_free(&fs);
}

Test(findings, through_kernlog_feed_as_kmsg_records)
{
	struct kernlog kl;
	kernlog_init(&kl);
	for (size_t i = 0; i < ARRAY_SIZE(hung); i++)
		kernlog_feed(&kl, 5, hung[i], strlen(hung[i]));
	cr_assert_eq(kl.findings.n, 1);
	cr_expect_str_eq(kl.findings.f[0].title, "INFO: task hung in folio_wait_bit_common");
	/* the counters are not the findings' business */
	cr_expect_eq(kl.n_oops, 0);
	cr_expect_eq(kl.n_warn, 0);
	kernlog_free(&kl);
	cr_expect_eq(kl.findings.n, 0);
	cr_expect_null(kl.findings.f);
}
