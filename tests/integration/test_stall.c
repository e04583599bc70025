// SPDX-License-Identifier: GPL-2.0-or-later
/* Stalls end to end on both kernels: filecache re-reading 96 MiB beside
 * touch holding 150 MiB thrashes in 256 MiB (the agent ends it at the
 * stall limit: endpoint stalled, as expected) and fits in 384 MiB (it
 * finishes: exit, no stall object). examples/stall.json, shortened. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "itest.h"
#include "lib/util.h"

TestSuite(stall, .init = setup, .fini = teardown, .timeout = 420);

/* The durations of examples/stall.json: on 6.12 the stall starts up to
 * 16 s after filecache does, so filecache must run and touch must hold
 * well past that plus the 6 s limit, also on a loaded host (with touch
 * holding 12 s and filecache running 20 s, a loaded host once saw touch
 * let go 5.9 s into the stall, and filecache exit). */
#define FC "{\"name\":\"filecache\",\"options\":{\"size_mb\":96,\"duration_ms\":30000}"
#define TOUCH "{\"name\":\"touch\",\"start_delay_ms\":3000,\"options\":{\"max_mb\":150,\"hold_ms\":25000}}"

Test(stall, stalled_in_256_mib_not_in_384_on_two_kernels)
{
	static const char m[] =
		"{\"name\":\"stall\",\"timeout_s\":120,\"stall\":{\"seconds\":6,\"psi_full\":5},\"cells\":["
		"{\"name\":\"61 256\",\"kernel\":\"linux-image-6.1.0-57-amd64\",\"ram_mb\":256,"
		"\"workloads\":[" FC ",\"expect\":\"stalled\"}," TOUCH "]},"
		"{\"name\":\"61 384\",\"kernel\":\"linux-image-6.1.0-57-amd64\",\"ram_mb\":384,"
		"\"workloads\":[" FC "}," TOUCH "]},"
		"{\"name\":\"612 256\",\"kernel\":\"linux-image-6.12-amd64\",\"ram_mb\":256,"
		"\"workloads\":[" FC ",\"expect\":\"stalled\"}," TOUCH "]},"
		"{\"name\":\"612 384\",\"kernel\":\"linux-image-6.12-amd64\",\"ram_mb\":384,"
		"\"workloads\":[" FC "}," TOUCH "]}]}";
	char *out = NULL;
	int rc = run_sweep(m, 400000, &out);
	cr_expect_eq(rc, 0, "oomlab run exited %d", rc);
	validate(out);
	static const struct {
		const char *id, *endpoint;
		int stall;
	} want[] = {
		{"61-256", "stalled", 1},
		{"61-384", "exit", 0},
		{"612-256", "stalled", 1},
		{"612-384", "exit", 0},
	};
	for (size_t c = 0; c < sizeof want / sizeof want[0]; c++) {
		json_t *cell = load_cell(out, want[c].id);
		json_t *fc = wl(cell, 0), *t = wl(cell, 1);
		cr_expect_str_eq(str(cell, "verdict"), "PASS", "%s: %s", want[c].id, str(cell, "verdict_reason"));
		cr_expect_str_eq(str(fc, "endpoint"), want[c].endpoint, "%s", want[c].id);
		cr_expect_str_eq(str(t, "endpoint"), "exit", "%s: touch holds and sleeps: never stalled", want[c].id);
		cr_expect_null(json_object_get(t, "stall"), "%s", want[c].id);
		json_t *st = json_object_get(fc, "stall");
		if (!want[c].stall) {
			cr_expect_null(st, "%s", want[c].id);
			json_decref(cell);
			continue;
		}
		cr_assert_not_null(st, "%s", want[c].id);
		cr_expect_str_eq(str(st, "ended_by"), "stall_limit", "%s", want[c].id);
		double len = json_number_value(json_object_get(st, "length_s"));
		cr_expect(len >= 6.0 && len < 7.5, "%s: length_s %.3f: the limit and one sample", want[c].id, len);
		cr_expect_gt(json_number_value(json_object_get(st, "psi_full_avg10_mean")), 5.0, "%s", want[c].id);
		cr_expect_gt(json_integer_value(json_object_get(st, "refaults_file")), 10000, "%s", want[c].id);
		cr_expect_eq(json_integer_value(json_object_get(st, "refaults_anon")), 0, "%s", want[c].id);
		json_decref(cell);
	}
	free(out);
}
