// SPDX-License-Identifier: GPL-2.0-or-later
/* A run dir: run.json and the cell reports it lists, loaded and checked
 * once for every reader (report, compare, merge, run --resume); and the
 * run report's rows, counts and exit code, made from the cell reports. */
#include "reports/rundir.h"
#include "lib/util.h"
#include "lib/vocab.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* path as a JSON object whose "format" is format; what (run, cell)
 * names the kind of report in the message. */
static json_t *load_json(const char *path, const char *format, const char *what, struct buf *err)
{
	char *data = NULL;
	size_t len = 0;
	if (read_file(path, &data, &len) < 0) {
		buf_printf(err, "%s: not an oomlab %s report (%s)", path, what, strerror(errno));
		return NULL;
	}
	json_error_t je;
	json_t *j = json_loadb(data, len, 0, &je);
	free(data);
	if (!j) {
		buf_printf(err, "%s: not an oomlab %s report (line %d column %d: %s)", path, what, je.line,
			   je.column, je.text);
		return NULL;
	}
	const char *f = json_string_value(json_object_get(j, "format"));
	if (!json_is_object(j) || !f || strcmp(f, format)) {
		buf_printf(err, "%s: not an oomlab %s report (format is %s%s%s, want \"%s\")", path, what,
			   f ? "\"" : "", f ? f : "missing", f ? "\"" : "", format);
		json_decref(j);
		return NULL;
	}
	return j;
}

/* A "findings" array (a cell report's, or a run.json row's): every entry an
 * object with a string kind and title; in a row also its count (>= 1) and
 * whether it was allowed, which the readers take without a cell report. A
 * report of an older oomlab has none: absent is no finding. */
static int findings_ok(json_t *fs, int row)
{
	if (!fs)
		return 1;
	if (!json_is_array(fs))
		return 0;
	size_t i;
	json_t *f;
	json_array_foreach(fs, i, f) {
		if (!json_is_object(f) || !json_is_string(json_object_get(f, "kind")) ||
		    !json_is_string(json_object_get(f, "title")))
			return 0;
		json_t *n = json_object_get(f, "count");
		if (row && (!json_is_integer(n) || json_integer_value(n) < 1 ||
			    !json_is_boolean(json_object_get(f, "allowed"))))
			return 0;
	}
	return 1;
}

/* The parts of a cell report the readers use must have the right types. */
static int check_cell(json_t *c, const char *path, struct buf *err)
{
	const char *bad = NULL;
	json_t *ws = json_object_get(c, "workloads");
	if (!json_is_string(json_object_get(c, "verdict")))
		bad = "verdict";
	else if (!json_is_object(json_object_get(c, "requested")))
		bad = "requested";
	else if (!json_is_array(ws))
		bad = "workloads";
	else if (json_object_get(c, "oom_events") && !json_is_array(json_object_get(c, "oom_events")))
		bad = "oom_events";
	else if (!findings_ok(json_object_get(c, "findings"), 0))
		bad = "findings";
	size_t i;
	json_t *w;
	if (!bad)
		json_array_foreach(ws, i, w)
			if (!json_is_object(w) || !json_is_string(json_object_get(w, "name")) ||
			    !json_is_string(json_object_get(w, "endpoint")))
				bad = "workloads[]";
	if (bad) {
		buf_printf(err, "%s: not an oomlab cell report (%s is missing or of the wrong type)", path,
			   bad);
		return -1;
	}
	return 0;
}

json_t *rundir_load_cell(const char *path, struct buf *err)
{
	json_t *c = load_json(path, CELL_FORMAT, "cell", err);
	if (c && check_cell(c, path, err) < 0) {
		json_decref(c);
		return NULL;
	}
	return c;
}

json_t *rundir_load_run(const char *dir, struct buf *err)
{
	struct stat st;
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		buf_printf(err, "%s: not a directory (want an oomlab run dir)", dir);
		return NULL;
	}
	char *rp = xasprintf("%s/run.json", dir);
	json_t *run = load_json(rp, RUN_FORMAT, "run", err);
	json_t *cells = json_object_get(run, "cells");
	size_t i;
	json_t *row;
	if (run && !json_is_array(cells)) {
		buf_printf(err, "%s: cells is missing or not an array", rp);
		goto bad;
	}
	json_array_foreach(cells, i, row) {
		const char *f = json_string_value(json_object_get(row, "file"));
		const char *id = json_string_value(json_object_get(row, "id"));
		if (!f || !*f || f[0] == '/' || strstr(f, "..")) {
			buf_printf(err, "%s: cells[%zu].file must be a path inside the run dir", rp, i);
			goto bad;
		}
		if (!id || !*id || strchr(id, '/')) {
			buf_printf(err, "%s: cells[%zu].id must be a cell id (no '/')", rp, i);
			goto bad;
		}
		if (!findings_ok(json_object_get(row, "findings"), 1)) {
			buf_printf(err, "%s: cells[%zu].findings must be an array of {kind, title, count, allowed}",
				   rp, i);
			goto bad;
		}
	}
	free(rp);
	return run;
bad:
	json_decref(run);
	free(rp);
	return NULL;
}

int rundir_load(const char *dir, struct rundir *r, struct buf *err)
{
	memset(r, 0, sizeof *r);
	r->run = rundir_load_run(dir, err);
	if (!r->run)
		return -1;
	r->dir = xstrdup(dir);
	r->cells = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(r->run, "cells"), i, row) {
		char *cp = xasprintf("%s/%s", dir, json_string_value(json_object_get(row, "file")));
		json_t *c = rundir_load_cell(cp, err);
		if (!c) {
			free(cp);
			rundir_free(r);
			return -1;
		}
		free(cp);
		json_array_append_new(r->cells, c);
	}
	return 0;
}

void rundir_free(struct rundir *r)
{
	if (!r)
		return;
	free(r->dir);
	json_decref(r->run);
	json_decref(r->cells);
	r->dir = NULL;
	r->run = r->cells = NULL;
}

json_t *rundir_cell_row(json_t *cell, const char *file)
{
	json_t *s = json_object();
	json_object_set(s, "id", json_object_get(json_object_get(cell, "cell"), "id"));
	json_object_set(s, "name", json_object_get(json_object_get(cell, "cell"), "name"));
	json_object_set(s, "index", json_object_get(json_object_get(cell, "cell"), "index"));
	json_object_set_new(s, "file", json_string(file));
	json_object_set(s, "status", json_object_get(cell, "status"));
	json_object_set(s, "verdict", json_object_get(cell, "verdict"));
	json_object_set(s, "verdict_reason", json_object_get(cell, "verdict_reason"));
	json_object_set(s, "kernel_release", json_object_get(json_object_get(cell, "kernel"), "release"));
	json_object_set(s, "wall_s", json_object_get(json_object_get(cell, "timings"), "wall_s"));
	json_t *rf = json_object_get(json_object_get(json_object_get(cell, "timings"), "warm_fallback"),
				     "restore_failures");
	if (json_is_integer(rf) && json_integer_value(rf) > 0)
		json_object_set(s, "restore_failures", rf);
	json_t *ws = json_array();
	json_t *oom = json_object_get(cell, "oom_events");
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(cell, "workloads"), i, w) {
		json_t *row = json_object();
		json_object_set(row, "name", json_object_get(w, "name"));
		json_object_set(row, "endpoint", json_object_get(w, "endpoint"));
		json_t *pr = json_object_get(w, "predicted");
		json_object_set(row, "predicted", json_object_get(pr, "endpoint"));
		json_object_set(row, "predicted_also", json_object_get(pr, "also"));
		json_object_set(row, "predicted_mb_min", json_object_get(pr, "mb_min"));
		json_object_set(row, "predicted_mb_max", json_object_get(pr, "mb_max"));
		json_object_set(row, "verdict", json_object_get(w, "verdict"));
		json_object_set(row, "mb_reached", json_object_get(w, "mb_reached"));
		json_object_set(row, "vm_hwm_kb", json_object_get(w, "vm_hwm_kb"));
		/* page tables at the kill when the OOM report has them, else the
		 * last sample's VmPTE */
		json_t *pte = json_object_get(json_object_get(w, "last_status"), "VmPTE_kb");
		json_t *oi = json_object_get(w, "oom_event");
		if (json_is_integer(oi)) {
			json_t *ev = json_array_get(oom, (size_t)json_integer_value(oi));
			if (json_is_integer(json_object_get(ev, "pgtables_kb")))
				pte = json_object_get(ev, "pgtables_kb");
		}
		json_object_set(row, "vm_pte_kb", pte);
		/* OOM events naming this workload's pid */
		json_int_t pid = json_integer_value(json_object_get(w, "pid"));
		size_t k, n = 0;
		json_t *e;
		json_array_foreach(oom, k, e)
			if (json_object_get(w, "pid") && json_integer_value(json_object_get(e, "victim_pid")) == pid)
				n++;
		json_object_set_new(row, "oom_events", json_integer((json_int_t)n));
		json_t *kids = json_object_get(w, "oom_kills_of_children");
		if (json_is_integer(kids))
			json_object_set(row, "oom_kills_of_children", kids);
		json_array_append_new(ws, row);
	}
	json_object_set_new(s, "workloads", ws);
	json_object_set_new(s, "oom_events", json_integer((json_int_t)json_array_size(oom)));
	/* the kernel's findings, enough for oomlab findings, the run page
	 * and compare (docs/findings.md); [] for a report that has none */
	json_t *fs = json_array(), *f;
	json_array_foreach(json_object_get(cell, "findings"), i, f) {
		if (!json_is_object(f))
			continue;
		json_t *row = json_object();
		json_object_set(row, "kind", json_object_get(f, "kind"));
		json_object_set(row, "title", json_object_get(f, "title"));
		json_object_set(row, "count", json_object_get(f, "count"));
		json_object_set_new(row, "allowed", json_boolean(json_is_true(json_object_get(f, "allowed"))));
		json_array_append_new(fs, row);
	}
	json_object_set_new(s, "findings", fs);
	return s;
}

int rundir_exit_code(json_t *run)
{
	enum verdict worst = V_PASS;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(run, "cells"), i, c) {
		const struct verdict_row *v = verdict_find(json_string_value(json_object_get(c, "verdict")));
		if (v && v->verdict > worst)
			worst = v->verdict;
	}
	return verdict_table[worst].exit_code;
}

static int by_index(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "index"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "index"));
	return x < y ? -1 : x > y;
}

void rundir_summarize(json_t *run)
{
	json_t *cells = json_object_get(run, "cells");
	size_t n = json_array_size(cells);
	json_t **rows = xcalloc(n ? n : 1, sizeof *rows);
	for (size_t i = 0; i < n; i++)
		rows[i] = json_incref(json_array_get(cells, i));
	qsort(rows, n, sizeof *rows, by_index);
	json_array_clear(cells);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(cells, rows[i]);
	free(rows);
	int counts[VERDICT_COUNT] = {0};
	json_int_t restore_failures = 0;
	size_t i;
	json_t *c;
	json_array_foreach(cells, i, c) {
		const struct verdict_row *v = verdict_find(json_string_value(json_object_get(c, "verdict")));
		if (v)
			counts[v->verdict]++;
		json_t *rf = json_object_get(c, "restore_failures");
		if (json_is_integer(rf) && json_integer_value(rf) > 0)
			restore_failures += json_integer_value(rf);
	}
	json_t *s = json_object();
	for (int k = 0; k < VERDICT_COUNT; k++)
		json_object_set_new(s, verdict_table[k].word, json_integer(counts[k]));
	json_object_set_new(s, "cells_done", json_integer((json_int_t)n));
	json_object_set_new(s, "restore_failures", json_integer(restore_failures));
	json_object_set_new(run, "summary", s);
	json_object_set_new(run, "exit_code", json_integer(rundir_exit_code(run)));
}

