// SPDX-License-Identifier: GPL-2.0-or-later
/* The earlyoom workload in real VMs on both Debian kernels: Debian's
 * earlyoom (from the .deb in the cache) runs beside touch, kills it before
 * the kernel's OOM killer would, and the report names it: touch ends
 * user_oom_killed with killer "earlyoom", the event has earlyoom's own
 * memory line and the agent's sample, the rule predicted earlyoom first,
 * and earlyoom is stopped once touch is gone. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/spawn.h"
#include "itest.h"
#include "lib/util.h"

TestSuite(wl_earlyoom, .init = setup, .fini = teardown, .timeout = 300);

Test(wl_earlyoom, kills_touch_first_on_two_kernels)
{
	static const char m[] =
		"{\"name\":\"eo\",\"timeout_s\":120,\"mode\":\"together\","
		"\"base\":{\"ram_mb\":256,\"swap_mb\":0},"
		"\"axes\":{\"kernel\":[\"linux-image-6.1.0-57-amd64\",\"linux-image-6.12-amd64\"]},"
		"\"workloads\":[{\"name\":\"touch\"},"
		"{\"name\":\"earlyoom\",\"options\":{\"mem_percent\":60,\"report_s\":1}}]}";
	char *out;
	cr_expect_eq(run_sweep(m, 280000, &out), 0);
	validate(out);
	const char *ids[] = {"kernel-linux-image-6-1-0-57-amd64", "kernel-linux-image-6-12-amd64"};
	const char *rel[] = {"6.1.0-57", "6.12"};
	for (int c = 0; c < 2; c++) {
		char *cp = xasprintf("%s/cells/%s.json", out, ids[c]);
		json_error_t je;
		json_t *cell = json_load_file(cp, 0, &je);
		cr_assert_not_null(cell, "%s: %s", cp, je.text);
		cr_expect(!strncmp(str(json_object_get(cell, "kernel"), "release"), rel[c], strlen(rel[c])));
		cr_expect_str_eq(str(cell, "verdict"), "PASS", "%s: %s", rel[c], str(cell, "verdict_reason"));
		json_t *t = wl(cell, 0), *e = wl(cell, 1);
		cr_expect_str_eq(str(t, "endpoint"), "user_oom_killed", "%s", rel[c]);
		cr_expect_str_eq(str(t, "killer"), "earlyoom", "%s", rel[c]);
		cr_expect_eq(json_integer_value(json_object_get(t, "user_oom_event")), 0);
		cr_expect_eq(json_integer_value(json_object_get(json_object_get(t, "exit"), "signal")), 15,
			     "%s: touch ends by earlyoom's SIGTERM", rel[c]);
		cr_expect_eq(json_array_size(json_object_get(cell, "oom_events")), 0,
			     "%s: the kernel's OOM killer never ran", rel[c]);
		cr_expect_str_eq(str(e, "endpoint"), "exit", "%s", rel[c]);
		cr_expect_str_eq(reason(e), "stopped", "%s", rel[c]);
		cr_expect_eq(mint(e, "kills"), 1, "%s", rel[c]);
		cr_expect_eq(json_integer_value(json_object_get(json_object_get(e, "applied"), "oom_score_adj")),
			     -1000);
		json_t *u = json_object_get(cell, "user_oom");
		cr_assert_not_null(u, "%s: no user_oom", rel[c]);
		cr_expect_str_eq(str(u, "first_predicted"), "earlyoom", "%s: %s", rel[c], str(u, "rule"));
		cr_expect_str_eq(str(u, "first_observed"), "earlyoom", "%s", rel[c]);
		json_t *ev = json_array_get(json_object_get(u, "events"), 0);
		cr_assert_not_null(ev);
		cr_expect_str_eq(str(ev, "killer"), "earlyoom");
		cr_expect_eq(json_integer_value(json_object_get(ev, "killer_workload")), 1);
		cr_expect_eq(json_integer_value(json_object_get(ev, "victim_workload")), 0);
		cr_expect_str_eq(str(ev, "victim_comm"), "oomlab-wl");
		cr_expect_str_eq(str(ev, "signal"), "SIGTERM");
		cr_expect_eq(json_integer_value(json_object_get(ev, "victim_pid")),
			     json_integer_value(json_object_get(t, "pid")));
		/* it acted at its threshold: 60 % of 205 MiB, as it printed it,
		 * less at most one poll's fall (touch fills up to ~400 MB/s
		 * under TCG: 20 % of the RAM in 100 ms); a margin of 60 % is
		 * twice that, so rule 9 must say earlyoom on a quiet host too */
		json_t *seen = json_object_get(ev, "seen");
		cr_expect_leq(json_real_value(json_object_get(seen, "mem_percent")), 60.0, "%s", rel[c]);
		cr_expect_gt(json_real_value(json_object_get(seen, "mem_percent")), 35.0, "%s", rel[c]);
		cr_expect_float_eq(json_real_value(json_object_get(ev, "threshold_mem_percent")), 60.0, 1e-9);
		cr_expect(json_is_integer(json_object_get(json_object_get(ev, "sample"), "MemAvailable_kb")));
		json_decref(cell);
		free(cp);
	}
	free(out);
}
