// SPDX-License-Identifier: GPL-2.0-or-later
/* The exec workload end to end, on Debian 6.1 and 6.12, in one cell per
 * kernel (a sequence of five programs of the host):
 *   0  examples/programs/protocol (dynamic: libc and the loader carried), at
 *      rlimit_as_mb 256 and oom_score_adj 100: exit, PASS; MB reached and
 *      metrics from its protocol lines (docs/workload-protocol.md)
 *   1  /bin/sh protocol.sh (the script carried by "files"): the same from
 *      a shell script
 *   2  /bin/sh -c 'echo ...; exit 3' with an env variable: failed, exit
 *      code 3, its output in the report, the FAIL's reason
 *   3  /bin/sh -c 'exit 7' with ok_exit 7: exit, PASS
 *   4  examples/programs/leak in a memory cgroup of 48 MiB, expected
 *      oom_killed: the group's OOM kill matched to its pid
 * The run FAILs (workload 2, on purpose), exit 1. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "itest.h"
#include "lib/spawn.h"
#include "lib/util.h"

TestSuite(wl_exec, .init = setup, .fini = teardown, .timeout = 240);

static const char matrix[] =
	"{\"name\":\"exec\",\"timeout_s\":60,\"mode\":\"sequence\","
	"\"base\":{\"ram_mb\":192,\"cgroup.app.memory.max\":48},"
	"\"axes\":{\"kernel\":[\"linux-image-6.1.0-57-amd64\",\"linux-image-6.12-amd64\"]},"
	"\"workloads\":["
	"{\"name\":\"exec\",\"options\":{\"path\":\"%s/examples/programs/protocol\"},"
	"\"rlimit_as_mb\":256,\"oom_score_adj\":100},"
	"{\"name\":\"exec\",\"options\":{\"path\":\"/bin/sh\",\"args\":[\"protocol.sh\"],"
	"\"files\":[\"protocol.sh\"]}},"
	"{\"name\":\"exec\",\"options\":{\"path\":\"/bin/sh\","
	"\"args\":[\"-c\",\"echo greeting=$GREETING; echo giving up >&2; exit 3\"],"
	"\"env\":{\"GREETING\":\"hello world\"}}},"
	"{\"name\":\"exec\",\"options\":{\"path\":\"/bin/sh\",\"args\":[\"-c\",\"exit 7\"],\"ok_exit\":7}},"
	"{\"name\":\"exec\",\"options\":{\"path\":\"%s/examples/programs/leak\","
	"\"args\":[\"--step-mb\",\"8\",\"--interval-ms\",\"0\"]},\"cgroup\":\"app\",\"expect\":\"oom_killed\"}"
	"]}";

/* a string that ends with tail */
static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail);
}

Test(wl_exec, programs_of_the_host_end_exit_failed_and_oom_killed_on_two_kernels)
{
	char *m = xasprintf(matrix, root(), root());
	char *mp = xasprintf("%s/m.json", tmpdir);
	cr_assert_eq(write_file_atomic(mp, m, strlen(m)), 0);
	/* the script sits beside the matrix: a relative file */
	char *src = xasprintf("%s/examples/programs/protocol.sh", root()), *text = NULL;
	size_t tl = 0;
	cr_assert_eq(read_file(src, &text, &tl), 0, "%s", src);
	char *sp = xasprintf("%s/protocol.sh", tmpdir);
	cr_assert_eq(write_file_atomic(sp, text, tl), 0);
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *out = xasprintf("%s/run", tmpdir);
	char *progs = xasprintf("%s/examples/programs", root());
	char *argv[] = {bin,	       "run", mp, "-j", "2", "-o", out, "--allow-file", progs,
			"--allow-file", "/bin/sh", NULL};
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, SPAWN_DEVNULL, SPAWN_DEVNULL};
	int st;
	cr_assert_eq(run_argv(argv, &o, 200000, &st), 0);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1, "%s", status_str(st));

	const char *ids[] = {"kernel-linux-image-6-1-0-57-amd64", "kernel-linux-image-6-12-amd64"};
	for (int c = 0; c < 2; c++) {
		json_t *cell = load_cell(out, ids[c]);
		const char *id = ids[c];
		/* 0: the C program's figures, exactly as it printed them */
		json_t *w = wl(cell, 0);
		cr_expect_str_eq(str(w, "endpoint"), "exit", "%s", id);
		cr_expect_str_eq(str(w, "verdict"), "PASS", "%s", id);
		cr_expect_float_eq(json_real_value(json_object_get(w, "mb_reached")), 12.0, 1e-9, "%s", id);
		cr_expect_str_eq(str(w, "mb_source"), "result", "%s", id);
		cr_expect_eq(mint(w, "blocks"), 3, "%s", id);
		cr_expect_eq(mint(w, "block_mb"), 4, "%s", id);
		cr_expect_float_eq(mreal(w, "speed_mb_s"), 12.5, 1e-9, "%s", id);
		cr_expect_str_eq(reason(w), "done", "%s", id);
		json_t *ap = json_object_get(w, "applied");
		cr_expect_eq(json_integer_value(json_object_get(ap, "rlimit_as_mb")), 256, "%s", id);
		cr_expect_eq(json_integer_value(json_object_get(ap, "oom_score_adj")), 100, "%s", id);
		cr_expect_eq(json_integer_value(json_object_get(w, "ok_exit")), 0, "%s", id);
		/* 1: the shell script's */
		w = wl(cell, 1);
		cr_expect_str_eq(str(w, "endpoint"), "exit", "%s", id);
		cr_expect_float_eq(json_real_value(json_object_get(w, "mb_reached")), 2.0, 1e-9, "%s", id);
		cr_expect_eq(mint(w, "lines"), 4, "%s", id);
		cr_expect_eq(mint(w, "shell"), 1, "%s", id);
		/* 2: failed, with its code, its env and its output */
		w = wl(cell, 2);
		cr_expect_str_eq(str(w, "endpoint"), "failed", "%s", id);
		cr_expect_str_eq(str(w, "verdict"), "FAIL", "%s", id);
		cr_expect_eq(json_integer_value(json_object_get(json_object_get(w, "exit"), "code")), 3, "%s",
			     id);
		cr_expect_str_eq(str(w, "verdict_reason"),
				 "failed: exit code 3, not ok_exit 0; predicted exit; its last line: giving up",
				 "%s", id);
		json_t *outp = json_object_get(w, "output");
		const char *head = str(outp, "head");
		cr_expect(!strncmp(head, "oomlab-start workload=exec pid=", 31), "%s: %s", id, head);
		cr_expect(ends_with(head, " oom_score_adj=0\ngreeting=hello world\ngiving up\n"), "%s: %s", id,
			  head);
		cr_expect_eq(json_integer_value(json_object_get(outp, "bytes")), (long long)strlen(head), "%s",
			     id);
		cr_expect_str_eq(str(outp, "tail"), "", "%s", id);
		cr_expect_eq(json_integer_value(json_object_get(outp, "skipped_bytes")), 0, "%s", id);
		/* 3: its own ok_exit */
		w = wl(cell, 3);
		cr_expect_str_eq(str(w, "endpoint"), "exit", "%s", id);
		cr_expect_str_eq(str(w, "verdict"), "PASS", "%s", id);
		cr_expect_eq(json_integer_value(json_object_get(json_object_get(w, "exit"), "code")), 7, "%s",
			     id);
		cr_expect_eq(json_integer_value(json_object_get(w, "ok_exit")), 7, "%s", id);
		/* 4: the group's OOM kill, matched to the program's pid */
		w = wl(cell, 4);
		cr_expect_str_eq(str(w, "endpoint"), "oom_killed", "%s", id);
		cr_expect_str_eq(str(w, "verdict"), "PASS", "%s", id);
		json_t *ev = json_array_get(json_object_get(cell, "oom_events"),
					    (size_t)json_integer_value(json_object_get(w, "oom_event")));
		cr_assert_not_null(ev, "%s: no oom event", id);
		cr_expect_eq(json_integer_value(json_object_get(ev, "victim_pid")),
			     json_integer_value(json_object_get(w, "pid")), "%s", id);
		cr_expect_str_eq(str(json_object_get(ev, "memcg"), "oom_memcg"), "/app", "%s", id);
		/* carried as /data/prog4/leak: the kernel names it by its own name */
		cr_expect_str_eq(str(ev, "victim_comm"), "leak", "%s", id);
		cr_expect_str_eq(str(w, "child_comm"), "leak", "%s", id); /* its children's, if any */
		double mb = json_real_value(json_object_get(w, "mb_reached"));
		cr_expect(mb >= 24 && mb <= 48, "%s: %f MB", id, mb);
		cr_expect_str_eq(str(cell, "verdict"), "FAIL", "%s", id);
		json_decref(cell);
	}
	validate(out);
	free(progs);
	free(out);
	free(bin);
	free(sp);
	free(text);
	free(src);
	free(mp);
	free(m);
}

/* The two examples of the exec workload, as a user runs them (with the
 * --allow-file their descriptions name): every cell PASSes with the
 * endpoint it declares, on the default kernel. memtester's cells take
 * ~11 s and ~4 s under TCG, leak's ~4 s each. */
Test(wl_exec, the_examples_memtester_and_leak_pass)
{
	static const struct {
		const char *example, *allow;
		const char *ids[3], *endpoints[3];
	} ex[] = {
		{"memtester", NULL, {"overcommit-2", "memory-cgroup"}, {"exit", "oom_killed"}},
		{"leak", NULL, {"touched", "overcommit-2", "gives-up"},
		 {"oom_killed", "enomem", "failed"}},
	};
	for (size_t e = 0; e < sizeof ex / sizeof ex[0]; e++) {
		char *bin = xasprintf("%s/build/san/oomlab", root());
		char *mp = xasprintf("%s/examples/%s.json", root(), ex[e].example);
		/* an example's program is in its dir (make builds it, or
		 * copies Debian's memtester, there): no --allow-file */
		char *allow = ex[e].allow ? xstrdup(ex[e].allow) : NULL;
		char *out = xasprintf("%s/%s", tmpdir, ex[e].example);
		char *argv[] = {bin, "run", mp, "-j", "2", "-o", out, allow ? "--allow-file" : NULL, allow, NULL};
		struct spawn_opts o = {NULL, SPAWN_DEVNULL, SPAWN_DEVNULL, SPAWN_DEVNULL};
		int st;
		cr_assert_eq(run_argv(argv, &o, 200000, &st), 0);
		cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: %s", ex[e].example, status_str(st));
		for (size_t c = 0; c < 3 && ex[e].ids[c]; c++) {
			json_t *cell = load_cell(out, ex[e].ids[c]);
			json_t *w = wl(cell, 0);
			cr_expect_str_eq(str(cell, "verdict"), "PASS", "%s/%s", ex[e].example, ex[e].ids[c]);
			cr_expect_str_eq(str(w, "endpoint"), ex[e].endpoints[c], "%s/%s", ex[e].example,
					 ex[e].ids[c]);
			json_decref(cell);
		}
		free(out);
		free(allow);
		free(mp);
		free(bin);
	}
}
