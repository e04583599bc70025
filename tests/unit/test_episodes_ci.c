// SPDX-License-Identifier: GPL-2.0-or-later
/* OOM episodes in JUnit and KCIDB (reports/junit/junit.c,
 * reports/kcidb/kcidb.c, reports/episodes_summary.c, docs/episodes.md#in-
 * the-views). The run is made of real recorded cells with episodes, their
 * golden reports (tests/golden/cells/): two global OOM kills of two
 * workloads on 6.1 (overcommit-0-swap-0) and on 6.12 (612-two-adj), and
 * an OOM that killed nothing (immune: the agent alone was left); the last
 * two also have an allowed kernel finding each, its own testcase. What no
 * recorded cell shows (a reaped victim, a double kill, a collateral victim
 * the reaper gave up on) is put into a copy of 612-two-adj with jansson. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cicheck.h"
#include "golden.h"
#include "lib/jsonx.h"
#include "lib/spawn.h"
#include "lib/util.h"
#include "reports/episodes_summary.h"
#include "reports/junit/junit.h"
#include "reports/kcidb/kcidb.h"
#include "reports/rundir.h"

static char tdir[128];

static void setup(void)
{
	snprintf(tdir, sizeof tdir, "/tmp/oomlab-eptest-XXXXXX");
	cr_assert_not_null(mkdtemp(tdir));
}

static void teardown(void)
{
	rm_rf(tdir);
}

TestSuite(episodes_ci, .init = setup, .fini = teardown);

static const char *const cell_ids[] = {"overcommit-0-swap-0", "612-two-adj", "immune"};

static json_t *load(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	cr_assert_not_null(j, "%s", je.text);
	return j;
}

/* 612-two-adj's first victim reaped 2.1 s after its invocation; its second
 * episode a double kill of it, and a collateral victim ("sh<x>") the
 * reaper gave up on 3 s after the invocation. */
static void add_anomalies(json_t *cell)
{
	json_t *eps = json_object_get(cell, "oom_episodes");
	json_t *e0 = json_array_get(eps, 0), *e1 = json_array_get(eps, 1);
	cr_assert_not_null(e1);
	json_t *v0 = json_array_get(json_object_get(e0, "victims"), 0);
	json_object_set_new(v0, "reaped", json_true());
	json_object_set_new(v0, "reap_us", json_integer(2100000));
	json_object_set_new(v0, "left_kb", json_integer(4));
	json_object_set_new(e0, "reap_us", json_integer(2100000));
	json_object_set_new(e0, "reaped_kb", json_integer(95876));
	json_object_set_new(e0, "left_kb", json_integer(4));
	json_array_append_new(json_object_get(e1, "victims"),
			      load("{\"event\":2,\"pid\":90,\"comm\":\"sh<x>\",\"owner\":\"collateral\",\"workload\":null,"
				   "\"group_member\":false,\"rss_kb\":512,\"reaped\":false,\"reap_us\":null,"
				   "\"left_kb\":null,\"reap_failed\":true,\"reap_failed_us\":3000000}"));
	json_object_set_new(e1, "n_victims", json_integer(2));
	json_object_set_new(e1, "n_collateral", json_integer(1));
	json_object_set_new(e1, "double_kill", load("{\"episode\":0,\"event\":0,\"pid\":123,\"reaped_after_us\":1896180}"));
}

/* The article run's run.json with the recorded cells above as its cells. */
static void load_run(struct rundir *r, int anomalies)
{
	char *dir = golden_path("runs/article");
	struct buf err = {0};
	cr_assert_eq(rundir_load(dir, r, &err), 0, "%s", err.data);
	free(dir);
	buf_free(&err);
	json_array_clear(r->cells);
	for (size_t i = 0; i < ARRAY_SIZE(cell_ids); i++) {
		char *rel = xasprintf("cells/%s.report.json", cell_ids[i]);
		char *p = golden_path(rel);
		json_error_t je;
		json_t *g = json_load_file(p, 0, &je);
		cr_assert_not_null(g, "%s: %s", p, je.text);
		json_t *rep = json_object_get(g, "report");
		cr_assert(json_array_size(json_object_get(rep, "oom_episodes")) > 0, "%s has no episodes", p);
		json_array_append(r->cells, rep);
		json_decref(g);
		free(p);
		free(rel);
	}
	if (anomalies)
		add_anomalies(json_array_get(r->cells, 1));
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static char *compact(json_t *j)
{
	return json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
}

/* ---- the summary both read ---- */

Test(episodes_ci, summary_of_recorded_cells)
{
	struct rundir r;
	load_run(&r, 0);
	static const char *const want[] = {
		"{\"collateral\":0,\"double_kills\":0,\"episodes\":2,\"reap_failed\":0,\"slowest_reap_ms\":null,\"victims\":2}",
		"{\"collateral\":0,\"double_kills\":0,\"episodes\":2,\"reap_failed\":0,\"slowest_reap_ms\":null,\"victims\":2}",
		"{\"collateral\":0,\"double_kills\":0,\"episodes\":1,\"reap_failed\":0,\"slowest_reap_ms\":null,\"victims\":0}",
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		struct ep_summary s;
		cr_assert_eq(episodes_summary(json_array_get(r.cells, i), &s), 1);
		json_t *j = episodes_summary_json(&s);
		char *t = compact(j);
		cr_expect_str_eq(t, want[i], "%s", cell_ids[i]);
		free(t);
		json_decref(j);
	}
	/* none, or a report of an older oomlab: no summary */
	json_t *none = load("{\"oom_episodes\":[]}"), *old = load("{}");
	struct ep_summary s;
	cr_expect_eq(episodes_summary(none, &s), 0);
	cr_expect_eq(episodes_summary(old, &s), 0);
	cr_expect_eq(s.slowest_reap_us, -1);
	json_decref(none);
	json_decref(old);
	rundir_free(&r);
}

/* ---- JUnit ---- */

Test(episodes_ci, junit_properties_and_text_of_recorded_cells)
{
	struct rundir r;
	load_run(&r, 0);
	struct buf x = {0};
	report_junit(&x, &r);
	/* no testcase more: one per cell x workload, one per cell with findings */
	cr_assert_eq(count(x.data, "<testcase "), 5 + 2);
	cr_assert_eq(count(x.data, "name=\"findings\""), 2);
	cr_assert(strstr(x.data, "      <property name=\"accel\" value=\"tcg\"/>\n"
				 "      <property name=\"overcommit-0-swap-0.oom_episodes\" value=\"2\"/>\n"
				 "      <property name=\"overcommit-0-swap-0.oom_victims\" value=\"2\"/>\n"
				 "      <property name=\"overcommit-0-swap-0.oom_collateral\" value=\"0\"/>\n"
				 "      <property name=\"overcommit-0-swap-0.oom_double_kills\" value=\"0\"/>\n"
				 "      <property name=\"overcommit-0-swap-0.oom_reap_failed\" value=\"0\"/>\n"
				 "      <property name=\"612-two-adj.oom_episodes\" value=\"2\"/>\n"),
		  "%s", x.data);
	cr_assert(strstr(x.data, "      <property name=\"immune.oom_episodes\" value=\"1\"/>\n"
				 "      <property name=\"immune.oom_victims\" value=\"0\"/>\n"
				 "      <property name=\"immune.oom_collateral\" value=\"0\"/>\n"
				 "      <property name=\"immune.oom_double_kills\" value=\"0\"/>\n"
				 "      <property name=\"immune.oom_reap_failed\" value=\"0\"/>\n"
				 "    </properties>\n"),
		  "%s", x.data);
	/* none reaped: no slowest reap */
	cr_assert_eq(count(x.data, "oom_slowest_reap_ms"), 0);
	/* each workload's testcase of the cell has the cell's episodes */
	static const char ep61[] =
		"\n\nOOM episodes: 2, victims: 2, collateral: 0, double kills: 0, reaper gave up: 0, slowest reap: -\n"
		"episode 1 (global_oom, invoked by oomlab-wl, at 1.901966 s): killed 79 oomlab-wl (workload #0 alloc, "
		"rss 120712 kB, not reaped)\n"
		"episode 2 (global_oom, invoked by oomlab-wl, at 2.223577 s): killed 80 oomlab-wl (workload #1 touch, "
		"rss 175888 kB, not reaped)</system-out>";
	cr_assert_eq(count(x.data, ep61), 2, "%s", x.data);
	static const char ep612[] =
		"\n\nOOM episodes: 2, victims: 2, collateral: 0, double kills: 0, reaper gave up: 0, slowest reap: -\n"
		"episode 1 (global_oom, invoked by oomlab-wl, at 2.152837 s): killed 123 oomlab-wl (workload #0 touch, "
		"rss 95880 kB, not reaped)\n"
		"episode 2 (global_oom, invoked by oomlab-wl, at 2.356657 s): killed 124 oomlab-wl (workload #1 touch, "
		"rss 194696 kB, not reaped)</system-out>";
	cr_assert_eq(count(x.data, ep612), 2, "%s", x.data);
	static const char epimm[] =
		"\n\nOOM episodes: 1, victims: 0, collateral: 0, double kills: 0, reaper gave up: 0, slowest reap: -\n"
		"episode 1 (-, invoked by oomlab-wl, at 1.938082 s): killed nothing</system-out>";
	cr_assert_eq(count(x.data, epimm), 1, "%s", x.data);
	cr_assert_eq(junit_valid(tdir, &x), 0, "junit.xml does not validate");
	buf_free(&x);
	rundir_free(&r);
}

Test(episodes_ci, junit_reaping_double_kill_and_collateral)
{
	struct rundir r;
	load_run(&r, 1);
	struct buf x = {0};
	report_junit(&x, &r);
	cr_assert(strstr(x.data, "      <property name=\"612-two-adj.oom_episodes\" value=\"2\"/>\n"
				 "      <property name=\"612-two-adj.oom_victims\" value=\"3\"/>\n"
				 "      <property name=\"612-two-adj.oom_collateral\" value=\"1\"/>\n"
				 "      <property name=\"612-two-adj.oom_double_kills\" value=\"1\"/>\n"
				 "      <property name=\"612-two-adj.oom_reap_failed\" value=\"1\"/>\n"
				 "      <property name=\"612-two-adj.oom_slowest_reap_ms\" value=\"2100\"/>\n"
				 "      <property name=\"immune.oom_episodes\""),
		  "%s", x.data);
	static const char want[] =
		"\n\nOOM episodes: 2, victims: 3, collateral: 1, double kills: 1, reaper gave up: 1, slowest reap: "
		"2.100000 s\n"
		"episode 1 (global_oom, invoked by oomlab-wl, at 2.152837 s): killed 123 oomlab-wl (workload #0 touch, "
		"rss 95880 kB, reaped 2.100000 s after the invocation, left 4 kB)\n"
		"episode 2 (global_oom, invoked by oomlab-wl, at 2.356657 s): killed 124 oomlab-wl (workload #1 touch, "
		"rss 194696 kB, not reaped); 90 sh&lt;x&gt; (collateral, rss 512 kB, the reaper gave up 3.000000 s "
		"after the invocation); double kill: pid 123 of episode 1 was reaped only 1.896180 s later</system-out>";
	cr_assert_eq(count(x.data, want), 2, "%s", x.data);
	/* the verdicts decide the failures, not the episodes */
	cr_assert_eq(count(x.data, "<failure"), 0);
	cr_assert_eq(junit_valid(tdir, &x), 0, "junit.xml does not validate");
	buf_free(&x);
	rundir_free(&r);
}

/* ---- KCIDB ---- */

/* The test whose id ends in ".<cell>.<index>". */
static json_t *test_of(json_t *k, const char *cell, int index)
{
	char *suffix = xasprintf(".%s.%d", cell, index);
	json_t *t, *found = NULL;
	size_t i;
	json_array_foreach(json_object_get(k, "tests"), i, t) {
		const char *id = json_string_value(json_object_get(t, "id"));
		if (strlen(id) > strlen(suffix) && !strcmp(id + strlen(id) - strlen(suffix), suffix))
			found = t;
	}
	free(suffix);
	cr_assert_not_null(found, "no test %s.%d", cell, index);
	return found;
}

/* The objects of a whose key starts with prefix, in order (a new array). */
static json_t *of_ids(json_t *a, const char *key, const char *prefix)
{
	json_t *out = json_array(), *x;
	size_t i;
	json_array_foreach(a, i, x)
		if (!strncmp(json_str(x, key, ""), prefix, strlen(prefix)))
			json_array_append(out, x);
	return out;
}

Test(episodes_ci, kcidb_misc_of_recorded_cells)
{
	struct rundir r;
	load_run(&r, 0);
	json_t *k = report_kcidb(&r, &(struct kcidb_opts){"oomlab_test", "https://ci.example.org/runs/x/"});
	/* a test per cell x workload, and the findings tests */
	cr_assert_eq(json_array_size(json_object_get(k, "tests")), 5 + 2);
	static const struct {
		const char *cell;
		int index;
		const char *want;
	} w[] = {
		{"overcommit-0-swap-0", 0,
		 "{\"collateral\":0,\"double_kills\":0,\"episodes\":2,\"reap_failed\":0,\"slowest_reap_ms\":null,\"victims\":2}"},
		{"overcommit-0-swap-0", 1,
		 "{\"collateral\":0,\"double_kills\":0,\"episodes\":2,\"reap_failed\":0,\"slowest_reap_ms\":null,\"victims\":2}"},
		{"612-two-adj", 1,
		 "{\"collateral\":0,\"double_kills\":0,\"episodes\":2,\"reap_failed\":0,\"slowest_reap_ms\":null,\"victims\":2}"},
		{"immune", 0,
		 "{\"collateral\":0,\"double_kills\":0,\"episodes\":1,\"reap_failed\":0,\"slowest_reap_ms\":null,\"victims\":0}"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(w); i++) {
		json_t *t = test_of(k, w[i].cell, w[i].index);
		char *s = compact(json_object_get(json_object_get(t, "misc"), "oom_episodes"));
		cr_expect_str_eq(s ? s : "(none)", w[i].want, "%s.%d", w[i].cell, w[i].index);
		free(s);
	}
	/* no double kill, no collateral victim: the findings' issues and
	 * incidents only */
	json_t *issues = json_object_get(k, "issues"), *inc = json_object_get(k, "incidents");
	cr_expect_eq(json_array_size(issues), 2);
	cr_expect_eq(json_array_size(inc), 2);
	size_t i;
	json_t *x;
	json_array_foreach(issues, i, x)
		cr_expect(!strncmp(json_string_value(json_object_get(x, "id")), "oomlab_test:finding-", 20));
	cr_assert_eq(kcidb_valid(tdir, k), 0, "kcidb.json does not validate");
	json_decref(k);
	rundir_free(&r);
}

Test(episodes_ci, kcidb_issues_and_incidents_of_double_kill_and_collateral)
{
	struct rundir r;
	load_run(&r, 1);
	/* a second cell with a double kill: one issue, two incidents */
	json_t *again = json_deep_copy(json_array_get(r.cells, 1));
	json_object_set_new(json_object_get(again, "cell"), "id", json_string("612-two-adj-again"));
	json_array_append_new(r.cells, again);
	json_t *k = report_kcidb(&r, &(struct kcidb_opts){"oomlab_test", "https://ci.example.org/runs/x/"});
	char *s = compact(json_object_get(json_object_get(test_of(k, "612-two-adj", 0), "misc"), "oom_episodes"));
	cr_expect_str_eq(s, "{\"collateral\":1,\"double_kills\":1,\"episodes\":2,\"reap_failed\":1,\"slowest_reap_ms\":2100,"
			    "\"victims\":3}");
	free(s);
	json_t *issues = of_ids(json_object_get(k, "issues"), "id", "oomlab_test:oom-");
	json_t *inc = of_ids(json_object_get(k, "incidents"), "issue_id", "oomlab_test:oom-");
	/* and the findings' of the two cells, as before */
	cr_expect_eq(json_array_size(json_object_get(k, "issues")), 2 + 2);
	cr_expect_eq(json_array_size(json_object_get(k, "incidents")), 3 + 4);
	cr_assert_eq(json_array_size(issues), 2);
	s = compact(issues);
	cr_expect_str_eq(s, "[{\"comment\":\"OOM killer killed again before an earlier victim was reaped (double kill)\","
			    "\"culprit\":{\"code\":true,\"harness\":false,\"tool\":false},\"id\":\"oomlab_test:oom-double-"
			    "kill\",\"misc\":{\"anomaly\":\"double_kill\"},\"origin\":\"oomlab_test\",\"report_subject\":"
			    "\"OOM killer killed again before an earlier victim was reaped (double kill)\",\"version\":1},"
			    "{\"comment\":\"OOM killer killed a process that was not a workload (collateral victim)\","
			    "\"culprit\":{\"code\":true,\"harness\":false,\"tool\":false},\"id\":\"oomlab_test:oom-"
			    "collateral\",\"misc\":{\"anomaly\":\"collateral\"},\"origin\":\"oomlab_test\","
			    "\"report_subject\":\"OOM killer killed a process that was not a workload (collateral victim)\","
			    "\"version\":1}]");
	free(s);
	cr_assert_eq(json_array_size(inc), 4);
	s = compact(json_array_get(inc, 0));
	cr_expect_str_eq(s, "{\"build_id\":\"oomlab_test:6.12.117+deb12-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1~deb12u1 "
			    "(2026-11-14)\",\"comment\":\"double kill in cell 612 two "
			    "adj: OOM episode 2 killed pid 124 while pid 123 of episode 1 was not yet reaped\",\"id\":"
			    "\"oomlab_test:article-20261122-045230.612-two-adj.1.oom-double-kill-1\",\"issue_id\":"
			    "\"oomlab_test:oom-double-kill\",\"issue_version\":1,\"misc\":{\"earlier_episode\":0,"
			    "\"earlier_pid\":123,\"episode\":1,\"pid\":124,\"reaped_after_us\":1896180,\"t_us\":2356657},"
			    "\"origin\":\"oomlab_test\",\"present\":true,\"test_id\":\"oomlab_test:article-20261122-045230."
			    "612-two-adj.1\"}");
	free(s);
	s = compact(json_array_get(inc, 1));
	cr_expect_str_eq(s, "{\"build_id\":\"oomlab_test:6.12.117+deb12-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1~deb12u1 "
			    "(2026-11-14)\",\"comment\":\"collateral OOM victim in "
			    "cell 612 two adj: OOM episode 2 killed pid 90 (sh<x>)\",\"id\":\"oomlab_test:article-20261122-"
			    "045230.612-two-adj.0.oom-collateral-1-1\",\"issue_id\":\"oomlab_test:oom-collateral\","
			    "\"issue_version\":1,\"misc\":{\"comm\":\"sh<x>\",\"episode\":1,\"pid\":90,\"rss_kb\":512,"
			    "\"t_us\":2356657},\"origin\":\"oomlab_test\",\"present\":true,\"test_id\":\"oomlab_test:"
			    "article-20261122-045230.612-two-adj.0\"}");
	free(s);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(inc, 2), "test_id")),
			 "oomlab_test:article-20261122-045230.612-two-adj-again.1");
	json_decref(issues);
	json_decref(inc);
	/* the statuses are the verdicts' */
	cr_expect_str_eq(json_string_value(json_object_get(test_of(k, "612-two-adj", 1), "status")), "PASS");
	cr_assert_eq(kcidb_valid(tdir, k), 0, "kcidb.json does not validate");
	json_decref(k);
	rundir_free(&r);
}
