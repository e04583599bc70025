// SPDX-License-Identifier: GPL-2.0-or-later
/* zswap on real cells (tests/golden/zswap/: Debian 6.1.0-57, 6.12.117 and
 * 6.1.0-57-cloud, captured with oomlab run; the cells of
 * tests/integration/test_zswap.c): its knobs read back in every cell, a
 * compressor the kernel refuses or replaces makes the cell BROK with the
 * reason, a kernel without zswap SKIPs, and zswap's use shows in the
 * report (meminfo Zswap/Zswapped, vmstat zswpout, its debugfs counters). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "judge/cellreport.h"
#include "judge/collect.h"
#include "judge/outcome.h"
#include "lib/util.h"
#include "plan/matrix.h"
#include "replay.h"

/* The recorded cell id of tests/golden/zswap, judged. */
static void zcell(struct replay *z, const char *id)
{
	replay_cell(z, "tests/golden/zswap/cells.json", "tests/golden/zswap", id);
}

/* the knob record named name: its status and what was read back */
static void knob_is(const struct replay *z, const char *name, const char *status, const char *got)
{
	for (size_t i = 0; i < json_array_size(z->obs.knobs); i++) {
		json_t *k = json_array_get(z->obs.knobs, i);
		if (strcmp(json_string_value(json_object_get(k, "name")), name))
			continue;
		cr_expect_str_eq(json_string_value(json_object_get(k, "status")), status, "%s %s",
				 z->cs->id, name);
		cr_expect_str_eq(json_string_value(json_object_get(k, "got")), got, "%s %s", z->cs->id, name);
		return;
	}
	cr_expect_fail("%s: no knob record %s", z->cs->id, name);
}

/* Unset, every zswap knob is read back as the kernel's default: 6.1 has
 * zbud and no shrinker switch, 6.12 zsmalloc and the shrinker off; both
 * off (Debian's ZSWAP_DEFAULT_ON is not set), lzo, 20 %, 90 %. */
Test(zswap, defaults_read_back_per_kernel)
{
	static const struct {
		const char *id, *zpool, *shrinker_status, *shrinker;
	} k[] = {
		{"61-defaults", "zbud", "absent", ""},
		{"612-defaults", "zsmalloc", "default", "N"},
	};
	for (size_t i = 0; i < 2; i++) {
		struct replay z;
		zcell(&z, k[i].id);
		knob_is(&z, "zswap_zpool", "default", k[i].zpool);
		knob_is(&z, "zswap_compressor", "default", "lzo");
		knob_is(&z, "zswap_max_pool_percent", "default", "20");
		knob_is(&z, "zswap_accept_threshold_percent", "default", "90");
		knob_is(&z, "zswap_shrinker_enabled", k[i].shrinker_status, k[i].shrinker);
		knob_is(&z, "zswap_enabled", "default", "N");
		cr_expect_eq(z.oc.verdict, V_PASS, "%s: %s", k[i].id, z.oc.why);
		/* zswap off: no debugfs counters, no zswap series */
		cr_expect_null(z.obs.zswap_start);
		cr_expect_null(json_object_get(z.obs.series, "zswap"));
		replay_free(&z);
	}
}

/* 842 is built on neither kernel. 6.1 refuses the write (ENOENT, "zswap:
 * compressor 842 not available"); 6.12 takes it while zswap is off and,
 * once enabled, falls back to lzo ("compressor 842 not available, using
 * default lzo"): the write succeeded, the read-back says otherwise. Both
 * are BROK, with the reason. */
Test(zswap, refused_or_replaced_compressor_is_brok_with_the_reason)
{
	struct replay z;
	zcell(&z, "61-842");
	knob_is(&z, "zswap_compressor", "error", "lzo");
	knob_is(&z, "zswap_enabled", "ok", "Y");
	cr_expect_eq(z.oc.verdict, V_BROK);
	cr_expect_str_eq(z.oc.why, "knob zswap_compressor could not be set to 842: No such file or directory");
	replay_free(&z);

	zcell(&z, "612-842");
	knob_is(&z, "zswap_compressor", "ok", "lzo");
	cr_expect_eq(z.oc.verdict, V_BROK);
	cr_expect_str_eq(z.oc.why, "knob zswap_compressor reads back lzo, not 842");
	replay_free(&z);
}

/* Debian's cloud kernel is built without zswap: setting it SKIPs, and the
 * knobs left unset read back absent. */
Test(zswap, kernel_without_zswap_skips)
{
	struct replay z;
	zcell(&z, "cloud");
	knob_is(&z, "zswap_enabled", "skip", "");
	knob_is(&z, "zswap_compressor", "absent", "");
	knob_is(&z, "zswap_shrinker_enabled", "absent", "");
	cr_expect_eq(z.oc.verdict, V_SKIP);
	cr_expect_str_eq(z.oc.why, "knob zswap_enabled is not supported by this kernel");
	replay_free(&z);
}

/* lz4 on zsmalloc (both modules on 6.1, lz4 on 6.12: loaded by the host's
 * initramfs) is set and read back; touch writing 320 MB in 256 MiB puts
 * pages in zswap, not on the disk. */
static long long series_max(json_t *series, const char *section, const char *key)
{
	json_t *a = json_object_get(json_object_get(series, section), key);
	long long m = -1;
	for (size_t i = 0; i < json_array_size(a); i++)
		if (json_integer_value(json_array_get(a, i)) > m)
			m = json_integer_value(json_array_get(a, i));
	return m;
}

static long long kv(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* 6.1 keeps touch's same-filled pages (every byte 0x5a) out of its pool:
 * 39,489 pages in 488 kB; 6.12 compresses them (37,570 pages in 3,752 kB,
 * 2 it could not compress). The debugfs counters and the meminfo/vmstat
 * series and the workload's CPU time are in the report. */
Test(zswap, set_and_used)
{
	static const struct {
		const char *id;
		long long zswapped_max, zswap_max, zswpout, stored_max, n_series, n_end, pool_end,
			utime, stime;
	} k[] = {
		{"61-used", 157956, 488, 39489, 39489, 6, 10, 446464, 109411, 1004239},
		{"612-used", 149352, 3752, 37781, 37570, 6, 9, 1966080, 124353, 1712246},
	};
	for (size_t i = 0; i < 2; i++) {
		struct replay z;
		zcell(&z, k[i].id);
		knob_is(&z, "zswap_zpool", "ok", "zsmalloc");
		knob_is(&z, "zswap_compressor", "ok", "lz4");
		knob_is(&z, "zswap_enabled", "ok", "Y");
		cr_expect_eq(z.oc.verdict, V_PASS, "%s: %s", k[i].id, z.oc.why);
		cr_expect_eq(series_max(z.obs.series, "meminfo", "Zswapped"), k[i].zswapped_max, "%s", k[i].id);
		cr_expect_eq(series_max(z.obs.series, "meminfo", "Zswap"), k[i].zswap_max, "%s", k[i].id);
		cr_expect_eq(kv(z.obs.vmstat_end, "zswpout"), k[i].zswpout, "%s", k[i].id);
		cr_expect_eq(kv(z.obs.vmstat_end, "zswpwb"), i ? 0 : -1, "%s: 6.1 has no zswpwb", k[i].id);
		cr_expect_eq(series_max(z.obs.series, "zswap", "stored_pages"), k[i].stored_max, "%s", k[i].id);
		cr_expect_eq(json_object_size(json_object_get(z.obs.series, "zswap")), k[i].n_series);
		/* one value per sample, as the other series */
		cr_expect_eq(json_array_size(json_object_get(json_object_get(z.obs.series, "zswap"), "stored_pages")),
			     json_array_size(json_object_get(z.obs.series, "t_ms")), "%s", k[i].id);
		cr_expect_eq(json_object_size(z.obs.zswap_end), k[i].n_end, "%s", k[i].id);
		cr_expect_eq(kv(z.obs.zswap_end, "pool_total_size"), k[i].pool_end, "%s", k[i].id);
		cr_expect_eq(kv(z.obs.zswap_start, "stored_pages"), 0, "%s", k[i].id);
		cr_expect_eq(kv(z.obs.zswap_end, "pool_limit_hit"), 0, "%s", k[i].id);
		cr_expect_eq(z.obs.wl[0].utime_us, k[i].utime, "%s", k[i].id);
		cr_expect_eq(z.obs.wl[0].stime_us, k[i].stime, "%s", k[i].id);
		replay_free(&z);
	}
}
