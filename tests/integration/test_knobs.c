// SPDX-License-Identifier: GPL-2.0-or-later
/* Every knob end to end: set in the guest, read back, in the report; the
 * kernel as an axis (two kernels in one run); sysctl and cmdline. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/spawn.h"
#include "itest.h"
#include "lib/util.h"

TestSuite(knobs, .init = setup, .fini = teardown, .timeout = 240);

Test(knobs, every_knob_is_set_read_back_and_reported_on_two_kernels)
{
	const char *r = getenv("OOMLAB_ROOT");
	r = r && *r ? r : ".";
	static const char m[] =
		"{\"name\":\"knobs\",\"timeout_s\":90,"
		"\"base\":{\"ram_mb\":320,\"swap_mb\":64,\"cpus\":2,\"swappiness\":17,"
		"\"overcommit_memory\":1,\"overcommit_ratio\":42,\"panic_on_oom\":0,"
		"\"oom_kill_allocating_task\":1,\"min_free_kbytes\":2345,\"max_map_count\":77777,"
		"\"transparent_hugepage\":\"madvise\",\"sysctl\":{\"vm.dirty_ratio\":7},"
		"\"cmdline\":\"oomlab.knobtest=1\"},"
		"\"axes\":{\"kernel\":[\"linux-image-amd64\",\"linux-image-6.12-amd64\"]},"
		"\"workloads\":[{\"name\":\"touch\",\"options\":{\"max_mb\":32},"
		"\"rlimit_as_mb\":2048,\"oom_score_adj\":123}]}";
	char *mp = xasprintf("%s/m.json", tmpdir);
	cr_assert_eq(write_file_atomic(mp, m, strlen(m)), 0);
	char *bin = xasprintf("%s/build/san/oomlab", r);
	char *out = xasprintf("%s/run", tmpdir);
	char *argv[] = {bin, "run", mp, "-j", "2", "-o", out, NULL};
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, SPAWN_DEVNULL, SPAWN_DEVNULL};
	int st;
	cr_assert_eq(run_argv(argv, &o, 200000, &st), 0);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", status_str(st));

	static const struct {
		const char *name, *got;
	} want[] = {
		{"swappiness", "17"},        {"overcommit_memory", "1"},
		{"overcommit_ratio", "42"},  {"panic_on_oom", "0"},
		{"oom_kill_allocating_task", "1"}, {"min_free_kbytes", "2345"},
		{"max_map_count", "77777"},  {"transparent_hugepage", "always [madvise] never"},
		{"sysctl:vm.dirty_ratio", "7"},
	};
	const char *ids[] = {"kernel-linux-image-amd64", "kernel-linux-image-6-12-amd64"};
	const char *rel[] = {"6.1", "6.12"};
	for (int c = 0; c < 2; c++) {
		char *cp = xasprintf("%s/cells/%s.json", out, ids[c]);
		json_error_t je;
		json_t *cell = json_load_file(cp, 0, &je);
		cr_assert_not_null(cell, "%s: %s", cp, je.text);
		json_t *k = json_object_get(cell, "kernel");
		cr_expect(!strncmp(str(k, "release"), rel[c], strlen(rel[c])), "%s", str(k, "release"));
		for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
			json_t *kn = knob(cell, want[i].name);
			cr_assert_not_null(kn, "%s: no %s", ids[c], want[i].name);
			cr_expect_str_eq(str(kn, "status"), "ok", "%s %s", ids[c], want[i].name);
			cr_expect_str_eq(str(kn, "got"), want[i].got, "%s %s", ids[c], want[i].name);
		}
		/* only read: not asked for, shown as the kernel's default */
		cr_expect_str_eq(str(knob(cell, "overcommit_kbytes"), "status"), "default");
		json_t *hello = json_object_get(cell, "hello");
		cr_expect_str_eq(str(hello, "cpus"), "2");
		cr_expect_not_null(strstr(str(hello, "cmdline"), "oomlab.knobtest=1"));
		json_t *ms = json_object_get(cell, "meminfo_start");
		long long total = json_integer_value(json_object_get(ms, "MemTotal"));
		cr_expect(total > 256 * 1024 && total < 320 * 1024, "MemTotal %lld kB", total);
		cr_expect_eq(json_integer_value(json_object_get(ms, "SwapTotal")), 64 * 1024 - 4);
		json_t *w = json_array_get(json_object_get(cell, "workloads"), 0);
		json_t *ap = json_object_get(w, "applied");
		cr_expect_eq(json_integer_value(json_object_get(ap, "rlimit_as_mb")), 2048);
		cr_expect_eq(json_integer_value(json_object_get(ap, "oom_score_adj")), 123);
		cr_expect_str_eq(str(w, "endpoint"), "exit");
		cr_expect_str_eq(str(w, "verdict"), "PASS");
		json_decref(cell);
		free(cp);
	}
	free(out);
	free(bin);
	free(mp);
}
