/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which oomlab this is: its version, the git commit it was built from and
 * whether the tree differed from that commit. `oomlab --version` prints
 * it, every report records it (the "tool" object). */
#ifndef OOMLAB_BUILDID_H
#define OOMLAB_BUILDID_H

#include <jansson.h>

/* The full commit (40 hex digits), or "unknown" outside a git checkout
 * (a tarball). Captured at build time by mk/buildid.mk into
 * build/gen/buildid.c; a program linked without that file (the fuzzers)
 * says "unknown". */
const char *buildid_commit(void);
/* 1: the tree differed from the commit, 0: it did not, -1: unknown. */
int buildid_modified(void);

/* "0.1.0 (git 0123456789ab, modified)", "0.1.0 (git 0123456789ab)" or
 * "0.1.0 (git unknown)": the version, the commit's first 12 hex digits. */
const char *buildid_string(void);

/* The "tool" object of run.json and a cell report: {"name": "oomlab",
 * "version", "commit" (40 hex digits or "unknown"), "modified" (true,
 * false, or null when unknown)}. A new reference. */
json_t *buildid_tool_json(void);

#endif
