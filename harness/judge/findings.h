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
