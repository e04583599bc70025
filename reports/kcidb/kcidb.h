/* SPDX-License-Identifier: GPL-2.0-or-later */
/* KernelCI's KCIDB I/O JSON (schema v5.3, kcidb-io.schema.v5.3.json
 * beside this file) of a run. */
#ifndef OOMLAB_KCIDB_H
#define OOMLAB_KCIDB_H

#include <jansson.h>

#include "lib/util.h"
#include "reports/rundir.h"

#define KCIDB_MAJOR 5
#define KCIDB_MINOR 3

struct kcidb_opts {
	const char *origin;   /* CI system name, [a-z0-9_]+ (default "oomlab") */
	const char *url_base; /* where the run dir's files are served, ending
			       * in '/' (NULL: file:// URLs of the run dir) */
};

/* Is origin a valid KCIDB origin? */
int kcidb_origin_ok(const char *origin);
/* Is url an absolute URI (scheme ":" then only characters RFC 3986
 * allows) ending in '/'? */
int kcidb_url_base_ok(const char *url);

/* KCIDB JSON of a loaded run: a checkout and a build per guest kernel, a
 * test per cell x workload; with kernel findings, a "findings" test per
 * cell that has some, an issue per distinct title (id: the origin and a
 * hash of the title) and an incident per finding of a cell; a cell's OOM
 * episodes counted in its tests' misc ("oom_episodes"), and an issue for
 * double kills and one for collateral OOM victims (ids "<origin>:oom-
 * double-kill", "<origin>:oom-collateral") with an incident per double
 * kill and per collateral victim. */
json_t *report_kcidb(const struct rundir *r, const struct kcidb_opts *o);
int report_write_kcidb(const struct rundir *r, const char *path, const struct kcidb_opts *o, struct buf *err);

#endif
