// SPDX-License-Identifier: GPL-2.0-or-later
/* One cell in HTML: its plots and its section of the run report. */
#include "reports/html/page.h"
#include "reports/html/episodes.h"
#include "lib/jsonx.h"
#include "lib/vocab.h"
#include "reports/markup.h"
#include "reports/html/svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Series of the cell-wide plots: report key under series.<group>, legend,
 * colour, divisor to the plotted unit. */
struct line_def {
	const char *group, *key, *legend, *color;
	double div;
};

static const struct line_def memory_lines[] = {
	{"meminfo", "MemFree", "MemFree", "#1f77b4", 1024},
	{"meminfo", "MemAvailable", "MemAvailable", "#2ca02c", 1024},
	{"meminfo", "Cached", "Cached", "#9467bd", 1024},
	{"meminfo", "SwapFree", "SwapFree", "#ff7f0e", 1024},
};
static const struct line_def commit_lines[] = {
	{"meminfo", "Committed_AS", "Committed_AS", "#d62728", 1024},
	{"meminfo", "CommitLimit", "CommitLimit", "#17becf", 1024},
};
/* memory the kernel holds for processes and cannot reclaim nor swap
 * (the kmem workload grows each) */
static const struct line_def kernel_lines[] = {
	{"meminfo", "Slab", "Slab", "#9467bd", 1024},
	{"meminfo", "SUnreclaim", "SUnreclaim", "#d62728", 1024},
	{"meminfo", "KernelStack", "KernelStack", "#2ca02c", 1024},
	{"meminfo", "PageTables", "PageTables", "#ff7f0e", 1024},
};
static const struct line_def psi_lines[] = {
	{"psi", "some_avg10", "some avg10", "#8c564b", 1},
	{"psi", "full_avg10", "full avg10", "#e377c2", 1},
};
/* per workload: key under workloads[i].series */
static const struct line_def wl_lines[] = {
	{NULL, "VmRSS_kb", "VmRSS", NULL, 1024},
	{NULL, "VmSwap_kb", "VmSwap", NULL, 1024},
};
static const char *const wl_colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
					"#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

static const struct {
	const char *title, *ylabel;
	const struct line_def *lines;
	size_t n;
	int y0;
} cell_plots[] = {
	{"Memory", "MB", memory_lines, ARRAY_SIZE(memory_lines), 1},
	{"Commit: Committed_AS vs CommitLimit", "MB", commit_lines, ARRAY_SIZE(commit_lines), 1},
	{"Kernel memory: slab, kernel stacks, page tables", "MB", kernel_lines, ARRAY_SIZE(kernel_lines), 1},
	{"Memory pressure (PSI)", "% of time stalled", psi_lines, ARRAY_SIZE(psi_lines), 1},
};

/* Reclaim, as mmtests draws it: vmstat counters sampled over time
 * (series.vmstat), each drawn as its rate per second between samples. */
static const struct line_def reclaim_lines[] = {
	{"vmstat", "pgscan_kswapd", "pgscan kswapd", "#1f77b4", 1},
	{"vmstat", "pgsteal_kswapd", "pgsteal kswapd", "#2ca02c", 1},
	{"vmstat", "pgscan_direct", "pgscan direct", "#d62728", 1},
	{"vmstat", "pgsteal_direct", "pgsteal direct", "#ff7f0e", 1},
};
static const struct line_def swapfault_lines[] = {
	{"vmstat", "pswpout", "pswpout", "#ff7f0e", 1},
	{"vmstat", "pswpin", "pswpin", "#1f77b4", 1},
	{"vmstat", "workingset_refault_anon", "refault anon", "#d62728", 1},
	{"vmstat", "workingset_refault_file", "refault file", "#9467bd", 1},
	{"vmstat", "compact_stall", "compaction stalls", "#8c564b", 1},
};
static const struct {
	const char *title, *ylabel;
	const struct line_def *lines;
	size_t n;
} rate_plots[] = {
	{"Reclaim: pages scanned and stolen", "pages/s", reclaim_lines, ARRAY_SIZE(reclaim_lines)},
	{"Swap, refaults and compaction stalls", "per s", swapfault_lines, ARRAY_SIZE(swapfault_lines)},
};
/* reclaim efficiency: pages stolen per page scanned, by whom */
static const struct {
	const char *steal, *scan, *legend, *color;
} efficiency_lines[] = {
	{"pgsteal_kswapd", "pgscan_kswapd", "kswapd", "#1f77b4"},
	{"pgsteal_direct", "pgscan_direct", "direct", "#d62728"},
};

#define XLABEL "time since guest boot (s)"
#define XLABEL_ALIGNED "time since the first workload started (s)"

/* Numbers of a JSON array divided by div (null and non-numbers: NaN). */
static double *numbers(json_t *a, double div, size_t *n)
{
	*n = json_array_size(a);
	double *v = xcalloc(*n ? *n : 1, sizeof *v);
	for (size_t i = 0; i < *n; i++) {
		json_t *x = json_array_get(a, i);
		v[i] = json_is_number(x) ? json_number_value(x) / div : NAN;
	}
	return v;
}

/* A plot being assembled: owned arrays and strings, freed together. */
struct plot_acc {
	struct svg_series *s;
	size_t ns;
	struct svg_marker *m;
	size_t nm;
	void **owned;
	size_t nowned;
};

static void *own(struct plot_acc *a, void *p)
{
	a->owned = xrealloc(a->owned, (a->nowned + 1) * sizeof *a->owned);
	a->owned[a->nowned++] = p;
	return p;
}

static void add_series(struct plot_acc *a, json_t *t, double t0, json_t *y, double div, char *name,
		       const char *color, int dashed)
{
	size_t nx, ny;
	double *x = own(a, numbers(t, 1000, &nx));
	for (size_t i = 0; i < nx; i++)
		x[i] -= t0;
	double *v = own(a, numbers(y, div, &ny));
	own(a, name);
	a->s = xrealloc(a->s, (a->ns + 1) * sizeof *a->s);
	a->s[a->ns++] = (struct svg_series){name, color, x, v, nx < ny ? nx : ny, dashed};
}

static void add_marker(struct plot_acc *a, double x, char *label, char *tip, const char *kind)
{
	own(a, label);
	own(a, tip);
	a->m = xrealloc(a->m, (a->nm + 1) * sizeof *a->m);
	a->m[a->nm++] = (struct svg_marker){x, label, tip, kind};
}

static void acc_free(struct plot_acc *a)
{
	for (size_t i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	free(a->owned);
	free(a->s);
	free(a->m);
	memset(a, 0, sizeof *a);
}

static char *prefixed(const char *label, const char *name)
{
	return label ? xasprintf("%s: %s", label, name) : xstrdup(name);
}

/* OOM kills and allocation failures of a cell, as markers (times less
 * t0 seconds). */
static void add_events(struct plot_acc *a, json_t *cell, const char *label, double t0)
{
	json_t *wls = json_object_get(cell, "workloads");
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(cell, "oom_events"), i, e) {
		json_t *t = json_object_get(e, "t_us");
		if (!json_is_integer(t))
			continue;
		json_t *wi = json_object_get(e, "victim_workload");
		struct buf who = {0};
		if (json_is_integer(wi)) {
			json_t *w = json_array_get(wls, (size_t)json_integer_value(wi));
			buf_printf(&who, ", workload #%lld %s", (long long)json_integer_value(wi), json_str(w, "name", "?"));
		}
		char *tip = xasprintf("%s%sOOM kill at %.2f s: pid %lld (%s)%s, total-vm %lld kB, anon-rss "
				      "%lld kB, oom_score_adj %lld, %s",
				      label ? label : "", label ? ": " : "", (double)json_integer_value(t) / 1e6,
				      (long long)json_integer_value(json_object_get(e, "victim_pid")),
				      json_str(e, "victim_comm", "?"), who.data ? who.data : "",
				      (long long)json_integer_value(json_object_get(e, "total_vm_kb")),
				      (long long)json_integer_value(json_object_get(e, "anon_rss_kb")),
				      (long long)json_integer_value(json_object_get(e, "victim_oom_score_adj")),
				      json_str(e, "constraint", "?"));
		buf_free(&who);
		json_t *mc = json_object_get(e, "memcg");
		const char *lim = json_string_value(json_object_get(mc, "oom_memcg"));
		if (lim) { /* which group hit its limit */
			char *t2 = xasprintf("%s, limit of memory cgroup %s", tip, lim);
			free(tip);
			tip = t2;
		}
		add_marker(a, (double)json_integer_value(t) / 1e6 - t0, prefixed(label, "OOM"), tip, "oom");
	}
	json_array_foreach(json_object_get(cell, "alloc_failures"), i, e) {
		json_t *t = json_object_get(e, "t_us");
		if (!json_is_integer(t))
			continue;
		char *tip = xasprintf("%s%spage allocation failure at %.2f s: %s, order %lld, mode %s", label ? label : "",
				      label ? ": " : "", (double)json_integer_value(t) / 1e6, json_str(e, "comm", "?"),
				      (long long)json_integer_value(json_object_get(e, "order")), json_str(e, "mode", "?"));
		add_marker(a, (double)json_integer_value(t) / 1e6 - t0, prefixed(label, "alloc fail"), tip,
			   "allocfail");
	}
	/* kernel findings, at the time of their first line */
	json_array_foreach(json_object_get(cell, "findings"), i, e) {
		json_t *t = json_object_get(e, "t_us");
		if (!json_is_integer(t))
			continue;
		char *tip = xasprintf("%s%s%s at %.2f s: %s, %lld time%s, %s", label ? label : "", label ? ": " : "",
				      json_str(e, "title", "?"), (double)json_integer_value(t) / 1e6,
				      json_str(e, "kind", "?"), (long long)json_integer_value(json_object_get(e, "count")),
				      json_integer_value(json_object_get(e, "count")) == 1 ? "" : "s",
				      json_is_true(json_object_get(e, "allowed")) ? "allowed" : "not allowed");
		add_marker(a, (double)json_integer_value(t) / 1e6 - t0, prefixed(label, json_str(e, "kind", "?")),
			   tip, "finding");
	}
	/* a userspace OOM killer's signals (user_oom, only in a cell that runs one) */
	json_array_foreach(json_object_get(json_object_get(cell, "user_oom"), "events"), i, e) {
		json_t *t = json_object_get(e, "t_us");
		if (!json_is_integer(t))
			continue;
		char *tip = xasprintf("%s%s%s sent %s at %.2f s to pid %lld (%s), badness %lld, VmRSS %lld MiB",
				      label ? label : "", label ? ": " : "", json_str(e, "killer", "?"),
				      json_str(e, "signal", "?"), (double)json_integer_value(t) / 1e6,
				      (long long)json_integer_value(json_object_get(e, "victim_pid")),
				      json_str(e, "victim_comm", "?"),
				      (long long)json_integer_value(json_object_get(e, "badness")),
				      (long long)json_integer_value(json_object_get(e, "vmrss_mb")));
		add_marker(a, (double)json_integer_value(t) / 1e6 - t0, prefixed(label, json_str(e, "killer", "?")),
			   tip, "uoom");
	}
	/* PSI trigger firings (psi_triggers, only in a cell that registers some) */
	json_t *trs = json_object_get(json_object_get(cell, "psi_triggers"), "triggers");
	json_array_foreach(json_object_get(json_object_get(cell, "psi_triggers"), "events"), i, e) {
		json_t *t = json_object_get(e, "t_us");
		if (!json_is_integer(t))
			continue;
		json_t *tr = json_array_get(trs, (size_t)json_integer_value(json_object_get(e, "trigger")));
		/* a trigger on a memory cgroup names its group */
		const char *g = json_string_value(json_object_get(tr, "cgroup"));
		char *name = xasprintf("PSI %s%s%s", json_str(tr, "kind", "?"), g ? " " : "", g ? g : "");
		char *tip = xasprintf("%s%sPSI trigger %lld fired at %.2f s: %s %lld ms in %lld ms%s%s%s",
				      label ? label : "", label ? ": " : "",
				      (long long)json_integer_value(json_object_get(e, "trigger")),
				      (double)json_integer_value(t) / 1e6, json_str(tr, "kind", "?"),
				      (long long)json_integer_value(json_object_get(tr, "stall_ms")),
				      (long long)json_integer_value(json_object_get(tr, "window_ms")),
				      g ? " on " : "", g ? g : "", g ? "'s memory.pressure" : "");
		add_marker(a, (double)json_integer_value(t) / 1e6 - t0, prefixed(label, name), tip, "psi");
		free(name);
	}
}

static int has_swap(json_t *cell)
{
	json_t *st = json_object_get(json_object_get(cell, "meminfo_start"), "SwapTotal");
	return json_integer_value(st) > 0;
}

/* When the first workload of a cell started, in seconds since boot (0 if
 * unknown). */
static double first_spawn_s(json_t *cell)
{
	json_t *t = json_object_get(json_array_get(json_object_get(cell, "workloads"), 0), "t_spawn_us");
	return json_is_integer(t) ? (double)json_integer_value(t) / 1e6 : 0;
}

/* A limit of a group's "limits" (bytes) in MB, or NaN when it is "max"
 * or not there. */
static double limit_mb(json_t *group, const char *file)
{
	json_t *v = json_object_get(json_object_get(group, "limits"), file);
	return json_is_integer(v) ? (double)json_integer_value(v) / (1024.0 * 1024.0) : NAN;
}

/* A horizontal line at y MB over the times of t (ms), less t0 s. */
static void add_level(struct plot_acc *a, json_t *t, double t0, double y, char *name, const char *color)
{
	size_t nt = json_array_size(t);
	if (nt == 0 || isnan(y)) {
		free(name);
		return;
	}
	double *x = own(a, xcalloc(2, sizeof *x)), *v = own(a, xcalloc(2, sizeof *v));
	x[0] = json_number_value(json_array_get(t, 0)) / 1000 - t0;
	x[1] = json_number_value(json_array_get(t, nt - 1)) / 1000 - t0;
	v[0] = v[1] = y;
	own(a, name);
	a->s = xrealloc(a->s, (a->ns + 1) * sizeof *a->s);
	a->s[a->ns++] = (struct svg_series){name, color, x, v, 2, 1};
}

/* Memory cgroups: one plot per group (of the first cell that has it),
 * its memory.current against its memory.high and memory.max. */
static void cgroup_plots(struct buf *b, json_t *const *cells, const char *const *label, size_t n,
			 const double *t0, const char *xlabel)
{
	static const struct {
		const char *file, *legend, *color;
	} levels[] = {
		{"memory.high", "memory.high", "#ff7f0e"},
		{"memory.max", "memory.max", "#d62728"},
	};
	for (size_t c0 = 0; c0 < n; c0++) {
		const char *path;
		json_t *g0;
		json_object_foreach(json_object_get(cells[c0], "cgroups"), path, g0) {
			int seen = 0;
			for (size_t e = 0; e < c0; e++)
				seen |= json_object_get(json_object_get(cells[e], "cgroups"), path) != NULL;
			if (seen)
				continue;
			struct plot_acc a = {0};
			for (size_t c = c0; c < n; c++) {
				json_t *g = json_object_get(json_object_get(cells[c], "cgroups"), path);
				json_t *gs = json_object_get(g, "series");
				json_t *t = json_object_get(gs, "t_ms");
				json_t *y = json_object_get(gs, "memory.current");
				if (!g || !json_is_array(y))
					continue;
				const char *lb = n > 1 ? label[c] : NULL;
				add_series(&a, t, t0[c], y, 1024.0 * 1024.0, prefixed(lb, "memory.current"),
					   "#1f77b4", c > c0);
				for (size_t l = 0; l < ARRAY_SIZE(levels); l++)
					add_level(&a, t, t0[c], limit_mb(g, levels[l].file),
						  prefixed(lb, levels[l].legend), levels[l].color);
				add_events(&a, cells[c], lb, t0[c]);
			}
			char *title = xasprintf("cgroup %s: memory.current vs memory.high, memory.max", path);
			struct svg_plot sp = {.title = title, .xlabel = xlabel, .ylabel = "MB",
					      .series = a.s, .n_series = a.ns, .markers = a.m,
					      .n_markers = a.nm, .y_from_zero = 1};
			svg_plot(b, &sp);
			free(title);
			acc_free(&a);
		}
	}
}

void html_cell_plots(struct buf *b, json_t *const *cells, const char *const *label, size_t n)
{
	/* cells of several runs booted in different times: their curves are
	 * drawn from the moment their first workload started */
	double t0[8] = {0};
	if (n > ARRAY_SIZE(t0))
		n = ARRAY_SIZE(t0);
	for (size_t c = 0; n > 1 && c < n; c++)
		t0[c] = first_spawn_s(cells[c]);
	const char *xlabel = n > 1 ? XLABEL_ALIGNED : XLABEL;
	for (size_t p = 0; p < ARRAY_SIZE(cell_plots); p++) {
		struct plot_acc a = {0};
		for (size_t c = 0; c < n; c++) {
			json_t *series = json_object_get(cells[c], "series");
			json_t *t = json_object_get(series, "t_ms");
			for (size_t l = 0; l < cell_plots[p].n; l++) {
				const struct line_def *d = &cell_plots[p].lines[l];
				if (!strcmp(d->key, "SwapFree") && !has_swap(cells[c]))
					continue;
				json_t *y = json_object_get(json_object_get(series, d->group), d->key);
				if (!json_is_array(y))
					continue;
				add_series(&a, t, t0[c], y, d->div, prefixed(n > 1 ? label[c] : NULL, d->legend),
					   d->color, c > 0);
			}
			add_events(&a, cells[c], n > 1 ? label[c] : NULL, t0[c]);
		}
		struct svg_plot sp = {.title = cell_plots[p].title, .xlabel = xlabel, .ylabel = cell_plots[p].ylabel,
				      .series = a.s, .n_series = a.ns, .markers = a.m, .n_markers = a.nm,
				      .y_from_zero = cell_plots[p].y0};
		svg_plot(b, &sp);
		acc_free(&a);
	}
	/* every workload's RSS and swap */
	struct plot_acc a = {0};
	size_t colour = 0;
	for (size_t c = 0; c < n; c++) {
		size_t i;
		json_t *w;
		json_array_foreach(json_object_get(cells[c], "workloads"), i, w) {
			json_t *ws = json_object_get(w, "series");
			json_t *t = json_object_get(ws, "t_ms");
			const char *col = wl_colors[(n > 1 ? i : colour++) % ARRAY_SIZE(wl_colors)];
			for (size_t l = 0; l < ARRAY_SIZE(wl_lines); l++) {
				if (!strcmp(wl_lines[l].key, "VmSwap_kb") && !has_swap(cells[c]))
					continue;
				json_t *y = json_object_get(ws, wl_lines[l].key);
				if (!json_is_array(y))
					continue;
				char *nm = xasprintf("%s%s#%zu %s %s", n > 1 ? label[c] : "", n > 1 ? ": " : "", i,
						     json_str(w, "name", "?"), wl_lines[l].legend);
				add_series(&a, t, t0[c], y, wl_lines[l].div, nm, col, c > 0 || l > 0);
			}
		}
		add_events(&a, cells[c], n > 1 ? label[c] : NULL, t0[c]);
	}
	struct svg_plot sp = {.title = "Workloads: resident and swapped", .xlabel = xlabel, .ylabel = "MB",
			      .series = a.s, .n_series = a.ns, .markers = a.m, .n_markers = a.nm, .y_from_zero = 1};
	svg_plot(b, &sp);
	acc_free(&a);
	cgroup_plots(b, cells, label, n, t0, xlabel);
}

/* The samples of a counter as its rate per second (NaN at the first
 * sample, where the time does not advance or the counter goes back). */
static double *rates(json_t *t, json_t *y, size_t *n)
{
	size_t nt, ny;
	double *ts = numbers(t, 1000, &nt), *v = numbers(y, 1, &ny);
	*n = nt < ny ? nt : ny;
	double *r = xcalloc(*n ? *n : 1, sizeof *r);
	for (size_t i = 0; i < *n; i++) {
		double dt = i ? ts[i] - ts[i - 1] : 0, dv = i ? v[i] - v[i - 1] : NAN;
		r[i] = dt > 0 && dv >= 0 ? dv / dt : NAN;
	}
	free(ts);
	free(v);
	return r;
}

static void add_points(struct plot_acc *a, json_t *t, double *y, size_t n, char *name, const char *color)
{
	size_t nx;
	double *x = own(a, numbers(t, 1000, &nx));
	own(a, y);
	own(a, name);
	a->s = xrealloc(a->s, (a->ns + 1) * sizeof *a->s);
	a->s[a->ns++] = (struct svg_series){name, color, x, y, nx < n ? nx : n, 0};
}

/* The reclaim plots of one cell: scan and steal rates, reclaim efficiency,
 * swap, refaults and compaction stalls, with the cell's events. */
static void reclaim_plots(struct buf *b, json_t *cell)
{
	json_t *series = json_object_get(cell, "series"), *t = json_object_get(series, "t_ms");
	json_t *vm = json_object_get(series, "vmstat");
	for (size_t p = 0; p < ARRAY_SIZE(rate_plots); p++) {
		struct plot_acc a = {0};
		for (size_t l = 0; l < rate_plots[p].n; l++) {
			const struct line_def *d = &rate_plots[p].lines[l];
			json_t *y = json_object_get(vm, d->key);
			if (!json_is_array(y))
				continue;
			size_t n;
			double *r = rates(t, y, &n);
			add_points(&a, t, r, n, xstrdup(d->legend), d->color);
		}
		add_events(&a, cell, NULL, 0);
		struct svg_plot sp = {.title = rate_plots[p].title, .xlabel = XLABEL, .ylabel = rate_plots[p].ylabel,
				      .series = a.s, .n_series = a.ns, .markers = a.m, .n_markers = a.nm,
				      .y_from_zero = 1};
		svg_plot(b, &sp);
		acc_free(&a);
	}
	struct plot_acc a = {0};
	for (size_t l = 0; l < ARRAY_SIZE(efficiency_lines); l++) {
		json_t *st = json_object_get(vm, efficiency_lines[l].steal), *sc = json_object_get(vm, efficiency_lines[l].scan);
		if (!json_is_array(st) || !json_is_array(sc))
			continue;
		size_t ns, nc;
		double *rs = rates(t, st, &ns), *rc = rates(t, sc, &nc);
		size_t n = ns < nc ? ns : nc;
		for (size_t i = 0; i < n; i++)
			rs[i] = rc[i] > 0 ? 100.0 * rs[i] / rc[i] : NAN;
		free(rc);
		add_points(&a, t, rs, n, xstrdup(efficiency_lines[l].legend), efficiency_lines[l].color);
	}
	add_events(&a, cell, NULL, 0);
	struct svg_plot sp = {.title = "Reclaim efficiency: stolen / scanned", .xlabel = XLABEL, .ylabel = "%",
			      .series = a.s, .n_series = a.ns, .markers = a.m, .n_markers = a.nm, .y_from_zero = 1,
			      .y_max_floor = 100};
	svg_plot(b, &sp);
	acc_free(&a);
}

static double num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void workloads_table(struct buf *b, json_t *cell)
{
	buf_printf(b, "<table class=\"workloads\"><tr><th>#</th><th>workload</th><th>options, figures</th><th>endpoint</th>"
		      "<th>predicted</th><th>MB reached</th><th>accepted MB</th><th>prediction vs "
		      "observation</th><th>verdict</th></tr>\n");
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(cell, "workloads"), i, w) {
		json_t *pr = json_object_get(w, "predicted");
		const char *ep = json_string_value(json_object_get(w, "endpoint"));
		double lo = num(pr, "mb_min"), hi = num(pr, "mb_max"), mb = num(w, "mb_reached");
		buf_printf(b, "<tr><td class=\"n\">%zu</td><td>", i);
		html_val(b, json_object_get(w, "name"));
		buf_printf(b, "</td><td>");
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(w, "options"), k, v) {
			markup_esc(b, k);
			buf_printf(b, "=");
			html_val(b, v);
			buf_printf(b, " ");
		}
		/* the workload's own figures (oomlab-metric lines) */
		json_object_foreach(json_object_get(w, "metrics"), k, v) {
			buf_printf(b, "<br><span class=\"note\">");
			markup_esc(b, k);
			buf_printf(b, " = ");
			html_val(b, v);
			buf_printf(b, "</span>");
		}
		buf_printf(b, "</td><td><span class=\"chip %s\">%s</span></td><td>", html_endpoint_class(ep),
			   html_endpoint_label(ep));
		html_val(b, json_object_get(pr, "endpoint"));
		size_t j;
		json_t *x;
		json_array_foreach(json_object_get(pr, "also"), j, x) {
			buf_printf(b, " or ");
			html_val(b, x);
		}
		buf_printf(b, "</td><td class=\"n\">");
		if (isfinite(mb))
			buf_printf(b, "%.0f", mb);
		else
			buf_printf(b, "-");
		buf_printf(b, "</td><td class=\"n\">");
		if (isfinite(lo) && isfinite(hi))
			buf_printf(b, "%.0f..%.0f", lo, hi);
		else
			buf_printf(b, "not checked");
		buf_printf(b, "</td><td>");
		double scale = fmax(isfinite(hi) ? hi : 0, isfinite(mb) ? mb : 0) * 1.1;
		const char *v_ = json_string_value(json_object_get(w, "verdict"));
		const struct verdict_row *vr = verdict_find(v_);
		svg_range_bar(b, lo, hi, mb, scale, vr && vr->verdict == V_PASS);
		buf_printf(b, "</td><td>");
		html_verdict(b, v_);
		buf_printf(b, " ");
		html_val(b, json_object_get(w, "verdict_reason"));
		if (json_is_object(json_object_get(w, "output"))) {
			buf_printf(b, " <a href=\"#cell-");
			markup_esc(b, json_str(json_object_get(cell, "cell"), "id", "?"));
			buf_printf(b, "-output-%zu\">its output</a>", i);
		}
		buf_printf(b, "<br><span class=\"note\">rule: ");
		html_val(b, json_object_get(pr, "rule"));
		buf_printf(b, "</span></td></tr>\n");
	}
	buf_printf(b, "</table>\n");
}

/* What a program of the user's printed (its workload's "output": exec),
 * head and tail, open when it failed; the workloads table links here. */
static void output_blocks(struct buf *b, json_t *cell, const char *id)
{
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(cell, "workloads"), i, w) {
		json_t *o = json_object_get(w, "output");
		if (!json_is_object(o))
			continue;
		const char *ep = json_string_value(json_object_get(w, "endpoint"));
		long long skipped = (long long)json_integer_value(json_object_get(o, "skipped_bytes"));
		json_t *code = json_object_get(json_object_get(w, "exit"), "code");
		buf_printf(b, "<details id=\"cell-");
		markup_esc(b, id);
		buf_printf(b, "-output-%zu\"%s><summary>Output of workload #%zu (", i,
			   ep && !strcmp(ep, "failed") ? " open" : "", i);
		html_val(b, json_object_get(w, "name"));
		buf_printf(b, "): %lld bytes", (long long)json_integer_value(json_object_get(o, "bytes")));
		if (json_is_integer(code))
			buf_printf(b, ", exit code %lld (ok_exit %lld)", (long long)json_integer_value(code),
				   (long long)json_integer_value(json_object_get(w, "ok_exit")));
		buf_printf(b, "</summary><pre>");
		markup_esc(b, json_str(o, "head", ""));
		if (skipped > 0)
			buf_printf(b, "</pre><p class=\"note\">... %lld bytes left out ...</p><pre>", skipped);
		markup_esc(b, json_str(o, "tail", ""));
		buf_printf(b, "</pre></details>\n");
	}
}

/* Columns of the event tables: heading, report key, how to show it. */
enum col_fmt { C_TEXT, C_NUM, C_SECONDS, C_KB_AS_MB, C_WORKLOAD, C_GFP };

struct column {
	const char *head, *key;
	enum col_fmt fmt;
};

static const struct column oom_cols[] = {
	{"time (s)", "t_us", C_SECONDS},
	{"victim pid", "victim_pid", C_NUM},
	{"process", "victim_comm", C_TEXT},
	{"workload", NULL, C_WORKLOAD},
	{"total-vm MB", "total_vm_kb", C_KB_AS_MB},
	{"anon-rss MB", "anon_rss_kb", C_KB_AS_MB},
	{"file-rss MB", "file_rss_kb", C_KB_AS_MB},
	{"shmem-rss MB", "shmem_rss_kb", C_KB_AS_MB},
	{"page tables MB", "pgtables_kb", C_KB_AS_MB},
	{"oom_score_adj", "victim_oom_score_adj", C_NUM},
	{"constraint", "constraint", C_TEXT},
	{"kind", "oom_kind", C_TEXT},
	{"invoked by", "invoker_comm", C_TEXT},
	{"gfp, order", "gfp_flags", C_GFP},
};

static const struct column allocfail_cols[] = {
	{"time (s)", "t_us", C_SECONDS},
	{"process", "comm", C_TEXT},
	{"order", "order", C_NUM},
	{"mode", "mode_flags", C_TEXT},
};

/* "#0 alloc", "child of #1 stressng", or "-" */
static void victim_workload(struct buf *b, json_t *e, json_t *wls)
{
	json_t *wi = json_object_get(e, "victim_workload");
	json_t *ci = json_object_get(e, "victim_child_of");
	json_t *idx = json_is_integer(wi) ? wi : ci;
	if (!json_is_integer(idx)) {
		buf_printf(b, "-");
		return;
	}
	buf_printf(b, "%s#%lld ", idx == ci ? "child of " : "", (long long)json_integer_value(idx));
	html_val(b, json_object_get(json_array_get(wls, (size_t)json_integer_value(idx)), "name"));
}

/* A memcg OOM report's size in MB; "max" for the kernel's no-limit
 * (PAGE_COUNTER_MAX pages: 9007199254740988 kB on x86-64) */
static void memcg_mb(struct buf *b, json_t *v)
{
	if (json_is_integer(v) && json_integer_value(v) >= (1LL << 50))
		buf_printf(b, "max");
	else if (json_is_integer(v))
		buf_printf(b, "%.1f", (double)json_integer_value(v) / 1024);
	else
		buf_printf(b, "-");
}

/* Which group each OOM kill came from: a table of the events that have a
 * "memcg" object (cell.schema.json), none when no event has one. */
static void memcg_table(struct buf *b, json_t *events, json_t *wls)
{
	static const char *const head[] = {"time (s)", "victim pid", "process", "workload", "limit hit in",
					   "victim's group", "usage MB", "limit MB", "failcnt", "swap MB",
					   "swap limit MB", "memory.oom.group"};
	size_t i, n = 0;
	json_t *e;
	json_array_foreach(events, i, e) {
		json_t *m = json_object_get(e, "memcg");
		if (!json_is_object(m))
			continue;
		if (!n++) {
			buf_printf(b, "<h3>OOM kills in memory cgroups</h3>\n<table class=\"oom\"><tr>");
			for (size_t k = 0; k < ARRAY_SIZE(head); k++)
				buf_printf(b, "<th>%s</th>", head[k]);
			buf_printf(b, "</tr>\n");
		}
		buf_printf(b, "<tr><td class=\"n\">%.2f</td><td class=\"n\">",
			   (double)json_integer_value(json_object_get(e, "t_us")) / 1e6);
		html_val(b, json_object_get(e, "victim_pid"));
		buf_printf(b, "</td><td>");
		html_val(b, json_object_get(e, "victim_comm"));
		buf_printf(b, "</td><td>");
		victim_workload(b, e, wls);
		buf_printf(b, "</td><td>");
		html_val(b, json_object_get(m, "oom_memcg"));
		buf_printf(b, "</td><td>");
		html_val(b, json_object_get(m, "task_memcg"));
		static const char *const kb[] = {"usage_kb", "limit_kb", "failcnt", "swap_usage_kb", "swap_limit_kb"};
		for (size_t k = 0; k < ARRAY_SIZE(kb); k++) {
			buf_printf(b, "</td><td class=\"n\">");
			if (k == 2)
				html_val(b, json_object_get(m, kb[k]));
			else
				memcg_mb(b, json_object_get(m, kb[k]));
		}
		buf_printf(b, "</td><td>");
		json_t *g = json_object_get(m, "oom_group");
		if (json_is_string(g)) {
			buf_printf(b, json_is_true(json_object_get(m, "group_member")) ? "member of " : "victim, kills ");
			html_val(b, g);
		} else {
			buf_printf(b, "-");
		}
		buf_printf(b, "</td></tr>\n");
	}
	if (n)
		buf_printf(b, "</table>\n");
}

static void event_table(struct buf *b, json_t *events, json_t *wls, const struct column *cols, size_t nc,
			const char *cls)
{
	buf_printf(b, "<table class=\"%s\"><tr>", cls);
	for (size_t k = 0; k < nc; k++)
		buf_printf(b, "<th>%s</th>", cols[k].head);
	buf_printf(b, "</tr>\n");
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e) {
		buf_printf(b, "<tr>");
		for (size_t k = 0; k < nc; k++) {
			json_t *v = cols[k].key ? json_object_get(e, cols[k].key) : NULL;
			enum col_fmt f = cols[k].fmt;
			buf_printf(b, "<td%s>", f == C_TEXT || f == C_WORKLOAD ? "" : f == C_GFP ? " class=\"gfp\"" : " class=\"n\"");
			if (f == C_SECONDS && json_is_integer(v))
				buf_printf(b, "%.2f", (double)json_integer_value(v) / 1e6);
			else if (f == C_KB_AS_MB && json_is_number(v))
				buf_printf(b, "%.1f", json_number_value(v) / 1024);
			else if (f == C_WORKLOAD)
				victim_workload(b, e, wls);
			else
				html_val(b, v);
			if (f == C_GFP) {
				buf_printf(b, ", ");
				html_val(b, json_object_get(e, "order"));
			}
			buf_printf(b, "</td>");
		}
		buf_printf(b, "</tr>\n");
	}
	buf_printf(b, "</table>\n");
}

/* Under the OOM table: the largest unreclaimable slab caches of each
 * event whose report listed them (nothing for the others). */
static void slab_notes(struct buf *b, json_t *events)
{
	size_t i, k;
	json_t *e, *c;
	json_array_foreach(events, i, e) {
		json_t *s = json_object_get(e, "unreclaimable_slab");
		if (!json_is_object(s))
			continue;
		buf_printf(b, "<p class=\"note\">OOM kill %zu: unreclaimable slab %.1f MB in %lld caches; largest:", i + 1,
			   (double)json_integer_value(json_object_get(s, "total_kb")) / 1024.0,
			   (long long)json_integer_value(json_object_get(s, "caches")));
		json_array_foreach(json_object_get(s, "top"), k, c) {
			buf_printf(b, "%s ", k ? "," : "");
			html_val(b, json_object_get(c, "name"));
			buf_printf(b, " %.1f MB", (double)json_integer_value(json_object_get(c, "total_kb")) / 1024.0);
		}
		buf_printf(b, "</p>\n");
	}
}

static void knobs_table(struct buf *b, json_t *cell)
{
	buf_printf(b, "<details><summary>Knobs: requested and read back in the guest</summary>"
		      "<table><tr><th>knob</th><th>path</th><th>wanted</th><th>read back</th><th>status</th></tr>\n");
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(cell, "knobs"), i, k) {
		static const char *const cols[] = {"name", "path", "want", "got", "status"};
		buf_printf(b, "<tr>");
		for (size_t c = 0; c < ARRAY_SIZE(cols); c++) {
			buf_printf(b, "<td>");
			html_val(b, json_object_get(k, cols[c]));
			buf_printf(b, "</td>");
		}
		buf_printf(b, "</tr>\n");
	}
	buf_printf(b, "</table></details>\n");
}

/* The cell's kernel findings: title, kind, time, count, allowed or not,
 * the call trace's frames and the raw report (folded). */
static void findings_block(struct buf *b, json_t *cell)
{
	json_t *fs = json_object_get(cell, "findings");
	if (!json_array_size(fs))
		return;
	buf_printf(b, "<h3>Kernel findings</h3>\n<table class=\"findings\"><tr><th>title</th><th>kind</th>"
		      "<th>time (s)</th><th>count</th><th>allowed</th><th>frames</th></tr>\n");
	size_t i, k;
	json_t *f, *v;
	json_array_foreach(fs, i, f) {
		int ok = json_is_true(json_object_get(f, "allowed"));
		buf_printf(b, "<tr%s><td>", ok ? "" : " class=\"regressed\"");
		html_val(b, json_object_get(f, "title"));
		buf_printf(b, "</td><td>");
		html_val(b, json_object_get(f, "kind"));
		json_t *t = json_object_get(f, "t_us");
		if (json_is_integer(t))
			buf_printf(b, "</td><td class=\"n\">%.2f", (double)json_integer_value(t) / 1e6);
		else
			buf_printf(b, "</td><td class=\"n\">-");
		buf_printf(b, "</td><td class=\"n\">");
		html_val(b, json_object_get(f, "count"));
		buf_printf(b, "</td><td>");
		if (ok) {
			buf_printf(b, "yes");
			if (json_is_string(json_object_get(f, "allowed_by"))) {
				buf_printf(b, " (");
				html_val(b, json_object_get(f, "allowed_by"));
				buf_printf(b, ")");
			}
		} else {
			buf_printf(b, "no");
		}
		buf_printf(b, "</td><td>");
		json_array_foreach(json_object_get(f, "frames"), k, v) {
			if (!json_is_string(v))
				continue;
			buf_printf(b, "%s<code>", k ? " " : "");
			html_val(b, v);
			buf_printf(b, "</code>");
		}
		buf_printf(b, "</td></tr>\n");
		if (json_is_string(json_object_get(f, "raw"))) {
			buf_printf(b, "<tr><td colspan=\"6\"><details><summary>kernel report%s</summary><pre>",
				   json_is_true(json_object_get(f, "raw_truncated")) ? " (truncated)" : "");
			markup_esc(b, json_string_value(json_object_get(f, "raw")));
			buf_printf(b, "</pre></details></td></tr>\n");
		}
	}
	buf_printf(b, "</table>\n");
}

void html_cell_section(struct buf *b, json_t *cell, const char *file_base)
{
	json_t *ci = json_object_get(cell, "cell");
	const char *id = json_str(ci, "id", "?");
	buf_printf(b, "<section class=\"cell\" id=\"cell-");
	markup_esc(b, id);
	buf_printf(b, "\"><h2>");
	html_val(b, json_object_get(ci, "name"));
	buf_printf(b, " ");
	html_verdict(b, json_string_value(json_object_get(cell, "verdict")));
	buf_printf(b, "</h2>\n<p>");
	html_val(b, json_object_get(cell, "verdict_reason"));
	buf_printf(b, "</p>\n<p class=\"note\">kernel ");
	html_val(b, json_object_get(json_object_get(cell, "kernel"), "release"));
	json_t *vm = json_object_get(cell, "vm");
	buf_printf(b, ", %lld MiB RAM, %lld CPU, swap %lld MB, ", (long long)json_integer_value(json_object_get(vm, "ram_mb")),
		   (long long)json_integer_value(json_object_get(vm, "cpus")),
		   (long long)json_integer_value(json_object_get(vm, "swap_mb")));
	html_val(b, json_object_get(vm, "mode"));
	buf_printf(b, ", %s, sampled every %lld ms; files: ", json_str(vm, "accel", "?"),
		   (long long)json_integer_value(json_object_get(vm, "sample_ms")));
	static const char *const files[] = {"console", "stream"};
	json_t *fl = json_object_get(cell, "files");
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		const char *f = json_string_value(json_object_get(fl, files[i]));
		if (!f)
			continue;
		buf_printf(b, "<a href=\"");
		char *rel = xasprintf("cells/%s", f);
		html_href(b, file_base, rel);
		free(rel);
		buf_printf(b, "\">%s</a>, ", files[i]);
	}
	char *rel = xasprintf("cells/%s.json", id);
	buf_printf(b, "<a href=\"");
	html_href(b, file_base, rel);
	free(rel);
	buf_printf(b, "\">cell report (JSON)</a></p>\n");
	if (json_is_string(json_object_get(cell, "harness_error"))) {
		buf_printf(b, "<p class=\"warn\">harness: ");
		html_val(b, json_object_get(cell, "harness_error"));
		buf_printf(b, "</p>\n");
	}
	findings_block(b, cell);
	workloads_table(b, cell);
	output_blocks(b, cell, id);
	json_t *c1[] = {cell};
	html_cell_plots(b, c1, NULL, 1);
	reclaim_plots(b, cell);
	buf_printf(b, "<h3>OOM killer</h3>\n");
	json_t *wls = json_object_get(cell, "workloads");
	json_t *ev = json_object_get(cell, "oom_events"), *af = json_object_get(cell, "alloc_failures");
	if (json_array_size(ev)) {
		event_table(b, ev, wls, oom_cols, ARRAY_SIZE(oom_cols), "oom");
		memcg_table(b, ev, wls);
		slab_notes(b, ev);
		html_episodes_table(b, cell);
	} else
		buf_printf(b, "<p>No OOM kill.</p>\n");
	if (json_array_size(af)) {
		buf_printf(b, "<h3>Page allocation failures</h3>\n");
		event_table(b, af, wls, allocfail_cols, ARRAY_SIZE(allocfail_cols), "allocfail");
	}
	json_t *kl = json_object_get(cell, "kernel_log");
	if (json_is_true(json_object_get(kl, "panic"))) {
		buf_printf(b, "<p class=\"warn\">kernel panic: ");
		html_val(b, json_object_get(kl, "panic_msg"));
		buf_printf(b, "</p>\n");
	}
	knobs_table(b, cell);
	const char *tail = json_string_value(json_object_get(cell, "console_tail"));
	if (tail) {
		buf_printf(b, "<details><summary>Console, last lines</summary><pre>");
		markup_esc(b, tail);
		buf_printf(b, "</pre></details>\n");
	}
	buf_printf(b, "</section>\n");
}
