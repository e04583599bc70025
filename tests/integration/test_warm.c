// SPDX-License-Identifier: GPL-2.0-or-later
/* Warm start: the same cells run cold (--cold) and warm (restored from a
 * booted snapshot) must end the same way: same endpoints and verdicts,
 * same knobs read back, MB reached within 10% (the spread seen between
 * repeats of these cells is 1-3%). Two of the cells share one snapshot
 * (same disk layout), the zram cell needs its own; the warm stream starts
 * at seq 0 with the whole boot log, and a warm cell reaches its workload
 * sooner than a cold one. Repeated, warm and cold cells give the same
 * spread of results, even when every first restore crashes the guest
 * (each cell is restored again, or booted cold: no cell is lost). A
 * restore never writes the snapshot's RAM file. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "itest.h"
#include "lib/sha256.h"
#include "lib/spawn.h"
#include "lib/util.h"

TestSuite(warm, .init = setup, .fini = teardown, .timeout = 240);

static const char matrix[] =
	"{\"name\": \"warm\", \"timeout_s\": 60, \"base\": {\"ram_mb\": 256, \"swap_mb\": 128},"
	" \"cells\": ["
	"  {\"name\": \"commit-limit\", \"overcommit_memory\": 2, \"overcommit_ratio\": 50, \"workloads\": [\"touch\"]},"
	"  {\"name\": \"disk-swap\", \"workloads\": [\"touch\"]},"
	"  {\"name\": \"zram-swap\", \"swap_type\": \"zram\", \"workloads\": [\"touch\"]}]}";

static const char *const ids[] = {"commit-limit", "disk-swap", "zram-swap"};

static char *run_m(const char *mtext, const char *name, int cold)
{
	char *m = xasprintf("%s/%s.json", tmpdir, name);
	cr_assert_eq(write_file_atomic(m, mtext, strlen(mtext)), 0);
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *out = xasprintf("%s/%s", tmpdir, name);
	char *log = xasprintf("%s/%s.log", tmpdir, name);
	char *argv[] = {bin, "run", m, "-j", "2", "-o", out, cold ? "--cold" : NULL, NULL};
	FILE *lf = fopen(log, "w");
	cr_assert_not_null(lf);
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, fileno(lf), fileno(lf)};
	int st = 0;
	int r = run_argv(argv, &o, 200 * 1000, &st);
	fclose(lf);
	char *text = NULL;
	read_file(log, &text, NULL);
	cr_log_info("oomlab (%s):\n%s", name, text ? text : "");
	cr_assert_eq(r, 0, "oomlab run (%s) did not finish in time", name);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "oomlab run (%s): %s\n%s", name,
		  status_str(st), text);
	free(text);
	validate(out);
	free(m);
	free(bin);
	free(log);
	return out;
}

static char *run(const char *name, int cold)
{
	return run_m(matrix, name, cold);
}

static json_t *cell(const char *dir, const char *id)
{
	char *p = xasprintf("%s/cells/%s.json", dir, id);
	json_error_t je;
	json_t *c = json_load_file(p, 0, &je);
	cr_assert_not_null(c, "%s: %s", p, je.text);
	free(p);
	return c;
}

static const char *knob_got(json_t *c, const char *name)
{
	json_t *k = knob(c, name);
	cr_assert_not_null(k, "no knob %s", name);
	return str(k, "got");
}

static double timing(json_t *c, const char *k)
{
	json_t *v = json_object_get(json_object_get(c, "timings"), k);
	cr_assert(json_is_number(v), "timings.%s is not a number", k);
	return json_number_value(v);
}

Test(warm, warm_cells_end_like_cold_ones)
{
	char *snaps = xasprintf("%s/snapshots", tmpdir);
	setenv("OOMLAB_SNAPSHOTS", snaps, 1);
	/* the cold cells end the old way (linger, power off), the warm ones
	 * with the handshake: the VM is stopped at the agent's bye */
	setenv("OOMLAB_NO_FAST", "end", 1);
	char *cold = run("cold", 1);
	unsetenv("OOMLAB_NO_FAST");
	char *warm = run("warm", 0);
	unsetenv("OOMLAB_SNAPSHOTS");

	const char *key[3] = {0};
	int built = 0;
	double cold_start = 0, warm_start = 0;
	for (size_t i = 0; i < 3; i++) {
		json_t *c = cell(cold, ids[i]), *w = cell(warm, ids[i]);
		json_t *ct = json_object_get(c, "timings"), *wt = json_object_get(w, "timings");
		cr_assert_str_eq(str(ct, "start"), "cold", "%s", ids[i]);
		cr_assert_str_eq(str(wt, "start"), "warm", "%s: fell back: %s", ids[i], str(wt, "warm_fallback"));
		cr_assert_str_eq(str(c, "verdict"), "PASS", "%s cold", ids[i]);
		cr_assert_str_eq(str(w, "verdict"), "PASS", "%s warm", ids[i]);
		cr_assert_str_eq(str(wl(w, 0), "endpoint"), str(wl(c, 0), "endpoint"), "%s", ids[i]);
		double mc = json_number_value(json_object_get(wl(c, 0), "mb_reached"));
		double mw = json_number_value(json_object_get(wl(w, 0), "mb_reached"));
		double d = mc > mw ? mc - mw : mw - mc;
		cr_assert(mc > 0 && d / mc <= 0.10, "%s: MB reached cold %.1f, warm %.1f", ids[i],
			  mc, mw);
		static const char *const knobs[] = {"overcommit_memory", "overcommit_ratio", "swappiness",
						    "min_free_kbytes"};
		for (size_t k = 0; k < sizeof knobs / sizeof *knobs; k++)
			cr_assert_str_eq(knob_got(w, knobs[k]), knob_got(c, knobs[k]), "%s: %s", ids[i],
					 knobs[k]);
		cr_assert_str_eq(str(json_object_get(w, "kernel"), "release"),
				 str(json_object_get(c, "kernel"), "release"));
		/* the warm stream is a whole one: seq from 0, no gap, a bye */
		json_t *ws = json_object_get(w, "stream");
		cr_assert_eq(json_integer_value(json_object_get(ws, "seq_gaps")), 0, "%s", ids[i]);
		cr_assert_str_eq(str(ws, "bye"), "done", "%s", ids[i]);
		cr_assert_str_eq(str(json_object_get(c, "stream"), "bye"), "done", "%s", ids[i]);
		cr_assert_str_eq(str(wt, "vm_end"), "bye", "%s", ids[i]);
		cr_assert_str_eq(str(ct, "vm_end"), "qemu_exit", "%s", ids[i]);
		/* -j 2: the third cell's VM was restored while the first two
		 * ran, and waited for its turn; a cold run has no standby */
		cr_assert_eq(json_is_number(json_object_get(wt, "standby_s")), i == 2, "%s: standby_s %s", ids[i],
			     json_dumps(json_object_get(wt, "standby_s"), JSON_ENCODE_ANY));
		cr_assert(json_is_null(json_object_get(ct, "standby_s")), "%s", ids[i]);
		char *sp = xasprintf("%s/cells/%s.stream", warm, ids[i]), *text = NULL;
		size_t len = 0;
		cr_assert_eq(read_file(sp, &text, &len), 0);
		cr_assert(!strncmp(text, "@OL1 hello 0 ", 13), "%s: the stream starts %.40s", ids[i], text);
		cr_assert_not_null(strstr(text, "Linux version"), "%s: no boot log in the warm stream", ids[i]);
		free(text);
		free(sp);
		key[i] = xstrdup(str(wt, "snapshot"));
		built += json_is_number(json_object_get(wt, "snapshot_build_s"));
		cold_start += timing(c, "vm_start_to_workload_s");
		warm_start += timing(w, "vm_start_to_workload_s");
		json_decref(c);
		json_decref(w);
	}
	/* one snapshot for the two disk cells (one built it, the other waited
	 * for it), one for zram */
	cr_assert_str_eq(key[0], key[1]);
	cr_assert_str_neq(key[0], key[2]);
	cr_assert_eq(built, 2, "%d cells built a snapshot", built);
	char *pat = xasprintf("%s/*.state", snaps);
	glob_t g;
	cr_assert_eq(glob(pat, 0, NULL, &g), 0);
	cr_assert_eq(g.gl_pathc, 2);
	globfree(&g);
	/* the point of it: the workload starts sooner */
	cr_assert(warm_start < 0.6 * cold_start, "VM start to workload: warm %.2f s, cold %.2f s",
		  warm_start / 3, cold_start / 3);
	for (size_t i = 0; i < 3; i++)
		free((char *)key[i]);
	free(pat);
	free(snaps);
	free(cold);
	free(warm);
}

/* The snapshot cache stays under OOMLAB_SNAPSHOT_CACHE_MB: with a cap
 * below one snapshot, every build removes the others (least recently used
 * first), the run still passes (a cell whose snapshot went away before it
 * opened it boots cold), and one snapshot is left. */
Test(warm, snapshot_cache_is_pruned_to_its_cap)
{
	char *snaps = xasprintf("%s/snapshots", tmpdir);
	setenv("OOMLAB_SNAPSHOTS", snaps, 1);
	setenv("OOMLAB_SNAPSHOT_CACHE_MB", "1", 1);
	char *out = run("capped", 0);
	unsetenv("OOMLAB_SNAPSHOT_CACHE_MB");
	unsetenv("OOMLAB_SNAPSHOTS");
	int warm = 0;
	for (size_t i = 0; i < 3; i++) {
		json_t *c = cell(out, ids[i]);
		cr_assert_str_eq(str(c, "verdict"), "PASS", "%s", ids[i]);
		warm += !strcmp(str(json_object_get(c, "timings"), "start"), "warm");
		json_decref(c);
	}
	cr_assert_geq(warm, 1, "no cell started warm");
	char *pat = xasprintf("%s/*.state", snaps);
	glob_t g;
	cr_assert_eq(glob(pat, 0, NULL, &g), 0);
	cr_assert_eq(g.gl_pathc, 1, "%zu snapshots left under a 1 MB cap", g.gl_pathc);
	globfree(&g);
	free(pat);
	free(out);
	free(snaps);
}

/* ---- repeated cells; restores that crash ---- */

#define REPEAT 4

static const char repeated[] =
	"{\"name\": \"spread\", \"timeout_s\": 60, \"repeat\": 4, \"base\": {\"ram_mb\": 128},"
	" \"cells\": [{\"name\": \"touch\", \"workloads\": [\"touch\"]}]}";

static const char single[] =
	"{\"name\": \"single\", \"timeout_s\": 60, \"base\": {\"ram_mb\": 128},"
	" \"cells\": [{\"name\": \"touch\", \"workloads\": [\"touch\"]}]}";

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The MB reached of the REPEAT cells of a run, sorted; their endpoints
 * must all be want. */
static void spread(const char *dir, const char *want, double *mb)
{
	for (int i = 0; i < REPEAT; i++) {
		char *id = xasprintf("touch-r%d", i + 1);
		json_t *c = cell(dir, id);
		cr_assert_str_eq(str(c, "verdict"), "PASS", "%s %s: %s", dir, id, str(c, "verdict_reason"));
		cr_assert_str_eq(str(wl(c, 0), "endpoint"), want, "%s %s", dir, id);
		mb[i] = json_number_value(json_object_get(wl(c, 0), "mb_reached"));
		json_decref(c);
		free(id);
	}
	qsort(mb, REPEAT, sizeof *mb, by_value);
}

static char *slurp(const char *path)
{
	char *text = NULL;
	cr_assert_eq(read_file(path, &text, NULL), 0, "%s", path);
	return text;
}

Test(warm, repeated_cells_agree_and_crashed_restores_are_retried)
{
	char *snaps = xasprintf("%s/snapshots", tmpdir);
	setenv("OOMLAB_SNAPSHOTS", snaps, 1);
	setenv("OOMLAB_SNAPSHOT_CRASH_LIMIT", "0", 1); /* the crashes are the test's: no quarantine */
	char *cold = run_m(repeated, "spread-cold", 1);
	/* every cell's first restore is made to crash the guest's kernel */
	setenv("OOMLAB_FAULT_WARM_PANIC", "1", 1);
	char *warm = run_m(repeated, "spread-warm", 0);
	/* both restores: the cell boots cold */
	setenv("OOMLAB_FAULT_WARM_PANIC", "2", 1);
	char *both = run_m(single, "single", 0);
	unsetenv("OOMLAB_FAULT_WARM_PANIC");
	unsetenv("OOMLAB_SNAPSHOT_CRASH_LIMIT");
	unsetenv("OOMLAB_SNAPSHOTS");

	/* the same spread: one endpoint, and the MB reached of each run
	 * within the other's range widened by 5% (repeats of this cell
	 * spread by 1-3%), medians within 5% */
	double c[REPEAT], w[REPEAT];
	spread(cold, "oom_killed", c);
	spread(warm, "oom_killed", w);
	for (int i = 0; i < REPEAT; i++) {
		cr_assert(w[i] >= 0.95 * c[0] && w[i] <= 1.05 * c[REPEAT - 1],
			  "warm %.1f MB outside the cold range %.1f..%.1f", w[i], c[0], c[REPEAT - 1]);
		cr_assert(c[i] >= 0.95 * w[0] && c[i] <= 1.05 * w[REPEAT - 1],
			  "cold %.1f MB outside the warm range %.1f..%.1f", c[i], w[0], w[REPEAT - 1]);
	}
	double mc = (c[1] + c[2]) / 2, mw = (w[1] + w[2]) / 2;
	cr_assert(fabs(mw - mc) <= 0.05 * mc, "medians: cold %.1f MB, warm %.1f MB", mc, mw);

	/* each warm cell: restored again after its first restore crashed */
	for (int i = 0; i < REPEAT; i++) {
		char *id = xasprintf("touch-r%d", i + 1);
		json_t *cw = cell(warm, id);
		json_t *t = json_object_get(cw, "timings"), *fb = json_object_get(t, "warm_fallback");
		cr_assert_str_eq(str(t, "start"), "warm", "%s", id);
		cr_assert(json_is_object(fb), "%s: no warm_fallback", id);
		cr_assert_eq(json_integer_value(json_object_get(fb, "restore_failures")), 1, "%s", id);
		cr_assert_str_eq(str(fb, "reason"), "restore 1: the kernel panicked after the restore, before the "
						    "agent's hello: sysrq triggered crash");
		cr_assert_not_null(strstr(str(fb, "console"), "Kernel panic - not syncing: sysrq triggered crash"),
				   "%s: %s", id, str(fb, "console"));
		/* what the failed restore printed is not in the cell's console */
		char *cp = xasprintf("%s/cells/%s.console.log", warm, id), *text = slurp(cp);
		cr_assert_null(strstr(text, "sysrq triggered crash"), "%s", id);
		free(text);
		free(cp);
		json_decref(cw);
		free(id);
	}
	char *rp = xasprintf("%s/run.json", warm);
	json_error_t je;
	json_t *rj = json_load_file(rp, 0, &je);
	cr_assert_not_null(rj, "%s", je.text);
	json_t *sum = json_object_get(rj, "summary");
	cr_assert_eq(json_integer_value(json_object_get(sum, "restore_failures")), REPEAT);
	cr_assert_eq(json_integer_value(json_object_get(sum, "PASS")), REPEAT);
	json_t *row = json_array_get(json_object_get(rj, "cells"), 0);
	cr_assert_eq(json_integer_value(json_object_get(row, "restore_failures")), 1);
	json_decref(rj);
	char *log = xasprintf("%s/spread-warm.log", tmpdir), *text = slurp(log);
	cr_assert_not_null(strstr(text, "; 4 warm restores failed and were retried"), "%s", text);
	free(text);
	free(log);
	free(rp);

	/* two crashes: the cell boots cold, and still gives its result */
	json_t *cb = cell(both, "touch");
	json_t *t = json_object_get(cb, "timings"), *fb = json_object_get(t, "warm_fallback");
	cr_assert_str_eq(str(t, "start"), "cold");
	cr_assert_str_eq(str(cb, "verdict"), "PASS", "%s", str(cb, "verdict_reason"));
	cr_assert_str_eq(str(wl(cb, 0), "endpoint"), "oom_killed");
	cr_assert_eq(json_integer_value(json_object_get(fb, "restore_failures")), 2);
	cr_assert_not_null(strstr(str(fb, "reason"), "; restore 2: the kernel panicked after the restore"),
			   "%s", str(fb, "reason"));
	json_decref(cb);
	free(both);
	free(cold);
	free(warm);
	free(snaps);
}

/* ---- the snapshot's RAM file (docs/warm-starts.md#the-snapshots-ram) ---- */

static char *sha_of(const char *path)
{
	struct sha256 h;
	char d[65];
	sha256_init(&h);
	cr_assert_eq(sha256_file(&h, path), 0, "%s", path);
	sha256_hex(&h, d);
	return xstrdup(d);
}

static const char *warm_key(const char *dir)
{
	json_t *c = cell(dir, "touch");
	json_t *t = json_object_get(c, "timings");
	cr_assert_str_eq(str(t, "start"), "warm", "%s: fell back: %s", dir, str(t, "warm_fallback"));
	cr_assert_str_eq(str(c, "verdict"), "PASS", "%s: %s", dir, str(c, "verdict_reason"));
	cr_assert_str_eq(str(wl(c, 0), "endpoint"), "oom_killed", "%s", dir);
	const char *k = xstrdup(str(t, "snapshot"));
	json_decref(c);
	return k;
}

/* With OOMLAB_FAST=ram, a restored guest that fills its memory (touch to
 * the OOM kill) leaves the snapshot's RAM file as it was (the mapping is
 * private); the state beside it holds the devices only. By default the
 * copying kind is restored, a snapshot of its own, still warm. */
Test(warm, restores_never_write_the_snapshots_ram)
{
	char *snaps = xasprintf("%s/snapshots", tmpdir);
	setenv("OOMLAB_SNAPSHOTS", snaps, 1);
	setenv("OOMLAB_SNAPSHOT_CHECKS", "1", 1); /* the checks are not what this tests */
	unsetenv("OOMLAB_NO_FAST");
	setenv("OOMLAB_FAST", "ram", 1);
	char *first = run_m(single, "ram-first", 0);
	const char *key = warm_key(first);
	char *ram = xasprintf("%s/%s.ram", snaps, key), *state = xasprintf("%s/%s.state", snaps, key);
	char *meta = xasprintf("%s/%s.json", snaps, key);
	struct stat r0, s0, m0;
	cr_assert_eq(stat(ram, &r0), 0, "no %s", ram);
	cr_assert_eq(stat(state, &s0), 0);
	cr_assert_eq(stat(meta, &m0), 0);
	cr_assert_eq(r0.st_size, 128LL << 20, "the RAM file is the guest's 128 MiB");
	cr_assert_lt(s0.st_size, 4LL << 20, "the state holds the devices only: %lld bytes", (long long)s0.st_size);
	char *sha0 = sha_of(ram);
	json_error_t je;
	json_t *mj = json_load_file(meta, 0, &je);
	cr_assert_not_null(mj, "%s", je.text);
	cr_assert_str_eq(str(mj, "format"), "oomlab-snapshot/3");
	cr_assert_str_eq(str(mj, "ram"), "file");
	json_decref(mj);
	/* no restore wrote it: not the first cell's (after the snapshot's
	 * json), not a second one's */
	cr_assert(r0.st_mtim.tv_sec < m0.st_mtim.tv_sec ||
		  (r0.st_mtim.tv_sec == m0.st_mtim.tv_sec && r0.st_mtim.tv_nsec <= m0.st_mtim.tv_nsec),
		  "the RAM file changed after its snapshot was made");
	char *second = run_m(single, "ram-second", 0);
	const char *key2 = warm_key(second);
	cr_assert_str_eq(key2, key);
	struct stat r1;
	cr_assert_eq(stat(ram, &r1), 0);
	cr_assert_eq(r1.st_mtim.tv_sec, r0.st_mtim.tv_sec);
	cr_assert_eq(r1.st_mtim.tv_nsec, r0.st_mtim.tv_nsec);
	char *sha1 = sha_of(ram);
	cr_assert_str_eq(sha1, sha0, "a restored guest's writes reached the snapshot's RAM file");

	/* the copying path, the default: its own snapshot, the RAM in its state */
	unsetenv("OOMLAB_FAST");
	char *copied = run_m(single, "ram-copied", 0);
	const char *key3 = warm_key(copied);
	cr_assert_str_neq(key3, key);
	char *ram3 = xasprintf("%s/%s.ram", snaps, key3), *state3 = xasprintf("%s/%s.state", snaps, key3);
	struct stat s3;
	cr_assert(!path_exists(ram3));
	cr_assert_eq(stat(state3, &s3), 0);
	cr_assert_gt(s3.st_size, 8LL << 20, "the copying kind's state holds the RAM: %lld bytes",
		     (long long)s3.st_size);
	cr_assert(path_exists(state), "both kinds sit in the cache side by side");
	unsetenv("OOMLAB_SNAPSHOT_CHECKS");
	unsetenv("OOMLAB_SNAPSHOTS");
	free((char *)key);
	free((char *)key2);
	free((char *)key3);
	free(ram3);
	free(state3);
	free(sha0);
	free(sha1);
	free(ram);
	free(state);
	free(meta);
	free(first);
	free(second);
	free(copied);
	free(snaps);
}
