// SPDX-License-Identifier: GPL-2.0-or-later
/* A cell's kernel findings, judged: judge/findings.h. */
#include "judge/findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cell_allow_match(const struct cell_spec *cs, enum finding_kind kind, const char *title)
{
	const char *word = finding_kind_name(kind);
	for (size_t i = 0; cs && i < cs->n_allow; i++) {
		const char *a = cs->allow[i];
		/* a kind word has no space, a title always has one */
		if (strchr(a, ' ') ? !strcmp(a, title) : word && !strcmp(a, word))
			return a;
	}
	return NULL;
}

/* Room for one more at index at (0..n), the later ones moved up. */
static struct cell_finding *insert_at(struct cell_findings *cf, size_t at)
{
	if (cf->n == cf->cap) {
		cf->cap = cf->cap ? 2 * cf->cap : 4;
		cf->f = xrealloc(cf->f, cf->cap * sizeof *cf->f);
	}
	memmove(&cf->f[at + 1], &cf->f[at], (cf->n - at) * sizeof *cf->f);
	cf->n++;
	memset(&cf->f[at], 0, sizeof cf->f[at]);
	return &cf->f[at];
}

/* After every finding at or before t_us: time order, ties in arrival order. */
static size_t place(const struct cell_findings *cf, unsigned long long t_us)
{
	size_t at = cf->n;
	while (at > 0 && cf->f[at - 1].f.ts_us > t_us)
		at--;
	return at;
}

static void judge_one(const struct cell_spec *cs, struct cell_finding *c)
{
	c->allowed_by = cell_allow_match(cs, c->f.kind, c->f.title);
	c->allowed = c->allowed_by != NULL;
}

static int has_title(const struct findings *fs, const char *title)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->f[i].title, title))
			return 1;
	return 0;
}

static void add_copy(struct cell_findings *out, const struct cell_spec *cs, const struct finding *f)
{
	struct cell_finding *c = insert_at(out, place(out, f->ts_us));
	c->f = *f;
	/* a parser's strings are its own; the report quotes them as strings */
	c->f.title[sizeof c->f.title - 1] = 0;
	for (int k = 0; k < FINDING_FRAMES; k++)
		c->f.frames[k][FINDING_FRAME_MAX - 1] = 0;
	if (c->f.n_frames < 0 || c->f.n_frames > FINDING_FRAMES)
		c->f.n_frames = c->f.n_frames < 0 ? 0 : FINDING_FRAMES;
	if (c->f.raw_len > sizeof c->f.raw)
		c->f.raw_len = sizeof c->f.raw;
	judge_one(cs, c);
}

void cell_findings_collect(const struct cell_spec *cs, const struct findings *log,
			   const struct findings *console, struct cell_findings *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; log && i < log->n; i++)
		add_copy(out, cs, &log->f[i]);
	for (size_t i = 0; console && console != log && i < console->n; i++)
		if (!log || !has_title(log, console->f[i].title))
			add_copy(out, cs, &console->f[i]);
}

struct cell_finding *cell_findings_add(struct cell_findings *cf, const struct cell_spec *cs,
				       enum finding_kind kind, const char *title, unsigned long long t_us,
				       const char *allowed_by)
{
	struct cell_finding *c = insert_at(cf, place(cf, t_us));
	c->f.kind = kind;
	snprintf(c->f.title, sizeof c->f.title, "%s", title ? title : "");
	c->f.ts_us = t_us;
	c->f.count = 1;
	if (allowed_by) {
		c->allowed = 1;
		c->allowed_by = allowed_by;
	} else {
		judge_one(cs, c);
	}
	return c;
}

size_t cell_findings_not_allowed(const struct cell_findings *cf, size_t *first)
{
	size_t n = 0;
	if (first)
		*first = (size_t)-1;
	for (size_t i = 0; i < cf->n; i++)
		if (!cf->f[i].allowed) {
			if (!n && first)
				*first = i;
			n++;
		}
	return n;
}

size_t cell_findings_judge(const struct cell_findings *cf, enum verdict *v, struct buf *why)
{
	size_t first;
	size_t n = cell_findings_not_allowed(cf, &first);
	if (!n)
		return 0;
	if (*v < V_FAIL)
		*v = V_FAIL;
	buf_printf(why, "kernel finding: %s", cf->f[first].f.title);
	if (n > 1)
		buf_printf(why, " (+%zu more)", n - 1);
	return n;
}

void cell_findings_free(struct cell_findings *cf)
{
	if (!cf)
		return;
	free(cf->f);
	memset(cf, 0, sizeof *cf);
}
