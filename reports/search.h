/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a search of `oomlab fuzz-knobs` found, from its DIR/sampled.json
 * (docs/fuzzing.md): the curves of distinct behaviour signatures and of
 * distinct kernel finding titles against cells run, each signature and
 * each title with the first cell that showed it, and which FAIL cells the
 * search minimises. The cells counted are those that ran (that have a
 * "verdict"), in index order. Pure. */
#ifndef OOMLAB_SEARCH_H
#define OOMLAB_SEARCH_H

#include <jansson.h>
#include <stddef.h>

struct search_curve {
	size_t n;       /* cells run */
	size_t *sigs;   /* sigs[k]: distinct signature hashes in the first k+1 cells run */
	size_t *titles; /* titles[k]: distinct finding titles in the first k+1 cells run */
};

/* The curves of sampled.json s (c->n == 0 and NULL arrays when no cell ran). */
void search_curve(json_t *s, struct search_curve *c);
void search_curve_free(struct search_curve *c);

/* The distinct signatures of s's cells run, in the order they first came:
 * [{"hash", "signature" (its text), "first" (the index of its first cell),
 *   "name" (that cell's name), "cells" (how many cells had it),
 *   "origin" (the first cell's origin: parent, mutation, change; null when
 *   it was sampled), "new" (the first cell put it in the corpus)}]. */
json_t *search_signatures(json_t *s);

/* The distinct finding titles of s's cells run, in the order they first
 * came: [{"title", "kind", "first", "name", "cells", "not_allowed" (cells
 * that did not allow it), "report", "repro", "minimize" (those of the
 * first cell; null when it has none)}]. */
json_t *search_findings(json_t *s);

/* Is cell e (an entry of sampled.json's "cells", its "findings" filled)
 * one fuzz-knobs minimises? It is when its verdict is FAIL, it has a
 * report, and one of its findings that it does not allow has a title
 * that is not a key of seen (the titles of the cells before it in this
 * run): that title, else NULL. */
const char *search_minimize_title(json_t *e, json_t *seen);

/* Time left in the budget (s) that a minimisation needs to start: its
 * first step runs the cell n times, jobs at a time, each round as long as
 * the slowest batch so far (slowest_s). */
double search_minimize_needs(long long n, long long jobs, double slowest_s);

#endif
