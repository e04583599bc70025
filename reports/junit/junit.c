// SPDX-License-Identifier: GPL-2.0-or-later
/* JUnit XML for CI systems that show test results (Jenkins, GitLab, ...). */
#include "reports/junit/junit.h"
#include "lib/jsonx.h"
#include "lib/vocab.h"
#include "reports/episodes_summary.h"
#include "reports/markup.h"

#include <math.h>
#include <string.h>

static const char *dash(json_t *v)
{
	const char *s = json_string_value(v);
	return s ? s : "-";
}

static void mb_text(struct buf *b, json_t *v)
{
	if (json_is_number(v))
		buf_printf(b, "%.0f", json_number_value(v));
	else
		buf_printf(b, "-");
}

/* "endpoint oom_killed at 30180 MB; predicted oom_killed, 26316..33438 MB" */
static void message(struct buf *m, json_t *w)
{
	json_t *pr = json_object_get(w, "predicted");
	buf_printf(m, "endpoint %s at ", dash(json_object_get(w, "endpoint")));
	mb_text(m, json_object_get(w, "mb_reached"));
	buf_printf(m, " MB; predicted %s", dash(json_object_get(pr, "endpoint")));
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(pr, "also"), i, x)
		buf_printf(m, " or %s", dash(x));
	if (json_is_number(json_object_get(pr, "mb_min"))) {
		buf_printf(m, ", ");
		mb_text(m, json_object_get(pr, "mb_min"));
		buf_printf(m, "..");
		mb_text(m, json_object_get(pr, "mb_max"));
		buf_printf(m, " MB");
	}
}

/* guest microseconds as "12.345678" */
static void usecs(struct buf *b, long long us)
{
	buf_printf(b, "%lld.%06lld", us / 1000000, us % 1000000);
}

/* "80 oomlab-wl (workload #0 touch, rss 120712 kB, reaped 2.014205 s after
 * the invocation, left 4 kB)"; a child "(child of workload #1 stress-ng,
 * ..", collateral "(collateral, ..", the reaper's failure "the reaper gave
 * up 3.012345 s after the invocation" */
static void victim_text(struct buf *m, json_t *v, json_t *wls)
{
	const char *owner = json_str(v, "owner", "");
	json_t *w = json_object_get(v, "workload");
	buf_printf(m, "%lld %s (", (long long)json_integer_value(json_object_get(v, "pid")), json_str(v, "comm", ""));
	if (json_is_integer(w))
		buf_printf(m, "%sworkload #%lld %s", !strcmp(owner, "child") ? "child of " : "",
			   (long long)json_integer_value(w),
			   json_str(json_array_get(wls, (size_t)json_integer_value(w)), "name", "-"));
	else
		buf_printf(m, "%s", !strcmp(owner, "child") ? "child of a workload" : owner[0] ? owner : "-");
	if (json_is_true(json_object_get(v, "group_member")))
		buf_printf(m, ", group member");
	json_t *rss = json_object_get(v, "rss_kb");
	if (json_is_integer(rss))
		buf_printf(m, ", rss %lld kB", (long long)json_integer_value(rss));
	json_t *ru = json_object_get(v, "reap_us"), *fu = json_object_get(v, "reap_failed_us");
	if (json_is_true(json_object_get(v, "reaped")) && json_is_integer(ru)) {
		buf_printf(m, ", reaped ");
		usecs(m, json_integer_value(ru));
		buf_printf(m, " s after the invocation, left %lld kB",
			   (long long)json_integer_value(json_object_get(v, "left_kb")));
	} else if (json_is_true(json_object_get(v, "reap_failed"))) {
		buf_printf(m, ", the reaper gave up");
		if (json_is_integer(fu)) {
			buf_printf(m, " ");
			usecs(m, json_integer_value(fu));
			buf_printf(m, " s after the invocation");
		}
	} else {
		buf_printf(m, ", not reaped");
	}
	buf_printf(m, ")");
}

/* The cell's OOM episodes (docs/episodes.md), a line of counts, then one
 * line per episode: "episode 1 (global_oom, invoked by oomlab-wl, at
 * 1.901966 s): killed 79 oomlab-wl (..)", with its double kill; nothing
 * for a cell without episodes. */
static void episodes_text(struct buf *m, json_t *cell)
{
	struct ep_summary s;
	if (!episodes_summary(cell, &s))
		return;
	json_t *wls = json_object_get(cell, "workloads");
	buf_printf(m, "OOM episodes: %zu, victims: %zu, collateral: %zu, double kills: %zu, reaper gave up: %zu, "
		      "slowest reap: ",
		   s.episodes, s.victims, s.collateral, s.double_kills, s.reap_failed);
	if (s.slowest_reap_us >= 0) {
		usecs(m, s.slowest_reap_us);
		buf_printf(m, " s");
	} else {
		buf_printf(m, "-");
	}
	size_t i, k;
	json_t *e, *v;
	json_array_foreach(json_object_get(cell, "oom_episodes"), i, e) {
		buf_printf(m, "\nepisode %zu (%s", i + 1, json_str(e, "oom_kind", "-"));
		if (json_is_string(json_object_get(e, "oom_memcg")))
			buf_printf(m, " %s", json_str(e, "oom_memcg", ""));
		buf_printf(m, ", invoked by %s, at ", json_str(e, "invoker_comm", "-"));
		usecs(m, json_integer_value(json_object_get(e, "t_us")));
		buf_printf(m, " s): ");
		if (!json_array_size(json_object_get(e, "victims")))
			buf_printf(m, "killed nothing");
		json_array_foreach(json_object_get(e, "victims"), k, v) {
			buf_printf(m, k ? "; " : "killed ");
			victim_text(m, v, wls);
		}
		json_t *dk = json_object_get(e, "double_kill");
		if (json_is_object(dk)) {
			buf_printf(m, "; double kill: pid %lld of episode %lld was reaped only ",
				   (long long)json_integer_value(json_object_get(dk, "pid")),
				   (long long)json_integer_value(json_object_get(dk, "episode")) + 1);
			usecs(m, json_integer_value(json_object_get(dk, "reaped_after_us")));
			buf_printf(m, " s later");
		}
	}
}

/* The counts of each cell with episodes, as properties of the suite (the
 * schema allows no properties in a testcase): "<cell-id>.oom_episodes",
 * "..oom_victims", "..oom_collateral", "..oom_double_kills",
 * "..oom_reap_failed", and "..oom_slowest_reap_ms" when one was reaped. */
static void episodes_properties(struct buf *out, json_t *cell)
{
	struct ep_summary s;
	if (!episodes_summary(cell, &s))
		return;
	const char *id = json_str(json_object_get(cell, "cell"), "id", "");
	const struct {
		const char *name;
		long long v;
	} p[] = {
		{"oom_episodes", (long long)s.episodes},
		{"oom_victims", (long long)s.victims},
		{"oom_collateral", (long long)s.collateral},
		{"oom_double_kills", (long long)s.double_kills},
		{"oom_reap_failed", (long long)s.reap_failed},
		{"oom_slowest_reap_ms", s.slowest_reap_us >= 0 ? s.slowest_reap_us / 1000 : -1}, /* -1: none reaped */
	};
	for (size_t i = 0; i < ARRAY_SIZE(p); i++) {
		if (p[i].v < 0)
			continue;
		buf_printf(out, "      <property name=\"");
		markup_esc(out, id);
		buf_printf(out, ".%s\" value=\"%lld\"/>\n", p[i].name, p[i].v);
	}
}

static void testcase(struct buf *b, json_t *run, json_t *cell, json_t *w, size_t wi)
{
	const struct verdict_row *v = verdict_find(w ? json_str(w, "verdict", "") : json_str(cell, "verdict", ""));
	buf_printf(b, "    <testcase classname=\"oomlab.");
	markup_esc(b, json_str(json_object_get(run, "matrix"), "name", ""));
	buf_printf(b, ".");
	markup_esc(b, json_str(json_object_get(cell, "cell"), "id", ""));
	buf_printf(b, "\" name=\"");
	if (w) {
		buf_printf(b, "%zu-", wi);
		markup_esc(b, json_str(w, "name", ""));
	} else {
		buf_printf(b, "cell");
	}
	buf_printf(b, "\" time=\"%.3f\">\n", fabs(json_number_value(json_object_get(json_object_get(cell, "timings"), "wall_s"))));
	struct buf m = {0};
	if (w)
		message(&m, w);
	else
		buf_printf(&m, "no workload ran");
	if (v && v->junit) {
		buf_printf(b, "      <%s type=\"%s\" message=\"", v->junit, v->word);
		markup_esc(b, m.data);
		buf_printf(b, "\">");
		markup_esc(b, w ? json_str(w, "verdict_reason", "") : json_str(cell, "verdict_reason", ""));
		if (w) {
			buf_printf(b, "\nrule: ");
			markup_esc(b, json_str(json_object_get(w, "predicted"), "rule", ""));
		}
		buf_printf(b, "</%s>\n", v->junit);
	}
	buf_printf(b, "      <system-out>");
	markup_esc(b, m.data);
	buf_printf(b, "\n");
	markup_esc(b, json_str(cell, "verdict_reason", ""));
	struct buf ep = {0};
	episodes_text(&ep, cell);
	if (ep.len) {
		buf_printf(b, "\n\n");
		markup_esc(b, ep.data);
	}
	buf_free(&ep);
	buf_printf(b, "</system-out>\n    </testcase>\n");
	buf_free(&m);
}

/* The cell's findings not allowed, and the first such title. */
static size_t not_allowed(json_t *cell, const char **first)
{
	size_t n = 0, i;
	json_t *f;
	*first = NULL;
	json_array_foreach(json_object_get(cell, "findings"), i, f)
		if (!json_is_true(json_object_get(f, "allowed"))) {
			if (!n)
				*first = json_str(f, "title", "");
			n++;
		}
	return n;
}

/* One line per finding: "WARNING in foo (warning, 2 times, at 12.345678 s): not allowed". */
static void findings_text(struct buf *m, json_t *cell)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(cell, "findings"), i, f) {
		json_int_t n = json_integer_value(json_object_get(f, "count"));
		json_int_t t = json_integer_value(json_object_get(f, "t_us"));
		buf_printf(m, "%s%s (%s, %lld time%s, at %lld.%06lld s): ", i ? "\n" : "", json_str(f, "title", ""),
			   json_str(f, "kind", "-"), (long long)n, n == 1 ? "" : "s", (long long)(t / 1000000),
			   (long long)(t % 1000000));
		if (json_is_true(json_object_get(f, "allowed")))
			buf_printf(m, "allowed by %s", json_str(f, "allowed_by", "-"));
		else
			buf_printf(m, "not allowed");
	}
}

/* A cell with kernel findings has one more testcase, "findings": a
 * failure when one is not allowed, its message the first such title, its
 * text every finding (docs/findings.md). */
static void findings_case(struct buf *b, json_t *run, json_t *cell)
{
	const char *first;
	size_t bad = not_allowed(cell, &first);
	buf_printf(b, "    <testcase classname=\"oomlab.");
	markup_esc(b, json_str(json_object_get(run, "matrix"), "name", ""));
	buf_printf(b, ".");
	markup_esc(b, json_str(json_object_get(cell, "cell"), "id", ""));
	buf_printf(b, "\" name=\"findings\" time=\"%.3f\">\n",
		   fabs(json_number_value(json_object_get(json_object_get(cell, "timings"), "wall_s"))));
	struct buf m = {0};
	findings_text(&m, cell);
	if (bad) {
		const struct verdict_row *v = &verdict_table[V_FAIL];
		buf_printf(b, "      <%s type=\"%s\" message=\"", v->junit, v->word);
		markup_esc(b, first);
		buf_printf(b, "\">%zu kernel finding%s not allowed:\n", bad, bad == 1 ? "" : "s");
		markup_esc(b, m.data);
		buf_printf(b, "</%s>\n", v->junit);
	}
	buf_printf(b, "      <system-out>");
	markup_esc(b, m.data);
	buf_printf(b, "</system-out>\n    </testcase>\n");
	buf_free(&m);
}

void report_junit(struct buf *out, const struct rundir *r)
{
	size_t tests = 0, n[VERDICT_COUNT] = {0};
	size_t i, j;
	json_t *c, *w;
	json_array_foreach(r->cells, i, c) {
		json_t *ws = json_object_get(c, "workloads");
		size_t nw = json_array_size(ws);
		for (j = 0; j < (nw ? nw : 1); j++) {
			const struct verdict_row *v = verdict_find(nw ? json_str(json_array_get(ws, j), "verdict", "")
								      : json_str(c, "verdict", ""));
			tests++;
			if (v)
				n[v->verdict]++;
		}
		const char *first;
		if (json_array_size(json_object_get(c, "findings"))) {
			tests++;
			n[not_allowed(c, &first) ? V_FAIL : V_PASS]++;
		}
	}
	/* the testcases with a <failure>, an <error>, a <skipped> */
	size_t failures = n[V_FAIL], errors = n[V_BROK], skipped = n[V_SKIP];
	json_t *run = r->run;
	double wall = fabs(json_number_value(json_object_get(run, "wall_s")));
	buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	buf_printf(out, "<testsuites name=\"oomlab\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n",
		   tests, failures, errors, wall);
	buf_printf(out, "  <testsuite name=\"oomlab.");
	markup_esc(out, json_str(json_object_get(run, "matrix"), "name", ""));
	buf_printf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\" timestamp=\"",
		   tests, failures, errors, skipped, wall);
	markup_esc(out, json_str(run, "started", ""));
	buf_printf(out, "\" id=\"");
	markup_esc(out, json_str(run, "run_id", ""));
	buf_printf(out, "\">\n    <properties>\n");
	static const char *const props[] = {"run_id", "started", "ended"};
	for (size_t p = 0; p < ARRAY_SIZE(props); p++) {
		buf_printf(out, "      <property name=\"%s\" value=\"", props[p]);
		markup_esc(out, json_str(run, props[p], ""));
		buf_printf(out, "\"/>\n");
	}
	json_t *seen = json_object();
	json_array_foreach(r->cells, i, c) {
		const char *rel = json_str(json_object_get(c, "kernel"), "release", "");
		if (json_object_get(seen, rel))
			continue;
		json_object_set_new(seen, rel, json_true());
		buf_printf(out, "      <property name=\"kernel\" value=\"");
		markup_esc(out, rel);
		buf_printf(out, "\"/>\n");
	}
	json_decref(seen);
	buf_printf(out, "      <property name=\"accel\" value=\"");
	markup_esc(out, json_str(json_object_get(run, "host"), "accel", ""));
	buf_printf(out, "\"/>\n");
	json_array_foreach(r->cells, i, c)
		episodes_properties(out, c);
	buf_printf(out, "    </properties>\n");
	json_array_foreach(r->cells, i, c) {
		json_t *ws = json_object_get(c, "workloads");
		if (!json_array_size(ws))
			testcase(out, run, c, NULL, 0);
		json_array_foreach(ws, j, w)
			testcase(out, run, c, w, j);
		if (json_array_size(json_object_get(c, "findings")))
			findings_case(out, run, c);
	}
	buf_printf(out, "  </testsuite>\n</testsuites>\n");
}

int report_write_junit(const struct rundir *r, const char *path, struct buf *err)
{
	struct buf x = {0};
	report_junit(&x, r);
	int rc = buf_write_atomic(path, &x, err);
	buf_free(&x);
	return rc;
}
