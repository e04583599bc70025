// SPDX-License-Identifier: GPL-2.0-or-later
/* earlyoom's lines (parse/earlyoom.h): every row on the real output of
 * earlyoom 1.7 in a guest (tests/golden/earlyoom/), damaged lines refused,
 * and the collector turning a killer workload's lines into the event that
 * gives its victim the endpoint user_oom_killed. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "judge/cellreport.h"
#include "judge/collect.h"
#include "judge/oracle.h"
#include "judge/outcome.h"
#include "plan/matrix.h"
#include "lib/util.h"
#include "parse/earlyoom.h"
#include "workloads/wl.h"

#define GOLDEN "tests/golden/earlyoom/sigterm-escalated-6.1.log"

/* The lines after "# ---" */
static char *golden_body(size_t *len)
{
	char *text = NULL;
	cr_assert_eq(read_file(GOLDEN, &text, len), 0, "cannot read %s", GOLDEN);
	char *p = strstr(text, "# ---\n");
	cr_assert_not_null(p);
	p += 6;
	*len -= (size_t)(p - text);
	char *b = xstrndup(p, *len);
	free(text);
	return b;
}

Test(earlyoom, golden_every_line)
{
	static const enum eo_kind want[] = {EO_NONE, EO_NONE, EO_VERSION, EO_TOTALS, EO_TERM_AT,
					    EO_KILL_AT, EO_MEM, EO_MEM, EO_LOW, EO_KILL, EO_ESCALATED,
					    EO_NONE};
	size_t len, n = 0;
	char *b = golden_body(&len);
	struct eo_line l;
	for (char *s = b, *nl; (nl = strchr(s, '\n')); s = nl + 1, n++) {
		cr_assert_lt(n, sizeof want / sizeof want[0]);
		enum eo_kind k = eo_parse_line(s, (size_t)(nl - s), &l);
		cr_expect_eq(k, want[n], "line %zu: %.*s", n, (int)(nl - s), s);
		cr_expect_eq(l.kind, k);
		switch (k) {
		case EO_VERSION:
			cr_expect_str_eq(l.version, "v1.7");
			break;
		case EO_TOTALS:
			cr_expect_eq(l.mem_total_mib, 205);
			cr_expect_eq(l.swap_total_mib, 0);
			break;
		case EO_TERM_AT:
			cr_expect_eq(l.sig, 15);
			cr_expect_float_eq(l.mem_pct, 10.0, 1e-9);
			cr_expect_float_eq(l.swap_pct, 10.0, 1e-9);
			break;
		case EO_KILL_AT:
			cr_expect_eq(l.sig, 9);
			cr_expect_float_eq(l.mem_pct, 5.0, 1e-9);
			cr_expect_float_eq(l.swap_pct, 5.0, 1e-9);
			break;
		case EO_LOW:
			cr_expect_eq(l.sig, 15);
			cr_expect_float_eq(l.mem_pct, 10.0, 1e-9);
			break;
		case EO_KILL:
			cr_expect_eq(l.sig, 15);
			cr_expect_eq(l.pid, 79);
			cr_expect_eq(l.uid, 0);
			cr_expect_str_eq(l.comm, "oomlab-wl");
			cr_expect_eq(l.badness, 1222);
			cr_expect_eq(l.rss_mib, 171);
			break;
		case EO_ESCALATED:
			cr_expect_eq(l.sig, 9);
			cr_expect_float_eq(l.secs, 0.0, 1e-9);
			break;
		default:
			break;
		}
	}
	cr_expect_eq(n, sizeof want / sizeof want[0]);
	/* the last memory line before the kill */
	const char *mem = strstr(b, "mem avail:    11");
	cr_assert_not_null(mem);
	cr_assert_eq(eo_parse_line(mem, strcspn(mem, "\n"), &l), EO_MEM);
	cr_expect_eq(l.mem_avail_mib, 11);
	cr_expect_eq(l.mem_total_mib, 205);
	cr_expect_float_eq(l.mem_pct, 5.47, 1e-9);
	cr_expect_eq(l.swap_free_mib, 0);
	cr_expect_eq(l.swap_total_mib, 0);
	cr_expect_float_eq(l.swap_pct, 0.0, 1e-9);
	free(b);
}

/* A name is the victim's comm: quotes, spaces and ": badness " inside it
 * are its own; the last "\": badness " closes it. */
Test(earlyoom, kill_line_names)
{
	struct eo_line l;
	const char *s = "sending SIGKILL to process 4242 uid 1000 \"a \\\"b\\\": badness 9\": badness 900, VmRSS 1024 MiB\n";
	cr_assert_eq(eo_parse_line(s, strlen(s), &l), EO_KILL);
	cr_expect_eq(l.sig, 9);
	cr_expect_eq(l.pid, 4242);
	cr_expect_eq(l.uid, 1000);
	cr_expect_str_eq(l.comm, "a \\\"b\\\": badness 9");
	cr_expect_eq(l.badness, 900);
	cr_expect_eq(l.rss_mib, 1024);
	s = "process exited after 1.2 seconds";
	cr_assert_eq(eo_parse_line(s, strlen(s), &l), EO_EXITED);
	cr_expect_float_eq(l.secs, 1.2, 1e-9);
}

Test(earlyoom, damaged_lines_refused)
{
	static const char *const bad[] = {
		"sending SIGTERM to process 79 uid 0 \"oomlab-wl\": badness 1222, VmRSS 171 MiB trailing",
		"sending SIGHUP to process 79 uid 0 \"x\": badness 1, VmRSS 1 MiB",
		"sending SIGTERM to process -3 uid 0 \"x\": badness 1, VmRSS 1 MiB",
		"sending SIGTERM to process 79 uid 0 \"x: badness 1, VmRSS 1 MiB",
		"sending SIGTERM when mem <= 10.00% and swap <= 10.00%",
		"mem avail:    11 of   205 MiB ( 5.47%)",
		"low memory! at or below SIGSTOP limits: mem 10.00%, swap 10.00%",
		"process exited after -1 seconds",
		"earlyoom",
		"earlyoom v1.7 extra",
		"",
		"oomlab-result workload=earlyoom reason=stopped kills=1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct eo_line l;
		cr_expect_eq(eo_parse_line(bad[i], strlen(bad[i]), &l), EO_NONE, "%s", bad[i]);
		cr_expect_eq(l.pid, 0, "%s", bad[i]);
	}
	/* a NUL inside, and a line longer than any of earlyoom's */
	struct eo_line l;
	cr_expect_eq(eo_parse_line("earlyoom v1\0.7", 14, &l), EO_NONE);
	char big[600];
	memset(big, 'x', sizeof big);
	memcpy(big, "earlyoom ", 9);
	cr_expect_eq(eo_parse_line(big, sizeof big, &l), EO_NONE);
}

/* The real cell's stream: the killer's kill, with the memory it saw and
 * its limits, and the victim's pid. */
Test(earlyoom, collect_real_stream)
{
	char *s = NULL;
	size_t len = 0;
	cr_assert_eq(read_file("tests/golden/earlyoom/touch-vs-earlyoom-6.1.stream", &s, &len), 0);
	struct cell_obs o;
	collect_cell(s, len, NULL, 0, 2, &o);
	cr_assert_eq(o.n_uoom, 1);
	const struct uoom_event *u = &o.uoom[0];
	cr_expect_eq(u->killer, 1);
	cr_expect_str_eq(o.wl[1].name, "earlyoom");
	cr_expect_str_eq(o.wl[0].name, "touch");
	cr_expect_eq(u->kill.pid, o.wl[0].pid);
	cr_expect_eq(u->kill.pid, 79);
	cr_expect_eq(u->kill.sig, 15);
	cr_expect_str_eq(u->kill.comm, "oomlab-wl");
	cr_expect_eq(u->mem.kind, EO_MEM);
	cr_expect_eq(u->mem.mem_avail_mib, 11);
	cr_expect_float_eq(u->term_mem_pct, 10.0, 1e-9);
	cr_expect_float_eq(u->term_swap_pct, 10.0, 1e-9);
	cr_expect_eq(u->escalated, 1);
	cr_expect_float_eq(u->exited_after_s, -1, 1e-9);
	cr_expect_eq(u->t_us, 9613294);
	cr_expect_eq(o.wl[0].sig, 15, "touch ended by the SIGTERM");
	cell_obs_free(&o);
	free(s);
}

/* The real cell judged: touch ends user_oom_killed by earlyoom, the
 * report says when, at what memory, and who the rule expected first. */
Test(earlyoom, real_cell_judged_and_reported)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(matrix_load("tests/golden/earlyoom/cells.json", &m, &err), 0, "%s", err.data);
	const struct cell_spec *cs = &m.cells[0];
	cr_assert_str_eq(cs->id, "touch-vs-earlyoom");
	char *s = NULL, *c = NULL;
	size_t sl = 0, cl = 0;
	cr_assert_eq(read_file("tests/golden/earlyoom/touch-vs-earlyoom-6.1.stream", &s, &sl), 0);
	cr_assert_eq(read_file("tests/golden/earlyoom/touch-vs-earlyoom-6.1.console.log", &c, &cl), 0);
	struct cell_obs o;
	struct cell_outcome oc;
	struct vm_result vr = {0};
	collect_cell(s, sl, c, cl, cs->n_wl, &o);
	outcome_compute(cs, &o, &vr, &oc);
	cr_expect_eq(oc.wl[0].endpoint, EP_USER_OOM_KILLED);
	cr_expect_eq(oc.wl[0].uoom_idx, 0);
	cr_expect_eq(oc.wl[0].oom_idx, -1);
	cr_expect_eq(oc.wl[0].verdict, V_PASS, "%s", oc.wl[0].why);
	cr_expect_eq(oc.wl[1].endpoint, EP_EXIT, "earlyoom is stopped when touch is done");
	cr_expect_eq(oc.verdict, V_PASS, "%s", oc.why);
	struct cell_ctx cx = {.run_id = "t", .accel = "tcg", .append = "x", .console_file = "c",
			      .stream_file = "s", .wall_s = 1.0};
	json_t *rep = report_cell(cs, &o, &oc, &cx);
	json_t *w = json_array_get(json_object_get(rep, "workloads"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(w, "endpoint")), "user_oom_killed");
	cr_expect_str_eq(json_string_value(json_object_get(w, "killer")), "earlyoom");
	cr_expect_eq(json_integer_value(json_object_get(w, "user_oom_event")), 0);
	cr_expect_null(json_object_get(json_array_get(json_object_get(rep, "workloads"), 1), "killer"));
	json_t *u = json_object_get(rep, "user_oom");
	cr_assert_not_null(u);
	cr_expect_str_eq(json_string_value(json_object_get(u, "first_observed")), "earlyoom");
	/* 10 % of MemTotal 210752 kB; inside it the memory fell 27792 kB in
	 * 168 ms: 16543 kB a poll, the margin is less than twice that */
	cr_expect_eq(json_integer_value(json_object_get(u, "threshold_mem_kb")), 21075);
	cr_expect_eq(json_integer_value(json_object_get(u, "threshold_swap_kb")), 0);
	cr_expect_str_eq(json_string_value(json_object_get(u, "first_predicted")), "either",
			 "%s", json_string_value(json_object_get(u, "rule")));
	cr_expect_str_eq(json_string_value(json_object_get(u, "rule")),
			 "earlyoom at MemAvailable <= 21075 kB, SwapFree <= 0 kB: margin 21075 kB, 16543 kB "
			 "per 100 ms poll at the fastest sampled fall inside it: a race: the margin is close "
			 "to what one poll lets pass");
	cr_expect(json_is_null(json_object_get(u, "first_kernel_kill_s")));
	cr_expect_float_eq(json_real_value(json_object_get(u, "first_user_kill_s")), 0.800206, 1e-9);
	json_t *e = json_array_get(json_object_get(u, "events"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(e, "signal")), "SIGTERM");
	cr_expect_eq(json_integer_value(json_object_get(e, "victim_workload")), 0);
	cr_expect_str_eq(json_string_value(json_object_get(e, "victim_comm")), "oomlab-wl");
	json_t *seen = json_object_get(e, "seen");
	cr_expect_eq(json_integer_value(json_object_get(seen, "MemAvailable_mb")), 11);
	json_t *smp = json_object_get(e, "sample");
	cr_expect_eq(json_integer_value(json_object_get(smp, "t_ms")), 9545);
	cr_expect_eq(json_integer_value(json_object_get(smp, "MemAvailable_kb")), 11524);
	cr_expect_eq(json_integer_value(json_object_get(smp, "SwapFree_kb")), 0);
	json_decref(rep);
	cell_outcome_free(&oc);
	cell_obs_free(&o);
	matrix_free(&m);
	free(s);
	free(c);
}

/* Rule 9: earlyoom's thresholds as earlyoom computes them, and who acts
 * first from the margin and the sampled fall inside it. */
Test(earlyoom, rule_thresholds_and_who_first)
{
	struct uoom_in u = {.present = 1, .mem_total_kb = 210752, .swap_total_kb = 262140,
			    .fill_kb_per_ms = 100};
	long long tm, ts;
	char why[320];
	/* neither -m nor -M: 10 % of each */
	cr_expect_eq(oracle_uoom_first(&u, &tm, &ts, why, sizeof why), UF_USER, "%s", why);
	cr_expect_eq(tm, 21075);
	cr_expect_eq(ts, 26214);
	cr_expect_str_eq(why, "earlyoom at MemAvailable <= 21075 kB, SwapFree <= 26214 kB: margin 47289 kB, "
			      "10000 kB per 100 ms poll at the fastest sampled fall inside it: earlyoom acts first");
	/* -m 30 and -M 20000: the lower; -S alone: it */
	u.mem_percent = 30;
	u.mem_kb = 20000;
	u.swap_kb = 1000;
	oracle_uoom_thresholds(&u, &tm, &ts);
	cr_expect_eq(tm, 20000);
	cr_expect_eq(ts, 1000);
	u.mem_kb = 0;
	oracle_uoom_thresholds(&u, &tm, &ts);
	cr_expect_eq(tm, 63225);
	/* no swap: SwapFree is 0 % for earlyoom, only memory counts */
	u = (struct uoom_in){.present = 1, .mem_total_kb = 210752, .swap_percent = 50,
			     .fill_kb_per_ms = 165.4};
	cr_expect_eq(oracle_uoom_first(&u, &tm, &ts, why, sizeof why), UF_EITHER, "%s", why);
	cr_expect_eq(ts, 0);
	u.mem_percent = 30; /* 63225 kB >= 2 x 16540 */
	cr_expect_eq(oracle_uoom_first(&u, &tm, &ts, why, sizeof why), UF_USER, "%s", why);
	u.mem_percent = 0;
	u.mem_kb = 8000; /* 8000 < 16540 / 2 */
	cr_expect_eq(oracle_uoom_first(&u, &tm, &ts, why, sizeof why), UF_KERNEL, "%s", why);
	u.fill_kb_per_ms = -1; /* never sampled inside the margin */
	cr_expect_eq(oracle_uoom_first(&u, &tm, &ts, why, sizeof why), UF_EITHER, "%s", why);
	/* no two samples inside the margin, but the fastest fall sampled
	 * anywhere (faster than inside it, where reclaim slows it) is an upper
	 * bound: a margin of twice what it lets pass in a poll is earlyoom's
	 * (a touch so fast that 100 ms samples skip the margin, seen in CI) */
	u = (struct uoom_in){.present = 1, .mem_total_kb = 210752, .mem_percent = 30,
			     .fill_kb_per_ms = 300, .fill_is_bound = 1};
	cr_expect_eq(oracle_uoom_first(&u, &tm, &ts, why, sizeof why), UF_USER, "%s", why);
	cr_expect_str_eq(why, "earlyoom at MemAvailable <= 63225 kB, SwapFree <= 0 kB: margin 63225 kB, "
			      "at most 30000 kB per 100 ms poll (the fastest sampled fall; no two samples "
			      "inside the margin): earlyoom acts first");
	/* a bound can say earlyoom, never the kernel: above the margin the
	 * memory falls faster than where the kernel's OOM point is */
	u.fill_kb_per_ms = 2000;
	cr_expect_eq(oracle_uoom_first(&u, &tm, &ts, why, sizeof why), UF_EITHER, "%s", why);
	/* with swap, -S 0 ... is not expressible (0: not given), but a
	 * threshold that rounds to 0 is a race for the swap's last page */
	u = (struct uoom_in){.present = 1, .mem_total_kb = 210752, .swap_total_kb = 50, .swap_percent = 1,
			     .fill_kb_per_ms = 1};
	cr_expect_eq(oracle_uoom_first(&u, &tm, &ts, why, sizeof why), UF_EITHER, "%s", why);
	cr_expect_eq(ts, 0);
	u.present = 0;
	cr_expect_eq(oracle_uoom_first(&u, &tm, &ts, why, sizeof why), UF_NONE);
	cr_expect_null(oracle_uoom_first_name(UF_NONE));
	cr_expect_str_eq(oracle_uoom_first_name(UF_USER), "earlyoom");
	cr_expect_str_eq(oracle_uoom_first_name(UF_EITHER), "either");
	cr_expect_str_eq(oracle_uoom_first_name(UF_KERNEL), "kernel");
}

/* touch beside earlyoom: user_oom_killed first when earlyoom acts first,
 * at MemAvailable + swap less the margin; the kernel's rule alone when
 * the kernel does. */
Test(earlyoom, rule_predicts_touch_beside_earlyoom)
{
	struct oracle_in in = {.mem_total_kb = 210752, .mem_available_kb = 185000, .swap_total_kb = 0,
			       .commit_limit_kb = 105376, .committed_as_kb = 3000, .cpus = 1,
			       .n_workloads = 2, .wl = wl_find("touch"), .block_kb = 1024,
			       .start_vmsize_kb = 1000};
	struct uoom_in u = {.present = 1, .mem_total_kb = 210752, .mem_percent = 30, .fill_kb_per_ms = 100};
	struct prediction p;
	oracle_predict_uoom(&in, &u, &p);
	cr_assert_eq(p.n_endpoints, 2);
	cr_expect_str_eq(p.endpoints[0], "user_oom_killed");
	cr_expect_str_eq(p.endpoints[1], "oom_killed");
	cr_expect_float_eq(p.mb_min, 0, 1e-9); /* together */
	cr_expect_float_eq(p.mb_max, 185000.0 / 1024 * 1.08 + 1, 1e-6);
	char why[256];
	cr_expect(oracle_agrees(&p, "user_oom_killed", 118, why, sizeof why), "%s", why);
	/* the kernel first: its rule, user_oom_killed still accepted (any
	 * killable workload may be earlyoom's victim) */
	u.mem_percent = 1;
	u.fill_kb_per_ms = 400;
	oracle_predict_uoom(&in, &u, &p);
	cr_expect_str_eq(p.endpoints[0], "oom_killed");
	cr_expect_str_eq(p.endpoints[1], "user_oom_killed");
	/* no killer: no user_oom_killed */
	oracle_predict(&in, &p);
	cr_assert_eq(p.n_endpoints, 1);
	cr_expect_str_eq(p.endpoints[0], "oom_killed");
}
