// SPDX-License-Identifier: GPL-2.0-or-later
/* Replays real cells: the raw agent stream and console captured from VMs
 * (tests/golden/cells/) go through the collector, the outcome rules and the
 * report builder, and must give the endpoints and figures the VMs showed. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "replay.h"
#include "judge/collect.h"
#include "judge/deadline.h"
#include "plan/matrix.h"
#include "judge/outcome.h"
#include "judge/cellreport.h"
#include "reports/rundir.h"
#include "lib/util.h"

/* The recorded cell id of tests/golden/cells, judged; stream_len (unless
 * (size_t)-1) cuts its stream. */
static void golden_cell(struct replay *r, const char *id, size_t stream_len)
{
	replay_load(r, "tests/golden/cells/cells.json", "tests/golden/cells", id, stream_len);
	replay_judge(r);
}

static const struct {
	const char *id;
	enum cell_status status;
	enum verdict verdict;
	enum endpoint endpoints[2];
	size_t n_oom;
} cases[] = {
	{"overcommit-0-swap-0", CS_OK, V_PASS, {EP_OOM_KILLED, EP_OOM_KILLED}, 2},
	{"overcommit-0-swap-512", CS_OK, V_PASS, {EP_OOM_KILLED}, 1},
	{"overcommit-2-ratio-50", CS_OK, V_PASS, {EP_ENOMEM, EP_ENOMEM}, 0},
	{"overcommit-2-ratio-50-swap-512", CS_OK, V_PASS, {EP_ENOMEM}, 0},
	{"ulimit-v-128m", CS_OK, V_PASS, {EP_ENOMEM, EP_ENOMEM}, 0},
	{"612-touch-swap", CS_OK, V_PASS, {EP_OOM_KILLED}, 1},
	/* oom_score_adj 500 makes the small workload the victim before it
	 * reaches its max_mb: running together, either may be killed */
	{"612-two-adj", CS_OK, V_PASS, {EP_OOM_KILLED, EP_OOM_KILLED}, 2},
	/* a kworker's GFP_ATOMIC allocation failed 1.2 s before the kill:
	 * memory ran out, not the kernel wrong */
	{"612-atomic-at-oom", CS_OK, V_PASS, {EP_OOM_KILLED}, 1},
	{"immune", CS_VM_PANIC, V_PASS, {EP_VM_PANIC}, 1},
	/* touch still filling 4 GiB of swap at the deadline: the host was
	 * too slow, not the kernel wrong */
	{"deadline", CS_TIMEOUT, V_BROK, {EP_TIMEOUT}, 0},
	/* touch holding its 16 MB past the deadline: no progress, so the
	 * timeout stays a result (FAIL) */
	{"hold-past-deadline", CS_TIMEOUT, V_FAIL, {EP_TIMEOUT}, 0},
};

Test(outcome, golden_cells_endpoints_and_verdicts)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct replay r;
		golden_cell(&r, cases[i].id, (size_t)-1);
		cr_expect_eq(r.oc.status, cases[i].status, "%s: %s", cases[i].id, cell_status_name(r.oc.status));
		cr_expect_eq(r.oc.verdict, cases[i].verdict, "%s: %s (%s)", cases[i].id,
			     verdict_name(r.oc.verdict), r.oc.why);
		cr_expect_eq(r.oc.events->n_oom, cases[i].n_oom, "%s", cases[i].id);
		for (size_t w = 0; w < r.cs->n_wl; w++)
			cr_expect_eq(r.oc.wl[w].endpoint, cases[i].endpoints[w], "%s workload %zu: %s",
				     cases[i].id, w, endpoint_name(r.oc.wl[w].endpoint));
		cr_expect_eq(r.obs.stats.bad, 0, "%s", cases[i].id);
		cr_expect_eq(r.obs.seq_gaps, 0, "%s", cases[i].id);
		replay_free(&r);
	}
}

/* The article's program A in 256 MiB without swap: killed at ~30 GB of
 * address space, with ~118 MB anon RSS and ~59 MB of page tables. */
Test(outcome, alloc_never_touching_is_killed_for_its_page_tables)
{
	struct replay r;
	golden_cell(&r, "overcommit-0-swap-0", (size_t)-1);
	const struct wl_outcome *a = &r.oc.wl[0];
	cr_assert_geq(a->oom_idx, 0);
	const struct oom_event *e = &r.oc.events->oom[a->oom_idx];
	cr_expect_eq(e->victim_pid, r.obs.wl[0].pid);
	cr_expect_str_eq(a->mb_source, "oom_total_vm_minus_start");
	cr_expect(a->mb_reached > 25000 && a->mb_reached < 40000, "%.0f MB", a->mb_reached);
	cr_expect(e->pgtables_kb > 40 * 1024, "pgtables %lld kB", e->pgtables_kb);
	cr_expect(e->anon_rss_kb > 80 * 1024 && e->anon_rss_kb < 200 * 1024, "anon %lld kB",
		  e->anon_rss_kb);
	/* touch, second in sequence, is killed near RAM size */
	cr_expect(r.oc.wl[1].mb_reached > 120 && r.oc.wl[1].mb_reached < 256, "%.0f",
		  r.oc.wl[1].mb_reached);
	replay_free(&r);
}

/* overcommit_memory=2: alloc stops within 10% of CommitLimit - Committed_AS. */
Test(outcome, overcommit2_stops_at_commit_limit)
{
	struct replay r;
	golden_cell(&r, "overcommit-2-ratio-50", (size_t)-1);
	json_t *ms = r.obs.meminfo_start;
	cr_assert_not_null(ms);
	double room = (double)(json_integer_value(json_object_get(ms, "CommitLimit")) -
			       json_integer_value(json_object_get(ms, "Committed_AS"))) / 1024.0;
	double mb = r.oc.wl[0].mb_reached;
	cr_expect(fabs(mb - room) < room * 0.1, "reached %.1f, room %.1f", mb, room);
	cr_expect_str_eq(r.oc.wl[0].mb_source, "result");
	cr_expect_eq(r.obs.wl[0].result_errno, 12);
	replay_free(&r);
}

/* A timeout is blamed on the kernel only when the workload had stopped
 * growing: touch was still writing ~135 MB/s into swap when the agent
 * killed it at the deadline, so the cell is BROK and says why. */
Test(outcome, timeout_while_progressing_is_brok)
{
	struct replay r;
	golden_cell(&r, "deadline", (size_t)-1);
	const struct wl_outcome *w = &r.oc.wl[0];
	cr_expect_eq(w->endpoint, EP_TIMEOUT);
	cr_expect_eq(w->verdict, V_BROK);
	cr_expect_str_eq(w->why, "deadline too short for this host: still making progress at 2227 MB "
				 "(+54 MB in its last 0.4 s)");
	cr_expect_eq(r.oc.verdict, V_BROK);
	cr_expect_str_eq(r.oc.why, "workload 0 (touch): deadline too short for this host: still making "
				   "progress at 2227 MB (+54 MB in its last 0.4 s)");
	replay_free(&r);
}

/* A workload that stopped growing before the deadline (here: holding its
 * max_mb) is the kernel's result, FAIL, and the reason says so. */
Test(outcome, timeout_without_progress_is_fail)
{
	struct replay r;
	golden_cell(&r, "hold-past-deadline", (size_t)-1);
	const struct wl_outcome *w = &r.oc.wl[0];
	cr_expect_eq(w->endpoint, EP_TIMEOUT);
	cr_expect_eq(w->verdict, V_FAIL);
	cr_expect_str_eq(w->why, "no progress in its last 5 samples (0.4 s): ended timeout, predicted exit "
				 "(max_mb=16: stops itself)");
	replay_free(&r);
}

/* A cell whose agent took no sample at all before the deadline (seen on
 * this host at load 15: the guest never got to run the workload) has no
 * evidence about the kernel: BROK, not FAIL. */
Test(outcome, timeout_without_any_sample_is_brok)
{
	struct deadline_evidence e = {.finding = DEADLINE_NO_EVIDENCE, .age_s = -1};
	char why[256];
	cr_expect_eq(deadline_verdict(&e, -1, "ended timeout, predicted enomem", why, sizeof why), V_BROK);
	cr_expect_str_eq(why, "deadline too short for this host: no sample of the cell before it "
			      "(ended timeout, predicted enomem)");
	/* samples of the cell but none of progress: the kernel's result */
	e.finding = DEADLINE_NO_PROGRESS;
	cr_expect_eq(deadline_verdict(&e, -1, "ended timeout, predicted enomem", why, sizeof why), V_FAIL);
	cr_expect_str_eq(why, "no sample shows progress: ended timeout, predicted enomem");
}

Test(outcome, panic_comes_from_the_console)
{
	struct replay r;
	golden_cell(&r, "immune", (size_t)-1);
	cr_expect(r.obs.console.panic);
	cr_expect_not_null(strstr(r.obs.console.panic_msg, "deadlocked on memory"), "%s",
			   r.obs.console.panic_msg);
	cr_expect(!r.obs.have_bye);
	replay_free(&r);
}

/* A stream cut in the middle (VM killed): every record before the cut is
 * still used, the cell is BROK (vm_lost), never blamed on the kernel. */
Test(outcome, truncated_stream_is_vm_lost_and_keeps_earlier_records)
{
	struct replay full, cut;
	golden_cell(&full, "overcommit-0-swap-512", (size_t)-1);
	golden_cell(&cut, "overcommit-0-swap-512", full.sl / 2);
	cr_expect_eq(cut.oc.status, CS_VM_LOST);
	cr_expect_eq(cut.oc.verdict, V_BROK);
	cr_expect(cut.obs.have_hello);
	cr_expect_gt(cut.obs.n_samples, 0);
	cr_expect_lt(cut.obs.n_samples, full.obs.n_samples);
	cr_expect_eq(cut.obs.stats.bad, 0);
	replay_free(&full);
	replay_free(&cut);
}

Test(outcome, empty_stream_is_boot_error)
{
	struct replay r;
	golden_cell(&r, "ulimit-v-128m", 0);
	cr_expect_eq(r.oc.status, CS_BOOT_ERROR);
	cr_expect_eq(r.oc.verdict, V_BROK);
	cr_expect_eq(r.oc.wl[0].endpoint, EP_VM_LOST);
	cr_expect_str_eq(r.oc.why, "the agent never said hello (boot failed; see console_tail)");
	replay_free(&r);
}

/* A kernel panic before the agent's hello (here the real console of a warm
 * restore that double-faulted) is said as one, with its message, not as
 * a boot that failed: BROK, status boot_panic, the workloads' endpoint
 * vm_panic. */
Test(outcome, panic_before_hello_is_boot_panic_with_its_message)
{
	struct replay r;
	golden_cell(&r, "ulimit-v-128m", 0);
	struct golden g;
	golden_load("kernlog/double-fault-warm-6.12.console", &g);
	cell_outcome_free(&r.oc);
	cell_obs_free(&r.obs);
	collect_cell(r.stream, 0, g.body, g.body_len, r.cs->n_wl, &r.obs);
	struct vm_result vr = {0};
	outcome_compute(r.cs, &r.obs, &vr, &r.oc);
	cr_expect_eq(r.oc.status, CS_BOOT_PANIC);
	cr_expect_eq(r.oc.verdict, V_BROK);
	cr_expect_eq(r.oc.wl[0].endpoint, EP_VM_PANIC);
	/* what made it BROK first, then the oops the console shows (a finding
	 * of its own: docs/findings.md) */
	cr_expect_str_eq(r.oc.why, "the kernel panicked before the agent's hello: Fatal exception in interrupt "
				   "(see console_tail); kernel finding: Oops: double fault in __kmalloc_cache_node");
	cr_assert_eq(r.oc.findings.n, 1);
	cr_expect_eq(r.oc.findings.f[0].allowed, 0);
	golden_free(&g);
	replay_free(&r);
}

/* The report built from a real cell holds what a reader needs: VmPTE and
 * RSS at the kill, the knobs read back, the series. */
Test(outcome, report_has_figures_at_the_kill)
{
	struct replay r;
	golden_cell(&r, "overcommit-0-swap-0", (size_t)-1);
	struct cell_ctx cx = {.run_id = "t", .accel = "tcg", .append = "x", .console_file = "c",
			      .stream_file = "s", .wall_s = 1.0};
	json_t *rep = report_cell(r.cs, &r.obs, &r.oc, &cx);
	json_t *w = json_array_get(json_object_get(rep, "workloads"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(w, "endpoint")), "oom_killed");
	json_t *ls = json_object_get(w, "last_status");
	cr_expect_gt(json_integer_value(json_object_get(ls, "VmPTE_kb")), 10000);
	cr_expect_gt(json_integer_value(json_object_get(ls, "RssAnon_kb")), 50000);
	json_t *ev = json_array_get(json_object_get(rep, "oom_events"), 0);
	cr_expect_gt(json_integer_value(json_object_get(ev, "pgtables_kb")), 40000);
	json_t *k0 = json_array_get(json_object_get(rep, "knobs"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(k0, "name")), "overcommit_memory");
	cr_expect_str_eq(json_string_value(json_object_get(k0, "got")), "0");
	json_t *t = json_object_get(json_object_get(rep, "series"), "t_ms");
	json_t *mf = json_object_get(json_object_get(json_object_get(rep, "series"), "meminfo"), "MemFree");
	cr_expect_gt(json_array_size(t), 3);
	cr_expect_eq(json_array_size(t), json_array_size(mf));
	json_t *sum = rundir_cell_row(rep, "cells/x.json");
	json_t *row = json_array_get(json_object_get(sum, "workloads"), 0);
	cr_expect_eq(json_integer_value(json_object_get(row, "oom_events")), 1);
	cr_expect_eq(json_integer_value(json_object_get(row, "vm_pte_kb")),
		     json_integer_value(json_object_get(ev, "pgtables_kb")));
	json_decref(sum);
	json_decref(rep);
	replay_free(&r);
}
