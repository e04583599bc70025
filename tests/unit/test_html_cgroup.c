// SPDX-License-Identifier: GPL-2.0-or-later
/* The HTML plots of memory cgroups (reports/html/cell.c): each group's
 * memory.current against its memory.high and memory.max. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "reports/html/page.h"

static json_t *cell_with(const char *cgroups)
{
	char *text = xasprintf("{\"series\":{},\"workloads\":[],\"oom_events\":[{\"t_us\":2500000,"
			       "\"victim_pid\":80,\"victim_comm\":\"oomlab-wl\",\"constraint\":\"CONSTRAINT_MEMCG\"}],"
			       "\"alloc_failures\":[]%s%s}",
			       cgroups ? ",\"cgroups\":" : "", cgroups ? cgroups : "");
	json_error_t je;
	json_t *c = json_loads(text, 0, &je);
	cr_assert_not_null(c, "%s", je.text);
	free(text);
	return c;
}

/* the d="..." of the series named name, or NULL */
static char *path_of(const char *html, const char *name)
{
	char *key = xasprintf("data-name=\"%s\" data-points=\"", name);
	const char *p = strstr(html, key);
	free(key);
	if (!p)
		return NULL;
	p = strstr(p, " d=\"");
	cr_assert_not_null(p);
	p += 4;
	return xstrndup(p, strcspn(p, "\""));
}

Test(html_cgroup, current_against_high_and_max)
{
	json_t *cell = cell_with("{\"a<b\":{\"limits\":{\"memory.max\":67108864,\"memory.high\":\"max\"},"
				 "\"series\":{\"t_ms\":[1000,2000,3000],\"memory.current\":[0,33554432,67108864]}},"
				 "\"c\":{\"limits\":{\"memory.max\":\"max\",\"memory.high\":16777216},"
				 "\"series\":{\"t_ms\":[1000,2000],\"memory.current\":[1048576,null]}}}");
	struct buf b = {0};
	json_t *cells[] = {cell};
	html_cell_plots(&b, cells, NULL, 1);
	const char *h = b.data;
	const char *p1 = strstr(h, "cgroup a&lt;b: memory.current vs memory.high, memory.max");
	const char *p2 = strstr(h, "cgroup c: memory.current vs memory.high, memory.max");
	cr_assert_not_null(p1, "%s", h);
	cr_assert_not_null(p2);
	cr_expect_null(strstr(h, "a<b"), "the group's name is escaped");
	/* a<b: its memory.current and its memory.max, no memory.high ("max") */
	char *first = xstrndup(p1, (size_t)(p2 - p1));
	cr_expect_not_null(strstr(first, "data-name=\"memory.current\" data-points=\"3\""));
	cr_expect_not_null(strstr(first, "data-name=\"memory.max\" data-points=\"2\""), "%s", first);
	cr_expect_null(strstr(first, "data-name=\"memory.high\""));
	cr_expect_not_null(strstr(first, "stroke-dasharray"));
	cr_expect_not_null(strstr(first, "CONSTRAINT_MEMCG"), "the OOM kill is marked");
	/* memory.max is level, at the height of the top point of memory.current */
	char *max = path_of(first, "memory.max"), *cur = path_of(first, "memory.current");
	cr_assert(max && cur);
	double x0, y0, x1, y1, cx[3], cy[3];
	cr_assert_eq(sscanf(max, "M%lf %lf L%lf %lf", &x0, &y0, &x1, &y1), 4, "%s", max);
	cr_expect_eq(y0, y1);
	cr_assert_eq(sscanf(cur, "M%lf %lf L%lf %lf L%lf %lf", &cx[0], &cy[0], &cx[1], &cy[1], &cx[2], &cy[2]), 6,
		     "%s", cur);
	cr_expect_eq(y0, cy[2]);
	cr_expect_eq(x0, cx[0]);
	cr_expect_eq(x1, cx[2]);
	free(max);
	free(cur);
	free(first);
	/* c: memory.high, no memory.max */
	cr_expect_not_null(strstr(p2, "data-name=\"memory.high\" data-points=\"2\""));
	cr_expect_null(strstr(p2, "data-name=\"memory.max\""));
	buf_free(&b);
	json_decref(cell);
}

Test(html_cgroup, no_group_no_plot)
{
	json_t *cell = cell_with(NULL);
	struct buf b = {0};
	json_t *cells[] = {cell};
	html_cell_plots(&b, cells, NULL, 1);
	cr_expect_null(strstr(b.data, "cgroup"));
	buf_free(&b);
	json_decref(cell);
}

Test(html_cgroup, two_cells_one_plot_per_group)
{
	json_t *a = cell_with("{\"app\":{\"limits\":{\"memory.max\":67108864},"
			      "\"series\":{\"t_ms\":[1000,2000],\"memory.current\":[0,1048576]}}}");
	json_t *b2 = cell_with("{\"app\":{\"limits\":{\"memory.max\":100663296},"
			       "\"series\":{\"t_ms\":[1000,2000],\"memory.current\":[0,2097152]}},"
			       "\"db\":{\"limits\":{},\"series\":{\"t_ms\":[1000],\"memory.current\":[4096]}}}");
	struct buf b = {0};
	json_t *cells[] = {a, b2};
	const char *labels[] = {"A", "B"};
	html_cell_plots(&b, cells, labels, 2);
	const char *p = strstr(b.data, "<text class=\"title\" x=\"56\" y=\"16\">cgroup app:");
	cr_assert_not_null(p, "%s", b.data);
	cr_expect_null(strstr(p + 1, "<text class=\"title\" x=\"56\" y=\"16\">cgroup app:"),
		       "one plot per group");
	cr_expect_not_null(strstr(p, "data-name=\"A: memory.max\""));
	cr_expect_not_null(strstr(p, "data-name=\"B: memory.max\""));
	cr_expect_not_null(strstr(b.data, "cgroup db:"));
	buf_free(&b);
	json_decref(a);
	json_decref(b2);
}
