// SPDX-License-Identifier: GPL-2.0-or-later
/* The tested figures of a comparison as its tables list them
 * (reports/compare_rows.h). */
#include "reports/compare_rows.h"
#include "reports/compare_stats.h"
#include "lib/jsonx.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double num(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const struct figure *figure_of(json_t *fig)
{
	return compare_figure_find(json_str(fig, "figure", ""));
}

int compare_row_listed(json_t *fig)
{
	const char *v = json_str(fig, "verdict", "");
	return !strcmp(v, "regressed") || !strcmp(v, "changed") || json_is_true(json_object_get(fig, "significant"));
}

json_t *compare_row_p(json_t *fig)
{
	json_t *p = json_object_get(fig, "p_welch");
	if (json_is_number(p))
		return p;
	p = json_object_get(fig, "p_fisher");
	return json_is_number(p) ? p : NULL;
}

void compare_row_label(char *out, size_t n, json_t *fig)
{
	compare_figure_label(out, n, fig, figure_of(fig));
}

void compare_row_side(char *out, size_t n, json_t *fig, const char *side)
{
	json_t *s = json_object_get(fig, side);
	if (!figure_of(fig)) {
		snprintf(out, n, "%lld of %lld", (long long)json_integer_value(json_object_get(s, "k")),
			 (long long)json_integer_value(json_object_get(s, "n")));
		return;
	}
	char m[32], sd[32];
	compare_fmt_num(m, sizeof m, num(json_object_get(s, "mean")), 4, 0);
	compare_fmt_num(sd, sizeof sd, num(json_object_get(fig, strcmp(side, "base") ? "new_sd" : "base_sd")), 2, 0);
	snprintf(out, n, "%s (%s) %lld", m, sd, (long long)json_integer_value(json_object_get(s, "n")));
}

void compare_row_diff(char *out, size_t n, json_t *fig)
{
	json_t *ci = json_object_get(fig, "ci95");
	if (!figure_of(fig) || !json_is_number(json_object_get(fig, "difference"))) {
		snprintf(out, n, "%s", "");
		return;
	}
	char d[32], lo[32], hi[32];
	snprintf(out, n, "%s [%s, %s]", compare_fmt_num(d, sizeof d, num(json_object_get(fig, "difference")), 3, 1),
		 compare_fmt_num(lo, sizeof lo, num(json_array_get(ci, 0)), 3, 1),
		 compare_fmt_num(hi, sizeof hi, num(json_array_get(ci, 1)), 3, 1));
}

const char *compare_row_verdict(json_t *fig)
{
	const char *v = json_str(fig, "verdict", "");
	return !strcmp(v, "regressed") ? "REGRESSED" : !strcmp(v, "changed") ? "CHANGED" : v;
}

void compare_row_count(json_t *doc, struct compare_row_counts *c)
{
	memset(c, 0, sizeof *c);
	size_t i, k;
	json_t *cell, *f;
	json_array_foreach(json_object_get(doc, "cells"), i, cell) {
		json_t *s = json_object_get(cell, "statistics");
		if (!s)
			continue;
		if (strcmp(json_str(s, "decided_by", ""), "statistics")) {
			c->thin++;
			continue;
		}
		json_array_foreach(json_object_get(s, "figures"), k, f) {
			if (!compare_row_p(f))
				c->untested++;
			else
				c->listed += compare_row_listed(f);
		}
	}
}
