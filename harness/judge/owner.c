// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/owner.h"
#include "lib/util.h"
#include "workloads/wl.h"

#include <stdlib.h>
#include <string.h>

/* The workload whose process the kernel chose (the pid it named), or -1. */
static int victim_workload(const struct cell_obs *o, const struct oom_event *e)
{
	int victim = -1;
	for (size_t x = 0; x < o->n_wl; x++)
		if (o->wl[x].spawned && o->wl[x].pid == e->victim_pid)
			victim = (int)x;
	return victim;
}

const char *owner_child_comm(const struct wl_spec *w, char *buf, size_t sz)
{
	if (w->reg && w->reg->child_comm)
		return w->reg->child_comm;
	for (size_t f = 0; f < w->n_files; f++) {
		if (w->files[f].kind != WLF_PROG || !sz)
			continue;
		const char *slash = strrchr(w->files[f].guest, '/');
		const char *base = slash ? slash + 1 : w->files[f].guest;
		size_t n = strlen(base);
		if (n > OWNER_COMM_MAX)
			n = OWNER_COMM_MAX;
		if (n > sz - 1)
			n = sz - 1;
		memcpy(buf, base, n);
		buf[n] = 0;
		return n ? buf : NULL;
	}
	return NULL;
}

/* Kill of a process a workload started (stress-ng's workers): the victim
 * is none of the workloads, its comm starts with the workload's child comm
 * (owner_child_comm) and the workload was running then (kernel log time within
 * [t_spawn, t_exit + CHILD_CLOCK_SLACK_US]). The workload's index, or -1
 * when none or more than one (two such workloads running together) fits;
 * *fits how many did. */
static int child_owner(const struct cell_spec *cs, const struct cell_obs *o, const struct oom_event *e,
		       int victim, int *fits)
{
	int owner = -1;
	*fits = 0;
	if (!e->killed || victim >= 0)
		return -1;
	for (size_t x = 0; x < o->n_wl && x < cs->n_wl; x++) {
		const struct wl_obs *w = &o->wl[x];
		char buf[OWNER_COMM_MAX + 1];
		const char *comm = owner_child_comm(&cs->wl[x], buf, sizeof buf);
		if (!comm || !w->spawned || strncmp(e->victim_comm, comm, strlen(comm)) ||
		    e->ts_us < w->t_spawn_us ||
		    (w->exited && e->ts_us > w->t_exit_us + CHILD_CLOCK_SLACK_US))
			continue;
		(*fits)++;
		owner = (int)x;
	}
	return *fits == 1 ? owner : -1;
}

void owners_judge(const struct cell_spec *cs, const struct cell_obs *o, const struct kernlog *kl,
		  struct oom_owners *out)
{
	out->n_ev = kl->n_oom;
	out->ev = xcalloc(kl->n_oom ? kl->n_oom : 1, sizeof *out->ev);
	out->n_wl = cs->n_wl;
	out->kills_of_children = xcalloc(cs->n_wl ? cs->n_wl : 1, sizeof *out->kills_of_children);
	for (size_t k = 0; k < kl->n_oom; k++) {
		struct oom_owner *ow = &out->ev[k];
		ow->victim_workload = victim_workload(o, &kl->oom[k]);
		int fits;
		ow->victim_child_of = child_owner(cs, o, &kl->oom[k], ow->victim_workload, &fits);
		ow->victim_child_ambiguous = fits > 1;
		if (ow->victim_child_of >= 0)
			out->kills_of_children[ow->victim_child_of]++;
	}
}

void owners_free(struct oom_owners *w)
{
	free(w->ev);
	free(w->kills_of_children);
	memset(w, 0, sizeof *w);
}
