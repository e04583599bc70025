// SPDX-License-Identifier: GPL-2.0-or-later
/* PSI triggers in real VMs on both Debian kernels: touch in group "hog"
 * throttled by memory.high, then touch past RAM with swap in the root
 * group; a "some" and a "full" trigger on /proc/pressure/memory, and a
 * "some" trigger of the same low threshold on each of two groups' own
 * memory.pressure. The kernel accepts all four; the system's first firing
 * comes before the first OOM kill, in the stream, the report and its
 * figures; hog's trigger fires while hog's touch runs; the one on "calm"
 * (a group with no task) never fires although the system is under
 * pressure: each group trigger watches its own group's file. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/spawn.h"
#include "itest.h"
#include "lib/util.h"

TestSuite(psi_trigger, .init = setup, .fini = teardown, .timeout = 400);

Test(psi_trigger, fires_before_the_first_oom_kill_on_two_kernels)
{
	static const char m[] =
		"{\"name\":\"psi\",\"timeout_s\":180,\"mode\":\"sequence\","
		"\"base\":{\"ram_mb\":256,\"swap_mb\":256,\"cgroup.hog.memory.high\":48,"
		"\"cgroup.calm.memory.max\":\"max\"},"
		"\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":150,\"window_ms\":1000},"
		"{\"kind\":\"full\",\"stall_ms\":100,\"window_ms\":1000},"
		"{\"kind\":\"some\",\"stall_ms\":50,\"window_ms\":1000,\"cgroup\":\"hog\"},"
		"{\"kind\":\"some\",\"stall_ms\":50,\"window_ms\":1000,\"cgroup\":\"calm\"}],"
		"\"axes\":{\"kernel\":[\"linux-image-6.1.0-57-amd64\",\"linux-image-6.12-amd64\"]},"
		"\"workloads\":[{\"name\":\"touch\",\"cgroup\":\"hog\",\"options\":{\"max_mb\":96}},"
		"{\"name\":\"touch\"}]}";
	char *out;
	cr_expect_eq(run_sweep(m, 380000, &out), 0);
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
		/* hog's touch throttled (memory.high), not killed; the second
		 * touch killed past RAM */
		cr_expect_str_eq(str(wl(cell, 0), "endpoint"), "exit", "%s", rel[c]);
		cr_expect_eq(json_number_value(json_object_get(wl(cell, 0), "mb_reached")), 96, "%s", rel[c]);
		cr_expect_str_eq(str(wl(cell, 1), "endpoint"), "oom_killed", "%s", rel[c]);
		json_t *cgs = json_object_get(cell, "cgroups");
		cr_expect_gt(json_integer_value(json_object_get(json_object_get(json_object_get(cgs, "hog"), "events"),
								"high")), 0, "%s", rel[c]);
		json_t *p = json_object_get(cell, "psi_triggers");
		cr_assert_not_null(p, "%s", rel[c]);
		static const char *const kinds[] = {"some", "full", "some", "some"};
		static const char *const groups[] = {NULL, NULL, "hog", "calm"};
		static const long long fired_min[] = {1, 1, 1, 0};
		long long fired[4] = {0};
		cr_assert_eq(json_array_size(json_object_get(p, "triggers")), 4, "%s", rel[c]);
		for (size_t i = 0; i < 4; i++) {
			json_t *t = json_array_get(json_object_get(p, "triggers"), i);
			cr_expect_str_eq(str(t, "kind"), kinds[i]);
			if (groups[i])
				cr_expect_str_eq(str(t, "cgroup"), groups[i], "%s: trigger %zu", rel[c], i);
			else
				cr_expect(json_is_null(json_object_get(t, "cgroup")), "%s: trigger %zu", rel[c], i);
			cr_expect(json_is_null(json_object_get(t, "error")), "%s: trigger %zu refused", rel[c], i);
			fired[i] = json_integer_value(json_object_get(t, "fired"));
			cr_expect_geq(fired[i], fired_min[i], "%s: trigger %zu", rel[c], i);
		}
		/* the empty group's trigger never fires, the system's do */
		cr_expect_eq(fired[3], 0, "%s: the trigger on calm fired", rel[c]);
		/* hog's first firing comes while hog's touch runs: before the
		 * second touch starts */
		json_t *e;
		size_t k;
		unsigned long long hog_first = 0;
		json_array_foreach(json_object_get(p, "events"), k, e) {
			if (json_integer_value(json_object_get(e, "trigger")) == 2 && !hog_first)
				hog_first = (unsigned long long)json_integer_value(json_object_get(e, "t_us"));
		}
		cr_expect_gt(hog_first, 0, "%s", rel[c]);
		cr_expect_lt(hog_first, (unsigned long long)json_integer_value(json_object_get(wl(cell, 1), "t_spawn_us")),
			     "%s", rel[c]);
		cr_expect(json_is_true(json_object_get(p, "before_first_kill")), "%s: first %f s, kill %f s", rel[c],
			  json_number_value(json_object_get(p, "first_trigger_s")),
			  json_number_value(json_object_get(p, "first_oom_kill_s")));
		cr_expect_lt(json_number_value(json_object_get(p, "first_trigger_s")),
			     json_number_value(json_object_get(p, "first_oom_kill_s")), "%s", rel[c]);
		/* the kill it is compared with is the kernel's first OOM kill */
		json_t *ev = json_array_get(json_object_get(cell, "oom_events"), 0);
		json_t *w = wl(cell, 0);
		cr_expect_float_eq(json_number_value(json_object_get(p, "first_oom_kill_s")),
				   (double)(json_integer_value(json_object_get(ev, "t_us")) -
					    json_integer_value(json_object_get(w, "t_spawn_us"))) / 1e6,
				   1e-3, "%s", rel[c]); /* the report keeps 6 digits */
		json_decref(cell);
		free(cp);
	}
	free(out);
}
