// SPDX-License-Identifier: GPL-2.0-or-later
/* The HTML page of a comparison (oomlab compare --html): the significant
 * changes and their distributions (changes.c), the table of cells, then
 * the matched cells' curves on shared axes. */
#include "reports/html/html.h"
#include "reports/html/page.h"
#include "reports/html/episodes.h"
#include "reports/html/changes.h"
#include "lib/jsonx.h"
#include "reports/compare.h"
#include "reports/markup.h"

#include <string.h>

static json_t *find_cell(const struct rundir *r, json_t *ids)
{
	const char *id = json_string_value(json_array_get(ids, 0));
	size_t i;
	json_t *c;
	json_array_foreach(r->cells, i, c)
		if (id && !strcmp(id, json_str(json_object_get(c, "cell"), "id", "")))
			return c;
	return NULL;
}

static void run_line(struct buf *b, const char *label, json_t *side)
{
	buf_printf(b, "<tr><th>%s</th><td>", label);
	html_val(b, json_object_get(side, "dir"));
	buf_printf(b, "</td><td>");
	html_val(b, json_object_get(side, "run_id"));
	buf_printf(b, "</td><td>");
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(side, "kernels"), i, k) {
		if (i)
			buf_printf(b, "<br>");
		html_val(b, k);
	}
	buf_printf(b, "</td><td class=\"n\">%lld</td></tr>\n",
		   (long long)json_integer_value(json_object_get(side, "cells")));
}

/* The results table's cell: how many confounders, linked to the list. */
static void confounder_count(struct buf *b, json_t *c, size_t i, size_t rows)
{
	json_t *x = json_object_get(c, "confounders");
	size_t n = json_array_size(json_object_get(x, "knobs")) + json_array_size(json_object_get(x, "config"));
	buf_printf(b, "<td rowspan=\"%zu\" class=\"n\">", rows);
	if (n)
		buf_printf(b, "<a href=\"#cmp-%zu\">%zu</a>", i, n);
	else if (x)
		buf_printf(b, "0");
	buf_printf(b, "</td>");
}

static void value_cell(struct buf *b, json_t *v, const char *none)
{
	buf_printf(b, "<td>");
	if (json_is_string(v))
		html_val(b, v);
	else
		buf_printf(b, "%s", none);
	buf_printf(b, "</td>");
}

/* A compared cell's confounders: knobs neither run set whose read-back
 * values differ, and the kernels' build options that differ. */
static void confounder_table(struct buf *b, json_t *x)
{
	json_t *cfg = json_object_get(x, "config");
	if (!x)
		return;
	if (json_array_size(json_object_get(x, "knobs")) || json_array_size(cfg)) {
		buf_printf(b, "<table class=\"confounders\"><caption>Confounders: set by neither run, different "
			      "in the two</caption>\n<tr><th></th><th>name</th><th>A</th><th>B</th></tr>\n");
		static const char *const kinds[] = {"knobs", "config"};
		static const char *const shown[] = {"knob", "kernel config"};
		static const char *const none[] = {"(absent)", "(none)"};
		for (size_t k = 0; k < 2; k++) {
			size_t i;
			json_t *d;
			json_array_foreach(json_object_get(x, kinds[k]), i, d) {
				buf_printf(b, "<tr><td>%s</td><td>", shown[k]);
				html_val(b, json_object_get(d, "name"));
				buf_printf(b, "</td>");
				value_cell(b, json_object_get(d, "base"), none[k]);
				value_cell(b, json_object_get(d, "new"), none[k]);
				buf_printf(b, "</tr>\n");
			}
		}
		buf_printf(b, "</table>\n");
	}
	if (!json_is_array(cfg))
		buf_printf(b, "<p class=\"note\">Build options not compared: the runs do not both record their "
			      "kernels' configurations.</p>\n");
}

/* The kernel finding titles of the compared cells (compare_findings.c):
 * new, gone or in both, with the cells on each side; a new title not
 * allowed (a regression) in red. Nothing when neither run records them. */
static void findings_table(struct buf *out, json_t *doc)
{
	json_t *fd = json_object_get(doc, "findings");
	if (!fd)
		return;
	buf_printf(out, "<h2>Kernel findings</h2>\n");
	if (!json_is_true(json_object_get(fd, "compared"))) {
		buf_printf(out, "<p class=\"note\">Not compared: ");
		html_val(out, json_object_get(fd, "reason"));
		buf_printf(out, "</p>\n");
		return;
	}
	json_t *titles = json_object_get(fd, "titles");
	if (!json_array_size(titles)) {
		buf_printf(out, "<p>None in the compared cells of either run.</p>\n");
		return;
	}
	buf_printf(out, "<table class=\"findings\"><tr><th>title</th><th>kind</th><th>status</th><th>allowed</th>"
			"<th>base</th><th>new</th></tr>\n");
	size_t i, k;
	json_t *t, *v;
	json_array_foreach(titles, i, t) {
		buf_printf(out, "<tr%s><td>", json_is_true(json_object_get(t, "regression")) ? " class=\"regressed\"" : "");
		html_val(out, json_object_get(t, "title"));
		buf_printf(out, "</td><td>");
		json_array_foreach(json_object_get(t, "kinds"), k, v) {
			buf_printf(out, "%s", k ? ", " : "");
			html_val(out, v);
		}
		buf_printf(out, "</td><td>");
		html_val(out, json_object_get(t, "status"));
		buf_printf(out, "</td><td>%s</td>", json_is_true(json_object_get(t, "allowed")) ? "yes" : "no");
		static const char *const sides[] = {"base", "new"};
		for (int s = 0; s < 2; s++) {
			json_t *x = json_object_get(t, sides[s]);
			buf_printf(out, "<td>");
			if (json_array_size(json_object_get(x, "cells")))
				buf_printf(out, "%lld in ", (long long)json_integer_value(json_object_get(x, "count")));
			json_array_foreach(json_object_get(x, "cells"), k, v) {
				buf_printf(out, "%s", k ? ", " : "");
				html_val(out, v);
			}
			buf_printf(out, "</td>");
		}
		buf_printf(out, "</tr>\n");
	}
	buf_printf(out, "</table>\n");
}

void report_html_compare(struct buf *out, const struct rundir *a, const struct rundir *b, json_t *doc)
{
	html_begin(out, "oomlab compare");
	json_t *s = json_object_get(doc, "summary");
	buf_printf(out, "<h1>oomlab compare</h1>\n<table><tr><th></th><th>run dir</th><th>run</th>"
			"<th>kernels</th><th>cells</th></tr>\n");
	run_line(out, "A (base)", json_object_get(doc, "base"));
	run_line(out, "B (new)", json_object_get(doc, "new"));
	buf_printf(out, "</table>\n<p>%lld compared: <b>%lld regressed</b>, %lld changed, %lld same; %lld only "
			"in A, %lld only in B, %lld skipped. MB tolerance %.0f%%.</p>\n",
		   (long long)json_integer_value(json_object_get(s, "compared")),
		   (long long)json_integer_value(json_object_get(s, "regressed")),
		   (long long)json_integer_value(json_object_get(s, "changed")),
		   (long long)json_integer_value(json_object_get(s, "same")),
		   (long long)json_integer_value(json_object_get(s, "only_base")),
		   (long long)json_integer_value(json_object_get(s, "only_new")),
		   (long long)json_integer_value(json_object_get(s, "skipped")),
		   json_number_value(json_object_get(doc, "tolerance_pct")));
	html_compare_changes(out, doc);
	buf_printf(out, "<table class=\"results\"><tr><th>cell</th><th>status</th><th>workload</th>"
			"<th>endpoint A → B</th><th>MB A → B</th><th>Δ%%</th><th>why</th>"
			"<th>confounders</th></tr>\n");
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		const char *st = json_str(c, "status", "");
		json_t *wl = json_object_get(c, "workloads");
		size_t nw = json_array_size(wl) ? json_array_size(wl) : 1;
		/* rows are coloured by their workload's status */
		buf_printf(out, "<tr class=\"");
		markup_esc(out, json_array_size(wl) ? json_str(json_array_get(wl, 0), "status", "") : st);
		buf_printf(out, "\"><td rowspan=\"%zu\"><a href=\"#cmp-%zu\">", nw, i);
		html_val(out, json_object_get(c, "name"));
		buf_printf(out, "</a></td><td rowspan=\"%zu\">", nw);
		markup_esc(out, st);
		buf_printf(out, "</td>");
		if (!json_array_size(wl)) {
			buf_printf(out, "<td colspan=\"5\">");
			html_val(out, json_object_get(c, "reason"));
			buf_printf(out, "</td><td></td></tr>\n");
			continue;
		}
		size_t j;
		json_t *w;
		json_array_foreach(wl, j, w) {
			if (j) {
				buf_printf(out, "<tr class=\"");
				markup_esc(out, json_str(w, "status", ""));
				buf_printf(out, "\">");
			}
			json_t *ep = json_object_get(w, "endpoint"), *mb = json_object_get(w, "mb_reached");
			buf_printf(out, "<td>");
			html_val(out, json_object_get(w, "name"));
			buf_printf(out, "</td><td>");
			html_val(out, json_object_get(ep, "base"));
			buf_printf(out, " → ");
			html_val(out, json_object_get(ep, "new"));
			buf_printf(out, "</td><td class=\"n\">");
			json_t *mb_a = json_object_get(mb, "base"), *mb_b = json_object_get(mb, "new");
			if (json_is_number(mb_a))
				buf_printf(out, "%.0f", json_number_value(mb_a));
			else
				buf_printf(out, "-");
			buf_printf(out, " → ");
			if (json_is_number(mb_b))
				buf_printf(out, "%.0f", json_number_value(mb_b));
			else
				buf_printf(out, "-");
			buf_printf(out, "</td><td class=\"n\">");
			json_t *d = json_object_get(mb, "delta_pct");
			if (json_is_number(d))
				buf_printf(out, "%+.1f", json_number_value(d));
			else
				buf_printf(out, "-");
			buf_printf(out, "</td><td>");
			size_t k;
			json_t *why;
			json_array_foreach(json_object_get(w, "reasons"), k, why) {
				if (k)
					buf_printf(out, "; ");
				html_val(out, why);
			}
			buf_printf(out, "</td>");
			if (!j)
				confounder_count(out, c, i, nw);
			buf_printf(out, "</tr>\n");
		}
	}
	buf_printf(out, "</table>\n");
	findings_table(out, doc);
	/* both runs' curves on the same axes, per matched cell */
	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		json_t *ca = find_cell(a, json_object_get(json_object_get(c, "base"), "ids"));
		json_t *cb = find_cell(b, json_object_get(json_object_get(c, "new"), "ids"));
		const char *st = json_str(c, "status", "");
		buf_printf(out, "<section class=\"cell\" id=\"cmp-%zu\"><h2>", i);
		html_val(out, json_object_get(c, "name"));
		const struct cmp_status_row *cst = cmp_status_find(st);
		buf_printf(out, " <span class=\"%s\">", cst ? cst->html_class : "note");
		markup_esc(out, st);
		buf_printf(out, "</span></h2>\n");
		json_t *cells[2];
		const char *labels[2];
		size_t n = 0;
		if (ca) {
			cells[n] = ca;
			labels[n++] = "A";
		}
		if (cb) {
			cells[n] = cb;
			labels[n++] = "B";
		}
		confounder_table(out, json_object_get(c, "confounders"));
		html_compare_episodes(out, json_object_get(c, "oom_episodes"));
		if (n == 2)
			buf_printf(out, "<p class=\"note\">A solid, B dashed.</p>\n");
		else
			buf_printf(out, "<p class=\"note\">Only in %s.</p>\n", n && labels[0][0] == 'A' ? "A" : "B");
		if (n)
			html_cell_plots(out, cells, labels, n);
		buf_printf(out, "</section>\n");
	}
	html_end(out);
}

