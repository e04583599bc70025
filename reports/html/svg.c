// SPDX-License-Identifier: GPL-2.0-or-later
#include "reports/html/svg.h"
#include "reports/markup.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { ML = 56, MR = 150, MT = 34, MB = 42 };

size_t svg_ticks(double lo, double hi, size_t want, double *out, size_t max, double *step)
{
	*step = 0;
	if (!isfinite(lo) || !isfinite(hi) || lo > hi || !want || !max)
		return 0;
	if (hi == lo)
		hi = lo + 1;
	double raw = (hi - lo) / (double)want;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	double s = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
	double first = ceil(lo / s - 1e-9) * s;
	size_t n = 0;
	for (double t = first; t <= hi + s * 1e-9 && n < max; t = first + s * (double)n) {
		out[n++] = fabs(t) < s * 1e-9 ? 0 : t;
	}
	*step = s;
	return n;
}

size_t svg_ticks_enclosing(double *lo, double *hi, size_t want, double *out, size_t max, double *step)
{
	size_t n = svg_ticks(*lo, *hi, want, out, max, step);
	if (n && out[n - 1] < *hi - 1e-9 * *step) {
		*hi = out[n - 1] + *step;
		n = svg_ticks(*lo, *hi, want, out, max, step);
	}
	if (n && out[0] > *lo + 1e-9 * *step) {
		*lo = out[0] - *step;
		n = svg_ticks(*lo, *hi, want, out, max, step);
	}
	return n;
}

static void fmt_tick(char *out, size_t n, double v, double step)
{
	int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	if (dec > 6)
		dec = 6;
	snprintf(out, n, "%.*f", dec, v);
}

struct frame {
	double x0, x1, y0, y1;
	int w, h;
};

static double px(const struct frame *f, double x)
{
	return ML + (x - f->x0) / (f->x1 - f->x0) * (f->w - ML - MR);
}

static double py(const struct frame *f, double y)
{
	return f->h - MB - (y - f->y0) / (f->y1 - f->y0) * (f->h - MT - MB);
}

/* Points to draw: all of them, or per pixel column the first, lowest,
 * highest and last (peaks survive the thinning). */
static void emit_path(struct buf *b, const struct frame *f, const struct svg_series *s)
{
	int pen_up = 1;
	double plot_w = f->w - ML - MR;
	int thin = (double)s->n > 2 * plot_w;
	size_t i = 0;
	while (i < s->n) {
		if (!isfinite(s->x[i]) || !isfinite(s->y[i])) {
			pen_up = 1;
			i++;
			continue;
		}
		size_t j = i + 1;
		size_t lo = i, hi = i;
		if (thin) {
			long col = lround(px(f, s->x[i]));
			while (j < s->n && isfinite(s->x[j]) && isfinite(s->y[j]) &&
			       lround(px(f, s->x[j])) == col) {
				if (s->y[j] < s->y[lo])
					lo = j;
				if (s->y[j] > s->y[hi])
					hi = j;
				j++;
			}
		}
		size_t pick[4] = {i, lo < hi ? lo : hi, lo < hi ? hi : lo, j - 1};
		size_t last = (size_t)-1;
		for (int k = 0; k < 4; k++) {
			if (pick[k] == last)
				continue;
			last = pick[k];
			buf_printf(b, "%c%.1f %.1f ", pen_up ? 'M' : 'L', px(f, s->x[last]), py(f, s->y[last]));
			pen_up = 0;
		}
		i = j;
	}
}

static size_t count_points(const struct svg_series *s)
{
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++)
		k += isfinite(s->x[i]) && isfinite(s->y[i]);
	return k;
}

void svg_plot(struct buf *b, const struct svg_plot *p)
{
	struct frame f = {INFINITY, -INFINITY, INFINITY, -INFINITY, p->width ? p->width : 580,
			  p->height ? p->height : 240};
	size_t total = 0;
	for (size_t s = 0; s < p->n_series; s++) {
		const struct svg_series *se = &p->series[s];
		for (size_t i = 0; i < se->n; i++) {
			if (!isfinite(se->x[i]) || !isfinite(se->y[i]))
				continue;
			total++;
			f.x0 = fmin(f.x0, se->x[i]);
			f.x1 = fmax(f.x1, se->x[i]);
			f.y0 = fmin(f.y0, se->y[i]);
			f.y1 = fmax(f.y1, se->y[i]);
		}
	}
	for (size_t m = 0; m < p->n_markers; m++) {
		if (isfinite(p->markers[m].x)) {
			f.x0 = fmin(f.x0, p->markers[m].x);
			f.x1 = fmax(f.x1, p->markers[m].x);
		}
	}
	buf_printf(b, "<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		      "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
		   f.w, f.h, f.w, f.h);
	markup_esc(b, p->title);
	buf_printf(b, "\" data-points=\"%zu\">", total);
	buf_printf(b, "<text class=\"title\" x=\"%d\" y=\"16\">", ML);
	markup_esc(b, p->title);
	buf_printf(b, "</text>");
	if (!total) {
		buf_printf(b, "<text class=\"empty\" x=\"%d\" y=\"%d\">no samples</text></svg>", f.w / 2 - 30,
			   f.h / 2);
		return;
	}
	if (p->y_from_zero && f.y0 > 0)
		f.y0 = 0;
	if (p->y_max_floor > f.y1)
		f.y1 = p->y_max_floor;
	if (f.x1 <= f.x0)
		f.x1 = f.x0 + 1;
	if (f.y1 <= f.y0)
		f.y1 = f.y0 + 1;
	double xt[16], yt[16], xs, ys;
	size_t nxt = svg_ticks(f.x0, f.x1, 6, xt, 16, &xs);
	size_t nyt = svg_ticks(f.y0, f.y1, 5, yt, 16, &ys);
	/* let the axes end on a tick */
	if (nyt && yt[nyt - 1] < f.y1 - 1e-9 * ys) {
		f.y1 = yt[nyt - 1] + ys;
		nyt = svg_ticks(f.y0, f.y1, 5, yt, 16, &ys);
	}
	int x_left = ML, x_right = f.w - MR, y_top = MT, y_bot = f.h - MB;
	buf_printf(b, "<g class=\"grid\">");
	for (size_t i = 0; i < nyt; i++) {
		char t[32];
		fmt_tick(t, sizeof t, yt[i], ys);
		buf_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", x_left, x_right, py(&f, yt[i]),
			   py(&f, yt[i]));
		buf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", x_left - 4,
			   py(&f, yt[i]) + 4, t);
	}
	for (size_t i = 0; i < nxt; i++) {
		char t[32];
		fmt_tick(t, sizeof t, xt[i], xs);
		buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>", px(&f, xt[i]), px(&f, xt[i]),
			   y_top, y_bot);
		buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
			   px(&f, xt[i]), y_bot + 14, t);
	}
	buf_printf(b, "</g><rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", x_left, y_top,
		   x_right - x_left, y_bot - y_top);
	buf_printf(b, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", (x_left + x_right) / 2,
		   f.h - 6);
	markup_esc(b, p->xlabel);
	buf_printf(b, "</text><text class=\"axis\" transform=\"translate(14 %d) rotate(-90)\" "
		      "text-anchor=\"middle\">",
		   (y_top + y_bot) / 2);
	markup_esc(b, p->ylabel);
	buf_printf(b, "</text>");
	for (size_t s = 0; s < p->n_series; s++) {
		const struct svg_series *se = &p->series[s];
		buf_printf(b, "<path class=\"series\" fill=\"none\" stroke=\"%s\"%s data-name=\"", se->color,
			   se->dashed ? " stroke-dasharray=\"5 3\"" : "");
		markup_esc(b, se->name);
		buf_printf(b, "\" data-points=\"%zu\" d=\"", count_points(se));
		emit_path(b, &f, se);
		buf_printf(b, "\"><title>");
		markup_esc(b, se->name);
		buf_printf(b, "</title></path>");
		/* legend */
		int ly = y_top + 6 + 16 * (int)s;
		buf_printf(b, "<line class=\"key\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\"%s/>",
			   x_right + 8, x_right + 26, ly, ly, se->color,
			   se->dashed ? " stroke-dasharray=\"5 3\"" : "");
		buf_printf(b, "<text class=\"key\" x=\"%d\" y=\"%d\">", x_right + 30, ly + 4);
		markup_esc(b, se->name);
		buf_printf(b, "</text>");
	}
	/* labels on up to three rows at the top of the frame, each placed on
	 * the first row where it does not run into the one before; a label
	 * that fits nowhere is left out (the line and its hover text stay) */
	double row_end[3] = {-1e9, -1e9, -1e9};
	for (size_t m = 0; m < p->n_markers; m++) {
		const struct svg_marker *mk = &p->markers[m];
		if (!isfinite(mk->x))
			continue;
		double x = px(&f, mk->x);
		double half = 3.2 * (double)(mk->label ? strlen(mk->label) : 0) + 2;
		int row = -1;
		for (int r = 0; r < 3 && row < 0; r++)
			if (x - half > row_end[r])
				row = r;
		buf_printf(b, "<g class=\"marker %s\"><title>", mk->kind ? mk->kind : "");
		markup_esc(b, mk->tip);
		buf_printf(b, "</title><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>", x, x, y_top, y_bot);
		if (row >= 0 && mk->label) {
			row_end[row] = x + half;
			buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x,
				   row == 0 ? y_top - 3 : y_top + 11 * row);
			markup_esc(b, mk->label);
			buf_printf(b, "</text>");
		}
		buf_printf(b, "</g>");
	}
	buf_printf(b, "</svg>");
}

void svg_range_bar(struct buf *b, double lo, double hi, double obs, double scale, int ok)
{
	const int w = 220, h = 18, pad = 4;
	if (!(scale > 0) || !isfinite(scale))
		scale = 1;
	double k = (w - 2 * pad) / scale;
	buf_printf(b, "<svg class=\"range\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		      "width=\"%d\" height=\"%d\">",
		   w, h, w, h);
	buf_printf(b, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>", pad, w - pad, h / 2,
		   h / 2);
	if (isfinite(lo) && isfinite(hi) && hi >= lo)
		buf_printf(b, "<rect class=\"accepted\" x=\"%.1f\" y=\"3\" width=\"%.1f\" height=\"%d\">"
			      "<title>accepted %.0f..%.0f MB</title></rect>",
			   pad + lo * k, fmax(1.5, (hi - lo) * k), h - 6, lo, hi);
	if (isfinite(obs))
		buf_printf(b, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%d\" r=\"4\"><title>reached %.0f MB</title>"
			      "</circle>",
			   ok ? "obs-ok" : "obs-bad", pad + fmin(obs, scale) * k, h / 2, obs);
	buf_printf(b, "</svg>");
}
