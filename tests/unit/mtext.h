/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Matrices the unit tests give as text: written to <dir>/m.json and loaded
 * the way oomlab loads a matrix file (plan/matrix.h), so relative file
 * options resolve in dir. */
#ifndef OOMLAB_TEST_MTEXT_H
#define OOMLAB_TEST_MTEXT_H

#include "lib/util.h"
#include "plan/matrix.h"

/* A new temp dir /tmp/oomlab-<tag>-XXXXXX into dir (asserts). */
void mtext_dir(char *dir, size_t size, const char *tag);
/* matrix_load of text written to <dir>/m.json: its result. */
int mtext_load(const char *dir, const char *text, struct matrix *m, struct buf *err);

#endif
