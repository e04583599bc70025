// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel findings provoked in real guests of both default kernels: one
 * cell each (the cell of examples/findings.json) in which hungtask holds two
 * tasks in D state for 4 s with kernel.hung_task_timeout_secs at 1, and
 * pagefrag probes high-order kmallocs twice, 10.5 s apart, in fragmented
 * memory. The cell's console log and the kmsg records of its stream, parsed
 * as the driver parses them (struct kernlog, harness/parse/findings.c),
 * must hold exactly two findings: "INFO: task hung in pipe_read" (each task
 * reported at least once) and the storm "page allocation failure in
 * sock_kmalloc" (both rounds logged). The matrix allows alloc_failure and
 * not hung_task: each cell's report lists both findings, the storm allowed
 * and the hung task not, so the cell FAILs on the hung task's title, the
 * run exits 1, and `oomlab findings` lists both titles on both kernels;
 * `oomlab minimize` shrinks the 6.1 cell to the hung task alone. About 2-3
 * minutes on this machine. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itest.h"
#include "lib/spawn.h"
#include "lib/util.h"
#include "lib/vocab.h"
#include "parse/findings.h"
#include "parse/parse.h"
#include "proto/stream.h"

TestSuite(findings, .init = setup, .fini = teardown, .timeout = 420);

static const char *const cell_ids[] = {"kernel-linux-image-6-1-0-57-amd64", "kernel-linux-image-6-12-amd64"};

/* Runs the findings cell on both kernels; returns the run dir (the caller
 * frees), whose cells/<cell_ids[k]>.* are the two cells' files. */
static char *run_findings_cells(int *exit_code)
{
	static const char m[] =
		"{\"name\":\"findings\",\"timeout_s\":90,"
		"\"base\":{\"ram_mb\":256,\"transparent_hugepage\":\"never\","
		"\"sysctl\":{\"kernel.hung_task_timeout_secs\":1}},"
		"\"axes\":{\"kernel\":[\"linux-image-6.1.0-57-amd64\",\"linux-image-6.12-amd64\"]},"
		"\"workloads\":[{\"name\":\"hungtask\",\"options\":{\"hold_ms\":4000,\"tasks\":2}},"
		"{\"name\":\"pagefrag\",\"options\":{\"madvise\":0,\"probe_rounds\":2}}],"
		"\"allow\":[\"alloc_failure\"]}";
	char *out = NULL;
	int rc = run_sweep(m, 360000, &out);
	cr_assert_neq(rc, -1, "oomlab run did not end");
	*exit_code = rc;
	return out;
}

/* The findings of a cell's console log (kernlog_feed_console). */
static void console_findings(const char *out, const char *id, struct kernlog *kl)
{
	char *p = xasprintf("%s/cells/%s.console.log", out, id), *data;
	size_t len;
	cr_assert_eq(read_file(p, &data, &len), 0, "cannot read %s", p);
	kernlog_init(kl);
	kernlog_feed_console(kl, data, len);
	free(data);
	free(p);
}

/* The findings of the kmsg records of a cell's stream (kernlog_feed of
 * each record's text, as the driver reads /dev/kmsg). */
static void kmsg_findings(const char *out, const char *id, struct kernlog *kl)
{
	char *p = xasprintf("%s/cells/%s.stream", out, id), *data;
	size_t len, pos = 0;
	cr_assert_eq(read_file(p, &data, &len), 0, "cannot read %s", p);
	kernlog_init(kl);
	struct stream_rec rec;
	while (stream_next(data, len, &pos, &rec, NULL)) {
		if (strcmp(rec.kind, STREAM_KIND_KMSG))
			continue;
		/* a record a line, continuation lines (" KEY=value") after it */
		for (const char *r = rec.payload, *end = rec.payload + rec.len; r < end;) {
			const char *q = r;
			for (;;) {
				const char *nl = memchr(q, '\n', (size_t)(end - q));
				q = nl ? nl + 1 : end;
				if (q >= end || *q != ' ')
					break;
			}
			struct kmsg_rec k;
			if (parse_kmsg_record(r, (size_t)(q - r), &k) == 0)
				kernlog_feed(kl, k.ts_us, k.text, k.text_len);
			r = q;
		}
	}
	free(data);
	free(p);
}

static const struct finding *by_title(const struct findings *fs, const char *title)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->f[i].title, title))
			return &fs->f[i];
	return NULL;
}

static void list(const char *what, const struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		cr_log_info("%s: [%s] \"%s\" x%d", what, finding_kind_name(fs->f[i].kind), fs->f[i].title,
			    fs->f[i].count);
}

/* Exactly the two findings the cell provokes, with their frames. */
static void expect_provoked(const char *what, const struct findings *fs)
{
	list(what, fs);
	cr_expect_eq(fs->n, 2, "%s: %zu findings", what, fs->n);
	const struct finding *h = by_title(fs, "INFO: task hung in pipe_read");
	cr_assert_not_null(h, "%s: no hung task", what);
	cr_expect_eq(h->kind, FK_HUNG_TASK);
	cr_expect_geq(h->count, 2, "%s: %d hung task reports for 2 tasks", what, h->count);
	cr_assert_geq(h->n_frames, 5);
	cr_expect_str_eq(h->frames[0], "__schedule");
	cr_expect_str_eq(h->frames[3], "__mutex_lock");
	cr_expect_str_eq(h->frames[4], "pipe_read");
	cr_expect(strstr(h->raw, " blocked for more than ") && strstr(h->raw, "</TASK>"), "%s", h->raw);
	const struct finding *a = by_title(fs, "page allocation failure in sock_kmalloc");
	cr_assert_not_null(a, "%s: no page allocation failure", what);
	cr_expect_eq(a->kind, FK_ALLOC_FAILURE);
	cr_expect_eq(a->count, 2, "%s: %d logged failures for 2 probe rounds", what, a->count);
	cr_assert_geq(a->n_frames, 2);
	cr_expect_str_eq(a->frames[0], "dump_stack_lvl");
	cr_expect_str_eq(a->frames[1], "warn_alloc");
	cr_expect(strstr(a->raw, ": page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP)"), "%s",
		  a->raw);
}

/* The cell report's finding of this title, or NULL. */
static json_t *report_finding(json_t *cell, const char *title)
{
	json_t *fs = json_object_get(cell, "findings"), *f;
	size_t i;
	json_array_foreach(fs, i, f)
		if (!strcmp(str(f, "title"), title))
			return f;
	return NULL;
}

/* The judge's part: both findings in the cell report, the storm allowed by
 * the matrix's "alloc_failure", the hung task not, and the cell FAIL. */
static void expect_judged(const char *id, json_t *cell)
{
	cr_expect_str_eq(str(cell, "verdict"), "FAIL", "%s", id);
	cr_expect_str_eq(str(cell, "verdict_reason"), "kernel finding: INFO: task hung in pipe_read", "%s", id);
	cr_expect_eq(json_array_size(json_object_get(cell, "findings")), 2, "%s", id);
	json_t *h = report_finding(cell, "INFO: task hung in pipe_read");
	cr_assert_not_null(h, "%s: no hung task in the report", id);
	cr_expect_str_eq(str(h, "kind"), "hung_task");
	cr_expect(json_is_false(json_object_get(h, "allowed")), "%s", id);
	cr_expect(json_is_null(json_object_get(h, "allowed_by")), "%s", id);
	cr_expect_geq(json_integer_value(json_object_get(h, "count")), 2, "%s", id);
	json_t *a = report_finding(cell, "page allocation failure in sock_kmalloc");
	cr_assert_not_null(a, "%s: no allocation failure in the report", id);
	cr_expect_str_eq(str(a, "kind"), "alloc_failure");
	cr_expect(json_is_true(json_object_get(a, "allowed")), "%s", id);
	cr_expect_str_eq(str(a, "allowed_by"), "alloc_failure", "%s", id);
	cr_expect_eq(json_integer_value(json_object_get(a, "count")), 2, "%s", id);
	/* both workloads ended as predicted: the finding alone fails the cell */
	for (size_t w = 0; w < 2; w++)
		cr_expect_str_eq(str(wl(cell, w), "verdict"), "PASS", "%s workload %zu", id, w);
}

/* `oomlab CMD ARGS...` (at most 8 ARGS, NULL-terminated), its output in
 * *text (also kept in out.CMD.txt); returns its exit code. */
static int oomlab_cmd(const char *out, int timeout_ms, char **text, const char *cmd, ...)
{
	const char *r = getenv("OOMLAB_ROOT");
	char *bin = xasprintf("%s/build/san/oomlab", r && *r ? r : ".");
	char *log = xasprintf("%s.%s.txt", out, cmd);
	char *argv[11] = {bin, (char *)cmd};
	va_list ap;
	va_start(ap, cmd);
	for (int i = 2; i < 10; i++)
		if (!(argv[i] = va_arg(ap, char *)))
			break;
	va_end(ap);
	FILE *f = fopen(log, "w");
	cr_assert_not_null(f);
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, fileno(f), fileno(f)};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, timeout_ms, &st), 0, "oomlab %s did not end", cmd);
	fclose(f);
	cr_assert_eq(read_file(log, text, NULL), 0);
	free(bin);
	free(log);
	cr_assert(WIFEXITED(st), "oomlab %s died: %s", cmd, status_str(st));
	return WEXITSTATUS(st);
}

/* oomlab minimize on the 6.1 cell (1 of 1 runs a step, as the hung task
 * comes every time): the hung task alone is the smallest cell; the
 * pagefrag workload, the allow entry it needed and the memory knobs go, the lowered
 * hung_task_timeout_secs stays (without it the kernel reports nothing). */
static void expect_minimized(const char *out)
{
	char *cell = xasprintf("%s/cells/%s.json", out, cell_ids[0]), *dir = xasprintf("%s/min", out), *text;
	int rc = oomlab_cmd(out, 600000, &text, "minimize", cell, "-k", "1", "-n", "1", "-o", dir, NULL);
	cr_assert_eq(rc, 0, "oomlab minimize: exit %d\n%s", rc, text);
	cr_expect(strstr(text, "kernel finding \"INFO: task hung in pipe_read\""), "%s", text);
	char *mp = xasprintf("%s/minimized.json", dir);
	json_error_t err;
	json_t *m = json_load_file(mp, 0, &err);
	cr_assert_not_null(m, "%s: %s", mp, err.text);
	const char *desc = str(m, "description");
	cr_expect(strstr(desc, "kernel finding \"INFO: task hung in pipe_read\"") &&
		  strstr(desc, "dropped workloads[1] (pagefrag)") && strstr(desc, "ram_mb 256 -> default"), "%s", desc);
	json_t *c = json_array_get(json_object_get(m, "cells"), 0);
	json_t *ws = json_object_get(c, "workloads");
	cr_assert_eq(json_array_size(ws), 1, "%s", text);
	cr_expect_str_eq(str(json_array_get(ws, 0), "name"), "hungtask");
	cr_expect_null(json_object_get(c, "ram_mb"));
	cr_expect_null(json_object_get(c, "transparent_hugepage"));
	/* with pagefrag gone nothing needs the matrix's allow of alloc_failure */
	cr_expect_null(json_object_get(m, "allow"), "%s", desc);
	cr_expect(strstr(desc, "removed allow[0] alloc_failure"), "%s", desc);
	json_t *sc = json_object_get(json_object_get(c, "sysctl"), "kernel.hung_task_timeout_secs");
	cr_expect(json_is_integer(sc) && json_integer_value(sc) == 1, "the lowered timeout is needed");
	json_decref(m);
	free(mp);
	free(text);
	free(dir);
	free(cell);
}

Test(findings, hung_task_and_alloc_failure_storm_on_both_kernels)
{
	int rc;
	char *out = run_findings_cells(&rc);
	cr_log_info("oomlab run: exit %d, run dir %s", rc, out);
	cr_expect_eq(rc, EXIT_FAIL, "the hung task is not allowed: exit %d", rc);
	for (size_t k = 0; k < ARRAY_SIZE(cell_ids); k++) {
		const char *id = cell_ids[k];
		json_t *cell = load_cell(out, id);
		/* both workloads did their job */
		json_t *h = wl(cell, 0), *p = wl(cell, 1);
		cr_expect_str_eq(reason(h), "done", "%s hungtask", id);
		cr_expect_eq(mint(h, "tasks_started"), 2, "%s", id);
		cr_expect_eq(mint(h, "write_bytes"), 4096, "%s", id);
		cr_expect_geq(mint(h, "held_ms"), 3000, "%s", id);
		cr_expect_str_eq(reason(p), "done", "%s pagefrag", id);
		cr_expect_geq(mint(p, "kmalloc_failed"), 1, "%s", id);
		cr_expect_geq(mint(p, "kmalloc_failed.r1"), 1, "%s", id);

		struct kernlog con, km;
		console_findings(out, id, &con);
		kmsg_findings(out, id, &km);
		char what[160];
		snprintf(what, sizeof what, "%s console", id);
		expect_provoked(what, &con.findings);
		snprintf(what, sizeof what, "%s kmsg", id);
		expect_provoked(what, &km.findings);
		kernlog_free(&con);
		kernlog_free(&km);
		expect_judged(id, cell);
		json_decref(cell);
	}
	validate(out);
	char *text;
	cr_expect_eq(oomlab_cmd(out, 30000, &text, "findings", out, NULL), EXIT_FAIL, "%s", text);
	cr_expect(strstr(text, "INFO: task hung in pipe_read") &&
		  strstr(text, "page allocation failure in sock_kmalloc"), "%s", text);
	free(text);
	expect_minimized(out);
	free(out);
}
