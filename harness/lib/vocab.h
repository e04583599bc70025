/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The words of a run dir that its writers (the judge, oomlab run and
 * merge) and its readers (reports/) share: the report formats and the
 * exit codes of the CLI. */
#ifndef OOMLAB_VOCAB_H
#define OOMLAB_VOCAB_H

/* The "format" member of a cell report and of run.json; the contracts
 * are reports/cell.schema.json and reports/run.schema.json. */
#define CELL_FORMAT "oomlab-cell/1"
#define RUN_FORMAT "oomlab-run/1"

/* Exit codes of oomlab run, merge, report and compare (docs/guarantees.md). */
#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define EXIT_BROK 3

#endif
