// SPDX-License-Identifier: GPL-2.0-or-later
/* A VM that ended before the agent's hello (judge/nohello.h) and the
 * console excerpt a report quotes (lib/excerpt.h), on the real console of
 * a warm restore that crashed (tests/golden/kernlog/double-fault-warm-6.12.console). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "judge/nohello.h"
#include "lib/excerpt.h"
#include "lib/util.h"

Test(nohello, excerpt_starts_at_the_first_crash_line)
{
	struct golden g;
	golden_load("kernlog/double-fault-warm-6.12.console", &g);
	char *ex = console_excerpt(g.body, g.body_len, EXCERPT_LINES);
	cr_assert(!strncmp(ex, "[    2.432710] traps: PANIC: double fault, error_code: 0x0", 58), "%.80s", ex);
	size_t lines = 0;
	for (const char *p = ex; *p; p++)
		lines += *p == '\n';
	cr_assert_eq(lines, EXCERPT_LINES, "%zu lines", lines);
	cr_assert_not_null(strstr(ex, "RIP: 0010:__kmalloc_cache_node_noprof+0xe7/0x330"));
	cr_assert_not_null(strstr(ex, "EFLAGS: 022efbc2"));
	free(ex);
	/* fewer lines asked, fewer given */
	ex = console_excerpt(g.body, g.body_len, 2);
	cr_assert_not_null(strstr(ex, "Oops: double fault"));
	cr_assert_null(strstr(ex, "CPU: 0 UID"));
	free(ex);
	golden_free(&g);
}

Test(nohello, excerpt_without_a_crash_is_the_end)
{
	const char *t = "a\nb\nc\nd\n";
	char *ex = console_excerpt(t, strlen(t), 2);
	cr_assert_str_eq(ex, "c\nd\n");
	free(ex);
	ex = console_excerpt("x", 1, 5);
	cr_assert_str_eq(ex, "x");
	free(ex);
	ex = console_excerpt("", 0, 5);
	cr_assert_str_eq(ex, "");
	free(ex);
	/* a line longer than the byte cap is cut, never more than the cap */
	size_t n = 3 * EXCERPT_BYTES;
	char *big = xmalloc(n);
	memset(big, 'x', n);
	ex = console_excerpt(big, n, 5);
	cr_assert_eq(strlen(ex), EXCERPT_BYTES);
	free(ex);
	free(big);
	/* every marker is one */
	for (size_t m = 0; m < excerpt_markers(); m++) {
		char *text = xasprintf("before\n[ 1.0] %s here\nafter\n", excerpt_marker(m));
		ex = console_excerpt(text, strlen(text), 5);
		cr_assert(!strncmp(ex, "[ 1.0] ", 7), "marker %s: %s", excerpt_marker(m), ex);
		free(ex);
		free(text);
	}
	cr_assert_null(excerpt_marker(excerpt_markers()));
}

Test(nohello, a_panic_after_the_restore_is_a_crash_with_its_message)
{
	struct golden g;
	golden_load("kernlog/double-fault-warm-6.12.console", &g);
	struct vm_result vr = {.status = 0}; /* QEMU ended by itself (panic=-1, -no-reboot) */
	struct nohello nh;
	nohello_explain(g.body, g.body_len, &vr, "after the restore", &nh);
	cr_assert(nh.crashed);
	cr_assert_str_eq(nh.reason, "the kernel panicked after the restore, before the agent's hello: "
				    "Fatal exception in interrupt");
	cr_assert(!strncmp(nh.excerpt, "[    2.432710] traps: PANIC: double fault", 41));
	nohello_free(&nh);
	golden_free(&g);
}

Test(nohello, each_other_way_to_end_before_the_hello)
{
	struct nohello nh;
	const char *oops = "[ 1.0] BUG: kernel NULL pointer dereference, address: 0000000000000008\n";
	struct vm_result vr = {.no_hello = 1};
	nohello_explain(oops, strlen(oops), &vr, "after the restore", &nh);
	cr_assert(nh.crashed);
	cr_assert_str_eq(nh.reason, "the kernel oopsed after the restore, before the agent's hello: "
				    "BUG: kernel NULL pointer dereference, address: 0000000000000008");
	nohello_free(&nh);
	nohello_explain("quiet\n", 6, &vr, "after the restore", &nh);
	cr_assert(!nh.crashed, "stopped waiting: no crash shown");
	cr_assert_str_eq(nh.reason, "no hello from the agent after the restore (the VM was stopped waiting)");
	cr_assert_str_eq(nh.excerpt, "quiet\n");
	nohello_free(&nh);
	vr = (struct vm_result){.status = 0};
	nohello_explain(NULL, 0, &vr, "during the boot", &nh);
	cr_assert(nh.crashed, "QEMU ended by itself");
	cr_assert_str_eq(nh.reason, "QEMU ended (exit 0) during the boot, before the agent's hello");
	cr_assert_str_eq(nh.excerpt, "");
	nohello_free(&nh);
	vr = (struct vm_result){.timed_out = 1};
	nohello_explain("x\n", 2, &vr, "during the boot", &nh);
	cr_assert(!nh.crashed);
	cr_assert_str_eq(nh.reason, "the cell's time ran out during the boot, before the agent's hello");
	nohello_free(&nh);
}
