// SPDX-License-Identifier: GPL-2.0-or-later
/* The stress-ng workload in real VMs: the host carries /usr/bin/stress-ng
 * and its shared libraries into the initramfs, the guest runs a stressor,
 * and the cell report has stress-ng's metrics and OOM restarts. The OOM
 * restarts stress-ng counts must equal the OOM kills oomlab parses from the
 * kernel log for stress-ng's processes. Each test runs a one-cell matrix
 * in its own temp dir (removed in .fini) with the ASan build. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/spawn.h"
#include "itest.h"
#include "lib/util.h"

static long long sng_int(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	cr_assert(json_is_integer(v), "%s is not an integer", k);
	return json_integer_value(v);
}

/* OOM kills whose victim is a stress-ng process (comm "stress-ng-<stressor>",
 * cut to 15 characters by the kernel); each must be attributed to workload 0. */
static long long stress_ng_kills(json_t *cell)
{
	long long n = 0;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(cell, "oom_events"), i, e) {
		if (strncmp(str(e, "victim_comm"), "stress-ng", 9) ||
		    !json_is_true(json_object_get(e, "killed")))
			continue;
		n++;
		cr_expect_eq(sng_int(e, "victim_child_of"), 0, "event %zu", i);
		cr_expect(json_is_null(json_object_get(e, "victim_workload")), "event %zu", i);
		cr_expect_eq(sng_int(e, "victim_oom_score_adj"), 1000,
			     "stress-ng makes its workers the OOM killer's first choice");
	}
	return n;
}

/* One stressor, one instance unless args say more: it starts, ends by
 * itself, and its YAML metrics and OOM counts are in the report. Returns
 * the cell (caller decrefs). */
static json_t *sng_cell(const char *stressor, const char *extra_opts)
{
	char *m = xasprintf("{\"name\":\"sng\",\"timeout_s\":90,\"cells\":[{\"name\":\"%s\","
			    "\"ram_mb\":256,\"workloads\":[{\"name\":\"stress-ng\",\"options\":"
			    "{\"stressor\":\"%s\",\"timeout_s\":4%s}}]}]}",
			    stressor, stressor, extra_opts ? extra_opts : "");
	json_t *cell;
	char *out;
	int code = run_matrix(m, &cell, &out);
	free(m);
	json_t *w = json_array_get(json_object_get(cell, "workloads"), 0);
	json_t *met = json_object_get(w, "metrics");
	cr_assert_eq(code, 0, "exit code %d, verdict %s: %s", code, str(cell, "verdict"),
		     str(cell, "verdict_reason"));
	cr_assert_str_eq(str(cell, "status"), "ok");
	cr_assert_str_eq(str(w, "endpoint"), "exit");
	cr_assert_str_eq(str(json_object_get(w, "result"), "reason"), "done",
			 "stress-ng failed: exit %lld, %lld errors", sng_int(met, "exit"),
			 sng_int(met, "sng_errors"));
	cr_assert_eq(sng_int(json_object_get(w, "exit"), "code"), 0);
	cr_assert_eq(sng_int(met, "exit"), 0);
	cr_assert_eq(sng_int(met, "completed"), 1, "no 'successful run completed'");
	cr_assert_str_eq(str(met, "stressor"), stressor);
	/* the YAML report folded: the fixed keys of every stressor */
	char *key = xasprintf("sng.%s.bogo_ops", stressor);
	for (char *p = key + 4; *p; p++)
		if (*p == '-')
			*p = '_';
	cr_assert(json_is_integer(json_object_get(met, key)), "no metric %s", key);
	cr_assert_geq(sng_int(met, "yaml_metrics"), 8);
	free(key);
	cr_assert_str_eq(str(w, "child_comm"), "stress-ng");
	/* stress-ng's count of OOM restarts is oomlab's count of OOM kills of
	 * its processes */
	long long kills = stress_ng_kills(cell);
	cr_assert_eq(sng_int(met, "oom_restarts"), kills, "stress-ng: %lld OOM restarts, kernel: %lld kills",
		     sng_int(met, "oom_restarts"), kills);
	cr_assert_eq(sng_int(w, "oom_kills_of_children"), kills);
	cr_assert_eq(sng_int(met, "oom_bailouts"), 0);
	validate(out);
	free(out);
	return cell;
}

TestSuite(wl_stressng, .init = setup, .fini = teardown, .timeout = 150);

/* Two vm instances of 150 MiB each, kept resident, in 256 MiB without
 * swap: the OOM killer kills a worker again and again and stress-ng
 * restarts it. Each restart is one kernel OOM kill of a stress-ng-vm. */
Test(wl_stressng, vm_oom_restarts_equal_oom_kills)
{
	json_t *cell = sng_cell("vm", ",\"instances\":2,\"args\":[\"--vm-bytes\",\"150M\",\"--vm-keep\"]");
	json_t *w = json_array_get(json_object_get(cell, "workloads"), 0);
	json_t *met = json_object_get(w, "metrics");
	cr_assert_geq(sng_int(met, "oom_restarts"), 1, "the vm stressor was never OOM-killed");
	cr_assert_eq(json_array_size(json_object_get(cell, "oom_events")),
		     (size_t)sng_int(met, "oom_restarts"), "an OOM kill of something else");
	/* the workload process itself survives: its children are the victims */
	cr_assert(json_is_null(json_object_get(w, "oom_event")));
	/* each instance's summary line, when it printed one, never counts more */
	cr_assert_leq(sng_int(met, "oom_restarts_summary"), sng_int(met, "oom_restarts"));
	json_decref(cell);
}

Test(wl_stressng, bigheap)
{
	json_decref(sng_cell("bigheap", NULL));
}

Test(wl_stressng, brk)
{
	json_decref(sng_cell("brk", NULL));
}

Test(wl_stressng, malloc)
{
	json_decref(sng_cell("malloc", NULL));
}

Test(wl_stressng, mmap)
{
	json_decref(sng_cell("mmap", NULL));
}

Test(wl_stressng, oom_pipe)
{
	json_decref(sng_cell("oom-pipe", NULL));
}

/* A stressor stress-ng does not know: it says so, the workload reports
 * reason=failed with stress-ng's exit code, and the cell is not BROK (the
 * workload ran; it is not judged). */
Test(wl_stressng, unknown_stressor_fails_cleanly)
{
	json_t *cell;
	char *out;
	run_matrix("{\"name\":\"sng\",\"timeout_s\":60,\"cells\":[{\"name\":\"nosuch\",\"ram_mb\":256,"
		"\"workloads\":[{\"name\":\"stress-ng\",\"options\":{\"stressor\":\"no-such-stressor\","
		"\"timeout_s\":2}}]}]}",
		&cell, &out);
	json_t *w = json_array_get(json_object_get(cell, "workloads"), 0);
	json_t *met = json_object_get(w, "metrics");
	cr_assert_str_eq(str(cell, "status"), "ok");
	cr_assert_str_eq(str(w, "endpoint"), "exit");
	cr_assert_str_eq(str(json_object_get(w, "result"), "reason"), "failed");
	cr_assert_neq(sng_int(met, "exit"), 0);
	cr_assert_eq(sng_int(json_object_get(w, "exit"), "code"), 1);
	cr_assert_eq(sng_int(met, "yaml_metrics"), 0);
	validate(out);
	free(out);
	json_decref(cell);
}
