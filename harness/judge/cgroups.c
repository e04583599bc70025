// SPDX-License-Identifier: GPL-2.0-or-later
/* Memory cgroups observed (judge/cgroups.h). */
#include "judge/cgroups.h"
#include "parse/parse.h"
#include "plan/cgroup.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

/* memory.events counters reported as deltas over the cell */
static const char *const event_keys[] = {"low", "high", "max", "oom", "oom_kill", "oom_group_kill"};

/* A group's time series: the column and where its value comes from. */
enum cg_src { SRC_CURRENT, SRC_SWAP, SRC_STAT, SRC_EVENT, SRC_PSI_SOME, SRC_PSI_FULL };
static const struct cg_col {
	const char *name; /* its key in the group's series */
	enum cg_src src;
	const char *key;  /* SRC_STAT, SRC_EVENT: the key in the file */
} series_cols[] = {
	{"memory.current", SRC_CURRENT, NULL},
	{"memory.swap.current", SRC_SWAP, NULL},
	{"anon", SRC_STAT, "anon"},
	{"file", SRC_STAT, "file"},
	{"shmem", SRC_STAT, "shmem"},
	{"pgscan", SRC_STAT, "pgscan"},
	{"pgsteal", SRC_STAT, "pgsteal"},
	{"workingset_refault_anon", SRC_STAT, "workingset_refault_anon"},
	{"workingset_refault_file", SRC_STAT, "workingset_refault_file"},
	{"kernel", SRC_STAT, "kernel"},
	{"slab", SRC_STAT, "slab"},
	{"sock", SRC_STAT, "sock"},
	{"kernel_stack", SRC_STAT, "kernel_stack"},
	{"pagetables", SRC_STAT, "pagetables"},
	{"events.high", SRC_EVENT, "high"},
	{"events.max", SRC_EVENT, "max"},
	{"events.oom_kill", SRC_EVENT, "oom_kill"},
	{"some_avg10", SRC_PSI_SOME, NULL},
	{"full_avg10", SRC_PSI_FULL, NULL},
};

static json_t *kv_json(const struct kvlist *l)
{
	json_t *o = json_object();
	for (size_t i = 0; i < l->n; i++)
		json_object_set_new(o, l->v[i].key, json_integer(l->v[i].val));
	return o;
}

static json_t *psi_line_json(const struct psi_line *p)
{
	if (!p->present)
		return json_null();
	return json_pack("{s:f,s:f,s:f,s:I}", "avg10", p->avg10, "avg60", p->avg60, "avg300", p->avg300,
			 "total_us", (json_int_t)p->total_us);
}

/* One parsed section as the report's start/end object. */
static json_t *sample_json(const struct cg_sample *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "memory.current", json_integer(s->current));
	if (s->peak >= 0)
		json_object_set_new(o, "memory.peak", json_integer(s->peak));
	if (s->swap_current >= 0)
		json_object_set_new(o, "memory.swap.current", json_integer(s->swap_current));
	json_object_set_new(o, "events", kv_json(&s->events));
	json_object_set_new(o, "stat", kv_json(&s->stat));
	json_object_set_new(o, "pressure",
			    s->has_psi ? json_pack("{s:o,s:o}", "some", psi_line_json(&s->psi.some), "full",
						   psi_line_json(&s->psi.full))
				       : json_null());
	return o;
}

static json_t *col_value(const struct cg_col *c, const struct cg_sample *s)
{
	switch (c->src) {
	case SRC_CURRENT:
		return json_integer(s->current);
	case SRC_SWAP:
		return s->swap_current >= 0 ? json_integer(s->swap_current) : json_null();
	case SRC_STAT:
		return kv_has(&s->stat, c->key) ? json_integer(kv_get(&s->stat, c->key, 0)) : json_null();
	case SRC_EVENT:
		return kv_has(&s->events, c->key) ? json_integer(kv_get(&s->events, c->key, 0)) : json_null();
	case SRC_PSI_SOME:
		return s->has_psi && s->psi.some.present ? json_real(s->psi.some.avg10) : json_null();
	case SRC_PSI_FULL:
		return s->has_psi && s->psi.full.present ? json_real(s->psi.full.avg10) : json_null();
	}
	return json_null();
}

static void push(json_t *series, const char *key, json_t *v)
{
	json_t *a = json_object_get(series, key);
	if (!a) {
		a = json_array();
		json_object_set_new(series, key, a);
	}
	json_array_append_new(a, v);
}

void cg_obs_section(json_t *cgroups, const char *name, size_t nl, const char *data, size_t dl,
		    long long t_ms)
{
	size_t pl = strlen(CG_SECTION_PREFIX);
	if (nl <= pl || memcmp(name, CG_SECTION_PREFIX, pl))
		return;
	char *path = xstrndup(name + pl, nl - pl);
	json_t *g = json_object_get(cgroups, path);
	struct cg_sample s = {0};
	/* the guest's text: only a group name plan/ allows, a sample with a
	 * memory.current, a bounded number of groups */
	if (cg_path_invalid(path) || parse_cg_sample(data, dl, &s) < 0 ||
	    (!g && json_object_size(cgroups) >= CG_OBS_MAX))
		goto out;
	if (!g) {
		g = json_pack("{s:n,s:n,s:I,s:I,s:{}}", "start", "end", "max_current", (json_int_t)-1,
			      "samples", (json_int_t)0, "series");
		json_object_set_new(cgroups, path, g);
	}
	json_t *sj = sample_json(&s);
	if (json_is_null(json_object_get(g, "start")))
		json_object_set(g, "start", sj);
	json_object_set_new(g, "end", sj);
	if (s.current > json_integer_value(json_object_get(g, "max_current")))
		json_object_set_new(g, "max_current", json_integer(s.current));
	json_object_set_new(g, "samples", json_integer(json_integer_value(json_object_get(g, "samples")) + 1));
	json_t *series = json_object_get(g, "series");
	push(series, "t_ms", json_integer(t_ms));
	for (size_t i = 0; i < ARRAY_SIZE(series_cols); i++)
		push(series, series_cols[i].name, col_value(&series_cols[i], &s));
out:
	cg_sample_free(&s);
	free(path);
}

/* "67108864" -> integer, "max" -> "max" */
static json_t *readback_value(const char *got)
{
	long long v;
	if (got && *got && parse_ll(got, &v) == 0)
		return json_integer(v);
	return json_string(got ? got : "");
}

/* The group's files as read back in the guest: status ok or default. */
static json_t *limits_json(const struct cg_spec *g, json_t *knobs)
{
	json_t *lim = json_object();
	for (size_t f = 0; f < cg_file_count; f++) {
		char *name = cg_knob_name(g->path, cg_file_table[f].name);
		for (size_t i = 0; i < json_array_size(knobs); i++) {
			json_t *k = json_array_get(knobs, i);
			const char *nm = json_string_value(json_object_get(k, "name"));
			const char *st = json_string_value(json_object_get(k, "status"));
			if (!nm || strcmp(nm, name) || !st || (strcmp(st, "ok") && strcmp(st, "default")))
				continue;
			json_object_set_new(lim, cg_file_table[f].name,
					    readback_value(json_string_value(json_object_get(k, "got"))));
		}
		free(name);
	}
	return lim;
}

static json_t *event_deltas(json_t *start, json_t *end)
{
	json_t *d = json_object();
	json_t *a = json_object_get(start, "events"), *b = json_object_get(end, "events");
	for (size_t i = 0; i < ARRAY_SIZE(event_keys); i++) {
		json_t *x = json_object_get(a, event_keys[i]), *y = json_object_get(b, event_keys[i]);
		if (json_is_integer(x) && json_is_integer(y))
			json_object_set_new(d, event_keys[i],
					    json_integer(json_integer_value(y) - json_integer_value(x)));
	}
	return d;
}

json_t *cg_report(const struct cell_spec *cs, json_t *obs, json_t *knobs)
{
	if (!cs->n_cg)
		return NULL;
	json_t *r = json_object();
	for (size_t i = 0; i < cs->n_cg; i++) {
		const struct cg_spec *g = &cs->cg[i];
		json_t *ob = obs ? json_object_get(obs, g->path) : NULL;
		json_t *start = ob ? json_object_get(ob, "start") : NULL;
		json_t *end = ob ? json_object_get(ob, "end") : NULL;
		json_t *gr = json_object();
		json_object_set_new(gr, "limits", limits_json(g, knobs));
		json_object_set_new(gr, "start", start ? json_deep_copy(start) : json_null());
		json_object_set_new(gr, "end", end ? json_deep_copy(end) : json_null());
		json_t *peak = end ? json_object_get(end, "memory.peak") : NULL;
		json_t *maxc = ob ? json_object_get(ob, "max_current") : NULL;
		if (peak) {
			json_object_set_new(gr, "peak", json_deep_copy(peak));
			json_object_set_new(gr, "peak_from", json_string("memory.peak"));
		} else if (maxc && json_integer_value(maxc) >= 0) {
			json_object_set_new(gr, "peak", json_deep_copy(maxc));
			json_object_set_new(gr, "peak_from", json_string("memory.current"));
		} else {
			json_object_set_new(gr, "peak", json_null());
			json_object_set_new(gr, "peak_from", json_null());
		}
		json_object_set_new(gr, "current_max", maxc && json_integer_value(maxc) >= 0
							       ? json_deep_copy(maxc)
							       : json_null());
		json_object_set_new(gr, "events", start && end ? event_deltas(start, end) : json_null());
		json_object_set_new(gr, "samples", json_integer(ob ? json_integer_value(json_object_get(ob, "samples")) : 0));
		json_object_set_new(gr, "series", ob ? json_deep_copy(json_object_get(ob, "series")) : json_object());
		json_object_set_new(r, g->path, gr);
	}
	return r;
}
