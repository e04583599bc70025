// SPDX-License-Identifier: GPL-2.0-or-later
/* VM integration tests: the real oomlab binary (ASan build) boots real
 * Debian kernels in QEMU and runs the article's programs. Each test writes
 * a one-cell matrix into its own temp dir, runs it, and checks the cell
 * report; the temp dir is removed even when an assertion fails. */
#include <criterion/criterion.h>
#include <glob.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/spawn.h"
#include "itest.h"
#include "lib/util.h"

static json_t *wl0(json_t *cell)
{
	return json_array_get(json_object_get(cell, "workloads"), 0);
}

static long long mi(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	cr_assert(json_is_integer(v), "%s is not an integer", k);
	return json_integer_value(v);
}

TestSuite(vm, .init = setup, .fini = teardown, .timeout = 200);

/* Program B with swap: the OOM killer ends it, and the report matches the
 * SIGKILL to the kernel's OOM record naming its pid. */
Test(vm, touch_with_swap_is_oom_killed)
{
	json_t *cell;
	char *out;
	int code = run_matrix("{\"name\":\"t\",\"timeout_s\":90,"
			      "\"cells\":[{\"name\":\"touch swap\",\"ram_mb\":256,\"swap_mb\":256,"
			      "\"overcommit_memory\":0,\"workloads\":[\"touch\"]}]}",
			      &cell, &out);
	json_t *w = wl0(cell);
	cr_expect_eq(code, 0, "exit code %d, verdict %s: %s", code, str(cell, "verdict"),
		     str(cell, "verdict_reason"));
	cr_assert_str_eq(str(w, "endpoint"), "oom_killed");
	json_t *idx = json_object_get(w, "oom_event");
	cr_assert(json_is_integer(idx));
	json_t *ev = json_array_get(json_object_get(cell, "oom_events"), (size_t)json_integer_value(idx));
	cr_assert_eq(mi(ev, "victim_pid"), mi(w, "pid"));
	cr_assert_str_eq(str(ev, "victim_comm"), "oomlab-wl");
	/* swap was really used: the victim had more than RAM mapped */
	cr_assert_gt(mi(ev, "total_vm_kb"), 256 * 1024);
	cr_assert_gt(mi(json_object_get(cell, "swap"), "size_kb"), 200 * 1024);
	json_t *mb = json_object_get(w, "mb_reached");
	cr_assert(json_is_number(mb));
	cr_assert_gt(json_number_value(mb), 256.0);
	cr_assert_lt(json_number_value(mb), 256.0 + 256.0 + 64.0);
	/* the time series arrived */
	cr_assert_gt(json_array_size(json_object_get(json_object_get(cell, "series"), "t_ms")), 5);
	validate(out);
	free(out);
	json_decref(cell);
}

/* Never overcommit: malloc fails once Committed_AS reaches CommitLimit. */
Test(vm, alloc_overcommit2_is_enomem_at_commit_limit)
{
	json_t *cell;
	char *out;
	int code = run_matrix("{\"name\":\"t\",\"timeout_s\":90,"
			      "\"cells\":[{\"name\":\"oc2\",\"ram_mb\":256,\"overcommit_memory\":2,"
			      "\"overcommit_ratio\":50,\"workloads\":[\"alloc\"]}]}",
			      &cell, &out);
	json_t *w = wl0(cell);
	cr_expect_eq(code, 0, "verdict %s: %s", str(cell, "verdict"), str(cell, "verdict_reason"));
	cr_assert_str_eq(str(w, "endpoint"), "enomem");
	cr_assert_eq(json_array_size(json_object_get(cell, "oom_events")), 0);
	json_t *c = json_object_get(cell, "commit_at_start");
	double room_mb = (double)(mi(c, "CommitLimit_kb") - mi(c, "Committed_AS_kb")) / 1024.0;
	double mb = json_number_value(json_object_get(w, "mb_reached"));
	cr_log_info("CommitLimit - Committed_AS = %.1f MB, reached %.1f MB", room_mb, mb);
	cr_assert_gt(room_mb, 10.0);
	cr_assert(mb > room_mb * 0.9 && mb < room_mb * 1.1,
		  "reached %.1f MB, CommitLimit - Committed_AS at start was %.1f MB", mb, room_mb);
	/* the knobs were read back: the one set, and the kernel's defaults */
	cr_assert_str_eq(str(knob(cell, "overcommit_memory"), "got"), "2");
	cr_assert_str_eq(str(knob(cell, "overcommit_memory"), "status"), "ok");
	cr_assert_str_eq(str(knob(cell, "overcommit_ratio"), "got"), "50");
	cr_assert_str_eq(str(knob(cell, "max_map_count"), "status"), "default");
	validate(out);
	free(out);
	json_decref(cell);
}

/* ulimit -v: mmap fails below the limit; the OOM killer never starts. */
Test(vm, alloc_rlimit_as_is_enomem_below_limit)
{
	json_t *cell;
	char *out;
	int code = run_matrix("{\"name\":\"t\",\"timeout_s\":90,"
			      "\"cells\":[{\"name\":\"ulimit\",\"ram_mb\":256,"
			      "\"workloads\":[{\"name\":\"alloc\",\"rlimit_as_mb\":128}]}]}",
			      &cell, &out);
	json_t *w = wl0(cell);
	cr_expect_eq(code, 0, "verdict %s: %s", str(cell, "verdict"), str(cell, "verdict_reason"));
	cr_assert_str_eq(str(w, "endpoint"), "enomem");
	cr_assert_eq(json_array_size(json_object_get(cell, "oom_events")), 0);
	double mb = json_number_value(json_object_get(w, "mb_reached"));
	cr_assert(mb > 64.0 && mb < 128.0, "reached %.1f MB", mb);
	cr_assert_eq(mi(json_object_get(w, "result"), "errno"), 12);
	validate(out);
	free(out);
	json_decref(cell);
}

/* Debian 6.12 ships .ko.xz modules (virtio_blk): swap must still work. */
Test(vm, kernel_6_12_xz_modules_swap)
{
	json_t *cell;
	char *out;
	int code = run_matrix("{\"name\":\"t\",\"timeout_s\":90,"
			      "\"cells\":[{\"name\":\"612\",\"kernel\":\"linux-image-6.12-amd64\","
			      "\"ram_mb\":256,\"swap_mb\":128,\"workloads\":[\"touch\"]}]}",
			      &cell, &out);
	json_t *w = wl0(cell);
	cr_expect_eq(code, 0, "verdict %s: %s", str(cell, "verdict"), str(cell, "verdict_reason"));
	cr_assert(!strncmp(str(json_object_get(cell, "kernel"), "release"), "6.12", 4),
		  "guest release %s", str(json_object_get(cell, "kernel"), "release"));
	cr_assert_str_eq(str(json_object_get(cell, "swap"), "status"), "ok");
	cr_assert_str_eq(str(w, "endpoint"), "oom_killed");
	validate(out);
	free(out);
	json_decref(cell);
}

/* A guest that cannot boot (no init: the kernel panics) is BROK, said as
 * a panic before the agent's hello with its message, the console tail in
 * the report and exit code 3; the cell's temp dir is removed. */
Test(vm, boot_failure_is_brok_with_console_tail)
{
	json_t *cell;
	char *out;
	char *tmp = xasprintf("%s/tmp", tmpdir);
	cr_assert_eq(mkdir_p(tmp, 0755), 0);
	setenv("TMPDIR", tmp, 1);
	int code = run_matrix("{\"name\":\"t\",\"timeout_s\":60,"
			      "\"cells\":[{\"name\":\"noinit\",\"cmdline\":\"rdinit=/nonexistent root=/dev/nothing\","
			      "\"workloads\":[\"alloc\"]}]}",
			      &cell, &out);
	cr_expect_eq(code, 3);
	cr_expect_str_eq(str(cell, "status"), "boot_panic");
	cr_expect_str_eq(str(cell, "verdict"), "BROK");
	cr_expect_str_eq(str(wl0(cell), "endpoint"), "vm_panic");
	cr_expect(!strncmp(str(cell, "verdict_reason"),
			   "the kernel panicked before the agent's hello: VFS: Unable to mount root fs", 73),
		  "%s", str(cell, "verdict_reason"));
	cr_expect_not_null(strstr(str(cell, "console_tail"), "Kernel panic"), "%s", str(cell, "console_tail"));
	/* the snapshot's build panicked first (same command line): its time
	 * is said, and is not the cell's (wall_s counts the cold VM, not both) */
	json_t *t = json_object_get(cell, "timings");
	cr_expect_str_eq(str(t, "start"), "cold");
	double build = json_number_value(json_object_get(t, "snapshot_wait_s"));
	double wall = json_number_value(json_object_get(t, "wall_s"));
	double vm = json_number_value(json_object_get(t, "vm_s"));
	cr_expect(json_is_number(json_object_get(t, "snapshot_wait_s")) && build > 0,
		  "the failed build's time is not said");
	cr_expect_lt(wall - vm, build, "the failed build is in wall_s: wall %.2f, vm %.2f, build %.2f", wall, vm,
		     build);
	/* nothing left behind in TMPDIR */
	char *ls_argv[] = {"find", tmp, "-mindepth", "1", NULL};
	char *listing;
	run_capture(ls_argv, &listing, NULL);
	cr_expect_str_eq(listing, "", "left behind: %s", listing);
	free(listing);
	validate(out);
	free(out);
	free(tmp);
	json_decref(cell);
}

/* A workload that outlives the cell's time limit (touch thrashing 4 GiB
 * of swap under TCG) is stopped: by the agent at its deadline or by the
 * host killing the VM; either way the endpoint is timeout, the VM is gone
 * within the limit, and what arrived is kept. */
Test(vm, time_limit_stops_the_cell)
{
	json_t *cell;
	char *out;
	/* 15 s: enough to boot even on a loaded machine, not to fill 4 GiB */
	int code = run_matrix("{\"name\":\"t\",\"timeout_s\":15,"
			      "\"cells\":[{\"name\":\"slow\",\"swap_mb\":4096,\"workloads\":[\"touch\"]}]}",
			      &cell, &out);
	cr_expect_str_eq(str(cell, "status"), "timeout");
	cr_expect_str_eq(str(wl0(cell), "endpoint"), "timeout");
	/* touch was still filling swap: the deadline was too short for this
	 * host, not the kernel wrong (BROK, exit 3, never FAIL) */
	cr_expect_eq(code, 3, "a timeout while still making progress is BROK");
	cr_expect_str_eq(str(cell, "verdict"), "BROK");
	cr_expect_not_null(strstr(str(wl0(cell), "verdict_reason"),
				  "deadline too short for this host: still making progress at "),
			   "%s", str(wl0(cell), "verdict_reason"));
	double wall = json_number_value(json_object_get(json_object_get(cell, "timings"), "wall_s"));
	cr_expect_lt(wall, 15.0 + 3.0, "the VM outlived its limit: %.1f s", wall);
	cr_expect_gt(json_array_size(json_object_get(json_object_get(cell, "series"), "t_ms")), 3);
	validate(out);
	free(out);
	json_decref(cell);
}

/* --kernel PATH --modules DIR: any bzImage with its modules (here the
 * cached Debian 6.12 image, as a user's own build would be given). */
Test(vm, custom_kernel_path_and_modules_dir)
{
	/* where oomlab keeps kernels: $OOMLAB_CACHE/kernels, else .cache/kernels */
	const char *cache = getenv("OOMLAB_CACHE");
	char *pat = cache && *cache ? xasprintf("%s/kernels/linux-image-6.12.*/boot/vmlinuz-*", cache)
				    : xasprintf("%s/.cache/kernels/linux-image-6.12.*/boot/vmlinuz-*", root());
	glob_t g;
	cr_assert_eq(glob(pat, 0, NULL, &g), 0, "no cached 6.12 kernel (%s)", pat);
	char *image = xstrdup(g.gl_pathv[0]);
	globfree(&g);
	free(pat);
	char *pkgdir = xstrdup(image);
	*strstr(pkgdir, "/boot/vmlinuz-") = 0;
	pat = xasprintf("%s/lib/modules/*", pkgdir);
	cr_assert_eq(glob(pat, 0, NULL, &g), 0);
	char *mods = xstrdup(g.gl_pathv[0]);
	globfree(&g);
	free(pat);

	char *mpath = xasprintf("%s/m.json", tmpdir);
	const char *m = "{\"cells\":[{\"name\":\"custom\",\"swap_mb\":64,\"workloads\":[\"touch\"]}]}";
	cr_assert_eq(write_file_atomic(mpath, m, strlen(m)), 0);
	char *out = xasprintf("%s/run", tmpdir);
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *argv[] = {bin, "run", mpath, "--kernel", image, "--modules", mods, "-o", out, NULL};
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, SPAWN_DEVNULL, SPAWN_DEVNULL};
	int st;
	cr_assert_eq(run_argv(argv, &o, 120000, &st), 0);
	char *cp = xasprintf("%s/cells/custom.json", out);
	json_error_t je;
	json_t *cell = json_load_file(cp, 0, &je);
	/* the cell's reason says why when it did not pass (oomlab's output is not kept) */
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: %s", status_str(st),
		  cell ? str(cell, "verdict_reason") : "no cell report");
	cr_assert_not_null(cell, "%s", je.text);
	json_t *k = json_object_get(cell, "kernel");
	cr_expect(json_is_null(json_object_get(k, "package")));
	cr_expect_str_eq(str(k, "image"), image);
	cr_expect(!strncmp(str(k, "release"), "6.12", 4));
	cr_expect_str_eq(str(json_object_get(cell, "swap"), "status"), "ok");
	cr_expect_str_eq(str(wl0(cell), "endpoint"), "oom_killed");
	json_decref(cell);
	free(cp);
	free(bin);
	free(out);
	free(mpath);
	free(mods);
	free(pkgdir);
	free(image);
}

/* swap_type zram: the zram module is loaded, zram0 sized like a knob (and
 * read back), and swap on it takes touch past RAM. */
Test(vm, zram_swap)
{
	json_t *cell;
	char *out;
	int code = run_matrix("{\"name\":\"t\",\"timeout_s\":90,"
			      "\"cells\":[{\"name\":\"zram\",\"ram_mb\":256,\"swap_mb\":256,"
			      "\"swap_type\":\"zram\",\"workloads\":[\"touch\"]}]}",
			      &cell, &out);
	json_t *w = wl0(cell);
	cr_expect_eq(code, 0, "verdict %s: %s", str(cell, "verdict"), str(cell, "verdict_reason"));
	json_t *swap = json_object_get(cell, "swap");
	cr_expect_str_eq(str(swap, "dev"), "/dev/zram0");
	cr_expect_str_eq(str(swap, "status"), "ok");
	json_t *k = knob(cell, "zram_disksize");
	cr_assert_not_null(k);
	cr_expect_str_eq(str(k, "status"), "ok");
	cr_expect_str_eq(str(k, "got"), "268435456");
	cr_assert_str_eq(str(w, "endpoint"), "oom_killed");
	cr_expect_gt(json_number_value(json_object_get(w, "mb_reached")), 256.0);
	validate(out);
	free(out);
	json_decref(cell);
}

/* m32: the article's program A as a 32-bit process runs out of address
 * space (4 GiB on a 64-bit kernel) with little memory used: ENOMEM, no OOM. */
Test(vm, m32_runs_out_of_address_space)
{
	json_t *cell;
	char *out;
	int code = run_matrix("{\"name\":\"t\",\"timeout_s\":60,"
			      "\"cells\":[{\"name\":\"m32\",\"ram_mb\":256,\"workloads\":[\"m32\"]}]}",
			      &cell, &out);
	json_t *w = wl0(cell);
	cr_expect_eq(code, 0, "verdict %s: %s", str(cell, "verdict"), str(cell, "verdict_reason"));
	cr_assert_str_eq(str(w, "endpoint"), "enomem");
	double mb = json_number_value(json_object_get(w, "mb_reached"));
	cr_expect(mb > 3000 && mb < 4096, "reached %.0f MB", mb);
	cr_expect_lt(json_integer_value(json_object_get(w, "vm_hwm_kb")), 64 * 1024);
	cr_expect_eq(json_array_size(json_object_get(cell, "oom_events")), 0);
	validate(out);
	free(out);
	json_decref(cell);
}
