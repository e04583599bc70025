// SPDX-License-Identifier: GPL-2.0-or-later
/* frag in real VMs: the article's fragmented1.c (pattern hole) against
 * fragmented2.c (pattern lifo) in one 256 MiB guest, one after the other,
 * and a schedule file replayed in the guest. Each test writes its matrix
 * into its own temp dir (removed in .fini, also when an assertion fails),
 * runs the ASan build of oomlab on it and reads the cell report. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/spawn.h"
#include "itest.h"
#include "lib/util.h"

TestSuite(wl_frag, .init = setup, .fini = teardown, .timeout = 100);

/* The article: the same requests waste far more when the freed block sits
 * between two live ones than when it is the newest. */
Test(wl_frag, hole_wastes_ten_times_lifo_in_the_guest)
{
	json_t *cell;
	char *out;
	int code = run_matrix(
		"{\"name\":\"frag\",\"timeout_s\":60,\"mode\":\"sequence\","
		"\"cells\":[{\"name\":\"hole vs lifo\",\"ram_mb\":256,\"swap_mb\":0,\"workloads\":["
		"{\"name\":\"frag\",\"options\":{\"pattern\":\"hole\",\"size_kb\":32,\"count\":512}},"
		"{\"name\":\"frag\",\"options\":{\"pattern\":\"lifo\",\"size_kb\":32,\"count\":512}}]}]}",
		&cell, &out);
	json_t *h = wl(cell, 0), *l = wl(cell, 1);
	cr_expect_eq(code, 0, "exit code %d, verdict %s: %s", code, str(cell, "verdict"),
		     str(cell, "verdict_reason"));
	cr_assert_str_eq(reason(h), "done");
	cr_assert_str_eq(reason(l), "done");
	cr_assert_str_eq(str(h, "endpoint"), "exit");
	cr_assert_str_eq(str(l, "endpoint"), "exit");
	cr_assert_str_eq(str(json_object_get(h, "metrics"), "pattern"), "hole");
	cr_assert_str_eq(str(json_object_get(l, "metrics"), "pattern"), "lifo");
	/* the same requests: the same bytes in use at the end */
	long long used = 512LL * (3 * 32768 + 16) + 48LL * (511 * 512 / 2);
	cr_assert_eq(mint(h, "used_bytes"), used);
	cr_assert_eq(mint(l, "used_bytes"), used);
	cr_assert_eq(mint(h, "mallocs"), 2048);
	cr_assert_eq(mint(l, "frees"), 512);
	double rh = mreal(h, "waste_ratio"), rl = mreal(l, "waste_ratio");
	cr_log_info("hole: given %lld used %lld waste %lld ratio %.4f; lifo: given %lld waste %lld ratio %.4f",
		    mint(h, "given_bytes"), used, mint(h, "waste_bytes"), rh, mint(l, "given_bytes"),
		    mint(l, "waste_bytes"), rl);
	cr_assert_gt(rh, 0.2, "hole waste ratio %.4f", rh);
	cr_assert_geq(rh, 10 * rl, "hole %.4f vs lifo %.4f: not a 10x gap", rh, rl);
	cr_assert_eq(mint(h, "given_bytes") - used, mint(h, "waste_bytes"));
	cr_assert_geq(mint(h, "free_chunks"), 500);
	cr_assert_eq(mint(l, "free_chunks"), 0);
	/* the holes were written before they were freed: they are resident */
	cr_assert_gt(mint(h, "vmrss_bytes"), mint(l, "vmrss_bytes") + 10LL * 1024 * 1024);
	/* MB reached is what the heap was given */
	json_t *mb = json_object_get(h, "mb_reached");
	cr_assert(json_is_number(mb));
	cr_assert_lt(fabs(json_number_value(mb) - (double)mint(h, "given_bytes") / 1048576.0), 0.01);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(h, "result"), "bytes")),
		     mint(h, "given_bytes"));
	validate(out);
	json_decref(cell);
	free(out);
}

/* A committed schedule file, copied into the guest and replayed; then a
 * broken one, refused with the line it broke on. */
Test(wl_frag, schedule_file_replayed_in_the_guest)
{
	/* a copy beside the matrix, named by its absolute path: a matrix
	 * names files only in its own dir (docs/matrix.md) */
	char *golden = xasprintf("%s/tests/golden/schedules/hole-small.sched", root());
	char *text = NULL;
	size_t len = 0;
	cr_assert_eq(read_file(golden, &text, &len), 0, "%s", golden);
	free(golden);
	char *sched = xasprintf("%s/hole-small.sched", tmpdir);
	cr_assert_eq(write_file_atomic(sched, text, len), 0);
	const char *exp = strstr(text, "# expect:");
	cr_assert_not_null(exp);
	long long ops = -1, mallocs = -1, frees = -1, reallocs = -1, blocks = -1, used = -1;
	cr_assert_eq(sscanf(exp,
			    "# expect: ops=%lld mallocs=%lld frees=%lld reallocs=%lld live_blocks=%lld "
			    "used_bytes=%lld",
			    &ops, &mallocs, &frees, &reallocs, &blocks, &used),
		     6);
	free(text);
	char *bad = xasprintf("%s/broken.sched", tmpdir);
	static const char broken[] = "m 1 4096\n# a comment\nf 2\n";
	cr_assert_eq(write_file_atomic(bad, broken, sizeof broken - 1), 0);
	char *m = xasprintf(
		"{\"name\":\"frag-file\",\"timeout_s\":60,\"mode\":\"sequence\","
		"\"cells\":[{\"name\":\"schedule file\",\"ram_mb\":256,\"workloads\":["
		"{\"name\":\"frag\",\"options\":{\"pattern\":\"file\",\"schedule\":\"%s\"}},"
		"{\"name\":\"frag\",\"options\":{\"pattern\":\"file\",\"schedule\":\"broken.sched\"}}]}]}",
		sched);
	json_t *cell;
	char *out;
	run_matrix(m, &cell, &out);
	json_t *w = wl(cell, 0), *b = wl(cell, 1);
	cr_assert_str_eq(reason(w), "done");
	cr_assert_str_eq(str(json_object_get(w, "metrics"), "pattern"), "file");
	cr_assert_eq(mint(w, "ops"), ops);
	cr_assert_eq(mint(w, "ops_total"), ops);
	cr_assert_eq(mint(w, "mallocs"), mallocs);
	cr_assert_eq(mint(w, "frees"), frees);
	cr_assert_eq(mint(w, "reallocs"), reallocs);
	cr_assert_eq(mint(w, "live_blocks"), blocks);
	cr_assert_eq(mint(w, "used_bytes"), used);
	cr_assert_geq(mint(w, "given_bytes"), used);
	/* the broken file: exit 2, reason bad_schedule */
	cr_assert_str_eq(reason(b), "bad_schedule");
	cr_assert_eq(mint(b, "error_line"), 3); /* "f 2": slot 2 is empty */
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(b, "exit"), "code")), 2);
	validate(out);
	json_decref(cell);
	free(out);
	free(m);
	free(bad);
	free(sched);
}
