// SPDX-License-Identifier: GPL-2.0-or-later
/* Memory cgroups end to end on two kernels: groups created and nested,
 * their files written and read back, workloads placed in them and
 * charged to them (and only them), the groups sampled and reported; a
 * file the kernel lacks makes the cell SKIP. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/spawn.h"
#include "itest.h"
#include "lib/util.h"

/* three cells at -j 2 take ~2.5 min on a quiet host; room for a busy one */
TestSuite(cgroup, .init = setup, .fini = teardown, .timeout = 480);

#define MiB (1024LL * 1024)

static long long geti(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	cr_assert(json_is_integer(v), "%s is not an integer", k);
	return json_integer_value(v);
}

/* the knob record name: status and got */
static void want_knob(json_t *cell, const char *name, const char *status, const char *got)
{
	json_t *k = knob(cell, name);
	cr_assert_not_null(k, "no knob record %s", name);
	cr_expect_str_eq(str(k, "status"), status, "%s", name);
	if (got)
		cr_expect_str_eq(str(k, "got"), got, "%s", name);
}

Test(cgroup, groups_limits_placement_and_observations_on_two_kernels)
{
	/* app/web: memory.max 64 MiB and memory.high 56 MiB, a touch of 96 MB
	 * in it (no swap: killed by its group's OOM killer); app/db: memory.max
	 * 32 MiB, a touch of 8 MB (exits); a touch of 24 MB in the root group;
	 * app, the parent, has no limit. A third cell sets memory.zswap.max of
	 * app/db on the cloud kernel, built without zswap: SKIP. */
	static const char m[] =
		"{\"name\":\"cgroup\",\"timeout_s\":120,"
		"\"base\":{\"ram_mb\":256,\"cpus\":1,\"cgroup.app/web.memory.max\":64,"
		"\"cgroup.app/web.memory.high\":56,\"cgroup.app/db.memory.max\":32},"
		"\"axes\":{\"kernel\":[\"linux-image-6.1.0-57-amd64\",\"linux-image-6.12-amd64\"]},"
		"\"include\":[{\"name\":\"nozswap\",\"kernel\":\"linux-image-6.1.0-57-cloud-amd64\","
		"\"cgroup.app/db.memory.zswap.max\":16,"
		"\"workloads\":[{\"name\":\"touch\",\"options\":{\"max_mb\":1},\"cgroup\":\"app/db\"}]}],"
		"\"workloads\":[{\"name\":\"touch\",\"options\":{\"max_mb\":96},\"cgroup\":\"app/web\","
		"\"expect\":\"oom_killed\"},"
		"{\"name\":\"touch\",\"options\":{\"max_mb\":8},\"cgroup\":\"app/db\"},"
		"{\"name\":\"touch\",\"options\":{\"max_mb\":24}}]}";
	char *out;
	/* exit code 0: the SKIP cell does not fail the run */
	cr_expect_eq(run_sweep(m, 450000, &out), 0);
	validate(out);

	const char *ids[] = {"kernel-linux-image-6-1-0-57-amd64", "kernel-linux-image-6-12-amd64"};
	const char *rel[] = {"6.1", "6.12"};
	for (int c = 0; c < 2; c++) {
		json_t *cell = load_cell(out, ids[c]);
		json_t *k = json_object_get(cell, "kernel");
		cr_expect(!strncmp(str(k, "release"), rel[c], strlen(rel[c])), "%s", str(k, "release"));
		cr_expect_str_eq(str(cell, "verdict"), "PASS", "%s: %s", ids[c], str(cell, "verdict_reason"));
		/* written and read back exactly; the rest of the table read back */
		want_knob(cell, "cgroup.app/web.memory.max", "ok", "67108864");
		want_knob(cell, "cgroup.app/web.memory.high", "ok", "58720256");
		want_knob(cell, "cgroup.app/db.memory.max", "ok", "33554432");
		want_knob(cell, "cgroup.app.memory.max", "default", "max");
		want_knob(cell, "cgroup.app.memory.low", "default", "0");
		want_knob(cell, "cgroup.app/db.memory.oom.group", "default", "0");
		want_knob(cell, "cgroup.app/web.memory.swap.max", "default", "max");
		/* both kernels are built with zswap */
		want_knob(cell, "cgroup.app/web.memory.zswap.max", "default", "max");
		/* placement: the group's OOM killer took the touch of app/web */
		cr_expect_str_eq(str(wl(cell, 0), "endpoint"), "oom_killed", "%s", ids[c]);
		cr_expect_str_eq(str(wl(cell, 1), "endpoint"), "exit", "%s", ids[c]);
		cr_expect_str_eq(str(wl(cell, 2), "endpoint"), "exit", "%s", ids[c]);
		json_t *ev = json_array_get(json_object_get(cell, "oom_events"), 0);
		cr_expect_str_eq(str(ev, "constraint"), "CONSTRAINT_MEMCG", "%s", ids[c]);

		json_t *cgs = json_object_get(cell, "cgroups");
		cr_assert(json_is_object(cgs), "%s: no cgroups", ids[c]);
		cr_expect_eq(json_object_size(cgs), 3);
		json_t *app = json_object_get(cgs, "app"), *web = json_object_get(cgs, "app/web"),
		       *db = json_object_get(cgs, "app/db");
		cr_assert(app && web && db);
		json_t *lim = json_object_get(web, "limits");
		cr_expect_eq(geti(lim, "memory.max"), 64 * MiB);
		cr_expect_eq(geti(lim, "memory.high"), 56 * MiB);
		cr_expect_eq(geti(lim, "memory.oom.group"), 0);
		cr_expect_str_eq(str(json_object_get(app, "limits"), "memory.max"), "max");
		cr_expect_eq(geti(json_object_get(db, "limits"), "memory.max"), 32 * MiB);
		/* sampled: memory.current > 0 and never over memory.max */
		json_t *cur = json_object_get(json_object_get(web, "series"), "memory.current");
		cr_assert(json_array_size(cur) >= 3, "%s: %zu samples", ids[c], json_array_size(cur));
		long long hi = 0;
		for (size_t i = 0; i < json_array_size(cur); i++) {
			long long v = json_integer_value(json_array_get(cur, i));
			cr_expect(v >= 0 && v <= 64 * MiB, "%s: memory.current %lld", ids[c], v);
			if (v > hi)
				hi = v;
		}
		cr_expect(hi > 16 * MiB, "%s: memory.current at most %lld", ids[c], hi);
		cr_expect_eq(geti(web, "current_max"), hi);
		/* memory.peak (both kernels have it): the limit was reached */
		cr_expect_str_eq(str(web, "peak_from"), "memory.peak");
		long long peak = geti(web, "peak");
		cr_expect(peak > 60 * MiB && peak <= 64 * MiB, "%s: web peak %lld", ids[c], peak);
		/* the 8 MB of app/db are charged to it; the 24 MB of the root
		 * group's touch are not */
		long long dbpeak = geti(db, "peak");
		cr_expect(dbpeak >= 8 * MiB && dbpeak < 16 * MiB, "%s: db peak %lld", ids[c], dbpeak);
		/* events over the cell: one kill in app/web; app/db none; the
		 * parent counts its children's (cgroup v2 events are hierarchical) */
		json_t *we = json_object_get(web, "events"), *de = json_object_get(db, "events"),
		       *ae = json_object_get(app, "events");
		cr_expect_eq(geti(we, "oom_kill"), 1, "%s", ids[c]);
		cr_expect_eq(geti(we, "oom_group_kill"), 0, "%s", ids[c]);
		cr_expect(geti(we, "oom") >= 1, "%s", ids[c]);
		cr_expect(geti(we, "max") >= 1, "%s", ids[c]);
		cr_expect(geti(we, "high") >= 1, "%s", ids[c]);
		cr_expect_eq(geti(we, "low"), 0, "%s", ids[c]);
		static const char *const evk[] = {"low", "high", "max", "oom", "oom_kill", "oom_group_kill"};
		for (size_t i = 0; i < 6; i++) {
			cr_expect_eq(geti(de, evk[i]), 0, "%s: app/db %s", ids[c], evk[i]);
			cr_expect_eq(geti(ae, evk[i]), geti(we, evk[i]), "%s: app %s", ids[c], evk[i]);
		}
		/* memory.stat and memory.pressure of the group */
		json_t *end = json_object_get(web, "end");
		json_t *stat = json_object_get(end, "stat");
		cr_expect(json_is_integer(json_object_get(stat, "anon")));
		cr_expect(json_is_integer(json_object_get(stat, "workingset_refault_file")));
		json_t *some = json_object_get(json_object_get(end, "pressure"), "some");
		cr_expect(json_is_integer(json_object_get(some, "total_us")), "%s", ids[c]);
		json_decref(cell);
	}

	json_t *cell = load_cell(out, "nozswap");
	cr_expect(!strncmp(str(json_object_get(cell, "kernel"), "release"), "6.1", 3));
	cr_expect_str_eq(str(cell, "verdict"), "SKIP", "%s", str(cell, "verdict_reason"));
	cr_expect_not_null(strstr(str(cell, "verdict_reason"),
				  "knob cgroup.app/db.memory.zswap.max is not supported by this kernel"),
			   "%s", str(cell, "verdict_reason"));
	want_knob(cell, "cgroup.app/db.memory.zswap.max", "skip", "");
	want_knob(cell, "cgroup.app/web.memory.zswap.max", "absent", "");
	want_knob(cell, "cgroup.app/db.memory.max", "ok", "33554432");
	json_t *db = json_object_get(json_object_get(cell, "cgroups"), "app/db");
	cr_expect_eq(geti(json_object_get(db, "limits"), "memory.max"), 32 * MiB);
	cr_expect_null(json_object_get(json_object_get(db, "limits"), "memory.zswap.max"));
	json_decref(cell);
	free(out);
}
