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
		"\"thp_defrag\":\"defer\",\"khugepaged_defrag\":1,\"khugepaged_max_ptes_none\":255,"
		"\"khugepaged_max_ptes_swap\":32,\"khugepaged_max_ptes_shared\":128,"
		"\"khugepaged_pages_to_scan\":1024,\"khugepaged_scan_sleep_millisecs\":5000,"
		"\"khugepaged_alloc_sleep_millisecs\":30000,\"lru_gen\":\"y\",\"lru_gen_min_ttl_ms\":1000,"
		"\"page-cluster\":0,\"watermark_scale_factor\":200,\"watermark_boost_factor\":0,"
		"\"compaction_proactiveness\":0,"
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
		{"thp_defrag", "always [defer] defer+madvise madvise never"},
		{"khugepaged_defrag", "1"}, {"khugepaged_max_ptes_none", "255"},
		{"khugepaged_max_ptes_swap", "32"}, {"khugepaged_max_ptes_shared", "128"},
		{"khugepaged_pages_to_scan", "1024"}, {"khugepaged_scan_sleep_millisecs", "5000"},
		{"khugepaged_alloc_sleep_millisecs", "30000"},
		{"lru_gen", "0x0007"}, {"lru_gen_min_ttl_ms", "1000"}, {"page-cluster", "0"},
		{"watermark_scale_factor", "200"}, {"watermark_boost_factor", "0"},
		{"compaction_proactiveness", "0"},
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

/* Every knob a cell does not set is read back, with each kernel's own
 * default (Debian 6.1 is built with MGLRU off, 6.12 with it on; the
 * per-size THP switches came in 6.8); a knob the cell sets that the
 * kernel lacks (mthp_enabled on 6.1) makes the cell SKIP. */
Test(knobs, defaults_of_two_kernels_and_a_missing_knob_skips)
{
	static const char m[] =
		"{\"name\":\"defaults\",\"timeout_s\":90,"
		"\"base\":{\"ram_mb\":256,\"mthp_enabled\":{\"64kB\":\"always\"}},"
		"\"axes\":{\"kernel\":[\"linux-image-6.1.0-57-amd64\",\"linux-image-6.12-amd64\"]},"
		"\"workloads\":[{\"name\":\"touch\",\"options\":{\"max_mb\":8}}]}";
	char *mp = xasprintf("%s/m.json", tmpdir);
	cr_assert_eq(write_file_atomic(mp, m, strlen(m)), 0);
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *out = xasprintf("%s/run", tmpdir);
	char *argv[] = {bin, "run", mp, "-j", "2", "-o", out, NULL};
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, SPAWN_DEVNULL, SPAWN_DEVNULL};
	int st;
	cr_assert_eq(run_argv(argv, &o, 200000, &st), 0);
	/* a SKIP cell is no failure: the run exits 0 */
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", status_str(st));
	validate(out);

	static const char never[] = "always inherit madvise [never]";
	static const struct {
		const char *name, *v61, *v612; /* NULL: absent */
	} want[] = {
		{"thp_defrag", "always defer defer+madvise madvise [never]", "always defer defer+madvise madvise [never]"},
		{"mthp_enabled:16kB", NULL, never},
		{"mthp_enabled:32kB", NULL, never},
		{"mthp_enabled:128kB", NULL, never},
		{"mthp_enabled:256kB", NULL, never},
		{"mthp_enabled:512kB", NULL, never},
		{"mthp_enabled:1024kB", NULL, never},
		{"mthp_enabled:2048kB", NULL, "always [inherit] madvise never"},
		{"khugepaged_defrag", "0", "0"},
		{"khugepaged_max_ptes_none", "511", "511"},
		{"khugepaged_max_ptes_swap", "64", "64"},
		{"khugepaged_max_ptes_shared", "256", "256"},
		{"khugepaged_pages_to_scan", "4096", "4096"},
		{"khugepaged_scan_sleep_millisecs", "10000", "10000"},
		{"khugepaged_alloc_sleep_millisecs", "60000", "60000"},
		{"lru_gen", "0x0000", "0x0007"},
		{"lru_gen_min_ttl_ms", "0", "0"},
		{"page-cluster", "3", "3"},
		{"watermark_scale_factor", "10", "10"},
		{"watermark_boost_factor", "15000", "15000"},
		{"compaction_proactiveness", "20", "20"},
	};
	static const struct {
		const char *id, *verdict, *mthp_status, *mthp_got, *lru_gen_enabled;
	} cells[] = {
		{"kernel-linux-image-6-1-0-57-amd64", "SKIP", "skip", "", "n"},
		{"kernel-linux-image-6-12-amd64", "PASS", "ok", "[always] inherit madvise never", "y"},
	};
	for (int c = 0; c < 2; c++) {
		char *cp = xasprintf("%s/cells/%s.json", out, cells[c].id);
		json_error_t je;
		json_t *cell = json_load_file(cp, 0, &je);
		cr_assert_not_null(cell, "%s: %s", cp, je.text);
		cr_expect_str_eq(str(cell, "verdict"), cells[c].verdict, "%s: %s", cells[c].id,
				 str(cell, "verdict_reason"));
		for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
			const char *v = c ? want[i].v612 : want[i].v61;
			json_t *kn = knob(cell, want[i].name);
			cr_assert_not_null(kn, "%s: no %s", cells[c].id, want[i].name);
			cr_expect_str_eq(str(kn, "status"), v ? "default" : "absent", "%s %s", cells[c].id,
					 want[i].name);
			cr_expect_str_eq(str(kn, "got"), v ? v : "", "%s %s", cells[c].id, want[i].name);
		}
		json_t *mt = knob(cell, "mthp_enabled:64kB");
		cr_assert_not_null(mt);
		cr_expect_str_eq(str(mt, "status"), cells[c].mthp_status, "%s", cells[c].id);
		cr_expect_str_eq(str(mt, "want"), "always");
		cr_expect_str_eq(str(mt, "got"), cells[c].mthp_got, "%s", cells[c].id);
		/* the kernel's build configuration, with the kernel */
		json_t *cfg = json_object_get(json_object_get(cell, "kernel"), "config");
		cr_expect_str_eq(str(json_object_get(cfg, "mm"), "CONFIG_LRU_GEN_ENABLED"),
				 cells[c].lru_gen_enabled, "%s", cells[c].id);
		cr_expect_eq(strlen(str(cfg, "sha256")), 64);
		json_decref(cell);
		free(cp);
	}
	free(out);
	free(bin);
	free(mp);
}
