/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Memory cgroups observed: the "cgroup.<group>" sections of the samples
 * (proto/stream.h) gathered per group, and the cell report's "cgroups"
 * object made from them and from the groups' knob records
 * (docs/reports.md, "Memory cgroups"). */
#ifndef OOMLAB_JUDGE_CGROUPS_H
#define OOMLAB_JUDGE_CGROUPS_H

#include <jansson.h>
#include <stddef.h>

#include "plan/spec.h"

#define CG_SECTION_PREFIX "cgroup."
#define CG_OBS_MAX 16 /* groups kept of one stream (a cell has at most 8) */

/* One sample's section named name (nl bytes, "cgroup.<group>"), taken at
 * t_ms, into cgroups (an object by group path; collect.c's). */
void cg_obs_section(json_t *cgroups, const char *name, size_t nl, const char *data, size_t dl,
		    long long t_ms);
/* The report's "cgroups" object: every group of the cell, with its files
 * as read back (knobs: the knob records), start/end, peak, event deltas
 * and series from obs (cg_obs_section's object; NULL: none); NULL when
 * the cell has no group. */
json_t *cg_report(const struct cell_spec *cs, json_t *obs, json_t *knobs);

#endif
