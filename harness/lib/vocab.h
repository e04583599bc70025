/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The words of a run dir that its writers (the judge, oomlab run and
 * merge) and its readers (reports/) share: the report formats, the exit
 * codes of the CLI, and one table per vocabulary (verdicts, endpoints,
 * cell statuses) with everything a writer shows of a word. A word read
 * from a report is looked up with *_find(), which returns NULL for a word
 * the table lacks: the reports come from disk and are not trusted. */
#ifndef OOMLAB_VOCAB_H
#define OOMLAB_VOCAB_H

/* The "format" member of a cell report and of run.json; the contracts
 * are reports/cell.schema.json and reports/run.schema.json. */
#define CELL_FORMAT "oomlab-cell/1"
#define RUN_FORMAT "oomlab-run/1"

/* Exit codes of oomlab run, merge, report and compare (docs/guarantees.md). */
#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define EXIT_BROK 3

/* ---- verdicts: how a workload, a cell and a run came out ---- */

/* Ordered by rank, best first: a cell's verdict is the worst (the
 * highest) of its parts, and a run's exit code is its worst verdict's. */
enum verdict { V_PASS, V_SKIP, V_FAIL, V_BROK, VERDICT_COUNT };

struct verdict_row {
	enum verdict verdict; /* its own index */
	const char *word;     /* "verdict" in the reports, and the summary's key */
	const char *ansi;     /* its colour in the results table on a terminal */
	const char *css;      /* class of its HTML badge */
	const char *html_bg;  /* background of that badge */
	const char *junit;    /* element in its JUnit testcase (NULL: none, a pass) */
	const char *kcidb;    /* KCIDB test status */
	int exit_code;        /* of a run whose worst verdict this is */
	int failed;           /* the run failed: the HTML outlines the cell and
			       * gives it a section in a long report */
};

extern const struct verdict_row verdict_table[VERDICT_COUNT];
/* The order people read counts in: PASS, FAIL, BROK, SKIP. */
extern const enum verdict verdict_shown[VERDICT_COUNT];

const char *verdict_name(enum verdict v);
/* NULL for NULL or a word that is not a verdict. */
const struct verdict_row *verdict_find(const char *word);

/* ---- endpoints: how a workload ended ---- */

/* In the order "expect" lists them in a matrix error message. */
enum endpoint {
	EP_ENOMEM,
	EP_OOM_KILLED,
	EP_KILLED,
	EP_EXIT,
	EP_TIMEOUT,
	EP_VM_PANIC,
	EP_VM_LOST,
	EP_USER_OOM_KILLED, /* a userspace OOM killer (earlyoom) signalled it */
	EP_STALLED,         /* no progress under memory pressure: the agent ended it (judge/stall.h) */
	EP_FAILED,          /* a program of the user's exited with a code other than its ok_exit */
	ENDPOINT_COUNT
};

struct endpoint_row {
	enum endpoint endpoint; /* its own index */
	const char *word;       /* "endpoint" in the reports, "expect" in a matrix */
	const char *css;        /* class of its HTML chip */
	const char *html_bg;    /* background of that chip */
	const char *label;      /* short label on the chip */
	const char *meaning;    /* the chip's title in the legend */
};

extern const struct endpoint_row endpoint_table[ENDPOINT_COUNT];
/* The order of the HTML legend (and of the chips' style rules). */
extern const enum endpoint endpoint_legend[ENDPOINT_COUNT];

const char *endpoint_name(enum endpoint e);
/* NULL for NULL or a word that is not an endpoint. */
const struct endpoint_row *endpoint_find(const char *word);

/* ---- cell statuses: how a cell's VM ended ---- */

enum cell_status {
	CS_OK,            /* the agent said bye */
	CS_TIMEOUT,       /* the deadline came first */
	CS_VM_PANIC,      /* the kernel panicked */
	CS_VM_LOST,       /* the VM ended without the agent's bye */
	CS_BOOT_ERROR,    /* the agent never said hello */
	CS_BOOT_PANIC,    /* the kernel panicked before the agent's hello */
	CS_INTERRUPTED,   /* the user stopped the run */
	CS_HARNESS_ERROR, /* the host side could not run the cell */
	CS_NOT_STARTED,   /* the host could not start its worker (fork failed) */
	CELL_STATUS_COUNT
};

struct cell_status_row {
	enum cell_status status; /* its own index */
	const char *word;        /* "status" in the reports */
	enum verdict verdict;    /* the least verdict the status gives its cell
				  * (PASS: judged on its workloads) */
	const char *why;         /* the reason given when that is not PASS */
	enum endpoint unfinished; /* the endpoint of a workload that had not
				   * ended when the VM did */
	int rerun;               /* the cell did not finish: --resume runs it again */
};

extern const struct cell_status_row cell_status_table[CELL_STATUS_COUNT];

const char *cell_status_name(enum cell_status s);
/* NULL for NULL or a word that is not a cell status. */
const struct cell_status_row *cell_status_find(const char *word);

/* ---- finding kinds: what a kernel finding is (docs/findings.md) ---- */

/* A finding is the kernel misbehaving: a warning, a BUG, a lockup, a hung
 * task, an allocation failure storm, a stall. Each has a kind of this
 * table and a title (parse/findings.h); a matrix "allow"s a kind by its
 * word or a finding by its exact title. */
enum finding_kind {
	FK_WARNING,       /* "WARNING: CPU: N PID: N at file:line func" (kernel/panic.c __warn) */
	FK_BUG,           /* "BUG: ..." not taken by a row below */
	FK_KERNEL_BUG,    /* "kernel BUG at file:line!" (BUG_ON) */
	FK_OOPS,          /* "Oops: ..." */
	FK_GPF,           /* "general protection fault ..." */
	FK_SOFT_LOCKUP,   /* "watchdog: BUG: soft lockup - CPU#N stuck for Ns!" */
	FK_HARD_LOCKUP,   /* "Watchdog detected hard LOCKUP on cpu N" */
	FK_HUNG_TASK,     /* "INFO: task comm:pid blocked for more than N seconds." */
	FK_RCU_STALL,     /* "rcu: INFO: rcu_sched self-detected stall on CPU" ... */
	FK_ATOMIC_SLEEP,  /* "BUG: sleeping function called from invalid context", "BUG: scheduling while atomic" */
	FK_BAD_PAGE,      /* "BUG: Bad page state in process ..." */
	FK_BAD_RSS,       /* "BUG: Bad rss-counter state mm:..." */
	FK_KASAN,         /* "BUG: KASAN: ..." */
	FK_KFENCE,        /* "BUG: KFENCE: ..." */
	FK_ALLOC_FAILURE, /* "<comm>: page allocation failure: order:N, mode:..." (warn_alloc) */
	FK_OOM_NO_VICTIM, /* "Out of memory and no killable processes..." */
	FK_STALL,         /* judged, not logged: a workload made no progress under pressure */
	FINDING_KIND_COUNT
};

struct finding_kind_row {
	enum finding_kind kind; /* its own index */
	const char *word;       /* "kind" in the reports, and what "allow" names */
	const char *meaning;    /* one line for the docs and the HTML legend */
};

extern const struct finding_kind_row finding_kind_table[FINDING_KIND_COUNT];

const char *finding_kind_name(enum finding_kind k);
/* NULL for NULL or a word that is not a finding kind. */
const struct finding_kind_row *finding_kind_find(const char *word);

#endif
