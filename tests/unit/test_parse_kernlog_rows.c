// SPDX-License-Identifier: GPL-2.0-or-later
/* The line table of the kernel log parser (harness/parse/kmsg.c): every row
 * takes the lines it is for, and every row takes at least one message of
 * the real kernel output in tests/golden (a new row comes with its golden
 * file). */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "golden.h"
#include "lib/util.h"
#include "parse/parse.h"
#include "proto/stream.h"

/* ---- one real line per row, and the lines no row may take ---- */

static const struct {
	const char *line;
	const char *row; /* the text of the row that takes it; NULL: none */
} lines[] = {
	{"touch invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=0",
	 " invoked oom-killer: "},
	{"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=touch,pid=80,uid=0",
	 "oom-kill:"},
	{"Out of memory: Killed process 80 (touch) total-vm:184356kB, anon-rss:182456kB, file-rss:0kB, shmem-rss:552kB, UID:0 pgtables:396kB oom_score_adj:0",
	 "Killed process "},
	{"Memory cgroup out of memory: Killed process 84 (touch) total-vm:35768kB, anon-rss:32128kB, file-rss:0kB, shmem-rss:552kB, UID:0 pgtables:104kB oom_score_adj:0",
	 "Killed process "},
	{"oom_reaper: reaped process 79 (touch), now anon-rss:0kB, file-rss:0kB, shmem-rss:552kB", "oom_reaper: reaped process "},
	{"oom_reaper: unable to reap pid:79 (touch)", "oom_reaper: unable to reap pid:"},
	/* not the reaper's other lines */
	{"oom_reaper: unable to reap", NULL},
	{"memory: usage 65536kB, limit 65536kB, failcnt 19", "memory: usage "},
	{"swap: usage 32768kB, limit 32768kB, failcnt 2", "swap: usage "},
	{"Memory cgroup stats for /g:", "Memory cgroup stats for "},
	{"Tasks in /g are going to be killed due to memory.oom.group set",
	 " are going to be killed due to memory.oom.group set"},
	{"touch: page allocation failure: order:0, mode:0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), nodemask=(null),cpuset=/,mems_allowed=0",
	 ": page allocation failure: order:"},
	{"Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled", "Kernel panic - not syncing: "},
	{"Oops: 0002 [#1] PREEMPT SMP NOPTI", "Oops:"},
	{"BUG: kernel NULL pointer dereference, address: 0000000000000008", "BUG:"},
	{"kernel BUG at mm/slub.c:294!", "kernel BUG at "},
	{"general protection fault, probably for non-canonical address 0xb4965e5a58a488: 0000 [#1] PREEMPT SMP NOPTI",
	 "general protection fault"},
	{"WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:4832 __alloc_pages_noprof+0x303/0x310", "WARNING: CPU: "},
	{"Unreclaimable slab info:", "Unreclaimable slab info:"},
	{"Name                      Used          Total", "Name                      Used          Total"},
	{"kmalloc-cg-4k         169212KB     169212KB", "KB "},
	{"task_struct              394KB        515KB", "KB "},
	/* where the text may stand: blanks before a line start are skipped */
	{"  oom-kill:constraint=CONSTRAINT_NONE", "oom-kill:"},
	{"\tWARNING: CPU: 1 PID: 2", "WARNING: CPU: "},
	{"Killed process 80 (touch) total-vm:1kB", "Killed process "},
	/* ... but other text before it is not */
	{"x oom-kill:constraint=CONSTRAINT_NONE", NULL},
	{"rcu: BUG: x", NULL},
	{"the Killed process 80 (touch) total-vm:1kB", NULL},
	/* old kernels: a task sharing the victim's memory is no kill */
	{"Killed process 78 (x) sharing same memory", NULL},
	/* the first row in table order wins */
	{"a invoked oom-killer: Out of memory: Killed process 5 (b) total-vm:1kB", " invoked oom-killer: "},
	{"BUG: x invoked oom-killer: gfp_mask=0xcc0(), order=-1, oom_score_adj=0", " invoked oom-killer: "},
	/* CR/LF ends are not part of the message */
	{"WARNING: CPU: \r\n", "WARNING: CPU: "},
	{"", NULL},
	{"Linux version 6.1.0-56-amd64", NULL},
};

static int row_of_text(const char *text)
{
	for (size_t i = 0; i < kernlog_rows(); i++)
		if (!strcmp(kernlog_row_text(i), text))
			return (int)i;
	return -1;
}

Test(kernlog_rows, each_row_takes_its_lines)
{
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		int want = lines[i].row ? row_of_text(lines[i].row) : -1;
		cr_assert(!lines[i].row || want >= 0, "no row \"%s\"", lines[i].row);
		char *d = dup_exact(lines[i].line, strlen(lines[i].line));
		int got = kernlog_row_of(d, strlen(lines[i].line));
		free(d);
		cr_assert_eq(got, want, "\"%s\": row %d (\"%s\"), want %d (\"%s\")", lines[i].line, got,
			     got >= 0 ? kernlog_row_text((size_t)got) : "none", want, lines[i].row ? lines[i].row : "none");
	}
	cr_assert_null(kernlog_row_text(kernlog_rows()));
	cr_assert_eq(kernlog_row_of(NULL, 0), -1);
}

/* ---- every row is exercised by tests/golden ---- */

struct tally {
	size_t *hits;
	size_t messages;
};

static void count(struct tally *t, const char *msg, size_t len)
{
	int r = kernlog_row_of(msg, len);
	if (r >= 0)
		t->hits[r]++;
	t->messages++;
}

static void count_console(struct tally *t, const char *buf, size_t len)
{
	size_t pos = 0, n;
	unsigned long long ts = 0;
	const char *msg;
	while (console_next(buf, len, &pos, &ts, &msg, &n))
		count(t, msg, n);
}

/* /dev/kmsg records: one starts at every line not starting with a space */
static void count_kmsg(struct tally *t, const char *buf, size_t len)
{
	for (const char *p = buf, *end = buf + len; p < end;) {
		const char *q = p;
		for (;;) {
			const char *nl = memchr(q, '\n', (size_t)(end - q));
			q = nl ? nl + 1 : end;
			if (q >= end || *q != ' ')
				break;
		}
		struct kmsg_rec r;
		if (parse_kmsg_record(p, (size_t)(q - p), &r) == 0)
			count(t, r.text, r.text_len);
		p = q;
	}
}

/* the kmsg records of an agent stream */
static void count_stream(struct tally *t, const char *buf, size_t len)
{
	size_t pos = 0;
	struct stream_rec rec;
	while (stream_next(buf, len, &pos, &rec, NULL))
		if (!strcmp(rec.kind, STREAM_KIND_KMSG))
			count_kmsg(t, rec.payload, rec.len);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* A file of tests/golden: a golden file of the kernel log (its "# form:"),
 * a console log or a stream of a recorded cell. Other files are skipped. */
static void count_file(struct tally *t, const char *path)
{
	char *data;
	size_t len;
	cr_assert_eq(read_file(path, &data, &len), 0, "cannot read %s", path);
	const char *sep = len > 2 && !memcmp(data, "# ", 2) ? strstr(data, "\n# ---\n") : NULL;
	if (sep) {
		const char *body = sep + 7;
		size_t blen = len - (size_t)(body - data);
		if (strstr(data, "\n# form: console\n") && strstr(data, "\n# form: console\n") < sep)
			count_console(t, body, blen);
		else if (strstr(data, "\n# form: kmsg\n") && strstr(data, "\n# form: kmsg\n") < sep)
			count_kmsg(t, body, blen);
	} else if (ends_with(path, ".console.log")) {
		count_console(t, data, len);
	} else if (ends_with(path, ".stream")) {
		count_stream(t, data, len);
	}
	free(data);
}

static void walk(struct tally *t, const char *dir)
{
	DIR *d = opendir(dir);
	cr_assert(d, "cannot open %s", dir);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		struct stat st;
		cr_assert_eq(stat(p, &st), 0, "%s", p);
		if (S_ISDIR(st.st_mode))
			walk(t, p);
		else if (S_ISREG(st.st_mode))
			count_file(t, p);
		free(p);
	}
	closedir(d);
}

Test(kernlog_rows, every_row_matches_a_golden_file)
{
	size_t n = kernlog_rows();
	cr_assert_gt(n, 0);
	struct tally t = {xcalloc(n, sizeof *t.hits), 0};
	char *root = golden_path("");
	walk(&t, root);
	free(root);
	cr_assert_gt(t.messages, 10000, "only %zu kernel messages in tests/golden", t.messages);
	for (size_t i = 0; i < n; i++)
		cr_expect_gt(t.hits[i], 0, "row %zu (\"%s\") takes no message of tests/golden: add a golden file of the kernel output it is for",
			     i, kernlog_row_text(i));
	free(t.hits);
}
