// SPDX-License-Identifier: GPL-2.0-or-later
/* Stalls: the matrix key "stall" with its exact errors (plan/stallcfg.h),
 * its cell.conf line, and real cells of examples/stall.json whose agent
 * reported a stall (tests/golden/stall/), measured by judge/stall.c. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "judge/cellreport.h"
#include "judge/collect.h"
#include "judge/outcome.h"
#include "judge/stall.h"
#include "golden.h"
#include "lib/util.h"
#include "plan/matrix.h"
#include "plan/stallcfg.h"
#include "proto/cellconf.h"

static int parse(const char *js, struct stall_cfg *c, char **where, struct buf *why)
{
	json_error_t je;
	json_t *v = json_loads(js, JSON_DECODE_ANY, &je);
	cr_assert_not_null(v, "%s", je.text);
	int r = stall_cfg_parse(v, c, where, why);
	json_decref(v);
	return r;
}

Test(stallcfg, default_and_overrides)
{
	struct stall_cfg c = stall_cfg_default();
	char *where;
	struct buf why = {0};
	cr_expect_eq(c.seconds, 20);
	cr_expect_eq(c.psi_full, 40.0);
	cr_assert_eq(parse("{\"seconds\": 5}", &c, &where, &why), 0);
	cr_expect_eq(c.seconds, 5);
	cr_expect_eq(c.psi_full, 40.0, "a key left out keeps what was there");
	cr_assert_eq(parse("{\"psi_full\": 12.5}", &c, &where, &why), 0);
	cr_expect_eq(c.seconds, 5);
	cr_expect_eq(c.psi_full, 12.5);
	cr_assert_eq(parse("{\"seconds\": 0, \"psi_full\": 100}", &c, &where, &why), 0);
	cr_expect_eq(c.seconds, 0);
	cr_expect_eq(c.psi_full, 100.0);
	cr_assert_eq(parse("{}", &c, &where, &why), 0);
	cr_expect_eq(c.seconds, 0);
}

Test(stallcfg, errors_name_the_key_and_what_is_allowed)
{
	static const struct {
		const char *js, *where, *why;
	} bad[] = {
		{"[]", "", "must be an object {\"seconds\": N, \"psi_full\": P} (seconds 0..86400, 0: off; psi_full 0..100)"},
		{"5", "", "must be an object {\"seconds\": N, \"psi_full\": P} (seconds 0..86400, 0: off; psi_full 0..100)"},
		{"{\"seconds\": -1}", ".seconds",
		 "must be an integer in 0..86400 (seconds without progress; 0: no stall detection)"},
		{"{\"seconds\": 86401}", ".seconds",
		 "must be an integer in 0..86400 (seconds without progress; 0: no stall detection)"},
		{"{\"seconds\": 1.5}", ".seconds",
		 "must be an integer in 0..86400 (seconds without progress; 0: no stall detection)"},
		{"{\"psi_full\": 100.5}", ".psi_full",
		 "must be a number in 0..100 (PSI full avg10 of /proc/pressure/memory, percent)"},
		{"{\"psi_full\": \"50\"}", ".psi_full",
		 "must be a number in 0..100 (PSI full avg10 of /proc/pressure/memory, percent)"},
		{"{\"seconds\": 5, \"psi_some\": 10}", ".psi_some", "unknown key (allowed: seconds, psi_full)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct stall_cfg c = {7, 8};
		char *where;
		struct buf why = {0};
		cr_expect_eq(parse(bad[i].js, &c, &where, &why), -1, "%s", bad[i].js);
		cr_expect_str_eq(where, bad[i].where, "%s", bad[i].js);
		cr_expect_str_eq(why.data, bad[i].why, "%s", bad[i].js);
		cr_expect_eq(c.seconds, 7, "%s: left as it was", bad[i].js);
		cr_expect_eq(c.psi_full, 8.0, "%s", bad[i].js);
		free(where);
		buf_free(&why);
	}
}

/* In a matrix: one line naming the file and the JSON path (oomlab plan
 * exits 2); the top level's over the default, a cell's over that; the
 * cell.conf line in ms and hundredths of a percent, none when off. */
Test(stallcfg, matrix_errors_defaults_and_cellconf)
{
	static const char *const m1 = "{\"name\":\"p\",\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\"}],"
				      "\"stall\":{\"seconds\":5,\"psi_full\":-1}}]}";
	struct matrix m;
	struct buf err = {0};
	cr_assert_neq(matrix_load_buf("m.json", m1, strlen(m1), ".", &m, &err), 0);
	cr_expect_str_eq(err.data, "m.json: cells[0].stall.psi_full: must be a number in 0..100 (PSI full "
				   "avg10 of /proc/pressure/memory, percent)");
	buf_free(&err);
	static const char *const m2 = "{\"name\":\"p\",\"stall\":{\"when\":1},"
				      "\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\"}]}]}";
	cr_assert_neq(matrix_load_buf("m.json", m2, strlen(m2), ".", &m, &err), 0);
	cr_expect_str_eq(err.data, "m.json: stall.when: unknown key (allowed: seconds, psi_full)");
	buf_free(&err);
	static const char *const m3 = "{\"name\":\"p\",\"stall\":{\"psi_full\":12.34},"
				      "\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\"}]},"
				      "{\"name\":\"b\",\"stall\":{\"seconds\":6},\"workloads\":[{\"name\":\"touch\"}]},"
				      "{\"name\":\"c\",\"stall\":{\"seconds\":0},\"workloads\":[{\"name\":\"touch\"}]}]}";
	cr_assert_eq(matrix_load_buf("m.json", m3, strlen(m3), ".", &m, &err), 0, "%s", err.data);
	cr_expect_eq(m.cells[0].stall.seconds, 20);
	cr_expect_eq(m.cells[0].stall.psi_full, 12.34);
	cr_expect_eq(m.cells[1].stall.seconds, 6);
	cr_expect_eq(m.cells[1].stall.psi_full, 12.34);
	char *conf = cellconf_build(&m.cells[0], NULL);
	cr_expect_not_null(strstr(conf, "\ndeadline_s\t105\nstall\t20000\t1234\nvmstat\t"), "%s", conf);
	free(conf);
	conf = cellconf_build(&m.cells[1], NULL);
	cr_expect_not_null(strstr(conf, "\nstall\t6000\t1234\n"), "%s", conf);
	free(conf);
	conf = cellconf_build(&m.cells[2], NULL);
	cr_expect_null(strstr(conf, "stall\t"), "%s", conf);
	free(conf);
	matrix_free(&m);
	static const char *const m4 = "{\"name\":\"p\",\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\"}]}]}";
	cr_assert_eq(matrix_load_buf("m.json", m4, strlen(m4), ".", &m, &err), 0, "%s", err.data);
	conf = cellconf_build(&m.cells[0], NULL);
	cr_expect_not_null(strstr(conf, "\nstall\t20000\t4000\n"), "the default: %s", conf);
	free(conf);
	matrix_free(&m);
}

/* examples/stall.json recorded on Debian 6.1.0-57 (tests/golden/examples/
 * stall/): in 256 MiB filecache re-read its 96 MiB from the disk pass
 * after pass and the agent ended it 8.2 s into the stall, 12.5 s after it started; in 384 MiB it
 * finished. */
static void judge_cell(const char *id, int keep_expect, struct cell_obs *o, struct cell_outcome *oc,
		       struct matrix *m)
{
	struct buf err = {0};
	cr_assert_eq(matrix_load("examples/stall.json", m, &err), 0, "%s", err.data);
	struct cell_spec *cs = NULL;
	for (size_t i = 0; i < m->n_cells; i++)
		if (!strcmp(m->cells[i].id, id))
			cs = &m->cells[i];
	cr_assert_not_null(cs, "%s", id);
	if (!keep_expect) {
		free(cs->wl[0].expect);
		cs->wl[0].expect = NULL;
	}
	char *sp = xasprintf("tests/golden/examples/stall/%s.stream.xz", id);
	char *cp = xasprintf("tests/golden/examples/stall/%s.console.log.xz", id);
	size_t sl, cl;
	char *s = read_xz(sp, &sl), *c = read_xz(cp, &cl);
	collect_cell(s, sl, c, cl, cs->n_wl, o);
	struct vm_result vr = {0};
	outcome_compute(cs, o, &vr, oc);
	free(s);
	free(c);
	free(sp);
	free(cp);
}

Test(stall, a_real_stall_at_the_limit)
{
	struct matrix m;
	struct cell_obs o;
	struct cell_outcome oc;
	judge_cell("256-mib", 1, &o, &oc, &m);
	cr_assert(o.wl[0].has_stall);
	cr_expect_eq(o.wl[0].stall_limit, 1);
	cr_expect_eq(o.wl[0].stall_start_us, 22996454);
	cr_expect_eq(o.wl[0].stall_end_us, 31202389);
	cr_expect_eq(o.wl[1].has_stall, 0, "touch held its memory asleep");
	cr_expect_eq(oc.wl[0].endpoint, EP_STALLED);
	cr_expect_eq(oc.wl[0].verdict, V_PASS, "%s", oc.wl[0].why);
	cr_expect_eq(oc.verdict, V_PASS, "%s", oc.why);
	const struct stall_report *st = &oc.wl[0].stall;
	cr_assert(st->present);
	cr_expect_eq(st->t_start_us, 22996454);
	cr_expect_eq(st->t_end_us, 31202389);
	cr_expect_float_eq(st->start_s, 12.483116, 1e-9);
	cr_expect_float_eq(st->length_s, 8.205935, 1e-9);
	cr_expect_float_eq(st->psi_full_max, 9.26, 1e-9);
	cr_expect_float_eq(st->psi_full_mean, 8.586, 0.0005);
	cr_expect_eq(st->refaults_anon, 0);
	cr_expect_eq(st->refaults_file, 44808);
	cr_expect_eq(st->ended_by, SE_STALL_LIMIT);
	cr_expect_float_eq(st->time_to_end_s, 21.705536, 1e-9);
	cr_expect_float_eq(st->time_growing_s, 12.483116, 1e-9);
	cr_expect_float_eq(st->time_stalled_s, 9.22242, 1e-9);
	cr_expect_eq(oc.wl[1].stall.present, 0);
	/* its stall is a finding its expect allows */
	cr_assert_eq(oc.findings.n, 1);
	cr_expect_eq(oc.findings.f[0].f.kind, FK_STALL);
	cr_expect_str_eq(oc.findings.f[0].f.title, "stall in filecache");
	cr_expect_eq(oc.findings.f[0].f.ts_us, 22996454);
	cr_expect_eq(oc.findings.f[0].allowed, 1);
	cr_expect_str_eq(oc.findings.f[0].allowed_by, "expect: stalled");
	/* the report: the workload's stall object, none for touch */
	struct cell_ctx cx = {.run_id = "t", .accel = "tcg", .append = "", .console_file = "c", .stream_file = "s"};
	json_t *r = report_cell(&m.cells[0], &o, &oc, &cx);
	json_t *w0 = json_array_get(json_object_get(r, "workloads"), 0);
	char *js = json_dumps(json_object_get(w0, "stall"), JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_REAL_PRECISION(6));
	cr_expect_str_eq(js, "{\"t_start_us\":22996454,\"start_s\":12.483,\"length_s\":8.206,"
			     "\"psi_full_avg10_max\":9.26,\"psi_full_avg10_mean\":8.586,\"refaults_anon\":0,"
			     "\"refaults_file\":44808,\"ended_by\":\"stall_limit\",\"time_to_end_s\":21.706,"
			     "\"time_growing_s\":12.483,\"time_stalled_s\":9.222}");
	free(js);
	cr_expect_str_eq(json_string_value(json_object_get(w0, "endpoint")), "stalled");
	cr_expect_null(json_object_get(json_array_get(json_object_get(r, "workloads"), 1), "stall"));
	json_decref(r);
	cell_outcome_free(&oc);
	cell_obs_free(&o);
	matrix_free(&m);
}

/* The oracle never predicts a stall: without expect it is a FAIL. */
Test(stall, a_stall_not_expected_fails)
{
	struct matrix m;
	struct cell_obs o;
	struct cell_outcome oc;
	judge_cell("256-mib", 0, &o, &oc, &m);
	cr_expect_eq(oc.wl[0].endpoint, EP_STALLED);
	cr_expect_eq(oc.wl[0].verdict, V_FAIL);
	cr_expect_str_eq(oc.wl[0].why, "stalled: no progress for 8.2 s under memory pressure (PSI full "
				       "avg10 up to 9.26); predicted exit");
	cr_expect_eq(oc.verdict, V_FAIL);
	/* the stall is a kernel finding too, and its title leads the reason */
	cr_expect_str_eq(oc.why, "kernel finding: stall in filecache; workload 0 (filecache): stalled: no "
				 "progress for 8.2 s under memory pressure (PSI full avg10 up to 9.26); "
				 "predicted exit");
	cr_assert_eq(oc.findings.n, 1);
	cr_expect_eq(oc.findings.f[0].f.kind, FK_STALL);
	cr_expect_str_eq(oc.findings.f[0].f.title, "stall in filecache");
	cr_expect_eq(oc.findings.f[0].f.ts_us, 22996454);
	cr_expect_eq(oc.findings.f[0].allowed, 0);
	cr_expect_null(oc.findings.f[0].allowed_by);
	cell_outcome_free(&oc);
	cell_obs_free(&o);
	matrix_free(&m);
}

Test(stall, no_stall_where_the_working_set_fits)
{
	struct matrix m;
	struct cell_obs o;
	struct cell_outcome oc;
	judge_cell("384-mib", 1, &o, &oc, &m);
	cr_expect_eq(o.wl[0].has_stall, 0);
	cr_expect_eq(oc.wl[0].endpoint, EP_EXIT);
	cr_expect_eq(oc.wl[0].stall.present, 0);
	cr_expect_eq(oc.findings.n, 0);
	cr_expect_eq(oc.verdict, V_PASS, "%s", oc.why);
	cell_outcome_free(&oc);
	cell_obs_free(&o);
	matrix_free(&m);
}

/* A stall the OOM killer ended before the limit (a stall record with
 * limit=0): measured over the samples from the one that started it to
 * the last before its end; time to OOM split at its start. */
Test(stall, a_stall_the_oom_killer_ended)
{
	struct cell_obs o;
	memset(&o, 0, sizeof o);
	struct wl_obs w;
	memset(&w, 0, sizeof w);
	w.spawned = 1;
	w.t_spawn_us = 1000000;
	w.exited = 1;
	w.t_exit_us = 9600000;
	w.has_stall = 1;
	w.stall_limit = 0;
	w.stall_start_us = 5000400; /* right after the sample at 5000 ms */
	w.stall_end_us = 9500000;
	o.wl = &w;
	o.n_wl = 1;
	o.series = json_loads("{\"t_ms\":[4000,5000,6000,7000,8000,9000,10000],"
			      "\"psi\":{\"full_avg10\":[1.0,30.0,45.5,null,60.0,50.0,99.0]},"
			      "\"vmstat\":{\"workingset_refault_anon\":[0,10,20,30,40,110,500],"
			      "\"workingset_refault_file\":[5,1000,2000,null,4000,6000,9000]}}",
			      0, NULL);
	cr_assert_not_null(o.series);
	struct stall_report r;
	stall_measure(&o, 0, EP_OOM_KILLED, 9400000, &r);
	cr_assert(r.present);
	cr_expect_eq(r.ended_by, SE_OOM_KILL);
	cr_expect_float_eq(r.start_s, 4.0004, 1e-9);
	cr_expect_float_eq(r.length_s, 4.4996, 1e-9);
	cr_expect_float_eq(r.psi_full_max, 60.0, 1e-9);
	cr_expect_float_eq(r.psi_full_mean, (30.0 + 45.5 + 60.0 + 50.0) / 4, 1e-9);
	cr_expect_eq(r.refaults_anon, 100);
	cr_expect_eq(r.refaults_file, 5000);
	cr_expect_float_eq(r.time_to_end_s, 8.4, 1e-9, "to the OOM event");
	cr_expect_float_eq(r.time_growing_s, 4.0004, 1e-9);
	cr_expect_float_eq(r.time_stalled_s, 4.3996, 1e-9);
	stall_measure(&o, 0, EP_TIMEOUT, 0, &r);
	cr_expect_eq(r.ended_by, SE_DEADLINE);
	cr_expect_float_eq(r.time_to_end_s, 8.5, 1e-9, "to the record's end");
	stall_measure(&o, 0, EP_EXIT, 0, &r);
	cr_expect_eq(r.ended_by, SE_WORKLOAD_END);
	stall_measure(&o, 0, EP_STALLED, 0, &r);
	cr_expect_eq(r.ended_by, SE_WORKLOAD_END, "stalled needs limit=1");
	w.has_stall = 0;
	stall_measure(&o, 0, EP_OOM_KILLED, 9400000, &r);
	cr_expect_eq(r.present, 0);
	json_decref(o.series);
}

Test(stall, end_words)
{
	cr_expect_str_eq(stall_end_words[SE_STALL_LIMIT], "stall_limit");
	cr_expect_str_eq(stall_end_words[SE_OOM_KILL], "oom_kill");
	cr_expect_str_eq(stall_end_words[SE_DEADLINE], "deadline");
	cr_expect_str_eq(stall_end_words[SE_WORKLOAD_END], "workload_end");
}
