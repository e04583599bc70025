/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The results table of a run report, one line per cell x workload. */
#ifndef OOMLAB_TABLE_H
#define OOMLAB_TABLE_H

#include <jansson.h>
#include <stdio.h>

/* Print the table of run (a run.json tree). color: ANSI colours. */
void report_print_table(FILE *f, json_t *run, int color);

#endif
