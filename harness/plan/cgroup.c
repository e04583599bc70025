// SPDX-License-Identifier: GPL-2.0-or-later
/* Memory cgroups of a cell: the file table, group names, the groups a
 * cell's knobs and workloads name (plan/cgroup.h). */
#include "plan/cgroup.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

/* Written in this order; every row is read back in every group
 * (Documentation/admin-guide/cgroup-v2.rst, "Memory Interface Files"). */
const struct cg_file cg_file_table[] = {
	{.name = "memory.max", .type = CG_SIZE,
	 .help = "hard limit: over it the group reclaims, then its OOM killer acts"},
	{.name = "memory.high", .type = CG_SIZE,
	 .help = "throttle limit: over it the group's tasks are throttled and reclaimed"},
	{.name = "memory.low", .type = CG_SIZE, .help = "best-effort protection from reclaim"},
	{.name = "memory.min", .type = CG_SIZE, .help = "hard protection from reclaim"},
	{.name = "memory.swap.max", .type = CG_SIZE, .help = "swap limit"},
	{.name = "memory.zswap.max", .type = CG_SIZE,
	 .help = "zswap pool limit (kernels with CONFIG_ZSWAP)"},
	{.name = "memory.oom.group", .type = CG_BOOL,
	 .help = "1: the OOM killer kills every task of the group together"},
};

const size_t cg_file_count = ARRAY_SIZE(cg_file_table);

const struct cg_file *cg_file_find(const char *name)
{
	for (size_t i = 0; i < cg_file_count; i++)
		if (!strcmp(cg_file_table[i].name, name))
			return &cg_file_table[i];
	return NULL;
}

#define PATH_RULE "segments of a-z, 0-9, '_' and '-' (1..32 characters) joined by '/', at most 4 levels"

const char *cg_path_invalid(const char *name)
{
	int depth = 1;
	size_t seg = 0;
	for (const char *p = name;; p++) {
		char ch = *p;
		if (ch == '/' || !ch) {
			if (seg == 0)
				return "an empty segment; a group is " PATH_RULE;
			if (!ch)
				break;
			if (++depth > CG_MAX_DEPTH)
				return "more than 4 levels; a group is " PATH_RULE;
			seg = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return "a character that is not allowed; a group is " PATH_RULE;
		if (++seg > CG_MAX_SEGMENT)
			return "a segment longer than 32 characters; a group is " PATH_RULE;
	}
	return NULL;
}

static char *file_list(void)
{
	struct buf b = {0};
	for (size_t i = 0; i < cg_file_count; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", cg_file_table[i].name);
	return b.data;
}

int cg_knob_split(const char *name, char **group, const struct cg_file **file, char **why)
{
	size_t pl = strlen(CG_KNOB_PREFIX);
	if (strncmp(name, CG_KNOB_PREFIX, pl))
		return 0;
	/* a group has no '.': the first one after the prefix ends it */
	const char *dot = strchr(name + pl, '.');
	if (!dot) {
		*why = xstrdup("a group file is cgroup.<group>.<file>, e.g. cgroup.app.memory.max");
		return -1;
	}
	char *g = xstrndup(name + pl, (size_t)(dot - name - (long)pl));
	const char *bad = cg_path_invalid(g);
	if (bad) {
		*why = xasprintf("group \"%s\" has %s", g, bad);
		free(g);
		return -1;
	}
	const struct cg_file *f = cg_file_find(dot + 1);
	if (!f) {
		char *l = file_list();
		*why = xasprintf("unknown cgroup file \"%s\" (allowed: %s)", dot + 1, l);
		free(l);
		free(g);
		return -1;
	}
	*group = g;
	*file = f;
	return 1;
}

const char *cg_value_invalid(const struct cg_file *f, json_t *v)
{
	switch (f->type) {
	case CG_SIZE:
		if (json_is_string(v) && !strcmp(json_string_value(v), "max"))
			return NULL;
		if (json_is_integer(v) && json_integer_value(v) >= 0 &&
		    json_integer_value(v) <= CG_SIZE_MAX_MIB)
			return NULL;
		return "must be an integer in 0..1048576 (MiB) or \"max\"";
	case CG_BOOL:
		if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
			return NULL;
		return "must be 0 or 1";
	}
	return "unknown type";
}

char *cg_value_text(const struct cg_file *f, json_t *v, long long *num)
{
	if (json_is_string(v)) {
		*num = CG_MAX;
		return xstrdup("max");
	}
	*num = json_integer_value(v);
	if (f->type == CG_SIZE)
		return xasprintf("%lld", *num * 1024 * 1024);
	return xasprintf("%lld", *num);
}

char *cg_knob_name(const char *group, const char *file)
{
	return xasprintf(CG_KNOB_PREFIX "%s.%s", group, file);
}

static struct cg_spec *group_add(struct cell_spec *cs, const char *path)
{
	for (size_t i = 0; i < cs->n_cg; i++)
		if (!strcmp(cs->cg[i].path, path))
			return &cs->cg[i];
	cs->cg = xrealloc(cs->cg, (cs->n_cg + 1) * sizeof *cs->cg);
	struct cg_spec *g = &cs->cg[cs->n_cg++];
	memset(g, 0, sizeof *g);
	g->path = xstrdup(path);
	return g;
}

/* path and each of its parents */
static void group_add_all(struct cell_spec *cs, const char *path)
{
	char *p = xstrdup(path);
	for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		group_add(cs, p);
		*s = '/';
	}
	group_add(cs, p);
	free(p);
}

/* A prefix sorts before what extends it: a parent before its children. */
static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct cg_spec *)a)->path, ((const struct cg_spec *)b)->path);
}

static int by_file(const void *a, const void *b)
{
	const struct cg_file *x = ((const struct cg_set *)a)->file, *y = ((const struct cg_set *)b)->file;
	return x < y ? -1 : x > y;
}

int cg_build(struct cell_spec *cs, char **why, size_t *wl)
{
	const char *key;
	json_t *v;
	json_object_foreach(cs->requested, key, v) {
		char *group = NULL, *err = NULL;
		const struct cg_file *f;
		int r = cg_knob_split(key, &group, &f, &err);
		free(err);
		if (r != 1)
			continue;
		group_add_all(cs, group);
		struct cg_spec *g = group_add(cs, group);
		g->sets = xrealloc(g->sets, (g->n_sets + 1) * sizeof *g->sets);
		struct cg_set *s = &g->sets[g->n_sets++];
		s->file = f;
		s->value = cg_value_text(f, v, &s->num);
		free(group);
	}
	for (size_t i = 0; i < cs->n_wl; i++)
		if (cs->wl[i].cgroup)
			group_add_all(cs, cs->wl[i].cgroup);
	if (cs->n_cg > CG_MAX_GROUPS) {
		*why = xasprintf("the cell has %zu memory cgroups (parents included); at most %d",
				 cs->n_cg, CG_MAX_GROUPS);
		*wl = (size_t)-1;
		return -1;
	}
	if (cs->n_cg > 1)
		qsort(cs->cg, cs->n_cg, sizeof *cs->cg, by_path);
	for (size_t i = 0; i < cs->n_cg; i++) {
		struct cg_spec *g = &cs->cg[i];
		size_t n = strlen(g->path);
		if (g->n_sets > 1)
			qsort(g->sets, g->n_sets, sizeof *g->sets, by_file);
		for (size_t j = i + 1; j < cs->n_cg; j++)
			if (!strncmp(cs->cg[j].path, g->path, n) && cs->cg[j].path[n] == '/')
				g->has_children = 1;
	}
	for (size_t i = 0; i < cs->n_wl; i++) {
		const struct cg_spec *g = cs->wl[i].cgroup ? cg_find(cs, cs->wl[i].cgroup) : NULL;
		if (g && g->has_children) {
			*why = xasprintf("group \"%s\" has child groups: with the memory controller "
					 "enabled below it, cgroup v2 lets no process run in it; name a "
					 "leaf group",
					 g->path);
			*wl = i;
			return -1;
		}
	}
	return 0;
}

void cg_spec_free(struct cg_spec *g)
{
	free(g->path);
	for (size_t i = 0; i < g->n_sets; i++)
		free(g->sets[i].value);
	free(g->sets);
}

const struct cg_spec *cg_find(const struct cell_spec *cs, const char *path)
{
	for (size_t i = 0; i < cs->n_cg; i++)
		if (!strcmp(cs->cg[i].path, path))
			return &cs->cg[i];
	return NULL;
}

const struct cg_set *cg_find_set(const struct cg_spec *g, const char *file)
{
	for (size_t i = 0; i < g->n_sets; i++)
		if (!strcmp(g->sets[i].file->name, file))
			return &g->sets[i];
	return NULL;
}
