// SPDX-License-Identifier: GPL-2.0-or-later
/* Whose OOM kill it was (judge/owner.c), on a hand-made cell: a stress-ng
 * workload (spawned at 1 s, exited at 10 s), an alloc workload (running),
 * and a second stress-ng (spawned at 20 s, running). Each event's victim
 * and owner is the exact index the cell report writes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "judge/owner.h"
#include "lib/util.h"
#include "workloads/wl.h"

#define S 1000000ull /* one second in kernel log microseconds */

static struct wl_spec specs[] = {{.name = (char *)"stress-ng", .reg = &wl_stressng},
				 {.name = (char *)"alloc", .reg = &wl_alloc},
				 {.name = (char *)"stress-ng", .reg = &wl_stressng}};

static void cell(struct cell_spec *cs, struct cell_obs *o, struct wl_obs w[3])
{
	memset(cs, 0, sizeof *cs);
	memset(o, 0, sizeof *o);
	memset(w, 0, 3 * sizeof *w);
	cs->wl = specs;
	cs->n_wl = 3;
	w[0] = (struct wl_obs){.spawned = 1, .pid = 100, .t_spawn_us = 1 * S, .exited = 1, .t_exit_us = 10 * S};
	w[1] = (struct wl_obs){.spawned = 1, .pid = 200, .t_spawn_us = 1 * S};
	w[2] = (struct wl_obs){.spawned = 1, .pid = 300, .t_spawn_us = 20 * S};
	o->wl = w;
	o->n_wl = 3;
}

static struct oom_event ev(int pid, const char *comm, unsigned long long ts, int killed)
{
	struct oom_event e;
	memset(&e, 0, sizeof e);
	e.victim_pid = pid;
	snprintf(e.victim_comm, sizeof e.victim_comm, "%s", comm);
	e.ts_us = ts;
	e.killed = killed;
	return e;
}

Test(owner, victims_and_children)
{
	struct cell_spec cs;
	struct cell_obs o;
	struct wl_obs w[3];
	cell(&cs, &o, w);
	struct oom_event e[] = {
		ev(200, "oomlab-wl", 5 * S, 1),         /* 0: the alloc workload itself */
		ev(100, "stress-ng", 5 * S, 1),         /* 1: stress-ng's parent: a workload, no child */
		ev(150, "stress-ng-vm", 5 * S, 1),      /* 2: a child of workload 0 */
		ev(151, "stress-ng-vm", 5 * S, 0),      /* 3: not killed: nobody's */
		ev(152, "stress-ng-vm", 1 * S - 1, 1),  /* 4: before any stress-ng ran */
		ev(153, "stress-ng-vm", 11 * S, 1),     /* 5: exit + slack, still workload 0 */
		ev(154, "stress-ng-vm", 11 * S + 1, 1), /* 6: past the slack, before workload 2 */
		ev(155, "stress-ng-vm", 25 * S, 1),     /* 7: a child of workload 2 */
		ev(156, "stress", 5 * S, 1),            /* 8: shorter than child_comm */
		ev(157, "oomlab-wl", 5 * S, 1),         /* 9: alloc has no child_comm */
		ev(200, "oomlab-wl", 6 * S, 0),         /* 10: a workload's pid, not killed */
	};
	struct kernlog kl = {.oom = e, .n_oom = ARRAY_SIZE(e)};
	static const int victim[] = {1, 0, -1, -1, -1, -1, -1, -1, -1, -1, 1};
	static const int child_of[] = {-1, -1, 0, -1, -1, 0, -1, 2, -1, -1, -1};
	struct oom_owners ow;
	owners_judge(&cs, &o, &kl, &ow);
	cr_assert_eq(ow.n_ev, ARRAY_SIZE(e));
	for (size_t k = 0; k < ARRAY_SIZE(e); k++) {
		cr_assert_eq(ow.ev[k].victim_workload, victim[k], "event %zu: victim %d", k,
			     ow.ev[k].victim_workload);
		cr_assert_eq(ow.ev[k].victim_child_of, child_of[k], "event %zu: child of %d", k,
			     ow.ev[k].victim_child_of);
	}
	cr_assert_eq(ow.n_wl, 3);
	cr_assert_eq(ow.kills_of_children[0], 2);
	cr_assert_eq(ow.kills_of_children[1], 0);
	cr_assert_eq(ow.kills_of_children[2], 1);
	owners_free(&ow);
	cr_assert_null(ow.ev);
	cr_assert_null(ow.kills_of_children);
}

/* Two stress-ng workloads running at once: their children's kills are
 * nobody's; one that never spawned is never an owner. */
Test(owner, ambiguous_and_unspawned)
{
	struct cell_spec cs;
	struct cell_obs o;
	struct wl_obs w[3];
	cell(&cs, &o, w);
	w[0].exited = 0;
	struct oom_event e[] = {ev(150, "stress-ng-vm", 25 * S, 1), ev(151, "stress-ng-vm", 5 * S, 1)};
	struct kernlog kl = {.oom = e, .n_oom = ARRAY_SIZE(e)};
	struct oom_owners ow;
	owners_judge(&cs, &o, &kl, &ow);
	cr_assert_eq(ow.ev[0].victim_child_of, -1);
	cr_assert_eq(ow.ev[1].victim_child_of, 0);
	owners_free(&ow);
	w[0].spawned = 0;
	owners_judge(&cs, &o, &kl, &ow);
	cr_assert_eq(ow.ev[0].victim_child_of, 2);
	cr_assert_eq(ow.ev[1].victim_child_of, -1);
	cr_assert_eq(ow.kills_of_children[0], 0);
	cr_assert_eq(ow.kills_of_children[2], 1);
	owners_free(&ow);
}

/* No OOM event and no workload: empty, still freeable. */
Test(owner, empty)
{
	struct cell_spec cs = {0};
	struct cell_obs o = {0};
	struct kernlog kl = {0};
	struct oom_owners ow;
	owners_judge(&cs, &o, &kl, &ow);
	cr_assert_eq(ow.n_ev, 0);
	cr_assert_eq(ow.n_wl, 0);
	owners_free(&ow);
}

/* An exec workload's program: its children keep its name, which the
 * kernel cuts at 15 bytes; a kill of one while it runs is its own. */
Test(owner, children_of_an_exec_program)
{
	struct wl_file files[] = {{(char *)"/h/a-very-long-program", (char *)"/data/prog0/a-very-long-program",
				   WLF_PROG},
				  {(char *)"/h/x", (char *)"/data/w0/x", WLF_TREE}};
	struct wl_spec sp[] = {{.name = (char *)"exec", .reg = &wl_exec, .files = files, .n_files = 2},
			       {.name = (char *)"exec", .reg = &wl_exec, .files = files + 1, .n_files = 1}};
	char buf[OWNER_COMM_MAX + 1];
	cr_expect_str_eq(owner_child_comm(&sp[0], buf, sizeof buf), "a-very-long-pro");
	cr_expect_null(owner_child_comm(&sp[1], buf, sizeof buf)); /* no program */
	cr_expect_str_eq(owner_child_comm(&specs[0], buf, sizeof buf), "stress-ng");
	cr_expect_null(owner_child_comm(&specs[1], buf, sizeof buf));
	struct cell_spec cs = {.wl = sp, .n_wl = 2};
	struct wl_obs w[2] = {{.spawned = 1, .pid = 100, .t_spawn_us = 1 * S},
			      {.spawned = 1, .pid = 200, .t_spawn_us = 1 * S}};
	struct cell_obs o = {.wl = w, .n_wl = 2};
	struct oom_event e[] = {
		ev(100, "a-very-long-pro", 5 * S, 1), /* 0: the program itself */
		ev(101, "a-very-long-pro", 5 * S, 1), /* 1: its child */
		ev(102, "other", 5 * S, 1),           /* 2: nobody's */
	};
	struct kernlog kl = {.oom = e, .n_oom = ARRAY_SIZE(e)};
	struct oom_owners ow;
	owners_judge(&cs, &o, &kl, &ow);
	cr_expect_eq(ow.ev[0].victim_workload, 0);
	cr_expect_eq(ow.ev[0].victim_child_of, -1);
	cr_expect_eq(ow.ev[1].victim_workload, -1);
	cr_expect_eq(ow.ev[1].victim_child_of, 0);
	cr_expect_eq(ow.ev[2].victim_child_of, -1);
	cr_expect_eq(ow.kills_of_children[0], 1);
	cr_expect_eq(ow.kills_of_children[1], 0);
	owners_free(&ow);
}
