// SPDX-License-Identifier: GPL-2.0-or-later
/* The exec workload on the host: its option table as a matrix checks it
 * (the guest argv, and one exact message per bad input), what a cell
 * carries for it (boot/carry.h: a dynamic program, its libc and loader, a
 * dir of files, the size check), and its output kept head and tail
 * (judge/outkeep.h). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boot/carry.h"
#include "judge/outkeep.h"
#include "lib/spawn.h"
#include "lib/util.h"
#include "plan/matrix.h"
#include "plan/wlreg.h"
#include "reports/html/page.h"
#include "workloads/wl.h"

static char dir[64];

static void mk_dir(void)
{
	strcpy(dir, "/tmp/oomlab-test-exec-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void rm_dir(void)
{
	if (dir[0])
		rm_rf(dir);
}

/* a file of dir with text and mode */
static char *put(const char *name, const char *text, mode_t mode)
{
	char *p = xasprintf("%s/%s", dir, name);
	cr_assert_eq(write_file_atomic(p, text, strlen(text)), 0, "%s", p);
	cr_assert_eq(chmod(p, mode), 0);
	return p;
}

/* wl_build_args of exec for options (JSON text), the matrix's dir = dir,
 * --allow-file /bin/sh; 0 and out, or -1 and err */
static int build(const char *options, struct wl_argv *out, struct buf *err)
{
	json_error_t je;
	json_t *o = json_loads(options, 0, &je);
	cr_assert_not_null(o, "%s", je.text);
	char *sh = realpath("/bin/sh", NULL);
	const char *allow[] = {sh};
	struct file_scope scope = {dir, NULL, allow, 1};
	int r = wl_build_args(wl_find("exec"), o, 2, &scope, out, err);
	json_decref(o);
	free(sh);
	return r;
}

TestSuite(exec, .init = mk_dir, .fini = rm_dir);

Test(exec, the_row_and_its_options)
{
	const struct workload *w = wl_find("exec");
	cr_assert_not_null(w);
	static const struct {
		const char *name;
		enum wl_opt_type type;
		int required;
	} want[] = {{"path", OPT_PROG, 1},
		    {"args", OPT_ARGV, 0},
		    {"env", OPT_ENV, 0},
		    {"files", OPT_FILES, 0},
		    {"ok-exit", OPT_INT, 0}};
	cr_assert_eq(w->n_opts, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < w->n_opts; i++) {
		cr_expect_str_eq(w->opts[i].name, want[i].name);
		cr_expect_eq(w->opts[i].type, want[i].type, "%s", want[i].name);
		cr_expect_eq(w->opts[i].required, want[i].required, "%s", want[i].name);
	}
	cr_expect_eq(w->opts[4].min, 0);
	cr_expect_eq(w->opts[4].max, 255);
	cr_expect_eq(w->opts[4].def, 0);
	cr_expect_str_eq(w->ok_exit_opt, "ok-exit");
	cr_expect_eq(w->user_program, 1);
	cr_expect_eq(w->mem, WL_MEM_BOUNDED);
	cr_expect_null(w->guest_exec);
	/* the last workload of `oomlab workloads` */
	cr_expect_eq(wl_registry[wl_registry_n - 1], w);
	cr_expect(wl_option_is_file(w, "path"));
	cr_expect(!wl_option_is_file(w, "files"));
}

Test(exec, options_become_the_guest_argv_and_the_files_to_carry)
{
	free(put("prog", "#!/bin/true\n", 0755));
	free(put("data.txt", "x\n", 0644));
	char *sub = xasprintf("%s/cfg", dir);
	cr_assert_eq(mkdir(sub, 0755), 0);
	struct wl_argv a;
	struct buf err = {0};
	cr_assert_eq(build("{\"path\": \"prog\", \"args\": [\"-v\", \"a b\"], \"env\": {\"A_1\": \"x y\", "
			   "\"LANG\": \"C\"}, \"files\": [\"./data.txt\", \"cfg/\"], \"ok_exit\": 3}",
			   &a, &err),
		     0, "%s", err.data);
	const char *want[] = {"--path", "/data/prog2/prog", "--env", "A_1=x y", "--env", "LANG=C",
			      "--files", "/data/w2", "--ok-exit", "3", "--", "-v", "a b"};
	cr_assert_eq(a.n_args, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < a.n_args; i++)
		cr_expect_str_eq(a.args[i], want[i], "arg %zu", i);
	cr_assert_eq(a.n_files, 3);
	char *real = realpath(dir, NULL);
	char *h0 = xasprintf("%s/prog", real), *h1 = xasprintf("%s/data.txt", real),
	     *h2 = xasprintf("%s/cfg", real);
	cr_expect_str_eq(a.files[0].host, h0);
	cr_expect_str_eq(a.files[0].guest, "/data/prog2/prog");
	cr_expect_eq(a.files[0].kind, WLF_PROG);
	cr_expect_str_eq(a.files[1].host, h1);
	cr_expect_str_eq(a.files[1].guest, "/data/w2/data.txt");
	cr_expect_eq(a.files[1].kind, WLF_TREE);
	cr_expect_str_eq(a.files[2].host, h2);
	cr_expect_str_eq(a.files[2].guest, "/data/w2/cfg");
	cr_expect_eq(a.files[2].kind, WLF_TREE);
	wl_argv_free(&a);
	/* an installed program the user allowed, by its absolute path */
	cr_assert_eq(build("{\"path\": \"/bin/sh\", \"files\": [\"/bin/sh\"]}", &a, &err), 0, "%s", err.data);
	char *sh = realpath("/bin/sh", NULL);
	cr_expect_str_eq(a.files[0].host, sh);
	cr_expect_str_eq(a.files[1].guest, "/bin/sh"); /* absolute: the same path */
	wl_argv_free(&a);
	free(sh);
	free(h0);
	free(h1);
	free(h2);
	free(real);
	free(sub);
	buf_free(&err);
}

Test(exec, bad_options_say_the_key_and_what_is_allowed)
{
	free(put("prog", "#!/bin/true\n", 0755));
	free(put("notx", "x\n", 0644));
	char *real = realpath(dir, NULL);
	static const struct {
		const char *options, *msg;
	} bad[] = {
		{"{}", "options.path: exec needs it (an executable file in the matrix file's dir or below (or "
		       "--allow-file): the program (an installed one by its absolute path, with --allow-file "
		       "PATH); required)"},
		{"{\"path\": \"/usr/bin/env\"}",
		 "options.path: /usr/bin/env is /usr/bin/env, outside the matrix file's dir (allowed: a regular "
		 "file in that dir or below it, or a file or dir given with --allow-file PATH)"},
		{"{\"path\": \"notx\"}", "options.path: notx is %s/notx, not executable (allowed: an executable "
					"file in the matrix file's dir or below, or --allow-file)"},
		{"{\"path\": \"prog\", \"args\": \"-v\"}", "options.args: must be a list of strings"},
		{"{\"path\": \"prog\", \"args\": [\"-v\", 1]}", "options.args: must be a list of strings"},
		{"{\"path\": \"prog\", \"env\": [\"A=1\"]}",
		 "options.env: must be an object of NAME -> one-line string (NAME: A-Z, a-z, 0-9, _, not first a "
		 "digit)"},
		{"{\"path\": \"prog\", \"env\": {\"A\": 1}}",
		 "options.env.A: not a one-line string (allowed: an object of NAME -> one-line string (NAME: "
		 "A-Z, a-z, 0-9, _, not first a digit))"},
		{"{\"path\": \"prog\", \"env\": {\"1A\": \"x\"}}",
		 "options.env.1A: not a variable name (allowed: an object of NAME -> one-line string (NAME: "
		 "A-Z, a-z, 0-9, _, not first a digit))"},
		{"{\"path\": \"prog\", \"env\": {\"A\": \"two\\nlines\"}}",
		 "options.env.A: not a one-line string (allowed: an object of NAME -> one-line string (NAME: "
		 "A-Z, a-z, 0-9, _, not first a digit))"},
		{"{\"path\": \"prog\", \"files\": \"prog\"}",
		 "options.files: must be a list of files or dirs in the matrix file's dir or below (or "
		 "--allow-file)"},
		{"{\"path\": \"prog\", \"files\": [\"nope\"]}", "options.files[0]: no such file: %s/nope"},
		{"{\"path\": \"prog\", \"files\": [\"/bin/sh\", \"/init\"]}",
		 "options.files[1]: no such file: /init"},
		{"{\"path\": \"prog\", \"files\": [\"/bin/sh\", \"/bin/../bin/sh\"]}",
		 "options.files[1]: /bin/../bin/sh cannot be placed (allowed: a relative path without '..', "
		 "which lands under the program's working directory /data/w2, or an absolute path outside "
		 "/data, /tmp, /dev, /proc, /sys and oomlab's own files)"},
		{"{\"path\": \"prog\", \"ok_exit\": 256}", "options.ok_exit: must be an integer in 0..255"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct wl_argv a;
		struct buf err = {0};
		cr_expect_eq(build(bad[i].options, &a, &err), -1, "%s", bad[i].options);
		char *want = xasprintf(bad[i].msg, real);
		cr_expect_str_eq(err.data ? err.data : "", want, "%s", bad[i].options);
		free(want);
		buf_free(&err);
	}
	free(real);
}

/* A cell of one exec workload from the matrix text m in dir. */
static void load(const char *m, struct matrix *mx)
{
	char *mp = put("m.json", m, 0644);
	struct buf err = {0};
	cr_assert_eq(matrix_load(mp, mx, &err), 0, "%s", err.data);
	free(mp);
}

static long long size_of(const char *p)
{
	struct stat sb;
	cr_assert_eq(stat(p, &sb), 0, "%s", p);
	return (long long)sb.st_size;
}

Test(exec, a_dynamic_program_is_carried_with_libc_and_its_loader)
{
	char *src = put("p.c", "int main(void){return 0;}\n", 0644);
	char *exe = xasprintf("%s/p", dir);
	char *cc[] = {"cc", "-o", exe, src, NULL};
	int st;
	cr_assert(run_argv(cc, &(struct spawn_opts){NULL, SPAWN_DEVNULL, SPAWN_INHERIT, SPAWN_INHERIT}, 30000,
			   &st) == 0 &&
		  WIFEXITED(st) && WEXITSTATUS(st) == 0);
	char *sub = xasprintf("%s/d", dir), *sub2 = xasprintf("%s/d/e", dir);
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(mkdir(sub2, 0755), 0);
	free(put("d/b.txt", "bb\n", 0644));
	free(put("d/a.txt", "a\n", 0600));
	free(put("d/e/c.txt", "cccc\n", 0644));
	char *lnk = xasprintf("%s/d/link", dir);
	cr_assert_eq(symlink("/etc/passwd", lnk), 0); /* left out */
	struct matrix mx;
	load("{\"name\": \"c\", \"cells\": [{\"ram_mb\": 128, \"workloads\": [{\"name\": \"exec\", "
	     "\"options\": {\"path\": \"p\", \"files\": [\"d\", \"d/a.txt\"]}}]}]}",
	     &mx);
	struct carry c;
	struct buf err = {0};
	cr_assert_eq(carry_cell(&mx.cells[0], &c, &err), 0, "%s", err.data);
	char *real = realpath(dir, NULL);
	char *h[5] = {xasprintf("%s/d/a.txt", real), xasprintf("%s/d/b.txt", real),
		      xasprintf("%s/d/e/c.txt", real), xasprintf("%s/p", real), NULL};
	static const char *const guest[] = {"/data/w0/d/a.txt", "/data/w0/d/b.txt", "/data/w0/d/e/c.txt",
					    "/data/prog0/p", "/lib/x86_64-linux-gnu/libc.so.6",
					    "/lib64/ld-linux-x86-64.so.2"};
	cr_assert_eq(c.n, 6);
	for (size_t i = 0; i < c.n; i++) {
		cr_expect_str_eq(c.v[i].guest_path, guest[i], "%zu", i);
		cr_expect_eq(c.v[i].mode, 0, "%zu", i);
		cr_expect_str_eq(c.v[i].host_path, i < 4 ? h[i] : guest[i], "%zu", i);
	}
	cr_expect_eq(c.n_files, 3); /* d/a.txt once, though named twice */
	cr_expect_eq(c.file_bytes, 2 + 3 + 5);
	cr_expect_eq(c.prog_bytes, size_of(exe));
	cr_expect_eq(c.n_libs, 2);
	cr_expect_eq(c.lib_bytes, size_of("/lib/x86_64-linux-gnu/libc.so.6") +
					  size_of("/lib64/ld-linux-x86-64.so.2"));
	carry_free(&c);
	matrix_free(&mx);
	/* not an ELF program: the workload and the reason */
	free(put("script", "#!/bin/sh\n", 0755));
	load("{\"name\": \"c\", \"cells\": [{\"workloads\": [{\"name\": \"touch\"}, {\"name\": \"exec\", "
	     "\"options\": {\"path\": \"script\"}}]}]}",
	     &mx);
	cr_assert_eq(carry_cell(&mx.cells[0], &c, &err), -1);
	char *want = xasprintf("workload 1 (exec): %s/script: not an ELF program (or a bad PT_INTERP)", real);
	cr_expect_str_eq(err.data, want);
	free(want);
	matrix_free(&mx);
	buf_free(&err);
	for (int i = 0; h[i]; i++)
		free(h[i]);
	free(real);
	free(lnk);
	free(sub2);
	free(sub);
	free(exe);
	free(src);
}

Test(exec, too_much_to_carry_is_refused_with_the_sizes)
{
	struct carry c = {.prog_bytes = 2 << 20, .lib_bytes = 70 << 20, .file_bytes = 8 << 20, .n_libs = 3,
			  .n_files = 2};
	struct buf err = {0};
	cr_assert_eq(carry_fits(&c, 128, &err), -1);
	cr_expect_str_eq(err.data,
			 "the programs and files its workloads carry come to 80.0 MiB (programs 2.0 MiB, 3 "
			 "libraries 70.0 MiB, 2 files 8.0 MiB); a cell of ram_mb 128 can carry at most 64 "
			 "MiB (half its RAM: the guest unpacks its initramfs into memory): give it more ram_mb "
			 "or carry less");
	buf_free(&err);
	cr_expect_eq(carry_fits(&c, 160, &err), 0); /* 80 MiB of 160 */
	cr_expect_null(err.data);
	c.lib_bytes++;
	cr_expect_eq(carry_fits(&c, 160, &err), -1);
	buf_free(&err);
}

Test(exec, output_keeps_its_head_and_tail)
{
	static struct out_keep k;
	memset(&k, 0, sizeof k);
	out_keep_add(&k, "one\n", 4);
	out_keep_add(&k, "two\n\n", 5);
	json_t *j = out_keep_json(&k);
	char *s = json_dumps(j, JSON_SORT_KEYS);
	cr_expect_str_eq(s, "{\"bytes\": 9, \"head\": \"one\\ntwo\\n\\n\", \"skipped_bytes\": 0, \"tail\": \"\"}");
	free(s);
	json_decref(j);
	char last[8];
	out_keep_last_line(&k, last, sizeof last);
	cr_expect_str_eq(last, "two");
	/* 10000 bytes in odd pieces: the first 4096, the last 4096, 1808 left out */
	memset(&k, 0, sizeof k);
	char all[10000];
	for (size_t i = 0; i < sizeof all; i++)
		all[i] = (char)('a' + i % 26);
	all[sizeof all - 1] = '\n';
	for (size_t i = 0; i < sizeof all;) {
		size_t n = i % 7 == 0 ? 4999 : 13;
		if (n > sizeof all - i)
			n = sizeof all - i;
		out_keep_add(&k, all + i, n);
		i += n;
	}
	j = out_keep_json(&k);
	cr_expect_eq(json_integer_value(json_object_get(j, "bytes")), 10000);
	cr_expect_eq(json_integer_value(json_object_get(j, "skipped_bytes")), 1808);
	const char *head = json_string_value(json_object_get(j, "head"));
	const char *tail = json_string_value(json_object_get(j, "tail"));
	cr_assert_eq(strlen(head), 4096);
	cr_assert_eq(strlen(tail), 4096);
	cr_expect_eq(memcmp(head, all, 4096), 0);
	cr_expect_eq(memcmp(tail, all + 10000 - 4096, 4096), 0);
	json_decref(j);
	out_keep_last_line(&k, last, sizeof last);
	cr_expect_str_eq(last, "cdefghi"); /* byte 5904 on, cut at 7 */
}

/* The HTML cell page shows a program's output, head and tail, open when
 * it failed, and the workloads table links to it. */
Test(exec, html_cell_page_shows_the_output)
{
	const char *cell_text =
		"{\"cell\": {\"id\": \"c1\", \"name\": \"c1\"}, \"verdict\": \"FAIL\", \"workloads\": [{\"name\": "
		"\"exec\", \"endpoint\": \"failed\", \"verdict\": \"FAIL\", \"verdict_reason\": \"failed\", "
		"\"predicted\": {}, \"exit\": {\"code\": 3}, \"ok_exit\": 0, \"output\": {\"bytes\": 9000, "
		"\"head\": \"<one>\\n\", \"tail\": \"last\\n\", \"skipped_bytes\": 8989}}]}";
	json_error_t je;
	json_t *cell = json_loads(cell_text, 0, &je);
	cr_assert_not_null(cell, "%s", je.text);
	struct buf b = {0};
	html_cell_section(&b, cell, ".");
	cr_expect_not_null(strstr(b.data, "<details id=\"cell-c1-output-0\" open><summary>Output of workload #0 "
					  "(exec): 9000 bytes, exit code 3 (ok_exit 0)</summary><pre>&lt;one&gt;\n"
					  "</pre><p class=\"note\">... 8989 bytes left out ...</p><pre>last\n"
					  "</pre></details>\n"),
			   "%s", b.data);
	cr_expect_not_null(strstr(b.data, "failed <a href=\"#cell-c1-output-0\">its output</a>"), "%s", b.data);
	buf_free(&b);
	json_decref(cell);
}
