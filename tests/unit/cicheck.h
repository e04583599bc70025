/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A JUnit or KCIDB report written into a test's dir and checked by
 * tests/validate-ci against the schema beside its writer
 * (reports/junit/junit-10.xsd, reports/kcidb/kcidb-io.schema.v5.3.json). */
#ifndef OOMLAB_TEST_CICHECK_H
#define OOMLAB_TEST_CICHECK_H

#include <jansson.h>

#include "lib/util.h"

/* x as <dir>/junit.xml, validated. 0 when valid; else the validator's
 * exit code, its output logged as an error. Asserts the write. */
int junit_valid(const char *dir, const struct buf *x);
/* k as <dir>/kcidb.json, validated; the same returns. */
int kcidb_valid(const char *dir, json_t *k);

#endif
