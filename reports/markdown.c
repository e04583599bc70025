// SPDX-License-Identifier: GPL-2.0-or-later
/* The Markdown summaries of a run and of a comparison (markdown.h). */
#include "reports/markdown.h"
#include "reports/compare_rows.h"
#include "lib/jsonx.h"
#include "lib/vocab.h"

#include <string.h>

void markdown_esc(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			buf_printf(b, " ");
		else if (strchr("\\`*_[]<|~&", c))
			buf_printf(b, "\\%c", c);
		else
			buf_printf(b, "%c", c);
	}
}

/* "and N more" after a table cut at MARKDOWN_MAX_ROWS. */
static void more(struct buf *b, size_t rows, const char *where)
{
	if (rows > MARKDOWN_MAX_ROWS)
		buf_printf(b, "\nand %zu more%s\n", rows - MARKDOWN_MAX_ROWS, where);
}

static void html_line(struct buf *b, const char *html)
{
	if (!html)
		return;
	buf_printf(b, "\nHTML report: ");
	markdown_esc(b, html);
	buf_printf(b, "\n");
}

/* ---- a run ---- */

/* The titles of findings some cell did not allow: title -> {kind, cells}. */
static json_t *unallowed_findings(json_t *run)
{
	json_t *t = json_object(), *order = json_array();
	size_t i, k;
	json_t *row, *f;
	json_array_foreach(json_object_get(run, "cells"), i, row) json_array_foreach(json_object_get(row, "findings"), k, f)
	{
		if (json_is_true(json_object_get(f, "allowed")))
			continue;
		const char *title = json_str(f, "title", "?");
		json_t *e = json_object_get(t, title);
		if (!e) {
			e = json_pack("{s:s,s:s,s:i}", "title", title, "kind", json_str(f, "kind", "?"), "cells", 0);
			json_object_set_new(t, title, e);
			json_array_append(order, e);
		}
		json_object_set_new(e, "cells", json_integer(json_integer_value(json_object_get(e, "cells")) + 1));
	}
	json_decref(t);
	return order;
}

/* The verdict whose exit code the run has (PASS for 0), from the table. */
static const char *run_word(int code)
{
	for (size_t i = 0; i < VERDICT_COUNT; i++)
		if (verdict_table[verdict_shown[i]].exit_code == code)
			return verdict_table[verdict_shown[i]].word;
	return "error";
}

void markdown_run(struct buf *b, json_t *run, const char *html)
{
	json_t *s = json_object_get(run, "summary"), *kernels = json_object_get(run, "kernels");
	int code = (int)json_integer_value(json_object_get(run, "exit_code"));
	buf_printf(b, "### oomlab run ");
	markdown_esc(b, json_str(run, "run_id", "?"));
	buf_printf(b, ": %s\n\nmatrix ", run_word(code));
	markdown_esc(b, json_str(json_object_get(run, "matrix"), "name", "?"));
	buf_printf(b, " on ");
	size_t i;
	json_t *k, *row;
	json_array_foreach(kernels, i, k) {
		buf_printf(b, "%s", i ? ", " : "");
		markdown_esc(b, json_str(k, "release", json_str(k, "arg", "?")));
	}
	buf_printf(b, ": %zu cells, **", json_array_size(json_object_get(run, "cells")));
	for (size_t v = 0; v < VERDICT_COUNT; v++) {
		const char *w = verdict_table[verdict_shown[v]].word;
		buf_printf(b, "%s%lld %s", v ? ", " : "", (long long)json_integer_value(json_object_get(s, w)), w);
	}
	buf_printf(b, "**%s\n", json_is_true(json_object_get(run, "interrupted")) ? " (interrupted)" : "");
	size_t rows = 0;
	json_array_foreach(json_object_get(run, "cells"), i, row) {
		const char *v = json_str(row, "verdict", "");
		if (strcmp(v, "FAIL") && strcmp(v, "BROK"))
			continue;
		if (!rows++)
			buf_printf(b, "\n| cell | verdict | why |\n|---|---|---|\n");
		if (rows > MARKDOWN_MAX_ROWS)
			continue;
		buf_printf(b, "| ");
		markdown_esc(b, json_str(row, "name", json_str(row, "id", "?")));
		if (json_array_size(kernels) > 1) {
			buf_printf(b, " (");
			markdown_esc(b, json_str(row, "kernel_release", "?"));
			buf_printf(b, ")");
		}
		buf_printf(b, " | %s | ", v);
		markdown_esc(b, json_str(row, "verdict_reason", ""));
		buf_printf(b, " |\n");
	}
	more(b, rows, " FAIL or BROK cells");
	json_t *fd = unallowed_findings(run), *f;
	json_array_foreach(fd, i, f) {
		if (!i)
			buf_printf(b, "\nKernel findings not allowed:\n\n");
		if (i >= MARKDOWN_MAX_ROWS)
			continue;
		buf_printf(b, "- ");
		markdown_esc(b, json_str(f, "title", "?"));
		buf_printf(b, " (");
		markdown_esc(b, json_str(f, "kind", "?"));
		buf_printf(b, "): %lld cells\n", (long long)json_integer_value(json_object_get(f, "cells")));
	}
	more(b, json_array_size(fd), " titles");
	json_decref(fd);
	html_line(b, html);
}

/* ---- a comparison ---- */

static void row_start(struct buf *b, json_t *cell, const char *wl)
{
	buf_printf(b, "| ");
	markdown_esc(b, json_str(cell, "name", "?"));
	buf_printf(b, " | ");
	markdown_esc(b, wl ? wl : "-");
	buf_printf(b, " | ");
}

/* A tested figure: "MB reached 230.1 (2.2) 5 → 251.8 (1.1) 5, +21.7 [+19, +24.4] MB". */
static void figure_row(struct buf *b, json_t *cell, json_t *f)
{
	char label[160], sa[96], sb[96], d[128];
	compare_row_label(label, sizeof label, f);
	compare_row_side(sa, sizeof sa, f, "base");
	compare_row_side(sb, sizeof sb, f, "new");
	compare_row_diff(d, sizeof d, f);
	row_start(b, cell, json_is_string(json_object_get(f, "name")) ? json_str(f, "name", "") : NULL);
	markdown_esc(b, label);
	buf_printf(b, " %s → %s", sa, sb);
	if (*d) {
		buf_printf(b, ", %s ", d);
		markdown_esc(b, json_str(f, "unit", ""));
	}
	json_t *p = compare_row_p(f);
	buf_printf(b, " | %.2g (%.2g) | %s%s%s |\n", json_number_value(json_object_get(f, "p_adjusted")),
		   json_number_value(p), compare_row_verdict(f),
		   strcmp(json_str(f, "verdict", ""), "same") ? "" : " (within tolerance)",
		   json_is_true(json_object_get(f, "noisy")) ? " (noisy: TCG)" : "");
}

/* Reasons of the tolerance rule (or of the OOM episodes): one row. */
static void reasons_row(struct buf *b, json_t *cell, const char *wl, const char *prefix, json_t *reasons,
			const char *status)
{
	row_start(b, cell, wl);
	if (prefix)
		buf_printf(b, "%s: ", prefix);
	size_t i;
	json_t *r;
	json_array_foreach(reasons, i, r) {
		buf_printf(b, "%s", i ? "; " : "");
		markdown_esc(b, json_string_value(r));
	}
	buf_printf(b, " | - | ");
	for (const char *c = status; *c; c++)
		buf_printf(b, "%c", *c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
	buf_printf(b, " |\n");
}

static int changed(const char *status)
{
	return !strcmp(status, "regressed") || !strcmp(status, "changed");
}

/* The rows of a cell into b (the first MARKDOWN_MAX_ROWS of the table);
 * returns how many it has. */
static size_t cell_rows(struct buf *b, json_t *c, size_t before)
{
	size_t n = 0, k;
	json_t *f, *w;
	struct buf sink = {0};
#define OUT (before + n < MARKDOWN_MAX_ROWS ? b : &sink)
	json_t *st = json_object_get(c, "statistics");
	if (!strcmp(json_str(st, "decided_by", ""), "statistics")) {
		json_array_foreach(json_object_get(st, "figures"), k, f)
			if (compare_row_p(f) && compare_row_listed(f)) {
				figure_row(OUT, c, f);
				n++;
			}
	} else {
		json_array_foreach(json_object_get(c, "workloads"), k, w)
			if (changed(json_str(w, "status", ""))) {
				reasons_row(OUT, c, json_str(w, "name", "?"), NULL, json_object_get(w, "reasons"),
					    json_str(w, "status", ""));
				n++;
			}
	}
	json_t *ep = json_object_get(c, "oom_episodes");
	if (changed(json_str(ep, "status", ""))) {
		reasons_row(OUT, c, NULL, "OOM episodes", json_object_get(ep, "reasons"), json_str(ep, "status", ""));
		n++;
	}
#undef OUT
	buf_free(&sink);
	return n;
}

void markdown_compare(struct buf *b, json_t *doc, const char *html)
{
	json_t *s = json_object_get(doc, "summary");
	const char *word = json_integer_value(json_object_get(s, "regressed")) ||
					   json_integer_value(json_object_get(s, "findings_new"))
				   ? "REGRESSED"
			   : json_integer_value(json_object_get(s, "compared")) ? "no regression"
									 : "nothing compared";
	buf_printf(b, "### oomlab compare: %s\n\n", word);
	static const char *const sides[] = {"base", "new"};
	for (int i = 0; i < 2; i++) {
		json_t *x = json_object_get(doc, sides[i]);
		buf_printf(b, "%s ", i ? " →" : "base");
		markdown_esc(b, json_str(x, "run_id", "?"));
		buf_printf(b, " (");
		size_t k;
		json_t *r;
		json_array_foreach(json_object_get(x, "kernels"), k, r) {
			buf_printf(b, "%s", k ? ", " : "");
			markdown_esc(b, json_string_value(r));
		}
		buf_printf(b, ")");
	}
#define G(k) ((long long)json_integer_value(json_object_get(s, k)))
	buf_printf(b, ": %lld compared, **%lld regressed**, %lld changed, %lld same; %lld only in base, %lld only in "
		      "new, %lld skipped (BROK)\n",
		   G("compared"), G("regressed"), G("changed"), G("same"), G("only_base"), G("only_new"), G("skipped"));
#undef G
	size_t rows = 0, i;
	json_t *c;
	struct buf t = {0};
	json_array_foreach(json_object_get(doc, "cells"), i, c)
		rows += cell_rows(&t, c, rows);
	if (rows)
		buf_printf(b, "\n| cell | workload | change | p adjusted (raw) | verdict |\n|---|---|---|---|---|\n%s",
			   t.data);
	buf_free(&t);
	if (!rows && json_integer_value(json_object_get(s, "compared")))
		buf_printf(b, "\nNothing regressed or changed.\n");
	more(b, rows, " changes");
	json_t *st = json_object_get(doc, "statistics");
	struct compare_row_counts cnt;
	compare_row_count(doc, &cnt);
	if (json_integer_value(json_object_get(st, "cells")))
		buf_printf(b, "\nTested: Welch's t-test (Fisher's exact test for endpoint and victim), Holm's correction over "
			      "%lld tests, alpha %g; a change reads base → new as mean (sd) n, then the difference [95%% CI].\n",
			   (long long)json_integer_value(json_object_get(st, "tests")),
			   json_number_value(json_object_get(st, "alpha")));
	/* the cells without a p-value */
	size_t thin = st ? cnt.thin : (size_t)json_integer_value(json_object_get(s, "compared"));
	if (thin)
		buf_printf(b, "\n%zu compared cells decided by the tolerance rule (no p-value: %s).\n", thin,
			   st ? "not enough repeats" : "--tolerance-only");
	json_t *titles = json_object_get(json_object_get(doc, "findings"), "titles"), *t2;
	size_t nf = 0;
	json_array_foreach(titles, i, t2) {
		if (!json_is_true(json_object_get(t2, "regression")))
			continue;
		if (!nf++)
			buf_printf(b, "\nNew kernel findings not allowed:\n\n");
		if (nf > MARKDOWN_MAX_ROWS)
			continue;
		buf_printf(b, "- ");
		markdown_esc(b, json_str(t2, "title", "?"));
		buf_printf(b, ": %lld cells\n",
			   (long long)json_integer_value(json_object_get(json_object_get(t2, "new"), "count")));
	}
	more(b, nf, " titles");
	html_line(b, html);
}
