/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Why a VM ended before the agent's hello: the guest kernel crashed (a
 * panic or an oops on the console), QEMU ended by itself, no hello came
 * in time, or the cell's time ran out. For a warm start that went wrong
 * (the cell is then retried: docs/warm-starts.md). Pure over its inputs. */
#ifndef OOMLAB_NOHELLO_H
#define OOMLAB_NOHELLO_H

#include <stddef.h>

#include "vm/vm.h"

struct nohello {
	int crashed;       /* the guest died: a panic or an oops on the console, or QEMU ended by itself */
	char reason[400];  /* one line, e.g. "the kernel panicked after the restore, before the agent's
			    * hello: Fatal exception in interrupt" */
	char *excerpt;     /* the console's crash lines or its end (lib/excerpt.h); "" without a console */
};

/* console: the console text (or its tail; NULL: none), vr: how the VM
 * ended, when: "after the restore" or "during the boot". */
void nohello_explain(const char *console, size_t len, const struct vm_result *vr, const char *when,
		     struct nohello *out);
void nohello_free(struct nohello *n);

#endif
