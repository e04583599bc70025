// SPDX-License-Identifier: GPL-2.0-or-later
/* Cells from the command line (plan/cellarg.c): --cell and --workload
 * text to JSON, typed as the knob and option tables say, the matrix they
 * make, its bad values refused by the loader with the --cell "file"; and
 * a matrix read from standard input (harness/run_source.c). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_source.h"
#include "lib/util.h"
#include "plan/cellarg.h"
#include "plan/matrix.h"

/* v as compact JSON in its own key order (v taken); "NULL" for NULL */
static char *dump(json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : xstrdup("NULL");
	json_decref(v);
	return s;
}

static void cell_is(const char *text, const char *want)
{
	struct buf err = {0};
	char *got = dump(cellarg_cell(text, &err));
	cr_expect_str_eq(got, want, "--cell '%s': %s", text, err.data ? err.data : "");
	free(got);
	buf_free(&err);
}

static void cell_refused(const char *text, const char *want)
{
	struct buf err = {0};
	json_t *c = cellarg_cell(text, &err);
	cr_expect_null(c, "--cell '%s' was taken", text);
	json_decref(c);
	cr_expect_str_eq(err.data ? err.data : "", want);
	buf_free(&err);
}

static void workload_is(const char *text, const char *want)
{
	struct buf err = {0};
	char *got = dump(cellarg_workload(text, &err));
	cr_expect_str_eq(got, want, "--workload '%s': %s", text, err.data ? err.data : "");
	free(got);
	buf_free(&err);
}

static void workload_refused(const char *text, const char *want)
{
	struct buf err = {0};
	json_t *w = cellarg_workload(text, &err);
	cr_expect_null(w, "--workload '%s' was taken", text);
	json_decref(w);
	cr_expect_str_eq(err.data ? err.data : "", want);
	buf_free(&err);
}

Test(cellarg, knobs_typed_as_the_table_says)
{
	cell_is("ram_mb=256 swap_mb=128 overcommit_memory=2", "{\"ram_mb\":256,\"swap_mb\":128,\"overcommit_memory\":2}");
	/* enum and string knobs stay strings, even a number-looking word */
	cell_is("swap_type=zram lru_gen=0x0003 transparent_hugepage=never kernel=linux-image-6.12-amd64",
		"{\"swap_type\":\"zram\",\"lru_gen\":\"0x0003\",\"transparent_hugepage\":\"never\","
		"\"kernel\":\"linux-image-6.12-amd64\"}");
	/* a map knob as JSON; group files and cell keys */
	cell_is("sysctl={\"vm.dirty_ratio\":5} mthp_enabled={\"64kB\":\"always\"}",
		"{\"sysctl\":{\"vm.dirty_ratio\":5},\"mthp_enabled\":{\"64kB\":\"always\"}}");
	cell_is("cgroup.app.memory.max=64 cgroup.app.memory.high=max",
		"{\"cgroup.app.memory.max\":64,\"cgroup.app.memory.high\":\"max\"}");
	cell_is("name=big mode=sequence timeout_s=60 sample_ms=50 allow=[\"alloc_failure\"] oom_score_adj=-500",
		"{\"name\":\"big\",\"mode\":\"sequence\",\"timeout_s\":60,\"sample_ms\":50,"
		"\"allow\":[\"alloc_failure\"],\"oom_score_adj\":-500}");
	cell_is("name=123", "{\"name\":\"123\"}");
	/* blanks of any kind between words; none at all is a cell of defaults */
	cell_is("  ram_mb=256\tswap_mb=0 \n", "{\"ram_mb\":256,\"swap_mb\":0}");
	cell_is("", "{}");
}

Test(cellarg, a_bad_value_is_left_to_the_loader)
{
	/* not an integer, or one too big for 64 bits: kept as the string */
	cell_is("ram_mb=abc", "{\"ram_mb\":\"abc\"}");
	cell_is("ram_mb=99999999999999999999", "{\"ram_mb\":\"99999999999999999999\"}");
	cell_is("ram_mb=", "{\"ram_mb\":\"\"}");
	cell_is("ram_mb=0x", "{\"ram_mb\":\"0x\"}");
	cell_is("ram_mb=-", "{\"ram_mb\":\"-\"}");
	cell_is("ram_mb=1.5", "{\"ram_mb\":\"1.5\"}");
}

Test(cellarg, bad_words_refused_naming_the_word)
{
	cell_refused("ram_mb", "--cell 'ram_mb': ram_mb: not KEY=VALUE (e.g. ram_mb=256)");
	cell_refused("ram_mb=256 swap_mb", "--cell 'ram_mb=256 swap_mb': swap_mb: not KEY=VALUE (e.g. ram_mb=256)");
	cell_refused("=5", "--cell '=5': =5: no key before \"=\"");
	cell_refused("ram_mb=1 ram_mb=2", "--cell 'ram_mb=1 ram_mb=2': ram_mb: given twice");
	const char *unknown = ": unknown key (allowed: a knob (oomlab knobs lists them), cgroup.<group>.<file>, "
			      "name, mode, timeout_s, sample_ms, psi_triggers, stall, allow)";
	char *want = xasprintf("--cell 'ram=256': ram%s", unknown);
	cell_refused("ram=256", want);
	free(want);
	/* every cell's workloads come from --workload */
	want = xasprintf("--cell 'workloads=touch': workloads%s", unknown);
	cell_refused("workloads=touch", want);
	free(want);
	cell_refused("sysctl={vm}",
		     "--cell 'sysctl={vm}': sysctl: not valid JSON at column 3: string or '}' expected near 'vm'");
	/* the user's text quoted as a shell takes it back, on one line */
	cell_refused("a'b\nc", "--cell 'a'\\''b\\x0ac': a'b: not KEY=VALUE (e.g. ram_mb=256)");
	cell_refused("\x1b[2J=1", "--cell '\\x1b[2J=1': \\x1b[2J: unknown key (allowed: a knob (oomlab knobs lists them), "
				"cgroup.<group>.<file>, name, mode, timeout_s, sample_ms, psi_triggers, stall, allow)");
}

Test(cellarg, workloads_with_options_and_keys)
{
	workload_is("touch", "\"touch\"");
	workload_is(" touch ", "\"touch\"");
	workload_is("touch block_kb=64 fill=0xaa rlimit_as_mb=128 expect=oom_kill cgroup=app",
		    "{\"name\":\"touch\",\"rlimit_as_mb\":128,\"expect\":\"oom_kill\",\"cgroup\":\"app\","
		    "\"options\":{\"block_kb\":64,\"fill\":170}}");
	/* string and file options stay strings; a list option as JSON */
	workload_is("frag pattern=file schedule=s.sched count=7",
		    "{\"name\":\"frag\",\"options\":{\"pattern\":\"file\",\"schedule\":\"s.sched\",\"count\":7}}");
	workload_is("stress-ng stressor=vm args=[\"--vm-bytes\",\"90%\"]",
		    "{\"name\":\"stress-ng\",\"options\":{\"stressor\":\"vm\",\"args\":[\"--vm-bytes\",\"90%\"]}}");
	workload_is("touch block_kb=lots", "{\"name\":\"touch\",\"options\":{\"block_kb\":\"lots\"}}");
}

Test(cellarg, bad_workloads_refused)
{
	workload_refused("", "--workload '': no workload name (oomlab workloads lists them)");
	workload_refused("block_kb=64",
			 "--workload 'block_kb=64': block_kb=64: the workload's name comes first (e.g. --workload "
			 "'touch block_kb=64')");
	struct buf l = {0};
	char *names = wl_names();
	buf_printf(&l, "--workload 'tuch': tuch: unknown workload (allowed: %s)", names);
	free(names);
	workload_refused("tuch", l.data);
	buf_free(&l);
	workload_refused("touch size=1",
			 "--workload 'touch size=1': size: unknown option of touch (allowed: block_kb, fill, max_mb, "
			 "hold_ms; or rlimit_as_mb, oom_score_adj, start_delay_ms, expect, cgroup)");
	workload_refused("touch block_kb", "--workload 'touch block_kb': block_kb: not KEY=VALUE (e.g. ram_mb=256)");
	workload_refused("touch block_kb=1 block_kb=2", "--workload 'touch block_kb=1 block_kb=2': block_kb: given twice");
	workload_refused("touch name=x",
			 "--workload 'touch name=x': name: unknown option of touch (allowed: block_kb, fill, max_mb, "
			 "hold_ms; or rlimit_as_mb, oom_score_adj, start_delay_ms, expect, cgroup)");
}

/* The matrix --cell and --workload make, as its text. */
static char *matrix_text(const char *const *cells, size_t n, const char *wl, const char *name, long long t)
{
	struct buf err = {0};
	json_t *ca = json_array(), *wa = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(ca, cellarg_cell(cells[i], &err));
	json_array_append_new(wa, cellarg_workload(wl, &err));
	cr_assert_null(err.data, "%s", err.data);
	json_t *m = cellarg_matrix(ca, wa, name, t);
	char *text = cellarg_text(m);
	json_decref(m);
	return text;
}

Test(cellarg, the_matrix_written_and_loaded)
{
	const char *one[] = {"ram_mb=256 swap_mb=128 overcommit_memory=2"};
	char *text = matrix_text(one, 1, "touch", NULL, 0);
	cr_expect_str_eq(text, "{\n"
			       "  \"name\": \"cell\",\n"
			       "  \"workloads\": [\n"
			       "    \"touch\"\n"
			       "  ],\n"
			       "  \"cells\": [\n"
			       "    {\n"
			       "      \"ram_mb\": 256,\n"
			       "      \"swap_mb\": 128,\n"
			       "      \"overcommit_memory\": 2\n"
			       "    }\n"
			       "  ]\n"
			       "}\n");
	struct matrix m;
	struct buf err = {0};
	struct matrix_opts o = {0};
	cr_assert_eq(matrix_load_buf_opts(CELLARG_SOURCE, text, strlen(text), &o, &m, &err), 0, "%s", err.data);
	cr_expect_str_eq(m.path, "--cell");
	cr_expect_str_eq(m.name, "cell");
	cr_assert_eq(m.n_cells, 1);
	cr_expect_str_eq(m.cells[0].id, "ram-mb-256-swap-mb-128-overcommit-memory-2");
	cr_expect_str_eq(m.cells[0].name, "ram_mb=256 swap_mb=128 overcommit_memory=2");
	cr_expect_eq(m.cells[0].ram_mb, 256);
	cr_expect_eq(m.cells[0].timeout_s, 120);
	cr_expect_str_eq(m.cells[0].wl[0].name, "touch");
	matrix_free(&m);
	free(text);

	const char *two[] = {"ram_mb=256", "ram_mb=512 timeout_s=30"};
	text = matrix_text(two, 2, "touch max_mb=100", "quick", 60);
	cr_assert_eq(matrix_load_buf_opts(CELLARG_SOURCE, text, strlen(text), &o, &m, &err), 0, "%s", err.data);
	cr_expect_str_eq(m.name, "quick");
	cr_assert_eq(m.n_cells, 2);
	cr_expect_str_eq(m.cells[0].id, "ram-mb-256");
	cr_expect_eq(m.cells[0].timeout_s, 60);
	cr_expect_eq(m.cells[1].timeout_s, 30);
	cr_assert_eq(m.cells[1].wl[0].n_args, 2);
	cr_expect_str_eq(m.cells[1].wl[0].args[0], "--max-mb");
	cr_expect_str_eq(m.cells[1].wl[0].args[1], "100");
	matrix_free(&m);
	free(text);
}

/* What the loader says of the matrix --cell made of cells and workload. */
static void loader_says(const char *cell, const char *wl, const char *want)
{
	const char *one[] = {cell};
	char *text = matrix_text(one, 1, wl, NULL, 0);
	struct matrix m;
	struct buf err = {0};
	struct matrix_opts o = {0};
	cr_expect_eq(matrix_load_buf_opts(CELLARG_SOURCE, text, strlen(text), &o, &m, &err), -1);
	cr_expect_str_eq(err.data ? err.data : "", want);
	buf_free(&err);
	free(text);
}

Test(cellarg, bad_values_get_the_loaders_line_from_cell)
{
	loader_says("ram_mb=abc", "touch", "--cell: cells[0].ram_mb: must be an integer in 64..65536");
	loader_says("ram_mb=32", "touch", "--cell: cells[0].ram_mb: 32 is out of range (allowed 64..65536)");
	loader_says("ram_mb=99999999999999999999", "touch", "--cell: cells[0].ram_mb: must be an integer in 64..65536");
	loader_says("swap_type=floppy", "touch", "--cell: cells[0].swap_type: must be one of: disk, zram");
	loader_says("mode=parallel", "touch", "--cell: cells[0].mode: must be \"together\" or \"sequence\"");
	loader_says("", "touch block_kb=0",
		    "--cell: cells[0].workloads[0].options.block_kb: must be an integer in 1..1048576 KiB");
}

/* A pipe holding text, as standard input. */
static int pipe_of(const char *text, size_t len)
{
	int fd[2];
	cr_assert_eq(pipe(fd), 0);
	cr_assert_eq(write_full(fd[1], text, len), 0);
	close(fd[1]);
	return fd[0];
}

Test(cellarg, stdin_read_whole_and_named)
{
	const char *text = "{\"name\":\"x\",\"cells\":[{\"ram_mb\":256,\"workloads\":[\"touch\"]}]}\n";
	int fd = pipe_of(text, strlen(text));
	struct matrix_source s;
	struct buf err = {0};
	cr_assert_eq(source_open(&s, "-", fd, &err), 0, "%s", err.data);
	close(fd);
	cr_expect_str_eq(s.name, "<stdin>");
	cr_expect_null(s.path);
	cr_assert_eq(s.len, strlen(text));
	cr_expect_eq(memcmp(s.data, text, s.len), 0);
	struct matrix m;
	struct matrix_opts o = {0};
	cr_assert_eq(source_load(&s, &o, &m, &err), 0, "%s", err.data);
	cr_expect_str_eq(m.path, "<stdin>");
	cr_expect_str_eq(m.cells[0].id, "ram-mb-256");
	matrix_free(&m);
	source_free(&s);

	/* the run dir keeps the bytes read, not the JSON re-written */
	const char odd[] = " {\"cells\":[{\"workloads\":[\"touch\"]}],   \"name\":\"x\"}";
	fd = pipe_of(odd, sizeof odd - 1);
	cr_assert_eq(source_open(&s, "-", fd, &err), 0, "%s", err.data);
	close(fd);
	char kept[] = "/tmp/oomlab-cellarg-XXXXXX";
	int kfd = mkstemp(kept);
	cr_assert_neq(kfd, -1);
	close(kfd);
	cr_assert_eq(source_keep(&s, kept), 0);
	char *back;
	size_t blen;
	cr_assert_eq(read_file(kept, &back, &blen), 0);
	cr_expect_eq(blen, sizeof odd - 1);
	cr_expect_eq(memcmp(back, odd, blen), 0, "kept: %s", back);
	free(back);
	unlink(kept);
	source_free(&s);

	/* its errors name <stdin>; its files start at the current dir */
	text = "{\"name\":\"x\",\"cells\":[{\"workloads\":[{\"name\":\"frag\",\"options\":{\"pattern\":\"file\","
	       "\"schedule\":\"/etc/passwd\"}}]}]}";
	fd = pipe_of(text, strlen(text));
	cr_assert_eq(source_open(&s, "-", fd, &err), 0, "%s", err.data);
	close(fd);
	cr_expect_eq(source_load(&s, &o, &m, &err), -1);
	cr_expect_str_eq(err.data, "<stdin>: cells[0].workloads[0].options.schedule: /etc/passwd is /etc/passwd, "
				   "outside the current dir (a matrix from stdin or --cell has no dir of its own) "
				   "(allowed: a regular file in that dir or below it, or a file or dir given with "
				   "--allow-file PATH)");
	buf_free(&err);
	source_free(&s);
}

Test(cellarg, stdin_bounded)
{
	/* exactly the limit is read; one byte more is refused, naming it */
	size_t n = MATRIX_MAX_BYTES + 1;
	char *big = xmalloc(n);
	memset(big, ' ', n);
	int fd[2];
	cr_assert_eq(pipe(fd), 0);
	pid_t pid = fork();
	cr_assert_neq(pid, -1);
	if (!pid) {
		close(fd[0]);
		_exit(write_full(fd[1], big, n) ? 1 : 0);
	}
	close(fd[1]);
	struct matrix_source s;
	struct buf err = {0};
	cr_expect_eq(source_open(&s, "-", fd[0], &err), -1);
	close(fd[0]);
	cr_expect_str_eq(err.data, "<stdin>: $: more than 4194304 bytes; a matrix may have at most 4194304");
	cr_expect_null(s.data);
	waitpid(pid, NULL, 0);
	buf_free(&err);

	cr_assert_eq(pipe(fd), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (!pid) {
		close(fd[0]);
		_exit(write_full(fd[1], big, n - 1) ? 1 : 0);
	}
	close(fd[1]);
	cr_expect_eq(source_open(&s, "-", fd[0], &err), 0, "%s", err.data);
	cr_expect_eq(s.len, MATRIX_MAX_BYTES);
	close(fd[0]);
	waitpid(pid, NULL, 0);
	source_free(&s);
	free(big);
}

Test(cellarg, fileless_matrix_paths)
{
	/* run.json's matrix.path of a run whose files start at the current
	 * dir on --resume too */
	cr_expect_eq(source_is_fileless("<stdin>"), 1);
	cr_expect_eq(source_is_fileless("--cell"), 1);
	cr_expect_eq(source_is_fileless("-"), 0);
	cr_expect_eq(source_is_fileless("examples/touch.json"), 0);
	cr_expect_eq(source_is_fileless(NULL), 0);
}
