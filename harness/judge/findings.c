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

int finding_pid(const struct finding *f)
{
	size_t len = f->raw_len < sizeof f->raw ? f->raw_len : sizeof f->raw;
	const char *p = f->raw, *end = f->raw + len;
	/* the header line comes first, "CPU: ..." right after it */
	for (int line = 0; line < 3 && p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		if ((size_t)(e - p) > 5 && !memcmp(p, "CPU: ", 5)) {
			for (const char *q = p; q + 5 <= e; q++)
				if (!memcmp(q, "PID: ", 5)) {
					long v = 0;
					const char *d = q + 5;
					if (d >= e || *d < '0' || *d > '9')
						return -1;
					for (; d < e && *d >= '0' && *d <= '9' && v < 100000000; d++)
						v = v * 10 + (*d - '0');
					return d < e && *d == ' ' ? (int)v : -1;
				}
			return -1;
		}
		p = e + 1;
	}
	return -1;
}

/* A page allocation failure the OOM killer explains: each rule's test of
 * one failure not allowed otherwise, against the cell's kernel log. */
struct oom_excuse {
	const char *allowed_by;
	int (*explains)(const struct finding *f, const struct kernlog *kl);
};

/* Allow by rule r every page allocation failure of cf it explains. */
static size_t excuse(struct cell_findings *cf, const struct kernlog *kl, const struct oom_excuse *r)
{
	size_t n = 0;
	for (size_t i = 0; kl && i < cf->n; i++) {
		struct cell_finding *c = &cf->f[i];
		if (c->allowed || c->f.kind != FK_ALLOC_FAILURE || !r->explains(&c->f, kl))
			continue;
		c->allowed = 1;
		c->allowed_by = r->allowed_by;
		n++;
	}
	return n;
}

/* its process was killed at or before it */
static int of_a_victim(const struct finding *f, const struct kernlog *kl)
{
	int pid = finding_pid(f);
	for (size_t k = 0; pid > 0 && k < kl->n_oom; k++)
		if (kl->oom[k].killed && kl->oom[k].victim_pid == pid && kl->oom[k].ts_us <= f->ts_us)
			return 1;
	return 0;
}

size_t cell_findings_excuse_victims(struct cell_findings *cf, const struct kernlog *kl)
{
	static const struct oom_excuse r = {FINDING_BY_OOM_VICTIM, of_a_victim};
	return excuse(cf, kl, &r);
}

int finding_gfp_mask(const struct finding *f, unsigned long *mask)
{
	size_t len = f->raw_len < sizeof f->raw ? f->raw_len : sizeof f->raw;
	const char *nl = memchr(f->raw, '\n', len);
	const char *e = nl ? nl : f->raw + len;
	for (const char *q = f->raw; q + 7 <= e; q++)
		if (!memcmp(q, "mode:0x", 7)) {
			unsigned long v = 0;
			const char *d = q + 7;
			int n = 0;
			for (; d < e && n < 16; d++, n++) {
				int x = *d >= '0' && *d <= '9' ? *d - '0'
					: *d >= 'a' && *d <= 'f' ? *d - 'a' + 10 : -1;
				if (x < 0)
					break;
				v = v << 4 | (unsigned long)x;
			}
			if (!n || (d < e && *d != '(' && *d != ',' && *d != ' '))
				return -1;
			*mask = v;
			return 0;
		}
	return -1;
}

/* include/linux/gfp_types.h: ___GFP_DIRECT_RECLAIM, bit 10 in 6.1 and 6.12 */
#define GFP_DIRECT_RECLAIM_BIT 0x400ul

/* it may not reclaim, and the global OOM killer killed in the cell */
static int no_reclaim_at_a_global_kill(const struct finding *f, const struct kernlog *kl)
{
	unsigned long mask;
	if (finding_gfp_mask(f, &mask) || (mask & GFP_DIRECT_RECLAIM_BIT))
		return 0;
	for (size_t k = 0; k < kl->n_oom; k++)
		if (kl->oom[k].killed && !strcmp(kl->oom[k].oom_kind, "global_oom"))
			return 1;
	return 0;
}

size_t cell_findings_excuse_no_reclaim(struct cell_findings *cf, const struct kernlog *kl)
{
	static const struct oom_excuse r = {FINDING_BY_NO_RECLAIM_AT_OOM, no_reclaim_at_a_global_kill};
	return excuse(cf, kl, &r);
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
