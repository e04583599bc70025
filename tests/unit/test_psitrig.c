// SPDX-License-Identifier: GPL-2.0-or-later
/* PSI triggers: the matrix syntax with its exact errors (plan/psitrig.h,
 * matrix files), their cell.conf lines, and a real cell (Debian 6.1, touch
 * past RAM with swap) whose triggers fired before the OOM kill. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "judge/cellreport.h"
#include "judge/collect.h"
#include "judge/outcome.h"
#include "lib/util.h"
#include "plan/matrix.h"
#include "plan/psitrig.h"
#include "proto/cellconf.h"

static int parse(const char *js, struct psi_trigger **t, size_t *n, char **where, struct buf *why)
{
	json_error_t je;
	json_t *v = json_loads(js, JSON_DECODE_ANY, &je);
	cr_assert_not_null(v, "%s", je.text);
	int r = psi_triggers_parse(v, t, n, where, why);
	json_decref(v);
	return r;
}

Test(psitrig, parses_kinds_and_limits)
{
	struct psi_trigger *t;
	size_t n;
	char *where;
	struct buf why = {0};
	cr_assert_eq(parse("[{\"kind\":\"some\",\"stall_ms\":150,\"window_ms\":1000},"
			   "{\"kind\":\"full\",\"stall_ms\":10000,\"window_ms\":10000},"
			   "{\"kind\":\"some\",\"stall_ms\":1,\"window_ms\":500}]", &t, &n, &where, &why), 0);
	cr_assert_eq(n, 3);
	cr_expect_eq(t[0].full, 0);
	cr_expect_eq(t[0].stall_ms, 150);
	cr_expect_eq(t[0].window_ms, 1000);
	cr_expect_str_eq(psi_trigger_kind(&t[1]), "full");
	cr_expect_eq(t[1].stall_ms, 10000);
	cr_expect_eq(t[2].window_ms, 500);
	free(t);
	cr_assert_eq(parse("[]", &t, &n, &where, &why), 0);
	cr_expect_eq(n, 0);
	cr_expect_null(t);
}

Test(psitrig, errors_name_the_key_and_what_is_allowed)
{
	static const struct {
		const char *js, *where, *why;
	} bad[] = {
		{"{}", "", "must be a list of {\"kind\": \"some\"|\"full\", \"stall_ms\": N, \"window_ms\": M}"},
		{"[1]", "[0]", "must be an object with kind, stall_ms and window_ms"},
		{"[{\"kind\":\"all\",\"stall_ms\":1,\"window_ms\":1000}]", "[0].kind", "must be \"some\" or \"full\""},
		{"[{\"kind\":\"some\",\"stall_ms\":1,\"window_ms\":499}]", "[0].window_ms",
		 "must be an integer in 500..10000 (ms; the kernel's window limits)"},
		{"[{\"kind\":\"some\",\"stall_ms\":1,\"window_ms\":10001}]", "[0].window_ms",
		 "must be an integer in 500..10000 (ms; the kernel's window limits)"},
		{"[{\"kind\":\"some\",\"stall_ms\":1}]", "[0].window_ms",
		 "must be an integer in 500..10000 (ms; the kernel's window limits)"},
		{"[{\"kind\":\"some\",\"stall_ms\":0,\"window_ms\":1000}]", "[0].stall_ms",
		 "must be an integer in 1..1000 (ms; at most the window)"},
		{"[{\"kind\":\"some\",\"stall_ms\":150,\"window_ms\":1000},{\"kind\":\"full\",\"stall_ms\":2000,\"window_ms\":1500}]",
		 "[1].stall_ms", "must be an integer in 1..1500 (ms; at most the window)"},
		{"[{\"kind\":\"some\",\"stall_ms\":1,\"window_ms\":1000,\"cgroup\":\"app\"}]", "[0].cgroup",
		 "unknown key (allowed: kind, stall_ms, window_ms)"},
		{"[{},{},{},{},{},{},{},{},{}]", "", "at most 8 triggers"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct psi_trigger *t;
		size_t n;
		char *where;
		struct buf why = {0};
		cr_expect_eq(parse(bad[i].js, &t, &n, &where, &why), -1, "%s", bad[i].js);
		cr_expect_str_eq(where, bad[i].where, "%s", bad[i].js);
		cr_expect_str_eq(why.data, bad[i].why, "%s", bad[i].js);
		cr_expect_null(t);
		free(where);
		buf_free(&why);
	}
}

/* In a matrix: one line naming the file and the key, exit code 2 from
 * oomlab plan (matrix_load fails); a top-level default for every cell. */
Test(psitrig, matrix_errors_and_defaults)
{
	static const char *const m1 = "{\"name\":\"p\",\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\"}],"
				      "\"psi_triggers\":[{\"kind\":\"full\",\"stall_ms\":2000,\"window_ms\":1000}]}]}";
	struct matrix m;
	struct buf err = {0};
	cr_assert_neq(matrix_load_buf("m.json", m1, strlen(m1), ".", &m, &err), 0);
	cr_expect_str_eq(err.data, "m.json: cells[0].psi_triggers[0].stall_ms: must be an integer in 1..1000 "
				   "(ms; at most the window)");
	buf_free(&err);
	static const char *const m2 = "{\"name\":\"p\",\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":100,\"window_ms\":600}],"
				      "\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\"}]},"
				      "{\"name\":\"b\",\"psi_triggers\":[],\"workloads\":[{\"name\":\"touch\"}]}]}";
	cr_assert_eq(matrix_load_buf("m.json", m2, strlen(m2), ".", &m, &err), 0, "%s", err.data);
	cr_assert_eq(m.cells[0].n_psi, 1);
	cr_expect_eq(m.cells[0].psi[0].stall_ms, 100);
	cr_expect_eq(m.cells[0].psi[0].window_ms, 600);
	cr_expect_eq(m.cells[1].n_psi, 0, "a cell's own list replaces the default");
	char *conf = cellconf_build(&m.cells[0], NULL);
	cr_expect_not_null(strstr(conf, "\npsi\tsome\t100000\t600000\nmode\ttogether\n"), "%s", conf);
	free(conf);
	conf = cellconf_build(&m.cells[1], NULL);
	cr_expect_null(strstr(conf, "psi\t"), "%s", conf);
	free(conf);
	matrix_free(&m);
	static const char *const m3 = "{\"name\":\"p\",\"psi_triggers\":{},"
				      "\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\"}]}]}";
	cr_assert_neq(matrix_load_buf("m.json", m3, strlen(m3), ".", &m, &err), 0);
	cr_expect_str_eq(err.data, "m.json: psi_triggers: must be a list of {\"kind\": \"some\"|\"full\", "
				   "\"stall_ms\": N, \"window_ms\": M}");
	buf_free(&err);
}

/* The real cell: both triggers fired 6 times each, the first 5.49 s after
 * touch started, 4.77 s before the OOM kill at 10.26 s. */
Test(psitrig, real_cell_fires_before_the_oom_kill)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(matrix_load("tests/golden/psi/cells.json", &m, &err), 0, "%s", err.data);
	const struct cell_spec *cs = &m.cells[0];
	char *s = NULL, *c = NULL;
	size_t sl = 0, cl = 0;
	cr_assert_eq(read_file("tests/golden/psi/touch-past-ram-with-swap-6.1.stream", &s, &sl), 0);
	cr_assert_eq(read_file("tests/golden/psi/touch-past-ram-with-swap-6.1.console.log", &c, &cl), 0);
	struct cell_obs o;
	struct cell_outcome oc;
	struct vm_result vr = {0};
	collect_cell(s, sl, c, cl, cs->n_wl, &o);
	outcome_compute(cs, &o, &vr, &oc);
	cr_assert_eq(o.n_trig, 12);
	cr_expect_eq(o.trig[0].id, 0);
	cr_expect_eq(o.trig[0].t_us, 14069025);
	cr_expect_eq(o.trig[1].id, 1);
	cr_expect_eq(o.trig[0].error, 0);
	cr_expect_eq(oc.wl[0].endpoint, EP_OOM_KILLED);
	struct cell_ctx cx = {.run_id = "t", .accel = "tcg", .append = "x", .console_file = "c",
			      .stream_file = "s", .wall_s = 1.0};
	json_t *rep = report_cell(cs, &o, &oc, &cx);
	json_t *p = json_object_get(rep, "psi_triggers");
	cr_assert_not_null(p);
	json_t *t0 = json_array_get(json_object_get(p, "triggers"), 0);
	json_t *t1 = json_array_get(json_object_get(p, "triggers"), 1);
	cr_expect_str_eq(json_string_value(json_object_get(t0, "kind")), "some");
	cr_expect_eq(json_integer_value(json_object_get(t0, "stall_ms")), 150);
	cr_expect_eq(json_integer_value(json_object_get(t0, "fired")), 6);
	cr_expect_str_eq(json_string_value(json_object_get(t1, "kind")), "full");
	cr_expect_eq(json_integer_value(json_object_get(t1, "fired")), 6);
	cr_expect_eq(json_array_size(json_object_get(p, "events")), 12);
	cr_expect_float_eq(json_real_value(json_object_get(p, "first_trigger_s")), 5.48771, 1e-5);
	cr_expect_float_eq(json_real_value(json_object_get(p, "first_oom_kill_s")), 10.2623, 1e-4);
	cr_expect(json_is_true(json_object_get(p, "before_first_kill")));
	json_decref(rep);
	cell_outcome_free(&oc);
	cell_obs_free(&o);
	matrix_free(&m);
	free(s);
	free(c);
}
