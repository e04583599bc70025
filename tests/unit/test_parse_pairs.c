// SPDX-License-Identifier: GPL-2.0-or-later
/* The byte pairs of a line (harness/parse/pairs.h), the test that spares
 * the kernel log parsers (kmsg.c, findings.c) most searches for their rows'
 * texts: it may never rule out a text that is in the line, wherever it
 * stands (first byte, last byte, after a prefix), and the rows that are
 * searched for anywhere still take their lines when the text ends them. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "lib/util.h"
#include "parse/findings.h"
#include "parse/pairs.h"
#include "parse/parse.h"

static int may(const char *line, const char *lit)
{
	struct pairs ps;
	pairs_of(&ps, line, line + strlen(line));
	return pairs_may_hold(&ps, lit, strlen(lit));
}

Test(pairs, exact_answers)
{
	/* "abc": the pairs "ab" and "bc" */
	cr_expect_eq(may("abc", "ab"), 1);
	cr_expect_eq(may("abc", "bc"), 1);
	cr_expect_eq(may("abc", "abc"), 1);
	cr_expect_eq(may("abc", "zz"), 0);
	cr_expect_eq(may("abc", "ba"), 0);
	cr_expect_eq(may("abc", "abcd"), 0); /* its last pair "cd" is not there */
	cr_expect_eq(may("abc", "xbc"), 0);  /* nor its first, "xb" */
	/* fewer than two bytes: no pair to rule it out */
	cr_expect_eq(may("abc", "z"), 1);
	cr_expect_eq(may("abc", ""), 1);
	cr_expect_eq(may("", "ab"), 0);
	cr_expect_eq(may("a", "ab"), 0);
	/* the four pairs tested of a long text: first, last, two between */
	cr_expect_eq(may(" invoked oom-killer: ", " invoked oom-killer: "), 1);
	cr_expect_eq(may(" invoked oom-killer:", " invoked oom-killer: "), 0);
	cr_expect_eq(may("invoked oom-killer: ", " invoked oom-killer: "), 0);
}

/* Every text of both tables, at a line's start, after a prefix, at its
 * end, alone: never ruled out. */
Test(pairs, never_rules_out_a_row_text_that_is_there)
{
	static const char *const around[][2] = {
		{"", ""}, {"x", ""}, {"", "x"}, {"watchdog: ", ""}, {"[    1.234567] ", " 12"}, {"\t", "\r"},
	};
	for (int table = 0; table < 2; table++) {
		size_t n = table ? kernlog_rows() : findings_rows();
		for (size_t i = 0; i < n; i++) {
			const char *text = table ? kernlog_row_text(i) : findings_row_text(i);
			for (size_t k = 0; k < ARRAY_SIZE(around); k++) {
				char line[256];
				snprintf(line, sizeof line, "%s%s%s", around[k][0], text, around[k][1]);
				cr_expect_eq(may(line, text), 1, "'%s' in '%s'", text, line);
			}
		}
	}
}

/* Every substring (2 to 40 bytes) of every line of a real console log is
 * let through: the set holds every pair of the line, the last one too. */
Test(pairs, never_rules_out_a_substring_of_real_lines)
{
	struct golden g;
	golden_load("kernlog/oom-touch-6.12.console", &g);
	const char *p = g.body, *end = g.body + g.body_len;
	size_t lines = 0, tried = 0, missed = 0;
	char first_miss[128] = "";
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct pairs ps;
		pairs_of(&ps, p, le);
		for (const char *a = p; a < le; a++)
			for (size_t len = 2; len <= 40 && a + len <= le; len++, tried++)
				if (!pairs_may_hold(&ps, a, len) && !missed++)
					snprintf(first_miss, sizeof first_miss, "%.*s", (int)len, a);
		lines++;
		p = nl ? nl + 1 : end;
	}
	cr_expect_eq(missed, 0, "%zu substrings ruled out, the first '%s'", missed, first_miss);
	cr_expect_gt(lines, 100);
	cr_expect_gt(tried, 100000);
	golden_free(&g);
}

static int row_index(int table, const char *text)
{
	size_t n = table ? kernlog_rows() : findings_rows();
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table ? kernlog_row_text(i) : findings_row_text(i), text))
			return (int)i;
	return -2;
}

/* The rows searched for anywhere or after a prefix take a line whose
 * last bytes are their text (or the text that must follow it). */
Test(pairs, rows_searched_for_take_a_line_their_text_ends)
{
	static const struct {
		int table; /* 0 findings, 1 kmsg */
		const char *line;
		const char *row;
	} t[] = {
		{0, "watchdog: BUG: soft lockup - CPU#", "BUG: soft lockup - CPU#"},
		{0, "x: BUG: workqueue lockup", "BUG: workqueue lockup"},
		{0, "rcu: INFO: rcu_sched self-detected stall", "INFO: rcu_"},
		{0, "CPU3: Watchdog detected hard LOCKUP on cpu ", "Watchdog detected hard LOCKUP on cpu "},
		{0, "hold: page allocation failure: order:", ": page allocation failure: order:"},
		{0, "INFO: task x:1 blocked for more than ", "INFO: task "},
		{1, "x invoked oom-killer: ", " invoked oom-killer: "},
		{1, "Out of memory: Killed process ", "Killed process "},
		{1, "Tasks in /g are going to be killed due to memory.oom.group set",
		 " are going to be killed due to memory.oom.group set"},
		{1, "hold: page allocation failure: order:", ": page allocation failure: order:"},
		{1, "task_struct              394KB        515KB ", "KB "},
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		size_t n = strlen(t[i].line);
		char *l = dup_exact(t[i].line, n);
		int got = t[i].table ? kernlog_row_of(l, n) : findings_row_of(l, n);
		cr_expect_eq(got, row_index(t[i].table, t[i].row), "'%s': row %d", t[i].line, got);
		free(l);
	}
}
