// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of a cell's OOM episodes (episodes.h). */
#include "reports/html/episodes.h"
#include "reports/html/page.h"
#include "lib/jsonx.h"

#include <string.h>

/* kB as MB, "-" for null */
static void mb(struct buf *b, json_t *v)
{
	if (json_is_integer(v))
		buf_printf(b, "%.1f", (double)json_integer_value(v) / 1024);
	else
		buf_printf(b, "-");
}

/* µs as seconds, "-" for null */
static void secs(struct buf *b, json_t *v)
{
	if (json_is_integer(v))
		buf_printf(b, "%.2f", (double)json_integer_value(v) / 1e6);
	else
		buf_printf(b, "-");
}

/* "123 touch (#0 touch)", "124 stress-ng-vm (child of #1 stress-ng)",
 * "125 sh (collateral)"; a memory.oom.group member marked so */
static void victim(struct buf *b, json_t *v, json_t *wls)
{
	html_val(b, json_object_get(v, "pid"));
	buf_printf(b, " ");
	html_val(b, json_object_get(v, "comm"));
	const char *owner = json_str(v, "owner", "");
	json_t *w = json_object_get(v, "workload");
	buf_printf(b, " (");
	if (!strcmp(owner, "collateral")) {
		buf_printf(b, "<b class=\"warn\">collateral</b>");
	} else if (json_is_integer(w)) {
		buf_printf(b, "%s#%lld ", !strcmp(owner, "child") ? "child of " : "", (long long)json_integer_value(w));
		html_val(b, json_object_get(json_array_get(wls, (size_t)json_integer_value(w)), "name"));
	} else {
		buf_printf(b, "child of a workload");
	}
	buf_printf(b, ")%s", json_is_true(json_object_get(v, "group_member")) ? ", group member" : "");
}

void html_episodes_table(struct buf *b, json_t *cell)
{
	json_t *eps = json_object_get(cell, "oom_episodes"), *wls = json_object_get(cell, "workloads");
	if (!json_array_size(eps))
		return;
	buf_printf(b, "<h3>OOM episodes</h3>\n<table class=\"oom episodes\"><tr><th>#</th><th>invoked (s)</th>"
		      "<th>kind</th><th>invoked by</th><th>victims</th><th>victims' rss MB</th>"
		      "<th>reaped after (s)</th><th>reaper freed MB</th><th>left MB</th><th>double kill</th></tr>\n");
	size_t i, k;
	json_t *e, *v;
	json_array_foreach(eps, i, e) {
		json_t *dk = json_object_get(e, "double_kill");
		buf_printf(b, "<tr%s><td class=\"n\">%zu</td><td class=\"n\">", json_is_object(dk) ? " class=\"warn\"" : "",
			   i + 1);
		secs(b, json_object_get(e, "t_us"));
		buf_printf(b, "</td><td>");
		html_val(b, json_object_get(e, "oom_kind"));
		if (json_is_string(json_object_get(e, "oom_memcg"))) {
			buf_printf(b, " ");
			html_val(b, json_object_get(e, "oom_memcg"));
		}
		buf_printf(b, "</td><td>");
		html_val(b, json_object_get(e, "invoker_comm"));
		buf_printf(b, "</td><td>");
		if (!json_array_size(json_object_get(e, "victims")))
			buf_printf(b, "none");
		json_array_foreach(json_object_get(e, "victims"), k, v) {
			if (k)
				buf_printf(b, "<br>");
			victim(b, v, wls);
		}
		buf_printf(b, "</td><td class=\"n\">");
		mb(b, json_object_get(e, "rss_kb"));
		buf_printf(b, "</td><td class=\"n\">");
		secs(b, json_object_get(e, "reap_us"));
		buf_printf(b, "</td><td class=\"n\">");
		mb(b, json_object_get(e, "reaped_kb"));
		buf_printf(b, "</td><td class=\"n\">");
		mb(b, json_object_get(e, "left_kb"));
		buf_printf(b, "</td><td>");
		if (json_is_object(dk)) {
			buf_printf(b, "yes: pid ");
			html_val(b, json_object_get(dk, "pid"));
			buf_printf(b, " of episode %lld reaped %.2f s later",
				   (long long)json_integer_value(json_object_get(dk, "episode")) + 1,
				   (double)json_integer_value(json_object_get(dk, "reaped_after_us")) / 1e6);
		} else {
			buf_printf(b, "no");
		}
		buf_printf(b, "</td></tr>\n");
	}
	buf_printf(b, "</table>\n<p class=\"note\">An episode is one OOM invocation and all it killed and reaped; "
		      "\"reaped after\" is from the invocation to the oom_reaper's line (- when the victims freed "
		      "their memory on exit first). A double kill is a kill before an earlier victim was reaped.</p>\n");
}

void html_compare_episodes(struct buf *b, json_t *ep)
{
	if (!json_is_object(ep))
		return;
	static const char *const rows[][2] = {
		{"episodes", "episodes"},           {"most victims in one", "max_victims"},
		{"collateral victims", "collateral"}, {"slowest reaping (s), mean", "reap_s"},
		{"repeats with a double kill", "double_kills"},
	};
	json_t *sa = json_object_get(ep, "base"), *sb = json_object_get(ep, "new");
	buf_printf(b, "<table class=\"episodes\"><caption>OOM episodes (over %lld and %lld repeats)</caption>\n"
		      "<tr><th></th><th>A</th><th>B</th></tr>\n",
		   (long long)json_integer_value(json_object_get(sa, "repeats")),
		   (long long)json_integer_value(json_object_get(sb, "repeats")));
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		buf_printf(b, "<tr><td>%s</td>", rows[i][0]);
		json_t *side[2] = {sa, sb};
		for (size_t s = 0; s < 2; s++) {
			json_t *v = json_object_get(side[s], rows[i][1]);
			buf_printf(b, "<td class=\"n\">");
			if (json_is_real(v))
				buf_printf(b, "%.2f", json_real_value(v));
			else
				html_val(b, v);
			buf_printf(b, "</td>");
		}
		buf_printf(b, "</tr>\n");
	}
	buf_printf(b, "</table>\n");
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(ep, "reasons"), i, r) {
		buf_printf(b, "<p class=\"%s\">OOM episodes: ",
			   !strcmp(json_str(ep, "status", ""), "regressed") ? "warn" : "note");
		html_val(b, r);
		buf_printf(b, "</p>\n");
	}
}
