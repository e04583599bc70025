/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the integration tests: a temp dir per test (removed
 * even when an assertion fails), `oomlab run` on a one-cell matrix, and
 * report lookups. The tests run the ASan build of oomlab as a user would. */
#ifndef OOMLAB_ITEST_H
#define OOMLAB_ITEST_H

#include <jansson.h>
#include <stddef.h>

extern char tmpdir[256];

/* criterion .init/.fini of every suite that runs VMs */
void setup(void);
void teardown(void);

/* $OOMLAB_ROOT, else "." */
const char *root(void);
/* Write matrix into tmpdir, `oomlab run` it, return the exit code; *cell
 * is the first cell's report, *out_dir (if not NULL) the run dir. */
int run_matrix(const char *matrix, json_t **cell, char **out_dir);
/* `oomlab run MPATH -j 2` into tmpdir/run (*out_dir, caller frees), which
 * must end within timeout_ms; its exit code, -1 when it did not exit. */
int run_file(const char *mpath, int timeout_ms, char **out_dir);
/* The same for matrix text, written into tmpdir first. */
int run_sweep(const char *matrix, int timeout_ms, char **out_dir);
/* cells/<id>.json of run dir out (asserts it loads) */
json_t *load_cell(const char *out, const char *id);
/* tests/validate-report on a run dir must pass. */
void validate(const char *run_dir);
/* o[k] as a string, "(null)" when absent */
const char *str(json_t *o, const char *k);
/* workload i of a cell report (asserts it exists) */
json_t *wl(json_t *cell, size_t i);
/* the knob record named name (set or only read), or NULL */
json_t *knob(json_t *cell, const char *name);
/* a workload's metric (asserts it exists), as integer / decimal */
json_t *metric(json_t *w, const char *k);
long long mint(json_t *w, const char *k);
double mreal(json_t *w, const char *k);
/* the reason of a workload's result line */
const char *reason(json_t *w);

#endif
