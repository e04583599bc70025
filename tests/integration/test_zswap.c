// SPDX-License-Identifier: GPL-2.0-or-later
/* zswap's knobs in real VMs, on Debian 6.1.0-57, 6.12 and 6.1.0-57-cloud
 * (built without zswap): the cells of tests/golden/zswap/cells.json (the
 * unit test tests/unit/test_zswap.c replays a recording of them). Unset,
 * zswap's parameters read back the kernel's defaults; set (lz4 on
 * zsmalloc, loaded from the initramfs), zswap takes the pages touch
 * writes past RAM; a compressor the kernel lacks is BROK with the reason;
 * the cloud kernel SKIPs. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/spawn.h"
#include "itest.h"
#include "lib/util.h"

TestSuite(zswap, .init = setup, .fini = teardown, .timeout = 420);

static void knob_is(json_t *cell, const char *id, const char *name, const char *status, const char *got)
{
	json_t *k = knob(cell, name);
	cr_assert_not_null(k, "%s: no knob %s", id, name);
	cr_expect_str_eq(str(k, "status"), status, "%s %s", id, name);
	cr_expect_str_eq(str(k, "got"), got, "%s %s", id, name);
}

static long long series_max(json_t *cell, const char *section, const char *key)
{
	json_t *a = json_object_get(json_object_get(json_object_get(cell, "series"), section), key);
	long long m = -1;
	for (size_t i = 0; i < json_array_size(a); i++)
		if (json_integer_value(json_array_get(a, i)) > m)
			m = json_integer_value(json_array_get(a, i));
	return m;
}

Test(zswap, defaults_set_used_refused_and_skipped_on_three_kernels)
{
	char *mp = xasprintf("%s/tests/golden/zswap/cells.json", root());
	char *out;
	/* the worst verdict is the 842 cells' BROK */
	cr_expect_eq(run_file(mp, 400000, &out), 3);

	/* unset: the kernel's defaults, exactly */
	static const struct {
		const char *id, *zpool, *shrinker_status, *shrinker;
	} d[] = {
		{"61-defaults", "zbud", "absent", ""},
		{"612-defaults", "zsmalloc", "default", "N"},
	};
	for (size_t i = 0; i < 2; i++) {
		json_t *c = load_cell(out, d[i].id);
		knob_is(c, d[i].id, "zswap_enabled", "default", "N");
		knob_is(c, d[i].id, "zswap_compressor", "default", "lzo");
		knob_is(c, d[i].id, "zswap_zpool", "default", d[i].zpool);
		knob_is(c, d[i].id, "zswap_max_pool_percent", "default", "20");
		knob_is(c, d[i].id, "zswap_accept_threshold_percent", "default", "90");
		knob_is(c, d[i].id, "zswap_shrinker_enabled", d[i].shrinker_status, d[i].shrinker);
		cr_expect_str_eq(str(c, "verdict"), "PASS", "%s: %s", d[i].id, str(c, "verdict_reason"));
		cr_expect(json_is_null(json_object_get(c, "zswap_end")), "%s", d[i].id);
		json_decref(c);
	}

	/* set and used: touch writes 320 MB in 256 MiB, zswap holds pages */
	static const char *const used[] = {"61-used", "612-used"};
	for (size_t i = 0; i < 2; i++) {
		json_t *c = load_cell(out, used[i]);
		knob_is(c, used[i], "zswap_enabled", "ok", "Y");
		knob_is(c, used[i], "zswap_compressor", "ok", "lz4");
		knob_is(c, used[i], "zswap_zpool", "ok", "zsmalloc");
		cr_expect_str_eq(str(c, "verdict"), "PASS", "%s: %s", used[i], str(c, "verdict_reason"));
		long long zswapped = series_max(c, "meminfo", "Zswapped");
		long long zswpout = json_integer_value(json_object_get(json_object_get(c, "vmstat_end"), "zswpout"));
		cr_expect(zswapped > 0 || zswpout > 0, "%s: Zswapped %lld kB, zswpout %lld", used[i], zswapped,
			  zswpout);
		cr_expect_gt(zswpout, 10000, "%s", used[i]);
		cr_expect_gt(series_max(c, "zswap", "stored_pages"), 10000, "%s", used[i]);
		json_t *ex = json_object_get(wl(c, 0), "exit");
		cr_expect_gt(json_integer_value(json_object_get(ex, "stime_us")), 0, "%s", used[i]);
		json_decref(c);
	}

	/* 842: 6.1 refuses the write, 6.12 falls back to lzo once enabled */
	json_t *c = load_cell(out, "61-842");
	knob_is(c, "61-842", "zswap_compressor", "error", "lzo");
	cr_expect_str_eq(str(c, "verdict"), "BROK");
	cr_expect_str_eq(str(c, "verdict_reason"),
			 "knob zswap_compressor could not be set to 842: No such file or directory");
	json_decref(c);
	c = load_cell(out, "612-842");
	knob_is(c, "612-842", "zswap_compressor", "ok", "lzo");
	cr_expect_str_eq(str(c, "verdict"), "BROK");
	cr_expect_str_eq(str(c, "verdict_reason"), "knob zswap_compressor reads back lzo, not 842");
	json_decref(c);

	/* no zswap in the cloud kernel */
	c = load_cell(out, "cloud");
	cr_expect(!strncmp(str(json_object_get(c, "kernel"), "release"), "6.1.0-57-cloud", 14));
	knob_is(c, "cloud", "zswap_enabled", "skip", "");
	knob_is(c, "cloud", "zswap_zpool", "absent", "");
	cr_expect_str_eq(str(c, "verdict"), "SKIP");
	cr_expect_str_eq(str(c, "verdict_reason"), "knob zswap_enabled is not supported by this kernel");
	json_decref(c);
	validate(out);
	free(out);
	free(mp);
}
