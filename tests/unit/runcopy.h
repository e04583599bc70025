/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Recorded run dirs copied into a test's temp dir, so that a test may
 * change their reports (a finding added, a key removed) without touching
 * tests/golden/; and JSON files in and out of such a dir. Each asserts. */
#ifndef OOMLAB_TEST_RUNCOPY_H
#define OOMLAB_TEST_RUNCOPY_H

#include <jansson.h>

/* run.json and every cell report run.json lists, from the run dir src to
 * <tdir>/<as>; returns that dir (caller frees). */
char *run_copy(const char *tdir, const char *src, const char *as);
/* <dir>/<rel> as JSON. */
json_t *json_in(const char *dir, const char *rel);
/* j written to <dir>/<rel>, and released. */
void json_out(const char *dir, const char *rel, json_t *j);

#endif
