// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of OOM episodes on a cell's HTML page, and under a compared
 * cell of the comparison page (reports/html/episodes.c). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "reports/html/episodes.h"

static json_t *load(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	cr_assert_not_null(j, "%s", je.text);
	return j;
}

/* Two episodes: a memory.oom.group kill of a workload and a stress-ng
 * worker, reaped; then a global kill of a collateral process before the
 * first victim was reaped. */
static const char cell_text[] =
	"{\"workloads\":[{\"name\":\"touch\"},{\"name\":\"stress-ng\"}],\"oom_episodes\":["
	"{\"t_us\":1500000,\"invoker_comm\":\"touch\",\"oom_kind\":\"oom_memcg\",\"constraint\":\"CONSTRAINT_MEMCG\","
	"\"oom_memcg\":\"/g\",\"oom_group\":\"/g\",\"events\":[0,1],\"victims\":["
	"{\"event\":0,\"pid\":80,\"comm\":\"oomlab-wl\",\"owner\":\"workload\",\"workload\":0,\"group_member\":false,"
	"\"rss_kb\":102400,\"reaped\":true,\"reap_us\":2100000,\"left_kb\":1024},"
	"{\"event\":1,\"pid\":81,\"comm\":\"stress-ng-vm\",\"owner\":\"child\",\"workload\":1,\"group_member\":true,"
	"\"rss_kb\":2048,\"reaped\":false,\"reap_us\":null,\"left_kb\":null}],"
	"\"n_victims\":2,\"n_collateral\":0,\"reap_us\":2100000,\"rss_kb\":104448,\"reaped_kb\":101376,"
	"\"left_kb\":1024,\"double_kill\":null},"
	"{\"t_us\":2000000,\"invoker_comm\":\"touch\",\"oom_kind\":\"global_oom\",\"constraint\":\"CONSTRAINT_NONE\","
	"\"oom_memcg\":null,\"oom_group\":null,\"events\":[2],\"victims\":["
	"{\"event\":2,\"pid\":90,\"comm\":\"sh<x>\",\"owner\":\"collateral\",\"workload\":null,\"group_member\":false,"
	"\"rss_kb\":512,\"reaped\":false,\"reap_us\":null,\"left_kb\":null}],"
	"\"n_victims\":1,\"n_collateral\":1,\"reap_us\":null,\"rss_kb\":512,\"reaped_kb\":null,\"left_kb\":null,"
	"\"double_kill\":{\"episode\":0,\"event\":0,\"pid\":80,\"reaped_after_us\":1600000}}]}";

Test(html_episodes, cell_table)
{
	json_t *cell = load(cell_text);
	struct buf b = {0};
	html_episodes_table(&b, cell);
	const char *h = b.data;
	cr_assert_not_null(h);
	cr_expect_not_null(strstr(h, "<h3>OOM episodes</h3>"));
	cr_expect_not_null(strstr(h, "<tr><td class=\"n\">1</td><td class=\"n\">1.50</td><td>oom_memcg /g</td>"
				     "<td>touch</td><td>80 oomlab-wl (#0 touch)<br>81 stress-ng-vm (child of #1 "
				     "stress-ng), group member</td><td class=\"n\">102.0</td><td class=\"n\">2.10</td>"
				     "<td class=\"n\">99.0</td><td class=\"n\">1.0</td><td>no</td></tr>"),
			 "%s", h);
	cr_expect_not_null(strstr(h, "<tr class=\"warn\"><td class=\"n\">2</td><td class=\"n\">2.00</td>"
				     "<td>global_oom</td><td>touch</td><td>90 sh&lt;x&gt; (<b class=\"warn\">"
				     "collateral</b>)</td><td class=\"n\">0.5</td><td class=\"n\">-</td><td class=\"n\">-"
				     "</td><td class=\"n\">-</td><td>yes: pid 80 of episode 1 reaped 1.60 s later</td></tr>"),
			 "%s", h);
	buf_free(&b);
	json_decref(cell);
}

/* A report written before episodes, or a cell without any: no table. */
Test(html_episodes, none_without_episodes)
{
	static const char *const texts[] = {"{\"workloads\":[]}", "{\"workloads\":[],\"oom_episodes\":[]}"};
	for (size_t i = 0; i < 2; i++) {
		json_t *cell = load(texts[i]);
		struct buf b = {0};
		html_episodes_table(&b, cell);
		cr_expect_eq(b.len, 0, "%s", texts[i]);
		buf_free(&b);
		json_decref(cell);
	}
}

Test(html_episodes, compared_cell)
{
	json_t *ep = load("{\"base\":{\"repeats\":1,\"episodes\":1,\"max_victims\":1,\"collateral\":0,"
			  "\"double_kills\":0,\"reap_s\":2.1,\"reap_spread_pct\":0.0},\"new\":{\"repeats\":2,"
			  "\"episodes\":4,\"max_victims\":3,\"collateral\":1,\"double_kills\":1,\"reap_s\":null,"
			  "\"reap_spread_pct\":0.0},\"reap_tolerance_pct\":25.0,\"status\":\"regressed\","
			  "\"reasons\":[\"more victims in one OOM episode: at most 1 -> 3\"]}");
	struct buf b = {0};
	html_compare_episodes(&b, ep);
	cr_expect_str_eq(b.data,
			 "<table class=\"episodes\"><caption>OOM episodes (over 1 and 2 repeats)</caption>\n"
			 "<tr><th></th><th>A</th><th>B</th></tr>\n"
			 "<tr><td>episodes</td><td class=\"n\">1</td><td class=\"n\">4</td></tr>\n"
			 "<tr><td>most victims in one</td><td class=\"n\">1</td><td class=\"n\">3</td></tr>\n"
			 "<tr><td>collateral victims</td><td class=\"n\">0</td><td class=\"n\">1</td></tr>\n"
			 "<tr><td>slowest reaping (s), mean</td><td class=\"n\">2.10</td><td class=\"n\">-</td></tr>\n"
			 "<tr><td>repeats with a double kill</td><td class=\"n\">0</td><td class=\"n\">1</td></tr>\n"
			 "</table>\n"
			 "<p class=\"warn\">OOM episodes: more victims in one OOM episode: at most 1 -&gt; 3</p>\n");
	buf_free(&b);
	struct buf none = {0};
	html_compare_episodes(&none, NULL);
	cr_expect_eq(none.len, 0);
	json_decref(ep);
}
