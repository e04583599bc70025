// SPDX-License-Identifier: GPL-2.0-or-later
/* The search page of oomlab fuzz-knobs (search.h). */
#include "reports/html/search.h"
#include "reports/html/page.h"
#include "reports/html/svg.h"
#include "lib/jsonx.h"
#include "reports/markup.h"
#include "reports/search.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

/* One side of the page: a run's sampled.json and its numbers. */
struct side {
	json_t *s;
	const char *role; /* "this run", "against" */
	struct search_curve c;
	size_t fail, brok;
	char key[64]; /* the plots' legend: "guided, seed 1" */
};

static const char *search_word(json_t *s)
{
	return json_str(s, "search", "?");
}

static void side_init(struct side *d, json_t *s, const char *role)
{
	*d = (struct side){.s = s, .role = role};
	search_curve(s, &d->c);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(s, "cells"), i, e) {
		const char *v = json_str(e, "verdict", "");
		d->fail += !strcmp(v, "FAIL");
		d->brok += !strcmp(v, "BROK");
	}
	snprintf(d->key, sizeof d->key, "%.20s, seed %lld", search_word(s),
		 (long long)json_integer_value(json_object_get(s, "seed")));
}

/* Link to path (a file fuzz-knobs wrote): relative to the run's dir when
 * it is under it, else as it is; the text is the path under the dir. */
static void file_link(struct buf *b, json_t *s, const char *file_base, const char *path, const char *text)
{
	const char *dir = json_str(s, "dir", NULL);
	size_t dl = dir ? strlen(dir) : 0;
	const char *rel = dir && dl && !strncmp(path, dir, dl) && path[dl] == '/' ? path + dl + 1 : NULL;
	buf_printf(b, "<a href=\"");
	html_href(b, rel ? file_base : "", rel ? rel : path);
	buf_printf(b, "\">");
	markup_esc(b, text ? text : rel ? rel : path);
	buf_printf(b, "</a>");
}

static void cell_ref(struct buf *b, json_t *index, const char *name)
{
	buf_printf(b, "#");
	html_val(b, index);
	buf_printf(b, " <span class=\"note\">");
	/* the name repeats "fuzz N: " */
	const char *colon = strstr(name, ": ");
	markup_esc(b, colon ? colon + 2 : name);
	buf_printf(b, "</span>");
}

/* ---- the runs side by side ---- */

static void row_int(struct buf *b, const char *head, const struct side *d, size_t n,
		    long long (*get)(const struct side *))
{
	buf_printf(b, "<tr><th>%s</th>", head);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "<td class=\"n\">%lld</td>", get(&d[i]));
	buf_printf(b, "</tr>\n");
}

static long long get_cells(const struct side *d)
{
	return (long long)d->c.n;
}
static long long get_sigs(const struct side *d)
{
	return d->c.n ? (long long)d->c.sigs[d->c.n - 1] : 0;
}
static long long get_titles(const struct side *d)
{
	return d->c.n ? (long long)d->c.titles[d->c.n - 1] : 0;
}
static long long get_fail(const struct side *d)
{
	return (long long)d->fail;
}
static long long get_brok(const struct side *d)
{
	return (long long)d->brok;
}
static long long get_minimized(const struct side *d)
{
	long long k = 0;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(d->s, "cells"), i, e)
		k += !strcmp(json_str(json_object_get(e, "minimize"), "status", ""), "minimized");
	return k;
}

static void runs_table(struct buf *b, const struct side *d, size_t n)
{
	buf_printf(b, "<table class=\"runs\"><tr><th></th>");
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "<th>%s</th>", d[i].role);
	buf_printf(b, "</tr>\n");
	static const char *const keys[][2] = {{"output dir", "dir"}, {"search", "search"}, {"matrix", "matrix"},
					      {"seed", "seed"},     {"budget (s)", "budget_s"}, {"VMs at once", "jobs"},
					      {"kernel", "kernel"}};
	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		buf_printf(b, "<tr><th>%s</th>", keys[k][0]);
		for (size_t i = 0; i < n; i++) {
			json_t *v = json_object_get(d[i].s, keys[k][1]);
			buf_printf(b, "<td%s>", json_is_integer(v) ? " class=\"n\"" : "");
			if (!strcmp(keys[k][1], "kernel") && !json_is_string(v))
				buf_printf(b, "oomlab run's default");
			else
				html_val(b, v);
			buf_printf(b, "</td>");
		}
		buf_printf(b, "</tr>\n");
	}
	row_int(b, "cells run", d, n, get_cells);
	row_int(b, "distinct signatures", d, n, get_sigs);
	row_int(b, "distinct finding titles", d, n, get_titles);
	row_int(b, "FAIL cells", d, n, get_fail);
	row_int(b, "BROK cells", d, n, get_brok);
	row_int(b, "findings minimised", d, n, get_minimized);
	buf_printf(b, "</table>\n");
}

/* What makes the two curves not comparable, one warning a line. */
static void warnings(struct buf *b, const struct side *d)
{
	json_t *a = d[0].s, *o = d[1].s;
	const char *da = json_str(a, "matrix_digest", NULL), *dob = json_str(o, "matrix_digest", NULL);
	if (strcmp(json_str(a, "matrix", ""), json_str(o, "matrix", "")) || (da && dob && strcmp(da, dob)))
		buf_printf(b, "<p class=\"warn\">The two searches sampled different matrices: their curves are not "
			      "comparable.</p>\n");
	static const struct {
		const char *key, *what;
	} same[] = {{"seed", "seeds"}, {"budget_s", "budgets"}, {"jobs", "numbers of VMs at once"},
		    {"kernel", "kernels"}};
	for (size_t i = 0; i < ARRAY_SIZE(same); i++) {
		json_t *va = json_object_get(a, same[i].key), *vo = json_object_get(o, same[i].key);
		if (!json_equal(va ? va : json_null(), vo ? vo : json_null()))
			buf_printf(b, "<p class=\"warn\">The two searches ran with different %s.</p>\n", same[i].what);
	}
	if (!strcmp(search_word(a), search_word(o)))
		buf_printf(b, "<p class=\"warn\">Both searches are %s: this is not guided against random.</p>\n",
			   search_word(a));
}

/* ---- the curves ---- */

static const char *colour_of(const struct side *d)
{
	return !strcmp(search_word(d->s), "random") ? "#ef6c00" : "#1565c0";
}

static void curve_plot(struct buf *b, const struct side *d, size_t n, int titles)
{
	struct svg_series se[2];
	double *x[2] = {0}, *y[2] = {0};
	double top = 1;
	for (size_t i = 0; i < n; i++) {
		const struct search_curve *c = &d[i].c;
		x[i] = xcalloc(c->n + 1, sizeof *x[i]);
		y[i] = xcalloc(c->n + 1, sizeof *y[i]);
		for (size_t k = 0; k < c->n; k++) {
			x[i][k] = (double)(k + 1);
			y[i][k] = (double)(titles ? c->titles[k] : c->sigs[k]);
			if (y[i][k] > top)
				top = y[i][k];
		}
		se[i] = (struct svg_series){d[i].key, colour_of(&d[i]), x[i], y[i], c->n, i > 0};
	}
	struct svg_plot p = {
		.title = titles ? "distinct finding titles after n cells" : "distinct signatures after n cells",
		.xlabel = "cells run",
		.ylabel = titles ? "titles" : "signatures",
		.series = se,
		.n_series = n,
		.y_from_zero = 1,
		.y_max_floor = top,
	};
	svg_plot(b, &p);
	for (size_t i = 0; i < n; i++) {
		free(x[i]);
		free(y[i]);
	}
}

/* The cells-run counts the table shows: every one up to 25, else 1 and
 * multiples of a step of 1, 2 or 5 times a power of ten (about 20
 * columns), and each run's last. */
static size_t table_points(const struct side *d, size_t n, size_t **out)
{
	size_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (d[i].c.n > max)
			max = d[i].c.n;
	size_t step = 1;
	if (max > 25) {
		static const size_t mant[] = {1, 2, 5};
		for (size_t p = 1;; p *= 10) {
			size_t k;
			for (k = 0; k < ARRAY_SIZE(mant) && mant[k] * p * 20 < max; k++)
				;
			if (k < ARRAY_SIZE(mant)) {
				step = mant[k] * p;
				break;
			}
		}
	}
	size_t *pt = xcalloc(max + 2, sizeof *pt), m = 0;
	for (size_t x = 1; x <= max; x++) {
		int last = 0;
		for (size_t i = 0; i < n; i++)
			last |= x == d[i].c.n;
		if (x == 1 || x % step == 0 || last)
			pt[m++] = x;
	}
	*out = pt;
	return m;
}

static void curve_table(struct buf *b, const struct side *d, size_t n)
{
	size_t *pt, m = table_points(d, n, &pt);
	buf_printf(b, "<table class=\"curve\"><tr><th>cells run</th>");
	for (size_t k = 0; k < m; k++)
		buf_printf(b, "<th class=\"n\">%zu</th>", pt[k]);
	buf_printf(b, "</tr>\n");
	for (size_t i = 0; i < n; i++) {
		for (int titles = 0; titles < 2; titles++) {
			buf_printf(b, "<tr class=\"%s\"><td>", titles ? "titles" : "sigs");
			markup_esc(b, d[i].key);
			buf_printf(b, " (%s): %s</td>", d[i].role, titles ? "finding titles" : "signatures");
			for (size_t k = 0; k < m; k++) {
				size_t x = pt[k];
				if (x > d[i].c.n)
					buf_printf(b, "<td class=\"n\">-</td>");
				else
					buf_printf(b, "<td class=\"n\">%zu</td>",
						   titles ? d[i].c.titles[x - 1] : d[i].c.sigs[x - 1]);
			}
			buf_printf(b, "</tr>\n");
		}
	}
	buf_printf(b, "</table>\n");
	free(pt);
}

static void legend(struct buf *b, const struct side *d, size_t n)
{
	buf_printf(b, "<ul class=\"legend\">");
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "<li>%s line, <b>", i ? "dashed" : "solid");
		markup_esc(b, d[i].key);
		buf_printf(b, "</b>: %s, ", d[i].role);
		html_val(b, json_object_get(d[i].s, "dir"));
		buf_printf(b, ": the %s search of %s, seed %lld, budget %lld s, %zu cells run</li>",
			   search_word(d[i].s), json_str(d[i].s, "matrix", "?"),
			   (long long)json_integer_value(json_object_get(d[i].s, "seed")),
			   (long long)json_integer_value(json_object_get(d[i].s, "budget_s")), d[i].c.n);
	}
	buf_printf(b, "</ul>\n");
}

/* ---- this run's signatures, findings and cells ---- */

static void origin_cell(struct buf *b, json_t *o)
{
	if (!json_is_object(o)) {
		buf_printf(b, "sampled");
		return;
	}
	buf_printf(b, "mutated (");
	html_val(b, json_object_get(o, "mutation"));
	buf_printf(b, ") from <code>");
	html_val(b, json_object_get(o, "parent"));
	buf_printf(b, "</code>: ");
	html_val(b, json_object_get(o, "change"));
}

static void signatures_table(struct buf *b, json_t *s)
{
	json_t *rows = search_signatures(s), *r;
	size_t i;
	buf_printf(b, "<h2 id=\"signatures\">Signatures (%zu)</h2>\n", json_array_size(rows));
	if (!json_array_size(rows)) {
		buf_printf(b, "<p>No cell has a signature yet.</p>\n");
		json_decref(rows);
		return;
	}
	buf_printf(b, "<table class=\"sigs\"><tr><th>signature</th><th>first cell</th><th>cells with it</th>"
		      "<th>first cell made</th><th>new to the corpus</th></tr>\n");
	json_array_foreach(rows, i, r) {
		buf_printf(b, "<tr><td><details><summary><code>");
		html_val(b, json_object_get(r, "hash"));
		buf_printf(b, "</code></summary><pre>");
		html_val(b, json_object_get(r, "signature"));
		buf_printf(b, "</pre></details></td><td>");
		cell_ref(b, json_object_get(r, "first"), json_str(r, "name", ""));
		buf_printf(b, "</td><td class=\"n\">");
		html_val(b, json_object_get(r, "cells"));
		buf_printf(b, "</td><td>");
		origin_cell(b, json_object_get(r, "origin"));
		buf_printf(b, "</td><td>");
		html_val(b, json_object_get(r, "new"));
		buf_printf(b, "</td></tr>\n");
	}
	buf_printf(b, "</table>\n");
	json_decref(rows);
}

/* What became of a minimisation (sampled.json's "minimize" of a cell). */
static void minimize_cell(struct buf *b, json_t *s, const char *file_base, json_t *m)
{
	if (!json_is_object(m)) {
		buf_printf(b, "-");
		return;
	}
	const char *st = json_str(m, "status", "?");
	const char *min = json_str(m, "minimized", NULL);
	if (min) {
		file_link(b, s, file_base, min, "minimised");
	} else {
		markup_esc(b, st);
	}
	if (json_is_integer(json_object_get(m, "seconds")))
		buf_printf(b, " (%lld s)", (long long)json_integer_value(json_object_get(m, "seconds")));
	if (json_is_string(json_object_get(m, "why"))) {
		buf_printf(b, ": ");
		html_val(b, json_object_get(m, "why"));
	}
	if (json_is_string(json_object_get(m, "dir"))) {
		buf_printf(b, " ");
		file_link(b, s, file_base, json_str(m, "dir", ""), "runs");
	}
}

static void findings_table(struct buf *b, json_t *s, const char *file_base)
{
	json_t *rows = search_findings(s), *r;
	size_t i;
	buf_printf(b, "<h2 id=\"findings\">Kernel findings (%zu)</h2>\n", json_array_size(rows));
	if (!json_array_size(rows)) {
		buf_printf(b, "<p>No cell had a kernel finding.</p>\n");
		json_decref(rows);
		return;
	}
	buf_printf(b, "<table class=\"findings\"><tr><th>title</th><th>kind</th><th>first cell</th>"
		      "<th>cells with it</th><th>not allowed in</th><th>report</th><th>repro</th>"
		      "<th>minimised repro</th></tr>\n");
	json_array_foreach(rows, i, r) {
		long long na = json_integer_value(json_object_get(r, "not_allowed"));
		buf_printf(b, "<tr%s><td>", na ? " class=\"regressed\"" : "");
		html_val(b, json_object_get(r, "title"));
		buf_printf(b, "</td><td>");
		html_val(b, json_object_get(r, "kind"));
		buf_printf(b, "</td><td>");
		cell_ref(b, json_object_get(r, "first"), json_str(r, "name", ""));
		buf_printf(b, "</td><td class=\"n\">");
		html_val(b, json_object_get(r, "cells"));
		buf_printf(b, "</td><td class=\"n\">%lld</td><td>", na);
		const char *rep = json_str(r, "report", NULL), *repro = json_str(r, "repro", NULL);
		if (rep)
			file_link(b, s, file_base, rep, "cell report");
		else
			buf_printf(b, "-");
		buf_printf(b, "</td><td>");
		if (repro)
			file_link(b, s, file_base, repro, NULL);
		else
			buf_printf(b, "-");
		buf_printf(b, "</td><td>");
		minimize_cell(b, s, file_base, json_object_get(r, "minimize"));
		buf_printf(b, "</td></tr>\n");
	}
	buf_printf(b, "</table>\n");
	json_decref(rows);
}

static void cells_table(struct buf *b, json_t *s, const char *file_base)
{
	json_t *cells = json_object_get(s, "cells"), *e, *f;
	size_t i, k;
	buf_printf(b, "<h2 id=\"cells\">Cells (%zu)</h2>\n<table class=\"cells\"><tr><th>cell</th><th>verdict</th>"
		      "<th>signature</th><th>made</th><th>findings</th><th>files</th></tr>\n",
		   json_array_size(cells));
	json_array_foreach(cells, i, e) {
		buf_printf(b, "<tr><td>");
		cell_ref(b, json_object_get(e, "index"), json_str(e, "name", ""));
		buf_printf(b, "</td><td>");
		if (json_is_string(json_object_get(e, "verdict"))) {
			html_verdict(b, json_str(e, "verdict", ""));
			if (json_is_string(json_object_get(e, "verdict_reason"))) {
				buf_printf(b, " ");
				html_val(b, json_object_get(e, "verdict_reason"));
			}
		} else {
			buf_printf(b, "not run");
		}
		buf_printf(b, "</td><td>");
		if (json_is_string(json_object_get(e, "signature_hash"))) {
			buf_printf(b, "<code>");
			html_val(b, json_object_get(e, "signature_hash"));
			buf_printf(b, "</code>%s", json_is_true(json_object_get(e, "new")) ? " <b>new</b>" : "");
		} else {
			buf_printf(b, "-");
		}
		buf_printf(b, "</td><td>");
		origin_cell(b, json_object_get(e, "origin"));
		buf_printf(b, "</td><td>");
		json_array_foreach(json_object_get(e, "findings"), k, f) {
			if (k)
				buf_printf(b, "<br>");
			html_val(b, json_object_get(f, "title"));
			if (json_is_true(json_object_get(f, "allowed")))
				buf_printf(b, " (allowed)");
		}
		buf_printf(b, "</td><td>");
		const char *rep = json_str(e, "report", NULL), *repro = json_str(e, "repro", NULL);
		if (rep)
			file_link(b, s, file_base, rep, "report");
		if (repro) {
			buf_printf(b, " ");
			file_link(b, s, file_base, repro, "repro");
		}
		if (json_is_object(json_object_get(e, "minimize"))) {
			buf_printf(b, " ");
			minimize_cell(b, s, file_base, json_object_get(e, "minimize"));
		}
		buf_printf(b, "</td></tr>\n");
	}
	buf_printf(b, "</table>\n");
}

void report_html_search(struct buf *out, json_t *s, json_t *base, const char *file_base)
{
	struct side d[2];
	size_t n = base ? 2 : 1;
	side_init(&d[0], s, "this run");
	if (base)
		side_init(&d[1], base, "against");
	char *title = xasprintf("oomlab fuzz-knobs %s: %s search, seed %lld", json_str(s, "matrix", "?"),
				search_word(s), (long long)json_integer_value(json_object_get(s, "seed")));
	html_begin(out, title);
	buf_printf(out, "<h1>");
	markup_esc(out, title);
	buf_printf(out, "</h1>\n");
	free(title);
	buf_printf(out, "<p class=\"note\">Each cell that ran has a behaviour signature (its endpoints, first OOM, "
			"oracle rules, victim, finding titles, stall, MB and time buckets: docs/fuzzing.md). The "
			"curves count the distinct signatures and kernel finding titles after each cell run%s.</p>\n",
		   base ? ", for this search and the one it is drawn against" : "");
	runs_table(out, d, n);
	if (base)
		warnings(out, d);
	curve_plot(out, d, n, 0);
	curve_plot(out, d, n, 1);
	legend(out, d, n);
	if (d[0].c.n || (base && d[1].c.n))
		curve_table(out, d, n);
	signatures_table(out, s);
	findings_table(out, s, file_base);
	cells_table(out, s, file_base);
	html_end(out);
	for (size_t i = 0; i < n; i++)
		search_curve_free(&d[i].c);
}

int report_write_search_html(json_t *s, json_t *base, const char *dir, const char *path, struct buf *err)
{
	char *copy = xstrdup(path);
	char *fb = html_link_base(dirname(copy), dir);
	free(copy);
	struct buf page = {0};
	report_html_search(&page, s, base, fb);
	int rc = buf_write_atomic(path, &page, err);
	buf_free(&page);
	free(fb);
	return rc;
}

json_t *search_load(const char *dir, struct buf *err)
{
	char *p = xasprintf("%s/sampled.json", dir);
	json_error_t je;
	json_t *s = json_load_file(p, 0, &je);
	if (!s)
		buf_printf(err, "%s: %s", p, je.text);
	else if (!json_is_array(json_object_get(s, "cells")) || !json_is_string(json_object_get(s, "search"))) {
		buf_printf(err, "%s: not the sampled.json of oomlab fuzz-knobs (no \"cells\" array and \"search\")", p);
		json_decref(s);
		s = NULL;
	}
	free(p);
	return s;
}
