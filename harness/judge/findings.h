/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A cell's kernel findings, judged (docs/findings.md): the findings the
 * parser made of the cell's kernel log (parse/findings.h), and those the
 * judge makes itself (a stall), each matched against the cell's "allow"
 * list (plan/spec.h). A finding not allowed fails the cell, with the
 * title of the first one as its reason. Pure. */
#ifndef OOMLAB_JUDGE_FINDINGS_H
#define OOMLAB_JUDGE_FINDINGS_H

#include <stddef.h>

#include "lib/util.h"
#include "lib/vocab.h"
#include "parse/findings.h"
#include "parse/parse.h"
#include "plan/spec.h"

struct cell_finding {
	struct finding f;       /* as the parser made it (a judged one: no frames, no raw) */
	int allowed;            /* the cell expects it */
	const char *allowed_by; /* the entry that allowed it: one of the cell's allow
				 * strings, or what the caller said; NULL when not allowed */
};

/* In guest time order (the order of their first lines; equal times keep
 * the order they came in). */
struct cell_findings {
	struct cell_finding *f;
	size_t n, cap;
};

/* The entry of cs->allow that allows a finding of this kind and title
 * (a kind word equal to the kind's, or a title equal to the title), the
 * first in the list; NULL when none does. */
const char *cell_allow_match(const struct cell_spec *cs, enum finding_kind kind, const char *title);

/* The cell's findings: every finding of log (the log the OOM events are
 * read from: kmsg when it had records, else the console), then, when
 * console is not NULL (the VM panicked or was lost, and log is kmsg),
 * those of console whose title log lacks. Each judged against cs->allow.
 * out is initialised here; free with cell_findings_free. */
void cell_findings_collect(const struct cell_spec *cs, const struct findings *log,
			   const struct findings *console, struct cell_findings *out);

/* What allowed_by says of a page allocation failure of a process the OOM
 * killer had killed before it (cell_findings_excuse_victims). */
#define FINDING_BY_OOM_VICTIM "oom_victim"

/* The process of a finding's report: the pid of its "CPU: N [UID: N] PID:
 * N Comm:" line in the first lines of raw; -1 when there is none. */
int finding_pid(const struct finding *f);

/* A page allocation failure (FK_ALLOC_FAILURE) not allowed otherwise,
 * whose report names (finding_pid) a process the OOM killer killed at or
 * before its time in the events of kl, is allowed by
 * FINDING_BY_OOM_VICTIM: the page allocator refuses the killed task its
 * last reserves on purpose, and warns (6.12 does on every such kill).
 * Returns how many it allowed. */
size_t cell_findings_excuse_victims(struct cell_findings *cf, const struct kernlog *kl);

/* What allowed_by says of a page allocation failure of an allocation that
 * may not reclaim, in a cell where the whole machine ran out of memory
 * (cell_findings_excuse_no_reclaim). */
#define FINDING_BY_NO_RECLAIM_AT_OOM "no_reclaim_at_oom"

/* The gfp mask of a page allocation failure's report: the hex after
 * "mode:" in its first line of raw, into *mask; 0, or -1 when the first
 * line has none. */
int finding_gfp_mask(const struct finding *f, unsigned long *mask);

/* A page allocation failure not allowed otherwise, of an allocation that
 * may not enter direct reclaim (its mode lacks __GFP_DIRECT_RECLAIM:
 * GFP_ATOMIC, GFP_NOWAIT), in a cell whose log kl has a kill of the
 * global OOM killer (not a memory cgroup's), is allowed by
 * FINDING_BY_NO_RECLAIM_AT_OOM: such an allocation may only take what is
 * free above its watermark, and fails when the machine runs out
 * (mm/page_alloc.c __alloc_pages_slowpath: "Caller is not willing to
 * reclaim, we can't balance anything", goto nopage). Returns how many it
 * allowed. */
size_t cell_findings_excuse_no_reclaim(struct cell_findings *cf, const struct kernlog *kl);

/* Append a finding the judge made (a stall: kind FK_STALL, "stall in
 * <workload>", its start) at its place in time, before the verdict is
 * taken. allowed_by: what allows it regardless of cs->allow ("expect:
 * stalled" for a workload that expects its stall), or NULL: judged
 * against cs->allow. A title longer than FINDING_TITLE_MAX - 1 bytes is
 * cut. Returns the finding in the list (valid until the next add). */
struct cell_finding *cell_findings_add(struct cell_findings *cf, const struct cell_spec *cs,
				       enum finding_kind kind, const char *title, unsigned long long t_us,
				       const char *allowed_by);

/* How many are not allowed; *first (when not NULL) is the index of the
 * first of them, (size_t)-1 when none. */
size_t cell_findings_not_allowed(const struct cell_findings *cf, size_t *first);

/* The verdict's part: when a finding is not allowed, *v becomes at least
 * FAIL and why gets "kernel finding: <title>" of the first, with
 * " (+N more)" when N more are not allowed. Returns how many are not
 * allowed. */
size_t cell_findings_judge(const struct cell_findings *cf, enum verdict *v, struct buf *why);

void cell_findings_free(struct cell_findings *cf);

#endif
