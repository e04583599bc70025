// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab compare: load two run dirs, match their cells by key, compare
 * endpoint, MB reached, OOM victims and time to OOM per workload. */
#include "reports/compare.h"
#include "reports/compare_episodes.h"
#include "reports/compare_findings.h"
#include "reports/compare_stats.h"
#include "lib/jsonx.h"
#include "lib/vocab.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- keys ---- */

static json_t *get_or_null(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return v ? json_incref(v) : json_null();
}

char *compare_cell_key(json_t *cell)
{
	json_t *k = json_object();
	json_t *req = json_object_get(cell, "requested");
	json_t *knobs = json_is_object(req) ? json_deep_copy(req) : json_object();
	json_object_del(knobs, "kernel");
	json_object_del(knobs, "modules");
	json_object_set_new(k, "knobs", knobs);
	json_object_set_new(k, "mode", get_or_null(json_object_get(cell, "vm"), "mode"));
	json_t *wl = json_array();
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(cell, "workloads"), i, w) {
		json_t *o = json_object();
		json_object_set_new(o, "name", get_or_null(w, "name"));
		json_object_set_new(o, "options", get_or_null(w, "options"));
		json_object_set_new(o, "rlimit_as_mb", get_or_null(w, "rlimit_as_mb"));
		json_object_set_new(o, "oom_score_adj", get_or_null(w, "oom_score_adj"));
		json_array_append_new(wl, o);
	}
	json_object_set_new(k, "workloads", wl);
	char *s = json_dumps(k, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(k);
	if (!s) {
		log_err("out of memory");
		abort();
	}
	return s;
}

/* ---- one side of the comparison ---- */

struct scell {
	json_t *c;       /* borrowed from the run */
	char *key;
	const char *kid; /* kernel identity */
	int brok, skip;
};

struct side {
	struct scell *c;
	size_t n;
};

static const char *kernel_id(json_t *cell)
{
	json_t *k = json_object_get(cell, "kernel");
	const char *s = json_string_value(json_object_get(k, "release"));
	if (!s)
		s = json_string_value(json_object_get(k, "image"));
	return s ? s : "";
}

static void side_init(struct side *s, const struct rundir *r)
{
	s->n = json_array_size(r->cells);
	s->c = xcalloc(s->n ? s->n : 1, sizeof *s->c);
	for (size_t i = 0; i < s->n; i++) {
		json_t *c = json_array_get(r->cells, i);
		const struct verdict_row *v = verdict_find(json_string_value(json_object_get(c, "verdict")));
		s->c[i].c = c;
		s->c[i].key = compare_cell_key(c);
		s->c[i].kid = kernel_id(c);
		s->c[i].brok = v && v->verdict == V_BROK;
		s->c[i].skip = v && v->verdict == V_SKIP;
	}
}

static void side_free(struct side *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->c[i].key);
	free(s->c);
}

/* Does this side hold cells with this key on more than one kernel? */
static int multi_kernel(const struct side *s, const char *key)
{
	const char *first = NULL;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].key, key)) {
			if (!first)
				first = s->c[i].kid;
			else if (strcmp(first, s->c[i].kid))
				return 1;
		}
	return 0;
}

/* A run that holds the same cell on several kernels ("kernel" in the
 * matrix cells): those cells are matched by kernel release too, so two
 * kernels of one run are never taken for repeats of each other. */
static void split_by_kernel(struct side *b, struct side *n)
{
	struct side *sides[2] = {b, n};
	int *split[2];
	for (int s = 0; s < 2; s++) {
		split[s] = xcalloc(sides[s]->n + 1, sizeof(int));
		for (size_t i = 0; i < sides[s]->n; i++)
			split[s][i] = multi_kernel(b, sides[s]->c[i].key) ||
				      multi_kernel(n, sides[s]->c[i].key);
	}
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < sides[s]->n; i++) {
			if (!split[s][i])
				continue;
			struct scell *c = &sides[s]->c[i];
			char *k = xasprintf("%s kernel=%s", c->key, c->kid);
			free(c->key);
			c->key = k;
		}
		free(split[s]);
	}
}

/* ---- groups of cells with one key ---- */

struct group {
	const char *key;
	size_t *b, nb; /* indices into the base side */
	size_t *n, nn; /* into the new side */
};

static struct group *group_find(struct group *g, size_t ng, const char *key)
{
	for (size_t i = 0; i < ng; i++)
		if (!strcmp(g[i].key, key))
			return &g[i];
	return NULL;
}

static void push(size_t **a, size_t *n, size_t v)
{
	*a = xrealloc(*a, (*n + 1) * sizeof **a);
	(*a)[(*n)++] = v;
}

/* Groups in base order, then the new-only ones in new order. */
static struct group *make_groups(const struct side *b, const struct side *n, size_t *ng)
{
	struct group *g = xcalloc(b->n + n->n + 1, sizeof *g);
	*ng = 0;
	for (int s = 0; s < 2; s++) {
		const struct side *sd = s ? n : b;
		for (size_t i = 0; i < sd->n; i++) {
			struct group *x = group_find(g, *ng, sd->c[i].key);
			if (!x) {
				x = &g[(*ng)++];
				x->key = sd->c[i].key;
			}
			if (s)
				push(&x->n, &x->nn, i);
			else
				push(&x->b, &x->nb, i);
		}
	}
	return g;
}

/* ---- per-workload figures over the repeats of one side ---- */

struct stat1 {
	size_t n;
	double sum, min, max;
};

static void stat_add(struct stat1 *s, double v)
{
	if (!s->n || v < s->min)
		s->min = v;
	if (!s->n || v > s->max)
		s->max = v;
	s->sum += v;
	s->n++;
}

static double stat_mean(const struct stat1 *s)
{
	return s->n ? s->sum / (double)s->n : NAN;
}

/* Relative spread (max-min)/mean, 0 without repeats. */
static double stat_spread(const struct stat1 *s)
{
	double m = stat_mean(s);
	return s->n >= 2 && m > 0 ? (s->max - s->min) / m : 0;
}

struct wside {
	size_t n;
	json_t *ep_counts; /* endpoint -> repeats */
	const char *endpoint;
	int flaky;
	struct stat1 mb, t;
	size_t victims;
	int victim;
};

static void wside_fill(struct wside *ws, const struct side *s, const size_t *idx, size_t n, size_t wi)
{
	memset(ws, 0, sizeof *ws);
	ws->ep_counts = json_object();
	size_t best = 0;
	for (size_t r = 0; r < n; r++) {
		const struct scell *sc = &s->c[idx[r]];
		if (sc->brok)
			continue;
		json_t *w = json_array_get(json_object_get(sc->c, "workloads"), wi);
		ws->n++;
		const char *ep = json_string_value(json_object_get(w, "endpoint"));
		json_int_t cnt = json_integer_value(json_object_get(ws->ep_counts, ep)) + 1;
		json_object_set_new(ws->ep_counts, ep, json_integer(cnt));
		if ((size_t)cnt > best) { /* ties: the first to get there */
			best = (size_t)cnt;
			ws->endpoint = ep; /* lives as long as the run */
		}
		json_t *mb = json_object_get(w, "mb_reached");
		if (json_is_number(mb))
			stat_add(&ws->mb, json_number_value(mb));
		json_t *e = compare_victim_event(sc->c, w);
		if (e) {
			ws->victims++;
			json_t *tu = json_object_get(e, "t_us"), *ts = json_object_get(w, "t_spawn_us");
			if (json_is_integer(tu) && json_is_integer(ts) &&
			    json_integer_value(tu) >= json_integer_value(ts))
				stat_add(&ws->t, (double)(json_integer_value(tu) - json_integer_value(ts)) / 1e6);
		}
	}
	ws->flaky = json_object_size(ws->ep_counts) > 1;
	ws->victim = ws->n && 2 * ws->victims >= ws->n;
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* Changed beyond tol percent? Both values must exist. */
static int beyond(double b, double n, double tol)
{
	if (!isfinite(b) || !isfinite(n))
		return 0;
	if (b == 0)
		return n != 0;
	return fabs(n - b) / fabs(b) * 100.0 > tol + 1e-9;
}

static double max3(double a, double b, double c)
{
	double m = a > b ? a : b;
	return m > c ? m : c;
}

const struct cmp_status_row cmp_status_table[CMP_STATUS_COUNT] = {
	[CMP_SAME] = {.status = CMP_SAME, .word = "same", .shown = "same", .ansi = "\033[32m",
		      .compared = 1, .html_class = "note"},
	[CMP_CHANGED] = {.status = CMP_CHANGED, .word = "changed", .shown = "CHANGED", .ansi = "\033[33m",
			 .compared = 1, .html_class = "note"},
	[CMP_REGRESSED] = {.status = CMP_REGRESSED, .word = "regressed", .shown = "REGRESSED", .ansi = "\033[31m",
			   .compared = 1, .html_class = "warn"},
	[CMP_ONLY_BASE] = {.status = CMP_ONLY_BASE, .word = "only_base", .shown = "only in base",
			   .ansi = "\033[36m", .compared = 0, .html_class = "note"},
	[CMP_ONLY_NEW] = {.status = CMP_ONLY_NEW, .word = "only_new", .shown = "only in new", .ansi = "\033[36m",
			  .compared = 0, .html_class = "note"},
	[CMP_SKIPPED] = {.status = CMP_SKIPPED, .word = "skipped", .shown = "skipped", .ansi = "\033[35m",
			 .compared = 0, .html_class = "note"},
};

const struct cmp_status_row *cmp_status_find(const char *word)
{
	for (int i = 0; word && i < CMP_STATUS_COUNT; i++)
		if (!strcmp(word, cmp_status_table[i].word))
			return &cmp_status_table[i];
	return NULL;
}

/* Compare workload wi of a group. Returns its status, fills *out. */
static enum cmp_status compare_workload(const struct side *b, const struct side *n, const struct group *g,
			    size_t wi, double tol, json_t **out)
{
	struct wside B, N;
	wside_fill(&B, b, g->b, g->nb, wi);
	wside_fill(&N, n, g->n, g->nn, wi);
	json_t *w0 = json_array_get(json_object_get(b->c[g->b[0]].c, "workloads"), wi);
	json_t *reasons = json_array();
	enum cmp_status st = CMP_SAME;

	json_t *j = json_object();
	json_object_set_new(j, "index", json_integer((json_int_t)wi));
	json_object_set(j, "name", json_object_get(w0, "name"));

	/* 1. endpoint class */
	int ep_changed = strcmp(B.endpoint, N.endpoint) != 0;
	json_object_set_new(j, "endpoint",
			    json_pack("{s:s,s:s,s:b,s:b,s:b,s:O,s:O}", "base", B.endpoint, "new",
				      N.endpoint, "changed", ep_changed, "base_flaky", B.flaky,
				      "new_flaky", N.flaky, "base_counts", B.ep_counts, "new_counts",
				      N.ep_counts));
	if (ep_changed) {
		st = CMP_REGRESSED;
		json_array_append_new(reasons, json_sprintf("endpoint %s -> %s", B.endpoint, N.endpoint));
	} else if (N.flaky && !B.flaky) {
		if (st < CMP_CHANGED)
			st = CMP_CHANGED;
		json_array_append_new(reasons, json_sprintf("new repeats disagree on the endpoint"));
	}

	/* 2. MB reached */
	double bm = stat_mean(&B.mb), nm = stat_mean(&N.mb);
	double mtol = max3(tol, 100.0 * stat_spread(&B.mb), 100.0 * stat_spread(&N.mb));
	int mb_changed = beyond(bm, nm, mtol);
	json_t *mb = json_object();
	json_object_set_new(mb, "base", num_or_null(bm));
	json_object_set_new(mb, "new", num_or_null(nm));
	json_object_set_new(mb, "delta_pct", num_or_null(compare_rel_pct(bm, nm)));
	json_object_set_new(mb, "tolerance_pct", json_real(mtol));
	json_object_set_new(mb, "base_spread_pct", json_real(100.0 * stat_spread(&B.mb)));
	json_object_set_new(mb, "new_spread_pct", json_real(100.0 * stat_spread(&N.mb)));
	json_object_set_new(mb, "changed", json_boolean(mb_changed));
	json_object_set_new(j, "mb_reached", mb);
	if (mb_changed) {
		st = CMP_REGRESSED;
		double d = compare_rel_pct(bm, nm);
		if (isfinite(d))
			json_array_append_new(reasons, json_sprintf("MB reached %.1f -> %.1f (%+.1f%%, tolerance %.1f%%)",
								    bm, nm, d, mtol));
		else
			json_array_append_new(reasons, json_sprintf("MB reached %.1f -> %.1f", bm, nm));
	}

	/* 3. OOM victim */
	int v_changed = B.victim != N.victim;
	json_object_set_new(j, "victim",
			    json_pack("{s:b,s:b,s:b,s:I,s:I}", "base", B.victim, "new", N.victim,
				      "changed", v_changed, "base_killed", (json_int_t)B.victims,
				      "new_killed", (json_int_t)N.victims));
	if (v_changed) {
		st = CMP_REGRESSED;
		json_array_append_new(reasons, json_sprintf("OOM victim %s -> %s", B.victim ? "yes" : "no",
							    N.victim ? "yes" : "no"));
	}

	/* 4. time to OOM: reported, never a regression */
	double bt = stat_mean(&B.t), nt = stat_mean(&N.t);
	double ttol = max3(mtol > COMPARE_TIME_TOL_PCT ? mtol : COMPARE_TIME_TOL_PCT,
			   100.0 * stat_spread(&B.t), 100.0 * stat_spread(&N.t));
	int t_changed = beyond(bt, nt, ttol);
	json_t *t = json_object();
	json_object_set_new(t, "base", num_or_null(bt));
	json_object_set_new(t, "new", num_or_null(nt));
	json_object_set_new(t, "delta_pct", num_or_null(compare_rel_pct(bt, nt)));
	json_object_set_new(t, "tolerance_pct", json_real(ttol));
	json_object_set_new(t, "changed", json_boolean(t_changed));
	json_object_set_new(j, "time_to_oom_s", t);
	if (t_changed) {
		if (st < CMP_CHANGED)
			st = CMP_CHANGED;
		json_array_append_new(reasons, json_sprintf("time to OOM %.2f s -> %.2f s (%+.0f%%)", bt, nt,
							    compare_rel_pct(bt, nt)));
	}

	json_object_set_new(j, "status", json_string(cmp_status_table[st].word));
	json_object_set_new(j, "reasons", reasons);
	json_decref(B.ep_counts);
	json_decref(N.ep_counts);
	*out = j;
	return st;
}

static json_t *side_info(const struct side *s, const size_t *idx, size_t n)
{
	json_t *ids = json_array(), *verdicts = json_array(), *kernels = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *c = s->c[idx[i]].c;
		json_array_append(ids, json_object_get(json_object_get(c, "cell"), "id"));
		json_array_append(verdicts, json_object_get(c, "verdict"));
		json_append_unique(kernels, json_string(s->c[idx[i]].kid));
	}
	return json_pack("{s:I,s:o,s:o,s:o}", "repeats", (json_int_t)n, "ids", ids, "verdicts", verdicts,
			 "kernels", kernels);
}

/* The repeats of a side that are not BROK, into out (room for n). */
static size_t ok_cells(const struct side *s, const size_t *idx, size_t n, json_t **out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!s->c[idx[i]].brok)
			out[k++] = s->c[idx[i]].c;
	return k;
}

static size_t count_flag(const struct side *s, const size_t *idx, size_t n, int brok)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += brok ? s->c[idx[i]].brok : s->c[idx[i]].skip;
	return k;
}

static const char *cell_name(const struct side *b, const struct side *n, const struct group *g)
{
	json_t *c = g->nb ? b->c[g->b[0]].c : n->c[g->n[0]].c;
	const char *s = json_string_value(json_object_get(json_object_get(c, "cell"), "name"));
	return s ? s : "?";
}

static json_t *run_info(const struct rundir *r, const struct side *s)
{
	json_t *kernels = json_array();
	for (size_t i = 0; i < s->n; i++)
		json_append_unique(kernels, json_string(s->c[i].kid));
	json_t *intr = json_object_get(r->run, "interrupted");
	json_t *m = json_object_get(r->run, "matrix");
	return json_pack("{s:s,s:O?,s:O?,s:O?,s:I,s:o,s:b}", "dir", r->dir ? r->dir : "", "run_id",
			 json_object_get(r->run, "run_id"), "matrix", json_object_get(m, "name"),
			 "matrix_digest", json_object_get(m, "digest"), "cells", (json_int_t)s->n, "kernels",
			 kernels, "interrupted", json_is_true(intr));
}

/* ---- confounders: what differs between the runs that neither set ---- */

/* The repeat of a side whose knobs and kernel stand for it: the first
 * that is not BROK. */
static json_t *first_ok(const struct side *s, const size_t *idx, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!s->c[idx[i]].brok)
			return s->c[idx[i]].c;
	return n ? s->c[idx[0]].c : NULL;
}

static json_t *knob_named(json_t *cell, const char *name)
{
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(cell, "knobs"), i, k)
		if (!strcmp(json_str(k, "name", ""), name))
			return k;
	return NULL;
}

/* The value a knob was read back with when the cell did not set it:
 * its text, JSON null where the kernel has no such file; NULL (not a
 * JSON value) when the cell set it or did not read it back. */
static json_t *unset_value(json_t *k)
{
	const char *st = json_str(k, "status", "");
	if (!strcmp(st, "default"))
		return json_is_string(json_object_get(k, "got")) ? json_object_get(k, "got") : NULL;
	if (!strcmp(st, "absent"))
		return json_null();
	return NULL;
}

static json_t *difference(const char *name, json_t *b, json_t *n)
{
	return json_pack("{s:s,s:O,s:O}", "name", name, "base", b ? b : json_null(), "new",
			 n ? n : json_null());
}

/* Knobs read back in both cells, set in neither, with different values. */
static json_t *knob_confounders(json_t *cb, json_t *cn)
{
	json_t *out = json_array();
	size_t i;
	json_t *kb;
	json_array_foreach(json_object_get(cb, "knobs"), i, kb) {
		const char *name = json_str(kb, "name", NULL);
		json_t *vb = unset_value(kb);
		json_t *kn = name ? knob_named(cn, name) : NULL;
		json_t *vn = kn ? unset_value(kn) : NULL;
		if (vb && vn && !json_equal(vb, vn))
			json_array_append_new(out, difference(name, vb, vn));
	}
	return out;
}

/* The memory-management options of the two kernels' build configurations
 * that differ (null where a kernel has no such option); JSON null when
 * either run did not record its kernel's configuration. */
static json_t *config_confounders(json_t *cb, json_t *cn)
{
	json_t *mb = json_object_get(json_object_get(json_object_get(cb, "kernel"), "config"), "mm");
	json_t *mn = json_object_get(json_object_get(json_object_get(cn, "kernel"), "config"), "mm");
	if (!json_is_object(mb) || !json_is_object(mn))
		return json_null();
	json_t *out = json_array();
	const char *name;
	json_t *v;
	json_object_foreach(mb, name, v)
		if (!json_equal(v, json_object_get(mn, name)))
			json_array_append_new(out, difference(name, v, json_object_get(mn, name)));
	json_object_foreach(mn, name, v)
		if (!json_object_get(mb, name))
			json_array_append_new(out, difference(name, NULL, v));
	return out;
}

static json_t *confounders(const struct side *b, const struct group *g, const struct side *n)
{
	json_t *cb = first_ok(b, g->b, g->nb), *cn = first_ok(n, g->n, g->nn);
	return json_pack("{s:o,s:o}", "knobs", knob_confounders(cb, cn), "config",
			 config_confounders(cb, cn));
}

static int has_confounders(json_t *c)
{
	json_t *x = json_object_get(c, "confounders");
	return json_array_size(json_object_get(x, "knobs")) || json_array_size(json_object_get(x, "config"));
}

/* Was the cell decided by the tests (enough repeats on both sides)? */
static int stats_decided(json_t *c)
{
	return !strcmp(json_str(json_object_get(c, "statistics"), "decided_by", ""), "statistics");
}

static size_t count_stats_cells(json_t *cells)
{
	size_t n = 0, i;
	json_t *c;
	json_array_foreach(cells, i, c)
		n += stats_decided(c);
	return n;
}

json_t *compare_runs(const struct rundir *base, const struct rundir *nw, const struct cmp_opts *o)
{
	double tol = o && o->tol_pct >= 0 ? o->tol_pct : COMPARE_TOL_PCT;
	struct side b, n;
	side_init(&b, base);
	side_init(&n, nw);
	split_by_kernel(&b, &n);
	size_t ng;
	struct group *g = make_groups(&b, &n, &ng);

	size_t cnt[CMP_STATUS_COUNT] = {0}, skipped_brok = 0, new_brok = 0, new_skip = 0, confounded = 0;
	int tol_only = o && o->tolerance_only;
	struct cmp_stats_opts so = {
		.alpha = o && o->alpha > 0 ? o->alpha : COMPARE_ALPHA,
		.min_repeats = o && o->min_repeats > 0 ? o->min_repeats : COMPARE_MIN_REPEATS,
		.tol_pct = tol,
	};
	enum cmp_status *cell_other = xcalloc(ng + 1, sizeof *cell_other);
	json_t *cells = json_array();
	for (size_t i = 0; i < ng; i++) {
		struct group *x = &g[i];
		json_t *c = json_object();
		json_object_set_new(c, "name", json_string(cell_name(&b, &n, x)));
		/* the key as an object; "kernel" when the run split it by kernel */
		json_t *key = json_loads(x->key, JSON_DISABLE_EOF_CHECK, NULL);
		if (json_is_object(key) && strstr(x->key, "} kernel="))
			json_object_set_new(key, "kernel",
					    json_string(x->nb ? b.c[x->b[0]].kid : n.c[x->n[0]].kid));
		json_object_set_new(c, "key", key ? key : json_string(x->key));
		json_object_set_new(c, "base", side_info(&b, x->b, x->nb));
		json_object_set_new(c, "new", side_info(&n, x->n, x->nn));
		size_t bb = count_flag(&b, x->b, x->nb, 1), nb = count_flag(&n, x->n, x->nn, 1);
		size_t bs = count_flag(&b, x->b, x->nb, 0), ns = count_flag(&n, x->n, x->nn, 0);
		new_brok += nb;
		new_skip += ns;
		enum cmp_status status;
		if (!x->nn) {
			status = CMP_ONLY_BASE;
		} else if (!x->nb) {
			status = CMP_ONLY_NEW;
		} else if (bb == x->nb || nb == x->nn) {
			status = CMP_SKIPPED;
			skipped_brok++;
			json_object_set_new(c, "reason", json_sprintf("BROK in %s",
							 bb == x->nb && nb == x->nn ? "base and new"
							 : bb == x->nb		   ? "base"
										   : "new"));
		} else {
			enum cmp_status worst = CMP_SAME, other = CMP_SAME; /* the workloads; the rest */
			json_t *wl = json_array(), *vb = json_array(), *vn = json_array();
			size_t nwl = json_array_size(json_object_get(b.c[x->b[0]].c, "workloads"));
			for (size_t k = 0; k < nwl; k++) {
				json_t *wj;
				enum cmp_status st = compare_workload(&b, &n, x, k, tol, &wj);
				if (st > worst)
					worst = st;
				json_t *v = json_object_get(wj, "victim");
				if (json_is_true(json_object_get(v, "base")))
					json_array_append_new(vb, json_integer((json_int_t)k));
				if (json_is_true(json_object_get(v, "new")))
					json_array_append_new(vn, json_integer((json_int_t)k));
				json_array_append_new(wl, wj);
			}
			json_t *notes = json_array();
			if (bb || nb)
				json_array_append_new(notes, json_sprintf("BROK repeats left out: %zu base, %zu new",
									  bb, nb));
			if ((bs > 0) != (ns > 0)) {
				json_array_append_new(notes, json_sprintf("verdict SKIP (a knob the kernel lacks) only in %s",
									  bs ? "base" : "new"));
				other = CMP_CHANGED;
			}
			static const enum cmp_status ep_status[] = {[EP_SAME] = CMP_SAME, [EP_CHANGED] = CMP_CHANGED,
								    [EP_REGRESSED] = CMP_REGRESSED};
			json_t **cb = xcalloc(x->nb + 1, sizeof *cb), **cn = xcalloc(x->nn + 1, sizeof *cn), *ej;
			enum cmp_status est = ep_status[compare_episodes(cb, ok_cells(&b, x->b, x->nb, cb), cn,
									 ok_cells(&n, x->n, x->nn, cn), &ej)];
			if (ej)
				json_object_set_new(ej, "status", json_string(cmp_status_table[est].word));
			if (est > other)
				other = est;
			if (!tol_only)
				json_object_set_new(c, "statistics",
						    compare_stats_cell(cb, ok_cells(&b, x->b, x->nb, cb), cn,
								       ok_cells(&n, x->n, x->nn, cn), &so));
			free(cb);
			free(cn);
			json_object_set_new(c, "victims",
					    json_pack("{s:o,s:o,s:b}", "base", vb, "new", vn, "changed",
						      !json_equal(vb, vn)));
			if (ej) /* only where both runs' reports have episodes */
				json_object_set_new(c, "oom_episodes", ej);
			json_object_set_new(c, "workloads", wl);
			json_object_set_new(c, "notes", notes);
			json_object_set_new(c, "confounders", confounders(&b, x, &n));
			confounded += has_confounders(c);
			status = worst > other ? worst : other;
			cell_other[i] = other;
		}
		json_object_set_new(c, "status", json_string(cmp_status_table[status].word));
		json_array_append_new(cells, c);
	}
	size_t undecided = 0, tests = tol_only ? 0 : compare_stats_decide(cells, &so, &undecided);
	for (size_t i = 0; i < ng; i++) {
		json_t *c = json_array_get(cells, i);
		const struct cmp_status_row *row = cmp_status_find(json_str(c, "status", ""));
		enum cmp_status status = row ? row->status : CMP_SAME;
		if (stats_decided(c)) { /* the workloads and the cell's figures by the tests */
			status = cell_other[i];
			size_t k;
			json_t *w;
			json_array_foreach(json_object_get(c, "workloads"), k, w) {
				json_t *reasons = json_array();
				enum cmp_status ws =
					(enum cmp_status)compare_stats_status(json_object_get(c, "statistics"),
									      FIG_WORKLOAD, k, reasons);
				/* kept from the tolerance rule: a note, not a test */
				json_t *ep = json_object_get(w, "endpoint");
				if (json_is_true(json_object_get(ep, "new_flaky")) &&
				    !json_is_true(json_object_get(ep, "base_flaky"))) {
					json_array_append_new(reasons, json_string("new repeats disagree on the endpoint"));
					if (ws < CMP_CHANGED)
						ws = CMP_CHANGED;
				}
				json_object_set_new(w, "status", json_string(cmp_status_table[ws].word));
				json_object_set_new(w, "reasons", reasons);
				if (ws > status)
					status = ws;
			}
			enum cmp_status cs = (enum cmp_status)compare_stats_status(
				json_object_get(c, "statistics"), FIG_CELL, 0, json_object_get(c, "notes"));
			if (cs > status)
				status = cs;
			json_object_set_new(c, "status", json_string(cmp_status_table[status].word));
		}
		cnt[status]++;
	}
	free(cell_other);

	json_t *doc = json_object();
	json_object_set_new(doc, "format", json_string(COMPARE_FORMAT));
	json_object_set_new(doc, "base", run_info(base, &b));
	json_object_set_new(doc, "new", run_info(nw, &n));
	json_object_set_new(doc, "tolerance_pct", json_real(tol));
	json_object_set_new(doc, "time_tolerance_pct", json_real(COMPARE_TIME_TOL_PCT));
	if (!tol_only)
		json_object_set_new(doc, "statistics",
				    json_pack("{s:f,s:i,s:s,s:I,s:I,s:I}", "alpha", so.alpha, "min_repeats",
					      so.min_repeats, "correction", "holm", "tests", (json_int_t)tests,
					      "cells", (json_int_t)count_stats_cells(cells), "undecided",
					      (json_int_t)undecided));
	json_object_set_new(doc, "cells", cells);
	json_t *s = json_object();
	size_t compared = 0;
	for (int k = 0; k < CMP_STATUS_COUNT; k++)
		compared += cmp_status_table[k].compared ? cnt[k] : 0;
	json_object_set_new(s, "compared", json_integer((json_int_t)compared));
	for (int k = 0; k < CMP_STATUS_COUNT; k++)
		json_object_set_new(s, cmp_status_table[k].word, json_integer((json_int_t)cnt[k]));
	json_object_set_new(s, "skipped_brok", json_integer((json_int_t)skipped_brok));
	json_object_set_new(s, "new_brok", json_integer((json_int_t)new_brok));
	json_object_set_new(s, "new_skip", json_integer((json_int_t)new_skip));
	json_object_set_new(s, "confounded", json_integer((json_int_t)confounded));
	json_object_set_new(doc, "summary", s);
	compare_findings(doc, base, nw);
	int bisect = o && o->bisect;
	json_object_set_new(doc, "bisect", json_boolean(bisect));
	json_object_set_new(doc, "exit_code", json_integer(compare_exit_code(doc, bisect)));

	for (size_t i = 0; i < ng; i++) {
		free(g[i].b);
		free(g[i].n);
	}
	free(g);
	side_free(&b);
	side_free(&n);
	return doc;
}

static json_int_t sum_get(json_t *doc, const char *k)
{
	return json_integer_value(json_object_get(json_object_get(doc, "summary"), k));
}

int compare_exit_code(json_t *doc, int bisect)
{
	json_int_t compared = sum_get(doc, "compared");
	if (sum_get(doc, cmp_status_table[CMP_REGRESSED].word) || compare_findings_regressed(doc))
		return EXIT_FAIL;
	if (bisect) {
		int interrupted = json_is_true(json_object_get(json_object_get(doc, "new"), "interrupted"));
		json_int_t undecided =
			json_integer_value(json_object_get(json_object_get(doc, "statistics"), "undecided"));
		if (!compared || sum_get(doc, "new_brok") || sum_get(doc, "new_skip") ||
		    sum_get(doc, cmp_status_table[CMP_ONLY_BASE].word) || interrupted || undecided)
			return EXIT_BISECT_SKIP;
		return EXIT_OK;
	}
	if (!compared)
		return sum_get(doc, "skipped_brok") ? EXIT_BROK : EXIT_USAGE;
	return EXIT_OK;
}

/* ---- the table ---- */

#define NCOL 8
static const char *const col_head[NCOL] = {"cell",   "workload",       "runs",
					   "endpoint", "MB reached",   "victim",
					   "time to OOM s", "status"};
static const int col_right[NCOL] = {0, 0, 1, 0, 1, 0, 1, 0};

struct trow {
	char *col[NCOL];
	const char *color;
};

static char *fmt_num(json_t *v, const char *fmt)
{
	return json_is_number(v) ? xasprintf(fmt, json_number_value(v)) : xstrdup("-");
}

static char *fmt_mb(json_t *mb)
{
	json_t *bv = json_object_get(mb, "base"), *nv = json_object_get(mb, "new");
	const char *fb = json_is_number(bv) && json_number_value(bv) < 100 ? "%.1f" : "%.0f";
	const char *fn = json_is_number(nv) && json_number_value(nv) < 100 ? "%.1f" : "%.0f";
	char *b = fmt_num(bv, fb), *n = fmt_num(nv, fn);
	json_t *d = json_object_get(mb, "delta_pct");
	double dv = json_number_value(d);
	if (fabs(dv) < 0.05)
		dv = 0; /* no "-0.0%" */
	char *s = json_is_number(d) ? xasprintf("%s -> %s %+6.1f%%", b, n, dv)
				    : xasprintf("%s -> %s        ", b, n);
	free(b);
	free(n);
	return s;
}

static char *fmt_pair_str(const char *b, const char *n, int bflaky, int nflaky)
{
	if (!strcmp(b, n) && bflaky == nflaky)
		return xasprintf("%s%s", b, bflaky ? "*" : "");
	return xasprintf("%s%s -> %s%s", b, bflaky ? "*" : "", n, nflaky ? "*" : "");
}

/* How a row's status is shown: a word the table lacks as it is, in cyan. */
static const char *status_word(const char *st)
{
	const struct cmp_status_row *r = cmp_status_find(st);
	return r ? r->shown : st;
}

static const char *status_color(const char *st)
{
	const struct cmp_status_row *r = cmp_status_find(st);
	return r ? r->ansi : "\033[36m";
}

static void add_row(struct trow **rows, size_t *n, struct trow r)
{
	*rows = xrealloc(*rows, (*n + 1) * sizeof **rows);
	(*rows)[(*n)++] = r;
}

/* A value of a confounder as the table shows it. */
static void put_value(struct buf *b, json_t *v, const char *none)
{
	buf_printf(b, "%s", json_is_string(v) ? json_string_value(v) : none);
}

/* One line per confounder of a compared cell, appended to *lines (NULL:
 * the cell was not compared). */
static void confounder_lines(json_t *c, struct buf *lines)
{
	json_t *x = json_object_get(c, "confounders");
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(x, "knobs"), i, d) {
		buf_printf(lines, "  knob %s: ", json_str(d, "name", "?"));
		put_value(lines, json_object_get(d, "base"), "(absent)");
		buf_printf(lines, " -> ");
		put_value(lines, json_object_get(d, "new"), "(absent)");
		buf_printf(lines, "\n");
	}
	json_t *cfg = json_object_get(x, "config");
	json_array_foreach(cfg, i, d) {
		buf_printf(lines, "  config %s: ", json_str(d, "name", "?"));
		put_value(lines, json_object_get(d, "base"), "(none)");
		buf_printf(lines, " -> ");
		put_value(lines, json_object_get(d, "new"), "(none)");
		buf_printf(lines, "\n");
	}
}

/* Is line (with its newline) one of the lines of text? */
static int has_line(const char *text, const char *line, size_t len)
{
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (n == len && !memcmp(p, line, len))
			return 1;
		p += n;
	}
	return 0;
}

/* The confounders: those of every compared cell once, then the others of
 * each cell, cells with the same ones together. */
static void print_confounders(FILE *f, json_t *doc)
{
	json_t *cells = json_object_get(doc, "cells");
	size_t n = json_array_size(cells), i, first = n;
	struct buf *all = xcalloc(n + 1, sizeof *all);
	char **rest = xcalloc(n + 1, sizeof *rest);
	json_t *c;
	json_array_foreach(cells, i, c) {
		confounder_lines(c, &all[i]);
		if (json_object_get(c, "confounders") && first == n)
			first = i;
	}
	/* the lines every compared cell has, in the first one's order */
	struct buf common = {0};
	for (const char *p = first < n ? all[first].data : NULL; p && *p;) {
		size_t len = (size_t)(strchr(p, '\n') - p + 1);
		int everywhere = 1;
		json_array_foreach(cells, i, c)
			if (json_object_get(c, "confounders") && !has_line(all[i].data, p, len))
				everywhere = 0;
		if (everywhere)
			buf_append(&common, p, len);
		p += len;
	}
	if (common.len)
		fprintf(f, "\nconfounders (set by neither run, different in the two) on every compared cell:\n%s",
			common.data);
	json_array_foreach(cells, i, c) {
		struct buf r = {0};
		for (const char *p = all[i].data; p && *p;) {
			size_t len = (size_t)(strchr(p, '\n') - p + 1);
			if (!has_line(common.data, p, len))
				buf_append(&r, p, len);
			p += len;
		}
		rest[i] = r.data;
	}
	for (i = 0; i < n; i++) {
		if (!rest[i])
			continue;
		fprintf(f, "\n%s (set by neither run, different in the two) on ",
			common.len ? "more confounders" : "confounders");
		for (size_t j = i, k = 0; j < n; j++)
			if (rest[j] && !strcmp(rest[i], rest[j]))
				fprintf(f, "%s%s", k++ ? ", " : "", json_str(json_array_get(cells, j), "name", "?"));
		fprintf(f, ":\n%s", rest[i]);
		for (size_t j = n; j-- > i;)
			if (rest[j] && !strcmp(rest[i], rest[j])) {
				free(rest[j]);
				rest[j] = NULL;
			}
	}
	size_t unknown = 0, compared = 0;
	json_array_foreach(cells, i, c) {
		json_t *x = json_object_get(c, "confounders");
		compared += x != NULL;
		unknown += x && !json_is_array(json_object_get(x, "config"));
	}
	if (unknown == compared && unknown)
		fprintf(f, "\nnote: the runs do not both record their kernels' build configurations: build "
			   "options are not compared\n");
	else if (unknown)
		fprintf(f, "\nnote: for %zu of the %zu compared cells the runs do not both record the kernels' "
			   "build configurations: build options are not compared there\n",
			unknown, compared);
	for (i = 0; i < n; i++)
		buf_free(&all[i]);
	buf_free(&common);
	free(all);
	free(rest);
}

void compare_print(FILE *f, json_t *doc, int color)
{
	struct trow *rows = NULL;
	size_t nr = 0, i, k;
	json_t *c, *w;
	int flaky = 0;
	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *st = json_string_value(json_object_get(c, "status"));
		char *runs = xasprintf("%lld/%lld",
				       (long long)json_integer_value(json_object_get(json_object_get(c, "base"), "repeats")),
				       (long long)json_integer_value(json_object_get(json_object_get(c, "new"), "repeats")));
		json_t *wl = json_object_get(c, "workloads");
		/* a cell changed by a note alone (SKIP on one side) or by its OOM
		 * episodes shows it on its rows */
		const struct cmp_status_row *cst = cmp_status_find(st);
		int lift = cst && cst->compared && cst != &cmp_status_table[CMP_SAME];
		json_array_foreach(wl, k, w) {
			const char *wstat = json_string_value(json_object_get(w, "status"));
			if (cmp_status_find(wstat) != &cmp_status_table[CMP_SAME])
				lift = 0;
		}
		if (!json_array_size(wl)) {
			struct trow r = {{xstrdup(name), xstrdup("-"), runs, xstrdup("-"), xstrdup("-"),
					  xstrdup("-"), xstrdup("-"), xstrdup(status_word(st))},
					 status_color(st)};
			add_row(&rows, &nr, r);
			continue;
		}
		json_array_foreach(wl, k, w) {
			json_t *ep = json_object_get(w, "endpoint"), *v = json_object_get(w, "victim");
			json_t *t = json_object_get(w, "time_to_oom_s");
			int bf = json_is_true(json_object_get(ep, "base_flaky"));
			int nf = json_is_true(json_object_get(ep, "new_flaky"));
			flaky |= bf | nf;
			const char *wst = json_string_value(json_object_get(w, "status"));
			if (lift)
				wst = st;
			char *tb = fmt_num(json_object_get(t, "base"), "%.2f");
			char *tn = fmt_num(json_object_get(t, "new"), "%.2f");
			struct trow r = {
				{xstrdup(k ? "" : name), xstrdup(json_string_value(json_object_get(w, "name"))),
				 k ? xstrdup("") : xstrdup(runs),
				 fmt_pair_str(json_string_value(json_object_get(ep, "base")),
					      json_string_value(json_object_get(ep, "new")), bf, nf),
				 fmt_mb(json_object_get(w, "mb_reached")),
				 fmt_pair_str(json_is_true(json_object_get(v, "base")) ? "yes" : "no",
					      json_is_true(json_object_get(v, "new")) ? "yes" : "no", 0, 0),
				 !strcmp(tb, "-") && !strcmp(tn, "-") ? xstrdup("-")
								      : xasprintf("%s -> %s", tb, tn),
				 xstrdup(status_word(wst))},
				status_color(wst)};
			free(tb);
			free(tn);
			add_row(&rows, &nr, r);
		}
		free(runs);
	}
	size_t width[NCOL];
	for (int j = 0; j < NCOL; j++)
		width[j] = strlen(col_head[j]);
	for (size_t r = 0; r < nr; r++)
		for (int j = 0; j < NCOL; j++)
			if (strlen(rows[r].col[j]) > width[j])
				width[j] = strlen(rows[r].col[j]);
	if (width[0] > 64)
		width[0] = 64;
	for (int j = 0; j < NCOL - 1; j++)
		fprintf(f, col_right[j] ? "%*s  " : "%-*s  ", (int)width[j], col_head[j]);
	fprintf(f, "%s\n", col_head[NCOL - 1]);
	for (size_t r = 0; r < nr; r++) {
		for (int j = 0; j < NCOL - 1; j++)
			fprintf(f, col_right[j] ? "%*.*s  " : "%-*.*s  ", (int)width[j], (int)width[j],
				rows[r].col[j]);
		fprintf(f, "%s%s%s\n", color ? rows[r].color : "", rows[r].col[NCOL - 1], color ? "\033[0m" : "");
		for (int j = 0; j < NCOL; j++)
			free(rows[r].col[j]);
	}
	free(rows);
	if (flaky)
		fprintf(f, "* repeats of this cell disagree on the endpoint (the most common one is shown)\n");

	/* what changed, row by row */
	int head = 0;
	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *st = json_string_value(json_object_get(c, "status"));
		const struct cmp_status_row *cst = cmp_status_find(st);
		if (cst == &cmp_status_table[CMP_SAME])
			continue;
		if (!head++)
			fprintf(f, "\n");
		if (cst && !cst->compared) {
			json_t *reason = json_object_get(c, "reason");
			fprintf(f, "%s: %s%s%s\n", name, status_word(st), reason ? ": " : "",
				reason ? json_string_value(reason) : "");
			continue;
		}
		json_array_foreach(json_object_get(c, "workloads"), k, w) {
			json_t *rs = json_object_get(w, "reasons");
			if (!json_array_size(rs))
				continue;
			fprintf(f, "%s / %s: ", name, json_string_value(json_object_get(w, "name")));
			size_t m;
			json_t *x;
			json_array_foreach(rs, m, x)
				fprintf(f, "%s%s", m ? "; " : "", json_string_value(x));
			fprintf(f, "\n");
		}
		json_array_foreach(json_object_get(c, "notes"), k, w)
			fprintf(f, "%s: %s\n", name, json_string_value(w));
		compare_episodes_print(f, name, json_object_get(c, "oom_episodes"));
	}

	compare_stats_print(f, doc);
	print_confounders(f, doc);
	compare_findings_print(f, doc, color);

	json_t *s = json_object_get(doc, "summary");
#define G(k) ((long long)json_integer_value(json_object_get(s, k)))
	fprintf(f, "\n%lld compared: %lld regressed, %lld changed, %lld same; %lld only in base, %lld only in new, "
		   "%lld skipped (BROK)\n",
		G("compared"), G("regressed"), G("changed"), G("same"), G("only_base"), G("only_new"),
		G("skipped"));
#undef G
	fprintf(f, "MB tolerance %.0f%% (wider where repeats spread more); time to OOM %.0f%% and never a regression\n",
		json_number_value(json_object_get(doc, "tolerance_pct")),
		json_number_value(json_object_get(doc, "time_tolerance_pct")));
	json_t *st = json_object_get(doc, "statistics");
	if (json_integer_value(json_object_get(st, "cells")))
		fprintf(f, "tested cells: a figure regresses when significant at %g after Holm's correction and beyond "
			   "its tolerance; timings under TCG never do\n",
			json_number_value(json_object_get(st, "alpha")));
	json_t *bd = json_object_get(json_object_get(doc, "base"), "matrix_digest");
	json_t *nd = json_object_get(json_object_get(doc, "new"), "matrix_digest");
	if (json_is_string(bd) && json_is_string(nd) && !json_equal(bd, nd))
		fprintf(f, "note: the runs come from different matrix files (digest %s, %s)\n",
			json_string_value(bd), json_string_value(nd));
	if (json_is_true(json_object_get(json_object_get(doc, "new"), "interrupted")))
		fprintf(f, "warning: the new run was interrupted\n");
	if (json_is_true(json_object_get(json_object_get(doc, "base"), "interrupted")))
		fprintf(f, "warning: the base run was interrupted\n");
}
