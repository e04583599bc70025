// SPDX-License-Identifier: GPL-2.0-or-later
/* The "Knob effects" section of a sweep's run page (effects.h). */
#include "reports/html/effects.h"
#include "reports/html/page.h"
#include "reports/html/svg.h"
#include "reports/effects.h"
#include "reports/markup.h"
#include "lib/jsonx.h"
#include "lib/vocab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the series' colours, in order (as the workloads' of a cell's plots) */
static const char *const series_colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
					    "#8c564b", "#e377c2", "#7f7f7f", "#17becf"};
#define N_COLORS (sizeof series_colors / sizeof series_colors[0])

enum { W = 300, H = 210, L = 58, R = 10, T = 26, B = 40 };

static double num(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The endpoint most repeats reached at a point (the first in the table's
 * order on a tie), or NULL. */
static const char *top_endpoint(json_t *p)
{
	const char *best = NULL;
	json_int_t bk = 0;
	for (size_t i = 0; i < ENDPOINT_COUNT; i++) {
		const char *w = endpoint_table[i].word;
		json_int_t k = json_integer_value(json_object_get(json_object_get(p, "counts"), w));
		if (k > bk) {
			bk = k;
			best = w;
		}
	}
	return best;
}

static void counts_text(struct buf *b, json_t *p)
{
	const char *ep;
	json_t *k;
	json_object_foreach(json_object_get(p, "counts"), ep, k)
		buf_printf(b, ", %s %lld/%lld", ep, (long long)json_integer_value(k),
			   (long long)json_integer_value(json_object_get(p, "n")));
}

static void fmt_tick(char *out, size_t n, double v, double step)
{
	int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	snprintf(out, n, "%.*f", dec > 6 ? 6 : dec, v);
}

void html_effect_plot(struct buf *b, const char *knob, json_t *values, json_t *fig, json_t *eps)
{
	json_t *series = json_object_get(fig, "series");
	size_t nv = json_array_size(values), ns = json_array_size(series);
	double lo = INFINITY, hi = -INFINITY;
	size_t i, s;
	json_t *se, *p;
	json_array_foreach(series, s, se) json_array_foreach(json_object_get(se, "points"), i, p) {
		double v[3] = {num(json_object_get(p, "mean")), num(json_object_get(p, "ci_lo")),
			       num(json_object_get(p, "ci_hi"))};
		for (int k = 0; k < 3; k++)
			if (isfinite(v[k])) {
				lo = fmin(lo, v[k]);
				hi = fmax(hi, v[k]);
			}
	}
	const char *wl = json_str(fig, "workload", NULL);
	struct buf title = {0};
	buf_printf(&title, "%s%s%s (%s)", json_str(fig, "shown", ""), wl ? " of " : "", wl ? wl : "",
		   json_str(fig, "unit", ""));
	buf_printf(b, "<svg class=\"plot effect\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		      "width=\"%d\" height=\"%d\" role=\"img\" data-figure=\"%s\" aria-label=\"",
		   W, H, W, H, json_str(fig, "figure", ""));
	markup_esc(b, title.data);
	buf_printf(b, "\"><text class=\"title\" x=\"%d\" y=\"16\">", 8);
	markup_esc(b, title.data);
	buf_printf(b, "</text>");
	buf_free(&title);
	if (lo > 0)
		lo = 0;
	if (hi <= lo)
		hi = lo + 1;
	double yt[16], ys;
	size_t nyt = svg_ticks_enclosing(&lo, &hi, 4, yt, 16, &ys);
	int xl = L, xr = W - R, yt0 = T, yb = H - B;
	double slot = (double)(xr - xl) / (double)(nv ? nv : 1);
#define PY(y) (yb - ((y) - lo) / (hi - lo) * (yb - yt0))
#define PX(vi, si) (xl + slot * ((double)(vi) + 0.5) + ((double)(si) - ((double)ns - 1) / 2) * 7)
	buf_printf(b, "<g class=\"grid\">");
	for (i = 0; i < nyt; i++) {
		char t[32];
		fmt_tick(t, sizeof t, yt[i], ys);
		buf_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", xl, xr, PY(yt[i]), PY(yt[i]));
		buf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", xl - 4,
			   PY(yt[i]) + 4, t);
	}
	for (i = 0; i < nv; i++) {
		char *t = effects_value_text(json_array_get(values, i));
		buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", PX(i, (ns - 1) / 2.0),
			   yb + 14);
		markup_esc(b, t);
		buf_printf(b, "</text>");
		free(t);
	}
	buf_printf(b, "</g><rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", xl, yt0, xr - xl,
		   yb - yt0);
	buf_printf(b, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", (xl + xr) / 2, H - 6);
	markup_esc(b, knob);
	buf_printf(b, "</text>");
	json_array_foreach(series, s, se) {
		const char *color = series_colors[s % N_COLORS];
		json_t *pts = json_object_get(se, "points");
		json_t *eser = json_object_get(json_array_get(json_object_get(eps, "series"), s), "points");
		/* the line through the means, broken where a value has none */
		buf_printf(b, "<path class=\"series\" fill=\"none\" stroke=\"%s\" d=\"", color);
		int up = 1;
		json_array_foreach(pts, i, p) {
			double m = num(json_object_get(p, "mean"));
			if (!isfinite(m)) {
				up = 1;
				continue;
			}
			buf_printf(b, "%c%.1f %.1f ", up ? 'M' : 'L', PX(i, s), PY(m));
			up = 0;
		}
		buf_printf(b, "\"><title>");
		markup_esc(b, json_str(se, "label", ""));
		buf_printf(b, "</title></path>");
		json_array_foreach(pts, i, p) {
			double m = num(json_object_get(p, "mean"));
			if (!isfinite(m))
				continue;
			double cl = num(json_object_get(p, "ci_lo")), ch = num(json_object_get(p, "ci_hi"));
			double x = PX(i, s);
			if (isfinite(cl) && isfinite(ch))
				buf_printf(b, "<path class=\"ci\" stroke=\"%s\" d=\"M%.1f %.1f H%.1f M%.1f %.1f V%.1f "
					      "M%.1f %.1f H%.1f\"/>",
					   color, x - 3, PY(ch), x + 3, x, PY(ch), PY(cl), x - 3, PY(cl), x + 3);
			json_t *ep = json_array_get(eser, i);
			const char *top = ep ? top_endpoint(ep) : NULL;
			const struct endpoint_row *er = top ? endpoint_find(top) : NULL;
			buf_printf(b, "<circle class=\"pt%s%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"%s\">"
				      "<title>",
				   er ? " " : "", er ? er->css : "", x, PY(m), er ? er->html_bg : color, color);
			char *vt = effects_value_text(json_object_get(p, "value"));
			struct buf tip = {0};
			buf_printf(&tip, "%s; %s=%s: mean %.6g", json_str(se, "label", ""), knob, vt, m);
			if (isfinite(cl))
				buf_printf(&tip, ", 95%% CI %.6g..%.6g", cl, ch);
			buf_printf(&tip, ", %lld repeats", (long long)json_integer_value(json_object_get(p, "n")));
			if (ep)
				counts_text(&tip, ep);
			markup_esc(b, tip.data);
			buf_free(&tip);
			free(vt);
			buf_printf(b, "</title></circle>");
		}
	}
	buf_printf(b, "</svg>");
#undef PX
#undef PY
}

/* The knob's endpoints per value: a table, a row per series. */
static void endpoint_table_html(struct buf *b, json_t *values, json_t *eps)
{
	buf_printf(b, "<table class=\"effects\"><tr><th>endpoints of ");
	markup_esc(b, json_str(eps, "workload", "?"));
	buf_printf(b, "</th>");
	size_t i, s;
	json_t *v, *se, *p;
	json_array_foreach(values, i, v) {
		char *t = effects_value_text(v);
		buf_printf(b, "<th>");
		markup_esc(b, t);
		buf_printf(b, "</th>");
		free(t);
	}
	buf_printf(b, "</tr>\n");
	json_array_foreach(json_object_get(eps, "series"), s, se) {
		buf_printf(b, "<tr><th><span class=\"swatch\" style=\"background:%s\"></span> ",
			   series_colors[s % N_COLORS]);
		markup_esc(b, json_str(se, "label", ""));
		buf_printf(b, "</th>");
		json_array_foreach(json_object_get(se, "points"), i, p) {
			buf_printf(b, "<td>");
			const char *ep;
			json_t *k;
			json_object_foreach(json_object_get(p, "counts"), ep, k)
				buf_printf(b, "<span class=\"chip %s\">%s %lld/%lld</span>", html_endpoint_class(ep),
					   html_endpoint_label(ep), (long long)json_integer_value(k),
					   (long long)json_integer_value(json_object_get(p, "n")));
			buf_printf(b, "</td>");
		}
		buf_printf(b, "</tr>\n");
	}
	buf_printf(b, "</table>\n");
}

void html_knob_effects(struct buf *b, json_t *eff)
{
	if (!eff)
		return;
	buf_printf(b, "<h2 id=\"effects\">Knob effects</h2>\n<p class=\"note\">Per swept knob, each figure against "
		      "the knob's values: one line per combination of the other knobs (colours as in the "
		      "table), a point the mean of the repeats, its error bar their 95%% confidence interval "
		      "(Student's t; none with one repeat), its fill the endpoint most repeats of the "
		      "workload reached (hover for the counts).</p>\n");
	html_endpoint_legend(b);
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(eff, "knobs"), i, k) {
		const char *knob = json_str(k, "knob", "");
		json_t *values = json_object_get(k, "values");
		buf_printf(b, "<section class=\"effects\" id=\"effects-");
		markup_esc(b, knob);
		buf_printf(b, "\"><h3>");
		markup_esc(b, knob);
		buf_printf(b, "</h3>\n");
		size_t j;
		json_t *g;
		json_array_foreach(json_object_get(k, "endpoints"), j, g)
			endpoint_table_html(b, values, g);
		json_array_foreach(json_object_get(k, "figures"), j, g) {
			json_t *eps = NULL;
			const char *wl = json_str(g, "workload", NULL);
			size_t e;
			json_t *ge;
			json_array_foreach(json_object_get(k, "endpoints"), e, ge)
				if (wl && !eps && !strcmp(json_str(ge, "workload", ""), wl))
					eps = ge;
			html_effect_plot(b, knob, values, g, eps);
		}
		buf_printf(b, "\n</section>\n");
	}
}
