/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A JUnit or KCIDB file checked by tests/validate-ci against the schema
 * beside its writer (reports/junit/junit-10.xsd,
 * reports/kcidb/kcidb-io.schema.v5.3.json). */
#ifndef OOMLAB_TEST_CICHECK_H
#define OOMLAB_TEST_CICHECK_H

/* kind: "junit" or "kcidb". 0 when valid; else the validator's exit
 * code, its output logged as an error. */
int validate_ci(const char *kind, const char *file);

#endif
