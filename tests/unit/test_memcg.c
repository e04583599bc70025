// SPDX-License-Identifier: GPL-2.0-or-later
/* Memory cgroups in judgement (judge/memcg.c, the oracle's rules 6 and 7,
 * docs/oracle.md "Memory cgroups"): examples/memcg.json recorded on Debian
 * 6.1 (tests/golden/examples/memcg/) and 6.12 (tests/golden/memcg-6.12/)
 * judged again, each rule with the figures the kernels gave; the same
 * cells with one fact changed FAIL; the oracle's figures on made-up
 * inputs. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "replay.h"
#include "judge/collect.h"
#include "judge/memcg.h"
#include "judge/oracle.h"
#include "judge/outcome.h"
#include "lib/util.h"
#include "lib/vocab.h"
#include "plan/matrix.h"
#include "workloads/wl.h"

static const char *const kdir[] = {"tests/golden/examples/memcg", "tests/golden/memcg-6.12"};

/* The recorded cell id of examples/memcg.json on kdir[kernel], not judged. */
static void mload(struct replay *r, size_t kernel, const char *id)
{
	replay_load(r, "examples/memcg.json", kdir[kernel], id, (size_t)-1);
}

/* Set the text a group file was read back as. */
static void set_got(struct replay *r, const char *name, const char *got)
{
	for (size_t i = 0; i < json_array_size(r->obs.knobs); i++) {
		json_t *k = json_array_get(r->obs.knobs, i);
		if (!strcmp(json_string_value(json_object_get(k, "name")), name)) {
			json_object_set_new(k, "got", json_string(got));
			return;
		}
	}
	cr_assert_fail("no knob %s", name);
}

/* ---- the oracle's rules 6 and 7 on made-up inputs ---- */

/* 256 MiB, one CPU, a together cell of one workload */
static struct oracle_in vm_in(const struct workload *wl, long long swap_kb)
{
	struct oracle_in in;
	memset(&in, 0, sizeof in);
	in.mem_total_kb = 210740;
	in.mem_available_kb = 184712;
	in.swap_total_kb = swap_kb;
	in.commit_limit_kb = 105370 + swap_kb;
	in.committed_as_kb = 3196;
	in.cpus = 1;
	in.n_workloads = 1;
	in.wl = wl;
	in.block_kb = 1024;
	in.start_vmsize_kb = 988;
	return in;
}

static struct oracle_cg group(long long max_kb, long long swap_max_kb, long long high_kb, size_t n)
{
	struct oracle_cg cg = {"app", max_kb, swap_max_kb, high_kb, 0, 0, n};
	return cg;
}

Test(memcg, max_kills_at_the_limit)
{
	struct oracle_in in = vm_in(&wl_touch, 0);
	struct oracle_cg cg = group(65536, -1, -1, 1);
	struct prediction p;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_eq(p.n_endpoints, 1);
	cr_assert_str_eq(p.endpoints[0], "oom_killed");
	cr_assert_float_eq(p.mb_min, 64 * 0.97 - 1, 1e-9);
	cr_assert_float_eq(p.mb_max, 66, 1e-9);
	cr_assert_str_eq(p.rule, "memory cgroup app: memory.max 65536 kB + swap 0 kB: oom_killed at 64 MB");
	cr_assert_eq(p.throttled, 0);
	/* the root group, or no cgroup at all: rule 5, MemAvailable */
	struct oracle_cg root = {0};
	oracle_predict_cg(&in, &root, &p);
	cr_assert_str_eq(p.rule, "writes every page:  MemAvailable 184712 kB + swap 0 kB: oom_killed at 180 MB");
	oracle_predict_cg(&in, NULL, &p);
	cr_assert_str_eq(p.rule, "writes every page:  MemAvailable 184712 kB + swap 0 kB: oom_killed at 180 MB");
}

Test(memcg, swap_max_adds_to_the_limit)
{
	struct oracle_in in = vm_in(&wl_touch, 262140);
	struct oracle_cg cg = group(65536, 32768, -1, 1);
	struct prediction p;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_str_eq(p.endpoints[0], "oom_killed");
	cr_assert_float_eq(p.mb_min, 96 * 0.97 - 1, 1e-9);
	cr_assert_float_eq(p.mb_max, 98, 1e-9);
	cr_assert_str_eq(p.rule, "memory cgroup app: memory.max 65536 kB + swap 32768 kB: oom_killed at 96 MB");
	/* memory.swap.max "max": the swap there is */
	cg.swap_max_kb = -1;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_float_eq(p.mb_max, (65536 + 262140) / 1024.0 + 2, 1e-9);
	/* a group bigger than the VM: the VM's memory ends it first */
	cg.max_kb = 1048576;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_str_eq(p.rule, "writes every page:  MemAvailable 184712 kB + swap 262140 kB: oom_killed at 436 MB");
}

Test(memcg, alloc_pays_a_page_and_page_tables_per_block)
{
	struct oracle_in in = vm_in(&wl_alloc, 0);
	struct oracle_cg cg = group(65536, -1, -1, 1);
	struct prediction p;
	oracle_predict_cg(&in, &cg, &p);
	/* 65536 kB / (4 kB + 2 kB of page table) = 10922 blocks of 1 MiB */
	cr_assert_str_eq(p.rule, "memory cgroup app: memory.max 65536 kB + swap 0 kB: oom_killed at 10922 MB");
	cr_assert_float_eq(p.mb_max, 10924, 1e-9);
}

/* Only panic_on_oom=2 panics on a group's OOM (Documentation/admin-guide/
 * sysctl/vm.rst: "If this is set to 1, the kernel panics when out-of-memory
 * happens. However, if a process limits using nodes by mempolicy/cpusets,
 * and those nodes become memory exhaustion status, one process may be
 * killed by oom-killer. No panic occurs in this case."; 2: "the kernel
 * panics compulsorily even on the above-mentioned"). */
Test(memcg, panic_on_oom_2_panics_on_a_group_oom)
{
	struct oracle_in in = vm_in(&wl_touch, 0);
	struct oracle_cg cg = group(65536, -1, -1, 1);
	struct prediction p;
	in.panic_on_oom = 1;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_str_eq(p.endpoints[0], "oom_killed");
	in.panic_on_oom = 2;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_str_eq(p.endpoints[0], "vm_panic");
}

/* A group shared by two workloads running together: either may reach
 * any MB below the limit (the other took the rest). Alone in its group,
 * a workload killed below its group's limit FAILs. */
Test(memcg, a_shared_group_is_a_shared_limit)
{
	struct oracle_in in = vm_in(&wl_touch, 0);
	in.n_workloads = 2;
	struct oracle_cg cg = group(65536, -1, -1, 2);
	struct prediction p;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_float_eq(p.mb_min, 0, 1e-9);
	cr_assert_float_eq(p.own_min[0], -1, 1e-9);
	char why[512];
	cr_assert(oracle_agrees(&p, "oom_killed", 30, why, sizeof why), "%s", why);
	cg.n_workloads = 1;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_float_eq(p.own_min[0], 64 * 0.97 - 1, 1e-9);
	cr_assert_not(oracle_agrees(&p, "oom_killed", 30, why, sizeof why));
	cr_assert_str_eq(why, "ended oom_killed at 30 MB, below 61 MB: not killed, it must reach its own limit "
			      "(memory cgroup app: memory.max 65536 kB + swap 0 kB: oom_killed at 64 MB; runs together "
			      "with 1 other workload(s): any killable one may be the victim)");
}

Test(memcg, high_throttles_and_the_goal_is_reached)
{
	struct oracle_in in = vm_in(&wl_touch, 262140);
	in.max_mb = 96;
	struct oracle_cg cg = group(-1, -1, 49152, 1);
	struct prediction p;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_eq(p.n_endpoints, 1);
	cr_assert_str_eq(p.endpoints[0], "exit");
	cr_assert_float_eq(p.mb_min, 96, 1e-9);
	cr_assert_float_eq(p.mb_max, 97, 1e-9);
	cr_assert_eq(p.throttled, 1);
	cr_assert_str_eq(p.rule, "max_mb=96: stops itself; memory.high 49152 kB of memory cgroup app: throttled and "
				 "reclaimed, not killed");
	/* never killed for it */
	char why[512];
	cr_assert_not(oracle_agrees(&p, "oom_killed", 60, why, sizeof why));
	/* a goal below memory.high: nothing to throttle */
	in.max_mb = 32;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_eq(p.throttled, 0);
	/* no swap for what is above it: throttled without end, not predicted */
	in = vm_in(&wl_touch, 0);
	in.max_mb = 96;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_eq(p.known, 0);
	cr_assert_str_eq(p.rule, "memory cgroup app: memory.high 49152 kB below its goal with 0 kB of swap for the "
				 "rest: throttled, not predicted");
	/* memory.max above memory.high and below the goal: throttled on its
	 * way to the group's OOM kill, which rule 6 predicts */
	cg.max_kb = 65536;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_eq(p.known, 1);
	cr_assert_eq(p.throttled, 1);
	cr_assert_str_eq(p.endpoints[0], "oom_killed");
	cr_assert_float_eq(p.mb_max, 66, 1e-9);
}

/* ---- examples/memcg.json on both kernels ---- */

static const struct {
	size_t kernel; /* kdir */
	const char *id;
	const char *verdict;
	struct {
		const char *endpoint;
		double mb;
	} wl[2];
	/* the first OOM event's memcg: group, usage, limit, failcnt, swap usage, swap limit */
	const char *oom_memcg;
	long long usage_kb, limit_kb, failcnt, swap_usage_kb, swap_limit_kb;
} recorded[] = {
	{0, "max", "PASS", {{"oom_killed", 64.25}, {"exit", 32}}, "/app", 65536, 65536, 21, 0, 0},
	{0, "max-swap", "PASS", {{"oom_killed", 96.375}, {NULL, 0}}, "/app", 65536, 65536, 8349, 32768, 32768},
	{0, "high", "PASS", {{"exit", 96}, {NULL, 0}}, NULL, 0, 0, 0, 0, 0},
	{0, "oom-group", "PASS", {{"oom_killed", 16.0625}, {"oom_killed", 48.1875}}, "/app", 65536, 65536, 23, 0,
	 9007199254740988LL},
	{0, "low", "PASS", {{"exit", 48}, {"exit", 300}}, NULL, 0, 0, 0, 0, 0},
	{0, "no-low", "PASS", {{"exit", 48}, {"exit", 300}}, NULL, 0, 0, 0, 0, 0},
	{0, "min", "PASS", {{"exit", 48}, {"oom_killed", 374.45703125}}, NULL, 0, 0, 0, 0, 0},
	{1, "max", "PASS", {{"oom_killed", 64.25}, {"exit", 32}}, "/app", 65536, 65536, 21, 0, 0},
	{1, "max-swap", "PASS", {{"oom_killed", 96.375}, {NULL, 0}}, "/app", 65536, 65536, 8081, 32768, 32768},
	{1, "high", "PASS", {{"exit", 96}, {NULL, 0}}, NULL, 0, 0, 0, 0, 0},
	{1, "oom-group", "PASS", {{"oom_killed", 16.0625}, {"oom_killed", 48.1875}}, "/app", 65536, 65536, 23, 0,
	 9007199254740988LL},
	/* 6.12 (MGLRU on): memory.low did not keep the group resident */
	{1, "low", "FAIL", {{"exit", 48}, {"exit", 300}}, NULL, 0, 0, 0, 0, 0},
	{1, "no-low", "PASS", {{"exit", 48}, {"exit", 300}}, NULL, 0, 0, 0, 0, 0},
	{1, "min", "PASS", {{"exit", 48}, {"oom_killed", 394.53515625}}, NULL, 0, 0, 0, 0, 0},
};

Test(memcg, recorded_cells_on_both_kernels)
{
	for (size_t c = 0; c < ARRAY_SIZE(recorded); c++) {
		struct replay r;
		mload(&r, recorded[c].kernel, recorded[c].id);
		replay_judge(&r);
		const char *what = recorded[c].kernel ? "6.12" : "6.1";
		cr_expect_str_eq(verdict_name(r.oc.verdict), recorded[c].verdict, "%s %s: %s", what, recorded[c].id,
				 r.oc.why);
		for (size_t w = 0; w < r.cs->n_wl; w++) {
			cr_expect_str_eq(endpoint_name(r.oc.wl[w].endpoint), recorded[c].wl[w].endpoint, "%s %s #%zu",
					 what, recorded[c].id, w);
			cr_expect_float_eq(r.oc.wl[w].mb_reached, recorded[c].wl[w].mb, 1e-6, "%s %s #%zu: %.8f", what,
					   recorded[c].id, w, r.oc.wl[w].mb_reached);
		}
		const struct kernlog *kl = r.oc.events;
		if (recorded[c].oom_memcg) {
			cr_assert_geq(kl->n_oom, 1);
			const struct oom_event *ev = &kl->oom[0];
			cr_expect_str_eq(ev->oom_memcg, recorded[c].oom_memcg);
			cr_expect_str_eq(ev->task_memcg, recorded[c].oom_memcg);
			cr_expect_eq(ev->memcg_usage_kb, recorded[c].usage_kb, "%s %s", what, recorded[c].id);
			cr_expect_eq(ev->memcg_limit_kb, recorded[c].limit_kb);
			cr_expect_eq(ev->memcg_failcnt, recorded[c].failcnt, "%s %s: %lld", what, recorded[c].id,
				     ev->memcg_failcnt);
			cr_expect_eq(ev->swap_usage_kb, recorded[c].swap_usage_kb);
			cr_expect_eq(ev->swap_limit_kb, recorded[c].swap_limit_kb);
		}
		replay_free(&r);
	}
}

/* memory.oom.group: the victim (the unbounded touch), then the other as a
 * member of /app, on both kernels; the high cell is throttled */
Test(memcg, oom_group_episode_and_high_on_both_kernels)
{
	for (size_t k = 0; k < 2; k++) {
		struct replay r;
		mload(&r, k, "oom-group");
		replay_judge(&r);
		const struct kernlog *kl = r.oc.events;
		cr_assert_eq(kl->n_oom, 2);
		cr_expect_str_eq(kl->oom[0].oom_group, "/app");
		cr_expect_eq(kl->oom[0].group_member, 0);
		cr_expect_eq(kl->oom[1].group_member, 1);
		cr_expect_eq(r.oc.wl[1].oom_idx, 0);
		cr_expect_eq(r.oc.wl[0].oom_idx, 1);
		replay_free(&r);
		mload(&r, k, "high");
		replay_judge(&r);
		cr_expect_eq(r.oc.wl[0].pred.throttled, 1);
		/* its resident set stayed near memory.high, the rest in swap */
		cr_expect_lt(r.obs.wl[0].last.vm_hwm_kb, 50 * 1024);
		replay_free(&r);
	}
}

/* One fact changed, the cell FAILs with the rule's words. */
Test(memcg, each_rule_fails_when_its_fact_is_changed)
{
	struct replay r;
	/* the group's memory.max read back as 128 MiB: killed below it */
	mload(&r, 0, "max");
	set_got(&r, "cgroup.app.memory.max", "134217728");
	replay_judge(&r);
	cr_expect_eq(r.oc.verdict, V_FAIL);
	cr_expect_str_eq(r.oc.wl[0].why, "ended oom_killed at 64 MB, below 123 MB: not killed, it must reach its own "
					 "limit (memory cgroup app: memory.max 131072 kB + swap 0 kB: oom_killed at 128 MB; "
					 "runs together with 1 other workload(s): any killable one may be the victim)");
	replay_free(&r);
	/* a memory.max 4 kB off: the oracle's range still holds, the limit in
	 * the kernel's report does not */
	mload(&r, 0, "max");
	set_got(&r, "cgroup.app.memory.max", "67112960");
	replay_judge(&r);
	cr_expect_eq(r.oc.verdict, V_FAIL);
	cr_expect_str_eq(r.oc.wl[0].why,
			 "the OOM of memory cgroup /app reports a limit of 65536 kB, memory.max read back 65540 kB");
	replay_free(&r);
	/* the victim in another group: a group's OOM killed outside it */
	mload(&r, 1, "max");
	free(r.cs->wl[0].cgroup);
	r.cs->wl[0].cgroup = xstrdup("other");
	replay_judge(&r);
	cr_expect_eq(r.oc.verdict, V_FAIL);
	cr_expect_str_eq(r.oc.wl[0].why, "killed by the OOM of memory cgroup /app although it runs in /other");
	replay_free(&r);
	/* the no-low cell with the low cell's protection: 6.1 swapped it */
	mload(&r, 0, "no-low");
	set_got(&r, "cgroup.prot.memory.low", "67108864");
	replay_judge(&r);
	cr_expect_eq(r.oc.verdict, V_FAIL);
	cr_expect_str_eq(r.oc.wl[0].why, "memory cgroup prot is protected up to 65536 kB (memory.low/min), more than "
					 "its 50140 kB, yet 44752 kB of it went to swap while another group was under "
					 "pressure");
	replay_free(&r);
	/* and 6.12's low cell as recorded */
	mload(&r, 1, "low");
	replay_judge(&r);
	cr_expect_str_eq(r.oc.wl[0].why, "memory cgroup prot is protected up to 65536 kB (memory.low/min), more than "
					 "its 50120 kB, yet 36804 kB of it went to swap while another group was under "
					 "pressure");
	replay_free(&r);
}

/* memory.oom.group: a member the kernel did not kill in the episode */
Test(memcg, oom_group_member_left_alive_fails)
{
	struct replay r;
	mload(&r, 0, "oom-group");
	replay_judge(&r);
	int oi[2] = {-1, r.oc.wl[1].oom_idx};
	size_t culprit = 9;
	char why[300];
	cr_expect_eq(memcg_check(r.cs, &r.obs, r.oc.events, &r.oc.owners, oi, NULL, &culprit, why, sizeof why), 0);
	cr_expect_eq(culprit, 0);
	cr_expect_str_eq(why, "memory.oom.group of /app: its OOM kill at 6.83 s took the group, but not this workload");
	/* killed by a later OOM of its own: not the same episode */
	oi[0] = 2;
	cr_expect_eq(memcg_check(r.cs, &r.obs, r.oc.events, &r.oc.owners, oi, NULL, &culprit, why, sizeof why), 0);
	oi[0] = r.oc.wl[0].oom_idx;
	cr_expect_eq(memcg_check(r.cs, &r.obs, r.oc.events, &r.oc.owners, oi, NULL, &culprit, why, sizeof why), 1);
	replay_free(&r);
}

/* The oracle's view of a group, from the knobs read back. */
Test(memcg, inputs_from_the_files_read_back)
{
	struct replay r;
	mload(&r, 1, "oom-group");
	struct oracle_cg cg;
	memcg_oracle_inputs(r.cs, &r.obs, 1, &cg);
	cr_expect_str_eq(cg.group, "app");
	cr_expect_eq(cg.max_kb, 65536);
	cr_expect_eq(cg.swap_max_kb, -1);
	cr_expect_eq(cg.high_kb, -1);
	cr_expect_eq(cg.protect_kb, 0);
	cr_expect_eq(cg.oom_group, 1);
	cr_expect_eq(cg.n_workloads, 2);
	cr_expect_eq(memcg_file_kb(r.obs.knobs, "app", "memory.max"), 65536);
	cr_expect_eq(memcg_file_kb(r.obs.knobs, "app", "memory.high"), -1);
	cr_expect_eq(memcg_file_kb(r.obs.knobs, "app", "memory.nothing"), -2);
	replay_free(&r);
	mload(&r, 0, "low");
	memcg_oracle_inputs(r.cs, &r.obs, 0, &cg);
	cr_expect_str_eq(cg.group, "prot");
	cr_expect_eq(cg.protect_kb, 65536);
	cr_expect_eq(cg.n_workloads, 1);
	memcg_oracle_inputs(r.cs, &r.obs, 1, &cg);
	cr_expect_str_eq(cg.group, "press");
	cr_expect_eq(cg.protect_kb, 0);
	cr_expect_eq(cg.max_kb, -1);
	replay_free(&r);
}

/* memory.high: the group's "high" events rose in the recording; the same
 * cell with them held still FAILs (never throttled) */
Test(memcg, high_events_rose_on_both_kernels)
{
	for (size_t k = 0; k < 2; k++) {
		struct replay r;
		mload(&r, k, "high");
		json_t *g = json_object_get(r.obs.cgroups, "app");
		json_t *a = json_object_get(json_object_get(json_object_get(g, "start"), "events"), "high");
		json_t *b = json_object_get(json_object_get(json_object_get(g, "end"), "events"), "high");
		cr_assert(json_is_integer(a) && json_is_integer(b), "no high events sampled");
		cr_expect_gt(json_integer_value(b), json_integer_value(a));
		replay_judge(&r);
		cr_expect_eq(r.oc.verdict, V_PASS, "%s", r.oc.why);
		cell_outcome_free(&r.oc);
		json_object_set_new(json_object_get(json_object_get(g, "end"), "events"), "high",
				    json_integer(json_integer_value(a)));
		replay_judge(&r);
		cr_expect_eq(r.oc.verdict, V_FAIL);
		cr_expect_str_eq(r.oc.wl[0].why, "memory.high of memory cgroup /app is below its goal, yet the group's "
						 "high events did not rise: never throttled");
		replay_free(&r);
	}
}

/* memory.high slows the group down: in the recordings its memory.pressure
 * "some" total rose by the seconds its tasks spent throttled; the same
 * cell with the total held still FAILs (throttled, not slowed) */
Test(memcg, high_slowed_the_group_on_both_kernels)
{
	static const long long stalled_us[2] = {2443433, 3072328}; /* 6.1, 6.12 */
	for (size_t k = 0; k < 2; k++) {
		struct replay r;
		mload(&r, k, "high");
		json_t *g = json_object_get(r.obs.cgroups, "app");
		json_t *s = json_object_get(json_object_get(json_object_get(g, "start"), "pressure"), "some");
		json_t *e = json_object_get(json_object_get(json_object_get(g, "end"), "pressure"), "some");
		json_t *a = json_object_get(s, "total_us");
		json_t *b = json_object_get(e, "total_us");
		cr_assert(json_is_integer(a) && json_is_integer(b), "no memory.pressure sampled");
		cr_expect_eq(json_integer_value(b) - json_integer_value(a), stalled_us[k]);
		json_object_set_new(e, "total_us", json_integer(json_integer_value(a)));
		replay_judge(&r);
		cr_expect_eq(r.oc.verdict, V_FAIL);
		cr_expect_str_eq(r.oc.wl[0].why, "memory.high of memory cgroup /app: its high events rose, yet its "
						 "memory.pressure shows no stall: throttled without being slowed");
		replay_free(&r);
	}
}
