// SPDX-License-Identifier: GPL-2.0-or-later
/* The stress-ng workload's pure parts: folding its --yaml report into
 * metrics and counting its OOM lines, on golden files captured in real
 * guests (tests/golden/stressng/). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge/collect.h"
#include "golden.h"
#include "plan/matrix.h"
#include "judge/outcome.h"
#include "judge/cellreport.h"
#include "reports/rundir.h"
#include "lib/util.h"
#include "workloads/stressng.h"

/* The "key=value" pairs of the header line starting with tag. Returns the
 * value of key (0) or -1. */
static int hdr_get(const char *data, const char *tag, const char *key, char *out, size_t outsz)
{
	const char *h = strstr(data, tag);
	if (!h)
		return -1;
	const char *p = h + strlen(tag), *le = strchr(p, '\n');
	size_t kl = strlen(key);
	while (p < le) {
		while (*p == ' ')
			p++;
		const char *eq = memchr(p, '=', (size_t)(le - p));
		if (!eq)
			return -1;
		const char *ve = memchr(eq, ' ', (size_t)(le - eq));
		if (!ve)
			ve = le;
		if ((size_t)(eq - p) == kl && !memcmp(p, key, kl)) {
			snprintf(out, outsz, "%.*s", (int)(ve - eq - 1), eq + 1);
			return 0;
		}
		p = ve;
	}
	return -1;
}

static long long hdr_ll(const char *data, const char *tag, const char *key)
{
	char v[64];
	cr_assert(hdr_get(data, tag, key, v, sizeof v) == 0, "no %s in '%s'", key, tag);
	return strtoll(v, NULL, 10);
}

static void check_yaml(const char *rel)
{
	struct golden g;
	golden_load(rel, &g);
	char *b = dup_exact(g.body, g.body_len);
	static struct sng_metric m[64];
	size_t n = sng_yaml_fold(b, g.body_len, m, 64);
	cr_assert_eq((long long)n, hdr_ll(g.data, "# expect: ", "n"), "%s: %zu metrics", rel, n);
	for (size_t i = 0; i < n; i++) {
		char tag[48];
		snprintf(tag, sizeof tag, "# expect metric[%zu]: ", i);
		const char *h = strstr(g.data, tag);
		cr_assert(h, "%s: no line %s", rel, tag);
		h += strlen(tag);
		const char *eq = strchr(h, '='), *le = strchr(h, '\n');
		cr_assert(eq && eq < le);
		cr_assert_eq(strlen(m[i].key), (size_t)(eq - h), "%s [%zu]: %s", rel, i, m[i].key);
		cr_assert(!memcmp(m[i].key, h, (size_t)(eq - h)), "%s [%zu]: %s", rel, i, m[i].key);
		cr_assert_eq(strlen(m[i].val), (size_t)(le - eq - 1));
		cr_assert(!memcmp(m[i].val, eq + 1, (size_t)(le - eq - 1)), "%s [%zu]: %s", rel, i, m[i].val);
		/* what collect.c accepts as a metric key */
		cr_assert(strlen(m[i].key) <= 96);
		for (const char *k = m[i].key; *k; k++)
			cr_assert((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_' || *k == '.');
	}
	/* a smaller max is respected; every prefix is safe */
	cr_assert_eq(sng_yaml_fold(b, g.body_len, m, 3), n < 3 ? n : 3);
	for (size_t k = 0; k < g.body_len; k++) {
		char *p = dup_exact(g.body, k);
		cr_assert(sng_yaml_fold(p, k, m, 64) <= n);
		free(p);
	}
	free(b);
	golden_free(&g);
}

Test(stressng, yaml_vm_oom)
{
	check_yaml("stressng/vm-oom-6.1.yaml");
}

Test(stressng, yaml_brk_extra_metrics)
{
	check_yaml("stressng/brk-6.1.yaml");
}

static void check_log(const char *rel)
{
	struct golden g;
	golden_load(rel, &g);
	struct sng_log l;
	memset(&l, 0, sizeof l);
	long long fwd = 0;
	for (size_t i = 0; i < g.body_len;) {
		const char *s = g.body + i, *nl = memchr(s, '\n', g.body_len - i);
		size_t n = nl ? (size_t)(nl - s) : g.body_len - i;
		char *line = dup_exact(s, n); /* exact size: ASan catches overreads */
		sng_log_line(&l, line, n);
		fwd += sng_log_forward(line, n);
		free(line);
		i += n + 1;
	}
	const char *t = "# expect: ";
	cr_assert_eq(l.oom_restarts, hdr_ll(g.data, t, "oom_restarts"), "%s", rel);
	cr_assert_eq(l.oom_bailouts, hdr_ll(g.data, t, "oom_bailouts"), "%s", rel);
	cr_assert_eq(l.oom_restarts_sum, hdr_ll(g.data, t, "oom_restarts_sum"), "%s", rel);
	cr_assert_eq(l.segv_restarts_sum, hdr_ll(g.data, t, "segv_restarts_sum"), "%s", rel);
	cr_assert_eq(l.bus_restarts_sum, hdr_ll(g.data, t, "bus_restarts_sum"), "%s", rel);
	cr_assert_eq(l.summaries, hdr_ll(g.data, t, "summaries"), "%s", rel);
	cr_assert_eq(l.errors, hdr_ll(g.data, t, "errors"), "%s", rel);
	cr_assert_eq(l.completed, hdr_ll(g.data, t, "completed"), "%s", rel);
	cr_assert_eq(fwd, hdr_ll(g.data, t, "forwarded"), "%s", rel);
	golden_free(&g);
}

Test(stressng, log_vm_oom)
{
	check_log("stressng/vm-oom-6.1.log");
}

/* The case where stress-ng's own summary undercounts: the per-kill lines
 * are what oom_restarts counts. */
Test(stressng, log_bigheap_summary_missing)
{
	check_log("stressng/bigheap-oom-6.1.log");
}

Test(stressng, yaml_edge_cases)
{
	static const char y[] = "---\n"
				"system-info:\n"
				"      uptime: 9\n"
				"metrics:\n"
				"    - stressor: 'oom-pipe'\n"
				"      bogo-ops: 12\n"
				"      note: not-a-number\n"
				"      nan-value: nan\n"
				"      quoted: \"3.5\"\n"
				"      no colon here\n"
				"    - other: x\n"
				"      orphan: 1\n"
				"    - stressor: Big Heap\n"
				"      max-rss: 1.5e+03\n"
				"      a-very-long-metric-name-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on: 1\n"
				"times:\n"
				"      run-time: 6.0\n"
				"...\n";
	struct sng_metric m[8];
	size_t n = sng_yaml_fold(y, sizeof y - 1, m, 8);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(m[0].key, "sng.oom_pipe.bogo_ops");
	cr_assert_str_eq(m[0].val, "12");
	cr_assert_str_eq(m[1].key, "sng.oom_pipe.quoted");
	cr_assert_str_eq(m[1].val, "3.5");
	cr_assert_str_eq(m[2].key, "sng.big_heap.max_rss");
	cr_assert_str_eq(m[2].val, "1.5e+03");
	cr_assert_eq(sng_yaml_fold("", 0, m, 8), 0);
	cr_assert_eq(sng_yaml_fold(y, sizeof y - 1, m, 0), 0);
}

Test(stressng, log_lines)
{
	struct sng_log l;
	memset(&l, 0, sizeof l);
	static const char *const lines[] = {
		"stress-ng: debug: [81] mmap: assuming killed by OOM killer, bailing out (instance 0)",
		"stress-ng: error: [80] No stress workers invoked",
		"stress-ng: fail:  [81] vm: detected memory error",
		"stress-ng: info:  [80] unsuccessful run completed in 6.02s",
		"stress-ng: debug: [81] vm: OOM restarts: 3, SIGSEGV restarts: 2, SIGBUS restarts: 1",
		"OOM restarts:",
		"",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		sng_log_line(&l, lines[i], strlen(lines[i]));
	cr_assert_eq(l.oom_bailouts, 1);
	cr_assert_eq(l.oom_restarts, 0);
	cr_assert_eq(l.errors, 2);
	cr_assert_eq(l.completed, -1);
	cr_assert_eq(l.summaries, 1);
	cr_assert_eq(l.oom_restarts_sum, 3);
	cr_assert_eq(l.segv_restarts_sum, 2);
	cr_assert_eq(l.bus_restarts_sum, 1);
	cr_assert(sng_log_forward(lines[1], strlen(lines[1])));
	cr_assert(sng_log_forward(lines[3], strlen(lines[3])));
	cr_assert(!sng_log_forward(lines[0], strlen(lines[0])));
	cr_assert(!sng_log_forward("stress-ng: metrc: [80] vm 1 2", 29));
	cr_assert(!sng_log_forward("stress-ng", 9));
}

/* A whole real cell (tests/golden/stressng/cells.json, its stream and
 * console): two vm instances OOM-killed again and again. The collector and
 * the report attribute every OOM kill to the workload's children, and
 * their number is stress-ng's own count of OOM restarts. */
Test(stressng, cell_replay_oom_restarts_equal_kills)
{
	const char *root = getenv("OOMLAB_ROOT");
	root = root && *root ? root : ".";
	char *mp = xasprintf("%s/tests/golden/stressng/cells.json", root);
	char *sp = xasprintf("%s/tests/golden/stressng/stress-ng-vm.stream", root);
	char *cp = xasprintf("%s/tests/golden/stressng/stress-ng-vm.console.log", root);
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(matrix_load(mp, &m, &err), 0, "%s", err.data);
	cr_assert_eq(m.n_cells, 1);
	const struct cell_spec *cs = &m.cells[0];
	char *stream, *console;
	size_t sl, cl;
	cr_assert_eq(read_file(sp, &stream, &sl), 0, "%s", sp);
	cr_assert_eq(read_file(cp, &console, &cl), 0, "%s", cp);
	struct cell_obs obs;
	collect_cell(stream, sl, console, cl, cs->n_wl, &obs);
	struct vm_result vr = {0};
	struct cell_outcome oc;
	outcome_compute(cs, &obs, &vr, &oc);
	struct cell_ctx cx = {.run_id = "t", .accel = "tcg", .append = "x", .console_file = "c",
			      .stream_file = "s", .wall_s = 1.0};
	json_t *rep = report_cell(cs, &obs, &oc, &cx);
	json_t *w = json_array_get(json_object_get(rep, "workloads"), 0);
	json_t *met = json_object_get(w, "metrics");
	cr_assert_str_eq(json_string_value(json_object_get(w, "endpoint")), "exit");
	cr_assert_str_eq(json_string_value(json_object_get(w, "child_comm")), "stress-ng");
	json_int_t restarts = json_integer_value(json_object_get(met, "oom_restarts"));
	cr_assert_eq(restarts, 25);
	cr_assert_eq(json_integer_value(json_object_get(met, "oom_restarts_summary")), 25);
	cr_assert_eq(json_integer_value(json_object_get(w, "oom_kills_of_children")), restarts);
	json_t *evs = json_object_get(rep, "oom_events");
	cr_assert_eq(json_array_size(evs), (size_t)restarts);
	size_t i;
	json_t *e;
	json_array_foreach(evs, i, e) {
		cr_assert_eq(json_integer_value(json_object_get(e, "victim_child_of")), 0, "event %zu", i);
		cr_assert(json_is_null(json_object_get(e, "victim_workload")));
		cr_assert_str_eq(json_string_value(json_object_get(e, "victim_comm")), "stress-ng-vm");
	}
	cr_assert(json_is_integer(json_object_get(met, "sng.vm.bogo_ops")));
	json_t *sum = rundir_cell_row(rep, "cells/x.json");
	json_t *row = json_array_get(json_object_get(sum, "workloads"), 0);
	cr_assert_eq(json_integer_value(json_object_get(row, "oom_kills_of_children")), restarts);
	cr_assert_eq(json_integer_value(json_object_get(row, "oom_events")), 0);
	/* a second stress-ng workload running at the same time would make the
	 * kills ambiguous: none is attributed then */
	struct cell_spec two = *cs;
	struct wl_spec wl2[2] = {cs->wl[0], cs->wl[0]};
	two.wl = wl2;
	two.n_wl = 2;
	struct cell_obs obs2;
	collect_cell(stream, sl, console, cl, 2, &obs2);
	json_decref(obs2.wl[1].series);
	json_decref(obs2.wl[1].metrics);
	obs2.wl[1] = obs2.wl[0]; /* both "ran" the whole time */
	obs2.wl[1].series = json_object();
	obs2.wl[1].metrics = json_object();
	obs2.wl[1].pid = obs2.wl[0].pid + 100000;
	struct cell_outcome oc2;
	outcome_compute(&two, &obs2, &vr, &oc2);
	json_t *rep2 = report_cell(&two, &obs2, &oc2, &cx);
	json_array_foreach(json_object_get(rep2, "oom_events"), i, e)
		cr_assert(json_is_null(json_object_get(e, "victim_child_of")), "event %zu", i);
	json_decref(rep2);
	cell_outcome_free(&oc2);
	cell_obs_free(&obs2);
	json_decref(sum);
	json_decref(rep);
	cell_outcome_free(&oc);
	cell_obs_free(&obs);
	matrix_free(&m);
	buf_free(&err);
	free(stream);
	free(console);
	free(mp);
	free(sp);
	free(cp);
}
