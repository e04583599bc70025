// SPDX-License-Identifier: GPL-2.0-or-later
/* Knob effects of a sweep (reports/effects.h). */
#include "reports/effects.h"
#include "reports/compare_stats.h"
#include "lib/jsonx.h"
#include "lib/util.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

json_t *effects_axes(const struct rundir *r)
{
	const char *copy = json_str(json_object_get(r->run, "matrix"), "copy", NULL);
	if (!copy || strchr(copy, '/'))
		return NULL;
	char *path = xasprintf("%s/%s", r->dir, copy);
	json_t *m = json_load_file(path, 0, NULL);
	free(path);
	json_t *axes = json_object_get(m, "axes");
	json_t *out = json_is_object(axes) && json_object_size(axes) ? json_incref(axes) : NULL;
	json_decref(m);
	return out;
}

char *effects_value_text(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
}

/* The axes as the cells see them: each knob's values as compact JSON. */
struct ax {
	const char *key;
	json_t *vals;  /* the matrix's list */
	char **text;   /* compact JSON of each value */
	size_t n;
};

static char *compact(json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
}

/* The index of the cell's value of axis a, or -1 when it has none of them. */
static long coord(json_t *cell, const struct ax *a)
{
	json_t *v = json_object_get(json_object_get(cell, "requested"), a->key);
	if (!v)
		return -1;
	char *t = compact(v);
	long r = -1;
	for (size_t i = 0; i < a->n && r < 0; i++)
		if (!strcmp(a->text[i], t))
			r = (long)i;
	free(t);
	return r;
}

/* The cells grouped by their place in the sweep. */
struct sweep {
	struct ax *ax;
	size_t na;
	size_t nc;
	json_t **cell;
	long *co; /* nc x na coordinates */
};

/* The series of knob k a cell belongs to: the other knobs' coordinates
 * in mixed radix, the last moving fastest. */
static size_t series_of(const struct sweep *s, size_t c, size_t k)
{
	size_t idx = 0;
	for (size_t a = 0; a < s->na; a++)
		if (a != k)
			idx = idx * s->ax[a].n + (size_t)s->co[c * s->na + a];
	return idx;
}

static size_t series_count(const struct sweep *s, size_t k)
{
	size_t n = 1;
	for (size_t a = 0; a < s->na; a++)
		if (a != k)
			n *= s->ax[a].n;
	return n;
}

static json_t *series_label(const struct sweep *s, size_t k, size_t idx)
{
	struct buf b = {0};
	size_t *d = xcalloc(s->na + 1, sizeof *d);
	for (size_t a = s->na; a-- > 0;) {
		if (a == k)
			continue;
		d[a] = idx % s->ax[a].n;
		idx /= s->ax[a].n;
	}
	for (size_t a = 0; a < s->na; a++) {
		if (a == k)
			continue;
		char *t = effects_value_text(json_array_get(s->ax[a].vals, d[a]));
		buf_printf(&b, "%s%s=%s", b.len ? " " : "", s->ax[a].key, t);
		free(t);
	}
	free(d);
	json_t *j = json_string(b.data ? b.data : "all");
	buf_free(&b);
	return j;
}

static json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* One point: the figure over the cells at (series, value) of knob k. */
static json_t *point(const struct sweep *s, size_t k, size_t si, size_t vi, const struct figure *f, size_t wi)
{
	double *x = xcalloc(s->nc + 1, sizeof *x);
	size_t n = 0;
	for (size_t c = 0; c < s->nc; c++) {
		if ((size_t)s->co[c * s->na + k] != vi || series_of(s, c, k) != si)
			continue;
		json_t *w = json_array_get(json_object_get(s->cell[c], "workloads"), wi);
		if (f->scope == FIG_WORKLOAD && !w)
			continue;
		double v = f->get(f, s->cell[c], w);
		if (isfinite(v))
			x[n++] = v;
	}
	double mean = NAN, lo = NAN, hi = NAN;
	if (n) {
		double sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += x[i];
		mean = sum / (double)n;
	}
	if (n > 1) {
		double ss = 0;
		for (size_t i = 0; i < n; i++)
			ss += (x[i] - mean) * (x[i] - mean);
		double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sqrt(ss / (double)(n - 1) / (double)n);
		lo = mean - half;
		hi = mean + half;
	}
	free(x);
	return json_pack("{s:O,s:I,s:o,s:o,s:o}", "value", json_array_get(s->ax[k].vals, vi), "n", (json_int_t)n,
			 "mean", real_or_null(mean), "ci_lo", real_or_null(lo), "ci_hi", real_or_null(hi));
}

static json_t *endpoint_point(const struct sweep *s, size_t k, size_t si, size_t vi, size_t wi)
{
	json_t *counts = json_object();
	size_t n = 0;
	for (size_t c = 0; c < s->nc; c++) {
		if ((size_t)s->co[c * s->na + k] != vi || series_of(s, c, k) != si)
			continue;
		json_t *w = json_array_get(json_object_get(s->cell[c], "workloads"), wi);
		const char *ep = json_string_value(json_object_get(w, "endpoint"));
		if (!ep)
			continue;
		n++;
		json_object_set_new(counts, ep,
				    json_integer(json_integer_value(json_object_get(counts, ep)) + 1));
	}
	return json_pack("{s:O,s:I,s:o}", "value", json_array_get(s->ax[k].vals, vi), "n", (json_int_t)n,
			 "counts", counts);
}

static json_t *figure_json(const struct sweep *s, size_t k, const struct figure *f, size_t wi, json_t *wname)
{
	json_t *series = json_array();
	int any = 0;
	size_t ns = series_count(s, k);
	for (size_t si = 0; si < ns; si++) {
		json_t *pts = json_array();
		for (size_t vi = 0; vi < s->ax[k].n; vi++) {
			json_t *p = point(s, k, si, vi, f, wi);
			any |= json_integer_value(json_object_get(p, "n")) > 0;
			json_array_append_new(pts, p);
		}
		json_array_append_new(series, json_pack("{s:o,s:o}", "label", series_label(s, k, si), "points", pts));
	}
	if (!any) {
		json_decref(series);
		return NULL;
	}
	return json_pack("{s:s,s:s,s:s,s:O,s:o}", "figure", f->key, "shown", f->shown, "unit", f->unit, "workload",
			 wname ? wname : json_null(), "series", series);
}

static json_t *knob_json(const struct sweep *s, size_t k, json_t *wnames)
{
	json_t *figs = json_array(), *eps = json_array();
	size_t ns = series_count(s, k);
	for (size_t i = 0; i < compare_figure_count; i++) {
		const struct figure *f = &compare_figure_table[i];
		if (f->scope == FIG_CELL) {
			json_t *j = figure_json(s, k, f, 0, NULL);
			if (j)
				json_array_append_new(figs, j);
		} else if (f->scope == FIG_WORKLOAD) {
			for (size_t wi = 0; wi < json_array_size(wnames); wi++) {
				json_t *j = figure_json(s, k, f, wi, json_array_get(wnames, wi));
				if (j)
					json_array_append_new(figs, j);
			}
		}
	}
	for (size_t wi = 0; wi < json_array_size(wnames); wi++) {
		json_t *series = json_array();
		for (size_t si = 0; si < ns; si++) {
			json_t *pts = json_array();
			for (size_t vi = 0; vi < s->ax[k].n; vi++)
				json_array_append_new(pts, endpoint_point(s, k, si, vi, wi));
			json_array_append_new(series,
					      json_pack("{s:o,s:o}", "label", series_label(s, k, si), "points", pts));
		}
		json_array_append_new(eps, json_pack("{s:O,s:o}", "workload", json_array_get(wnames, wi), "series",
						     series));
	}
	return json_pack("{s:s,s:O,s:o,s:o}", "knob", s->ax[k].key, "values", s->ax[k].vals, "figures", figs,
			 "endpoints", eps);
}

json_t *effects_of(json_t *cells, json_t *axes)
{
	if (!json_is_object(axes))
		return NULL;
	struct sweep s = {0};
	s.ax = xcalloc(json_object_size(axes) + 1, sizeof *s.ax);
	const char *key;
	json_t *vals;
	json_object_foreach(axes, key, vals) {
		if (!json_is_array(vals) || !json_array_size(vals))
			continue;
		struct ax *a = &s.ax[s.na++];
		a->key = key;
		a->vals = vals;
		a->n = json_array_size(vals);
		a->text = xcalloc(a->n, sizeof *a->text);
		for (size_t i = 0; i < a->n; i++)
			a->text[i] = compact(json_array_get(vals, i));
	}
	/* the cells at a place of the sweep (an included cell may be at none) */
	size_t nall = json_array_size(cells);
	s.cell = xcalloc(nall + 1, sizeof *s.cell);
	s.co = xcalloc((nall + 1) * (s.na + 1), sizeof *s.co);
	json_t *wnames = json_array();
	for (size_t c = 0; c < nall; c++) {
		json_t *cell = json_array_get(cells, c);
		int in = 1;
		for (size_t a = 0; a < s.na && in; a++)
			in = (s.co[s.nc * s.na + a] = coord(cell, &s.ax[a])) >= 0;
		if (!in)
			continue;
		s.cell[s.nc++] = cell;
		json_t *ws = json_object_get(cell, "workloads");
		for (size_t wi = json_array_size(wnames); wi < json_array_size(ws); wi++)
			json_array_append(wnames, json_object_get(json_array_get(ws, wi), "name"));
	}
	json_t *knobs = json_array();
	for (size_t k = 0; k < s.na; k++)
		if (s.ax[k].n > 1 && s.nc)
			json_array_append_new(knobs, knob_json(&s, k, wnames));
	json_t *out = NULL;
	if (json_array_size(knobs))
		out = json_pack("{s:O}", "knobs", knobs);
	json_decref(knobs);
	json_decref(wnames);
	for (size_t a = 0; a < s.na; a++) {
		for (size_t i = 0; i < s.ax[a].n; i++)
			free(s.ax[a].text[i]);
		free(s.ax[a].text);
	}
	free(s.ax);
	free(s.cell);
	free(s.co);
	return out;
}

/* ---- text ---- */

static void print_point(struct buf *b, json_t *p)
{
	json_t *m = json_object_get(p, "mean");
	if (!json_is_number(m)) {
		buf_printf(b, "-");
		return;
	}
	buf_printf(b, "%.6g", json_number_value(m));
	json_t *lo = json_object_get(p, "ci_lo"), *hi = json_object_get(p, "ci_hi");
	if (json_is_number(lo))
		buf_printf(b, " [%.6g, %.6g]", json_number_value(lo), json_number_value(hi));
	buf_printf(b, " (n=%lld)", (long long)json_integer_value(json_object_get(p, "n")));
}

static void print_counts(struct buf *b, json_t *p)
{
	const char *ep;
	json_t *k;
	int first = 1;
	json_object_foreach(json_object_get(p, "counts"), ep, k) {
		buf_printf(b, "%s%s %lld/%lld", first ? "" : ", ", ep, (long long)json_integer_value(k),
			   (long long)json_integer_value(json_object_get(p, "n")));
		first = 0;
	}
	if (first)
		buf_printf(b, "-");
}

/* A table: a row per series, a column per value of the knob; each cell
 * the text fmt makes of a point. */
static void print_table(FILE *f, json_t *values, json_t *series, void (*fmt)(struct buf *, json_t *))
{
	size_t nv = json_array_size(values), ns = json_array_size(series);
	size_t *w = xcalloc(nv + 1, sizeof *w);
	char **txt = xcalloc((ns + 1) * (nv + 1), sizeof *txt);
	for (size_t r = 0; r <= ns; r++) {
		json_t *sr = r ? json_array_get(series, r - 1) : NULL;
		for (size_t c = 0; c <= nv; c++) {
			struct buf b = {0};
			if (!r && !c)
				buf_printf(&b, "%s", "");
			else if (!r)
				b.data = effects_value_text(json_array_get(values, c - 1));
			else if (!c)
				buf_printf(&b, "%s", json_str(sr, "label", ""));
			else
				fmt(&b, json_array_get(json_object_get(sr, "points"), c - 1));
			txt[r * (nv + 1) + c] = b.data ? b.data : xstrdup("");
			size_t l = strlen(txt[r * (nv + 1) + c]);
			if (l > w[c])
				w[c] = l;
		}
	}
	for (size_t r = 0; r <= ns; r++) {
		fprintf(f, " ");
		for (size_t c = 0; c <= nv; c++)
			fprintf(f, " %-*s", c == nv ? 0 : (int)w[c], txt[r * (nv + 1) + c]);
		fprintf(f, "\n");
		for (size_t c = 0; c <= nv; c++)
			free(txt[r * (nv + 1) + c]);
	}
	free(txt);
	free(w);
}

void effects_print(FILE *f, json_t *eff)
{
	if (!eff) {
		fprintf(f, "no swept knob: the matrix has no axis with two values\n");
		return;
	}
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(eff, "knobs"), i, k) {
		json_t *values = json_object_get(k, "values");
		fprintf(f, "%s== %s: mean [95%% CI] (n repeats) per value\n", i ? "\n" : "", json_str(k, "knob", ""));
		size_t j;
		json_t *g;
		json_array_foreach(json_object_get(k, "endpoints"), j, g) {
			fprintf(f, "endpoints of %s:\n", json_str(g, "workload", "?"));
			print_table(f, values, json_object_get(g, "series"), print_counts);
		}
		json_array_foreach(json_object_get(k, "figures"), j, g) {
			const char *wl = json_str(g, "workload", NULL);
			fprintf(f, "%s%s%s (%s):\n", json_str(g, "shown", ""), wl ? " of " : "", wl ? wl : "",
				json_str(g, "unit", ""));
			print_table(f, values, json_object_get(g, "series"), print_point);
		}
	}
}
