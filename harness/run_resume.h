/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What --resume decides from a run dir alone: which cells finished. A cell
 * finished when its row in run.json has a status that does not run again
 * (lib/vocab.h: interrupted and not_started do), or, when its row is
 * missing because the harness died between the cell's report and its row,
 * when the report itself says so: every report is written whole
 * (atomically), so one that is there is what the cell ended with. */
#ifndef OOMLAB_RUN_RESUME_H
#define OOMLAB_RUN_RESUME_H

#include <jansson.h>
#include <stddef.h>

/* rep: the cell report found in cells/ (loaded and checked,
 * reports/rundir.h). 1 when it is the finished report of cell id at index
 * of run run_id: the same run id, cell id and index, and a status that
 * does not run again; else 0 (the cell runs again). */
int resume_report_finished(json_t *rep, const char *run_id, const char *id, size_t index);

#endif
