// SPDX-License-Identifier: GPL-2.0-or-later
/* The HTML page of a run: summary, outcome grid, results table, and a
 * section per cell (cell.c). */
#include "reports/html/html.h"
#include "reports/html/page.h"
#include "reports/html/effects.h"
#include "reports/effects.h"
#include "lib/jsonx.h"
#include "lib/vocab.h"
#include "reports/findings_list.h"
#include "reports/markup.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the outcome grid ---- */

/* A knob of the cells' "requested" objects and the values it takes (compact
 * JSON text; "-" where a cell does not set it). */
struct axis {
	const char *key;
	char **vals;
	size_t n;
	int numeric;
};

static char *value_text(json_t *v)
{
	if (!v)
		return xstrdup("-");
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
}

static size_t axis_find(const struct axis *a, const char *v)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->vals[i], v))
			return i;
	return (size_t)-1;
}

static int cmp_num_text(const void *x, const void *y)
{
	const char *a = *(char *const *)x, *b = *(char *const *)y;
	/* "-" (kernel default) first */
	int da = !strcmp(a, "-"), db = !strcmp(b, "-");
	if (da || db)
		return db - da;
	double p = strtod(a, NULL), q = strtod(b, NULL);
	return p < q ? -1 : p > q;
}

/* The knobs that vary between the cells, in the order they first appear.
 * Returns how many; axes[] owns the value strings. */
static size_t find_axes(json_t *cells, struct axis *axes, size_t max)
{
	size_t na = 0;
	size_t i;
	json_t *c;
	/* every key of any cell */
	json_array_foreach(cells, i, c) {
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(c, "requested"), k, v) {
			size_t j;
			for (j = 0; j < na && strcmp(axes[j].key, k); j++)
				;
			if (j == na && na < max)
				axes[na++] = (struct axis){.key = k, .numeric = 1};
		}
	}
	for (size_t a = 0; a < na; a++) {
		json_array_foreach(cells, i, c) {
			json_t *v = json_object_get(json_object_get(c, "requested"), axes[a].key);
			char *t = value_text(v);
			if (v && !json_is_number(v))
				axes[a].numeric = 0;
			if (axis_find(&axes[a], t) == (size_t)-1) {
				axes[a].vals = xrealloc(axes[a].vals, (axes[a].n + 1) * sizeof *axes[a].vals);
				axes[a].vals[axes[a].n++] = t;
			} else {
				free(t);
			}
		}
		if (axes[a].numeric)
			qsort(axes[a].vals, axes[a].n, sizeof *axes[a].vals, cmp_num_text);
	}
	/* keep those that vary */
	size_t k = 0;
	for (size_t a = 0; a < na; a++) {
		if (axes[a].n > 1) {
			axes[k++] = axes[a];
		} else {
			for (size_t v = 0; v < axes[a].n; v++)
				free(axes[a].vals[v]);
			free(axes[a].vals);
		}
	}
	return k;
}

static void axes_free(struct axis *axes, size_t n)
{
	for (size_t a = 0; a < n; a++) {
		for (size_t v = 0; v < axes[a].n; v++)
			free(axes[a].vals[v]);
		free(axes[a].vals);
	}
}

static size_t cell_coord(json_t *cell, const struct axis *a)
{
	if (!a)
		return 0;
	char *t = value_text(json_object_get(json_object_get(cell, "requested"), a->key));
	size_t i = axis_find(a, t);
	free(t);
	return i == (size_t)-1 ? 0 : i;
}

static void axis_value(struct buf *b, const struct axis *a, size_t i)
{
	if (!strcmp(a->vals[i], "-")) {
		buf_printf(b, "(default)");
		return;
	}
	json_t *v = json_loads(a->vals[i], JSON_DECODE_ANY, NULL);
	html_val(b, v);
	json_decref(v);
}

static void cell_link(struct buf *b, json_t *cell, int linked)
{
	const char *id = json_str(json_object_get(cell, "cell"), "id", "");
	if (linked) {
		buf_printf(b, "<a href=\"#cell-");
		markup_esc(b, id);
		buf_printf(b, "\">");
	}
	html_val(b, json_object_get(json_object_get(cell, "cell"), "name"));
	if (linked)
		buf_printf(b, "</a>");
}

static void workload_chips(struct buf *b, json_t *cell)
{
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(cell, "workloads"), i, w) {
		const char *ep = json_string_value(json_object_get(w, "endpoint"));
		json_t *mb = json_object_get(w, "mb_reached");
		buf_printf(b, "<span class=\"chip %s\" title=\"", html_endpoint_class(ep));
		html_val(b, json_object_get(w, "verdict"));
		buf_printf(b, ": ");
		html_val(b, json_object_get(w, "verdict_reason"));
		buf_printf(b, "\">");
		html_val(b, json_object_get(w, "name"));
		buf_printf(b, " %s", html_endpoint_label(ep));
		if (json_is_number(mb))
			buf_printf(b, " %.0f MB", json_number_value(mb));
		buf_printf(b, "</span>");
	}
	if (!json_array_size(json_object_get(cell, "workloads")))
		buf_printf(b, "<span class=\"chip ep-none\">no workload ran</span>");
}

static int sectioned(json_t *cell, size_t n_cells)
{
	if (n_cells <= HTML_MAX_CELL_SECTIONS)
		return 1;
	const struct verdict_row *v = verdict_find(json_str(cell, "verdict", ""));
	return v && v->failed;
}

static void outcome_grid(struct buf *b, json_t *cells)
{
	struct axis axes[32];
	size_t na = find_axes(cells, axes, ARRAY_SIZE(axes));
	const struct axis *ax = na > 0 ? &axes[0] : NULL, *ay = na > 1 ? &axes[1] : NULL;
	size_t nx = ax ? ax->n : 1, ny = ay ? ay->n : 1, n = json_array_size(cells);
	buf_printf(b, "<h2>Outcomes</h2>\n");
	if (na > 2) {
		buf_printf(b, "<p class=\"note\">Rows and columns are the first two knobs that vary; a square "
			      "lists every cell with those values (the others vary:");
		for (size_t a = 2; a < na; a++) {
			buf_printf(b, " ");
			markup_esc(b, axes[a].key);
		}
		buf_printf(b, ").</p>\n");
	}
	html_endpoint_legend(b);
	buf_printf(b, "<table class=\"grid\"><tr><th>");
	if (ay)
		markup_esc(b, ay->key);
	buf_printf(b, " \\ ");
	if (ax)
		markup_esc(b, ax->key);
	buf_printf(b, "</th>");
	for (size_t x = 0; x < nx; x++) {
		buf_printf(b, "<th>");
		if (ax)
			axis_value(b, ax, x);
		buf_printf(b, "</th>");
	}
	buf_printf(b, "</tr>\n");
	for (size_t y = 0; y < ny; y++) {
		buf_printf(b, "<tr><th>");
		if (ay)
			axis_value(b, ay, y);
		buf_printf(b, "</th>");
		for (size_t x = 0; x < nx; x++) {
			struct buf sq = {0};
			int fail = 0;
			size_t i;
			json_t *c;
			json_array_foreach(cells, i, c) {
				if (cell_coord(c, ax) != x || cell_coord(c, ay) != y)
					continue;
				const char *v = json_str(c, "verdict", "");
				const struct verdict_row *vr = verdict_find(v);
				fail |= !vr || vr->failed; /* a word that is no verdict too */
				workload_chips(&sq, c);
				buf_printf(&sq, "<span class=\"cellref\">");
				html_verdict(&sq, v);
				buf_printf(&sq, " ");
				cell_link(&sq, c, sectioned(c, n));
				buf_printf(&sq, "</span>");
			}
			buf_printf(b, "<td%s>%s</td>", fail ? " class=\"fail\"" : "", sq.data ? sq.data : "");
			buf_free(&sq);
		}
		buf_printf(b, "</tr>\n");
	}
	buf_printf(b, "</table>\n");
	axes_free(axes, na);
}

/* ---- kernel findings ---- */

static json_t *cell_by_id(json_t *cells, const char *id)
{
	size_t i;
	json_t *c;
	json_array_foreach(cells, i, c)
		if (!strcmp(json_str(json_object_get(c, "cell"), "id", ""), id))
			return c;
	return NULL;
}

/* The distinct titles of the run's findings (run.json's rows): kind,
 * count, the cells they came in, allowed or not. Nothing for a run of an
 * older oomlab, which records none. */
static void findings_summary(struct buf *b, const struct rundir *r)
{
	size_t i, recorded = 0;
	json_t *row;
	json_array_foreach(json_object_get(r->run, "cells"), i, row)
		recorded += json_object_get(row, "findings") != NULL;
	if (!recorded)
		return;
	json_t *run = r->run;
	const char *dir = r->dir ? r->dir : "";
	json_t *doc = findings_list(&run, &dir, 1);
	json_t *s = json_object_get(doc, "summary"), *titles = json_object_get(doc, "titles");
	buf_printf(b, "<h2>Kernel findings</h2>\n");
	if (!json_array_size(titles)) {
		buf_printf(b, "<p>No kernel finding.</p>\n");
		json_decref(doc);
		return;
	}
	buf_printf(b, "<p>%lld distinct title%s in %lld of %lld cells; %lld not allowed.</p>\n",
		   (long long)json_integer_value(json_object_get(s, "titles")),
		   json_integer_value(json_object_get(s, "titles")) == 1 ? "" : "s",
		   (long long)json_integer_value(json_object_get(s, "cells_with_findings")),
		   (long long)json_integer_value(json_object_get(s, "cells")),
		   (long long)json_integer_value(json_object_get(s, "not_allowed")));
	buf_printf(b, "<table class=\"findings\"><tr><th>title</th><th>kind</th><th>count</th><th>cells</th>"
		      "<th>allowed</th></tr>\n");
	size_t n = json_array_size(r->cells);
	json_t *t;
	json_array_foreach(titles, i, t) {
		json_int_t nc = json_integer_value(json_object_get(t, "cells"));
		json_int_t na = json_integer_value(json_object_get(t, "cells_allowed"));
		buf_printf(b, "<tr%s><td>", na == nc ? "" : " class=\"regressed\"");
		html_val(b, json_object_get(t, "title"));
		buf_printf(b, "</td><td>");
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(t, "kinds"), k, v) {
			buf_printf(b, "%s", k ? ", " : "");
			html_val(b, v);
		}
		buf_printf(b, "</td><td class=\"n\">%lld</td><td>",
			   (long long)json_integer_value(json_object_get(t, "count")));
		json_array_foreach(json_object_get(t, "seen"), k, v) {
			json_t *c = cell_by_id(r->cells, json_str(v, "id", ""));
			buf_printf(b, "%s", k ? ", " : "");
			if (c)
				cell_link(b, c, sectioned(c, n));
			else
				html_val(b, json_object_get(v, "name"));
		}
		if (na == nc)
			buf_printf(b, "</td><td>yes</td></tr>\n");
		else if (na)
			buf_printf(b, "</td><td>%lld of %lld</td></tr>\n", (long long)na, (long long)nc);
		else
			buf_printf(b, "</td><td>no</td></tr>\n");
	}
	buf_printf(b, "</table>\n");
	json_decref(doc);
}

/* ---- summary and results table ---- */

static void summary(struct buf *b, const struct rundir *r)
{
	json_t *run = r->run, *s = json_object_get(run, "summary"), *m = json_object_get(run, "matrix");
	buf_printf(b, "<h1>oomlab run ");
	html_val(b, json_object_get(run, "run_id"));
	buf_printf(b, "</h1>\n<p>");
	for (size_t i = 0; i < VERDICT_COUNT; i++) {
		const struct verdict_row *v = &verdict_table[verdict_shown[i]];
		buf_printf(b, "<span class=\"badge %s\">%lld %s</span> ", v->css,
			   (long long)json_integer_value(json_object_get(s, v->word)), v->word);
	}
	buf_printf(b, " %lld of %lld cells done", (long long)json_integer_value(json_object_get(s, "cells_done")),
		   (long long)json_integer_value(json_object_get(run, "cells_planned")));
	if (json_is_true(json_object_get(run, "interrupted")))
		buf_printf(b, " <span class=\"warn\">interrupted (oomlab run --resume finishes it)</span>");
	buf_printf(b, "</p>\n<table class=\"summary\">");
	buf_printf(b, "<tr><th>matrix</th><td>");
	html_val(b, json_object_get(m, "name"));
	buf_printf(b, " (");
	html_val(b, json_object_get(m, "path"));
	buf_printf(b, ", digest ");
	html_val(b, json_object_get(m, "digest"));
	buf_printf(b, ")</td></tr>\n<tr><th>kernels</th><td>");
	/* the distinct kernels of the cells */
	json_t *seen = json_object();
	size_t i;
	json_t *c;
	json_array_foreach(r->cells, i, c) {
		json_t *k = json_object_get(c, "kernel");
		char *key = xasprintf("%s %s", json_str(k, "release", ""), json_str(k, "version", ""));
		if (!json_object_get(seen, key)) {
			json_object_set_new(seen, key, json_true());
			if (json_object_size(seen) > 1)
				buf_printf(b, "<br>");
			html_val(b, json_object_get(k, "release"));
			buf_printf(b, " ");
			html_val(b, json_object_get(k, "version"));
			buf_printf(b, " (");
			html_val(b, json_object_get(k, "package"));
			buf_printf(b, ")");
		}
		free(key);
	}
	json_decref(seen);
	buf_printf(b, "</td></tr>\n<tr><th>knobs swept</th><td>");
	struct axis axes[32];
	size_t na = find_axes(r->cells, axes, ARRAY_SIZE(axes));
	for (size_t a = 0; a < na; a++) {
		markup_esc(b, axes[a].key);
		buf_printf(b, ": ");
		for (size_t v = 0; v < axes[a].n; v++) {
			if (v)
				buf_printf(b, ", ");
			axis_value(b, &axes[a], v);
		}
		buf_printf(b, "<br>");
	}
	if (!na)
		buf_printf(b, "none (one setting)");
	axes_free(axes, na);
	json_t *h = json_object_get(run, "host");
	buf_printf(b, "</td></tr>\n<tr><th>wall time</th><td>%.0f s with %lld VMs at a time, ",
		   json_number_value(json_object_get(run, "wall_s")),
		   (long long)json_integer_value(json_object_get(run, "jobs")));
	html_val(b, json_object_get(run, "started"));
	buf_printf(b, " to ");
	html_val(b, json_object_get(run, "ended"));
	buf_printf(b, "</td></tr>\n<tr><th>host</th><td>");
	html_val(b, json_object_get(h, "machine"));
	buf_printf(b, ", Linux ");
	html_val(b, json_object_get(h, "release"));
	buf_printf(b, ", accelerator ");
	html_val(b, json_object_get(h, "accel"));
	buf_printf(b, "</td></tr></table>\n");
}

static void results_table(struct buf *b, const struct rundir *r)
{
	size_t n = json_array_size(r->cells);
	buf_printf(b, "<h2>Results</h2>\n<table class=\"results\"><tr><th>cell</th><th>workload</th>"
		      "<th>endpoint</th><th>predicted</th><th>MB reached</th><th>accepted MB</th>"
		      "<th>OOM kills</th><th>verdict</th></tr>\n");
	size_t i;
	json_t *c;
	json_array_foreach(r->cells, i, c) {
		json_t *ws = json_object_get(c, "workloads");
		size_t nw = json_array_size(ws);
		if (!nw) {
			buf_printf(b, "<tr><td>");
			cell_link(b, c, sectioned(c, n));
			buf_printf(b, "</td><td colspan=\"6\">");
			html_val(b, json_object_get(c, "verdict_reason"));
			buf_printf(b, "</td><td>");
			html_verdict(b, json_str(c, "verdict", ""));
			buf_printf(b, "</td></tr>\n");
			continue;
		}
		size_t j;
		json_t *w;
		json_array_foreach(ws, j, w) {
			json_t *pr = json_object_get(w, "predicted");
			const char *ep = json_string_value(json_object_get(w, "endpoint"));
			buf_printf(b, "<tr>");
			if (j == 0) {
				buf_printf(b, "<td rowspan=\"%zu\">", nw);
				cell_link(b, c, sectioned(c, n));
				buf_printf(b, "</td>");
			}
			buf_printf(b, "<td>");
			html_val(b, json_object_get(w, "name"));
			buf_printf(b, "</td><td><span class=\"chip %s\">%s</span></td><td>", html_endpoint_class(ep),
				   html_endpoint_label(ep));
			html_val(b, json_object_get(pr, "endpoint"));
			buf_printf(b, "</td><td class=\"n\">");
			json_t *mb = json_object_get(w, "mb_reached");
			if (json_is_number(mb))
				buf_printf(b, "%.0f", json_number_value(mb));
			else
				buf_printf(b, "-");
			buf_printf(b, "</td><td class=\"n\">");
			json_t *lo = json_object_get(pr, "mb_min"), *hi = json_object_get(pr, "mb_max");
			if (json_is_number(lo) && json_is_number(hi))
				buf_printf(b, "%.0f..%.0f", json_number_value(lo), json_number_value(hi));
			else
				buf_printf(b, "-");
			/* kills of this workload's pid */
			size_t k, kills = 0;
			json_t *e;
			json_array_foreach(json_object_get(c, "oom_events"), k, e) {
				json_t *vw = json_object_get(e, "victim_workload");
				kills += json_is_integer(vw) && (size_t)json_integer_value(vw) == j;
			}
			buf_printf(b, "</td><td class=\"n\">%zu</td><td>", kills);
			html_verdict(b, json_string_value(json_object_get(w, "verdict")));
			buf_printf(b, "</td></tr>\n");
		}
	}
	buf_printf(b, "</table>\n");
}

void report_html_run(struct buf *out, const struct rundir *r, const char *file_base)
{
	char *title = xasprintf("oomlab run %s", json_str(r->run, "run_id", ""));
	html_begin(out, title);
	free(title);
	summary(out, r);
	findings_summary(out, r);
	outcome_grid(out, r->cells);
	json_t *axes = effects_axes(r), *eff = effects_of(r->cells, axes);
	html_knob_effects(out, eff);
	json_decref(eff);
	json_decref(axes);
	results_table(out, r);
	size_t n = json_array_size(r->cells), shown = 0;
	size_t i;
	json_t *c;
	json_array_foreach(r->cells, i, c) {
		if (!sectioned(c, n))
			continue;
		html_cell_section(out, c, file_base);
		shown++;
	}
	if (shown < n)
		buf_printf(out, "<p class=\"note\">%zu PASS/SKIP cells have no section of their own (more than %d "
				"cells); their JSON reports are in the run dir.</p>\n",
			   n - shown, HTML_MAX_CELL_SECTIONS);
	html_end(out);
}

int report_write_html(const struct rundir *r, const char *path, struct buf *err)
{
	char *copy = xstrdup(path);
	char *base = html_link_base(dirname(copy), r->dir);
	free(copy);
	struct buf page = {0};
	report_html_run(&page, r, base);
	int rc = buf_write_atomic(path, &page, err);
	buf_free(&page);
	free(base);
	return rc;
}

