// SPDX-License-Identifier: GPL-2.0-or-later
/* OOM episodes (judge/episodes.c) of golden kernel logs of real OOM
 * reports (tests/golden/kernlog/), each episode written as one line and
 * compared whole, and of hand-made logs for what no golden log holds (a
 * double kill, its reach, collateral victims). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "golden.h"
#include "judge/episodes.h"
#include "judge/owner.h"
#include "lib/util.h"
#include "parse/parse.h"
#include "workloads/wl.h"

/* One episode as a line:
 * "t=<t_us> <kind> <memcg> ev=<first>+<n> v=[<pid>:<comm>:<owner>:<workload>:<rss>:<reap_us>:<left>,..]
 *  reap=<us> rss=<kb> reaped=<kb> left=<kb> coll=<n> dk=<episode>/<pid>"
 * with "-" for what is unknown or absent. */
static void num(char *b, size_t n, size_t *at, long long v)
{
	*at += (size_t)(v >= 0 ? snprintf(b + *at, n - *at, "%lld", v) : snprintf(b + *at, n - *at, "-"));
}

static void line_of(const struct kernlog *kl, const struct oom_episodes *e, size_t i, char *b, size_t n)
{
	const struct oom_episode *ep = &e->ep[i];
	const struct oom_event *inv = &kl->oom[ep->first_event];
	size_t at = (size_t)snprintf(b, n, "t=%llu %s %s ev=%zu+%zu v=[", ep->t_us, inv->oom_kind[0] ? inv->oom_kind : "-",
				     inv->oom_memcg[0] ? inv->oom_memcg : "-", ep->first_event, ep->n_events);
	for (size_t k = 0; k < ep->n_v; k++) {
		const struct ep_victim *v = &ep->v[k];
		at += (size_t)snprintf(b + at, n - at, "%s%d:%s:%s:", k ? "," : "", kl->oom[v->event].victim_pid,
				       kl->oom[v->event].victim_comm, victim_owner_table[v->owner].word);
		num(b, n, &at, v->workload);
		at += (size_t)snprintf(b + at, n - at, ":");
		num(b, n, &at, v->rss_kb);
		at += (size_t)snprintf(b + at, n - at, ":");
		num(b, n, &at, v->reap_us);
		at += (size_t)snprintf(b + at, n - at, ":");
		num(b, n, &at, v->left_kb);
	}
	at += (size_t)snprintf(b + at, n - at, "] reap=");
	num(b, n, &at, ep->reap_us);
	at += (size_t)snprintf(b + at, n - at, " rss=");
	num(b, n, &at, ep->rss_kb);
	at += (size_t)snprintf(b + at, n - at, " reaped=");
	num(b, n, &at, ep->reaped_kb);
	at += (size_t)snprintf(b + at, n - at, " left=");
	num(b, n, &at, ep->left_kb);
	at += (size_t)snprintf(b + at, n - at, " coll=%zu dk=", ep->n_collateral);
	if (ep->double_kill)
		snprintf(b + at, n - at, "%zu/%d", ep->dk_episode,
			 kl->oom[e->ep[ep->dk_episode].v[ep->dk_victim].event].victim_pid);
	else
		snprintf(b + at, n - at, "-");
}

/* The golden log rel parsed: console text, or kmsg records (a first line,
 * then continuation lines starting with a space). */
static void parse(const char *rel, struct kernlog *kl)
{
	struct golden g;
	golden_load(rel, &g);
	kernlog_init(kl);
	if (strstr(rel, ".kmsg")) {
		const char *p = g.body, *end = g.body + g.body_len;
		while (p < end) {
			const char *r = p, *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl + 1 : end;
			while (p < end && *p == ' ') {
				nl = memchr(p, '\n', (size_t)(end - p));
				p = nl ? nl + 1 : end;
			}
			struct kmsg_rec k;
			if (parse_kmsg_record(r, (size_t)(p - r), &k) == 0)
				kernlog_feed(kl, k.ts_us, k.text, k.text_len);
		}
	} else {
		kernlog_feed_console(kl, g.body, g.body_len);
	}
	golden_free(&g);
}

static void feed(struct kernlog *kl, unsigned long long ts, const char *s)
{
	kernlog_feed(kl, ts, s, strlen(s));
}

/* Episodes of rel, with workload_pids[] the pids of the cell's workloads
 * (the capture's programs the kernel named; 0 ends the list), against
 * want[] (n lines). */
static void check(const char *rel, const int *workload_pids, const char *const *want, size_t n)
{
	struct kernlog kl;
	parse(rel, &kl);
	struct wl_spec specs[4] = {{0}};
	struct wl_obs w[4] = {{0}};
	size_t nw = 0;
	while (nw < 4 && workload_pids[nw]) {
		w[nw] = (struct wl_obs){.spawned = 1, .pid = workload_pids[nw]};
		nw++;
	}
	struct cell_spec cs = {.wl = specs, .n_wl = nw};
	struct cell_obs o = {.wl = w, .n_wl = nw};
	struct oom_owners ow;
	owners_judge(&cs, &o, &kl, &ow);
	struct oom_episodes e;
	episodes_judge(&kl, &ow, &e);
	cr_assert_eq(e.n, n, "%s: %zu episodes, want %zu", rel, e.n, n);
	for (size_t i = 0; i < n; i++) {
		char got[1024];
		line_of(&kl, &e, i, got, sizeof got);
		cr_expect_str_eq(got, want[i], "%s episode %zu:\n got %s\nwant %s", rel, i, got, want[i]);
	}
	episodes_free(&e);
	owners_free(&ow);
	kernlog_free(&kl);
}

/* The reaper's line 2.014205 s after the invocation (its timer is
 * OOM_REAPER_DELAY, 2 s): 182452+0+552 kB held, 0+0+4 left. */
Test(episodes, reaped_6_1)
{
	static const int pids[] = {79, 0};
	static const char *const want[] = {
		"t=4171012 global_oom - ev=0+1 v=[79:touch:workload:0:183004:2014205:4] reap=2014205 rss=183004 "
		"reaped=183000 left=4 coll=0 dk=-",
	};
	check("kernlog/oom-reaper-6.1.console", pids, want, 1);
}

/* The reaper gave up on the victim (kernlog/oom-unreaped-6.1.console: the
 * report of oom-reaper-6.1 with the reaper's "unable to reap" line written
 * from the kernel's format string in place of its "reaped process"):
 * not reaped, nothing freed by the reaper, the give-up 3.022052 s after
 * the invocation. */
Test(episodes, reaper_gave_up_6_1)
{
	static const int pids[] = {79, 0};
	static const char *const want[] = {
		"t=4171012 global_oom - ev=0+1 v=[79:touch:workload:0:183004:-:-] reap=- rss=183004 reaped=- left=- coll=0 "
		"dk=-",
	};
	check("kernlog/oom-unreaped-6.1.console", pids, want, 1);
	struct kernlog kl;
	parse("kernlog/oom-unreaped-6.1.console", &kl);
	struct oom_episodes e;
	episodes_judge(&kl, NULL, &e);
	cr_assert_eq(e.n, 1);
	cr_expect_eq(e.ep[0].n_reap_failed, 1);
	cr_expect_eq(e.ep[0].v[0].reap_failed_us, 3022052);
	json_t *j = episodes_json(&kl, &e);
	json_t *v = json_array_get(json_object_get(json_array_get(j, 0), "victims"), 0);
	cr_expect(json_is_true(json_object_get(v, "reap_failed")));
	cr_expect_eq(json_integer_value(json_object_get(v, "reap_failed_us")), 3022052);
	cr_expect_eq(json_integer_value(json_object_get(json_array_get(j, 0), "n_reap_failed")), 1);
	json_decref(j);
	episodes_free(&e);
	/* a victim the reaper reaped: no give-up */
	kernlog_free(&kl);
	parse("kernlog/oom-reaper-6.1.console", &kl);
	episodes_judge(&kl, NULL, &e);
	cr_expect_eq(e.ep[0].n_reap_failed, 0);
	cr_expect_eq(e.ep[0].v[0].reap_failed_us, -1);
	j = episodes_json(&kl, &e);
	v = json_array_get(json_object_get(json_array_get(j, 0), "victims"), 0);
	cr_expect(json_is_false(json_object_get(v, "reap_failed")));
	cr_expect(json_is_null(json_object_get(v, "reap_failed_us")));
	json_decref(j);
	episodes_free(&e);
	kernlog_free(&kl);
}

Test(episodes, reaped_6_12_kmsg_and_console)
{
	static const int pids[] = {128, 0};
	static const char *const want[] = {
		"t=7305328 global_oom - ev=0+1 v=[128:touch:workload:0:197092:2023762:28] reap=2023762 rss=197092 "
		"reaped=197064 left=28 coll=0 dk=-",
	};
	check("kernlog/oom-reaper-6.12.kmsg", pids, want, 1);
	check("kernlog/oom-reaper-6.12.console", pids, want, 1);
}

/* memory.oom.group: the victim (touch) and the rest of the group (hold)
 * are one episode of two victims; the victim printed again is no third */
Test(episodes, memcg_group_6_1)
{
	static const int pids[] = {79, 80, 0};
	static const char *const want[] = {
		"t=3038634 oom_memcg /g ev=0+2 v=[80:touch:workload:1:49252:-:-,79:hold:workload:0:16780:-:-] "
		"reap=- rss=66032 reaped=- left=- coll=0 dk=-",
	};
	check("kernlog/memcg-group-6.1.kmsg", pids, want, 1);
	check("kernlog/memcg-group-6.1.console", pids, want, 1);
}

Test(episodes, memcg_group_6_12)
{
	static const int pids[] = {127, 128, 0};
	static const char *const want[] = {
		"t=5229571 oom_memcg /g ev=0+2 v=[128:touch:workload:1:49220:-:-,127:hold:workload:0:16708:-:-] "
		"reap=- rss=65928 reaped=- left=- coll=0 dk=-",
	};
	check("kernlog/memcg-group-6.12.kmsg", pids, want, 1);
	check("kernlog/memcg-group-6.12.console", pids, want, 1);
}

/* two invocations, one victim each; hold was never reaped (it exited
 * first), so the second kill is no double kill */
Test(episodes, two_episodes_6_1)
{
	static const int pids[] = {79, 80, 0};
	static const char *const want[] = {
		"t=1709459 global_oom - ev=0+1 v=[79:hold:workload:0:41504:-:-] reap=- rss=41504 reaped=- left=- "
		"coll=0 dk=-",
		"t=1783442 global_oom - ev=1+1 v=[80:touch:workload:1:183008:-:-] reap=- rss=183008 reaped=- left=- "
		"coll=0 dk=-",
	};
	check("kernlog/oom-adj-6.1.kmsg", pids, want, 2);
}

/* panic_on_oom: an invocation that killed nothing */
Test(episodes, panic_no_victim)
{
	static const int pids[] = {0};
	static const char *const want[] = {
		"t=2460947 - - ev=0+1 v=[] reap=- rss=- reaped=- left=- coll=0 dk=-",
	};
	check("kernlog/oom-panic-6.12.console", pids, want, 1);
}

/* a victim that is none of the cell's workloads is collateral */
Test(episodes, collateral_when_no_workload_had_the_pid)
{
	static const int pids[] = {80, 0}; /* touch only: hold was not a workload */
	static const char *const want[] = {
		"t=1709459 global_oom - ev=0+1 v=[79:hold:collateral:-:41504:-:-] reap=- rss=41504 reaped=- left=- "
		"coll=1 dk=-",
		"t=1783442 global_oom - ev=1+1 v=[80:touch:workload:0:183008:-:-] reap=- rss=183008 reaped=- left=- "
		"coll=0 dk=-",
	};
	check("kernlog/oom-adj-6.1.kmsg", pids, want, 2);
}

/* A stress-ng worker killed while two stress-ng workloads ran: a child
 * of one of them (owner.c cannot say which), not collateral; one killed
 * while only one ran is that one's. */
Test(episodes, child_of_two_running_workloads)
{
	struct wl_spec specs[] = {{.name = (char *)"stress-ng", .reg = &wl_stressng},
				  {.name = (char *)"stress-ng", .reg = &wl_stressng}};
	struct wl_obs w[] = {{.spawned = 1, .pid = 100, .t_spawn_us = 1000000},
			     {.spawned = 1, .pid = 200, .t_spawn_us = 5000000}};
	struct cell_spec cs = {.wl = specs, .n_wl = 2};
	struct cell_obs o = {.wl = w, .n_wl = 2};
	struct kernlog kl;
	kernlog_init(&kl);
	feed(&kl, 2000000, "Out of memory: Killed process 150 (stress-ng-vm) total-vm:9kB, anon-rss:8kB, file-rss:0kB, "
			   "shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0");
	feed(&kl, 6000000, "Out of memory: Killed process 250 (stress-ng-vm) total-vm:9kB, anon-rss:8kB, file-rss:0kB, "
			   "shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0");
	feed(&kl, 7000000, "Out of memory: Killed process 260 (sh) total-vm:9kB, anon-rss:8kB, file-rss:0kB, "
			   "shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0");
	struct oom_owners ow;
	owners_judge(&cs, &o, &kl, &ow);
	cr_assert_eq(ow.ev[1].victim_child_of, -1);
	cr_assert(ow.ev[1].victim_child_ambiguous);
	cr_assert_not(ow.ev[0].victim_child_ambiguous);
	struct oom_episodes e;
	episodes_judge(&kl, &ow, &e);
	static const char *const want[] = {
		"t=2000000 - - ev=0+1 v=[150:stress-ng-vm:child:0:8:-:-] reap=- rss=8 reaped=- left=- coll=0 dk=-",
		"t=6000000 - - ev=1+1 v=[250:stress-ng-vm:child:-:8:-:-] reap=- rss=8 reaped=- left=- coll=0 dk=-",
		"t=7000000 - - ev=2+1 v=[260:sh:collateral:-:8:-:-] reap=- rss=8 reaped=- left=- coll=1 dk=-",
	};
	cr_assert_eq(e.n, 3);
	for (size_t i = 0; i < 3; i++) {
		char got[1024];
		line_of(&kl, &e, i, got, sizeof got);
		cr_expect_str_eq(got, want[i], "episode %zu:\n got %s\nwant %s", i, got, want[i]);
	}
	episodes_free(&e);
	owners_free(&ow);
	kernlog_free(&kl);
}

/* ---- hand-made logs: the kernel's own lines, times chosen ---- */

static void kill_report(struct kernlog *kl, unsigned long long ts, const char *memcg, int pid, const char *comm)
{
	char l[512];
	feed(kl, ts, "x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
	if (memcg)
		snprintf(l, sizeof l,
			 "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=%s,"
			 "task_memcg=%s,task=%s,pid=%d,uid=0",
			 memcg, memcg, comm, pid);
	else
		snprintf(l, sizeof l,
			 "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
			 "task_memcg=/,task=%s,pid=%d,uid=0",
			 comm, pid);
	feed(kl, ts + 10, l);
	snprintf(l, sizeof l,
		 "%s: Killed process %d (%s) total-vm:2000kB, anon-rss:1000kB, file-rss:20kB, shmem-rss:4kB, UID:0 "
		 "pgtables:40kB oom_score_adj:0",
		 memcg ? "Memory cgroup out of memory" : "Out of memory", pid, comm);
	feed(kl, ts + 20, l);
}

static void reaped(struct kernlog *kl, unsigned long long ts, int pid, const char *comm)
{
	char l[256];
	snprintf(l, sizeof l, "oom_reaper: reaped process %d (%s), now anon-rss:0kB, file-rss:20kB, shmem-rss:4kB", pid,
		 comm);
	feed(kl, ts, l);
}

static void check_kl(const struct kernlog *kl, const char *const *want, size_t n)
{
	struct oom_episodes e;
	episodes_judge(kl, NULL, &e);
	cr_assert_eq(e.n, n, "%zu episodes, want %zu", e.n, n);
	for (size_t i = 0; i < n; i++) {
		char got[1024];
		line_of(kl, &e, i, got, sizeof got);
		cr_expect_str_eq(got, want[i], "episode %zu:\n got %s\nwant %s", i, got, want[i]);
	}
	episodes_free(&e);
}

/* A global OOM while the last victim is not yet reaped: a double kill;
 * after the reaper's line: none. */
Test(episodes, double_kill_global)
{
	struct kernlog kl;
	kernlog_init(&kl);
	kill_report(&kl, 1000000, NULL, 100, "a");
	kill_report(&kl, 1500000, NULL, 101, "b"); /* a reaped only at 3.0 s */
	reaped(&kl, 3000000, 100, "a");
	reaped(&kl, 3600000, 101, "b");
	kill_report(&kl, 4000000, NULL, 102, "c"); /* after both: no */
	static const char *const want[] = {
		"t=1000000 global_oom - ev=0+1 v=[100:a:collateral:-:1024:2000000:24] reap=2000000 rss=1024 reaped=1000 "
		"left=24 coll=1 dk=-",
		"t=1500000 global_oom - ev=1+1 v=[101:b:collateral:-:1024:2100000:24] reap=2100000 rss=1024 reaped=1000 "
		"left=24 coll=1 dk=0/100",
		"t=4000000 global_oom - ev=2+1 v=[102:c:collateral:-:1024:-:-] reap=- rss=1024 reaped=- left=- coll=1 "
		"dk=-",
	};
	check_kl(&kl, want, 3);
	kernlog_free(&kl);
}

/* A memory cgroup's OOM reaches only its own group and those below it:
 * an unreaped victim in /a does not make a kill in /b a double kill, one
 * in /b/c does; a global OOM reaches every group. */
Test(episodes, double_kill_reach)
{
	struct kernlog kl;
	kernlog_init(&kl);
	kill_report(&kl, 1000000, "/a", 100, "a");
	kill_report(&kl, 1100000, "/d", 101, "d");     /* /a is not below /d: no */
	kill_report(&kl, 1200000, "/ab", 102, "ab");   /* /a is no prefix group of /ab: no */
	kill_report(&kl, 1300000, "/b/c", 103, "bc");  /* /b is above /b/c: no */
	kill_report(&kl, 1400000, "/b", 104, "b2");    /* /b/c is below /b, unreaped: yes */
	kill_report(&kl, 1500000, NULL, 105, "g");     /* global: /a, first unreaped: yes */
	reaped(&kl, 5000000, 100, "a");
	reaped(&kl, 5000001, 101, "d");
	reaped(&kl, 5000002, 102, "ab");
	reaped(&kl, 5000003, 103, "bc");
	reaped(&kl, 5000004, 104, "b2");
	reaped(&kl, 5000005, 105, "g");
	struct oom_episodes e;
	episodes_judge(&kl, NULL, &e);
	cr_assert_eq(e.n, 6);
	static const int dk[] = {0, 0, 0, 0, 1, 1};
	static const size_t dk_ep[] = {0, 0, 0, 0, 3, 0};
	for (size_t i = 0; i < 6; i++) {
		cr_expect_eq(e.ep[i].double_kill, dk[i], "episode %zu", i);
		if (dk[i])
			cr_expect_eq(e.ep[i].dk_episode, dk_ep[i], "episode %zu: after %zu", i, e.ep[i].dk_episode);
	}
	/* and the report says which victim, and how long after the invocation it was reaped */
	json_t *j = episodes_json(&kl, &e);
	char *s = json_dumps(json_object_get(json_array_get(j, 4), "double_kill"), JSON_SORT_KEYS | JSON_COMPACT);
	cr_expect_str_eq(s, "{\"episode\":3,\"event\":3,\"pid\":103,\"reaped_after_us\":3600003}");
	free(s);
	cr_expect(json_is_null(json_object_get(json_array_get(j, 0), "double_kill")));
	json_decref(j);
	episodes_free(&e);
	kernlog_free(&kl);
}

/* Every word of the owner table is its own row's, and is found. */
Test(episodes, owner_table)
{
	static const char *const words[VO_COUNT] = {"workload", "child", "collateral"};
	for (size_t i = 0; i < VO_COUNT; i++) {
		cr_expect_eq(victim_owner_table[i].owner, (enum victim_owner)i);
		cr_expect_str_eq(victim_owner_table[i].word, words[i]);
		cr_expect_eq(victim_owner_find(words[i]), &victim_owner_table[i]);
	}
	cr_expect_null(victim_owner_find("agent"));
	cr_expect_null(victim_owner_find(NULL));
}

/* The cell report's shape of one episode, whole. */
Test(episodes, json_of_a_reaped_episode)
{
	struct kernlog kl;
	parse("kernlog/oom-reaper-6.12.kmsg", &kl);
	struct oom_episodes e;
	episodes_judge(&kl, NULL, &e);
	json_t *j = episodes_json(&kl, &e);
	char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	cr_expect_str_eq(s, "[{\"constraint\":\"CONSTRAINT_NONE\",\"double_kill\":null,\"events\":[0],"
			    "\"invoker_comm\":\"touch\",\"left_kb\":28,\"n_collateral\":1,\"n_reap_failed\":0,"
			    "\"n_victims\":1,\"oom_group\":null,\"oom_kind\":\"global_oom\",\"oom_memcg\":null,"
			    "\"reap_us\":2023762,\"reaped_kb\":197064,\"rss_kb\":197092,\"t_us\":7305328,\"victims\":["
			    "{\"comm\":\"touch\",\"event\":0,\"group_member\":false,\"left_kb\":28,\"owner\":"
			    "\"collateral\",\"pid\":128,\"reap_failed\":false,\"reap_failed_us\":null,\"reap_us\":2023762,"
			    "\"reaped\":true,\"rss_kb\":197092,\"workload\":null}]}]");
	free(s);
	json_decref(j);
	episodes_free(&e);
	kernlog_free(&kl);
}
