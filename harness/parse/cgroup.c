// SPDX-License-Identifier: GPL-2.0-or-later
/* A memory cgroup's sample section ("cgroup.<group>", proto/stream.h):
 * sections "<file> <len>\n<bytes>\n" of the group's files, as the kernel
 * printed them (memory.stat cut to the keys the host asked for):
 *
 *   memory.current       one number, bytes
 *   memory.peak          one number, bytes (a kernel without it: absent)
 *   memory.swap.current  one number, bytes
 *   memory.events        "key value" lines (low, high, max, oom, oom_kill,
 *                        oom_group_kill): parse_vmstat
 *   memory.stat          "key value" lines: parse_vmstat
 *   memory.pressure      "some avg10=..." / "full ...": parse_psi
 *
 * Pure: (buf, len), no NUL needed; an unknown section is skipped, a
 * damaged frame ends the reading (what came before it is kept). */
#include "parse/parse.h"

#include <limits.h>
#include <string.h>

#include "parse/dec.h"

/* "123\n": the number and an optional newline, nothing else. */
static long long one_number(const char *p, size_t len)
{
	const char *end = p + len;
	unsigned long long v;
	if (dec_ull(&p, end, LLONG_MAX, DEC_DIGITS_ANY, &v) < 0)
		return -1;
	if (p < end && *p == '\n')
		p++;
	return p == end ? (long long)v : -1;
}

static int named(const char *name, size_t nl, const char *want)
{
	return strlen(want) == nl && !memcmp(name, want, nl);
}

int parse_cg_sample(const char *buf, size_t len, struct cg_sample *out)
{
	out->current = out->peak = out->swap_current = -1;
	out->events.n = out->stat.n = 0;
	out->has_psi = 0;
	memset(&out->psi, 0, sizeof out->psi);
	size_t pos = 0, nl, dl;
	const char *name, *data;
	while (sample_next_section(buf, len, &pos, &name, &nl, &data, &dl)) {
		if (named(name, nl, "memory.current"))
			out->current = one_number(data, dl);
		else if (named(name, nl, "memory.peak"))
			out->peak = one_number(data, dl);
		else if (named(name, nl, "memory.swap.current"))
			out->swap_current = one_number(data, dl);
		else if (named(name, nl, "memory.events"))
			parse_vmstat(data, dl, &out->events);
		else if (named(name, nl, "memory.stat"))
			parse_vmstat(data, dl, &out->stat);
		else if (named(name, nl, "memory.pressure"))
			out->has_psi = parse_psi(data, dl, &out->psi) == 0;
	}
	return out->current >= 0 ? 0 : -1;
}

void cg_sample_free(struct cg_sample *s)
{
	kvlist_free(&s->events);
	kvlist_free(&s->stat);
}
