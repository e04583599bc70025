/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "Knob effects" section of a sweep's run page: per swept knob its
 * endpoints per value (counts), and per figure an inline SVG plot of the
 * figure against the knob's values, one line per combination of the other
 * knobs, error bars the repeats' 95% confidence interval, each point
 * coloured as the endpoint most of its repeats reached. */
#ifndef OOMLAB_HTML_EFFECTS_H
#define OOMLAB_HTML_EFFECTS_H

#include <jansson.h>

#include "lib/util.h"

/* The section of effects_of's document (nothing for NULL). */
void html_knob_effects(struct buf *b, json_t *eff);

/* One plot: figure fig (an element of a knob's "figures") against the
 * knob's values; eps: the knob's endpoints of the figure's workload (NULL
 * for a figure of the cell: points in their series' colour). */
void html_effect_plot(struct buf *b, const char *knob, json_t *values, json_t *fig, json_t *eps);

#endif
