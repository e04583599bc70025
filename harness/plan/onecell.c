// SPDX-License-Identifier: GPL-2.0-or-later
#include "plan/onecell.h"

#include <string.h>

/* The top-level keys that describe every cell: they go into the cell. */
static const char *const moved[] = {"timeout_s", "sample_ms", "mode", "psi_triggers", "workloads"};
/* The top-level keys that make the cells: gone from a one-cell matrix. */
static const char *const dropped[] = {"base", "axes", "exclude", "include", "cells", "repeat"};

static int listed(const char *const *l, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(l[i], key))
			return 1;
	return 0;
}

/* The object the cell was made from: an entry of include or cells, or
 * for a combination of the axes its knobs (the loader's order: the axes'
 * combinations, then include, then cells, each repeated). New reference. */
static json_t *source_of(json_t *root, const struct matrix *m, size_t index)
{
	size_t repeat = m->repeat > 0 ? (size_t)m->repeat : 1, src = index / repeat;
	json_t *inc = json_object_get(root, "include"), *cells = json_object_get(root, "cells");
	size_t n_inc = json_array_size(inc), n_cells = json_array_size(cells);
	size_t n_src = m->n_cells / repeat;
	size_t n_combo = n_src >= n_inc + n_cells ? n_src - n_inc - n_cells : 0;
	if (src >= n_combo + n_inc)
		return json_deep_copy(json_array_get(cells, src - n_combo - n_inc));
	if (src >= n_combo)
		return json_deep_copy(json_array_get(inc, src - n_combo));
	json_t *o = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(root, "axes"), key, v)
		json_object_set(o, key, json_object_get(m->cells[index].requested, key));
	return o;
}

/* The cell's name without the " #N" repeat adds. */
static json_t *plain_name(const struct matrix *m, size_t index)
{
	const char *name = m->cells[index].name;
	const char *hash = m->repeat > 1 ? strrchr(name, '#') : NULL;
	if (hash && hash > name + 1 && hash[-1] == ' ')
		return json_stringn(name, (size_t)(hash - 1 - name));
	return json_string(name);
}

json_t *onecell_of(json_t *root, const struct matrix *m, size_t index)
{
	if (index >= m->n_cells || !json_is_object(root))
		return NULL;
	json_t *src = source_of(root, m, index);
	if (!src)
		return NULL;
	json_t *out = json_object(), *cell = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v)
		if (!listed(moved, ARRAY_SIZE(moved), key) && !listed(dropped, ARRAY_SIZE(dropped), key))
			json_object_set(out, key, v);
	json_object_set_new(cell, "name", plain_name(m, index));
	json_object_update(cell, json_object_get(root, "base"));
	json_object_foreach(src, key, v)
		if (strcmp(key, "name"))
			json_object_set(cell, key, v);
	for (size_t i = 0; i < ARRAY_SIZE(moved); i++)
		if (!json_object_get(cell, moved[i]) && json_object_get(root, moved[i]))
			json_object_set_new(cell, moved[i], json_deep_copy(json_object_get(root, moved[i])));
	/* workloads as objects: {"name": "touch"} for "touch" */
	size_t i;
	json_array_foreach(json_object_get(cell, "workloads"), i, v)
		if (json_is_string(v))
			json_array_set_new(json_object_get(cell, "workloads"), i,
					   json_pack("{s:O}", "name", v));
	json_object_set_new(out, "cells", json_pack("[o]", cell));
	json_decref(src);
	json_t *own = json_deep_copy(out); /* shares nothing with root */
	json_decref(out);
	return own;
}
