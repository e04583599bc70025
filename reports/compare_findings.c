// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab compare: the kernel finding titles of the compared cells, base
 * against new. */
#include "reports/compare_findings.h"
#include "lib/jsonx.h"
#include "lib/util.h"

#include <string.h>

/* What became of a title: the rows of the "status" of a title. */
enum fnd_status { FND_NEW, FND_GONE, FND_BOTH, FND_STATUS_COUNT };

static const struct {
	const char *word;  /* "status" in the document */
	const char *shown; /* in the table */
	const char *ansi;  /* its colour there when it decides (not allowed) */
} fnd_status_table[FND_STATUS_COUNT] = {
	[FND_NEW] = {"new", "NEW", "\033[31m"},
	[FND_GONE] = {"gone", "gone", "\033[32m"},
	[FND_BOTH] = {"both", "in both", ""},
};

/* Does either run record findings (a row with the key)? */
static int recorded(const struct rundir *r)
{
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(r->run, "cells"), i, row)
		if (json_object_get(row, "findings"))
			return 1;
	return 0;
}

static json_t *row_by_id(const struct rundir *r, json_t *id)
{
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(r->run, "cells"), i, row)
		if (json_equal(json_object_get(row, "id"), id))
			return row;
	return NULL;
}

static json_t *side_new(void)
{
	return json_pack("{s:i,s:[],s:b}", "count", 0, "cells", "allowed", 1);
}

/* The findings of the cells of one side of a compared doc cell into
 * titles (title -> {title, kinds, base, new}). */
static void add_side(json_t *titles, json_t *order, const struct rundir *r, json_t *dc, const char *side)
{
	size_t i, k;
	json_t *id, *f;
	json_array_foreach(json_object_get(json_object_get(dc, side), "ids"), i, id) {
		json_t *row = row_by_id(r, id);
		json_array_foreach(json_object_get(row, "findings"), k, f) {
			const char *title = json_str(f, "title", "");
			json_t *t = json_object_get(titles, title);
			if (!t) {
				t = json_pack("{s:s,s:[],s:o,s:o}", "title", title, "kinds", "base", side_new(), "new",
					      side_new());
				json_object_set_new(titles, title, t);
				json_array_append(order, t);
			}
			json_append_unique(json_object_get(t, "kinds"), json_incref(json_object_get(f, "kind")));
			json_t *s = json_object_get(t, side);
			json_object_set_new(s, "count", json_integer(json_integer_value(json_object_get(s, "count")) +
								     json_integer_value(json_object_get(f, "count"))));
			json_append_unique(json_object_get(s, "cells"), json_incref(json_object_get(dc, "name")));
			if (!json_is_true(json_object_get(f, "allowed")))
				json_object_set_new(s, "allowed", json_false());
		}
	}
}

void compare_findings(json_t *doc, const struct rundir *base, const struct rundir *nw)
{
	int rb = recorded(base), rn = recorded(nw);
	if (!rb && !rn)
		return;
	json_t *titles = json_object(), *order = json_array();
	size_t i;
	json_t *dc;
	json_array_foreach(json_object_get(doc, "cells"), i, dc) {
		if (!json_object_get(dc, "workloads")) /* only compared cells have them */
			continue;
		add_side(titles, order, base, dc, "base");
		add_side(titles, order, nw, dc, "new");
	}
	size_t n_new = 0, n_gone = 0;
	json_t *t;
	json_array_foreach(order, i, t) {
		json_t *b = json_object_get(t, "base"), *n = json_object_get(t, "new");
		int inb = json_array_size(json_object_get(b, "cells")) > 0;
		int inn = json_array_size(json_object_get(n, "cells")) > 0;
		enum fnd_status s = inb && inn ? FND_BOTH : inn ? FND_NEW : FND_GONE;
		/* allowed: by every cell it came in, on the side that decides */
		json_t *side = s == FND_GONE ? b : n;
		int allowed = json_is_true(json_object_get(side, "allowed"));
		int decides = rb && rn && s != FND_BOTH && !allowed;
		if (!inb)
			json_object_set_new(b, "allowed", json_null());
		if (!inn)
			json_object_set_new(n, "allowed", json_null());
		json_object_set_new(t, "status", json_string(fnd_status_table[s].word));
		json_object_set_new(t, "allowed", json_boolean(allowed));
		json_object_set_new(t, "regression", json_boolean(decides && s == FND_NEW));
		n_new += decides && s == FND_NEW;
		n_gone += decides && s == FND_GONE;
	}
	json_t *f = json_object();
	json_object_set_new(f, "compared", json_boolean(rb && rn));
	if (!(rb && rn))
		json_object_set_new(f, "reason", json_sprintf("the %s run records no findings (an older oomlab)",
							     rb ? "new" : "base"));
	json_object_set(f, "titles", order);
	json_object_set_new(doc, "findings", f);
	json_t *s = json_object_get(doc, "summary");
	json_object_set_new(s, "findings_new", json_integer((json_int_t)n_new));
	json_object_set_new(s, "findings_gone", json_integer((json_int_t)n_gone));
	json_decref(order);
	json_decref(titles);
}

long long compare_findings_regressed(json_t *doc)
{
	return json_integer_value(json_object_get(json_object_get(doc, "summary"), "findings_new"));
}

static void put_safe(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc((unsigned char)*s < ' ' || *s == 0x7f ? '?' : *s, f);
}

void compare_findings_print(FILE *f, json_t *doc, int color)
{
	json_t *fd = json_object_get(doc, "findings");
	if (!fd)
		return;
	if (!json_is_true(json_object_get(fd, "compared"))) {
		fprintf(f, "\nkernel findings are not compared: %s\n", json_str(fd, "reason", "?"));
		return;
	}
	json_t *titles = json_object_get(fd, "titles");
	if (!json_array_size(titles)) {
		fprintf(f, "\nkernel findings: none in the compared cells of either run\n");
		return;
	}
	fprintf(f, "\nkernel findings in the compared cells:\n");
	size_t i;
	json_t *t;
	json_array_foreach(titles, i, t) {
		const char *st = json_str(t, "status", "");
		int s;
		for (s = 0; s < FND_STATUS_COUNT && strcmp(st, fnd_status_table[s].word); s++)
			;
		if (s == FND_STATUS_COUNT)
			continue;
		int allowed = json_is_true(json_object_get(t, "allowed"));
		const char *on = color && !allowed ? fnd_status_table[s].ansi : "";
		fprintf(f, "  %s%-7s%s  ", on, fnd_status_table[s].shown, *on ? "\033[0m" : "");
		put_safe(f, json_str(t, "title", "?"));
		fprintf(f, " (");
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(t, "kinds"), k, v) {
			fprintf(f, "%s", k ? ", " : "");
			put_safe(f, json_string_value(v));
		}
		fprintf(f, ")%s", allowed ? ", allowed" : "");
		static const char *const sides[] = {"base", "new"};
		for (int sd = 0; sd < 2; sd++) {
			json_t *x = json_object_get(t, sides[sd]);
			json_t *cells = json_object_get(x, "cells");
			if (!json_array_size(cells))
				continue;
			fprintf(f, "; %s: %lld in ", sides[sd], (long long)json_integer_value(json_object_get(x, "count")));
			json_array_foreach(cells, k, v) {
				fprintf(f, "%s", k ? ", " : "");
				put_safe(f, json_string_value(v));
			}
		}
		fprintf(f, "\n");
	}
	json_t *s = json_object_get(doc, "summary");
	fprintf(f, "%lld new (a regression), %lld gone; allowed titles decide nothing\n",
		(long long)json_integer_value(json_object_get(s, "findings_new")),
		(long long)json_integer_value(json_object_get(s, "findings_gone")));
}
