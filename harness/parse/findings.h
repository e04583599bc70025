/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel findings: the kernel's own reports of misbehaviour (warnings,
 * BUGs, oopses, lockups, hung tasks, RCU stalls, allocation failures, an
 * OOM killer with nothing to kill) recognised in the kernel log, each with
 * a title built the way syzkaller builds them: the kind's text plus the
 * first frame of the call trace outside generic helpers ("WARNING in
 * __alloc_pages_slowpath", "INFO: task hung in folio_wait_bit_common").
 * Pure, like every parser here: messages in, findings out. */
#ifndef OOMLAB_FINDINGS_H
#define OOMLAB_FINDINGS_H

#include <stddef.h>

#include "lib/vocab.h"

struct pairs; /* parse/pairs.h */

#define FINDING_TITLE_MAX 160
#define FINDING_FRAME_MAX 64  /* a function name of the call trace */
#define FINDING_FRAMES 16     /* frames kept, innermost first */
#define FINDING_RAW_MAX 4096  /* bytes of the report's lines kept */

struct finding {
	enum finding_kind kind;
	char title[FINDING_TITLE_MAX];
	unsigned long long ts_us;  /* guest time of its first line */
	char frames[FINDING_FRAMES][FINDING_FRAME_MAX]; /* "folio_wait_bit_common" */
	int n_frames;
	char raw[FINDING_RAW_MAX]; /* its lines as logged, newline-separated */
	size_t raw_len;
	int raw_truncated;         /* there were more lines than raw holds */
	int count;                 /* how often this title came in the log (1: once) */
};

/* The findings of one log, one per distinct title in the order first
 * seen; a title seen again only counts (a storm is one finding). */
struct findings {
	struct finding *f;
	size_t n, cap;
	/* internal assembly state (findings.c) */
	int open;                  /* index of the finding whose lines go on, or -1 */
	int in_trace;              /* inside its "Call Trace:" */
	struct finding *cur;       /* the report being assembled (its title so far) */
	int active;                /* cur is being assembled */
	int cur_row;               /* its row of the pattern table */
	int cur_own;               /* f[open] is cur's own entry, not an earlier one it counts in */
	int phase;                 /* before its trace, inside it, after " </TASK>" */
	int lines;                 /* lines of its preamble */
	int foreign;               /* lines in a row inside its trace that were none of it */
	int irq_at;                /* frames when its "<IRQ>" began, or -1 */
	int frames_done;           /* its first stack has ended (KFENCE) */
	int title_stale;           /* its frames, words, access changed since its title was made */
	size_t same_raw;           /* f[open] (its own entry) holds cur's raw up to here */
	int same_frames;           /* ... and its first so many frames */
	char words[FINDING_TITLE_MAX]; /* its title's words ("WARNING") */
	char access[8];            /* KASAN: "Read" or "Write" */
	char hint[FINDING_FRAME_MAX];  /* the function its header names, for a title with no frame */
	/* the call trace of the last OOM report ("<comm> invoked oom-killer:"),
	 * which an OOM killer with nothing to kill prints before saying so */
	char oom_frames[FINDING_FRAMES][FINDING_FRAME_MAX];
	int n_oom_frames;
	int oom_phase;             /* 0 none, 1 before its "Call Trace:", 2 inside it */
};

void findings_init(struct findings *fs);
/* One log message (no timestamp prefix, no trailing newline). */
void findings_feed(struct findings *fs, unsigned long long ts_us, const char *msg, size_t len);
/* The same, with the byte pairs (parse/pairs.h) of the message without its
 * trailing CR and LF, made already by the caller (kmsg.c's classify). */
void findings_feed_pairs(struct findings *fs, unsigned long long ts_us, const char *msg, size_t len,
			 const struct pairs *pairs);
void findings_free(struct findings *fs);

/* The pattern table (findings.c): how many rows, the fixed text of a
 * row's header (NULL past the end), its kind (FINDING_KIND_COUNT past the
 * end), and the row a message starts (-1: none), its first in table order. */
size_t findings_rows(void);
const char *findings_row_text(size_t row);
enum finding_kind findings_row_kind(size_t row);
int findings_row_of(const char *line, size_t len);

#endif
