// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of significant changes and the distributions of the compare
 * page (changes.h). */
#include "reports/html/changes.h"
#include "reports/html/svg.h"
#include "reports/compare_rows.h"
#include "reports/markup.h"
#include "lib/jsonx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const side_key[2] = {"base", "new"};
static const char *const side_shown[2] = {"A (base)", "B (new)"};
static const char *const side_color[2] = {"#1f77b4", "#d62728"};

enum { W = 320, H = 210, L = 58, R = 12, T = 26, B = 34 };

static double num(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void fmt_tick(char *out, size_t n, double v, double step)
{
	int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	snprintf(out, n, "%.*f", dec > 6 ? 6 : dec, v);
}

/* A value of an endpoint or a victim as a row's name. */
static void cat_text(struct buf *b, json_t *v)
{
	if (json_is_string(v))
		markup_esc(b, json_string_value(v));
	else
		buf_printf(b, "%s", json_is_true(v) ? "killed" : json_is_false(v) ? "not killed" : "-");
}

/* Where the k-th of the points at one height goes: 0, +6, -6, +12, ... */
static double spread(size_t k)
{
	return (k % 2 ? 1.0 : -1.0) * (double)((k + 1) / 2) * 6;
}

void html_dist_plot(struct buf *b, json_t *fig, const char *title)
{
	json_t *vals[2] = {json_object_get(json_object_get(fig, "base"), "values"),
			   json_object_get(json_object_get(fig, "new"), "values")};
	int numeric = json_is_number(json_object_get(json_object_get(fig, "base"), "mean")) ||
		      json_is_number(json_object_get(json_object_get(fig, "new"), "mean"));
	size_t npts = json_array_size(vals[0]) + json_array_size(vals[1]);
	buf_printf(b, "<svg class=\"plot dist\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		      "width=\"%d\" height=\"%d\" role=\"img\" data-points=\"%zu\" aria-label=\"",
		   W, H, W, H, npts);
	markup_esc(b, title);
	buf_printf(b, "\"><text class=\"title\" x=\"8\" y=\"16\">");
	markup_esc(b, title);
	buf_printf(b, "</text>");
	int xl = L, xr = W - R, yt0 = T, yb = H - B;
	double colx[2] = {xl + (xr - xl) * 0.3, xl + (xr - xl) * 0.7};
	/* the y axis: the values' range on nice ticks, or one row per value */
	double lo = INFINITY, hi = -INFINITY;
	json_t *cats = json_array();
	size_t i, s;
	json_t *v;
	for (s = 0; s < 2; s++)
		json_array_foreach(vals[s], i, v) {
			if (numeric && json_is_number(v)) {
				lo = fmin(lo, json_number_value(v));
				hi = fmax(hi, json_number_value(v));
			} else if (!numeric) {
				size_t k;
				json_t *c;
				int seen = 0;
				json_array_foreach(cats, k, c) seen |= json_equal(c, v);
				if (!seen)
					json_array_append(cats, v);
			}
		}
	buf_printf(b, "<g class=\"grid\">");
	if (numeric) {
		if (!isfinite(lo))
			lo = 0, hi = 1;
		if (hi <= lo) {
			double pad = fabs(lo) > 0 ? fabs(lo) * 0.05 : 1;
			lo -= pad;
			hi += pad;
		}
		double yt[16], ys;
		size_t nyt = svg_ticks_enclosing(&lo, &hi, 4, yt, 16, &ys);
		for (i = 0; i < nyt; i++) {
			char t[32];
			double y = yb - (yt[i] - lo) / (hi - lo) * (yb - yt0);
			fmt_tick(t, sizeof t, yt[i], ys);
			buf_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", xl, xr, y, y);
			buf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", xl - 4,
				   y + 4, t);
		}
	} else {
		json_t *c;
		json_array_foreach(cats, i, c) {
			double y = yt0 + (yb - yt0) * ((double)i + 0.5) / (double)json_array_size(cats);
			buf_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", xl, xr, y, y);
			buf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", xl - 4, y + 4);
			cat_text(b, c);
			buf_printf(b, "</text>");
		}
	}
	for (s = 0; s < 2; s++)
		buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", colx[s],
			   yb + 14, side_shown[s]);
	buf_printf(b, "</g><rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", xl, yt0, xr - xl,
		   yb - yt0);
	if (numeric) {
		buf_printf(b, "<text class=\"axis\" transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\">",
			   (yt0 + yb) / 2);
		markup_esc(b, json_str(fig, "unit", ""));
		buf_printf(b, "</text>");
	}
	for (s = 0; s < 2; s++) {
		size_t n = json_array_size(vals[s]);
		double *at = xcalloc(n + 1, sizeof *at);
		json_array_foreach(vals[s], i, v) {
			if (numeric) {
				at[i] = yb - (num(v) - lo) / (hi - lo) * (yb - yt0);
			} else {
				size_t k;
				json_t *c;
				json_array_foreach(cats, k, c)
					if (json_equal(c, v))
						at[i] = yt0 + (yb - yt0) * ((double)k + 0.5) / (double)json_array_size(cats);
			}
		}
		if (numeric) {
			double m = num(json_object_get(json_object_get(fig, side_key[s]), "mean"));
			if (isfinite(m)) {
				double y = yb - (m - lo) / (hi - lo) * (yb - yt0);
				buf_printf(b, "<line class=\"mean\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
					      "stroke=\"%s\" stroke-width=\"2\"><title>%s mean %.6g %s</title></line>",
					   colx[s] - 22, colx[s] + 22, y, y, side_color[s], side_shown[s], m,
					   json_str(fig, "unit", ""));
			}
		}
		json_array_foreach(vals[s], i, v) {
			if (numeric && !json_is_number(v))
				continue;
			size_t k = 0;
			for (size_t j = 0; j < i; j++)
				k += fabs(at[j] - at[i]) < 4;
			buf_printf(b, "<circle class=\"rep %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" "
				      "fill-opacity=\"0.6\" stroke=\"%s\"><title>%s: ",
				   s ? "b" : "a", colx[s] + spread(k), at[i], side_color[s], side_color[s], side_shown[s]);
			if (numeric) {
				buf_printf(b, "%.6g ", num(v));
				markup_esc(b, json_str(fig, "unit", ""));
			} else {
				cat_text(b, v);
			}
			buf_printf(b, "</title></circle>");
		}
		free(at);
	}
	json_decref(cats);
	buf_printf(b, "</svg>");
}

/* "cell / workload: figure (unit)" */
static void fig_title(struct buf *t, json_t *cell, json_t *fig)
{
	char label[160];
	compare_row_label(label, sizeof label, fig);
	buf_printf(t, "%s", json_str(cell, "name", "?"));
	if (json_is_string(json_object_get(fig, "name")))
		buf_printf(t, " / %s", json_string_value(json_object_get(fig, "name")));
	buf_printf(t, ": %s", label);
	if (json_is_string(json_object_get(fig, "unit")))
		buf_printf(t, " (%s)", json_string_value(json_object_get(fig, "unit")));
}

static void p_cell(struct buf *b, json_t *p)
{
	if (json_is_number(p))
		buf_printf(b, "<td class=\"n\">%.2g</td>", json_number_value(p));
	else
		buf_printf(b, "<td class=\"n\">-</td>");
}

void html_compare_changes(struct buf *b, json_t *doc)
{
	json_t *st = json_object_get(doc, "statistics");
	if (!st) {
		buf_printf(b, "<p class=\"note\">No significance tests (--tolerance-only): the tolerance rule decided "
			      "every cell.</p>\n");
		return;
	}
	if (!json_integer_value(json_object_get(st, "cells"))) {
		buf_printf(b, "<p class=\"note\">No significance tests: no compared cell has %lld repeats on each "
			      "side, the tolerance rule decided.</p>\n",
			   (long long)json_integer_value(json_object_get(st, "min_repeats")));
		return;
	}
	struct compare_row_counts cnt;
	compare_row_count(doc, &cnt);
	buf_printf(b, "<h2 id=\"changes\">Significant changes</h2>\n<p class=\"note\">Welch's t-test (Fisher's exact "
		      "test for endpoint and victim), Holm's correction over %lld tests, alpha %g: a figure "
		      "regresses when significant and beyond its tolerance.</p>\n",
		   (long long)json_integer_value(json_object_get(st, "tests")),
		   json_number_value(json_object_get(st, "alpha")));
	size_t i, k, row = 0;
	json_t *c, *f;
	int noisy = 0;
	if (!cnt.listed) {
		buf_printf(b, "<p>No figure changed significantly.</p>\n");
	} else {
		buf_printf(b, "<table class=\"changes\"><tr><th>figure</th><th>cell</th><th>workload</th>"
			      "<th>A mean (sd) n</th><th>B mean (sd) n</th><th>difference [95%% CI]</th>"
			      "<th>p adjusted</th><th>p</th><th>verdict</th></tr>\n");
		json_array_foreach(json_object_get(doc, "cells"), i, c) {
			json_t *s = json_object_get(c, "statistics");
			if (strcmp(json_str(s, "decided_by", ""), "statistics"))
				continue;
			json_array_foreach(json_object_get(s, "figures"), k, f) {
				if (!compare_row_p(f) || !compare_row_listed(f))
					continue;
				char label[160], sa[96], sb[96], d[128];
				compare_row_label(label, sizeof label, f);
				compare_row_side(sa, sizeof sa, f, "base");
				compare_row_side(sb, sizeof sb, f, "new");
				compare_row_diff(d, sizeof d, f);
				const char *v = json_str(f, "verdict", "");
				int nz = json_is_true(json_object_get(f, "noisy"));
				buf_printf(b, "<tr class=\"%s\"><td><a href=\"#dist-%zu\">", v, row++);
				markup_esc(b, label);
				buf_printf(b, "</a></td><td><a href=\"#cmp-%zu\">", i);
				markup_esc(b, json_str(c, "name", "?"));
				buf_printf(b, "</a></td><td>");
				markup_esc(b, json_is_string(json_object_get(f, "name")) ? json_str(f, "name", "") : "-");
				buf_printf(b, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">", sa, sb);
				if (*d) {
					markup_esc(b, d);
					buf_printf(b, " ");
					markup_esc(b, json_str(f, "unit", ""));
				} else {
					buf_printf(b, "Fisher");
				}
				buf_printf(b, "</td>");
				p_cell(b, json_object_get(f, "p_adjusted"));
				p_cell(b, compare_row_p(f));
				buf_printf(b, "<td>%s%s%s</td></tr>\n", compare_row_verdict(f),
					   strcmp(v, "same") ? "" : " (within tolerance)", nz ? " (noisy: TCG)" : "");
			}
		}
		buf_printf(b, "</table>\n");
	}
	json_array_foreach(json_object_get(doc, "cells"), i, c)
		noisy |= json_is_true(json_object_get(json_object_get(c, "statistics"), "noisy_timings")) &&
			 !strcmp(json_str(json_object_get(c, "statistics"), "decided_by", ""), "statistics");
	if (noisy)
		buf_printf(b, "<p class=\"note\">Durations (time to OOM, PSI) measured under TCG are noisy, marked "
			      "(noisy: TCG): they never decide a regression on their own.</p>\n");
	if (cnt.untested)
		buf_printf(b, "<p class=\"note\">%zu figures equal in every repeat of both runs: no test.</p>\n",
			   cnt.untested);
	if (cnt.thin)
		buf_printf(b, "<p class=\"note\">%zu compared cells with fewer than %lld repeats a side: not enough "
			      "repeats, decided by the tolerance rule.</p>\n",
			   cnt.thin, (long long)json_integer_value(json_object_get(st, "min_repeats")));
	if (!cnt.listed)
		return;
	buf_printf(b, "<h2 id=\"distributions\">Distributions</h2>\n<p class=\"note\">Per listed figure, every "
		      "repeat a point, A (base) left and B (new) right; a bar at each side's mean.</p>\n<div>");
	row = 0;
	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		json_t *s = json_object_get(c, "statistics");
		if (strcmp(json_str(s, "decided_by", ""), "statistics"))
			continue;
		json_array_foreach(json_object_get(s, "figures"), k, f) {
			if (!compare_row_p(f) || !compare_row_listed(f))
				continue;
			struct buf t = {0};
			fig_title(&t, c, f);
			buf_printf(b, "<span id=\"dist-%zu\">", row++);
			html_dist_plot(b, f, t.data);
			buf_printf(b, "</span>");
			buf_free(&t);
		}
	}
	buf_printf(b, "</div>\n");
}
