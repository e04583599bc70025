/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mutant of sched_parse (workloads/schedule.c) for the schedule target:
 * the error names the line after the one at fault, an off-by-one that
 * names the empty "line" after the input's last newline. The target must
 * reject it: an error names a line that exists. */
#include <stdio.h>
#include <string.h>

#include "workloads/schedule.h"

static inline int mutant_sched_parse(const char *buf, size_t len, struct sched *out, char *err, size_t errsz)
{
	int r = sched_parse(buf, len, out, err, errsz);
	unsigned long line;
	int at;
	if (r && err && sscanf(err, "line %lu: %n", &line, &at) == 1) {
		char rest[256];
		snprintf(rest, sizeof rest, "%s", err + at);
		snprintf(err, errsz, "line %lu: %s", line + 1, rest);
	}
	return r;
}

#define sched_parse mutant_sched_parse
