/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Memory cgroups in judgement (docs/oracle.md, "Memory cgroups"): the
 * oracle's inputs for a workload in a group (its files as read back), and
 * the rules about the cell that follow from Documentation/admin-guide/
 * cgroup-v2.rst: a group's OOM kills inside the group only, at the limit
 * read back; memory.oom.group kills the whole group in one episode; a group
 * protected by memory.low or memory.min keeps its memory resident while
 * its sibling is under pressure. Pure. */
#ifndef OOMLAB_MEMCG_H
#define OOMLAB_MEMCG_H

#include <stddef.h>

#include "judge/collect.h"
#include "judge/oracle.h"
#include "judge/owner.h"
#include "plan/matrix.h"

/* A group file as the guest read it back (the knob record
 * cgroup.<group>.<file>): kB, -1 for "max", -2 when not read back. */
long long memcg_file_kb(json_t *knobs, const char *group, const char *file);

/* The oracle's view of workload w's group (cg->group NULL: the root). */
void memcg_oracle_inputs(const struct cell_spec *cs, const struct cell_obs *o, size_t w,
			 struct oracle_cg *cg);

/* The cell's memory cgroup rules over its OOM events (kl, whose owners
 * are owners), each workload's end (oom_idx[i]: the event that killed
 * workload i, -1) and the groups' samples (o->cgroups); throttled[i]: the
 * oracle expects workload i throttled by memory.high (NULL: none).
 * Returns 1 when they hold, else 0 with the workload to blame in
 * *culprit and why. */
int memcg_check(const struct cell_spec *cs, const struct cell_obs *o, const struct kernlog *kl,
		const struct oom_owners *owners, const int *oom_idx, const int *throttled, size_t *culprit,
		char *why, size_t whysz);

#endif
