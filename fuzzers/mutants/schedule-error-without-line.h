/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mutant of sched_parse (workloads/schedule.c) for the schedule target:
 * the error loses its "line N: " prefix, as if a rule had forgotten to say
 * where. The target must reject it: an error names a line that exists.
 * Built into build/fuzz/mutants/schedule-error-without-line-onefile, which
 * fuzzers/smoke runs on schedule-error-without-line.input. */
#include <string.h>

#include "workloads/schedule.h"

static inline int mutant_sched_parse(const char *buf, size_t len, struct sched *out, char *err, size_t errsz)
{
	int r = sched_parse(buf, len, out, err, errsz);
	const char *colon = r && err && !strncmp(err, "line ", 5) ? strstr(err, ": ") : NULL;
	if (colon)
		memmove(err, colon + 2, strlen(colon + 2) + 1);
	return r;
}

#define sched_parse mutant_sched_parse
