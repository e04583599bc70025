// SPDX-License-Identifier: GPL-2.0-or-later
/* The memory-kind workloads in real VMs: pagefrag records /proc/buddyinfo
 * per zone and order and makes a high-order kernel allocation fail; shm and
 * tmpfs memory shows as Shmem and, under pressure, goes to swap with its
 * contents intact; filecache grows the page cache (Buffers) of a data disk
 * the host attaches, and the kernel drops it under pressure. Every cell
 * must PASS: the oracle judges each workload, also those it does not
 * predict an MB for (filecache, pagefrag) running together. Each test
 * writes its matrix into its own temp dir (removed in .fini, also when an
 * assertion fails), runs the ASan build of oomlab and reads the report. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/spawn.h"
#include "itest.h"
#include "lib/util.h"

/* Largest and last non-null value of a meminfo/vmstat series. */
static long long series_max(json_t *cell, const char *group, const char *key)
{
	json_t *a = json_object_get(json_object_get(json_object_get(cell, "series"), group), key);
	cr_assert(json_is_array(a), "no series %s.%s", group, key);
	long long mx = LLONG_MIN;
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		if (json_is_integer(v) && json_integer_value(v) > mx)
			mx = json_integer_value(v);
	return mx;
}

static long long kv(json_t *cell, const char *obj, const char *key)
{
	json_t *v = json_object_get(json_object_get(cell, obj), key);
	cr_assert(json_is_integer(v), "%s.%s is not an integer", obj, key);
	return json_integer_value(v);
}

/* vmstat_end - vmstat_start */
static long long vm_delta(json_t *cell, const char *key)
{
	return kv(cell, "vmstat_end", key) - kv(cell, "vmstat_start", key);
}

TestSuite(wl_mem, .init = setup, .fini = teardown, .timeout = 100);

/* pagefrag: buddyinfo before/after per zone and order lands in the
 * report; after freeing every other pipe page no DMA32 block of order 9
 * or more is left; the THP region is counted; the high-order probe fails
 * and the kernel's "page allocation failure" is in alloc_failures. */
Test(wl_mem, pagefrag_buddyinfo_thp_and_alloc_failure)
{
	json_t *cell;
	char *out;
	int code = run_matrix("{\"name\":\"pf\",\"timeout_s\":60,\"allow\":[\"alloc_failure\"],\"cells\":[{\"name\":\"pagefrag\","
			      "\"ram_mb\":256,\"transparent_hugepage\":\"madvise\","
			      "\"workloads\":[\"pagefrag\"]}]}",
			      &cell, &out);
	json_t *w = wl(cell, 0);
	cr_expect_str_eq(str(cell, "verdict"), "PASS", "%s", str(cell, "verdict_reason"));
	cr_expect_eq(code, 0);
	cr_assert_str_eq(str(w, "endpoint"), "exit");
	cr_assert_str_eq(reason(w), "done");
	static const char *const tags[] = {"before", "frag", "after"};
	char k[96];
	for (size_t t = 0; t < 3; t++)
		for (int o = 0; o <= 10; o++) {
			snprintf(k, sizeof k, "buddyinfo.%s.DMA32.o%d", tags[t], o);
			cr_assert_geq(mint(w, k), 0);
			snprintf(k, sizeof k, "buddyinfo.%s.DMA.o%d", tags[t], o);
			cr_assert_geq(mint(w, k), 0);
		}
	/* boot: most free memory in order-10 blocks; fragmented: none */
	cr_expect_gt(mint(w, "buddyinfo.before.DMA32.o10"), 10);
	cr_expect_eq(mint(w, "buddyinfo.frag.DMA32.o10") + mint(w, "buddyinfo.frag.DMA32.o9"), 0);
	cr_expect_gt(mint(w, "buddyinfo.frag.DMA32.o0"), 10000, "every other page freed");
	cr_expect_gt(mint(w, "buddyinfo.frag.DMA32.free_pages"), 15000);
	/* the THP region: 32 huge pages asked, most fell back */
	cr_expect_eq(mint(w, "thp_regions"), 32);
	cr_expect_eq(mint(w, "thp_got") + mint(w, "thp_fallback"), 32);
	cr_expect_gt(mint(w, "thp_fallback"), 16);
	cr_expect_eq(mint(w, "thp_fault_fallback_delta"), mint(w, "thp_fallback"));
	/* high-order kernel allocations fail; the kernel logs the first */
	cr_expect_geq(mint(w, "kmalloc_failed"), 1);
	cr_expect_eq(mint(w, "kmalloc.o10"), 0);
	json_t *af = json_object_get(cell, "alloc_failures");
	cr_assert_geq(json_array_size(af), 1, "no page allocation failure recorded");
	json_t *a0 = json_array_get(af, 0);
	cr_expect_str_eq(str(a0, "comm"), "oomlab-wl");
	cr_expect_geq(json_integer_value(json_object_get(a0, "order")), 4);
	validate(out);
	json_decref(cell);
	free(out);
}

/* shm (POSIX, /dev/shm mounted by the workload) and tmpfs (a private
 * mount): Shmem grows by what they wrote; touch then needs the RAM, and
 * the kernel swaps shmem out (it cannot drop it): every page reads back
 * intact. filecache in the same cell gets the disk after the swap disk. */
Test(wl_mem, shm_and_tmpfs_are_swapped_not_dropped)
{
	json_t *cell;
	char *out;
	int code = run_matrix(
		"{\"name\":\"shm\",\"timeout_s\":60,\"cells\":[{\"name\":\"shm tmpfs touch\","
		"\"ram_mb\":256,\"swap_mb\":256,\"workloads\":["
		"{\"name\":\"shm\",\"options\":{\"size_mb\":64,\"hold_ms\":8000,\"verify\":1}},"
		"{\"name\":\"tmpfs\",\"options\":{\"size_mb\":48,\"hold_ms\":8000,\"verify\":1}},"
		"{\"name\":\"filecache\",\"options\":{\"size_mb\":16}},"
		"{\"name\":\"touch\",\"start_delay_ms\":2000,\"options\":{\"max_mb\":200,\"hold_ms\":1000}}]}]}",
		&cell, &out);
	json_t *s = wl(cell, 0), *t = wl(cell, 1), *f = wl(cell, 2), *tc = wl(cell, 3);
	cr_expect_str_eq(str(cell, "verdict"), "PASS", "%s", str(cell, "verdict_reason"));
	cr_expect_eq(code, 0);
	cr_assert_str_eq(reason(s), "done");
	cr_assert_str_eq(reason(t), "done");
	cr_assert_str_eq(reason(tc), "limit");
	cr_expect_eq(mint(s, "filled_mb"), 64);
	cr_expect_eq(mint(t, "filled_mb"), 48);
	cr_expect_eq(mint(s, "mounted_dev_shm"), 1);
	/* Shmem grew by both */
	long long shmem0 = kv(cell, "meminfo_start", "Shmem");
	cr_expect_gt(series_max(cell, "meminfo", "Shmem") - shmem0, 100 * 1024);
	/* swapped out under touch's pressure, then read back intact */
	double swapped = mreal(s, "swapped_mb") + mreal(t, "swapped_mb");
	cr_expect_gt(swapped, 16.0, "shm+tmpfs swapped %.1f MB", swapped);
	cr_expect_gt(vm_delta(cell, "pswpout"), (long long)(swapped * 256));
	cr_expect_gt(vm_delta(cell, "pswpin"), 0);
	cr_expect_eq(mint(s, "bad_pages"), 0);
	cr_expect_eq(mint(t, "bad_pages"), 0);
	cr_expect_gt(mreal(s, "verified_mb"), 63.9);
	/* the data disk comes after the swap disk */
	cr_expect_str_eq(str(json_object_get(f, "metrics"), "dev"), "/dev/vdb");
	cr_expect_str_eq(reason(f), "done");
	cr_expect_gt(mreal(f, "disk_read_mb"), 15.9);
	validate(out);
	json_decref(cell);
	free(out);
}

/* filecache on the data disk (no swap: /dev/vda) grows Buffers; while it
 * holds the device open, touch fills RAM and the kernel drops the cache
 * (pgsteal_file) before the OOM killer ends touch. */
Test(wl_mem, filecache_is_dropped_under_pressure)
{
	json_t *cell;
	char *out;
	int code = run_matrix(
		"{\"name\":\"fc\",\"timeout_s\":60,\"cells\":[{\"name\":\"filecache touch\","
		"\"ram_mb\":256,\"workloads\":["
		"{\"name\":\"filecache\",\"options\":{\"size_mb\":128,\"hold_ms\":7000}},"
		"{\"name\":\"touch\",\"start_delay_ms\":2500}]}]}",
		&cell, &out);
	json_t *f = wl(cell, 0), *tc = wl(cell, 1);
	cr_expect_str_eq(str(cell, "verdict"), "PASS", "%s", str(cell, "verdict_reason"));
	cr_expect_eq(code, 0);
	cr_assert_str_eq(str(f, "endpoint"), "exit");
	cr_assert_str_eq(reason(f), "done");
	cr_expect_str_eq(str(json_object_get(f, "metrics"), "dev"), "/dev/vda");
	cr_expect_str_eq(str(tc, "endpoint"), "oom_killed");
	/* the cache was there: 128 MiB read from the disk, in Buffers */
	cr_expect_gt(mreal(f, "disk_read_mb"), 127.9);
	cr_expect_gt(series_max(cell, "meminfo", "Buffers"), 100 * 1024);
	/* and dropped, not swapped (there is no swap) */
	cr_expect_lt(mreal(f, "cached_mb"), 32.0, "still cached at the end of the hold");
	cr_expect_gt(vm_delta(cell, "pgsteal_file"), 96 * 256);
	cr_expect_eq(vm_delta(cell, "pswpout"), 0);
	validate(out);
	json_decref(cell);
	free(out);
}
