// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab findings: the distinct titles of the kernel findings of run dirs,
 * from their run.json rows. */
#include "reports/findings_list.h"
#include "lib/jsonx.h"
#include "lib/util.h"
#include "lib/vocab.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static json_t *title_new(const char *title)
{
	return json_pack("{s:s,s:[],s:i,s:i,s:i,s:b,s:[],s:n,s:[]}", "title", title, "kinds", "count", 0,
			 "cells", 0, "cells_allowed", 0, "allowed", 0, "kernels", "first", "seen");
}

/* Where a cell is: its report, and its section of the run's HTML page when
 * the run dir has one. */
static json_t *first_of(const char *dir, json_t *row)
{
	const char *id = json_str(row, "id", "");
	char *report = xasprintf("%s/%s", dir, json_str(row, "file", ""));
	char *page = xasprintf("%s/report.html", dir);
	struct stat st;
	json_t *html = stat(page, &st) == 0 && S_ISREG(st.st_mode) ? json_sprintf("%s#cell-%s", page, id)
								    : json_null();
	json_t *f = json_pack("{s:s,s:s,s:O,s:O,s:s,s:o}", "run", dir, "id", id, "name",
			      json_object_get(row, "name") ? json_object_get(row, "name") : json_null(),
			      "kernel",
			      json_object_get(row, "kernel_release") ? json_object_get(row, "kernel_release")
								     : json_null(),
			      "report", report, "html", html);
	free(report);
	free(page);
	return f;
}

static int by_weight(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int ax = json_is_true(json_object_get(x, "allowed")), ay = json_is_true(json_object_get(y, "allowed"));
	if (ax != ay)
		return ax - ay;
	json_int_t cx = json_integer_value(json_object_get(x, "cells"));
	json_int_t cy = json_integer_value(json_object_get(y, "cells"));
	if (cx != cy)
		return cx > cy ? -1 : 1;
	return strcmp(json_str(x, "title", ""), json_str(y, "title", ""));
}

static void bump(json_t *o, const char *k, json_int_t by)
{
	json_object_set_new(o, k, json_integer(json_integer_value(json_object_get(o, k)) + by));
}

json_t *findings_list(json_t *const *runs, const char *const *dirs, size_t n)
{
	json_t *by_title = json_object(), *order = json_array(), *rinfo = json_array();
	size_t cells = 0, with = 0;
	for (size_t r = 0; r < n; r++) {
		size_t i, recorded = 0;
		json_t *row;
		json_t *rows = json_object_get(runs[r], "cells");
		json_array_foreach(rows, i, row) {
			json_t *fs = json_object_get(row, "findings");
			recorded += fs != NULL;
			cells++;
			with += json_array_size(fs) > 0;
			size_t k;
			json_t *f;
			json_array_foreach(fs, k, f) {
				const char *title = json_str(f, "title", "");
				json_t *t = json_object_get(by_title, title);
				if (!t) {
					t = title_new(title);
					json_object_set_new(by_title, title, t);
					json_array_append(order, t);
					json_object_set_new(t, "first", first_of(dirs[r], row));
				}
				json_int_t cnt = json_integer_value(json_object_get(f, "count"));
				int allowed = json_is_true(json_object_get(f, "allowed"));
				bump(t, "count", cnt);
				bump(t, "cells", 1);
				bump(t, "cells_allowed", allowed);
				json_append_unique(json_object_get(t, "kinds"), json_incref(json_object_get(f, "kind")));
				json_t *kr = json_object_get(row, "kernel_release");
				if (json_is_string(kr))
					json_append_unique(json_object_get(t, "kernels"), json_incref(kr));
				json_array_append_new(json_object_get(t, "seen"),
						      json_pack("{s:I,s:s,s:O,s:I,s:b}", "run", (json_int_t)r, "id",
								json_str(row, "id", ""), "name",
								json_object_get(row, "name") ? json_object_get(row, "name")
											    : json_null(),
								"count", cnt, "allowed", allowed));
			}
		}
		json_array_append_new(rinfo, json_pack("{s:s,s:O,s:I,s:b}", "dir", dirs[r], "run_id",
						       json_object_get(runs[r], "run_id") ? json_object_get(runs[r], "run_id")
											  : json_null(),
						       "cells", (json_int_t)json_array_size(rows), "recorded",
						       json_array_size(rows) == 0 || recorded > 0));
	}
	size_t nt = json_array_size(order), not_allowed = 0;
	json_t **t = xcalloc(nt ? nt : 1, sizeof *t);
	for (size_t i = 0; i < nt; i++) {
		t[i] = json_array_get(order, i);
		int all = json_integer_value(json_object_get(t[i], "cells_allowed")) ==
			  json_integer_value(json_object_get(t[i], "cells"));
		json_object_set_new(t[i], "allowed", json_boolean(all));
		not_allowed += !all;
	}
	qsort(t, nt, sizeof *t, by_weight);
	json_t *titles = json_array();
	for (size_t i = 0; i < nt; i++)
		json_array_append(titles, t[i]);
	free(t);
	json_t *doc = json_object();
	json_object_set_new(doc, "format", json_string(FINDINGS_LIST_FORMAT));
	json_object_set_new(doc, "runs", rinfo);
	json_object_set_new(doc, "titles", titles);
	json_object_set_new(doc, "summary",
			    json_pack("{s:I,s:I,s:I,s:I}", "titles", (json_int_t)nt, "not_allowed",
				      (json_int_t)not_allowed, "cells", (json_int_t)cells, "cells_with_findings",
				      (json_int_t)with));
	json_object_set_new(doc, "exit_code", json_integer(not_allowed ? EXIT_FAIL : EXIT_OK));
	json_decref(order);
	json_decref(by_title);
	return doc;
}

int findings_list_exit_code(json_t *doc)
{
	return json_integer_value(json_object_get(json_object_get(doc, "summary"), "not_allowed")) ? EXIT_FAIL
												      : EXIT_OK;
}

/* ---- the table ---- */

#define NCOL 7
static const char *const col_head[NCOL] = {"title", "kind", "count", "cells", "allowed", "kernels", "first seen"};
static const int col_right[NCOL] = {0, 0, 1, 1, 0, 0, 0};

/* Text from the guest, safe on a terminal: control characters become '?'. */
static char *term_safe(const char *s)
{
	char *o = xstrdup(s ? s : "");
	for (char *p = o; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = '?';
	return o;
}

static char *joined(json_t *a)
{
	struct buf b = {0};
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(v) ? json_string_value(v) : "?");
	char *s = term_safe(b.data ? b.data : "-");
	buf_free(&b);
	return s;
}

void findings_list_print(FILE *f, json_t *doc, int color)
{
	json_t *titles = json_object_get(doc, "titles");
	size_t n = json_array_size(titles), i;
	char *(*rows)[NCOL] = xcalloc(n ? n : 1, sizeof *rows);
	size_t width[NCOL];
	for (int j = 0; j < NCOL; j++)
		width[j] = strlen(col_head[j]);
	json_t *t;
	json_array_foreach(titles, i, t) {
		json_int_t c = json_integer_value(json_object_get(t, "cells"));
		json_int_t ca = json_integer_value(json_object_get(t, "cells_allowed"));
		rows[i][0] = term_safe(json_str(t, "title", "?"));
		rows[i][1] = joined(json_object_get(t, "kinds"));
		rows[i][2] = xasprintf("%lld", (long long)json_integer_value(json_object_get(t, "count")));
		rows[i][3] = xasprintf("%lld", (long long)c);
		rows[i][4] = ca == c ? xstrdup("yes") : ca ? xasprintf("%lld of %lld", (long long)ca, (long long)c)
						      : xstrdup("no");
		rows[i][5] = joined(json_object_get(t, "kernels"));
		rows[i][6] = term_safe(json_str(json_object_get(t, "first"), "report", "?"));
		for (int j = 0; j < NCOL; j++)
			if (strlen(rows[i][j]) > width[j])
				width[j] = strlen(rows[i][j]);
	}
	if (n) {
		for (int j = 0; j < NCOL - 1; j++)
			fprintf(f, col_right[j] ? "%*s  " : "%-*s  ", (int)width[j], col_head[j]);
		fprintf(f, "%s\n", col_head[NCOL - 1]);
	}
	for (i = 0; i < n; i++) {
		int bad = strcmp(rows[i][4], "yes") != 0;
		for (int j = 0; j < NCOL - 1; j++) {
			const char *on = color && j == 4 ? (bad ? "\033[31m" : "\033[32m") : "";
			fprintf(f, "%s", on);
			fprintf(f, col_right[j] ? "%*s" : "%-*s", (int)width[j], rows[i][j]);
			fprintf(f, "%s  ", *on ? "\033[0m" : "");
		}
		fprintf(f, "%s\n", rows[i][NCOL - 1]);
		for (int j = 0; j < NCOL; j++)
			free(rows[i][j]);
	}
	free(rows);
	if (n)
		fprintf(f, "\n");
	json_t *r;
	json_array_foreach(json_object_get(doc, "runs"), i, r)
		if (!json_is_true(json_object_get(r, "recorded"))) {
			char *d = term_safe(json_str(r, "dir", "?"));
			fprintf(f, "note: %s records no findings (its run.json was written before oomlab "
				   "recorded them)\n",
				d);
			free(d);
		}
	json_t *s = json_object_get(doc, "summary");
#define G(k) ((long long)json_integer_value(json_object_get(s, k)))
	size_t nruns = json_array_size(json_object_get(doc, "runs"));
	fprintf(f, "%lld title%s (%lld not allowed) in %lld of %lld cells of %zu run%s\n",
		G("titles"), G("titles") == 1 ? "" : "s", G("not_allowed"), G("cells_with_findings"), G("cells"),
		nruns, nruns == 1 ? "" : "s");
#undef G
}
