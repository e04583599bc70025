// SPDX-License-Identifier: GPL-2.0-or-later
/* OOM episodes (episodes.h). What the kernel does, in mm/oom_kill.c of
 * 6.1 and 6.12, and what of it the log shows:
 *
 * - out_of_memory() chooses a victim (select_bad_process) and then
 *   oom_kill_process() prints the report, "invoked oom-killer" first
 *   (dump_header, rate limited), and the kill ("Killed process"); with
 *   memory.oom.group it kills the rest of the group in the same call
 *   (mem_cgroup_scan_tasks(oom_group, oom_kill_memcg_member)). The parser
 *   marks those kills group_member: one invocation, one episode.
 * - queue_oom_reaper() arms a timer (OOM_REAPER_DELAY, 2 s); the reaper
 *   then unmaps the victim's anonymous and private memory and prints
 *   "oom_reaper: reaped process N (comm), now anon-rss:..", what is left
 *   (oom_reap_task_mm), and only after that sets MMF_OOM_SKIP
 *   (oom_reap_task). A victim that exits first frees its memory itself
 *   (exit_mmap sets MMF_OOM_SKIP) and the reaper prints nothing.
 * - While a victim's mm lacks MMF_OOM_SKIP, oom_evaluate_task() aborts
 *   the choice of a new victim ("This task already has access to memory
 *   reserves and is being killed ... goto abort") for every OOM whose
 *   scan reaches it: a global OOM scans every process, a memory cgroup's
 *   only the tasks of that group and its descendants.
 *
 * So a double kill, from the log: a kill whose invocation comes before
 * the "reaped process" line of a victim of an earlier episode that this
 * invocation's scan reaches. That victim still held its memory (the
 * reaper had not run, and the victim had not freed it on exit, or the
 * reaper would have printed nothing) and had no MMF_OOM_SKIP, which the
 * choice is made under, and the victim was chosen before the invocation's
 * first line. A victim the reaper never names (it exited first) or gave
 * up on ("unable to reap pid:N": recorded, reap_failed, but its memory
 * was not freed then either) gives no time its memory was freed at, and
 * is never the first half of a double kill. */
#include "judge/episodes.h"
#include "lib/jsonx.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

const struct victim_owner_row victim_owner_table[VO_COUNT] = {
	[VO_WORKLOAD] = {VO_WORKLOAD, "workload", "a workload's own process"},
	[VO_CHILD] = {VO_CHILD, "child", "a process a workload started"},
	[VO_COLLATERAL] = {VO_COLLATERAL, "collateral", "a process no workload started"},
};

const struct victim_owner_row *victim_owner_find(const char *word)
{
	for (size_t i = 0; word && i < VO_COUNT; i++)
		if (!strcmp(word, victim_owner_table[i].word))
			return &victim_owner_table[i];
	return NULL;
}

/* a + b where either may be unknown (-1) */
static long long sum_known(long long a, long long b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a + b;
}

/* anon + file + shmem rss, the parts the log has; -1 when none */
static long long rss3(long long anon, long long file, long long shmem)
{
	return sum_known(sum_known(anon, file), shmem);
}

/* The memory cgroup a victim ran in: "oom-kill:"'s task_memcg, or for a
 * memory.oom.group member (no such line) the group; "" unknown. */
static const char *victim_memcg(const struct oom_event *e)
{
	if (e->task_memcg[0])
		return e->task_memcg;
	return e->group_member ? e->oom_group : "";
}

/* Does the victim scan of the episode starting at event inv reach a
 * victim that ran in memcg? A global OOM reaches every process; a memory
 * cgroup's OOM the tasks of that group and below it. */
static int reaches(const struct oom_event *inv, const char *memcg)
{
	if (strcmp(inv->oom_kind, "oom_memcg") != 0 || !inv->oom_memcg[0])
		return 1;
	if (!memcg[0])
		return 0;
	size_t n = strlen(inv->oom_memcg);
	if (!strcmp(inv->oom_memcg, "/"))
		return 1;
	return !strncmp(memcg, inv->oom_memcg, n) && (memcg[n] == '\0' || memcg[n] == '/');
}

static void victim_of(const struct kernlog *kl, const struct oom_owners *ow, size_t k,
		      unsigned long long t_inv, struct ep_victim *v)
{
	const struct oom_event *e = &kl->oom[k];
	v->event = k;
	int wl = ow && k < ow->n_ev ? ow->ev[k].victim_workload : -1;
	int child = ow && k < ow->n_ev ? ow->ev[k].victim_child_of : -1;
	int some_child = child >= 0 || (ow && k < ow->n_ev && ow->ev[k].victim_child_ambiguous);
	v->owner = wl >= 0 ? VO_WORKLOAD : some_child ? VO_CHILD : VO_COLLATERAL;
	v->workload = wl >= 0 ? wl : child;
	v->rss_kb = rss3(e->anon_rss_kb, e->file_rss_kb, e->shmem_rss_kb);
	v->left_kb = e->reaped ? rss3(e->reaped_anon_rss_kb, e->reaped_file_rss_kb, e->reaped_shmem_rss_kb) : -1;
	v->reap_us = e->reaped && e->reaped_ts_us >= t_inv ? (long long)(e->reaped_ts_us - t_inv) : -1;
	v->reap_failed_us =
		e->reap_failed && e->reap_failed_ts_us >= t_inv ? (long long)(e->reap_failed_ts_us - t_inv) : -1;
}

/* The first victim of an earlier episode not yet reaped when episode j
 * was invoked, within its reach. */
static void find_double_kill(const struct kernlog *kl, struct oom_episodes *out, size_t j)
{
	struct oom_episode *ep = &out->ep[j];
	const struct oom_event *inv = &kl->oom[ep->first_event];
	if (!ep->n_v)
		return;
	for (size_t i = 0; i < j; i++)
		for (size_t x = 0; x < out->ep[i].n_v; x++) {
			const struct oom_event *e = &kl->oom[out->ep[i].v[x].event];
			if (e->reaped && e->reaped_ts_us > ep->t_us && reaches(inv, victim_memcg(e))) {
				ep->double_kill = 1;
				ep->dk_episode = i;
				ep->dk_victim = x;
				return;
			}
		}
}

void episodes_judge(const struct kernlog *kl, const struct oom_owners *ow, struct oom_episodes *out)
{
	memset(out, 0, sizeof *out);
	out->ep = xcalloc(kl->n_oom ? kl->n_oom : 1, sizeof *out->ep);
	for (size_t k = 0; k < kl->n_oom; k++) {
		const struct oom_event *e = &kl->oom[k];
		if (!e->group_member || !out->n) { /* a new invocation */
			struct oom_episode *ep = &out->ep[out->n++];
			ep->first_event = k;
			ep->t_us = e->ts_us;
			ep->v = xcalloc(1, sizeof *ep->v);
			ep->reap_us = ep->rss_kb = ep->left_kb = ep->reaped_kb = -1;
		}
		struct oom_episode *ep = &out->ep[out->n - 1];
		ep->n_events++;
		if (!e->killed)
			continue;
		ep->v = xrealloc(ep->v, (ep->n_v + 1) * sizeof *ep->v);
		struct ep_victim *v = &ep->v[ep->n_v++];
		victim_of(kl, ow, k, ep->t_us, v);
		ep->n_collateral += v->owner == VO_COLLATERAL;
		ep->n_reap_failed += e->reap_failed != 0;
		ep->rss_kb = sum_known(ep->rss_kb, v->rss_kb);
		if (v->reap_us > ep->reap_us)
			ep->reap_us = v->reap_us;
		if (e->reaped) {
			ep->left_kb = sum_known(ep->left_kb, v->left_kb);
			if (v->rss_kb >= 0 && v->left_kb >= 0)
				ep->reaped_kb = sum_known(ep->reaped_kb, v->rss_kb - v->left_kb);
		}
	}
	for (size_t j = 1; j < out->n; j++)
		find_double_kill(kl, out, j);
}

void episodes_free(struct oom_episodes *e)
{
	for (size_t i = 0; e && i < e->n; i++)
		free(e->ep[i].v);
	if (e) {
		free(e->ep);
		memset(e, 0, sizeof *e);
	}
}

static json_t *kb_or_null(long long v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

static json_t *text_or_null(const char *s)
{
	return s[0] ? json_text(s, strlen(s)) : json_null();
}

static json_t *victim_json(const struct kernlog *kl, const struct ep_victim *v)
{
	const struct oom_event *e = &kl->oom[v->event];
	json_t *j = json_object();
	json_object_set_new(j, "event", json_integer((json_int_t)v->event));
	json_object_set_new(j, "pid", json_integer(e->victim_pid));
	json_object_set_new(j, "comm", json_text(e->victim_comm, strlen(e->victim_comm)));
	json_object_set_new(j, "owner", json_string(victim_owner_table[v->owner].word));
	json_object_set_new(j, "workload", v->workload >= 0 ? json_integer(v->workload) : json_null());
	json_object_set_new(j, "group_member", json_boolean(e->group_member));
	json_object_set_new(j, "rss_kb", kb_or_null(v->rss_kb));
	json_object_set_new(j, "reaped", json_boolean(e->reaped));
	json_object_set_new(j, "reap_us", kb_or_null(v->reap_us));
	json_object_set_new(j, "left_kb", kb_or_null(v->left_kb));
	json_object_set_new(j, "reap_failed", json_boolean(e->reap_failed));
	json_object_set_new(j, "reap_failed_us", kb_or_null(v->reap_failed_us));
	return j;
}

json_t *episodes_json(const struct kernlog *kl, const struct oom_episodes *e)
{
	json_t *a = json_array();
	for (size_t i = 0; i < e->n; i++) {
		const struct oom_episode *ep = &e->ep[i];
		const struct oom_event *inv = &kl->oom[ep->first_event];
		json_t *j = json_object(), *evs = json_array(), *vs = json_array();
		json_object_set_new(j, "t_us", json_integer((json_int_t)ep->t_us));
		json_object_set_new(j, "invoker_comm", text_or_null(inv->invoker_comm));
		json_object_set_new(j, "oom_kind", text_or_null(inv->oom_kind));
		json_object_set_new(j, "constraint", text_or_null(inv->constraint));
		json_object_set_new(j, "oom_memcg", text_or_null(inv->oom_memcg));
		json_object_set_new(j, "oom_group", text_or_null(inv->oom_group));
		for (size_t k = 0; k < ep->n_events; k++)
			json_array_append_new(evs, json_integer((json_int_t)(ep->first_event + k)));
		json_object_set_new(j, "events", evs);
		for (size_t k = 0; k < ep->n_v; k++)
			json_array_append_new(vs, victim_json(kl, &ep->v[k]));
		json_object_set_new(j, "victims", vs);
		json_object_set_new(j, "n_victims", json_integer((json_int_t)ep->n_v));
		json_object_set_new(j, "n_collateral", json_integer((json_int_t)ep->n_collateral));
		json_object_set_new(j, "n_reap_failed", json_integer((json_int_t)ep->n_reap_failed));
		json_object_set_new(j, "reap_us", kb_or_null(ep->reap_us));
		json_object_set_new(j, "rss_kb", kb_or_null(ep->rss_kb));
		json_object_set_new(j, "reaped_kb", kb_or_null(ep->reaped_kb));
		json_object_set_new(j, "left_kb", kb_or_null(ep->left_kb));
		if (ep->double_kill) {
			const struct oom_episode *first = &e->ep[ep->dk_episode];
			const struct ep_victim *v = &first->v[ep->dk_victim];
			const struct oom_event *ve = &kl->oom[v->event];
			json_object_set_new(j, "double_kill",
					    json_pack("{s:I,s:I,s:i,s:I}", "episode", (json_int_t)ep->dk_episode,
						      "event", (json_int_t)v->event, "pid", ve->victim_pid,
						      "reaped_after_us", (json_int_t)(ve->reaped_ts_us - ep->t_us)));
		} else {
			json_object_set_new(j, "double_kill", json_null());
		}
		json_array_append_new(a, j);
	}
	return a;
}
