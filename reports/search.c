// SPDX-License-Identifier: GPL-2.0-or-later
#include "search.h"
#include "lib/jsonx.h"
#include "lib/util.h"

#include <string.h>

/* Cells that ran: they have a verdict. */
static int ran(json_t *e)
{
	return json_is_string(json_object_get(e, "verdict"));
}

void search_curve(json_t *s, struct search_curve *c)
{
	json_t *cells = json_object_get(s, "cells");
	size_t n = json_array_size(cells), i, k;
	json_t *e, *f;
	*c = (struct search_curve){0};
	if (!n)
		return;
	c->sigs = xcalloc(n, sizeof *c->sigs);
	c->titles = xcalloc(n, sizeof *c->titles);
	json_t *sigs = json_object(), *titles = json_object();
	json_array_foreach(cells, i, e) {
		if (!ran(e))
			continue;
		const char *h = json_string_value(json_object_get(e, "signature_hash"));
		if (h)
			json_object_set_new(sigs, h, json_true());
		json_array_foreach(json_object_get(e, "findings"), k, f) {
			const char *t = json_string_value(json_object_get(f, "title"));
			if (t)
				json_object_set_new(titles, t, json_true());
		}
		c->sigs[c->n] = json_object_size(sigs);
		c->titles[c->n] = json_object_size(titles);
		c->n++;
	}
	json_decref(sigs);
	json_decref(titles);
	if (!c->n)
		search_curve_free(c);
}

void search_curve_free(struct search_curve *c)
{
	free(c->sigs);
	free(c->titles);
	*c = (struct search_curve){0};
}

/* Bump "cells" of the row of key k in index (a {key: row} object), or
 * make the row with make(e) and append it to rows. */
static json_t *count_row(json_t *index, json_t *rows, const char *k)
{
	json_t *row = json_object_get(index, k);
	if (row) {
		json_object_set_new(row, "cells", json_integer(json_integer_value(json_object_get(row, "cells")) + 1));
		return NULL;
	}
	row = json_object();
	json_object_set_new(row, "cells", json_integer(1));
	json_object_set(index, k, row);
	json_array_append_new(rows, row);
	return row;
}

json_t *search_signatures(json_t *s)
{
	json_t *rows = json_array(), *index = json_object(), *e;
	size_t i;
	json_array_foreach(json_object_get(s, "cells"), i, e) {
		const char *h = json_string_value(json_object_get(e, "signature_hash"));
		if (!ran(e) || !h)
			continue;
		json_t *row = count_row(index, rows, h);
		if (!row)
			continue;
		json_object_set_new(row, "hash", json_string(h));
		json_object_set_new(row, "signature", json_string(json_str(e, "signature", "")));
		json_object_set(row, "first", json_object_get(e, "index"));
		json_object_set_new(row, "name", json_string(json_str(e, "name", "")));
		json_t *o = json_object_get(e, "origin");
		json_object_set_new(row, "origin", o ? json_incref(o) : json_null());
		json_object_set_new(row, "new", json_boolean(json_is_true(json_object_get(e, "new"))));
	}
	json_decref(index);
	return rows;
}

json_t *search_findings(json_t *s)
{
	json_t *rows = json_array(), *index = json_object(), *e, *f;
	size_t i, k;
	json_array_foreach(json_object_get(s, "cells"), i, e) {
		if (!ran(e))
			continue;
		json_t *once = json_object(); /* a title twice in a cell counts once */
		json_array_foreach(json_object_get(e, "findings"), k, f) {
			const char *t = json_string_value(json_object_get(f, "title"));
			if (!t || json_object_get(once, t))
				continue;
			json_object_set_new(once, t, json_true());
			json_t *row = count_row(index, rows, t);
			if (row) {
				json_object_set_new(row, "title", json_string(t));
				json_object_set_new(row, "kind", json_string(json_str(f, "kind", "")));
				json_object_set(row, "first", json_object_get(e, "index"));
				json_object_set_new(row, "name", json_string(json_str(e, "name", "")));
				json_object_set_new(row, "not_allowed", json_integer(0));
				static const char *const keep[] = {"report", "repro", "minimize"};
				for (size_t j = 0; j < ARRAY_SIZE(keep); j++) {
					json_t *v = json_object_get(e, keep[j]);
					json_object_set_new(row, keep[j], v ? json_incref(v) : json_null());
				}
			} else {
				row = json_object_get(index, t);
			}
			if (!json_is_true(json_object_get(f, "allowed")))
				json_object_set_new(row, "not_allowed",
						    json_integer(json_integer_value(json_object_get(row, "not_allowed")) + 1));
		}
		json_decref(once);
	}
	json_decref(index);
	return rows;
}

const char *search_minimize_title(json_t *e, json_t *seen)
{
	if (strcmp(json_str(e, "verdict", ""), "FAIL") || !json_is_string(json_object_get(e, "report")))
		return NULL;
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(e, "findings"), i, f) {
		const char *t = json_string_value(json_object_get(f, "title"));
		if (t && !json_is_true(json_object_get(f, "allowed")) && !json_object_get(seen, t))
			return t;
	}
	return NULL;
}

double search_minimize_needs(long long n, long long jobs, double slowest_s)
{
	if (jobs < 1)
		jobs = 1;
	return (double)((n + jobs - 1) / jobs) * slowest_s;
}
