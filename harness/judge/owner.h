/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Whose OOM kill it was: for each OOM event, the workload the kernel
 * killed, or the workload whose child process it killed (stress-ng's
 * workers, an exec program's children); for each workload, how many of its children were killed.
 * Pure over the cell, its observations and its OOM events. */
#ifndef OOMLAB_OWNER_H
#define OOMLAB_OWNER_H

#include <stddef.h>

#include "judge/collect.h"
#include "plan/matrix.h"

struct oom_owner {
	int victim_workload;   /* the workload whose pid the kernel named, -1 */
	int victim_child_of;   /* the workload that started the victim, -1 */
	int victim_child_ambiguous; /* more than one workload could have (victim_child_of -1) */
};

struct oom_owners {
	struct oom_owner *ev;       /* one per OOM event of the log judged */
	size_t n_ev;
	size_t *kills_of_children;  /* one per workload of the cell */
	size_t n_wl;
};

/* The kernel log's clock and the agent's differ by milliseconds: a child
 * killed up to this long after its workload exited is still its own. */
#define CHILD_CLOCK_SLACK_US 1000000ull

/* The kernel keeps a comm of at most 15 bytes (TASK_COMM_LEN - 1). */
#define OWNER_COMM_MAX 15

/* The comm prefix of the processes workload w starts: its row's
 * child_comm (stress-ng), else the name of the program it carries (an
 * exec workload: a program's children keep its comm unless they exec
 * another), cut as the kernel cuts it, in buf; NULL: none. */
const char *owner_child_comm(const struct wl_spec *w, char *buf, size_t sz);

/* Judge every OOM event of kl; free with owners_free. */
void owners_judge(const struct cell_spec *cs, const struct cell_obs *o, const struct kernlog *kl,
		  struct oom_owners *out);
void owners_free(struct oom_owners *w);

#endif
