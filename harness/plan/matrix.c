// SPDX-License-Identifier: GPL-2.0-or-later
#include "plan/matrix.h"
#include "lib/vocab.h"
#include "plan/cgroup.h"
#include "plan/wlreg.h"
#include "workloads/wl.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ctx {
	const char *file;
	struct file_scope files; /* where the files the matrix names may be */
	struct buf *err;
};

/* Append s with control bytes as \xNN: messages quote the user's file
 * (keys, values, jansson's "near '...'"), and stay one line of plain text. */
static void put_printable(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 || ch == 0x7f)
			buf_printf(b, "\\x%02x", ch);
		else
			buf_append(b, s, 1);
	}
}

__attribute__((format(printf, 3, 4))) static int fail(struct ctx *c, const char *jpath,
						       const char *fmt, ...)
{
	va_list ap;
	char msg[1024];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	buf_printf(c->err, "%s: ", c->file);
	put_printable(c->err, jpath);
	buf_printf(c->err, ": ");
	put_printable(c->err, msg);
	return -1;
}

static const char *const top_keys[] = {"name", "description", "timeout_s", "sample_ms", "base",
				       "workloads", "mode", "axes", "exclude", "include", "cells",
				       "repeat", "psi_triggers", "stall", "allow", NULL};
const char *const matrix_cell_keys[] = {"name", "workloads", "mode", "timeout_s", "sample_ms",
				       "psi_triggers", "stall", "allow", NULL};
const char *const matrix_wl_keys[] = {"name", "options", "rlimit_as_mb", "oom_score_adj",
				      "start_delay_ms", "expect", "cgroup", NULL};

static int in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (!strcmp(*l, s))
			return 1;
	return 0;
}

static char *list_str(const char *const *l)
{
	struct buf b = {0};
	for (const char *const *p = l; *p; p++)
		buf_printf(&b, "%s%s", p == l ? "" : ", ", *p);
	return b.data;
}

static int safe_text(const char *s)
{
	for (; *s; s++)
		if (*s == '\t' || *s == '\n' || *s == '\r')
			return 0;
	return 1;
}

static int get_int(struct ctx *c, const char *jpath, json_t *v, long long min, long long max,
		   long long *out)
{
	if (!json_is_integer(v))
		return fail(c, jpath, "must be an integer in %lld..%lld", min, max);
	long long x = json_integer_value(v);
	if (x < min || x > max)
		return fail(c, jpath, "%lld is out of range (allowed %lld..%lld)", x, min, max);
	*out = x;
	return 0;
}

static int check_sysctl_map(struct ctx *c, const char *jpath, json_t *v)
{
	if (!json_is_object(v))
		return fail(c, jpath, "must be an object of sysctl name -> value");
	const char *name;
	json_t *val;
	json_object_foreach(v, name, val) {
		char *sub = xasprintf("%s.%s", jpath, name);
		const char *why = NULL;
		char *p = sysctl_path(name, &why);
		int bad = 0;
		if (!p)
			bad = fail(c, sub, "bad sysctl name: %s", why);
		else if (!(json_is_integer(val) ||
			   (json_is_string(val) && safe_text(json_string_value(val)))))
			bad = fail(c, sub, "value must be an integer or a one-line string");
		free(p);
		free(sub);
		if (bad)
			return -1;
	}
	return 0;
}

/* A map of the knob's own keys (mthp_enabled: size -> mode), each value
 * one of its choices. */
static int check_keyed_map(struct ctx *c, const char *jpath, const struct knob *k, json_t *v)
{
	char *keys = list_str(k->keys), *choices = list_str(k->choices);
	int bad = 0;
	const char *name;
	json_t *val;
	if (!json_is_object(v) || !json_object_size(v))
		bad = fail(c, jpath, "must be an object of key -> value (keys: %s; values: %s)", keys,
			   choices);
	else json_object_foreach(v, name, val) {
		if (bad)
			break;
		char *sub = xasprintf("%s.%s", jpath, name);
		if (!in_list(k->keys, name))
			bad = fail(c, sub, "unknown key (allowed: %s)", keys);
		else if (!json_is_string(val) || !in_list(k->choices, json_string_value(val)))
			bad = fail(c, sub, "must be one of: %s", choices);
		free(sub);
	}
	free(keys);
	free(choices);
	return bad ? -1 : 0;
}

/* Check one knob value against the table. */
static int check_knob(struct ctx *c, const char *jpath, const struct knob *k, json_t *v)
{
	long long dummy;
	switch (k->type) {
	case KNOB_INT:
		return get_int(c, jpath, v, k->min, k->max, &dummy);
	case KNOB_ENUM:
		if (json_is_string(v)) {
			for (const char *const *ch = k->choices; *ch; ch++)
				if (!strcmp(*ch, json_string_value(v)))
					return 0;
		}
		{
			char *l = list_str(k->choices);
			fail(c, jpath, "must be one of: %s", l);
			free(l);
		}
		return -1;
	case KNOB_STRING:
		if (!json_is_string(v) || !safe_text(json_string_value(v)) ||
		    !*json_string_value(v))
			return fail(c, jpath, "must be a non-empty string without tabs or newlines");
		return 0;
	case KNOB_MAP:
		return k->keys ? check_keyed_map(c, jpath, k, v) : check_sysctl_map(c, jpath, v);
	}
	return -1;
}

/* A key that is a group file "cgroup.<group>.<file>" (plan/cgroup.h):
 * 0 if it is one with a good value, -1 (reported) if it is a bad one, 1
 * if it is no group file at all. */
static int check_cg_knob(struct ctx *c, const char *jpath, const char *key, json_t *v)
{
	char *group = NULL, *why = NULL;
	const struct cg_file *f;
	int r = cg_knob_split(key, &group, &f, &why);
	free(group);
	if (r == 0)
		return 1;
	if (r < 0) {
		fail(c, jpath, "%s", why);
		free(why);
		return -1;
	}
	const char *bad = cg_value_invalid(f, v);
	return bad ? fail(c, jpath, "%s", bad) : 0;
}

/* Merge the knob keys of `src` (an object that may also hold non-knob keys
 * from `extra`) into `dst` after checking them. */
static int merge_knobs(struct ctx *c, const char *jpath, json_t *src, const char *const *extra,
		       json_t *dst)
{
	if (!json_is_object(src))
		return fail(c, jpath, "must be an object");
	const char *key;
	json_t *v;
	json_object_foreach(src, key, v) {
		if (extra && in_list(extra, key))
			continue;
		char *sub = xasprintf("%s.%s", jpath, key);
		const struct knob *k = knob_find(key);
		int r = k ? check_knob(c, sub, k, v) : check_cg_knob(c, sub, key, v);
		if (r == 1) {
			char *allowed = NULL;
			struct buf b = {0};
			if (extra)
				for (const char *const *e = extra; *e; e++)
					buf_printf(&b, "%s, ", *e);
			buf_printf(&b, "or a knob (oomlab knobs lists them)");
			allowed = b.data;
			r = fail(c, sub, "unknown key (allowed: %s)", allowed);
			free(allowed);
		}
		free(sub);
		if (r)
			return -1;
		json_object_set(dst, key, v);
	}
	return 0;
}

static char *slug(const char *s)
{
	char *o = xmalloc(strlen(s) + 1);
	size_t n = 0;
	for (; *s; s++) {
		char ch = *s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			o[n++] = ch;
		else if (ch >= 'A' && ch <= 'Z')
			o[n++] = (char)(ch - 'A' + 'a');
		else if (n && o[n - 1] != '-')
			o[n++] = '-';
	}
	while (n && o[n - 1] == '-')
		n--;
	o[n] = 0;
	if (n > 80)
		o[80] = 0;
	return o;
}

/* Land the value v of knob k (checked; NULL: not given, the knob's def)
 * in its field of the struct at base (knobs.h, .offset). */
static void land(const struct knob *k, void *base, json_t *v)
{
	char *field = (char *)base + k->offset;
	switch (k->type) {
	case KNOB_INT:
		*(long long *)field = v ? json_integer_value(v) : k->def;
		break;
	case KNOB_ENUM: {
		int idx = (int)k->def;
		for (int i = 0; v && k->choices[i]; i++)
			if (!strcmp(k->choices[i], json_string_value(v)))
				idx = i;
		*(int *)field = idx;
		break;
	}
	case KNOB_STRING:
		*(char **)field = v ? xstrdup(json_string_value(v)) : NULL;
		break;
	case KNOB_MAP:
		break; /* guest sets only */
	}
}

/* dflt holds only the cell's values of the SCOPE_WORKLOAD knobs (the rest
 * zero): a workload starts from them and its own keys override them. */
static int load_workload(struct ctx *c, const char *jpath, json_t *w, size_t index,
			 const struct wl_spec *dflt, struct wl_spec *out)
{
	*out = *dflt;
	if (json_is_string(w)) {
		json_t *o = json_pack("{s:s}", "name", json_string_value(w));
		int r = load_workload(c, jpath, o, index, dflt, out);
		json_decref(o);
		return r;
	}
	if (!json_is_object(w))
		return fail(c, jpath, "must be a workload name or an object {\"name\": ..., \"options\": {...}}");
	const char *key;
	json_t *v;
	json_object_foreach(w, key, v) {
		if (!in_list(matrix_wl_keys, key)) {
			char *l = list_str(matrix_wl_keys);
			char *sub = xasprintf("%s.%s", jpath, key);
			fail(c, sub, "unknown key (allowed: %s)", l);
			free(sub);
			free(l);
			return -1;
		}
	}
	json_t *name = json_object_get(w, "name");
	if (!json_is_string(name)) {
		char *sub = xasprintf("%s.name", jpath);
		char *l = wl_names();
		fail(c, sub, "missing or not a string (allowed workloads: %s)", l);
		free(l);
		free(sub);
		return -1;
	}
	out->name = xstrdup(json_string_value(name));
	json_t *opts = json_object_get(w, "options");
	if (opts && !json_is_object(opts)) {
		char *sub = xasprintf("%s.options", jpath);
		fail(c, sub, "must be an object of option -> value");
		free(sub);
		return -1;
	}
	out->reg = wl_find(out->name);
	if (!out->reg) {
		char *l = wl_names();
		fail(c, jpath, "unknown workload \"%s\" (allowed: %s)", out->name, l);
		free(l);
		return -1;
	}
	char *sub = xasprintf("%s", jpath);
	struct buf e2 = {0};
	struct wl_argv wa;
	int r = wl_build_args(out->reg, opts, index, &c->files, &wa, &e2);
	if (!r) {
		out->args = wa.args;
		out->n_args = wa.n_args;
		out->files = wa.files;
		out->n_files = wa.n_files;
	}
	const char *colon = r ? strstr(e2.data, ": ") : NULL;
	if (r && colon && !strncmp(e2.data, "options.", 8)) {
		/* "options.fill: ..." -> "<jpath>.options.fill: ..." */
		char *p2 = xasprintf("%s.%.*s", jpath, (int)(colon - e2.data), e2.data);
		fail(c, p2, "%s", colon + 2);
		free(p2);
	} else if (r) {
		fail(c, sub, "%s", e2.data);
	}
	buf_free(&e2);
	free(sub);
	if (r)
		return -1;
	out->options = opts ? json_deep_copy(opts) : json_object();
	for (size_t i = 0; i < knob_count; i++) {
		const struct knob *k = &knob_table[i];
		json_t *x = k->scope == SCOPE_WORKLOAD ? json_object_get(w, k->name) : NULL;
		if (!x)
			continue;
		char *s2 = xasprintf("%s.%s", jpath, k->name);
		int rr = check_knob(c, s2, k, x);
		free(s2);
		if (rr)
			return -1;
		land(k, out, x);
	}
	json_t *sd = json_object_get(w, "start_delay_ms");
	if (sd) {
		char *s2 = xasprintf("%s.start_delay_ms", jpath);
		int rr = get_int(c, s2, sd, 0, 3600 * 1000, &out->start_delay_ms);
		free(s2);
		if (rr)
			return -1;
	}
	json_t *ex = json_object_get(w, "expect");
	if (ex) {
		if (!json_is_string(ex) || !endpoint_find(json_string_value(ex))) {
			char *s2 = xasprintf("%s.expect", jpath);
			struct buf l = {0};
			for (int e = 0; e < ENDPOINT_COUNT; e++)
				buf_printf(&l, "%s%s", e ? ", " : "", endpoint_name(e));
			fail(c, s2, "must be one of: %s", l.data);
			buf_free(&l);
			free(s2);
			return -1;
		}
		out->expect = xstrdup(json_string_value(ex));
	}
	json_t *cg = json_object_get(w, "cgroup");
	if (cg) {
		const char *bad = json_is_string(cg) ? cg_path_invalid(json_string_value(cg))
						      : "not a string; a group is";
		if (bad) {
			char *s2 = xasprintf("%s.cgroup", jpath);
			fail(c, s2, "%s%s", bad,
			     json_is_string(cg) ? "" : " segments of a-z, 0-9, '_' and '-' joined by '/', e.g. \"app/db\"");
			free(s2);
			return -1;
		}
		out->cgroup = xstrdup(json_string_value(cg));
	}
	return 0;
}

static void wl_spec_free(struct wl_spec *w)
{
	free(w->name);
	struct wl_argv wa = {w->args, w->n_args, w->files, w->n_files};
	wl_argv_free(&wa);
	json_decref(w->options);
	free(w->expect);
	free(w->cgroup);
}

static char *value_text(json_t *v)
{
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return xstrdup("");
}

static void add_set(struct cell_spec *cs, const char *name, const char *path, json_t *v)
{
	cs->sets = xrealloc(cs->sets, (cs->n_sets + 1) * sizeof *cs->sets);
	cs->sets[cs->n_sets].name = xstrdup(name);
	cs->sets[cs->n_sets].path = xstrdup(path);
	cs->sets[cs->n_sets].value = value_text(v);
	cs->n_sets++;
}

static char *default_name(json_t *knobs)
{
	struct buf b = {0};
	const char *key;
	json_t *v;
	json_object_foreach(knobs, key, v) {
		if (json_is_object(v))
			continue;
		char *t = value_text(v);
		buf_printf(&b, "%s%s=%s", b.len ? " " : "", key, t);
		free(t);
	}
	if (!b.data)
		buf_printf(&b, "default");
	return b.data;
}

static int get_mode(struct ctx *c, const char *jpath, json_t *v, int *seq)
{
	if (!v)
		return 0;
	if (json_is_string(v) && !strcmp(json_string_value(v), "sequence"))
		*seq = 1;
	else if (json_is_string(v) && !strcmp(json_string_value(v), "together"))
		*seq = 0;
	else
		return fail(c, jpath, "must be \"together\" or \"sequence\"");
	return 0;
}

/* A "stall" object (at jp.stall; jp NULL: the top level's) over *cfg. */
static int stall_cell(struct ctx *c, const char *jp, json_t *v, struct stall_cfg *cfg)
{
	char *where = NULL;
	struct buf why = {0};
	if (!stall_cfg_parse(v, cfg, &where, &why))
		return 0;
	char *p = jp ? xasprintf("%s.stall%s", jp, where) : xasprintf("stall%s", where);
	fail(c, p, "%s", why.data);
	free(p);
	free(where);
	buf_free(&why);
	return -1;
}

struct defaults {
	json_t *base, *workloads;
	int sequence;
	long long timeout_s, sample_ms;
	json_t *psi; /* the top level's psi_triggers, NULL */
	struct stall_cfg stall; /* the default, over which the top level's "stall" */
	json_t *allow; /* the top level's allow (checked), NULL */
};

/* A PSI trigger on a memory cgroup names a group the cell declares (a
 * "cgroup.<group>.<file>" knob, a workload's "cgroup", or a parent of
 * one). own: the triggers are the cell's (else the top level's). */
static int check_psi_groups(struct ctx *c, const char *jp, const struct cell_spec *cs, int own)
{
	for (size_t i = 0; i < cs->n_psi; i++) {
		const char *g = cs->psi[i].cgroup;
		if (!g || cg_find(cs, g))
			continue;
		char *p = own ? xasprintf("%s.psi_triggers[%zu].cgroup", jp, i)
			      : xasprintf("psi_triggers[%zu].cgroup", i);
		struct buf l = {0};
		for (size_t k = 0; k < cs->n_cg; k++)
			buf_printf(&l, "%s%s", k ? ", " : "", cs->cg[k].path);
		if (own)
			fail(c, p, "\"%s\" is no memory cgroup of this cell (allowed: %s)", g,
			     l.len ? l.data : "none; a group comes from a \"cgroup.<group>.<file>\" knob or a workload's \"cgroup\"");
		else
			fail(c, p, "\"%s\" is no memory cgroup of %s (allowed: %s)", g, jp,
			     l.len ? l.data : "none; a group comes from a \"cgroup.<group>.<file>\" knob or a workload's \"cgroup\"");
		buf_free(&l);
		free(p);
		return -1;
	}
	return 0;
}

/* The finding kinds, for messages: "warning, bug, ..." */
static char *kind_words(void)
{
	struct buf b = {0};
	for (int i = 0; i < FINDING_KIND_COUNT; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", finding_kind_table[i].word);
	return b.data;
}

/* "allow" (docs/findings.md): a list of finding kinds (a word of
 * finding_kind_table) or exact titles (a title always has a space). Each
 * entry is added to *list unless it is there already; v NULL adds none. */
static int get_allow(struct ctx *c, const char *jpath, json_t *v, char ***list, size_t *n)
{
	if (!v)
		return 0;
	char *kinds = kind_words();
	int bad = 0;
	if (!json_is_array(v))
		bad = fail(c, jpath, "must be a list of finding kinds or titles (kinds: %s)", kinds);
	for (size_t i = 0; !bad && i < json_array_size(v); i++) {
		json_t *e = json_array_get(v, i);
		const char *s = json_string_value(e);
		char *sub = xasprintf("%s[%zu]", jpath, i);
		if (!s || !*s || !safe_text(s))
			bad = fail(c, sub, "must be a finding kind or a one-line title (kinds: %s)", kinds);
		else if (!strchr(s, ' ') && !finding_kind_find(s))
			bad = fail(c, sub, "\"%s\" is not a finding kind (kinds: %s; a title has a space, "
					   "e.g. \"WARNING in __alloc_pages_slowpath\")", s, kinds);
		free(sub);
		size_t k = 0;
		while (!bad && k < *n && strcmp((*list)[k], s))
			k++;
		if (!bad && k == *n) {
			*list = xrealloc(*list, (*n + 1) * sizeof **list);
			(*list)[(*n)++] = xstrdup(s);
		}
	}
	free(kinds);
	return bad ? -1 : 0;
}

static int load_cell(struct ctx *c, const char *jp, json_t *cj, const struct defaults *d,
		     struct cell_spec *cs)
{
	json_t *base = d->base, *def_wl = d->workloads;
	int def_seq = d->sequence;
	long long def_timeout = d->timeout_s, def_sample = d->sample_ms;
	memset(cs, 0, sizeof *cs);
	cs->requested = json_deep_copy(base);
	if (merge_knobs(c, jp, cj, matrix_cell_keys, cs->requested))
		return -1;
	json_t *nm = json_object_get(cj, "name");
	if (nm && (!json_is_string(nm) || !*json_string_value(nm) ||
		   !safe_text(json_string_value(nm)))) {
		char *sub = xasprintf("%s.name", jp);
		fail(c, sub, "must be a non-empty one-line string");
		free(sub);
		return -1;
	}
	cs->name = nm ? xstrdup(json_string_value(nm)) : default_name(cs->requested);
	cs->id = slug(cs->name);
	if (!*cs->id) {
		free(cs->id);
		cs->id = xstrdup("cell");
	}
	cs->sequence = def_seq;
	char *mp = xasprintf("%s.mode", jp);
	int r = get_mode(c, mp, json_object_get(cj, "mode"), &cs->sequence);
	free(mp);
	if (r)
		return -1;
	long long t = def_timeout, s = def_sample;
	json_t *x;
	if ((x = json_object_get(cj, "timeout_s"))) {
		char *p = xasprintf("%s.timeout_s", jp);
		r = get_int(c, p, x, 5, 86400, &t);
		free(p);
		if (r)
			return -1;
	}
	if ((x = json_object_get(cj, "sample_ms"))) {
		char *p = xasprintf("%s.sample_ms", jp);
		r = get_int(c, p, x, 10, 60000, &s);
		free(p);
		if (r)
			return -1;
	}
	cs->timeout_s = (int)t;
	cs->sample_ms = (int)s;
	/* the matrix's allow, then the cell's own entries */
	if (get_allow(c, "allow", d->allow, &cs->allow, &cs->n_allow))
		return -1;
	char *ap = xasprintf("%s.allow", jp);
	r = get_allow(c, ap, json_object_get(cj, "allow"), &cs->allow, &cs->n_allow);
	free(ap);
	if (r)
		return -1;
	json_t *pt = json_object_get(cj, "psi_triggers");
	if (pt || d->psi) {
		char *where = NULL;
		struct buf why = {0};
		if (psi_triggers_parse(pt ? pt : d->psi, &cs->psi, &cs->n_psi, &where, &why)) {
			char *p = pt ? xasprintf("%s.psi_triggers%s", jp, where) : xasprintf("psi_triggers%s", where);
			fail(c, p, "%s", why.data);
			free(p);
			free(where);
			buf_free(&why);
			return -1;
		}
	}
	cs->stall = d->stall;
	if ((x = json_object_get(cj, "stall")) && stall_cell(c, jp, x, &cs->stall))
		return -1;

	/* Knob values -> VM shape, guest writes, per-workload defaults. */
	struct wl_spec wl_default;
	memset(&wl_default, 0, sizeof wl_default);
	for (size_t i = 0; i < knob_count; i++) {
		const struct knob *k = &knob_table[i];
		json_t *v = json_object_get(cs->requested, k->name);
		if (k->scope == SCOPE_VM) {
			land(k, cs, v);
		} else if (k->scope == SCOPE_WORKLOAD) {
			land(k, &wl_default, v);
		} else if (v && k->type == KNOB_MAP) {
			const char *sname;
			json_t *sv;
			json_object_foreach(v, sname, sv) {
				const char *why;
				char *path = knob_map_path(k, sname, &why);
				char *label = xasprintf("%s:%s", k->name, sname);
				add_set(cs, label, path, sv);
				free(label);
				free(path);
			}
		} else if (v) {
			add_set(cs, k->name, k->path, v);
		}
	}

	if (json_object_get(cs->requested, "overcommit_ratio") &&
	    json_object_get(cs->requested, "overcommit_kbytes")) {
		char *sub = xasprintf("%s.overcommit_kbytes", jp);
		fail(c, sub, "overcommit_ratio and overcommit_kbytes exclude each other (writing one "
			     "zeroes the other in the kernel); set one");
		free(sub);
		return -1;
	}
	json_t *wls = json_object_get(cj, "workloads");
	if (!wls)
		wls = def_wl;
	if (!json_is_array(wls) || json_array_size(wls) == 0) {
		char *sub = xasprintf("%s.workloads", jp);
		fail(c, sub, "needs a non-empty array of workloads (here or at the top level)");
		free(sub);
		return -1;
	}
	cs->n_wl = json_array_size(wls);
	cs->wl = xcalloc(cs->n_wl, sizeof *cs->wl);
	for (size_t i = 0; i < cs->n_wl; i++) {
		char *sub = xasprintf("%s.workloads[%zu]", jp, i);
		r = load_workload(c, sub, json_array_get(wls, i), i, &wl_default, &cs->wl[i]);
		free(sub);
		if (r)
			return -1;
	}
	char *why = NULL;
	size_t bad_wl = 0;
	if (cg_build(cs, &why, &bad_wl)) {
		char *sub = bad_wl == (size_t)-1 ? xstrdup(jp)
						 : xasprintf("%s.workloads[%zu].cgroup", jp, bad_wl);
		fail(c, sub, "%s", why);
		free(sub);
		free(why);
		return -1;
	}
	return check_psi_groups(c, jp, cs, json_object_get(cj, "psi_triggers") != NULL);
}

static void cell_spec_free(struct cell_spec *cs)
{
	free(cs->id);
	free(cs->name);
	json_decref(cs->requested);
	free(cs->kernel);
	free(cs->modules);
	free(cs->cmdline);
	for (size_t i = 0; i < cs->n_sets; i++) {
		free(cs->sets[i].name);
		free(cs->sets[i].path);
		free(cs->sets[i].value);
	}
	free(cs->sets);
	psi_triggers_free(cs->psi, cs->n_psi);
	for (size_t i = 0; i < cs->n_allow; i++)
		free(cs->allow[i]);
	free(cs->allow);
	for (size_t i = 0; i < cs->n_wl; i++)
		wl_spec_free(&cs->wl[i]);
	free(cs->wl);
	for (size_t i = 0; i < cs->n_cg; i++)
		cg_spec_free(&cs->cg[i]);
	free(cs->cg);
}

/* FNV-1a (64 bit) of the canonical JSON of the matrix: the same matrix
 * (whatever its formatting) has the same digest, so shards of one run can
 * be told from shards of another. */
static char *matrix_digest(json_t *root)
{
	char *text = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT);
	unsigned long long h = 1469598103934665603ULL;
	for (const char *p = text ? text : ""; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	free(text);
	return xasprintf("%016llx", h);
}

static void add_source(json_t *sources, json_t *cell, const char *jpath)
{
	json_array_append_new(sources, json_pack("{s:O,s:s}", "cell", cell, "jpath", jpath));
}

/* Is the combination excluded by a rule (every key of the rule equal)? */
static int excluded(json_t *combo, json_t *exclude)
{
	size_t i;
	json_t *rule;
	json_array_foreach(exclude, i, rule) {
		int all = 1;
		const char *k;
		json_t *v;
		json_object_foreach(rule, k, v) {
			if (!json_equal(json_object_get(combo, k), v)) {
				all = 0;
				break;
			}
		}
		if (all && json_object_size(rule))
			return 1;
	}
	return 0;
}

static char *combo_name(json_t *combo)
{
	struct buf b = {0};
	const char *key;
	json_t *v;
	json_object_foreach(combo, key, v) {
		char *t = json_is_object(v) ? json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT) : value_text(v);
		buf_printf(&b, "%s%s=%s", b.len ? " " : "", key, t);
		free(t);
	}
	return b.data ? b.data : xstrdup("default");
}

static int expand_axes(struct ctx *c, json_t *axes, json_t *exclude, json_t *sources)
{
	if (!json_is_object(axes) || json_object_size(axes) == 0)
		return fail(c, "axes", "must be an object of knob -> list of values, e.g. "
				       "{\"swappiness\": [0, 60, 100]}");
	size_t n = json_object_size(axes), total = 1;
	const char **names = xcalloc(n, sizeof *names);
	json_t **vals = xcalloc(n, sizeof *vals);
	size_t i = 0;
	const char *key;
	json_t *v;
	int rc = -1;
	json_object_foreach(axes, key, v) {
		char *jp = xasprintf("axes.%s", key);
		const struct knob *k = knob_find(key);
		char *group = NULL, *why = NULL;
		const struct cg_file *cgf = NULL;
		int bad = 0;
		if (!k && cg_knob_split(key, &group, &cgf, &why) < 0)
			bad = fail(c, jp, "%s", why);
		else if (!k && !cgf)
			bad = fail(c, jp, "unknown knob (oomlab knobs lists them)");
		else if (!json_is_array(v) || json_array_size(v) == 0)
			bad = fail(c, jp, "must be a non-empty list of values");
		free(group);
		free(why);
		for (size_t j = 0; !bad && j < json_array_size(v); j++) {
			char *ejp = xasprintf("%s[%zu]", jp, j);
			if (k)
				bad = check_knob(c, ejp, k, json_array_get(v, j));
			else if (cg_value_invalid(cgf, json_array_get(v, j)))
				bad = fail(c, ejp, "%s", cg_value_invalid(cgf, json_array_get(v, j)));
			for (size_t x = 0; !bad && x < j; x++)
				if (json_equal(json_array_get(v, x), json_array_get(v, j)))
					bad = fail(c, ejp, "repeats the value of %s[%zu] (use \"repeat\" to run "
							   "cells more than once)", jp, x);
			free(ejp);
		}
		free(jp);
		if (bad)
			goto out;
		names[i] = key;
		vals[i] = v;
		total *= json_array_size(v); /* at most max_cells: count_cells came first */
		i++;
	}
	if (exclude) {
		size_t r;
		json_t *rule;
		if (!json_is_array(exclude)) {
			fail(c, "exclude", "must be a list of objects of knob -> value");
			goto out;
		}
		json_array_foreach(exclude, r, rule) {
			char *jp = xasprintf("exclude[%zu]", r);
			json_t *scratch = json_object();
			int bad = merge_knobs(c, jp, rule, NULL, scratch);
			if (!bad && json_object_size(rule) == 0)
				bad = fail(c, jp, "an empty rule would exclude every cell");
			json_decref(scratch);
			free(jp);
			if (bad)
				goto out;
		}
	}
	/* odometer over the axes, the last axis moving fastest */
	size_t *idx = xcalloc(n, sizeof *idx);
	for (size_t cnt = 0; cnt < total; cnt++) {
		json_t *combo = json_object();
		for (size_t a = 0; a < n; a++)
			json_object_set(combo, names[a], json_array_get(vals[a], idx[a]));
		if (!excluded(combo, exclude)) {
			char *name = combo_name(combo);
			json_object_set_new(combo, "name", json_string(name));
			char *jp = xasprintf("axes (cell %s)", name);
			add_source(sources, combo, jp);
			free(jp);
			free(name);
		}
		json_decref(combo);
		for (size_t a = n; a-- > 0;) {
			if (++idx[a] < json_array_size(vals[a]))
				break;
			idx[a] = 0;
		}
	}
	free(idx);
	rc = 0;
out:
	free(names);
	free(vals);
	return rc;
}

/* n * f, or -1 past LLONG_MAX */
static long long mul_sat(long long n, long long f)
{
	long long r;
	return n < 0 || __builtin_mul_overflow(n, f, &r) ? -1 : r;
}

static long long add_sat(long long n, long long f)
{
	long long r;
	return n < 0 || __builtin_add_overflow(n, f, &r) ? -1 : r;
}

/* The cells the matrix expands to, from the sizes of its lists alone (the
 * sweep before exclude): (axes product + include + cells) x repeat. More
 * than max is refused here, before a cell is made, with the arithmetic.
 * Lists of the wrong type count as empty (expand says what is wrong). */
static int count_cells(struct ctx *c, json_t *root, long long repeat, long long max)
{
	json_t *axes = json_object_get(root, "axes");
	json_t *inc = json_object_get(root, "include"), *cells = json_object_get(root, "cells");
	long long combos = 0;
	struct buf f = {0};
	if (json_is_object(axes) && json_object_size(axes)) {
		const char *key;
		json_t *v;
		size_t k = 0;
		combos = 1;
		json_object_foreach(axes, key, v) {
			long long n = json_is_array(v) ? (long long)json_array_size(v) : 1;
			combos = mul_sat(combos, n);
			if (k < 8)
				buf_printf(&f, "%s%lld", k ? " x " : "", n);
			else if (k == 8)
				buf_printf(&f, " x ...");
			k++;
		}
	} else {
		buf_printf(&f, "0");
	}
	long long n_inc = json_is_array(inc) ? (long long)json_array_size(inc) : 0;
	long long n_cells = json_is_array(cells) ? (long long)json_array_size(cells) : 0;
	long long total = mul_sat(add_sat(add_sat(combos, n_inc), n_cells), repeat);
	int rc = 0;
	if (total < 0 || total > max) {
		char count[48];
		if (total < 0)
			snprintf(count, sizeof count, "more than %lld", LLONG_MAX);
		else
			snprintf(count, sizeof count, "%lld", total);
		int ex = json_object_get(root, "exclude") != NULL;
		rc = fail(c, "$",
			  "the matrix expands to %s%s cells ((%s combinations of the axes%s + %lld include + "
			  "%lld cells) x repeat %lld), more than the limit of %lld (--max-cells N raises it)",
			  ex ? "up to " : "", count, f.data, ex ? " before exclude" : "", n_inc, n_cells, repeat,
			  max);
	}
	buf_free(&f);
	return rc;
}

static int expand(struct ctx *c, json_t *root, json_t *sources)
{
	json_t *axes = json_object_get(root, "axes");
	json_t *exclude = json_object_get(root, "exclude");
	if (exclude && !axes)
		return fail(c, "exclude", "needs \"axes\" (it removes combinations of the sweep)");
	if (axes && expand_axes(c, axes, exclude, sources))
		return -1;
	static const char *const lists[] = {"include", "cells"};
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		json_t *arr = json_object_get(root, lists[l]);
		if (!arr)
			continue;
		if (!json_is_array(arr))
			return fail(c, lists[l], "must be a list of cells (objects)");
		size_t i;
		json_t *cj;
		json_array_foreach(arr, i, cj) {
			char *jp = xasprintf("%s[%zu]", lists[l], i);
			int bad = json_is_object(cj) ? 0 : fail(c, jp, "must be an object");
			if (!bad)
				add_source(sources, cj, jp);
			free(jp);
			if (bad)
				return -1;
		}
	}
	return 0;
}

/* The cell ids made so far, to refuse a second cell of the same id: an
 * open-addressing set of indexes + 1 into the cells (0: free), twice as
 * many slots as cells, so a sweep of 100,000 cells is not 5e9 strcmp. */
struct id_set {
	size_t *slot;
	size_t n;
};

/* Add cells[i]; the cell that already has its id, or NULL. */
static const struct cell_spec *ids_add(struct id_set *s, const struct cell_spec *cells, size_t i)
{
	unsigned long long h = 1469598103934665603ULL;
	for (const char *p = cells[i].id; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	for (size_t k = (size_t)(h % s->n);; k = (k + 1) % s->n) {
		if (!s->slot[k]) {
			s->slot[k] = i + 1;
			return NULL;
		}
		if (!strcmp(cells[s->slot[k] - 1].id, cells[i].id))
			return &cells[s->slot[k] - 1];
	}
}

int matrix_load(const char *path, struct matrix *m, struct buf *err)
{
	struct matrix_opts o = {0};
	return matrix_load_opts(path, &o, m, err);
}

int matrix_load_from(const char *path, const char *base_dir, struct matrix *m, struct buf *err)
{
	struct matrix_opts o = {.base_dir = base_dir};
	return matrix_load_opts(path, &o, m, err);
}

/* The matrix in root (which it takes): path names the file in messages
 * and in m->path, base_dir resolves relative file options. */
static int matrix_from_root(const char *path, const char *base_dir, const struct matrix_opts *o,
			    json_t *root, struct matrix *m, struct buf *err)
{
	/* --resume: the dir of the original matrix, not the copy's; a
	 * matrix without a file of its own (stdin, --cell): as the caller says */
	char *named = o->base_named ? xstrdup(o->base_named)
		      : o->base_dir ? xasprintf("the matrix file's dir %s", o->base_dir) : NULL;
	struct ctx c = {path, {base_dir, named, o->allow, o->n_allow}, err};
	int rc = -1;
	struct id_set ids = {0};
	json_t *base = json_object();
	json_t *sources = json_array();
	if (!json_is_object(root)) {
		fail(&c, "$", "the top level must be an object");
		goto out;
	}
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v) {
		if (!in_list(top_keys, key)) {
			char *l = list_str(top_keys);
			fail(&c, key, "unknown key (allowed: %s)", l);
			free(l);
			goto out;
		}
	}
	json_t *b = json_object_get(root, "base");
	if (b && merge_knobs(&c, "base", b, NULL, base))
		goto out;
	long long timeout = 120, sample = 100, repeat = 1;
	if ((v = json_object_get(root, "timeout_s")) && get_int(&c, "timeout_s", v, 5, 86400, &timeout))
		goto out;
	if ((v = json_object_get(root, "sample_ms")) && get_int(&c, "sample_ms", v, 10, 60000, &sample))
		goto out;
	if ((v = json_object_get(root, "repeat")) && get_int(&c, "repeat", v, 1, 1000, &repeat))
		goto out;
	int seq = 0;
	if (get_mode(&c, "mode", json_object_get(root, "mode"), &seq))
		goto out;
	json_t *nm = json_object_get(root, "name");
	if (nm && (!json_is_string(nm) || !safe_text(json_string_value(nm)))) {
		fail(&c, "name", "must be a one-line string");
		goto out;
	}
	json_t *desc = json_object_get(root, "description");
	if (desc && !json_is_string(desc)) {
		fail(&c, "description", "must be a string");
		goto out;
	}
	/* The cells: the cartesian product of the axes (less exclude), then
	 * the include and cells lists, each repeated `repeat` times; counted
	 * first, made only when they are not too many. */
	if (count_cells(&c, root, repeat, o->max_cells > 0 ? o->max_cells : MATRIX_MAX_CELLS) ||
	    expand(&c, root, sources))
		goto out;
	if (json_array_size(sources) == 0) {
		fail(&c, "$", "no cells: give \"axes\" (a sweep), \"cells\" or \"include\" "
			      "(explicit cells); exclude may not remove every combination");
		goto out;
	}
	m->path = xstrdup(path);
	m->name = xstrdup(nm ? json_string_value(nm) : "matrix");
	m->description = desc ? xstrdup(json_string_value(desc)) : NULL;
	m->repeat = (int)repeat;
	m->digest = matrix_digest(root);
	struct defaults d = {base, json_object_get(root, "workloads"), seq, timeout, sample,
			     json_object_get(root, "psi_triggers"), stall_cfg_default(),
			     json_object_get(root, "allow")};
	if ((v = json_object_get(root, "stall")) && stall_cell(&c, NULL, v, &d.stall))
		goto out;
	size_t n_src = json_array_size(sources);
	m->cells = xcalloc(n_src * (size_t)repeat, sizeof *m->cells);
	ids.slot = xcalloc(2 * n_src * (size_t)repeat, sizeof *ids.slot);
	ids.n = 2 * n_src * (size_t)repeat;
	for (size_t i = 0; i < n_src; i++) {
		json_t *src = json_array_get(sources, i);
		const char *jp = json_string_value(json_object_get(src, "jpath"));
		for (long long r = 1; r <= repeat; r++) {
			struct cell_spec *cs = &m->cells[m->n_cells++];
			if (load_cell(&c, jp, json_object_get(src, "cell"), &d, cs))
				goto out;
			if (repeat > 1) {
				char *id = xasprintf("%s-r%lld", cs->id, r);
				char *name = xasprintf("%s #%lld", cs->name, r);
				free(cs->id);
				free(cs->name);
				cs->id = id;
				cs->name = name;
			}
			cs->repeat_index = (int)r;
			const struct cell_spec *other = ids_add(&ids, m->cells, m->n_cells - 1);
			if (other) {
				char *np = xasprintf("%s.name", jp);
				fail(&c, np, "cell id \"%s\" is already used by another cell (%s); "
					     "names must differ",
				     cs->id, other->name);
				free(np);
				goto out;
			}
		}
	}
	rc = 0;
out:
	free(ids.slot);
	free(named);
	json_decref(sources);
	json_decref(base);
	json_decref(root);
	if (rc)
		matrix_free(m);
	return rc;
}


int matrix_load_opts(const char *path, const struct matrix_opts *o, struct matrix *m,
		     struct buf *err)
{
	memset(m, 0, sizeof *m);
	char *dir = NULL;
	const char *base_dir = o->base_dir;
	if (!base_dir) {
		const char *slash = strrchr(path, '/');
		dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
		if (!*dir) {
			free(dir);
			dir = xstrdup("/");
		}
		base_dir = dir;
	}
	/* A matrix is a few KB; a huge file is a mistake (or an attack on
	 * the memory of every tool that reads the run's copy of it). */
	struct stat sb;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		buf_printf(err, "%s: cannot read the matrix file: it is a directory", path);
		free(dir);
		return -1;
	}
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > MATRIX_MAX_BYTES) {
		buf_printf(err, "%s: $: the file has %lld bytes; a matrix file may have at most %d",
			   path, (long long)sb.st_size, MATRIX_MAX_BYTES);
		free(dir);
		return -1;
	}
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		if (!path_exists(path)) {
			buf_printf(err, "%s: cannot read the matrix file: %s", path, je.text);
		} else {
			buf_printf(err, "%s:%d:%d: not valid JSON: ", path, je.line, je.column);
			put_printable(err, je.text);
		}
		free(dir);
		return -1;
	}
	int rc = matrix_from_root(path, base_dir, o, root, m, err);
	free(dir);
	return rc;
}

int matrix_load_buf(const char *name, const void *data, size_t len, const char *base_dir, struct matrix *m,
		    struct buf *err)
{
	struct matrix_opts o = {.base_dir = base_dir};
	return matrix_load_buf_opts(name, data, len, &o, m, err);
}

int matrix_load_buf_opts(const char *name, const void *data, size_t len, const struct matrix_opts *o,
			 struct matrix *m, struct buf *err)
{
	memset(m, 0, sizeof *m);
	if (len > MATRIX_MAX_BYTES) {
		buf_printf(err, "%s: $: the file has %lld bytes; a matrix file may have at most %d", name,
			   (long long)len, MATRIX_MAX_BYTES);
		return -1;
	}
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		buf_printf(err, "%s:%d:%d: not valid JSON: ", name, je.line, je.column);
		put_printable(err, je.text);
		return -1;
	}
	return matrix_from_root(name, o->base_dir ? o->base_dir : ".", o, root, m, err);
}

void matrix_free(struct matrix *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_cells; i++)
		cell_spec_free(&m->cells[i]);
	free(m->cells);
	free(m->path);
	free(m->name);
	free(m->description);
	free(m->digest);
	memset(m, 0, sizeof *m);
}
