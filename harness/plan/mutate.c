// SPDX-License-Identifier: GPL-2.0-or-later
#include "plan/mutate.h"
#include "workloads/wl.h"

#include <stdlib.h>
#include <string.h>

uint64_t mutate_rand(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A value as a note shows it (caller frees). */
static char *shown(json_t *v)
{
	if (!v)
		return xstrdup("default");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	return t ? t : xstrdup("?");
}

/* A workload entry as an object (a new reference). */
static json_t *wl_object(json_t *w)
{
	if (json_is_string(w))
		return json_pack("{s:O}", "name", w);
	return json_deep_copy(w);
}

/* cell's workloads as objects, in a copy of cell (*wls borrowed from it). */
static json_t *copy_cell(json_t *cell, json_t **wls)
{
	json_t *c = json_deep_copy(cell);
	json_t *n = json_array(), *w;
	size_t i;
	json_array_foreach(json_object_get(c, "workloads"), i, w)
		json_array_append_new(n, wl_object(w));
	json_object_set_new(c, "workloads", n);
	*wls = n;
	return c;
}

static const char *wl_name(json_t *w)
{
	const char *s = json_is_string(w) ? json_string_value(w) : json_string_value(json_object_get(w, "name"));
	return s ? s : "?";
}

/* ---- knob: another value of one axis ---- */

static json_t *mut_knob(json_t *cell, const struct mut_space *sp, uint64_t *rng, struct buf *note)
{
	if (!sp->n_ax)
		return NULL;
	size_t first = mutate_rand(rng) % sp->n_ax;
	for (size_t k = 0; k < sp->n_ax; k++) {
		const struct mut_axis *a = &sp->ax[(first + k) % sp->n_ax];
		json_t *cur = json_object_get(cell, a->knob), *nv = NULL;
		if (a->is_range) {
			uint64_t span = (uint64_t)(a->hi - a->lo) + 1;
			if (span < 2)
				continue;
			long long v = a->lo + (long long)(mutate_rand(rng) % span);
			if (json_is_integer(cur) && v == json_integer_value(cur))
				v = v == a->hi ? a->lo : v + 1;
			nv = json_integer(v);
		} else {
			size_t n = json_array_size(a->values);
			if (n < 2)
				continue;
			size_t i = mutate_rand(rng) % n;
			if (json_equal(json_array_get(a->values, i), cur))
				i = (i + 1) % n;
			nv = json_incref(json_array_get(a->values, i));
		}
		json_t *c = json_deep_copy(cell);
		char *from = shown(cur), *to = shown(nv);
		buf_printf(note, "%s %s -> %s", a->knob, from, to);
		free(from);
		free(to);
		json_object_set_new(c, a->knob, nv);
		return c;
	}
	return NULL;
}

/* ---- workloads: add one of the matrix's, drop one ---- */

static json_t *mut_wl_add(json_t *cell, const struct mut_space *sp, uint64_t *rng, struct buf *note)
{
	size_t n = json_array_size(sp->workloads);
	if (!n || json_array_size(json_object_get(cell, "workloads")) >= MUT_MAX_WORKLOADS)
		return NULL;
	json_t *wls, *c = copy_cell(cell, &wls);
	json_t *w = json_array_get(sp->workloads, mutate_rand(rng) % n);
	json_array_append_new(wls, wl_object(w));
	buf_printf(note, "added workloads[%zu] (%s)", json_array_size(wls) - 1, wl_name(w));
	return c;
}

static json_t *mut_wl_drop(json_t *cell, const struct mut_space *sp, uint64_t *rng, struct buf *note)
{
	(void)sp;
	size_t n = json_array_size(json_object_get(cell, "workloads"));
	if (n < 2)
		return NULL;
	size_t i = mutate_rand(rng) % n;
	json_t *wls, *c = copy_cell(cell, &wls);
	buf_printf(note, "dropped workloads[%zu] (%s)", i, wl_name(json_array_get(wls, i)));
	json_array_remove(wls, i);
	return c;
}

/* ---- workload option: a numeric option halved or doubled ---- */

static int numeric(enum wl_opt_type t)
{
	return t == OPT_INT || t == OPT_SIZE_KB || t == OPT_SIZE_MB;
}

static json_t *mut_wl_option(json_t *cell, const struct mut_space *sp, uint64_t *rng, struct buf *note)
{
	(void)sp;
	json_t *wl_in = json_object_get(cell, "workloads");
	size_t n = json_array_size(wl_in);
	if (!n)
		return NULL;
	size_t i = mutate_rand(rng) % n;
	const struct workload *reg = wl_find(wl_name(json_array_get(wl_in, i)));
	size_t nnum = 0;
	for (size_t k = 0; reg && k < reg->n_opts; k++)
		nnum += numeric(reg->opts[k].type);
	if (!nnum)
		return NULL;
	size_t pick = mutate_rand(rng) % nnum, k = 0;
	const struct wl_opt *o = NULL;
	for (k = 0; k < reg->n_opts; k++)
		if (numeric(reg->opts[k].type) && !pick--) {
			o = &reg->opts[k];
			break;
		}
	char *key = xstrdup(o->name);
	for (char *p = key; *p; p++)
		if (*p == '-')
			*p = '_';
	json_t *wls, *c = copy_cell(cell, &wls);
	json_t *w = json_array_get(wls, i), *opts = json_object_get(w, "options");
	if (!opts) {
		opts = json_object();
		json_object_set_new(w, "options", opts);
	}
	json_t *given = json_object_get(opts, key);
	if (!given) {
		given = json_object_get(opts, o->name);
		if (given)
			json_object_del(opts, o->name); /* one spelling */
	}
	long long cur = json_is_integer(given) ? json_integer_value(given) : o->def;
	int up = mutate_rand(rng) & 1;
	long long v = cur == 0 ? 64 : up ? (cur > o->max / 2 ? o->max : cur * 2) : cur / 2;
	if (v < o->min)
		v = o->min;
	if (v > o->max)
		v = o->max;
	if (v == cur) {
		free(key);
		json_decref(c);
		return NULL;
	}
	buf_printf(note, "workloads[%zu] (%s) %s %lld -> %lld", i, wl_name(w), key, cur, v);
	json_object_set_new(opts, key, json_integer(v));
	free(key);
	return c;
}

/* ---- group limit: a memory cgroup's size file halved or doubled ---- */

static int size_limit(const char *k)
{
	static const char *const files[] = {".memory.max", ".memory.high", ".memory.low", ".memory.min",
					    ".memory.swap.max", ".memory.zswap.max"};
	if (strncmp(k, "cgroup.", 7))
		return 0;
	size_t n = strlen(k);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		size_t t = strlen(files[i]);
		if (n > t && !strcmp(k + n - t, files[i]))
			return 1;
	}
	return 0;
}

static json_t *mut_group(json_t *cell, const struct mut_space *sp, uint64_t *rng, struct buf *note)
{
	(void)sp;
	const char *k;
	json_t *v;
	size_t n = 0;
	json_object_foreach(cell, k, v)
		n += size_limit(k) && json_is_integer(v);
	if (!n)
		return NULL;
	size_t pick = mutate_rand(rng) % n;
	int up = mutate_rand(rng) & 1;
	json_object_foreach(cell, k, v) {
		if (!size_limit(k) || !json_is_integer(v) || pick--)
			continue;
		long long cur = json_integer_value(v);
		long long nv = cur == 0 ? 16 : up ? (cur >= 32768 ? 65536 : cur * 2) : (cur > 1 ? cur / 2 : 2);
		json_t *c = json_deep_copy(cell);
		buf_printf(note, "%s %lld -> %lld", k, cur, nv);
		json_object_set_new(c, k, json_integer(nv));
		return c;
	}
	return NULL;
}

/* ---- start delay: a workload starts up to 2 s earlier or later ---- */

#define DELAY_STEP_MS 500

static json_t *mut_delay(json_t *cell, const struct mut_space *sp, uint64_t *rng, struct buf *note)
{
	(void)sp;
	size_t n = json_array_size(json_object_get(cell, "workloads"));
	if (!n)
		return NULL;
	size_t i = mutate_rand(rng) % n;
	long long step = (long long)(mutate_rand(rng) % 8) - 4; /* -4..3, never 0 below */
	if (step >= 0)
		step++;
	json_t *wls, *c = copy_cell(cell, &wls);
	json_t *w = json_array_get(wls, i);
	json_t *sd = json_object_get(w, "start_delay_ms");
	long long cur = json_is_integer(sd) ? json_integer_value(sd) : 0;
	long long v = cur + step * DELAY_STEP_MS;
	if (v < 0)
		v = cur ? 0 : -step * DELAY_STEP_MS;
	buf_printf(note, "workloads[%zu] (%s) start_delay_ms %lld -> %lld", i, wl_name(w), cur, v);
	json_object_set_new(w, "start_delay_ms", json_integer(v));
	return c;
}

const struct mutation mutate_table[] = {
	{"knob", "one knob of the matrix's axes to another value: any integer in its range, or another listed value",
	 mut_knob},
	{"workload-add", "one of the matrix's workloads added at the end (at most 6)", mut_wl_add},
	{"workload-drop", "one workload removed (the last one stays)", mut_wl_drop},
	{"workload-option", "one numeric option of a workload halved or doubled, within its range (0 becomes 64)",
	 mut_wl_option},
	{"group-limit", "one memory cgroup size limit (memory.max, .high, .low, .min, .swap.max, .zswap.max) halved or doubled",
	 mut_group},
	{"start-delay", "one workload's start_delay_ms shifted by -2000..+2000 ms in steps of 500 (not below 0)",
	 mut_delay},
};
const size_t mutate_count = ARRAY_SIZE(mutate_table);

const struct mutation *mutate_find(const char *name)
{
	for (size_t i = 0; i < mutate_count; i++)
		if (!strcmp(mutate_table[i].name, name))
			return &mutate_table[i];
	return NULL;
}

json_t *mutate_cell(json_t *cell, const struct mut_space *sp, uint64_t *rng, const struct mutation **used,
		    struct buf *note)
{
	size_t first = mutate_rand(rng) % mutate_count;
	for (size_t k = 0; k < mutate_count; k++) {
		const struct mutation *m = &mutate_table[(first + k) % mutate_count];
		note->len = 0;
		if (note->data)
			note->data[0] = 0;
		json_t *c = m->apply(cell, sp, rng, note);
		if (c) {
			*used = m;
			return c;
		}
	}
	return NULL;
}
