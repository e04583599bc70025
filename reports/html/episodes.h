/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The OOM episodes of a cell on its HTML page: one row an episode (an OOM
 * invocation and all it killed and reaped, docs/episodes.md). */
#ifndef OOMLAB_HTML_EPISODES_H
#define OOMLAB_HTML_EPISODES_H

#include <jansson.h>

#include "lib/util.h"

/* The table of cell's "oom_episodes"; nothing for a report without the
 * key (written before it) or with no episode. */
void html_episodes_table(struct buf *b, json_t *cell);

/* Under a compared cell of the comparison page: its "oom_episodes"
 * (reports/compare_episodes.h) side by side and the reasons; nothing when
 * the comparison has none. */
void html_compare_episodes(struct buf *b, json_t *ep);

#endif
