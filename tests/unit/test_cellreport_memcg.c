// SPDX-License-Identifier: GPL-2.0-or-later
/* The memory cgroup side of the OOM events in the cell report: a real
 * memory.oom.group kill (tests/golden/kernlog/memcg-group-6.12.console)
 * judged as a cell's console, its "memcg" objects to the value; a global
 * OOM's events have none, as before cells had groups. The HTML section
 * shows which group each kill came from. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "judge/cellreport.h"
#include "judge/collect.h"
#include "judge/outcome.h"
#include "lib/util.h"
#include "plan/matrix.h"
#include "reports/html/page.h"

/* The report of a golden cell's spec with console text from kernlog/<rel>
 * and no stream. */
static json_t *report_of_console(const char *rel)
{
	const char *root = getenv("OOMLAB_ROOT");
	char *mp = xasprintf("%s/tests/golden/cells/cells.json", root && *root ? root : ".");
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(matrix_load(mp, &m, &err), 0, "%s", err.data);
	const struct cell_spec *cs = &m.cells[0];
	struct golden g;
	golden_load(rel, &g);
	struct cell_obs obs;
	collect_cell("", 0, g.body, g.body_len, cs->n_wl, &obs);
	struct vm_result vr = {0};
	struct cell_outcome oc;
	outcome_compute(cs, &obs, &vr, &oc);
	struct cell_ctx cx = {.run_id = "t", .accel = "tcg", .append = "", .console_file = "c", .stream_file = "s"};
	json_t *rep = report_cell(cs, &obs, &oc, &cx);
	cell_outcome_free(&oc);
	cell_obs_free(&obs);
	golden_free(&g);
	matrix_free(&m);
	buf_free(&err);
	free(mp);
	return rep;
}

static long long ival(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	cr_assert(json_is_integer(v), "%s is not an integer", k);
	return (long long)json_integer_value(v);
}

static const char *sval(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

Test(cellreport_memcg, oom_group_kill_6_12)
{
	json_t *rep = report_of_console("kernlog/memcg-group-6.12.console");
	json_t *ev = json_object_get(rep, "oom_events");
	cr_assert_eq(json_array_size(ev), 2);
	json_t *m0 = json_object_get(json_array_get(ev, 0), "memcg");
	cr_assert(json_is_object(m0));
	cr_assert_eq(json_object_size(m0), 10);
	cr_assert_str_eq(sval(m0, "oom_memcg"), "/g");
	cr_assert_str_eq(sval(m0, "task_memcg"), "/g");
	cr_assert_eq(ival(m0, "usage_kb"), 65536);
	cr_assert_eq(ival(m0, "limit_kb"), 65536);
	cr_assert_eq(ival(m0, "failcnt"), 19);
	cr_assert_eq(ival(m0, "swap_usage_kb"), 0);
	cr_assert_eq(ival(m0, "swap_limit_kb"), 0);
	cr_assert_eq(ival(m0, "swap_failcnt"), 0);
	cr_assert_str_eq(sval(m0, "oom_group"), "/g");
	cr_assert(json_is_false(json_object_get(m0, "group_member")));
	/* the member: the episode's group, no counters, no group of its own */
	json_t *e1 = json_array_get(ev, 1);
	json_t *m1 = json_object_get(e1, "memcg");
	cr_assert_eq(ival(e1, "victim_pid"), 127);
	cr_assert_str_eq(sval(m1, "oom_memcg"), "/g");
	cr_assert(json_is_null(json_object_get(m1, "task_memcg")));
	cr_assert(json_is_null(json_object_get(m1, "usage_kb")));
	cr_assert(json_is_null(json_object_get(m1, "limit_kb")));
	cr_assert_str_eq(sval(m1, "oom_group"), "/g");
	cr_assert(json_is_true(json_object_get(m1, "group_member")));
	json_decref(rep);
}

Test(cellreport_memcg, global_oom_has_no_memcg_key)
{
	json_t *rep = report_of_console("kernlog/oom-touch-6.1.console");
	json_t *ev = json_object_get(rep, "oom_events");
	cr_assert_eq(json_array_size(ev), 1);
	cr_assert_null(json_object_get(json_array_get(ev, 0), "memcg"));
	json_decref(rep);
}

Test(cellreport_memcg, html_names_the_group_of_each_kill)
{
	json_t *rep = report_of_console("kernlog/memcg-group-6.12.console");
	struct buf b = {0};
	html_cell_section(&b, rep, "");
	cr_assert_not_null(strstr(b.data, "<h3>OOM kills in memory cgroups</h3>"));
	cr_assert_not_null(strstr(b.data, "<tr><td class=\"n\">5.23</td><td class=\"n\">128</td><td>touch</td><td>-</td>"
					  "<td>/g</td><td>/g</td><td class=\"n\">64.0</td><td class=\"n\">64.0</td>"
					  "<td class=\"n\">19</td><td class=\"n\">0.0</td><td class=\"n\">0.0</td>"
					  "<td>victim, kills /g</td></tr>"),
			   "%s", b.data);
	cr_assert_not_null(strstr(b.data, "<tr><td class=\"n\">5.25</td><td class=\"n\">127</td><td>hold</td><td>-</td>"
					  "<td>/g</td><td>-</td><td class=\"n\">-</td><td class=\"n\">-</td>"
					  "<td class=\"n\">-</td><td class=\"n\">-</td><td class=\"n\">-</td>"
					  "<td>member of /g</td></tr>"));
	buf_free(&b);
	json_decref(rep);
	/* a global OOM: no such table */
	rep = report_of_console("kernlog/oom-touch-6.1.console");
	html_cell_section(&b, rep, "");
	cr_assert_null(strstr(b.data, "memory cgroups"));
	buf_free(&b);
	json_decref(rep);
}

/* The limit of memory.swap.max "max" is the kernel's PAGE_COUNTER_MAX. */
Test(cellreport_memcg, html_shows_no_limit_as_max)
{
	json_t *rep = report_of_console("kernlog/oom-memcg-6.12.console");
	struct buf b = {0};
	html_cell_section(&b, rep, "");
	cr_assert_not_null(strstr(b.data, "<td>/t</td><td>/t</td><td class=\"n\">32.0</td><td class=\"n\">32.0</td>"
					  "<td class=\"n\">19</td><td class=\"n\">0.0</td><td class=\"n\">max</td>"
					  "<td>-</td></tr>"));
	buf_free(&b);
	json_decref(rep);
}
