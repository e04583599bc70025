/* The CLI as a user meets it: help, bad input, exit codes. No VM boots
 * here: every case fails (or answers) before that. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"
#include "util.h"

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

/* Run build/san/oomlab with up to 5 args (NULL-terminated); return the
 * exit code, stdout+stderr in *out. */
static int oomlab(char **out, ...)
{
	const char *r = getenv("OOMLAB_ROOT");
	char *bin = xasprintf("%s/build/san/oomlab", r && *r ? r : ".");
	char *log = xasprintf("%s/out.txt", dir);
	char *argv[7] = {bin};
	va_list ap;
	va_start(ap, out);
	for (int i = 1; i < 6; i++)
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
