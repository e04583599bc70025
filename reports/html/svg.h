/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inline SVG line plots for the HTML reports: axes with ticks, units and
 * labels, one path per series (gaps where a value is missing), a legend,
 * and vertical event markers (OOM kills, allocation failures) whose hover
 * text names the victim. Every string is escaped (markup.h); colours and
 * CSS classes come from oomlab's own tables. */
#ifndef OOMLAB_SVG_H
#define OOMLAB_SVG_H

#include <stddef.h>

#include "lib/util.h"

struct svg_series {
	const char *name;    /* legend text */
	const char *color;   /* CSS colour (trusted) */
	const double *x, *y; /* n points; a NaN y leaves a gap */
	size_t n;
	int dashed;
};

struct svg_marker {
	double x;
	const char *label; /* drawn at the top of the line */
	const char *tip;   /* hover text (SVG <title>) */
	const char *kind;  /* CSS class (trusted): "oom", "allocfail" */
};

struct svg_plot {
	const char *title;
	const char *xlabel; /* with its unit, e.g. "time since boot (s)" */
	const char *ylabel; /* e.g. "MB" */
	const struct svg_series *series;
	size_t n_series;
	const struct svg_marker *markers;
	size_t n_markers;
	int y_from_zero;    /* the y axis starts at 0 */
	double y_max_floor; /* the y axis reaches at least this (0: none) */
	int width, height;  /* 0: 580 x 240 */
};

/* Append one <svg> element. A plot without any point says so instead. */
void svg_plot(struct buf *b, const struct svg_plot *p);

/* "Nice" ticks covering lo..hi (1, 2 or 5 times a power of ten), at most
 * max of them, about want. Returns how many were written to out; *step is
 * their spacing. lo > hi or non-finite input gives 0. */
size_t svg_ticks(double lo, double hi, size_t want, double *out, size_t max, double *step);
/* want ticks (up to max into out, their step into *step) for an axis from
 * *lo to *hi that begins and ends on a tick: *lo and *hi move out to the
 * ticks around them. Returns how many. */
size_t svg_ticks_enclosing(double *lo, double *hi, size_t want, double *out, size_t max, double *step);

/* A horizontal bar for one workload: the accepted range lo..hi (NaN: no
 * range) and the observed value obs (NaN: none), on a 0..scale axis in MB.
 * ok colours the observation as accepted. */
void svg_range_bar(struct buf *b, double lo, double hi, double obs, double scale, int ok);

#endif
