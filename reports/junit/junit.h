/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JUnit XML, what CI systems that show test results read (Jenkins,
 * GitLab, GitHub test-report actions): one testcase per cell x workload,
 * and one "findings" testcase per cell with kernel findings. A cell's OOM
 * episodes are in its testcases' output, and their counts are properties
 * of the suite named after the cell (docs/episodes.md#in-the-views).
 * The contract is junit-10.xsd beside this file. */
#ifndef OOMLAB_JUNIT_H
#define OOMLAB_JUNIT_H

#include "lib/util.h"
#include "reports/rundir.h"

/* JUnit XML of a loaded run: failure for FAIL, error for BROK, skipped
 * for SKIP, with endpoint, MB reached and prediction in the message. */
void report_junit(struct buf *out, const struct rundir *r);
int report_write_junit(const struct rundir *r, const char *path, struct buf *err);

#endif
