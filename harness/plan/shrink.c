// SPDX-License-Identifier: GPL-2.0-or-later
#include "plan/shrink.h"
#include "plan/cgroup.h"
#include "plan/knobs.h"
#include "workloads/wl.h"

#include <stdlib.h>
#include <string.h>

/* The loader's bounds of a cell's timeout_s and its default (plan/matrix.c). */
#define TIMEOUT_MIN_S 5
#define TIMEOUT_DEFAULT_S 120

static json_t *cell_of(json_t *m)
{
	return json_array_get(json_object_get(m, "cells"), 0);
}

/* A copy of m to change, and its cell. */
static json_t *copy(json_t *m, json_t **cell)
{
	json_t *c = json_deep_copy(m);
	*cell = cell_of(c);
	return c;
}

/* A value as a note shows it: an integer or a string as itself, anything
 * else as compact JSON (caller frees). */
static char *shown(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	return t ? t : xstrdup("?");
}

static const char *wl_name_of(json_t *w)
{
	const char *s = json_is_string(w) ? json_string_value(w) : json_string_value(json_object_get(w, "name"));
	return s ? s : "?";
}

/* The registry row of option key ("size_mb" or "size-mb") of workload w. */
static const struct wl_opt *opt_row(const struct workload *w, const char *key)
{
	for (size_t i = 0; w && i < w->n_opts; i++) {
		const char *a = key, *b = w->opts[i].name;
		while (*a && *b && (*a == *b || (*a == '_' && *b == '-')))
			a++, b++;
		if (!*a && !*b)
			return &w->opts[i];
	}
	return NULL;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail);
}

/* ---- workload: drop one (the last one stays) ---- */

static json_t *drop_workload(json_t *m, size_t n, struct buf *note)
{
	json_t *wls = json_object_get(cell_of(m), "workloads");
	if (json_array_size(wls) < 2 || n >= json_array_size(wls))
		return NULL;
	json_t *cell, *c = copy(m, &cell);
	buf_printf(note, "dropped workloads[%zu] (%s)", n, wl_name_of(json_array_get(wls, n)));
	json_array_remove(json_object_get(cell, "workloads"), n);
	return c;
}

/* ---- group: a memory cgroup, its files and its workloads' places ---- */

/* Is path group g or under it? */
static int in_group(const char *path, const char *g)
{
	size_t n = strlen(g);
	return !strncmp(path, g, n) && (!path[n] || path[n] == '/');
}

/* The group of a cell key "cgroup.<group>.<file>" (caller frees), or NULL. */
static char *key_group(const char *key)
{
	char *group = NULL, *why = NULL;
	const struct cg_file *f;
	if (cg_knob_split(key, &group, &f, &why) != 1) {
		free(why);
		free(group);
		return NULL;
	}
	return group;
}

/* The n-th distinct group the cell names (its files first, then its
 * workloads' cgroup), in the order they appear; caller frees. */
static char *nth_group(json_t *cell, size_t n)
{
	json_t *seen = json_array();
	const char *key;
	json_t *v;
	json_object_foreach(cell, key, v) {
		char *g = key_group(key);
		if (g)
			json_array_append_new(seen, json_string(g));
		free(g);
	}
	size_t i;
	json_array_foreach(json_object_get(cell, "workloads"), i, v)
		if (json_is_string(json_object_get(v, "cgroup")))
			json_array_append(seen, json_object_get(v, "cgroup"));
	char *out = NULL;
	size_t k = 0;
	json_array_foreach(seen, i, v) {
		int dup = 0;
		for (size_t j = 0; j < i; j++)
			dup |= json_equal(json_array_get(seen, j), v);
		if (!dup && k++ == n) {
			out = xstrdup(json_string_value(v));
			break;
		}
	}
	json_decref(seen);
	return out;
}

static json_t *drop_group(json_t *m, size_t n, struct buf *note)
{
	char *g = nth_group(cell_of(m), n);
	if (!g)
		return NULL;
	json_t *cell, *c = copy(m, &cell);
	buf_printf(note, "removed group %s:", g);
	const char *key;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(cell, tmp, key, v) {
		char *kg = key_group(key);
		if (kg && in_group(kg, g)) {
			buf_printf(note, " %s", key);
			json_object_del(cell, key);
		}
		free(kg);
	}
	size_t i;
	json_array_foreach(json_object_get(cell, "workloads"), i, v) {
		json_t *cg = json_object_get(v, "cgroup");
		if (json_is_string(cg) && in_group(json_string_value(cg), g)) {
			buf_printf(note, " workloads[%zu].cgroup", i);
			json_object_del(v, "cgroup");
		}
	}
	free(g);
	return c;
}

/* ---- psi_trigger: remove one ---- */

static json_t *drop_psi_trigger(json_t *m, size_t n, struct buf *note)
{
	json_t *pt = json_object_get(cell_of(m), "psi_triggers");
	if (n >= json_array_size(pt))
		return NULL;
	json_t *cell, *c = copy(m, &cell);
	char *t = shown(json_array_get(pt, n));
	buf_printf(note, "removed psi_triggers[%zu] %s", n, t);
	free(t);
	json_array_remove(json_object_get(cell, "psi_triggers"), n);
	if (!json_array_size(json_object_get(cell, "psi_triggers")))
		json_object_del(cell, "psi_triggers");
	return c;
}

/* ---- allow: remove an entry (the matrix's first, then the cell's) ---- */

static json_t *drop_allow(json_t *m, size_t n, struct buf *note)
{
	json_t *top = json_object_get(m, "allow"), *own = json_object_get(cell_of(m), "allow");
	size_t nt = json_array_size(top);
	if (n >= nt + json_array_size(own))
		return NULL;
	json_t *cell, *c = copy(m, &cell);
	json_t *holder = n < nt ? c : cell;
	size_t i = n < nt ? n : n - nt;
	json_t *list = json_object_get(holder, "allow");
	char *t = shown(json_array_get(list, i));
	buf_printf(note, "removed %sallow[%zu] %s", n < nt ? "" : "cells[0].", i, t);
	free(t);
	json_array_remove(list, i);
	if (!json_array_size(list))
		json_object_del(holder, "allow");
	return c;
}

/* ---- sizes and durations (the halve step; the default steps leave one
 * that is below its default, which halving would only undo) ---- */

/* The smallest value the key allows when it is a size or a duration the
 * halve step takes, else -1: a cell's *_mb knob (ram_mb, swap_mb,
 * rlimit_as_mb), a workload's rlimit_as_mb and start_delay_ms, a
 * workload option in KiB or MiB, or one in ms or s (named *-ms, *-s). */
static long long cell_size_min(const char *key)
{
	const struct knob *k = knob_find(key);
	return k && k->type == KNOB_INT && ends_with(key, "_mb") ? k->min : -1;
}

static long long wl_size_min(const char *key)
{
	if (!strcmp(key, "start_delay_ms"))
		return 0;
	const struct knob *k = knob_find(key);
	return k && k->scope == SCOPE_WORKLOAD && k->type == KNOB_INT && ends_with(key, "_mb") ? k->min : -1;
}

static long long option_size_min(const struct wl_opt *o)
{
	if (!o)
		return -1;
	if (o->type == OPT_SIZE_KB || o->type == OPT_SIZE_MB ||
	    (o->type == OPT_INT && (ends_with(o->name, "-ms") || ends_with(o->name, "-s"))))
		return o->min;
	return -1;
}

/* A size or duration v below its default def (KNOB_UNSET: none). */
static int below_default(long long size_min, json_t *v, long long def)
{
	return size_min >= 0 && def != KNOB_UNSET && json_is_integer(v) && json_integer_value(v) < def;
}

/* ---- knob: a knob of the cell back to its default (its key removed) ---- */

static int cell_knob_key(const char *key)
{
	return knob_find(key) || !strcmp(key, "mode") || !strcmp(key, "sample_ms");
}

static json_t *knob_default(json_t *m, size_t n, struct buf *note)
{
	const char *key;
	json_t *v;
	size_t k = 0;
	json_object_foreach(cell_of(m), key, v) {
		const struct knob *kn = knob_find(key);
		if (!cell_knob_key(key) || (kn && below_default(cell_size_min(key), v, kn->def)) || k++ != n)
			continue;
		json_t *cell, *c = copy(m, &cell);
		char *t = shown(v);
		buf_printf(note, "%s %s -> default", key, t);
		free(t);
		json_object_del(cell, key);
		return c;
	}
	return NULL;
}

/* ---- option: a workload's option or own knob back to its default ---- */

/* A workload key that goes back to its default when removed: a
 * per-workload knob (rlimit_as_mb, oom_score_adj) or start_delay_ms. */
static int wl_knob_key(const char *key)
{
	const struct knob *k = knob_find(key);
	return (k && k->scope == SCOPE_WORKLOAD) || !strcmp(key, "start_delay_ms");
}

static json_t *option_default(json_t *m, size_t n, struct buf *note)
{
	size_t i, k = 0;
	json_t *w;
	json_array_foreach(json_object_get(cell_of(m), "workloads"), i, w) {
		const struct workload *reg = wl_find(wl_name_of(w));
		const char *key;
		json_t *v;
		json_object_foreach(json_object_get(w, "options"), key, v) {
			const struct wl_opt *o = opt_row(reg, key);
			if ((o && o->required) || (o && below_default(option_size_min(o), v, o->def)) || k++ != n)
				continue;
			json_t *cell, *c = copy(m, &cell);
			char *t = shown(v);
			buf_printf(note, "workloads[%zu] (%s): option %s %s -> default", i, wl_name_of(w), key, t);
			free(t);
			json_t *opts = json_object_get(json_array_get(json_object_get(cell, "workloads"), i), "options");
			json_object_del(opts, key);
			return c;
		}
		json_object_foreach(w, key, v) {
			if (!wl_knob_key(key) || k++ != n)
				continue;
			json_t *cell, *c = copy(m, &cell);
			char *t = shown(v);
			buf_printf(note, "workloads[%zu] (%s): %s %s -> default", i, wl_name_of(w), key, t);
			free(t);
			json_object_del(json_array_get(json_object_get(cell, "workloads"), i), key);
			return c;
		}
	}
	return NULL;
}

/* ---- halve: a size or a duration ---- */

/* Can v (an integer) be halved within min, and not to 0 (which often
 * means "no limit")? Its half in *h. */
static int halvable(json_t *v, long long min, long long *h)
{
	if (min < 0 || !json_is_integer(v) || json_integer_value(v) <= 0)
		return 0;
	*h = json_integer_value(v) / 2;
	return *h >= min && *h >= 1;
}

/* Set obj.key to h in a copy of m; obj is found again in the copy by
 * workload index wi (-1: the cell) and, for an option, in its options. */
static json_t *halved(json_t *m, long long wi, int option, const char *key, long long h)
{
	json_t *cell, *c = copy(m, &cell);
	json_t *obj = cell;
	if (wi >= 0)
		obj = json_array_get(json_object_get(cell, "workloads"), (size_t)wi);
	if (option)
		obj = json_object_get(obj, "options");
	json_object_set_new(obj, key, json_integer(h));
	return c;
}

static json_t *halve(json_t *m, size_t n, struct buf *note)
{
	size_t k = 0, i;
	long long h;
	const char *key;
	json_t *v, *w;
	json_object_foreach(cell_of(m), key, v) {
		if (!halvable(v, cell_size_min(key), &h) || k++ != n)
			continue;
		buf_printf(note, "halved %s %lld -> %lld", key, (long long)json_integer_value(v), h);
		return halved(m, -1, 0, key, h);
	}
	json_array_foreach(json_object_get(cell_of(m), "workloads"), i, w) {
		const struct workload *reg = wl_find(wl_name_of(w));
		json_object_foreach(json_object_get(w, "options"), key, v) {
			if (!halvable(v, option_size_min(opt_row(reg, key)), &h) || k++ != n)
				continue;
			buf_printf(note, "workloads[%zu] (%s): halved option %s %lld -> %lld", i, wl_name_of(w), key,
				   (long long)json_integer_value(v), h);
			return halved(m, (long long)i, 1, key, h);
		}
		json_object_foreach(w, key, v) {
			if (!halvable(v, wl_size_min(key), &h) || k++ != n)
				continue;
			buf_printf(note, "workloads[%zu] (%s): halved %s %lld -> %lld", i, wl_name_of(w), key,
				   (long long)json_integer_value(v), h);
			return halved(m, (long long)i, 0, key, h);
		}
	}
	return NULL;
}

/* ---- timeout: halve the cell's timeout ---- */

static json_t *halve_timeout(json_t *m, size_t n, struct buf *note)
{
	json_t *t = json_object_get(cell_of(m), "timeout_s");
	long long v = json_is_integer(t) ? json_integer_value(t) : TIMEOUT_DEFAULT_S;
	if (n || v / 2 < TIMEOUT_MIN_S)
		return NULL;
	json_t *cell, *c = copy(m, &cell);
	buf_printf(note, "timeout_s %lld -> %lld", v, v / 2);
	json_object_set_new(cell, "timeout_s", json_integer(v / 2));
	return c;
}

/* Cheapest first: fewer workloads make every later run shorter, and a
 * value is halved only once it is known not to go back to its default. */
const struct shrink_step shrink_table[] = {
	{"workload", "drop a workload (the last one stays)", drop_workload},
	{"group", "remove a memory cgroup: its files and its workloads' \"cgroup\"", drop_group},
	{"psi_trigger", "remove a PSI trigger", drop_psi_trigger},
	{"allow", "remove an entry of allow: the matrix's, then the cell's", drop_allow},
	{"knob", "a knob of the cell (also mode, sample_ms) back to its default", knob_default},
	{"option", "a workload's option, rlimit_as_mb, oom_score_adj or start_delay_ms back to its default",
	 option_default},
	{"halve", "halve a size or a duration: a *_mb knob, a workload's option in KiB, MiB, ms or s, "
		  "its rlimit_as_mb or start_delay_ms",
	 halve},
	{"timeout", "halve timeout_s (120 when not given), not below 5", halve_timeout},
};
const size_t shrink_count = ARRAY_SIZE(shrink_table);

const struct shrink_step *shrink_find(const char *name)
{
	for (size_t i = 0; i < shrink_count; i++)
		if (!strcmp(shrink_table[i].name, name))
			return &shrink_table[i];
	return NULL;
}
