// SPDX-License-Identifier: GPL-2.0-or-later
/* The frag schedule format (workloads/schedule.h): a parsed schedule obeys
 * the rules sched_check enforces, and parse(format(x)) == x; an error names
 * a line that exists. */
#include <stdio.h>
#include <string.h>

#include "workloads/schedule.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sched s, back;
	char err[256] = "";
	if (sched_parse((const char *)data, size, &s, err, sizeof err)) {
		FUZZ_CHECK(s.n == 0 && s.ops == NULL, "failed parse left operations");
		/* only running out of memory names no line */
		if (!strncmp(err, "out of memory", 13))
			return 0;
		unsigned long line;
		int at = 0;
		FUZZ_CHECK(sscanf(err, "line %lu: %n", &line, &at) == 1 && at > 0 && err[at],
			   "error without a line: '%s'", err);
		/* the lines of the input: a last line needs no newline, and
		 * nothing after the last newline is no line */
		size_t lines = 0;
		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n';
		lines += size > 0 && data[size - 1] != '\n';
		FUZZ_CHECK(line >= 1 && line <= lines, "'%s' but the input has %zu lines", err, lines);
		return 0;
	}
	FUZZ_CHECK(sched_check(&s, err, sizeof err) == 0, "parsed but fails the check: %s", err);
	size_t n = sched_format(&s, NULL, 0);
	char *t = malloc(n + 1);
	FUZZ_CHECK(t && sched_format(&s, t, n + 1) == n && strlen(t) == n, "format length");
	char *d = fuzz_dup(t, n);
	FUZZ_CHECK(sched_parse(d, n, &back, err, sizeof err) == 0, "formatted text does not parse: %s", err);
	FUZZ_CHECK(sched_equal(&s, &back) && back.n_slots == s.n_slots, "parse(format(x)) != x");
	free(d);
	free(t);
	sched_free(&back);
	sched_free(&s);
	return 0;
}
