// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab fuzz-knobs: the same seed samples the same cells, from the axes'
 * ranges (not only the listed values) and never an excluded one; a FAIL
 * found in a real VM is written as a one-cell matrix that loads, runs and
 * fails again the same way, and its behaviour signature puts it in the
 * corpus, and its search page counts it; a corpus loaded with --corpus is
 * mutated (exactly, for a seed), and --random ignores it. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"
#include "lib/spawn.h"
#include "lib/util.h"

TestSuite(fuzzknobs, .init = setup, .fini = teardown, .timeout = 200);

/* alloc stops at max_mb with endpoint exit; expect says enomem: every
 * cell is a FAIL (an oracle disagreement) without depending on the kernel */
static const char matrix[] =
	"{\"name\": \"fk\", \"timeout_s\": 60,\n"
	" \"base\": {\"ram_mb\": 256},\n"
	" \"axes\": {\"swappiness\": [0, 200], \"overcommit_memory\": [0, 2], \"overcommit_ratio\": [25, 100]},\n"
	" \"exclude\": [{\"overcommit_memory\": 1}],\n"
	" \"workloads\": [{\"name\": \"alloc\", \"options\": {\"max_mb\": 8}, \"expect\": \"enomem\"}]}\n";

/* oomlab fuzz-knobs ARGS... (NULL-terminated); exit code, output in log */
static int fuzz_knobs(const char *out, ...)
{
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *mpath = xasprintf("%s/m.json", tmpdir);
	char *log = xasprintf("%s/fk.log", tmpdir);
	cr_assert_eq(write_file_atomic(mpath, matrix, strlen(matrix)), 0);
	char *argv[16] = {bin, "fuzz-knobs", mpath, "-o", (char *)out};
	va_list ap;
	va_start(ap, out);
	for (int i = 5; i < 15 && (argv[i] = va_arg(ap, char *)); i++)
		;
	va_end(ap);
	FILE *lf = fopen(log, "w");
	cr_assert_not_null(lf);
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, fileno(lf), fileno(lf)};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, 170 * 1000, &st), 0, "fuzz-knobs did not finish in time");
	fclose(lf);
	char *text = NULL;
	read_file(log, &text, NULL);
	cr_log_info("fuzz-knobs output:\n%s", text ? text : "");
	free(text);
	cr_assert(WIFEXITED(st), "fuzz-knobs died: %s", status_str(st));
	free(bin);
	free(mpath);
	free(log);
	return WEXITSTATUS(st);
}

static json_t *sampled(const char *out)
{
	char *p = xasprintf("%s/sampled.json", out);
	json_error_t je;
	json_t *j = json_load_file(p, 0, &je);
	cr_assert_not_null(j, "%s: %s", p, je.text);
	free(p);
	return json_object_get(j, "cells") ? j : NULL;
}

Test(fuzzknobs, same_seed_same_cells_from_the_ranges)
{
	char *d1 = xasprintf("%s/a", tmpdir), *d2 = xasprintf("%s/b", tmpdir), *d3 = xasprintf("%s/c", tmpdir);
	cr_assert_eq(fuzz_knobs(d1, "--seed", "7", "--cells", "12", "--dry-run", NULL), 0);
	cr_assert_eq(fuzz_knobs(d2, "--seed", "7", "--cells", "12", "--dry-run", NULL), 0);
	cr_assert_eq(fuzz_knobs(d3, "--seed", "8", "--cells", "12", "--dry-run", NULL), 0);
	json_t *a = sampled(d1), *b = sampled(d2), *c = sampled(d3);
	json_t *ca = json_object_get(a, "cells"), *cb = json_object_get(b, "cells"), *cc = json_object_get(c, "cells");
	cr_assert_eq(json_array_size(ca), 12);
	cr_assert(json_equal(ca, cb), "seed 7 sampled different cells twice");
	cr_assert_not(json_equal(ca, cc), "seeds 7 and 8 sampled the same cells");
	int unlisted = 0;
	size_t i;
	json_t *e;
	json_array_foreach(ca, i, e) {
		json_t *k = json_object_get(e, "knobs");
		long long sw = json_integer_value(json_object_get(k, "swappiness"));
		long long om = json_integer_value(json_object_get(k, "overcommit_memory"));
		long long ra = json_integer_value(json_object_get(k, "overcommit_ratio"));
		cr_assert(sw >= 0 && sw <= 200, "swappiness %lld outside [0, 200]", sw);
		cr_assert(ra >= 25 && ra <= 100, "overcommit_ratio %lld outside [25, 100]", ra);
		cr_assert(om == 0 || om == 2, "overcommit_memory %lld: excluded or outside the range", om);
		unlisted += sw != 0 && sw != 200;
	}
	cr_assert_gt(unlisted, 0, "every swappiness was one of the listed values");
	/* the same cells whatever the count asked for: a prefix */
	char *d4 = xasprintf("%s/d", tmpdir);
	cr_assert_eq(fuzz_knobs(d4, "--seed", "7", "--cells", "3", "--dry-run", NULL), 0);
	json_t *p = sampled(d4);
	for (i = 0; i < 3; i++)
		cr_assert(json_equal(json_array_get(json_object_get(p, "cells"), i), json_array_get(ca, i)));
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(p);
	free(d1);
	free(d2);
	free(d3);
	free(d4);
}

Test(fuzzknobs, a_fail_becomes_a_matrix_that_fails_again)
{
	char *d = xasprintf("%s/run", tmpdir);
	cr_assert_eq(fuzz_knobs(d, "--seed", "5", "--cells", "1", "--budget", "1s", "-j", "1", NULL), 1,
		     "a FAIL cell: exit 1");
	json_t *s = sampled(d);
	json_t *e = json_array_get(json_object_get(s, "cells"), 0);
	cr_assert_str_eq(str(e, "verdict"), "FAIL");
	const char *repro = str(e, "repro");
	char *text = NULL;
	cr_assert_eq(read_file(repro, &text, NULL), 0, "no repro matrix %s", repro);
	/* the repro runs on its own (itest's run_matrix: a fresh dir) */
	json_t *cell = NULL;
	cr_assert_eq(run_matrix(text, &cell, NULL), 1, "the repro must FAIL again");
	cr_assert_str_eq(str(cell, "verdict"), "FAIL");
	json_t *sw = knob(cell, "swappiness");
	cr_assert_not_null(sw);
	long long want = json_integer_value(json_object_get(json_object_get(e, "knobs"), "swappiness"));
	cr_assert_str_eq(str(sw, "status"), "ok");
	char wanttxt[32];
	snprintf(wanttxt, sizeof wanttxt, "%lld", want);
	cr_assert_str_eq(str(sw, "got"), wanttxt, "the repro set the sampled swappiness in the guest");
	/* its behaviour signature, new, and so in the corpus */
	const char *h = str(e, "signature_hash");
	cr_assert_eq(strlen(h), 16, "signature_hash %s", h);
	cr_assert(strstr(str(e, "signature"), "endpoints alloc:exit\n"), "%s", str(e, "signature"));
	cr_assert(json_is_true(json_object_get(e, "new")));
	cr_assert_eq(json_integer_value(json_object_get(s, "distinct_signatures")), 1);
	cr_assert_str_eq(str(s, "search"), "guided");
	char *cp = xasprintf("%s/corpus/%s.json", d, h);
	cr_assert_eq(access(cp, R_OK), 0, "no corpus entry %s", cp);
	free(cp);
	/* an oracle FAIL without a finding: listed with no findings, not
	 * minimised; the run's settings at the top */
	cr_assert(json_is_array(json_object_get(e, "findings")) && !json_array_size(json_object_get(e, "findings")));
	cr_assert_null(json_object_get(e, "minimize"));
	cr_assert_str_eq(str(s, "dir"), d);
	cr_assert_eq(json_integer_value(json_object_get(s, "jobs")), 1);
	cr_assert(json_is_null(json_object_get(s, "kernel")));
	cr_assert_eq(strlen(str(s, "matrix_digest")), 16);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(s, "minimize"), "k")), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(s, "minimize"), "n")), 3);
	/* the search page, written after the batch */
	char *pp = xasprintf("%s/search.html", d), *page = NULL;
	cr_assert_eq(read_file(pp, &page, NULL), 0, "no %s", pp);
	cr_assert(strstr(page, "<tr><th>cells run</th><td class=\"n\">1</td></tr>"), "%s", page);
	cr_assert(strstr(page, "<tr><th>FAIL cells</th><td class=\"n\">1</td></tr>"));
	cr_assert(strstr(page, "<tr class=\"sigs\"><td>guided, seed 5 (this run): signatures</td>"
			       "<td class=\"n\">1</td></tr>"));
	free(page);
	free(pp);
	json_decref(cell);
	json_decref(s);
	free(text);
	free(d);
}

/* --against names a fuzz-knobs dir; --minimize-runs K/N with K <= N;
 * --dry-run writes no page. No VM. */
Test(fuzzknobs, against_and_minimize_runs_are_checked)
{
	char *d = xasprintf("%s/ok", tmpdir), *bad = xasprintf("%s/bad", tmpdir);
	char *page = xasprintf("%s/ok/search.html", tmpdir);
	cr_assert_eq(fuzz_knobs(d, "--seed", "1", "--cells", "1", "--dry-run", "--no-minimize", NULL), 0);
	cr_assert_neq(access(page, F_OK), 0, "--dry-run wrote %s", page);
	json_t *s = sampled(d);
	cr_assert(json_is_null(json_object_get(s, "minimize")), "--no-minimize: minimize null");
	json_decref(s);
	cr_assert_eq(fuzz_knobs(bad, "--cells", "1", "--dry-run", "--against", tmpdir, NULL), 2,
		     "--against a dir without sampled.json");
	cr_assert_eq(fuzz_knobs(bad, "--cells", "1", "--dry-run", "--against", d, NULL), 0);
	cr_assert_eq(fuzz_knobs(bad, "--cells", "1", "--dry-run", "--minimize-runs", "3/2", NULL), 2);
	cr_assert_eq(fuzz_knobs(bad, "--cells", "1", "--dry-run", "--minimize-runs", "1/1", NULL), 0);
	s = sampled(bad);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(s, "minimize"), "n")), 1);
	json_decref(s);
	free(d);
	free(bad);
	free(page);
}

Test(fuzzknobs, a_matrix_without_axes_is_a_usage_error)
{
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *mpath = xasprintf("%s/cells.json", tmpdir);
	const char *m = "{\"cells\": [{\"name\": \"x\", \"workloads\": [\"alloc\"]}]}";
	cr_assert_eq(write_file_atomic(mpath, m, strlen(m)), 0);
	char *log = xasprintf("%s/err.txt", tmpdir), *text = NULL;
	char *argv[] = {bin, "fuzz-knobs", mpath, "--dry-run", "--cells", "1", NULL};
	FILE *lf = fopen(log, "w");
	cr_assert_not_null(lf);
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, SPAWN_DEVNULL, fileno(lf)};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, 30000, &st), 0);
	fclose(lf);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 2, "exit %s", status_str(st));
	cr_assert_eq(read_file(log, &text, NULL), 0);
	char *want = xasprintf("oomlab: %s: axes: ", mpath);
	cr_assert(strstr(text, want), "the message names the file and the key: %s", text);
	free(want);
	free(text);
	free(log);
	free(bin);
	free(mpath);
}

/* A corpus cell of matrix fk: the guided search mutates it (the same
 * cells for the same seed: drawn from the seed, the index and the corpus),
 * one cell in four is sampled; --random samples every cell exactly as a
 * run without a corpus. No VM: --dry-run. */
Test(fuzzknobs, a_corpus_is_mutated_and_random_ignores_it)
{
	char *cdir = xasprintf("%s/corpus", tmpdir);
	cr_assert_eq(mkdir_p(cdir, 0755), 0);
	static const char entry[] =
		"{\"matrix\": \"fk\", \"hash\": \"0123456789abcdef\", \"signature\": \"endpoints alloc:exit\\n\",\n"
		" \"cell\": {\"ram_mb\": 256, \"swappiness\": 60, \"overcommit_memory\": 0, \"overcommit_ratio\": 50,\n"
		"          \"workloads\": [{\"name\": \"alloc\", \"options\": {\"max_mb\": 8}, \"expect\": \"enomem\"}]}}\n";
	char *ep = xasprintf("%s/0123456789abcdef.json", cdir);
	cr_assert_eq(write_file_atomic(ep, entry, strlen(entry)), 0);
	char *g1 = xasprintf("%s/g1", tmpdir), *g2 = xasprintf("%s/g2", tmpdir);
	char *r = xasprintf("%s/r", tmpdir), *plain = xasprintf("%s/plain", tmpdir);
	cr_assert_eq(fuzz_knobs(g1, "--seed", "7", "--cells", "6", "--dry-run", "--corpus", cdir, NULL), 0);
	cr_assert_eq(fuzz_knobs(g2, "--seed", "7", "--cells", "6", "--dry-run", "--corpus", cdir, NULL), 0);
	cr_assert_eq(fuzz_knobs(r, "--seed", "7", "--cells", "6", "--dry-run", "--random", "--corpus", cdir, NULL), 0);
	cr_assert_eq(fuzz_knobs(plain, "--seed", "7", "--cells", "6", "--dry-run", NULL), 0);
	json_t *a = sampled(g1), *b = sampled(g2), *rr = sampled(r), *p = sampled(plain);
	cr_assert(json_equal(json_object_get(a, "cells"), json_object_get(b, "cells")), "same seed, other cells");
	cr_assert(json_equal(json_object_get(rr, "cells"), json_object_get(p, "cells")), "--random used the corpus");
	struct buf got = {0};
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(a, "cells"), i, e) {
		json_t *o = json_object_get(e, "origin");
		if (o)
			buf_printf(&got, "%zu %s %s: %s\n", i, str(o, "parent"), str(o, "mutation"), str(o, "change"));
		else
			buf_printf(&got, "%zu sampled\n", i);
	}
	cr_assert_str_eq(got.data,
			 "0 0123456789abcdef start-delay: workloads[0] (alloc) start_delay_ms 0 -> 2000\n"
			 "1 sampled\n"
			 "2 0123456789abcdef start-delay: workloads[0] (alloc) start_delay_ms 0 -> 1000\n"
			 "3 0123456789abcdef workload-option: workloads[0] (alloc) block_kb 1024 -> 2048\n"
			 "4 0123456789abcdef workload-option: workloads[0] (alloc) max_mb 8 -> 16\n"
			 "5 0123456789abcdef workload-option: workloads[0] (alloc) hold_ms 0 -> 64\n",
			 "\n%s", got.data);
	/* the loaded entry is in the run's own corpus too */
	char *copy = xasprintf("%s/corpus/0123456789abcdef.json", g1);
	cr_assert_eq(access(copy, R_OK), 0, "%s", copy);
	free(copy);
	buf_free(&got);
	json_decref(a);
	json_decref(b);
	json_decref(rr);
	json_decref(p);
	free(g1);
	free(g2);
	free(r);
	free(plain);
	free(ep);
	free(cdir);
}
