/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A workload's stall as the cell report gives it ("stall" of a workload,
 * docs/reports.md#stalls): the agent detects it live (guest/stall.c,
 * stream.h "stall": it sees the progress lines and /proc/pressure/memory
 * as they come and SIGKILLs at the limit); this measures it from the
 * samples between its start and its end and says what ended it. Pure.
 *
 * For the findings (kind "stall", title "stall in <workload>"):
 * t_start_us is the stall's start in guest time, the clock of the
 * kernel's log and of oom_events' t_us. */
#ifndef OOMLAB_JUDGE_STALL_H
#define OOMLAB_JUDGE_STALL_H

#include <stddef.h>

#include "judge/collect.h"
#include "lib/vocab.h"

/* What ended a stall: the agent at the stall limit (endpoint stalled),
 * the OOM killer (oom_killed), the deadline (timeout), or the workload's
 * own end (another endpoint). */
enum stall_end { SE_STALL_LIMIT, SE_OOM_KILL, SE_DEADLINE, SE_WORKLOAD_END, STALL_END_COUNT };

extern const char *const stall_end_words[STALL_END_COUNT];

struct stall_report {
	int present;                      /* 0: the agent reported no stall */
	unsigned long long t_start_us, t_end_us; /* guest time */
	double start_s;                   /* after the workload's spawn */
	double length_s;
	double psi_full_max, psi_full_mean; /* full avg10 of the samples in it, -1: none */
	long long refaults_anon, refaults_file; /* workingset_refault_* over it, -1: unknown */
	enum stall_end ended_by;
	/* from the spawn to the end (for oom_kill: the OOM event's t_us, the
	 * time to OOM of compare), split in the time it grew and the time it
	 * stalled */
	double time_to_end_s, time_growing_s, time_stalled_s;
};

/* Workload i of o, which ended as ep (for EP_OOM_KILLED, oom_t_us: its
 * OOM event's guest time). */
void stall_measure(const struct cell_obs *o, size_t i, enum endpoint ep,
		   unsigned long long oom_t_us, struct stall_report *r);

#endif
