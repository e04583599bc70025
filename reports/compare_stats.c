// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab compare: the figures of a cell and their tests
 * (reports/compare_stats.h; the rule in docs/compare.md). */
#include "reports/compare_stats.h"
#include "reports/stats.h"
#include "lib/jsonx.h"
#include "lib/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

json_t *compare_victim_event(json_t *c, json_t *w)
{
	json_t *ev = json_object_get(c, "oom_events");
	json_t *idx = json_object_get(w, "oom_event");
	if (json_is_integer(idx) && json_integer_value(idx) >= 0) {
		json_t *e = json_array_get(ev, (size_t)json_integer_value(idx));
		if (e)
			return e;
	}
	json_t *pid = json_object_get(w, "pid");
	if (!json_is_integer(pid))
		return NULL;
	size_t i;
	json_t *e;
	json_array_foreach(ev, i, e)
		if (json_is_true(json_object_get(e, "killed")) &&
		    json_integer_value(json_object_get(e, "victim_pid")) == json_integer_value(pid))
			return e;
	return NULL;
}

/* ---- the figures ---- */

static double num(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static double wl_mb(const struct figure *f, json_t *c, json_t *w)
{
	(void)f;
	(void)c;
	return num(json_object_get(w, "mb_reached"));
}

static double wl_time(const struct figure *f, json_t *c, json_t *w)
{
	(void)f;
	json_t *e = compare_victim_event(c, w);
	json_t *tu = json_object_get(e, "t_us"), *ts = json_object_get(w, "t_spawn_us");
	if (!json_is_integer(tu) || !json_is_integer(ts) || json_integer_value(tu) < json_integer_value(ts))
		return NAN;
	return (double)(json_integer_value(tu) - json_integer_value(ts)) / 1e6;
}

static double wl_hwm(const struct figure *f, json_t *c, json_t *w)
{
	(void)f;
	(void)c;
	return num(json_object_get(w, "vm_hwm_kb")) / 1024.0;
}

static double cell_vmstat(const struct figure *f, json_t *c, json_t *w)
{
	(void)w;
	double e = num(json_object_get(json_object_get(c, "vmstat_end"), f->counter));
	double s = num(json_object_get(json_object_get(c, "vmstat_start"), f->counter));
	return e - s;
}

/* PSI stall time over the cell: the last total sampled less the first. */
static double psi_total(json_t *c, const char *key)
{
	json_t *a = json_object_get(json_object_get(json_object_get(c, "series"), "psi"), key);
	size_t n = json_array_size(a);
	if (!n)
		return NAN;
	return (num(json_array_get(a, n - 1)) - num(json_array_get(a, 0))) / 1e6;
}

static double cell_psi_some(const struct figure *f, json_t *c, json_t *w)
{
	(void)f;
	(void)w;
	return psi_total(c, "some_total_us");
}

static double cell_psi_full(const struct figure *f, json_t *c, json_t *w)
{
	(void)f;
	(void)w;
	return psi_total(c, "full_total_us");
}

/* ---- per memory cgroup: cgroups.<path> of the cell report ---- */

static json_t *group_of(const struct figure *f, json_t *c)
{
	return json_object_get(json_object_get(c, "cgroups"), f->group);
}

static double cg_event(const struct figure *f, json_t *c, json_t *w)
{
	(void)w;
	return num(json_object_get(json_object_get(group_of(f, c), "events"), f->counter));
}

static double cg_stat(const struct figure *f, json_t *c, json_t *w)
{
	(void)w;
	json_t *g = group_of(f, c);
	return num(json_object_get(json_object_get(json_object_get(g, "end"), "stat"), f->counter)) -
	       num(json_object_get(json_object_get(json_object_get(g, "start"), "stat"), f->counter));
}

static double cg_peak(const struct figure *f, json_t *c, json_t *w)
{
	(void)w;
	return num(json_object_get(group_of(f, c), "peak")) / (1024.0 * 1024.0);
}

static double cg_psi(json_t *g, const char *which)
{
	json_t *e = json_object_get(json_object_get(json_object_get(g, "end"), "pressure"), which);
	json_t *s = json_object_get(json_object_get(json_object_get(g, "start"), "pressure"), which);
	return (num(json_object_get(e, "total_us")) - num(json_object_get(s, "total_us"))) / 1e6;
}

static double cg_psi_some(const struct figure *f, json_t *c, json_t *w)
{
	(void)w;
	return cg_psi(group_of(f, c), "some");
}

static double cg_psi_full(const struct figure *f, json_t *c, json_t *w)
{
	(void)w;
	return cg_psi(group_of(f, c), "full");
}

#define TIME_TOL 25.0 /* the time-to-OOM floor of compare.h, for every duration */
#define VMSTAT(k, s) {k, s, "pages", FIG_CELL, 0, 0, cell_vmstat, k, NULL}

const struct figure compare_figure_table[] = {
	{"mb_reached", "MB reached", "MB", FIG_WORKLOAD, 0, 0, wl_mb, NULL, NULL},
	{"time_to_oom_s", "time to OOM", "s", FIG_WORKLOAD, 1, TIME_TOL, wl_time, NULL, NULL},
	{"peak_rss_mb", "peak RSS", "MB", FIG_WORKLOAD, 0, 0, wl_hwm, NULL, NULL},
	VMSTAT("pswpout", "swap out"),
	VMSTAT("pswpin", "swap in"),
	VMSTAT("pgmajfault", "major faults"),
	VMSTAT("workingset_refault_anon", "refaults anon"),
	VMSTAT("workingset_refault_file", "refaults file"),
	VMSTAT("pgscan_kswapd", "pgscan kswapd"),
	VMSTAT("pgscan_direct", "pgscan direct"),
	VMSTAT("pgsteal_kswapd", "pgsteal kswapd"),
	VMSTAT("pgsteal_direct", "pgsteal direct"),
	VMSTAT("compact_stall", "compaction stalls"),
	{"psi_some_s", "PSI some", "s", FIG_CELL, 1, TIME_TOL, cell_psi_some, NULL, NULL},
	{"psi_full_s", "PSI full", "s", FIG_CELL, 1, TIME_TOL, cell_psi_full, NULL, NULL},
	{"cgroup_event", "memory.events", "events", FIG_GROUP, 0, 0, cg_event, NULL, NULL},
	{"cgroup_stat", "memory.stat", "pages", FIG_GROUP, 0, 0, cg_stat, NULL, NULL},
	{"cgroup_peak_mb", "peak", "MB", FIG_GROUP, 0, 0, cg_peak, NULL, NULL},
	{"cgroup_psi_some_s", "PSI some", "s", FIG_GROUP, 1, TIME_TOL, cg_psi_some, NULL, NULL},
	{"cgroup_psi_full_s", "PSI full", "s", FIG_GROUP, 1, TIME_TOL, cg_psi_full, NULL, NULL},
};
const size_t compare_figure_count = sizeof compare_figure_table / sizeof compare_figure_table[0];

/* ---- one cell ---- */

static int tcg(json_t **c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(json_str(json_object_get(c[i], "vm"), "accel", ""), "tcg"))
			return 1;
	return 0;
}

static json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* Does every value of both sides equal the first? Then there is no test. */
static int constant(const double *a, size_t na, const double *b, size_t nb)
{
	double v = na ? a[0] : nb ? b[0] : 0;
	for (size_t i = 0; i < na; i++)
		if (a[i] != v)
			return 0;
	for (size_t i = 0; i < nb; i++)
		if (b[i] != v)
			return 0;
	return 1;
}

static json_t *side_json(const double *x, size_t n)
{
	json_t *v = json_array();
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(v, json_real(x[i]));
		s += x[i];
	}
	return json_pack("{s:I,s:o,s:o}", "n", (json_int_t)n, "mean", real_or_null(n ? s / (double)n : NAN),
			 "values", v);
}

double compare_rel_pct(double b, double n)
{
	if (!isfinite(b) || !isfinite(n))
		return NAN;
	if (b == 0)
		return n == 0 ? 0 : NAN;
	return 100.0 * (n - b) / fabs(b);
}

static json_t *numeric(const struct figure *f, json_t *wname, size_t wi, json_t **cb, size_t nb, json_t **cn,
		       size_t nn, int noisy, const struct cmp_stats_opts *o)
{
	double *a = xcalloc(nb + 1, sizeof *a), *b = xcalloc(nn + 1, sizeof *b);
	size_t ka = 0, kb = 0;
	for (size_t i = 0; i < nb; i++) {
		json_t *w = json_array_get(json_object_get(cb[i], "workloads"), wi);
		double v = f->get(f, cb[i], w);
		if (isfinite(v))
			a[ka++] = v;
	}
	for (size_t i = 0; i < nn; i++) {
		json_t *w = json_array_get(json_object_get(cn[i], "workloads"), wi);
		double v = f->get(f, cn[i], w);
		if (isfinite(v))
			b[kb++] = v;
	}
	json_t *j = NULL;
	if (!ka && !kb)
		goto out;
	j = json_object();
	json_object_set_new(j, "figure", json_string(f->key));
	if (f->scope == FIG_WORKLOAD) {
		json_object_set_new(j, "workload", json_integer((json_int_t)wi));
		json_object_set(j, "name", wname);
	}
	if (f->scope == FIG_GROUP) {
		json_object_set_new(j, "group", json_string(f->group));
		if (f->counter)
			json_object_set_new(j, "counter", json_string(f->counter));
	}
	json_object_set_new(j, "unit", json_string(f->unit));
	json_object_set_new(j, "base", side_json(a, ka));
	json_object_set_new(j, "new", side_json(b, kb));
	double tol = o->tol_pct > f->tol_floor ? o->tol_pct : f->tol_floor;
	json_object_set_new(j, "tolerance_pct", json_real(tol));
	json_object_set_new(j, "noisy", json_boolean(f->timing && noisy));
	struct welch w;
	if ((int)ka < o->min_repeats || (int)kb < o->min_repeats || stats_welch(a, ka, b, kb, &w) < 0) {
		json_object_set_new(j, "verdict", json_string("not_enough_repeats"));
		goto out;
	}
	json_object_set_new(j, "difference", json_real(w.diff));
	json_object_set_new(j, "ci95", json_pack("[o,o]", real_or_null(w.ci_lo), real_or_null(w.ci_hi)));
	json_object_set_new(j, "delta_pct", real_or_null(compare_rel_pct(w.mean_a, w.mean_b)));
	json_object_set_new(j, "base_sd", json_real(w.sd_a));
	json_object_set_new(j, "new_sd", json_real(w.sd_b));
	json_object_set_new(j, "t", real_or_null(w.t));
	json_object_set_new(j, "df", real_or_null(w.df));
	int test = !constant(a, ka, b, kb);
	json_object_set_new(j, "p_welch", test ? json_real(w.p) : json_null());
	struct mannwhitney m;
	if (ka >= COMPARE_MW_REPEATS && kb >= COMPARE_MW_REPEATS && test &&
	    !stats_mann_whitney(a, ka, b, kb, &m)) {
		json_object_set_new(j, "p_mann_whitney", json_real(m.p));
		json_object_set_new(j, "mann_whitney_exact", json_boolean(m.exact));
	} else {
		json_object_set_new(j, "p_mann_whitney", json_null());
		json_object_set_new(j, "mann_whitney_exact", json_null());
	}
	/* beyond the tolerance, as the tolerance rule measures it */
	double d = compare_rel_pct(w.mean_a, w.mean_b);
	int beyond = w.mean_a == 0 ? w.mean_b != 0 : fabs(d) > tol + 1e-9;
	json_object_set_new(j, "beyond_tolerance", json_boolean(beyond));
	json_object_set_new(j, "verdict", json_string(test ? "pending" : "same"));
out:
	free(a);
	free(b);
	return j;
}

/* Endpoint or victim: how many repeats of each side have the base's most
 * common value, with Fisher's exact test. */
static json_t *counted(const char *key, json_t *wname, size_t wi, json_t **cb, size_t nb, json_t **cn,
		       size_t nn, const struct cmp_stats_opts *o)
{
	json_t *vals[2] = {json_array(), json_array()};
	json_t **sides[2] = {cb, cn};
	size_t ns[2] = {nb, nn};
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < ns[s]; i++) {
			json_t *w = json_array_get(json_object_get(sides[s][i], "workloads"), wi);
			if (!strcmp(key, "endpoint"))
				json_array_append(vals[s], json_object_get(w, "endpoint"));
			else
				json_array_append_new(vals[s], json_boolean(compare_victim_event(sides[s][i], w) != NULL));
		}
	/* the base's most common value (ties: the first to get there) */
	json_t *mode = NULL;
	size_t best = 0;
	for (size_t i = 0; i < nb; i++) {
		size_t c = 0;
		for (size_t k = 0; k < nb; k++)
			c += json_equal(json_array_get(vals[0], i), json_array_get(vals[0], k));
		if (c > best) {
			best = c;
			mode = json_array_get(vals[0], i);
		}
	}
	size_t k[2] = {0, 0};
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < ns[s]; i++)
			k[s] += json_equal(json_array_get(vals[s], i), mode);
	json_t *j = json_object();
	json_object_set_new(j, "figure", json_string(key));
	json_object_set_new(j, "workload", json_integer((json_int_t)wi));
	json_object_set(j, "name", wname);
	json_object_set(j, "value", mode ? mode : json_null());
	json_object_set_new(j, "base", json_pack("{s:I,s:I,s:o}", "k", (json_int_t)k[0], "n", (json_int_t)nb,
						 "values", vals[0]));
	json_object_set_new(j, "new", json_pack("{s:I,s:I,s:o}", "k", (json_int_t)k[1], "n", (json_int_t)nn,
						"values", vals[1]));
	json_object_set_new(j, "noisy", json_false());
	if ((int)nb < o->min_repeats || (int)nn < o->min_repeats) {
		json_object_set_new(j, "verdict", json_string("not_enough_repeats"));
		return j;
	}
	int test = !(k[0] == nb && k[1] == nn);
	double p = stats_fisher_2x2((unsigned)k[0], (unsigned)(nb - k[0]), (unsigned)k[1], (unsigned)(nn - k[1]));
	json_object_set_new(j, "p_fisher", test ? json_real(p) : json_null());
	/* the tolerance of a count: the most common value changes */
	json_object_set_new(j, "beyond_tolerance", json_boolean(2 * k[1] < nn || (2 * k[1] == nn && nn)));
	json_object_set_new(j, "verdict", json_string(test ? "pending" : "same"));
	return j;
}

json_t *compare_stats_cell(json_t **cb, size_t nb, json_t **cn, size_t nn, const struct cmp_stats_opts *o)
{
	json_t *figs = json_array();
	int noisy = tcg(cb, nb) || tcg(cn, nn);
	size_t nwl = nb ? json_array_size(json_object_get(cb[0], "workloads")) : 0;
	for (size_t wi = 0; wi < nwl; wi++) {
		json_t *wname = json_object_get(json_array_get(json_object_get(cb[0], "workloads"), wi), "name");
		json_array_append_new(figs, counted("endpoint", wname, wi, cb, nb, cn, nn, o));
		json_array_append_new(figs, counted("victim", wname, wi, cb, nb, cn, nn, o));
		for (size_t f = 0; f < compare_figure_count; f++)
			if (compare_figure_table[f].scope == FIG_WORKLOAD) {
				json_t *j = numeric(&compare_figure_table[f], wname, wi, cb, nb, cn, nn, noisy, o);
				if (j)
					json_array_append_new(figs, j);
			}
	}
	for (size_t f = 0; f < compare_figure_count; f++)
		if (compare_figure_table[f].scope == FIG_CELL) {
			json_t *j = numeric(&compare_figure_table[f], NULL, 0, cb, nb, cn, nn, noisy, o);
			if (j)
				json_array_append_new(figs, j);
		}
	/* each memory cgroup of the base's first repeat: its memory.events
	 * and memory.stat counters, its peak, its PSI */
	const char *path;
	json_t *g;
	json_object_foreach(nb ? json_object_get(cb[0], "cgroups") : NULL, path, g)
		for (size_t f = 0; f < compare_figure_count; f++) {
			struct figure x = compare_figure_table[f];
			if (x.scope != FIG_GROUP)
				continue;
			x.group = path;
			json_t *names = x.get == cg_event ? json_object_get(g, "events")
					: x.get == cg_stat ? json_object_get(json_object_get(g, "end"), "stat")
							    : NULL;
			const char *counter;
			json_t *v;
			if (!names) {
				json_t *j = numeric(&x, NULL, 0, cb, nb, cn, nn, noisy, o);
				if (j)
					json_array_append_new(figs, j);
			}
			json_object_foreach(names, counter, v) {
				x.counter = counter;
				json_t *j = numeric(&x, NULL, 0, cb, nb, cn, nn, noisy, o);
				if (j)
					json_array_append_new(figs, j);
			}
		}
	int enough = (int)nb >= o->min_repeats && (int)nn >= o->min_repeats;
	return json_pack("{s:s,s:b,s:o}", "decided_by", enough ? "statistics" : "tolerance", "noisy_timings",
			 noisy, "figures", figs);
}

/* ---- the run ---- */

static json_t *test_p(json_t *f)
{
	json_t *p = json_object_get(f, "p_welch");
	return json_is_number(p) ? p : json_object_get(f, "p_fisher");
}

size_t compare_stats_decide(json_t *cells, const struct cmp_stats_opts *o, size_t *undecided)
{
	*undecided = 0;
	size_t n = 0, cap = 16, i, k;
	json_t **figs = xcalloc(cap, sizeof *figs), *c, *f;
	json_array_foreach(cells, i, c) {
		json_t *st = json_object_get(c, "statistics");
		if (strcmp(json_str(st, "decided_by", ""), "statistics"))
			continue;
		json_array_foreach(json_object_get(st, "figures"), k, f)
			if (json_is_number(test_p(f))) {
				if (n == cap)
					figs = xrealloc(figs, (cap *= 2) * sizeof *figs);
				figs[n++] = f;
			}
	}
	double *p = xcalloc(n + 1, sizeof *p), *adj = xcalloc(n + 1, sizeof *adj);
	for (i = 0; i < n; i++)
		p[i] = json_number_value(test_p(figs[i]));
	stats_holm(p, n, adj);
	for (i = 0; i < n; i++) {
		json_object_set_new(figs[i], "p_adjusted", json_real(adj[i]));
		int sig = adj[i] <= o->alpha;
		int beyond = json_is_true(json_object_get(figs[i], "beyond_tolerance"));
		int noisy = json_is_true(json_object_get(figs[i], "noisy"));
		/* an endpoint or a victim that changed but is not significant:
		 * too few repeats to say, which a bisect must not take for "same" */
		int counted = json_is_number(json_object_get(figs[i], "p_fisher"));
		const char *v = sig && beyond ? (noisy ? "changed" : "regressed")
				: !sig && beyond && counted ? "changed"
							    : "same";
		*undecided += !sig && beyond && counted;
		json_object_set_new(figs[i], "significant", json_boolean(sig));
		json_object_set_new(figs[i], "verdict", json_string(v));
	}
	free(p);
	free(adj);
	free(figs);
	return n;
}

const struct figure *compare_figure_find(const char *key)
{
	for (size_t i = 0; key && i < compare_figure_count; i++)
		if (!strcmp(compare_figure_table[i].key, key))
			return &compare_figure_table[i];
	return NULL;
}

char *compare_fmt_num(char *buf, size_t n, double v, int digits, int sign)
{
	if (fabs(v) >= 1000 || fabs(v) >= pow(10, digits))
		snprintf(buf, n, sign ? "%+.0f" : "%.0f", v);
	else
		snprintf(buf, n, sign ? "%+.*g" : "%.*g", digits, v);
	return buf;
}

void compare_figure_label(char *buf, size_t n, json_t *f, const struct figure *fig)
{
	json_t *g = json_object_get(f, "group");
	const char *shown = fig ? fig->shown : json_str(f, "figure", "?");
	if (json_is_string(g))
		snprintf(buf, n, "%s %s", json_string_value(g), json_str(f, "counter", shown));
	else
		snprintf(buf, n, "%s", shown);
}

/* A figure's reason: "MB reached 176.7 -> 188.4 MB (+6.6%, 95% CI +11.0..+12.4, p 1.2e-09 adjusted 2.4e-08)" */
static json_t *reason(json_t *f)
{
	const char *key = json_str(f, "figure", "?");
	const struct figure *fig = compare_figure_find(key);
	json_t *b = json_object_get(f, "base"), *n = json_object_get(f, "new");
	double adj = num(json_object_get(f, "p_adjusted"));
	const char *noisy = json_is_true(json_object_get(f, "noisy")) ? ", noisy under TCG" : "";
	if (!fig) /* endpoint, victim */
		return json_sprintf("%s %s: %lld of %lld -> %lld of %lld (Fisher p %.2g, adjusted %.2g%s)", key,
				    json_is_string(json_object_get(f, "value"))
					    ? json_string_value(json_object_get(f, "value"))
					    : json_is_true(json_object_get(f, "value")) ? "killed" : "not killed",
				    (long long)json_integer_value(json_object_get(b, "k")),
				    (long long)json_integer_value(json_object_get(b, "n")),
				    (long long)json_integer_value(json_object_get(n, "k")),
				    (long long)json_integer_value(json_object_get(n, "n")),
				    num(json_object_get(f, "p_fisher")), adj,
				    json_is_true(json_object_get(f, "significant")) ? ""
										: ": not significant, more repeats needed");
	json_t *ci = json_object_get(f, "ci95");
	char label[160];
	compare_figure_label(label, sizeof label, f, fig);
	char mb[32], mn[32], d[32], lo[32], hi[32];
	return json_sprintf("%s %s -> %s %s (%+.1f%%, difference %s, 95%% CI %s..%s, Welch p %.2g, adjusted %.2g%s)",
			    label, compare_fmt_num(mb, sizeof mb, num(json_object_get(b, "mean")), 4, 0),
			    compare_fmt_num(mn, sizeof mn, num(json_object_get(n, "mean")), 4, 0), fig->unit,
			    num(json_object_get(f, "delta_pct")), compare_fmt_num(d, sizeof d, num(json_object_get(f, "difference")), 4, 1),
			    compare_fmt_num(lo, sizeof lo, num(json_array_get(ci, 0)), 4, 1),
			    compare_fmt_num(hi, sizeof hi, num(json_array_get(ci, 1)), 4, 1), num(json_object_get(f, "p_welch")), adj,
			    noisy);
}

int compare_stats_status(json_t *stats, enum fig_scope scope, size_t wi, json_t *reasons)
{
	int st = 0;
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(stats, "figures"), i, f) {
		int is_wl = json_is_integer(json_object_get(f, "workload"));
		if (is_wl != (scope == FIG_WORKLOAD))
			continue;
		if (is_wl && (size_t)json_integer_value(json_object_get(f, "workload")) != wi)
			continue;
		const char *v = json_str(f, "verdict", "");
		int s = !strcmp(v, "regressed") ? 2 : !strcmp(v, "changed") ? 1 : 0;
		if (s)
			json_array_append_new(reasons, reason(f));
		if (s > st)
			st = s;
	}
	return st;
}

/* ---- the text ---- */

static void put_p(char *s, size_t n, json_t *v)
{
	if (json_is_number(v))
		snprintf(s, n, "%.2g", json_number_value(v));
	else
		snprintf(s, n, "-");
}

void compare_stats_print(FILE *f, json_t *doc)
{
	json_t *st = json_object_get(doc, "statistics");
	if (!json_integer_value(json_object_get(st, "cells")))
		return;
	size_t i, k;
	json_t *c, *x;
	fprintf(f, "\nstatistics: Welch's t-test (Fisher's exact test for endpoint and victim), Holm's correction over "
		   "%lld tests, alpha %g:\n",
		(long long)json_integer_value(json_object_get(st, "tests")), json_number_value(json_object_get(st, "alpha")));
	fprintf(f, "%-16s %-10s %-14s %21s %21s %27s %8s %8s %8s  %s\n", "cell", "workload", "figure", "base mean (sd) n",
		"new mean (sd) n", "difference [95% CI]", "p Welch", "p MW", "p adj", "verdict");
	size_t untested = 0, thin = 0;
	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		json_t *s = json_object_get(c, "statistics");
		if (!s)
			continue;
		if (strcmp(json_str(s, "decided_by", ""), "statistics")) {
			thin++;
			continue;
		}
		json_array_foreach(json_object_get(s, "figures"), k, x) {
			json_t *p = test_p(x);
			if (!json_is_number(p)) {
				untested++;
				continue;
			}
			const struct figure *fig = compare_figure_find(json_str(x, "figure", ""));
			json_t *b = json_object_get(x, "base"), *n = json_object_get(x, "new");
			char sb[96], sn[96], sd[128], pw[16], pm[16], pa[16];
			if (fig) {
				char mb[32], mn[32], sdb[32], sdn[32], d0[32], d1[32], d2[32];
				json_t *ci = json_object_get(x, "ci95");
				compare_fmt_num(mb, sizeof mb, num(json_object_get(b, "mean")), 4, 0);
				compare_fmt_num(mn, sizeof mn, num(json_object_get(n, "mean")), 4, 0);
				compare_fmt_num(sdb, sizeof sdb, num(json_object_get(x, "base_sd")), 2, 0);
				compare_fmt_num(sdn, sizeof sdn, num(json_object_get(x, "new_sd")), 2, 0);
				compare_fmt_num(d0, sizeof d0, num(json_object_get(x, "difference")), 3, 1);
				compare_fmt_num(d1, sizeof d1, num(json_array_get(ci, 0)), 3, 1);
				compare_fmt_num(d2, sizeof d2, num(json_array_get(ci, 1)), 3, 1);
				snprintf(sb, sizeof sb, "%s (%s) %lld", mb, sdb,
					 (long long)json_integer_value(json_object_get(b, "n")));
				snprintf(sn, sizeof sn, "%s (%s) %lld", mn, sdn,
					 (long long)json_integer_value(json_object_get(n, "n")));
				snprintf(sd, sizeof sd, "%s [%s, %s]", d0, d1, d2);
				put_p(pw, sizeof pw, p);
				put_p(pm, sizeof pm, json_object_get(x, "p_mann_whitney"));
			} else {
				snprintf(sb, sizeof sb, "%lld of %lld", (long long)json_integer_value(json_object_get(b, "k")),
					 (long long)json_integer_value(json_object_get(b, "n")));
				snprintf(sn, sizeof sn, "%lld of %lld", (long long)json_integer_value(json_object_get(n, "k")),
					 (long long)json_integer_value(json_object_get(n, "n")));
				snprintf(sd, sizeof sd, "Fisher p %.2g", num(p));
				snprintf(pw, sizeof pw, "-");
				snprintf(pm, sizeof pm, "-");
			}
			put_p(pa, sizeof pa, json_object_get(x, "p_adjusted"));
			char label[160];
			compare_figure_label(label, sizeof label, x, fig);
			const char *v = json_str(x, "verdict", "");
			int noisy = json_is_true(json_object_get(x, "noisy"));
			fprintf(f, "%-16.16s %-10.10s %-14s %21s %21s %27s %8s %8s %8s  %s%s\n", json_str(c, "name", "?"),
				json_is_string(json_object_get(x, "name")) ? json_string_value(json_object_get(x, "name")) : "-",
				label, sb, sn, sd, pw, pm, pa,
				!strcmp(v, "regressed") ? "REGRESSED" : !strcmp(v, "changed") ? "CHANGED" : v,
				noisy ? " (noisy: TCG)" : "");
		}
	}
	if (untested)
		fprintf(f, "%zu figures equal in every repeat of both runs: no test\n", untested);
	if (thin)
		fprintf(f, "%zu compared cells with fewer than %lld repeats a side: not enough repeats, decided by the "
			   "tolerance rule\n",
			thin, (long long)json_integer_value(json_object_get(st, "min_repeats")));
}
