/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Memory cgroups (cgroup v2) a cell asks for. A group's file is a knob
 * named "cgroup.<group>.<file>": <group> is one or more segments of
 * [a-z0-9_-]{1,32} joined by '/' (nesting: "app/db" is a child of "app"),
 * at most CG_MAX_DEPTH of them; <file> is a row of cg_file_table. A
 * workload names its group with "cgroup": "app". The agent creates the
 * groups under GUEST_CGROUP_DIR (proto/cellconf.h), writes what is set and
 * reads back every file of the table (docs/matrix.md, "Memory cgroups"). */
#ifndef OOMLAB_PLAN_CGROUP_H
#define OOMLAB_PLAN_CGROUP_H

#include <jansson.h>
#include <stddef.h>

#include "plan/spec.h"

#define CG_KNOB_PREFIX "cgroup."
#define CG_MAX_DEPTH 4
#define CG_MAX_SEGMENT 32
#define CG_MAX_GROUPS 8 /* groups of one cell, parents included */
#define CG_SIZE_MAX_MIB (1LL << 20)
#define CG_MAX (-1LL) /* cg_set.num of "max" */

enum cg_type {
	CG_SIZE, /* an integer in MiB 0..CG_SIZE_MAX_MIB (written in bytes), or "max" */
	CG_BOOL, /* 0 or 1 */
};

struct cg_file {
	const char *name; /* "memory.max" */
	enum cg_type type;
	const char *help;
};

/* In the order the agent writes them. */
extern const struct cg_file cg_file_table[];
extern const size_t cg_file_count;

const struct cg_file *cg_file_find(const char *name);
/* Is name a valid group path ("app", "app/db")? NULL if it is, else
 * what is allowed. */
const char *cg_path_invalid(const char *name);
/* Split a knob name "cgroup.<group>.<file>": 1 and *group (caller frees),
 * *file set; 0 if name does not start with CG_KNOB_PREFIX; -1 if it does
 * but is not a group file (*why: what is wrong and what is allowed;
 * caller frees). */
int cg_knob_split(const char *name, char **group, const struct cg_file **file, char **why);
/* Check a value of file f: NULL if good, else what is allowed (static). */
const char *cg_value_invalid(const struct cg_file *f, json_t *v);
/* The text the agent writes for v (checked): bytes, "max", "0" or "1"
 * (caller frees); *num the matrix value (MiB, 0/1, CG_MAX). */
char *cg_value_text(const struct cg_file *f, json_t *v, long long *num);
/* "cgroup.<group>.<file>" (caller frees). */
char *cg_knob_name(const char *group, const char *file);

/* The groups of a cell, from its requested knobs and its workloads'
 * "cgroup": every group named, with its parents, sorted so that a parent
 * comes before its children; the files set in table order. Checked input
 * only (matrix.c checks first). Returns 0, or -1 with *why (caller
 * frees) when the cell has more than CG_MAX_GROUPS groups or a workload
 * is in a group that has children (jpath-free text; *wl the workload). */
int cg_build(struct cell_spec *cs, char **why, size_t *wl);
void cg_spec_free(struct cg_spec *g);
/* The group of cs with this path, or NULL. */
const struct cg_spec *cg_find(const struct cell_spec *cs, const char *path);
/* What the cell sets of a group's file, or NULL. */
const struct cg_set *cg_find_set(const struct cg_spec *g, const char *file);

#endif
