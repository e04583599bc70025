// SPDX-License-Identifier: GPL-2.0-or-later
/* Memory cgroups end to end on both Debian kernels (6.1 and 6.12): a
 * group's OOM kill parsed from the kernel's report (the group, its usage
 * and the limit to the kB) and judged PASS by rule 6; memory.oom.group
 * kills the whole group in one episode (and the cell report's OOM
 * episode says so); memory.high throttles instead of killing
 * (docs/oracle.md, "Memory cgroups"). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "itest.h"
#include "lib/spawn.h"
#include "lib/util.h"

TestSuite(memcg, .init = setup, .fini = teardown, .timeout = 300);

static json_t *memcg_of(json_t *cell, size_t ev)
{
	json_t *e = json_array_get(json_object_get(cell, "oom_events"), ev);
	cr_assert_not_null(e, "no OOM event %zu", ev);
	json_t *m = json_object_get(e, "memcg");
	cr_assert(json_is_object(m), "OOM event %zu has no memcg", ev);
	return m;
}

static long long num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	cr_assert(json_is_number(v), "%s is not a number", k);
	return (long long)json_number_value(v);
}

/* anon + file + shmem rss of OOM event ev */
static long long rss_of(json_t *cell, size_t ev)
{
	json_t *e = json_array_get(json_object_get(cell, "oom_events"), ev);
	return num(e, "anon_rss_kb") + num(e, "file_rss_kb") + num(e, "shmem_rss_kb");
}

/* The memory.oom.group kill is one OOM episode (docs/episodes.md): the
 * growing touch (workload 1) its victim, the holding one (workload 0)
 * killed with it as a member of /app, both workloads', no double kill. */
static void check_group_episode(json_t *cell)
{
	json_t *eps = json_object_get(cell, "oom_episodes");
	cr_assert_eq(json_array_size(eps), 1, "%zu episodes", json_array_size(eps));
	json_t *ep = json_array_get(eps, 0);
	cr_expect_eq(num(ep, "n_victims"), 2);
	cr_expect_eq(num(ep, "n_collateral"), 0);
	cr_expect_str_eq(str(ep, "oom_kind"), "oom_memcg");
	cr_expect_str_eq(str(ep, "oom_memcg"), "/app");
	cr_expect_str_eq(str(ep, "oom_group"), "/app");
	cr_expect_eq(num(ep, "t_us"), num(json_array_get(json_object_get(cell, "oom_events"), 0), "t_us"));
	cr_expect_eq(num(ep, "rss_kb"), rss_of(cell, 0) + rss_of(cell, 1));
	cr_expect(json_is_null(json_object_get(ep, "double_kill")));
	json_t *v = json_object_get(ep, "victims");
	static const long long workload[] = {1, 0};
	for (size_t i = 0; i < 2; i++) {
		json_t *x = json_array_get(v, i);
		cr_expect_eq(num(x, "event"), (long long)i);
		cr_expect_str_eq(str(x, "owner"), "workload");
		cr_expect_eq(num(x, "workload"), workload[i], "victim %zu", i);
		cr_expect_eq(json_is_true(json_object_get(x, "group_member")), i == 1);
		cr_expect_eq(num(x, "rss_kb"), rss_of(cell, i));
	}
}

Test(memcg, max_oom_group_and_high_on_two_kernels)
{
	/* the three cells on each kernel (a cell names its kernel) */
	static const char cells[] =
		"{\"name\":\"max %s\",\"kernel\":\"%s\",\"cgroup.app.memory.max\":64,"
		" \"cgroup.app.memory.swap.max\":0,"
		" \"workloads\":[{\"name\":\"touch\",\"cgroup\":\"app\"},"
		"  {\"name\":\"touch\",\"options\":{\"max_mb\":32,\"hold_ms\":4000}}]},"
		"{\"name\":\"group %s\",\"kernel\":\"%s\",\"cgroup.app.memory.max\":64,"
		" \"cgroup.app.memory.oom.group\":1,"
		" \"workloads\":[{\"name\":\"touch\",\"cgroup\":\"app\",\"options\":{\"max_mb\":16,\"hold_ms\":20000}},"
		"  {\"name\":\"touch\",\"cgroup\":\"app\",\"start_delay_ms\":1000}]},"
		"{\"name\":\"high %s\",\"kernel\":\"%s\",\"swap_mb\":256,\"cgroup.app.memory.high\":48,"
		" \"workloads\":[{\"name\":\"touch\",\"cgroup\":\"app\",\"options\":{\"max_mb\":96}}]}";
	static const char *const kid[] = {"61", "612"};
	static const char *const kpkg[] = {"linux-image-6.1.0-57-amd64", "linux-image-6.12-amd64"};
	static const char *const rel[] = {"6.1", "6.12"};
	char *c0 = xasprintf(cells, kid[0], kpkg[0], kid[0], kpkg[0], kid[0], kpkg[0]);
	char *c1 = xasprintf(cells, kid[1], kpkg[1], kid[1], kpkg[1], kid[1], kpkg[1]);
	char *m = xasprintf("{\"name\":\"memcg\",\"timeout_s\":90,\"mode\":\"together\","
			    "\"base\":{\"ram_mb\":256,\"swap_mb\":0},\"cells\":[%s,%s]}",
			    c0, c1);
	free(c0);
	free(c1);
	char *out;
	cr_expect_eq(run_sweep(m, 280000, &out), 0);
	validate(out);

	for (int k = 0; k < 2; k++) {
		json_error_t je;
		/* memory.max 64M: the group's touch killed at its limit, the
		 * kernel's report gives the group and the limit to the kB; the
		 * touch outside the group ends by itself */
		char *cp = xasprintf("%s/cells/max-%s.json", out, kid[k]);
		json_t *cell = json_load_file(cp, 0, &je);
		cr_assert_not_null(cell, "%s: %s", cp, je.text);
		cr_expect(!strncmp(str(json_object_get(cell, "kernel"), "release"), rel[k], strlen(rel[k])));
		cr_expect_str_eq(str(cell, "verdict"), "PASS", "%s: %s", cp, str(cell, "verdict_reason"));
		cr_expect_str_eq(str(wl(cell, 0), "endpoint"), "oom_killed");
		cr_expect_str_eq(str(wl(cell, 1), "endpoint"), "exit");
		cr_expect_eq(json_array_size(json_object_get(cell, "oom_events")), 1);
		json_t *mc = memcg_of(cell, 0);
		cr_expect_str_eq(str(mc, "oom_memcg"), "/app");
		cr_expect_str_eq(str(mc, "task_memcg"), "/app");
		cr_expect_eq(num(mc, "limit_kb"), 65536);
		cr_expect_eq(num(mc, "swap_limit_kb"), 0);
		long long usage = num(mc, "usage_kb");
		cr_expect(usage >= 65536 - 256 && usage <= 65536, "usage %lld kB", usage);
		double mb = json_number_value(json_object_get(wl(cell, 0), "mb_reached"));
		cr_expect(mb >= 62 && mb <= 66, "%s: killed at %.2f MB", rel[k], mb);
		json_decref(cell);
		free(cp);

		/* memory.oom.group 1: both killed in one episode, the second as a
		 * member of /app */
		cp = xasprintf("%s/cells/group-%s.json", out, kid[k]);
		cell = json_load_file(cp, 0, &je);
		cr_assert_not_null(cell, "%s: %s", cp, je.text);
		cr_expect_str_eq(str(cell, "verdict"), "PASS", "%s: %s", cp, str(cell, "verdict_reason"));
		cr_expect_str_eq(str(wl(cell, 0), "endpoint"), "oom_killed");
		cr_expect_str_eq(str(wl(cell, 1), "endpoint"), "oom_killed");
		cr_expect_eq(json_array_size(json_object_get(cell, "oom_events")), 2);
		cr_expect_str_eq(str(memcg_of(cell, 0), "oom_group"), "/app");
		cr_expect(json_is_false(json_object_get(memcg_of(cell, 0), "group_member")));
		cr_expect(json_is_true(json_object_get(memcg_of(cell, 1), "group_member")));
		cr_expect_eq(json_array_size(json_object_get(cell, "victim_order")), 2);
		check_group_episode(cell);
		json_decref(cell);
		free(cp);

		/* memory.high 48M with swap: the touch reaches its 96 MB, its
		 * resident set held near 48 MB, never killed */
		cp = xasprintf("%s/cells/high-%s.json", out, kid[k]);
		cell = json_load_file(cp, 0, &je);
		cr_assert_not_null(cell, "%s: %s", cp, je.text);
		cr_expect_str_eq(str(cell, "verdict"), "PASS", "%s: %s", cp, str(cell, "verdict_reason"));
		json_t *w = wl(cell, 0);
		cr_expect_str_eq(str(w, "endpoint"), "exit");
		cr_expect_eq(json_number_value(json_object_get(w, "mb_reached")), 96);
		long long hwm = num(w, "vm_hwm_kb");
		cr_expect(hwm < 56 * 1024, "%s: VmHWM %lld kB above memory.high", rel[k], hwm);
		cr_expect_eq(json_array_size(json_object_get(cell, "oom_events")), 0);
		cr_expect_not_null(strstr(str(json_object_get(w, "predicted"), "rule"), "throttled"));
		json_decref(cell);
		free(cp);
	}
	free(out);
	free(m);
}
