/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mutant of parse_psi (harness/parse/psi.c) for the psi target: a naive
 * parser, sscanf and no bound, that keeps "avg10=150.00" (an average is a
 * percentage: the kernel prints 0.00..100.00). Its output is still a fixed
 * point of print and parse; the target must reject it all the same. */
#include <stdio.h>
#include <string.h>

#include "parse/parse.h"

static inline int mutant_parse_psi(const char *buf, size_t len, struct psi *out)
{
	char text[1025];
	size_t n = len < sizeof text - 1 ? len : sizeof text - 1;
	memcpy(text, buf, n);
	text[n] = '\0';
	memset(out, 0, sizeof *out);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		struct psi_line l = {0};
		char name[5];
		if (sscanf(line, "%4s avg10=%lf avg60=%lf avg300=%lf total=%llu", name, &l.avg10, &l.avg60, &l.avg300,
			   &l.total_us) != 5)
			continue;
		l.present = 1;
		if (!strcmp(name, "some") && !out->some.present)
			out->some = l;
		else if (!strcmp(name, "full") && !out->full.present)
			out->full = l;
	}
	return out->some.present ? 0 : -1;
}

#define parse_psi mutant_parse_psi
