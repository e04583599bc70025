// SPDX-License-Identifier: GPL-2.0-or-later
/* PSI triggers in real VMs on both Debian kernels: touch past RAM with
 * swap, a "some" and a "full" trigger on /proc/pressure/memory; the
 * kernel accepts both and the first firing comes before the first OOM
 * kill, in the stream, the report and its figures. */
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
		"{\"name\":\"psi\",\"timeout_s\":180,"
		"\"base\":{\"ram_mb\":256,\"swap_mb\":256},"
		"\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":150,\"window_ms\":1000},"
		"{\"kind\":\"full\",\"stall_ms\":100,\"window_ms\":1000}],"
		"\"axes\":{\"kernel\":[\"linux-image-6.1.0-57-amd64\",\"linux-image-6.12-amd64\"]},"
		"\"workloads\":[{\"name\":\"touch\"}]}";
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
		cr_expect_str_eq(str(wl(cell, 0), "endpoint"), "oom_killed", "%s", rel[c]);
		json_t *p = json_object_get(cell, "psi_triggers");
		cr_assert_not_null(p, "%s", rel[c]);
		static const char *const kinds[] = {"some", "full"};
		for (size_t i = 0; i < 2; i++) {
			json_t *t = json_array_get(json_object_get(p, "triggers"), i);
			cr_expect_str_eq(str(t, "kind"), kinds[i]);
			cr_expect(json_is_null(json_object_get(t, "error")), "%s: trigger %zu refused", rel[c], i);
			cr_expect_geq(json_integer_value(json_object_get(t, "fired")), 1, "%s: trigger %zu", rel[c], i);
		}
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
