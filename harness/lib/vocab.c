// SPDX-License-Identifier: GPL-2.0-or-later
/* The tables of lib/vocab.h. tests/unit/test_vocab.c pins every row and
 * checks the schemas' enums against them. */
#include "lib/vocab.h"

#include <string.h>

const struct verdict_row verdict_table[VERDICT_COUNT] = {
	[V_PASS] = {.verdict = V_PASS, .word = "PASS", .ansi = "\033[32m", .css = "v-PASS",
		    .html_bg = "#2a7d2a", .junit = NULL, .kcidb = "PASS", .exit_code = EXIT_OK, .failed = 0},
	[V_SKIP] = {.verdict = V_SKIP, .word = "SKIP", .ansi = "\033[33m", .css = "v-SKIP",
		    .html_bg = "#b08900", .junit = "skipped", .kcidb = "SKIP", .exit_code = EXIT_OK, .failed = 0},
	[V_FAIL] = {.verdict = V_FAIL, .word = "FAIL", .ansi = "\033[31m", .css = "v-FAIL",
		    .html_bg = "#c62828", .junit = "failure", .kcidb = "FAIL", .exit_code = EXIT_FAIL, .failed = 1},
	[V_BROK] = {.verdict = V_BROK, .word = "BROK", .ansi = "\033[35m", .css = "v-BROK",
		    .html_bg = "#7b1fa2", .junit = "error", .kcidb = "ERROR", .exit_code = EXIT_BROK, .failed = 1},
};

const enum verdict verdict_shown[VERDICT_COUNT] = {V_PASS, V_FAIL, V_BROK, V_SKIP};

const char *verdict_name(enum verdict v)
{
	return verdict_table[v].word;
}

const struct verdict_row *verdict_find(const char *word)
{
	for (int i = 0; word && i < VERDICT_COUNT; i++)
		if (!strcmp(word, verdict_table[i].word))
			return &verdict_table[i];
	return NULL;
}

const struct endpoint_row endpoint_table[ENDPOINT_COUNT] = {
	[EP_ENOMEM] = {.endpoint = EP_ENOMEM, .word = "enomem", .css = "ep-enomem", .html_bg = "#fde3a7",
		       .label = "ENOMEM", .meaning = "an allocation was refused"},
	[EP_OOM_KILLED] = {.endpoint = EP_OOM_KILLED, .word = "oom_killed", .css = "ep-oom", .html_bg = "#f8c9c4",
			   .label = "OOM-killed", .meaning = "killed by the OOM killer"},
	[EP_KILLED] = {.endpoint = EP_KILLED, .word = "killed", .css = "ep-killed", .html_bg = "#ffccbc",
		       .label = "killed", .meaning = "another signal"},
	[EP_EXIT] = {.endpoint = EP_EXIT, .word = "exit", .css = "ep-exit", .html_bg = "#c8e6c9",
		     .label = "exited", .meaning = "finished by itself"},
	[EP_TIMEOUT] = {.endpoint = EP_TIMEOUT, .word = "timeout", .css = "ep-timeout", .html_bg = "#e0e0e0",
			.label = "timeout", .meaning = "still running at the deadline"},
	[EP_VM_PANIC] = {.endpoint = EP_VM_PANIC, .word = "vm_panic", .css = "ep-panic", .html_bg = "#e1bee7",
			 .label = "panic", .meaning = "the kernel panicked"},
	[EP_VM_LOST] = {.endpoint = EP_VM_LOST, .word = "vm_lost", .css = "ep-lost", .html_bg = "#b0bec5",
			.label = "VM lost", .meaning = "the VM ended without a report"},
	[EP_USER_OOM_KILLED] = {.endpoint = EP_USER_OOM_KILLED, .word = "user_oom_killed", .css = "ep-uoom",
				.html_bg = "#ffe0b2", .label = "user-OOM-killed",
				.meaning = "killed by a userspace OOM killer (earlyoom)"},
	[EP_STALLED] = {.endpoint = EP_STALLED, .word = "stalled", .css = "ep-stalled", .html_bg = "#ffab91",
			.label = "stalled",
			.meaning = "no progress under memory pressure: the agent ended it at the stall limit"},
	[EP_FAILED] = {.endpoint = EP_FAILED, .word = "failed", .css = "ep-failed", .html_bg = "#ef9a9a",
		       .label = "failed",
		       .meaning = "the program reported a failure: it exited with a code other than its ok_exit"},
};

const enum endpoint endpoint_legend[ENDPOINT_COUNT] = {
	EP_OOM_KILLED, EP_USER_OOM_KILLED, EP_ENOMEM, EP_EXIT, EP_FAILED, EP_KILLED, EP_STALLED,
	EP_TIMEOUT, EP_VM_PANIC, EP_VM_LOST,
};

const char *endpoint_name(enum endpoint e)
{
	return endpoint_table[e].word;
}

const struct endpoint_row *endpoint_find(const char *word)
{
	for (int i = 0; word && i < ENDPOINT_COUNT; i++)
		if (!strcmp(word, endpoint_table[i].word))
			return &endpoint_table[i];
	return NULL;
}

const struct cell_status_row cell_status_table[CELL_STATUS_COUNT] = {
	[CS_OK] = {.status = CS_OK, .word = "ok", .verdict = V_PASS, .unfinished = EP_VM_LOST},
	[CS_TIMEOUT] = {.status = CS_TIMEOUT, .word = "timeout", .verdict = V_PASS, .unfinished = EP_TIMEOUT},
	[CS_VM_PANIC] = {.status = CS_VM_PANIC, .word = "vm_panic", .verdict = V_PASS, .unfinished = EP_VM_PANIC},
	[CS_VM_LOST] = {.status = CS_VM_LOST, .word = "vm_lost", .verdict = V_BROK,
			.why = "the VM ended without the agent's bye", .unfinished = EP_VM_LOST},
	[CS_BOOT_ERROR] = {.status = CS_BOOT_ERROR, .word = "boot_error", .verdict = V_BROK,
			   .why = "the agent never said hello (boot failed; see console_tail)",
			   .unfinished = EP_VM_LOST},
	[CS_BOOT_PANIC] = {.status = CS_BOOT_PANIC, .word = "boot_panic", .verdict = V_BROK,
			   .why = "the kernel panicked before the agent's hello", .unfinished = EP_VM_PANIC},
	[CS_INTERRUPTED] = {.status = CS_INTERRUPTED, .word = "interrupted", .verdict = V_BROK,
			    .why = "interrupted by the user", .unfinished = EP_TIMEOUT, .rerun = 1},
	[CS_HARNESS_ERROR] = {.status = CS_HARNESS_ERROR, .word = "harness_error", .verdict = V_BROK,
			      .why = "the harness could not run the cell", .unfinished = EP_VM_LOST},
	[CS_NOT_STARTED] = {.status = CS_NOT_STARTED, .word = "not_started", .verdict = V_BROK,
			    .why = "the harness could not start the cell", .unfinished = EP_VM_LOST, .rerun = 1},
};

const char *cell_status_name(enum cell_status s)
{
	return cell_status_table[s].word;
}

const struct cell_status_row *cell_status_find(const char *word)
{
	for (int i = 0; word && i < CELL_STATUS_COUNT; i++)
		if (!strcmp(word, cell_status_table[i].word))
			return &cell_status_table[i];
	return NULL;
}

#define FK(k, w, m) [k] = {.kind = k, .word = w, .meaning = m}
const struct finding_kind_row finding_kind_table[FINDING_KIND_COUNT] = {
	FK(FK_WARNING, "warning", "a kernel WARNING: a condition the kernel's authors thought impossible"),
	FK(FK_BUG, "bug", "a kernel BUG: report"),
	FK(FK_KERNEL_BUG, "kernel_bug", "a BUG_ON() fired (kernel BUG at file:line)"),
	FK(FK_OOPS, "oops", "a kernel oops"),
	FK(FK_GPF, "gpf", "a general protection fault in the kernel"),
	FK(FK_SOFT_LOCKUP, "soft_lockup", "a CPU ran kernel code without scheduling for too long"),
	FK(FK_HARD_LOCKUP, "hard_lockup", "a CPU stopped taking interrupts"),
	FK(FK_HUNG_TASK, "hung_task", "a task slept uninterruptibly longer than hung_task_timeout_secs"),
	FK(FK_RCU_STALL, "rcu_stall", "an RCU grace period did not end in time"),
	FK(FK_ATOMIC_SLEEP, "atomic_sleep", "the kernel slept where it must not"),
	FK(FK_BAD_PAGE, "bad_page", "a page was freed or allocated in a bad state"),
	FK(FK_BAD_RSS, "bad_rss", "an mm's rss counters did not add up when it was freed"),
	FK(FK_KASAN, "kasan", "KASAN caught a bad memory access"),
	FK(FK_KFENCE, "kfence", "KFENCE caught a bad memory access"),
	FK(FK_ALLOC_FAILURE, "alloc_failure", "the page allocator failed an allocation and warned"),
	FK(FK_OOM_NO_VICTIM, "oom_no_victim", "the OOM killer found nothing to kill"),
	FK(FK_STALL, "stall", "a workload made no progress under memory pressure"),
};
#undef FK

const char *finding_kind_name(enum finding_kind k)
{
	return (unsigned)k < FINDING_KIND_COUNT ? finding_kind_table[k].word : NULL;
}

const struct finding_kind_row *finding_kind_find(const char *word)
{
	for (int i = 0; word && i < FINDING_KIND_COUNT; i++)
		if (!strcmp(word, finding_kind_table[i].word))
			return &finding_kind_table[i];
	return NULL;
}
