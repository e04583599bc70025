// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/memcg.h"
#include "lib/util.h"

#include <stdio.h>
#include <string.h>

/* The text the guest read back from cgroup.<group>.<file>, or NULL. */
static const char *file_got(json_t *knobs, const char *group, const char *file)
{
	char name[300];
	snprintf(name, sizeof name, "cgroup.%s.%s", group, file);
	for (size_t i = 0; i < json_array_size(knobs); i++) {
		json_t *k = json_array_get(knobs, i);
		const char *kn = json_string_value(json_object_get(k, "name"));
		if (kn && !strcmp(kn, name))
			return json_string_value(json_object_get(k, "got"));
	}
	return NULL;
}

long long memcg_file_kb(json_t *knobs, const char *group, const char *file)
{
	const char *got = file_got(knobs, group, file);
	long long v;
	if (!got)
		return -2;
	if (!strcmp(got, "max"))
		return -1;
	return parse_ll(got, &v) == 0 && v >= 0 ? v / 1024 : -2;
}

/* The lowest value of file on group and its ancestors (-1: none), and in
 * *at the length of the path that sets it (0: none). */
static long long chain_min(json_t *knobs, const char *group, const char *file, size_t *at)
{
	long long best = -1;
	char path[256];
	snprintf(path, sizeof path, "%s", group);
	*at = 0;
	for (;;) {
		long long v = memcg_file_kb(knobs, path, file);
		if (v >= 0 && (best < 0 || v <= best)) {
			best = v;
			*at = strlen(path);
		}
		char *slash = strrchr(path, '/');
		if (!slash)
			return best;
		*slash = 0;
	}
}

/* memory.oom.group read back as 1 on group or an ancestor */
static int chain_oom_group(json_t *knobs, const char *group)
{
	char path[256];
	snprintf(path, sizeof path, "%s", group);
	for (;;) {
		const char *got = file_got(knobs, path, "memory.oom.group");
		if (got && !strcmp(got, "1"))
			return 1;
		char *slash = strrchr(path, '/');
		if (!slash)
			return 0;
		*slash = 0;
	}
}

/* group (a workload's, NULL: the root) is path (len bytes) or below it */
static int under(const char *group, const char *path, size_t len)
{
	return group && !strncmp(group, path, len) && (group[len] == 0 || group[len] == '/');
}

void memcg_oracle_inputs(const struct cell_spec *cs, const struct cell_obs *o, size_t w,
			 struct oracle_cg *cg)
{
	memset(cg, 0, sizeof *cg);
	const char *g = cs->wl[w].cgroup;
	if (!g)
		return;
	json_t *knobs = o ? o->knobs : NULL;
	size_t at_max, at;
	cg->group = g;
	cg->max_kb = chain_min(knobs, g, "memory.max", &at_max);
	cg->swap_max_kb = chain_min(knobs, g, "memory.swap.max", &at);
	cg->high_kb = chain_min(knobs, g, "memory.high", &at);
	/* protection: the group's own, bounded by its ancestors' ("Effective
	 * low boundary is limited by memory.low values of all ancestor
	 * cgroups"); 0 is none */
	long long low = memcg_file_kb(knobs, g, "memory.low") > 0 ? chain_min(knobs, g, "memory.low", &at) : 0;
	long long min = memcg_file_kb(knobs, g, "memory.min") > 0 ? chain_min(knobs, g, "memory.min", &at) : 0;
	cg->protect_kb = low > min ? low : min;
	cg->oom_group = chain_oom_group(knobs, g);
	/* the workloads that share its limit: those under the group that
	 * sets memory.max, else those of its own group */
	for (size_t i = 0; i < cs->n_wl; i++)
		if (at_max ? under(cs->wl[i].cgroup, g, at_max)
			   : cs->wl[i].cgroup && !strcmp(cs->wl[i].cgroup, g))
			cg->n_workloads++;
}

/* The most VmSwap workload i had in its samples, kB (0: none). */
static long long most_swap_kb(const struct cell_obs *o, size_t i)
{
	long long most = o->wl[i].n_status ? o->wl[i].last.vm_swap_kb : 0;
	json_t *s = o->wl[i].series ? json_object_get(o->wl[i].series, "VmSwap_kb") : NULL;
	for (size_t k = 0; k < json_array_size(s); k++) {
		json_t *v = json_array_get(s, k);
		if (json_is_integer(v) && json_integer_value(v) > most)
			most = json_integer_value(v);
	}
	return most;
}

/* Was workload i running at kernel time t (the agent's clock and the
 * kernel's differ by milliseconds: CHILD_CLOCK_SLACK_US)? */
static int running_at(const struct cell_obs *o, size_t i, unsigned long long t)
{
	const struct wl_obs *w = &o->wl[i];
	return w->spawned && w->t_spawn_us <= t && (!w->exited || w->t_exit_us + CHILD_CLOCK_SLACK_US >= t);
}

/* How much a memory.events counter of group rose over the cell (the first
 * and last samples of the group, judge/cgroups.h), -1: not sampled. */
static long long event_delta(json_t *cgroups, const char *group, const char *key)
{
	json_t *g = cgroups ? json_object_get(cgroups, group) : NULL;
	json_t *a = json_object_get(json_object_get(json_object_get(g, "start"), "events"), key);
	json_t *b = json_object_get(json_object_get(json_object_get(g, "end"), "events"), key);
	if (!json_is_integer(a) || !json_is_integer(b))
		return -1;
	return json_integer_value(b) - json_integer_value(a);
}

/* How much the "total" of a line ("some", "full") of group's
 * memory.pressure rose over the cell, us; -1: not sampled. */
static long long pressure_delta(json_t *cgroups, const char *group, const char *line)
{
	json_t *g = cgroups ? json_object_get(cgroups, group) : NULL;
	json_t *t[2];
	for (int k = 0; k < 2; k++) {
		json_t *p = json_object_get(json_object_get(g, k ? "end" : "start"), "pressure");
		t[k] = json_object_get(json_object_get(p, line), "total_us");
	}
	if (!json_is_integer(t[0]) || !json_is_integer(t[1]))
		return -1;
	return json_integer_value(t[1]) - json_integer_value(t[0]);
}

int memcg_check(const struct cell_spec *cs, const struct cell_obs *o, const struct kernlog *kl,
		const struct oom_owners *owners, const int *oom_idx, const int *throttled, size_t *culprit,
		char *why, size_t whysz)
{
	/* memory.high: a workload whose goal is above it was throttled, its
	 * group's "high" events rose ("The number of times processes of the
	 * cgroup are throttled and routed to perform direct memory reclaim
	 * because the high memory boundary was exceeded"), and it was slowed
	 * down: the time its tasks spent in that reclaim and in the penalty
	 * sleep after it is memory stall time of the group (mm/memcontrol.c
	 * reclaim_high() and mem_cgroup_handle_over_high() wrap both in
	 * psi_memstall_enter/leave), so the "some" total of its
	 * memory.pressure rose */
	for (size_t i = 0; i < cs->n_wl; i++) {
		if (!throttled || !throttled[i] || !cs->wl[i].cgroup)
			continue;
		/* the group that sets the memory.high in force */
		char path[256];
		size_t at;
		chain_min(o->knobs, cs->wl[i].cgroup, "memory.high", &at);
		snprintf(path, sizeof path, "%.*s", (int)at, cs->wl[i].cgroup);
		long long d = at ? event_delta(o->cgroups, path, "high") : -1;
		if (d == 0) {
			*culprit = i;
			snprintf(why, whysz,
				 "memory.high of memory cgroup /%s is below its goal, yet the group's high events did "
				 "not rise: never throttled",
				 path);
			return 0;
		}
		if (d > 0 && pressure_delta(o->cgroups, path, "some") == 0) {
			*culprit = i;
			snprintf(why, whysz,
				 "memory.high of memory cgroup /%s: its high events rose, yet its memory.pressure "
				 "shows no stall: throttled without being slowed",
				 path);
			return 0;
		}
	}
	for (size_t e = 0; e < kl->n_oom; e++) {
		const struct oom_event *ev = &kl->oom[e];
		if (!ev->oom_memcg[0] || ev->oom_memcg[0] != '/')
			continue;
		const char *grp = ev->oom_memcg + 1; /* "/app" -> "app" */
		size_t glen = strlen(grp);
		int v = e < owners->n_ev ? owners->ev[e].victim_workload : -1;
		/* "If the OOM killer is invoked in a cgroup, it's not going to
		 * kill any tasks outside of this cgroup" */
		if (v >= 0 && glen && !under(cs->wl[v].cgroup, grp, glen)) {
			*culprit = (size_t)v;
			snprintf(why, whysz, "killed by the OOM of memory cgroup %s although it runs in /%s",
				 ev->oom_memcg, cs->wl[v].cgroup ? cs->wl[v].cgroup : "");
			return 0;
		}
		/* the limit the kernel hit is the memory.max read back */
		long long max_kb = glen ? memcg_file_kb(o->knobs, grp, "memory.max") : -2;
		if (max_kb >= 0 && ev->memcg_limit_kb >= 0 && ev->memcg_limit_kb != max_kb) {
			*culprit = v >= 0 ? (size_t)v : 0;
			snprintf(why, whysz,
				 "the OOM of memory cgroup %s reports a limit of %lld kB, memory.max read back %lld kB",
				 ev->oom_memcg, ev->memcg_limit_kb, max_kb);
			return 0;
		}
		/* memory.oom.group: "all tasks belonging to the cgroup or to its
		 * descendants ... are killed together or not at all" */
		if (ev->group_member || ev->oom_group[0] != '/')
			continue;
		const char *og = ev->oom_group + 1;
		size_t oglen = strlen(og);
		for (size_t i = 0; i < cs->n_wl && oglen; i++) {
			if (!under(cs->wl[i].cgroup, og, oglen) || !running_at(o, i, ev->ts_us) ||
			    cs->wl[i].oom_score_adj == -1000)
				continue;
			/* killed by this event, or by a member kill of its episode */
			int k = oom_idx[i], same = k == (int)e;
			for (size_t m = e + 1; !same && m < kl->n_oom && kl->oom[m].group_member; m++)
				same = k == (int)m;
			if (!same) {
				*culprit = i;
				snprintf(why, whysz,
					 "memory.oom.group of %s: its OOM kill at %.2f s took the group, but not this "
					 "workload",
					 ev->oom_group, (double)ev->ts_us / 1e6);
				return 0;
			}
		}
	}
	/* memory.min / memory.low: "the cgroup's memory won't be reclaimed
	 * unless there is no reclaimable memory available in unprotected
	 * cgroups". Judged in a cell where a workload outside the group was
	 * OOM-killed or swapped: its memory then stays resident (at most
	 * 1 MB + 2% of its peak swapped out). */
	for (size_t i = 0; i < cs->n_wl && i < o->n_wl; i++) {
		struct oracle_cg cg;
		memcg_oracle_inputs(cs, o, i, &cg);
		const struct wl_obs *w = &o->wl[i];
		long long hwm = w->n_status ? w->last.vm_hwm_kb : -1;
		if (!cg.group || cg.protect_kb <= 0 || hwm <= 0 || hwm > cg.protect_kb)
			continue;
		int pressure = 0;
		for (size_t j = 0; j < cs->n_wl && j < o->n_wl; j++) {
			if (j == i || (cs->wl[j].cgroup && !strcmp(cs->wl[j].cgroup, cg.group)))
				continue;
			if (most_swap_kb(o, j) > 0 || oom_idx[j] >= 0)
				pressure = 1;
		}
		long long swapped = most_swap_kb(o, i);
		if (pressure && swapped > 1024 + hwm / 50) {
			*culprit = i;
			snprintf(why, whysz,
				 "memory cgroup %s is protected up to %lld kB (memory.low/min), more than its %lld kB, "
				 "yet %lld kB of it went to swap while another group was under pressure",
				 cg.group, cg.protect_kb, hwm, swapped);
			return 0;
		}
	}
	return 1;
}
