/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The figures oomlab compare tests: every number a cell report carries per
 * workload (MB reached, time to OOM, peak RSS) and per cell (vmstat
 * counters over the cell, PSI stall time), each compared over the repeats
 * of the two sides with Welch's t-test (and Mann-Whitney U with enough
 * repeats), the endpoint and the OOM victim as k of n with Fisher's exact
 * test; Holm's correction over every test of the run (docs/compare.md). */
#ifndef OOMLAB_COMPARE_STATS_H
#define OOMLAB_COMPARE_STATS_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#define COMPARE_ALPHA 0.01     /* default --alpha */
#define COMPARE_MIN_REPEATS 3  /* default --min-repeats */
#define COMPARE_MW_REPEATS 5   /* Mann-Whitney from this many repeats a side */

/* The OOM event that killed workload w of cell c, or NULL. */
json_t *compare_victim_event(json_t *c, json_t *w);

/* FIG_GROUP: a cell's figure for each memory cgroup (its path in
 * "group"; compare_stats_status counts them with the cell's). */
enum fig_scope { FIG_WORKLOAD, FIG_CELL, FIG_GROUP };

/* A figure: a row of the table every test is drawn from. */
struct figure {
	const char *key;    /* "figure" in the document */
	const char *shown;  /* in the text */
	const char *unit;
	enum fig_scope scope;
	int timing;         /* a duration: noisy under TCG */
	double tol_floor;   /* its tolerance: max(--tolerance, this) */
	/* per repeat: the value, NAN when the repeat has none */
	double (*get)(const struct figure *f, json_t *cell, json_t *w);
	const char *counter; /* vmstat_end - vmstat_start of this counter; for a
			      * group, the memory.events or memory.stat one
			      * (NULL in the table: every counter of the group) */
	const char *group;   /* FIG_GROUP: the group's path (not in the table) */
};

extern const struct figure compare_figure_table[];
extern const size_t compare_figure_count;

struct cmp_stats_opts {
	double alpha;
	int min_repeats;
	double tol_pct;
};

/* The tests of one compared cell, over the repeats that are not BROK:
 * {"decided_by": "statistics"|"tolerance", "figures": [...]} with each
 * test's raw p-value; "tolerance" (and no p-values) when a side has
 * fewer than min_repeats repeats. */
json_t *compare_stats_cell(json_t **cb, size_t nb, json_t **cn, size_t nn, const struct cmp_stats_opts *o);

/* Holm's correction over the tests of every cell's "statistics" in cells;
 * sets each figure's p_adjusted and verdict. Returns the number of tests;
 * *undecided: the endpoints and victims whose most common value changed
 * without being significant (verdict "changed"). */
size_t compare_stats_decide(json_t *cells, const struct cmp_stats_opts *o, size_t *undecided);

/* The status word ("same", "changed", "regressed") figures of scope (and
 * workload index wi for FIG_WORKLOAD) give, appending their reasons. */
int compare_stats_status(json_t *stats, enum fig_scope scope, size_t wi, json_t *reasons);

/* The tests of the cells decided by them, one line each (nothing when
 * no cell was). */
void compare_stats_print(FILE *f, json_t *doc);

/* The change from b to n in percent of |b| (0 from 0 to 0), NAN when
 * either is not finite or b is 0 and n is not. */
double compare_rel_pct(double b, double n);

/* The row of compare_figure_table of key, or NULL. */
const struct figure *compare_figure_find(const char *key);

/* A number of the text: whole from 1000 up, or where digits significant
 * digits would need an exponent; else with digits significant digits;
 * sign: always signed. Returns buf. */
char *compare_fmt_num(char *buf, size_t n, double v, int digits, int sign);

/* How a tested figure f (an object of a cell's "statistics", its row fig
 * or NULL) is named in the text: "MB reached", "app oom_kill", "app peak". */
void compare_figure_label(char *buf, size_t n, json_t *f, const struct figure *fig);

#endif
