// SPDX-License-Identifier: GPL-2.0-or-later
/* The results table of a run report (oomlab run, merge and report). */
#include "reports/table.h"
#include "lib/vocab.h"

#include <jansson.h>
#include <string.h>

/* A word that is no verdict is yellow. */
static const char *verdict_color(const char *v)
{
	const struct verdict_row *r = verdict_find(v);
	return r ? r->ansi : "\033[33m";
}

/* A verdict's rank (lib/vocab.h: PASS < SKIP < FAIL < BROK), -1 for a
 * word that is no verdict. */
static int rank(const char *v)
{
	const struct verdict_row *r = verdict_find(v);
	return r ? (int)r->verdict : -1;
}

static void fmt_mb(char *out, size_t n, json_t *v, double div)
{
	if (json_is_number(v))
		snprintf(out, n, "%.0f", json_number_value(v) / div);
	else
		snprintf(out, n, "-");
}

static const char *S(json_t *v)
{
	const char *s = json_string_value(v);
	return s ? s : "-";
}

void report_print_table(FILE *f, json_t *run, int color)
{
	size_t namew = 4;
	size_t i, j;
	json_t *c, *w;
	json_array_foreach(json_object_get(run, "cells"), i, c) {
		const char *n = json_string_value(json_object_get(c, "name"));
		if (n && strlen(n) > namew)
			namew = strlen(n);
	}
	if (namew > 64)
		namew = 64;
	fprintf(f, "%-*s  %-9s  %-11s  %-18s  %10s  %-13s  %8s  %8s  %4s  %s\n", (int)namew, "cell",
		"workload", "endpoint", "predicted", "MB reached", "predicted MB", "VmHWM MB", "VmPTE MB",
		"oom", "verdict");
	json_array_foreach(json_object_get(run, "cells"), i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		json_t *ws = json_object_get(c, "workloads");
		if (!json_array_size(ws))
			fprintf(f, "%-*.*s  %-9s  %-11s  %-18s  %10s  %-13s  %8s  %8s  %4s  %s\n",
				(int)namew, (int)namew, name ? name : "?", "-", "-", "-", "-", "-", "-",
				"-", "-", S(json_object_get(c, "verdict")));
		json_array_foreach(ws, j, w) {
			char mb[32], hwm[32], pte[32], range[48], pred[64];
			fmt_mb(mb, sizeof mb, json_object_get(w, "mb_reached"), 1);
			fmt_mb(hwm, sizeof hwm, json_object_get(w, "vm_hwm_kb"), 1024);
			fmt_mb(pte, sizeof pte, json_object_get(w, "vm_pte_kb"), 1024);
			json_t *lo = json_object_get(w, "predicted_mb_min");
			json_t *hi = json_object_get(w, "predicted_mb_max");
			if (json_is_number(lo) && json_is_number(hi))
				snprintf(range, sizeof range, "%.0f..%.0f", json_number_value(lo),
					 json_number_value(hi));
			else
				snprintf(range, sizeof range, "-");
			/* the likeliest endpoint, "+N" when others are accepted too */
			size_t also = json_array_size(json_object_get(w, "predicted_also"));
			if (also)
				snprintf(pred, sizeof pred, "%s+%zu", S(json_object_get(w, "predicted")), also);
			else
				snprintf(pred, sizeof pred, "%s", S(json_object_get(w, "predicted")));
			const char *v = S(json_object_get(w, "verdict"));
			fprintf(f, "%-*.*s  %-9s  %-11s  %-18s  %10s  %-13s  %8s  %8s  %4lld  %s%s%s\n",
				(int)namew, (int)namew, j == 0 && name ? name : "",
				S(json_object_get(w, "name")), S(json_object_get(w, "endpoint")), pred, mb,
				range, hwm, pte,
				/* its own OOM kills, and those of the processes it started */
				(long long)(json_integer_value(json_object_get(w, "oom_events")) +
					    json_integer_value(json_object_get(w, "oom_kills_of_children"))),
				color ? verdict_color(v) : "", v, color ? "\033[0m" : "");
		}
		/* a cell judged worse than each of its workloads (a kernel
		 * finding not allowed) gets a row of its own: its verdict and why */
		int worst = -1;
		json_array_foreach(ws, j, w)
			if (rank(S(json_object_get(w, "verdict"))) > worst)
				worst = rank(S(json_object_get(w, "verdict")));
		const char *cv = S(json_object_get(c, "verdict"));
		if (worst >= 0 && rank(cv) > worst) {
			const char *why = json_string_value(json_object_get(c, "verdict_reason"));
			fprintf(f, "%-*s  %-9s  %-11s  %-18s  %10s  %-13s  %8s  %8s  %4s  %s%s%s%s%s\n", (int)namew, "",
				"(cell)", "", "", "", "", "", "", "", color ? verdict_color(cv) : "", cv,
				color ? "\033[0m" : "", why ? "  " : "", why ? why : "");
		}
	}
}

