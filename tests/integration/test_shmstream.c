// SPDX-License-Identifier: GPL-2.0-or-later
/* The stream over the shared-memory ring (proto/shmring.h) in real cells:
 * warm cells on both kernels (their snapshot has the device, each restore
 * a fresh region) write it there, whole (no seq gap, no bad record), and
 * a cell with the path switched off writes it on ttyS1. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "itest.h"
#include "lib/util.h"

TestSuite(shmstream, .init = setup, .fini = teardown, .timeout = 300);

static const char *agent_says(json_t *cell, const char *prefix)
{
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(cell, "agent_log"), i, l) {
		const char *s = json_string_value(l);
		if (s && !strncmp(s, prefix, strlen(prefix)))
			return s;
	}
	return "(none)";
}

static long long num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

Test(shmstream, warm_cells_on_two_kernels_stream_over_the_ring)
{
	static const char m[] = "{\"name\":\"shm\",\"timeout_s\":90,\"sample_ms\":50,\"base\":{\"ram_mb\":256},"
				"\"axes\":{\"kernel\":[\"linux-image-6.1.0-57-amd64\",\"linux-image-6.12-amd64\"]},"
				"\"workloads\":[{\"name\":\"touch\",\"options\":{\"max_mb\":48}}]}";
	const char *ids[] = {"kernel-linux-image-6-1-0-57-amd64", "kernel-linux-image-6-12-amd64"};
	char *out = NULL;
	/* the RAM file path keeps a warm VM from the device (cell.c) */
	setenv("OOMLAB_NO_FAST", "ram", 1);
	int rc = run_sweep(m, 280000, &out);
	unsetenv("OOMLAB_NO_FAST");
	cr_assert_eq(rc, 0);
	for (int c = 0; c < 2; c++) {
		json_t *cell = load_cell(out, ids[c]);
		json_t *t = json_object_get(cell, "timings"), *s = json_object_get(cell, "stream");
		cr_expect_str_eq(str(t, "start"), "warm", "%s", ids[c]);
		cr_expect(!strncmp(agent_says(cell, "stream: "), "stream: shared-memory ring (/sys/bus/pci/devices/",
				   48), "%s: %s", ids[c], agent_says(cell, "stream: "));
		cr_expect_eq(num(s, "seq_gaps"), 0, "%s", ids[c]);
		cr_expect_eq(num(s, "bad"), 0, "%s", ids[c]);
		cr_expect_eq(num(s, "skipped_bytes"), 0, "%s", ids[c]);
		cr_expect_str_eq(str(s, "bye"), "done", "%s", ids[c]);
		cr_expect_gt(num(s, "samples"), 0, "%s", ids[c]);
		cr_expect_str_eq(str(wl(cell, 0), "verdict"), "PASS", "%s", ids[c]);
		json_decref(cell);
	}
	validate(out);
	free(out);
}

Test(shmstream, switched_off_the_stream_stays_on_ttyS1)
{
	static const char m[] = "{\"name\":\"noshm\",\"timeout_s\":90,\"base\":{\"ram_mb\":256},"
				"\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\",\"options\":{\"max_mb\":16}}]}]}";
	char *out = NULL;
	setenv("OOMLAB_NO_FAST", "shm", 1);
	int rc = run_sweep(m, 200000, &out);
	unsetenv("OOMLAB_NO_FAST");
	cr_assert_eq(rc, 0);
	json_t *cell = load_cell(out, "a");
	cr_expect_str_eq(agent_says(cell, "stream: "), "stream: /dev/ttyS1 (no ivshmem device)");
	cr_expect_eq(num(json_object_get(cell, "stream"), "seq_gaps"), 0);
	cr_expect_str_eq(str(wl(cell, 0), "verdict"), "PASS");
	json_decref(cell);
	free(out);
}
