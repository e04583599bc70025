// SPDX-License-Identifier: GPL-2.0-or-later
/* The CLI as a user meets it: help, bad input, exit codes. No VM boots
 * here: every case fails (or answers) before that. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/buildid.h"
#include "lib/spawn.h"
#include "lib/util.h"

static char dir[256];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/oomlab-clitest-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	rm_rf(dir);
}

TestSuite(cli, .init = setup, .fini = teardown, .timeout = 60);

/* Run build/san/oomlab with up to 7 args (NULL-terminated); return the
 * exit code, stdout+stderr in *out. */
static int oomlab(char **out, ...)
{
	const char *r = getenv("OOMLAB_ROOT");
	char *bin = xasprintf("%s/build/san/oomlab", r && *r ? r : ".");
	char *log = xasprintf("%s/out.txt", dir);
	char *argv[9] = {bin};
	va_list ap;
	va_start(ap, out);
	for (int i = 1; i < 8; i++)
		if (!(argv[i] = va_arg(ap, char *)))
			break;
	va_end(ap);
	FILE *f = fopen(log, "w");
	cr_assert_not_null(f);
	struct spawn_opts o = {dir, SPAWN_DEVNULL, fileno(f), fileno(f)};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, 30000, &st), 0);
	fclose(f);
	cr_assert_eq(read_file(log, out, NULL), 0);
	free(bin);
	free(log);
	cr_assert(WIFEXITED(st), "oomlab died: %s\n%s", status_str(st), *out);
	return WEXITSTATUS(st);
}

static char *write_matrix(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	cr_assert_eq(write_file_atomic(p, text, strlen(text)), 0);
	return p;
}

Test(cli, help_lists_commands_and_exit_codes)
{
	char *out;
	cr_assert_eq(oomlab(&out, "--help", NULL), 0);
	cr_assert_not_null(strstr(out, "run"));
	cr_assert_not_null(strstr(out, "kernels"));
	cr_assert_not_null(strstr(out, "exit codes"));
	free(out);
	cr_assert_eq(oomlab(&out, "run", "--help", NULL), 0);
	cr_assert_not_null(strstr(out, "--kernel"));
	free(out);
}

Test(cli, unknown_command_and_option_exit_2)
{
	char *out;
	cr_assert_eq(oomlab(&out, "frobnicate", NULL), 2);
	cr_assert_not_null(strstr(out, "unknown command"));
	free(out);
	cr_assert_eq(oomlab(&out, "run", "--bogus", "x.json", NULL), 2);
	cr_assert_not_null(strstr(out, "--bogus"));
	free(out);
}

Test(cli, matrix_errors_name_file_path_and_allowed)
{
	struct {
		const char *text, *want1, *want2;
	} cases[] = {
		{"{\"cells\":[{\"overcommit_memory\":3,\"workloads\":[\"alloc\"]}]}",
		 "cells[0].overcommit_memory", "allowed 0..2"},
		{"{\"cells\":[{\"swapiness\":10,\"workloads\":[\"alloc\"]}]}", "cells[0].swapiness",
		 "unknown key"},
		{"{\"cellz\":[]}", "cellz", "unknown key"},
		{"{\"cells\":[{\"workloads\":[{\"name\":\"alloc\",\"options\":{\"block_kb\":0}}]}]}",
		 "cells[0].workloads[0]", "options.block_kb"},
		{"{\"cells\":[{\"workloads\":[\"fork-bomb\"]}]}", "cells[0].workloads[0]",
		 "allowed: alloc, touch"},
		{"{\"cells\":[{\"transparent_hugepage\":\"sometimes\",\"workloads\":[\"alloc\"]}]}",
		 "transparent_hugepage", "always, madvise, never"},
		{"{\"cells\":[{\"sysctl\":{\"vm/../x\":1},\"workloads\":[\"alloc\"]}]}",
		 "cells[0].sysctl.vm/../x", "bad sysctl name"},
		{"{\"cells\":[{\"workloads\":[{\"name\":\"alloc\",\"expect\":\"crash\"}]}]}",
		 "cells[0].workloads[0].expect", "oom_killed"},
		{"{\"cells\":[{\"name\":\"a\",\"workloads\":[\"alloc\"]},{\"name\":\"A\",\"workloads\":[\"alloc\"]}]}",
		 "cells[1].name", "already used"},
		{"{\"cells\": [", "matrix.json:1:", "not valid JSON"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *m = write_matrix("matrix.json", cases[i].text);
		char *out;
		int code = oomlab(&out, "run", m, NULL);
		cr_expect_eq(code, 2, "case %zu: exit %d: %s", i, code, out);
		cr_expect_not_null(strstr(out, "matrix.json"), "case %zu: no file name in: %s", i, out);
		cr_expect_not_null(strstr(out, cases[i].want1), "case %zu: no '%s' in: %s", i, cases[i].want1, out);
		cr_expect_not_null(strstr(out, cases[i].want2), "case %zu: no '%s' in: %s", i, cases[i].want2, out);
		free(out);
		free(m);
	}
}

Test(cli, missing_matrix_file_exit_2)
{
	char *out;
	cr_assert_eq(oomlab(&out, "run", "/nonexistent/m.json", NULL), 2);
	cr_assert_not_null(strstr(out, "/nonexistent/m.json"));
	free(out);
}

Test(cli, existing_run_dir_is_not_overwritten)
{
	char *m = write_matrix("m.json", "{\"cells\":[{\"workloads\":[\"alloc\"]}]}");
	char *rd = xasprintf("%s/run", dir);
	cr_assert_eq(mkdir_p(rd, 0755), 0);
	char *rj = xasprintf("%s/run.json", rd);
	cr_assert_eq(write_file_atomic(rj, "{\"keep\":1}\n", 11), 0);
	char *out;
	cr_assert_eq(oomlab(&out, "run", m, "-o", rd, NULL), 2);
	cr_assert_not_null(strstr(out, "already holds a run"), "%s", out);
	free(out);
	char *kept;
	cr_assert_eq(read_file(rj, &kept, NULL), 0);
	cr_assert_str_eq(kept, "{\"keep\":1}\n");
	free(kept);
	free(rj);
	free(rd);
	free(m);
}

static char *golden(const char *rel);

/* A run dir, or its cells dir, that is a symlink (planted in a shared
 * results dir) is refused before anything is written through it. */
Test(cli, run_dir_and_cells_dir_that_are_symlinks_are_refused)
{
	char *m = write_matrix("m.json", "{\"cells\":[{\"workloads\":[\"alloc\"]}]}");
	char *elsewhere = xasprintf("%s/elsewhere", dir);
	cr_assert_eq(mkdir_p(elsewhere, 0755), 0);
	char *rd = xasprintf("%s/run", dir);
	cr_assert_eq(symlink(elsewhere, rd), 0);
	char *out;
	int code = oomlab(&out, "run", m, "-o", rd, "--kernel", "/nonexistent/bzImage", NULL);
	cr_expect_eq(code, 2, "%s", out);
	char *want = xasprintf("%s is a symlink", rd);
	cr_expect_not_null(strstr(out, want), "%s", out);
	free(want);
	free(out);
	char *mcopy = xasprintf("%s/matrix.json", elsewhere), *cells = xasprintf("%s/cells", elsewhere);
	cr_expect_not(path_exists(mcopy), "the matrix was copied through the symlink");
	cr_expect_not(path_exists(cells), "cells/ was made through the symlink");
	/* the run dir is real, its cells dir a symlink */
	cr_assert_eq(unlink(rd), 0);
	cr_assert_eq(mkdir_p(rd, 0755), 0);
	char *rcells = xasprintf("%s/cells", rd);
	cr_assert_eq(symlink(elsewhere, rcells), 0);
	code = oomlab(&out, "run", m, "-o", rd, "--kernel", "/nonexistent/bzImage", NULL);
	cr_expect_eq(code, 2, "%s", out);
	want = xasprintf("%s is a symlink", rcells);
	cr_expect_not_null(strstr(out, want), "%s", out);
	free(want);
	free(out);
	/* merge's -o the same */
	char *k61 = golden("k61");
	code = oomlab(&out, "merge", "-o", rd, k61, NULL);
	cr_expect_eq(code, 2, "%s", out);
	cr_expect_not_null(strstr(out, "is a symlink"), "%s", out);
	cr_expect_not(path_exists(mcopy), "merge wrote through the symlink");
	free(out);
	free(k61);
	free(rcells);
	free(mcopy);
	free(cells);
	free(rd);
	free(elsewhere);
	free(m);
}

static char *golden(const char *rel)
{
	const char *r = getenv("OOMLAB_ROOT");
	return xasprintf("%s/tests/golden/compare/%s", r && *r ? r : ".", rel);
}

/* merge refuses what is not shards of one matrix, and never overwrites */
Test(cli, merge_refuses_other_matrices_and_duplicate_cells)
{
	char *k61 = golden("k61"), *k612 = golden("k612"), *rep = golden("rep61");
	char *out = xasprintf("%s/merged", dir);
	char *txt;
	/* the same matrix on two kernels (recorded before run.json named its
	 * kernels' builds: the kernels as typed differ) */
	cr_expect_eq(oomlab(&txt, "merge", "-o", out, k61, k612, NULL), 2);
	cr_expect_not_null(strstr(txt, "were not run alike: options.kernel: null and \"linux-image-6.12-amd64\""),
			   "%s", txt);
	free(txt);
	/* the same run twice: every cell twice */
	cr_expect_eq(oomlab(&txt, "merge", "-o", out, k61, k61, NULL), 2);
	cr_expect_not_null(strstr(txt, "is in more than one of the run dirs"), "%s", txt);
	free(txt);
	cr_expect_eq(oomlab(&txt, "merge", "-o", out, k61, rep, NULL), 2);
	cr_expect_not_null(strstr(txt, "ran another matrix"), "%s", txt);
	free(txt);
	cr_expect_eq(oomlab(&txt, "merge", "-o", out, "/nonexistent", NULL), 2);
	cr_expect_not_null(strstr(txt, "/nonexistent/run.json"), "%s", txt);
	free(txt);
	cr_expect_eq(oomlab(&txt, "merge", k61, NULL), 2);
	cr_expect_not_null(strstr(txt, "needs -o OUT"), "%s", txt);
	free(txt);
	/* a whole run merges as itself; then OUT holds a run and is refused */
	cr_expect_eq(oomlab(&txt, "merge", "-o", out, k61, NULL), 0, "%s", txt);
	free(txt);
	cr_expect_eq(oomlab(&txt, "merge", "-o", out, k61, NULL), 2);
	cr_expect_not_null(strstr(txt, "already holds a run"), "%s", txt);
	free(txt);
	free(out);
	free(k61);
	free(k612);
	free(rep);
}

Test(cli, shard_and_jobs_arguments_are_checked)
{
	static const char *const bad[][2] = {{"--shard", "0/2"}, {"--shard", "3/2"}, {"--shard", "2"},
					     {"--shard", "a/b"}, {"-j", "0"}, {"-j", "x"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *txt;
		cr_expect_eq(oomlab(&txt, "run", "m.json", bad[i][0], bad[i][1], NULL), 2, "%s %s", bad[i][0],
			     bad[i][1]);
		cr_expect_not_null(strstr(txt, bad[i][1]), "%s", txt);
		free(txt);
	}
	char *txt;
	/* a shard beyond the matrix's cells would run nothing: no pass for that */
	char *m = write_matrix("two.json", "{\"cells\":[{\"name\":\"a\",\"workloads\":[\"alloc\"]},"
					     "{\"name\":\"b\",\"workloads\":[\"alloc\"]}]}");
	cr_expect_eq(oomlab(&txt, "run", m, "--shard", "3/3", "--kernel", "/nonexistent/bzImage", NULL), 2);
	cr_expect_not_null(strstr(txt, "--shard 3/3 holds no cell"), "%s", txt);
	cr_expect_not_null(strstr(txt, "has 2 cells"), "%s", txt);
	free(txt);
	free(m);
	cr_expect_eq(oomlab(&txt, "run", "--resume", dir, "m.json", NULL), 2);
	free(txt);
	cr_expect_eq(oomlab(&txt, "run", "--resume", dir, NULL), 2);
	cr_expect_not_null(strstr(txt, "not an oomlab run report"), "%s", txt);
	free(txt);
}

/* plan prints one line per cell with its id, runs nothing */
Test(cli, plan_lists_the_cells)
{
	const char *r = getenv("OOMLAB_ROOT");
	char *m = xasprintf("%s/examples/overcommit-sweep.json", r && *r ? r : ".");
	char *txt;
	cr_assert_eq(oomlab(&txt, "plan", m, NULL), 0);
	size_t lines = 0;
	for (char *p = txt; *p; p++)
		lines += *p == '\n';
	cr_expect_eq(lines, 19, "%s", txt); /* a header and 18 cells */
	cr_expect_not_null(strstr(txt, "overcommit-memory-2-overcommit-ratio-100-swap-mb-256\t"), "%s", txt);
	free(txt);
	free(m);
}

/* oomlab report DIR on a terminal (a pty) and not: colours only on the
 * terminal, and not with NO_COLOR set. */
static char *report_on_pty(const char *no_color)
{
	const char *r = getenv("OOMLAB_ROOT");
	char *bin = xasprintf("%s/build/san/oomlab", r && *r ? r : ".");
	char *run = xasprintf("%s/tests/golden/runs/article", r && *r ? r : ".");
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	cr_assert_geq(m, 0);
	cr_assert_eq(grantpt(m), 0);
	cr_assert_eq(unlockpt(m), 0);
	int s = open(ptsname(m), O_RDWR | O_NOCTTY);
	cr_assert_geq(s, 0);
	char *nc = xasprintf("NO_COLOR=%s", no_color);
	char *argv[] = {"env", nc, bin, "report", run, NULL};
	struct spawn_opts o = {dir, SPAWN_DEVNULL, s, s};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, 30000, &st), 0);
	close(s);
	struct buf out = {0};
	char chunk[4096];
	ssize_t n;
	/* the slave is closed: read until EIO */
	while ((n = read(m, chunk, sizeof chunk)) > 0)
		buf_append(&out, chunk, (size_t)n);
	close(m);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", out.data);
	free(nc);
	free(bin);
	free(run);
	return out.data;
}

Test(cli, report_colours_only_on_a_terminal)
{
	char *tty = report_on_pty("");
	cr_assert_not_null(strstr(tty, "\033[32mPASS\033[0m"), "%s", tty);
	cr_assert_not_null(strstr(tty, "overcommit=0 swap=512"));
	free(tty);
	char *nc = report_on_pty("1");
	cr_assert_null(strstr(nc, "\033["), "NO_COLOR: %s", nc);
	cr_assert_not_null(strstr(nc, "PASS"));
	free(nc);
	char *out;
	const char *r = getenv("OOMLAB_ROOT");
	char *run = xasprintf("%s/tests/golden/runs/article", r && *r ? r : ".");
	cr_assert_eq(oomlab(&out, "report", run, NULL), 0);
	cr_assert_null(strstr(out, "\033["), "not a terminal: %s", out);
	cr_assert_not_null(strstr(out, "32-bit process"));
	free(out);
	/* the other outputs of report, and their argument checks */
	char *html = xasprintf("%s/r.html", dir), *x = xasprintf("%s/j.xml", dir);
	cr_assert_eq(oomlab(&out, "report", run, "--html", "-o", html, NULL), 0);
	cr_assert(path_exists(html), "%s", out);
	free(out);
	cr_assert_eq(oomlab(&out, "report", run, "--junit", x, NULL), 0);
	cr_assert(path_exists(x), "%s", out);
	free(out);
	cr_assert_eq(oomlab(&out, "report", run, "-o", html, NULL), 2);
	cr_assert_not_null(strstr(out, "-o FILE goes with --html"));
	free(out);
	cr_assert_eq(oomlab(&out, "report", run, "--origin", "Bad-Name", NULL), 2);
	cr_assert_not_null(strstr(out, "--origin Bad-Name"));
	free(out);
	cr_assert_eq(oomlab(&out, "report", "/nonexistent-run", NULL), 2);
	cr_assert_not_null(strstr(out, "/nonexistent-run"));
	free(out);
	free(html);
	free(x);
	free(run);
}

/* oomlab baseline save/list and compare --baseline, as a nightly job uses
 * them (docs/compare.md#baselines), with the cache in the test's dir. */
Test(cli, baseline_save_list_and_compare)
{
	char *cache = xasprintf("%s/cache", dir);
	setenv("OOMLAB_CACHE", cache, 1);
	const char *r = getenv("OOMLAB_ROOT");
	char *a = xasprintf("%s/tests/golden/runs/swap61a", r && *r ? r : ".");
	char *b = xasprintf("%s/tests/golden/runs/swap61b", r && *r ? r : ".");
	char *k612 = xasprintf("%s/tests/golden/runs/swap612", r && *r ? r : ".");
	char *other = xasprintf("%s/tests/golden/runs/touch61b", r && *r ? r : ".");
	char *entry = xasprintf("%s/baselines/nightly/5bdc78ab8f6ae2ba-6.1.0-57-amd64", cache);
	char *txt, *want;
	cr_expect_eq(oomlab(&txt, "baseline", "list", NULL), 0);
	cr_expect_str_eq(txt, "no baselines saved\n");
	free(txt);
	cr_expect_eq(oomlab(&txt, "baseline", "save", "nightly", a, NULL), 0, "%s", txt);
	want = xasprintf("baseline nightly saved: %s\n", entry);
	cr_expect_str_eq(txt, want);
	free(want);
	free(txt);
	cr_expect_eq(oomlab(&txt, "baseline", "save", "nightly", a, NULL), 0, "%s", txt);
	cr_expect_not_null(strstr(txt, "baseline nightly replaced: "), "%s", txt);
	free(txt);
	cr_expect_eq(oomlab(&txt, "baseline", "list", NULL), 0);
	cr_expect_not_null(strstr(txt, "\nnightly          touchswap5           5bdc78ab8f6ae2ba 6.1.0-57-amd64    "
					"           5  20"),
			   "%s", txt);
	free(txt);
	/* the same matrix: compared, no regression on 6.1, regressions on 6.12 */
	cr_expect_eq(oomlab(&txt, "compare", "--baseline", "nightly", b, NULL), 0, "%s", txt);
	want = xasprintf("baseline nightly: %s\n", entry);
	cr_expect(!strncmp(txt, want, strlen(want)), "%s", txt);
	free(want);
	free(txt);
	cr_expect_eq(oomlab(&txt, "compare", "--baseline", "nightly", k612, NULL), 1, "%s", txt);
	free(txt);
	/* another matrix: refused; with --bisect that aborts */
	cr_expect_eq(oomlab(&txt, "compare", "--baseline", "nightly", other, NULL), 2);
	cr_expect_not_null(strstr(txt, "the reference is older than the matrix"), "%s", txt);
	free(txt);
	cr_expect_eq(oomlab(&txt, "compare", "--bisect", "--baseline", "nightly", other, NULL), 128);
	free(txt);
	cr_expect_eq(oomlab(&txt, "compare", "--baseline", "nightly", a, b, NULL), 2);
	cr_expect_not_null(strstr(txt, "oomlab compare: expected one run dir with --baseline"), "%s", txt);
	free(txt);
	cr_expect_eq(oomlab(&txt, "baseline", "save", "nightly", dir, NULL), 2);
	cr_expect_not_null(strstr(txt, "/run.json"), "%s", txt);
	free(txt);
	cr_expect_eq(oomlab(&txt, "baseline", "drop", NULL), 2);
	cr_expect_not_null(strstr(txt, "oomlab baseline: expected save NAME DIR, or list"), "%s", txt);
	free(txt);
	free(entry);
	free(other);
	free(k612);
	free(b);
	free(a);
	free(cache);
}

/* ---- oomlab --version: the version, the commit, modified or not ---- */

/* "oomlab 0.1.0 (git <first 12 digits>[, modified])\n" of this build */
static char *version_line(void)
{
	const char *c = buildid_commit();
	return xasprintf("oomlab %s (git %.*s%s)\n", OOMLAB_VERSION, strcmp(c, "unknown") ? 12 : 7, c,
			 buildid_modified() == 1 ? ", modified" : "");
}

Test(cli, version_says_version_commit_and_modified)
{
	char *out, *out2, *want = version_line();
	cr_assert_eq(oomlab(&out, "--version", NULL), 0);
	cr_expect_str_eq(out, want);
	regex_t re;
	cr_assert_eq(regcomp(&re, "^oomlab [0-9]+\\.[0-9]+\\.[0-9]+ \\(git ([0-9a-f]{12}|unknown)(, modified)?\\)\n$",
			     REG_EXTENDED), 0);
	cr_expect_eq(regexec(&re, out, 0, NULL, 0), 0, "not the format: '%s'", out);
	regfree(&re);
	cr_assert_eq(oomlab(&out2, "version", NULL), 0);
	cr_expect_str_eq(out2, out);
	/* this build is from a git checkout: the commit is known */
	char *git = xasprintf("%s/.git", getenv("OOMLAB_ROOT") ? getenv("OOMLAB_ROOT") : ".");
	if (path_exists(git))
		cr_expect_neq(buildid_modified(), -1);
	free(git);
	free(out);
	free(out2);
	free(want);
}

/* Run argv in cwd; it must exit 0. Its stdout (caller frees). */
static char *must_run(const char *cwd, char *const argv[])
{
	char *log = xasprintf("%s/must_run.out", dir);
	FILE *f = fopen(log, "w");
	cr_assert_not_null(f);
	struct spawn_opts o = {cwd, SPAWN_DEVNULL, fileno(f), SPAWN_INHERIT};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, 60000, &st), 0);
	fclose(f);
	char *out;
	cr_assert_eq(read_file(log, &out, NULL), 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: %s", argv[0], status_str(st));
	free(log);
	return out;
}

/* The generated build/gen/buildid.c of `make` in tree */
static char *buildid_of(const char *tree)
{
	char *argv[] = {"make", "-s", "build/gen/buildid.c", NULL};
	free(must_run(tree, argv));
	char *p = xasprintf("%s/build/gen/buildid.c", tree), *text;
	cr_assert_eq(read_file(p, &text, NULL), 0);
	free(p);
	return text;
}

/* mk/buildid.mk: outside a git checkout (a tarball) the commit is
 * unknown and the build goes on; in one, the commit is HEAD, and a file
 * changed or added makes it modified. On a copy of the Makefile and mk/. */
Test(cli, build_records_its_commit_or_unknown)
{
	const char *r = getenv("OOMLAB_ROOT") ? getenv("OOMLAB_ROOT") : ".";
	char *tree = xasprintf("%s/tree", dir);
	cr_assert_eq(mkdir_p(tree, 0755), 0);
	char *mk = xasprintf("%s/mk", r), *mf = xasprintf("%s/Makefile", r), *gi = xasprintf("%s/.gitignore", r);
	char *cp[] = {"cp", "-r", mf, mk, gi, tree, NULL};
	free(must_run(dir, cp));
	char *text = buildid_of(tree);
	cr_expect_str_eq(text, "/* generated by mk/buildid.mk */\n"
			       "const char oomlab_build_commit[] = \"unknown\";\n"
			       "const int oomlab_build_modified = -1;\n");
	free(text);

	char *init[] = {"git", "init", "-q", NULL}, *add[] = {"git", "add", "-A", NULL};
	char *commit[] = {"git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "t", NULL};
	char *head[] = {"git", "rev-parse", "HEAD", NULL};
	free(must_run(tree, init));
	free(must_run(tree, add));
	free(must_run(tree, commit));
	char *h = must_run(tree, head);
	h[strcspn(h, "\n")] = 0;
	cr_assert_eq(strlen(h), 40);
	char *want = xasprintf("/* generated by mk/buildid.mk */\n"
			       "const char oomlab_build_commit[] = \"%s\";\n"
			       "const int oomlab_build_modified = %%d;\n", h);
	char *clean = xasprintf(want, 0), *dirty = xasprintf(want, 1);
	text = buildid_of(tree);
	cr_expect_str_eq(text, clean, "a clean checkout (build/ is ignored)");
	free(text);
	char *extra = xasprintf("%s/new.c", tree);
	cr_assert_eq(write_file_atomic(extra, "", 0), 0);
	text = buildid_of(tree);
	cr_expect_str_eq(text, dirty, "an untracked file");
	free(text);
	free(extra);
	free(want);
	free(clean);
	free(dirty);
	free(h);
	free(mk);
	free(mf);
	free(gi);
	free(tree);
}

/* ---- --json of the listing commands (reports/cli.schema.json) ---- */

/* What `oomlab ARGS... --json` printed (it must exit 0), checked by
 * tests/validate-cli against the definition def. */
static json_t *listing_json(const char *def, char *a1, char *a2, char *a3)
{
	char *out;
	int code = a2 ? (a3 ? oomlab(&out, a1, a2, a3, "--json", NULL) : oomlab(&out, a1, a2, "--json", NULL))
		      : oomlab(&out, a1, "--json", NULL);
	cr_assert_eq(code, 0, "%s --json: exit %d: %s", a1, code, out);
	char *path = xasprintf("%s/%s.json", dir, def);
	cr_assert_eq(write_file_atomic(path, out, strlen(out)), 0);
	char *v = xasprintf("%s/tests/validate-cli", getenv("OOMLAB_ROOT") ? getenv("OOMLAB_ROOT") : ".");
	char *argv[] = {v, (char *)def, path, NULL}, *said = NULL;
	cr_expect_eq(run_capture(argv, &said, NULL), 0, "%s", said);
	json_error_t je;
	json_t *doc = json_loads(out, 0, &je);
	cr_assert_not_null(doc, "%s --json: %s: %s", a1, je.text, out);
	free(said);
	free(v);
	free(path);
	free(out);
	return doc;
}

static char *dumps(json_t *j)
{
	char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
	cr_assert_not_null(s);
	return s;
}

/* the element of array arr whose "name" is name */
static json_t *named(json_t *arr, const char *name)
{
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "name")) ?: "", name))
			return e;
	cr_assert_fail("no %s", name);
	return NULL;
}

Test(cli, knobs_and_workloads_json)
{
	json_t *k = listing_json("knobs", "knobs", NULL, NULL);
	char *s = dumps(named(json_object_get(k, "knobs"), "overcommit_memory"));
	cr_expect_str_eq(s, "{\"allowed\":\"0..2\",\"meaning\":\"vm.overcommit_memory: 0 heuristic, 1 always, 2 never\","
			    "\"name\":\"overcommit_memory\",\"scope\":\"guest\"}");
	free(s);
	s = dumps(named(json_object_get(k, "knobs"), "transparent_hugepage"));
	cr_expect_str_eq(s, "{\"allowed\":\"always|madvise|never\",\"choices\":[\"always\",\"madvise\",\"never\"],"
			    "\"meaning\":\"THP mode: always, madvise or never\",\"name\":\"transparent_hugepage\","
			    "\"scope\":\"guest\"}");
	free(s);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(k, "knobs"), 0), "name")),
			 "ram_mb");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(k, "patterns"), 0), "name")),
			 "cgroup.<group>.<file>");
	json_decref(k);

	json_t *w = listing_json("workloads", "workloads", NULL, NULL);
	json_t *alloc = named(json_object_get(w, "workloads"), "alloc");
	s = dumps(named(json_object_get(alloc, "options"), "block_kb"));
	cr_expect_str_eq(s, "{\"allowed\":\"1..1048576 KiB\",\"default\":1024,\"meaning\":\"size of each malloc\","
			    "\"name\":\"block_kb\",\"required\":false}");
	free(s);
	s = dumps(json_object_get(w, "every_workload"));
	cr_expect_str_eq(s, "[\"rlimit_as_mb\",\"oom_score_adj\",\"start_delay_ms\",\"expect\"]");
	free(s);
	json_decref(w);
}

Test(cli, plan_and_report_json)
{
	const char *r = getenv("OOMLAB_ROOT") ? getenv("OOMLAB_ROOT") : ".";
	char *m = xasprintf("%s/examples/article.json", r);
	json_t *p = listing_json("plan", "plan", m, NULL);
	cr_expect_str_eq(json_string_value(json_object_get(p, "digest")), "8d957e265a0abd50");
	cr_expect_eq(json_integer_value(json_object_get(p, "n_cells")), 6);
	cr_expect_eq(json_array_size(json_object_get(p, "cells")), 6);
	char *s = dumps(json_array_get(json_object_get(p, "cells"), 0));
	cr_expect_str_eq(s, "{\"id\":\"overcommit-0-swap-0\",\"mode\":\"sequence\",\"name\":\"overcommit=0 swap=0\","
			    "\"requested\":{\"cpus\":1,\"overcommit_memory\":0,\"ram_mb\":256,\"swap_mb\":0},"
			    "\"workloads\":[{\"args\":[],\"cgroup\":null,\"name\":\"alloc\",\"oom_score_adj\":null,"
			    "\"rlimit_as_mb\":null},{\"args\":[],\"cgroup\":null,\"name\":\"touch\",\"oom_score_adj\":null,"
			    "\"rlimit_as_mb\":null}]}");
	free(s);
	json_decref(p);

	char *run = xasprintf("%s/tests/golden/runs/article", r);
	json_t *rep = listing_json("report", "report", run, NULL);
	cr_expect_str_eq(json_string_value(json_object_get(rep, "run_id")), "article-20261122-045230");
	s = dumps(json_object_get(rep, "summary"));
	cr_expect_str_eq(s, "{\"BROK\":0,\"FAIL\":0,\"PASS\":6,\"SKIP\":0,\"cells_done\":6}");
	free(s);
	cr_expect_eq(json_integer_value(json_object_get(rep, "exit_code")), 0);
	json_t *c0 = json_array_get(json_object_get(rep, "cells"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(c0, "id")), "overcommit-0-swap-0");
	cr_expect_str_eq(json_string_value(json_object_get(c0, "verdict")), "PASS");
	cr_expect_eq(json_array_size(json_object_get(rep, "cells")), 6);
	json_decref(rep);
	free(run);
	free(m);
}

/* kernels list --json on an empty cache: its dir, no kernel */
Test(cli, kernels_list_json)
{
	char *cache = xasprintf("%s/cache", dir), *kd = xasprintf("%s/cache/kernels", dir);
	setenv("OOMLAB_CACHE", cache, 1);
	json_t *k = listing_json("kernels", "kernels", "list", NULL);
	char *s = dumps(k), *want = xasprintf("{\"cache\":\"%s\",\"kernels\":[]}", kd);
	cr_expect_str_eq(s, want);
	free(s);
	free(want);
	json_decref(k);
	free(kd);
	free(cache);
}
