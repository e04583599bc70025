// SPDX-License-Identifier: GPL-2.0-or-later
/* PSI triggers: the matrix syntax with its exact errors (plan/psitrig.h,
 * matrix files), their cell.conf lines, a real cell (Debian 6.1, touch
 * past RAM with swap) whose triggers fired before the OOM kill, and one
 * whose triggers on memory cgroups watched each group's own stalls. */
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
#include "reports/html/page.h"
#include "golden.h"

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
			   "{\"kind\":\"some\",\"stall_ms\":1,\"window_ms\":500,\"cgroup\":\"app/db\"}]", &t, &n, &where,
			   &why), 0);
	cr_assert_eq(n, 3);
	cr_expect_null(t[0].cgroup);
	cr_expect_null(t[1].cgroup);
	cr_expect_str_eq(t[2].cgroup, "app/db");
	cr_expect_eq(t[0].full, 0);
	cr_expect_eq(t[0].stall_ms, 150);
	cr_expect_eq(t[0].window_ms, 1000);
	cr_expect_str_eq(psi_trigger_kind(&t[1]), "full");
	cr_expect_eq(t[1].stall_ms, 10000);
	cr_expect_eq(t[2].window_ms, 500);
	psi_triggers_free(t, n);
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
		{"[{\"kind\":\"some\",\"stall_ms\":1,\"window_ms\":1000,\"group\":\"app\"}]", "[0].group",
		 "unknown key (allowed: kind, stall_ms, window_ms, cgroup)"},
		{"[{\"kind\":\"some\",\"stall_ms\":1,\"window_ms\":1000,\"cgroup\":1}]", "[0].cgroup",
		 "must be the path of a memory cgroup of the cell, e.g. \"app\" or \"app/db\""},
		{"[{\"kind\":\"some\",\"stall_ms\":1,\"window_ms\":1000},"
		 "{\"kind\":\"some\",\"stall_ms\":1,\"window_ms\":1000,\"cgroup\":\"\"}]", "[1].cgroup",
		 "must be the path of a memory cgroup of the cell, e.g. \"app\" or \"app/db\""},
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

/* A trigger on a memory cgroup: its group is one the cell declares (by a
 * group file, a workload's "cgroup" or as a parent), checked at plan time
 * with the groups that are allowed; the cell.conf line names the group
 * after the group's own line. */
Test(psitrig, group_triggers_name_a_group_of_the_cell)
{
	static const struct {
		const char *m, *err;
	} bad[] = {
		{"{\"name\":\"p\",\"cells\":[{\"name\":\"a\",\"cgroup.app.memory.high\":32,"
		 "\"workloads\":[{\"name\":\"touch\",\"cgroup\":\"app/db\"}],"
		 "\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":10,\"window_ms\":1000},"
		 "{\"kind\":\"full\",\"stall_ms\":10,\"window_ms\":1000,\"cgroup\":\"db\"}]}]}",
		 "m.json: cells[0].psi_triggers[1].cgroup: \"db\" is no memory cgroup of this cell (allowed: app, app/db)"},
		{"{\"name\":\"p\",\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\"}],"
		 "\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":10,\"window_ms\":1000,\"cgroup\":\"app\"}]}]}",
		 "m.json: cells[0].psi_triggers[0].cgroup: \"app\" is no memory cgroup of this cell (allowed: none; a "
		 "group comes from a \"cgroup.<group>.<file>\" knob or a workload's \"cgroup\")"},
		{"{\"name\":\"p\",\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":10,\"window_ms\":1000,\"cgroup\":\"app\"}],"
		 "\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\",\"cgroup\":\"app\"}]},"
		 "{\"name\":\"b\",\"workloads\":[{\"name\":\"touch\",\"cgroup\":\"web\"}]}]}",
		 "m.json: psi_triggers[0].cgroup: \"app\" is no memory cgroup of cells[1] (allowed: web)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct matrix m;
		struct buf err = {0};
		cr_expect_neq(matrix_load_buf("m.json", bad[i].m, strlen(bad[i].m), ".", &m, &err), 0, "%zu", i);
		cr_expect_str_eq(err.data, bad[i].err);
		buf_free(&err);
	}
	static const char *const good = "{\"name\":\"p\",\"base\":{\"cgroup.app.memory.high\":32},"
					"\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\",\"cgroup\":\"app/db\"}],"
					"\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":150,\"window_ms\":1000},"
					"{\"kind\":\"full\",\"stall_ms\":50,\"window_ms\":2000,\"cgroup\":\"app\"},"
					"{\"kind\":\"some\",\"stall_ms\":20,\"window_ms\":500,\"cgroup\":\"app/db\"}]}]}";
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(matrix_load_buf("m.json", good, strlen(good), ".", &m, &err), 0, "%s", err.data);
	cr_assert_eq(m.cells[0].n_psi, 3);
	cr_expect_null(m.cells[0].psi[0].cgroup);
	cr_expect_str_eq(m.cells[0].psi[1].cgroup, "app");
	cr_expect_str_eq(m.cells[0].psi[2].cgroup, "app/db");
	char *conf = cellconf_build(&m.cells[0], NULL);
	const char *g = strstr(conf, "\ncgroup\tapp/db\n");
	const char *p = strstr(conf, "\npsi\tsome\t150000\t1000000\npsi\tfull\t50000\t2000000\tapp\n"
				     "psi\tsome\t20000\t500000\tapp/db\nmode\ttogether\n");
	cr_expect_not_null(g, "%s", conf);
	cr_expect_not_null(p, "%s", conf);
	cr_expect(g && p && g < p, "the group's line comes before the trigger's");
	free(conf);
	matrix_free(&m);
}

/* The real cell (Debian 6.1, tests/golden/psi/group.json): touch in group
 * "hog" (memory.high 48 MiB, 96 MiB with swap) throttled, then touch past
 * RAM in the root group. The triggers on hog fired twice each, the first
 * 0.507 s after hog's touch started and before the second touch did;
 * the one on "calm" (a group with no task) never fired although the
 * system's, with a threshold three times as high, fired 8 times. */
Test(psitrig, real_cell_group_triggers_watch_their_group)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(matrix_load("tests/golden/psi/group.json", &m, &err), 0, "%s", err.data);
	const struct cell_spec *cs = &m.cells[0];
	size_t sl = 0, cl = 0;
	char *s = read_xz("tests/golden/psi/group-high-6.1.stream.xz", &sl), *c = NULL;
	cr_assert_eq(read_file("tests/golden/psi/group-high-6.1.console.log", &c, &cl), 0);
	struct cell_obs o;
	struct cell_outcome oc;
	struct vm_result vr = {0};
	collect_cell(s, sl, c, cl, cs->n_wl, &o);
	outcome_compute(cs, &o, &vr, &oc);
	cr_expect_eq(oc.wl[0].endpoint, EP_EXIT);
	cr_expect_eq(oc.wl[1].endpoint, EP_OOM_KILLED);
	struct cell_ctx cx = {.run_id = "t", .accel = "tcg", .append = "x", .console_file = "c",
			      .stream_file = "s", .wall_s = 1.0};
	json_t *rep = report_cell(cs, &o, &oc, &cx);
	json_t *p = json_object_get(rep, "psi_triggers");
	cr_assert_not_null(p);
	static const struct {
		const char *kind, *cgroup;
		long long stall_ms, fired;
	} want[] = {
		{"some", NULL, 150, 8}, {"full", NULL, 100, 8}, {"some", "hog", 50, 2},
		{"some", "calm", 50, 0}, {"full", "hog", 50, 2},
	};
	json_t *tl = json_object_get(p, "triggers");
	cr_assert_eq(json_array_size(tl), 5);
	for (size_t i = 0; i < 5; i++) {
		json_t *t = json_array_get(tl, i);
		cr_expect_str_eq(json_string_value(json_object_get(t, "kind")), want[i].kind, "%zu", i);
		if (want[i].cgroup)
			cr_expect_str_eq(json_string_value(json_object_get(t, "cgroup")), want[i].cgroup, "%zu", i);
		else
			cr_expect(json_is_null(json_object_get(t, "cgroup")), "%zu", i);
		cr_expect_eq(json_integer_value(json_object_get(t, "stall_ms")), want[i].stall_ms, "%zu", i);
		cr_expect_eq(json_integer_value(json_object_get(t, "fired")), want[i].fired, "%zu", i);
		cr_expect(json_is_null(json_object_get(t, "error")), "%zu", i);
	}
	json_t *e0 = json_array_get(json_object_get(p, "events"), 0);
	cr_expect_eq(json_integer_value(json_object_get(e0, "trigger")), 2);
	cr_expect_eq(json_integer_value(json_object_get(e0, "t_us")), 7904905);
	cr_expect_float_eq(json_real_value(json_object_get(p, "first_trigger_s")), 0.507006, 1e-6);
	cr_expect_lt(json_integer_value(json_object_get(e0, "t_us")), (long long)o.wl[1].t_spawn_us);
	cr_expect(json_is_true(json_object_get(p, "before_first_kill")));
	/* the HTML markers name the group of a group's trigger, and only
	 * theirs */
	struct buf b = {0};
	html_cell_section(&b, rep, "");
	cr_expect_not_null(strstr(b.data, "PSI trigger 2 fired at 7.90 s: some 50 ms in 1000 ms on hog&#39;s memory.pressure<"),
			   "%s", b.data);
	cr_expect_not_null(strstr(b.data, ">PSI some hog<"), "%s", b.data);
	cr_expect_not_null(strstr(b.data, "PSI trigger 0 fired at 8.01 s: some 150 ms in 1000 ms</title>"), "%s", b.data);
	cr_expect_null(strstr(b.data, "on calm"));
	buf_free(&b);
	json_decref(rep);
	cell_outcome_free(&oc);
	cell_obs_free(&o);
	matrix_free(&m);
	free(s);
	free(c);
}
