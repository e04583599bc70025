/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A recorded cell replayed: the raw agent stream and console captured
 * from a real VM (<dir>/<id>.stream and <id>.console.log, or the same
 * names with .xz) go through the collector and, when judged, the outcome
 * rules, with the cell as the recorded run's matrix describes it. Paths
 * are relative to $OOMLAB_ROOT (else .). Each function asserts. */
#ifndef OOMLAB_TEST_REPLAY_H
#define OOMLAB_TEST_REPLAY_H

#include <stddef.h>

#include "judge/collect.h"
#include "judge/outcome.h"
#include "plan/matrix.h"

struct replay {
	struct matrix m;
	struct cell_spec *cs;  /* the cell of m replayed (a test may change it before judging) */
	char *stream, *console;
	size_t sl, cl;
	struct cell_obs obs;
	struct cell_outcome oc;
};

/* Collect the cell id of the matrix file `matrix` from the files of dir;
 * stream_len (unless (size_t)-1) cuts the stream there. Not judged. */
void replay_load(struct replay *r, const char *matrix, const char *dir, const char *id, size_t stream_len);
/* Judge what replay_load collected (no VM result: as if it ended well). */
void replay_judge(struct replay *r);
/* replay_load, whole stream, then replay_judge. */
void replay_cell(struct replay *r, const char *matrix, const char *dir, const char *id);
void replay_free(struct replay *r);

#endif
