// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/nohello.h"
#include "lib/excerpt.h"
#include "lib/spawn.h"
#include "parse/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The excerpt's first line, without its "[    2.4]" stamp. */
static void first_line(const char *ex, char *out, size_t cap)
{
	size_t pos = 0, ml = 0;
	unsigned long long ts = 0;
	const char *msg = NULL;
	out[0] = 0;
	if (console_next(ex, strlen(ex), &pos, &ts, &msg, &ml))
		snprintf(out, cap, "%.*s", (int)(ml < 200 ? ml : 200), msg);
}

void nohello_explain(const char *console, size_t len, const struct vm_result *vr, const char *when,
		     struct nohello *out)
{
	memset(out, 0, sizeof *out);
	struct kernlog kl;
	kernlog_init(&kl);
	if (console && len)
		kernlog_feed_console(&kl, console, len);
	out->excerpt = console_excerpt(console ? console : "", console ? len : 0, EXCERPT_LINES);
	char line[256];
	first_line(out->excerpt, line, sizeof line);
	/* QEMU ends by itself before the hello only when the guest reset or
	 * powered off: with panic=-1 and -no-reboot, a panic ends it */
	int ended = !vr->timed_out && !vr->interrupted && !vr->no_hello;
	if (kl.panic) {
		out->crashed = 1;
		snprintf(out->reason, sizeof out->reason,
			 "the kernel panicked %s, before the agent's hello: %s", when, kl.panic_msg);
	} else if (kl.n_oops) {
		out->crashed = 1;
		snprintf(out->reason, sizeof out->reason, "the kernel oopsed %s, before the agent's hello: %s",
			 when, line);
	} else if (vr->no_hello) {
		snprintf(out->reason, sizeof out->reason, "no hello from the agent %s (the VM was stopped waiting)",
			 when);
	} else if (vr->timed_out) {
		snprintf(out->reason, sizeof out->reason, "the cell's time ran out %s, before the agent's hello",
			 when);
	} else if (vr->interrupted) {
		snprintf(out->reason, sizeof out->reason, "interrupted %s, before the agent's hello", when);
	} else if (ended) {
		out->crashed = 1;
		snprintf(out->reason, sizeof out->reason, "QEMU ended (%s) %s, before the agent's hello",
			 status_str(vr->status), when);
	}
	kernlog_free(&kl);
}

void nohello_free(struct nohello *n)
{
	if (!n)
		return;
	free(n->excerpt);
	n->excerpt = NULL;
}
