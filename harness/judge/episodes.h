/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OOM episodes: the kernel log's OOM events (parse.h) grouped by OOM
 * invocation. One episode is one "invoked oom-killer" report and
 * everything it killed (the victim and, for a memory.oom.group kill, the
 * rest of the group: events marked group_member) and reaped. For each:
 * its victims (a workload, a process a workload started, or collateral:
 * anything else the guest ran), the time from the invocation to the
 * reaper's "reaped process" line (or to its "unable to reap", when it gave
 * up), the memory its victims held and what the reaper left, and whether
 * it was a double kill. Pure over the log
 * and whose kill each event was (judge/owner.h). docs/episodes.md. */
#ifndef OOMLAB_EPISODES_H
#define OOMLAB_EPISODES_H

#include <jansson.h>
#include <stddef.h>

#include "judge/owner.h"
#include "parse/parse.h"

/* Whose process a victim was. */
enum victim_owner {
	VO_WORKLOAD,   /* a workload's own process (its pid) */
	VO_CHILD,      /* a process a workload started (owner.c's child_comm rule) */
	VO_COLLATERAL, /* anything else the guest ran */
	VO_COUNT
};

struct victim_owner_row {
	enum victim_owner owner; /* its own index */
	const char *word;        /* "owner" in the report */
	const char *meaning;
};

extern const struct victim_owner_row victim_owner_table[VO_COUNT];
/* NULL for NULL or a word that is no owner. */
const struct victim_owner_row *victim_owner_find(const char *word);

struct ep_victim {
	size_t event;            /* index into the log's oom[] */
	enum victim_owner owner;
	int workload;            /* the workload (VO_WORKLOAD), the one that started it (VO_CHILD;
				  * -1 when two running workloads could have), else -1 */
	long long rss_kb;        /* anon+file+shmem rss when killed; -1 not in the log */
	long long left_kb;       /* anon+file+shmem rss the reaper left; -1 not reaped */
	long long reap_us;       /* invocation to its "reaped process" line; -1 not reaped */
	long long reap_failed_us; /* invocation to the reaper's "unable to reap" line; -1 none */
};

struct oom_episode {
	size_t first_event, n_events; /* oom[first_event .. first_event + n_events) */
	unsigned long long t_us;      /* the invocation (the first event's time) */
	struct ep_victim *v;          /* the events that killed, in log order */
	size_t n_v, n_collateral;
	size_t n_reap_failed;         /* victims the reaper gave up on ("unable to reap") */
	long long reap_us;            /* the slowest reaped victim's; -1 none reaped */
	long long rss_kb;             /* victims' rss_kb summed (those known); -1 none known */
	long long left_kb;            /* reaped victims' left_kb summed; -1 none reaped */
	long long reaped_kb;          /* reaped victims' rss_kb - left_kb summed; -1 none reaped */
	/* A double kill: this episode killed while a victim of an earlier one,
	 * within this one's reach, was not yet reaped (its "reaped process"
	 * line comes after this invocation). The first such victim. */
	int double_kill;
	size_t dk_episode, dk_victim; /* that earlier episode and its victim's index in v[] */
};

struct oom_episodes {
	struct oom_episode *ep;
	size_t n;
};

/* Group the OOM events of kl (owners judged over the same log). Free with
 * episodes_free. */
void episodes_judge(const struct kernlog *kl, const struct oom_owners *ow, struct oom_episodes *out);
void episodes_free(struct oom_episodes *e);

/* The cell report's "oom_episodes" (reports/cell.schema.json). */
json_t *episodes_json(const struct kernlog *kl, const struct oom_episodes *e);

#endif
