// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel log: one /dev/kmsg record, and the assembly of OOM-killer reports,
 * "page allocation failure" warnings, panics, oopses and warnings from log
 * messages fed one at a time (kmsg text, or console lines with their
 * "[    1.234567] " prefix).
 *
 * Formats (mm/oom_kill.c, mm/page_alloc.c, kernel/panic.c; identical in
 * 6.1 and 6.12 for the lines parsed here):
 *   "%s invoked oom-killer: gfp_mask=%#x(%pGg), order=%d, oom_score_adj=%hd"
 *   "oom-kill:constraint=%s,nodemask=%*pbl,cpuset=..,mems_allowed=..,
 *    global_oom|oom_memcg=<path>,task_memcg=<path>,task=%s,pid=%d,uid=%d"
 *   "%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB,
 *    file-rss:%lukB, shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%hd"
 *    where %s is "Out of memory", "Out of memory (oom_kill_allocating_task)"
 *    or "Memory cgroup out of memory"
 *   "oom_reaper: reaped process %d (%s), now anon-rss:%lukB, ..."
 *   "oom_reaper: unable to reap pid:%d (%s)"
 *   "%s: page allocation failure: order:%u, mode:%#x(%pGg), nodemask=.."
 *   "Kernel panic - not syncing: %s"
 * and a memory cgroup's OOM (mm/memcontrol.c mem_cgroup_print_oom_meminfo,
 * mem_cgroup_print_oom_group; the same in 6.1 and 6.12 but for the stats,
 * one record with escaped newlines in 6.1, a record a line in 6.12):
 *   "memory: usage %llukB, limit %llukB, failcnt %lu"
 *   "swap: usage %llukB, limit %llukB, failcnt %lu"
 *   "Memory cgroup stats for <path>:"
 *   "Tasks in <path> are going to be killed due to memory.oom.group set"
 *    then "Memory cgroup out of memory: Killed process .." for every
 *    process of the group, the victim again among them
 *   "Unreclaimable slab info:", "Name                      Used          Total",
 *   then "%-17s %10luKB %10luKB" per cache (mm/slab_common.c, inside a global
 *   OOM report when unreclaimable slab exceeds the LRU pages)
 * A comm is at most 15 bytes in the kernel but may hold spaces, commas,
 * parentheses and colons, so fields around it are found from the fixed text
 * that follows it.
 *
 * Which message is which is data: the table kl_rows below, one row a kind
 * of line (its fixed text, where in the message that may stand, the handler
 * it feeds), tried in order until one matches. A new kind of line is a row
 * and a golden file that holds one (tests/unit/test_parse_kernlog_rows.c
 * fails for a row no golden file exercises). */
#include "parse/parse.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "parse/dec.h"
#include "parse/pairs.h"

/* ---- small bounded helpers ---- */

static const char *find(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);
	if (s >= e || (size_t)(e - s) < n)
		return NULL;
	return memmem(s, (size_t)(e - s), lit, n);
}

/* find, after the line's pairs rule lit out or not (most rows' texts are
 * in no message: the pairs save the search) */
static const char *find_in(const struct pairs *ps, const char *s, const char *e, const char *lit)
{
	return pairs_may_hold(ps, lit, strlen(lit)) ? find(s, e, lit) : NULL;
}

/* last occurrence of lit that starts in [s, e) and ends by e */
static const char *rfind(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);
	if (s >= e || (size_t)(e - s) < n)
		return NULL;
	for (const char *p = e - n;; p--) {
		if (*p == *lit && memcmp(p, lit, n) == 0) /* a call only where the first byte matches */
			return p;
		if (p == s)
			return NULL;
	}
}

static int starts(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);
	return s <= e && (size_t)(e - s) >= n && memcmp(s, lit, n) == 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Kernel numbers: a '-' sign but no '+', magnitudes up to LLONG_MAX. */
static int dec_kll(const char **pp, const char *e, long long *out)
{
	return dec_ll(pp, e, -LLONG_MAX, LLONG_MAX, 0, out);
}

static int dec_int(const char **pp, const char *e, int *out)
{
	long long v;
	if (dec_ll(pp, e, INT_MIN, INT_MAX, 0, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* Number right after the first "key" in [s, e). */
static int field_ll(const char *s, const char *e, const char *key, long long *out)
{
	const char *k = find(s, e, key);
	if (!k)
		return -1;
	const char *p = k + strlen(key);
	return dec_kll(&p, e, out);
}

static int field_int(const char *s, const char *e, const char *key, int *out)
{
	const char *k = find(s, e, key);
	if (!k)
		return -1;
	const char *p = k + strlen(key);
	return dec_int(&p, e, out);
}

static void copy_str(char *dst, size_t dsz, const char *s, const char *e)
{
	size_t n = e > s ? (size_t)(e - s) : 0;
	if (n >= dsz)
		n = dsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* "0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)" at p: hex into mask, the
 * parenthesised names into flags. */
static void gfp_field(const char *p, const char *e, char *mask, size_t msz, char *flags, size_t fsz)
{
	const char *q = p;
	if (!starts(q, e, "0x"))
		return;
	q += 2;
	while (q < e && ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F')))
		q++;
	copy_str(mask, msz, p, q);
	if (q < e && *q == '(') {
		const char *c = memchr(q + 1, ')', (size_t)(e - q - 1));
		if (c)
			copy_str(flags, fsz, q + 1, c);
	}
}

/* ---- /dev/kmsg record ---- */

int parse_kmsg_record(const char *buf, size_t len, struct kmsg_rec *out)
{
	memset(out, 0, sizeof *out);
	if (!buf)
		return -1;
	const char *p = buf, *e = buf + len;
	const char *nl = memchr(buf, '\n', len);
	const char *le = nl ? nl : e;
	unsigned long long prio, seq, ts;
	if (dec_ull(&p, le, INT_MAX, DEC_DIGITS_ANY, &prio) < 0 || p >= le || *p != ',')
		return -1;
	p++;
	if (dec_ull(&p, le, ULLONG_MAX, DEC_DIGITS_ANY, &seq) < 0 || p >= le || *p != ',')
		return -1;
	p++;
	if (dec_ull(&p, le, ULLONG_MAX, DEC_DIGITS_ANY, &ts) < 0 || p >= le || (*p != ',' && *p != ';'))
		return -1;
	/* flags and any future fields (",caller=T1") up to ';' */
	const char *semi = memchr(p, ';', (size_t)(le - p));
	if (!semi)
		return -1;
	out->level = (int)(prio & 7);
	out->facility = (int)(prio >> 3);
	out->seq = seq;
	out->ts_us = ts;
	out->text = semi + 1;
	out->text_len = (size_t)(le - (semi + 1));
	return 0;
}

/* ---- kernel log assembly ---- */

void kernlog_init(struct kernlog *kl)
{
	memset(kl, 0, sizeof *kl);
	kl->open_oom = -1;
	kl->open_group = -1;
	findings_init(&kl->findings);
}

void kernlog_free(struct kernlog *kl)
{
	if (!kl)
		return;
	free(kl->oom);
	free(kl->af);
	findings_free(&kl->findings);
	kernlog_init(kl);
}

static size_t oom_new(struct kernlog *kl, unsigned long long ts)
{
	if (kl->n_oom == kl->cap_oom) {
		size_t ncap = kl->cap_oom ? kl->cap_oom * 2 : 4;
		kl->oom = xrealloc(kl->oom, ncap * sizeof *kl->oom);
		kl->cap_oom = ncap;
	}
	struct oom_event *ev = &kl->oom[kl->n_oom];
	memset(ev, 0, sizeof *ev);
	ev->ts_us = ts;
	ev->order = -1;
	ev->invoker_oom_score_adj = -1;
	ev->victim_pid = -1;
	ev->victim_uid = -1;
	ev->total_vm_kb = ev->anon_rss_kb = ev->file_rss_kb = ev->shmem_rss_kb = ev->pgtables_kb = -1;
	ev->victim_oom_score_adj = -1;
	ev->memcg_usage_kb = ev->memcg_limit_kb = ev->memcg_failcnt = -1;
	ev->swap_usage_kb = ev->swap_limit_kb = ev->swap_failcnt = -1;
	ev->slab_total_kb = -1;
	ev->reaped_anon_rss_kb = ev->reaped_file_rss_kb = ev->reaped_shmem_rss_kb = -1;
	return kl->n_oom++;
}

/* One message being classified, and where its row's text matched. */
struct kl_line {
	unsigned long long ts;
	const char *s, *t, *e; /* the message, its first non-blank byte, its end */
	const char *m, *after; /* the row's text in it, and the byte after that */
	struct pairs pairs;    /* the byte pairs of [s, e) */
};

/* the event being assembled, or a fresh one */
static struct oom_event *oom_open(struct kernlog *kl, unsigned long long ts)
{
	if (kl->open_oom < 0 || (size_t)kl->open_oom >= kl->n_oom)
		kl->open_oom = (int)oom_new(kl, ts);
	return &kl->oom[kl->open_oom];
}

/* "<comm> invoked oom-killer: gfp_mask=0x..(..), order=N, oom_score_adj=N" */
static void on_invoked(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)arg;
	const char *e = l->e;
	kl->open_oom = (int)oom_new(kl, l->ts);
	kl->open_group = -1; /* a new episode */
	struct oom_event *ev = &kl->oom[kl->open_oom];
	copy_str(ev->invoker_comm, sizeof ev->invoker_comm, l->s, l->m);
	const char *rest = l->after;
	const char *g = find(rest, e, "gfp_mask=");
	if (g)
		gfp_field(g + 9, e, ev->gfp_mask, sizeof ev->gfp_mask, ev->gfp_flags, sizeof ev->gfp_flags);
	/* search after the flags so a name cannot shadow the numbers */
	const char *after = g ? g : rest;
	const char *cp = memchr(after, ')', (size_t)(e - after));
	if (cp)
		after = cp;
	field_int(after, e, "order=", &ev->order);
	field_int(after, e, "oom_score_adj=", &ev->invoker_oom_score_adj);
}

/* "oom-kill:constraint=..,global_oom,task_memcg=/,task=<comm>,pid=N,uid=N" */
static void on_oomkill(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)arg;
	const char *e = l->e;
	struct oom_event *ev = oom_open(kl, l->ts);
	const char *p = l->after;
	const char *uid = rfind(p, e, ",uid=");
	const char *pid = rfind(p, uid ? uid : e, ",pid=");
	const char *task = pid ? rfind(p, pid, ",task=") : NULL;
	const char *head_end = task ? task : e; /* fields before the comm */
	if (starts(p, head_end, "constraint=")) {
		const char *v = p + strlen("constraint=");
		const char *c = memchr(v, ',', (size_t)(head_end - v));
		copy_str(ev->constraint, sizeof ev->constraint, v, c ? c : head_end);
	}
	const char *go = find(p, head_end, ",global_oom");
	if (go && (go + 11 == head_end || go[11] == ','))
		snprintf(ev->oom_kind, sizeof ev->oom_kind, "global_oom");
	/* ",oom_memcg=<path>,task_memcg=<path>": a path runs to the next
	 * field's name, the last one to ",task=" */
	const char *tm = rfind(p, head_end, ",task_memcg=");
	const char *om = find(p, tm ? tm : head_end, ",oom_memcg=");
	if (om) {
		snprintf(ev->oom_kind, sizeof ev->oom_kind, "oom_memcg");
		copy_str(ev->oom_memcg, sizeof ev->oom_memcg, om + 11, tm ? tm : head_end);
	}
	if (tm)
		copy_str(ev->task_memcg, sizeof ev->task_memcg, tm + 12, head_end);
	if (task && pid) {
		copy_str(ev->victim_comm, sizeof ev->victim_comm, task + 6, pid);
		const char *q = pid + 5;
		int v;
		if (dec_int(&q, e, &v) == 0)
			ev->victim_pid = v;
	}
	if (uid) {
		const char *q = uid + 5;
		long long v;
		if (dec_kll(&q, e, &v) == 0)
			ev->victim_uid = v;
	}
}

/* "<msg>: Killed process N (comm) total-vm:NkB, anon-rss:NkB, ..." */
static void on_killed(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)arg;
	const char *p = l->after, *e = l->e;
	int pid;
	/* the kernel prints a pid as a positive %d: a sign is damage */
	if (p >= e || !is_digit(*p) || dec_int(&p, e, &pid) < 0 || !starts(p, e, " ("))
		return;
	const char *cs = p + 2;
	/* the last ") total-vm:": nothing after the comm can spell it */
	const char *ce = rfind(cs, e, ") total-vm:");
	if (!ce)
		ce = rfind(cs, e, ")");
	if (!ce)
		return;
	struct oom_event *ev = NULL;
	if (kl->open_oom >= 0 && (size_t)kl->open_oom < kl->n_oom) {
		ev = &kl->oom[kl->open_oom];
		if (ev->killed || (ev->victim_pid >= 0 && ev->victim_pid != pid))
			ev = NULL;
	}
	const struct oom_event *grp = NULL; /* a memory.oom.group kill going on */
	if (!ev && kl->open_group >= 0 && (size_t)kl->open_group < kl->n_oom) {
		grp = &kl->oom[kl->open_group];
		if (grp->victim_pid == pid) /* the victim, printed again */
			return;
	}
	if (!ev) {
		size_t g = grp ? (size_t)kl->open_group : 0;
		size_t i = oom_new(kl, l->ts); /* may move kl->oom */
		ev = &kl->oom[i];
		if (grp) {
			grp = &kl->oom[g];
			ev->group_member = 1;
			memcpy(ev->oom_group, grp->oom_group, sizeof ev->oom_group);
			memcpy(ev->oom_memcg, grp->oom_memcg, sizeof ev->oom_memcg);
			memcpy(ev->constraint, grp->constraint, sizeof ev->constraint);
			memcpy(ev->oom_kind, grp->oom_kind, sizeof ev->oom_kind);
		}
	}
	kl->open_oom = -1; /* the report is complete */
	ev->killed = 1;
	ev->victim_pid = pid;
	copy_str(ev->victim_comm, sizeof ev->victim_comm, cs, ce);
	field_ll(ce, e, "total-vm:", &ev->total_vm_kb);
	field_ll(ce, e, "anon-rss:", &ev->anon_rss_kb);
	field_ll(ce, e, "file-rss:", &ev->file_rss_kb);
	field_ll(ce, e, "shmem-rss:", &ev->shmem_rss_kb);
	field_ll(ce, e, "UID:", &ev->victim_uid);
	field_ll(ce, e, "pgtables:", &ev->pgtables_kb);
	field_int(ce, e, "oom_score_adj:", &ev->victim_oom_score_adj);
}

/* "oom_reaper: reaped process N (comm), now anon-rss:NkB, file-rss:NkB,
 * shmem-rss:NkB": the victim's event gets the line's time and what the
 * reaper left (found after the last "), now ": the comm may hold any of
 * the fixed text) */
static void on_reaped(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)arg;
	const char *p = l->after, *e = l->e;
	int pid;
	if (dec_int(&p, e, &pid) < 0)
		return;
	for (size_t i = kl->n_oom; i-- > 0;) {
		struct oom_event *ev = &kl->oom[i];
		if (ev->victim_pid != pid)
			continue;
		ev->reaped = 1;
		ev->reaped_ts_us = l->ts;
		const char *now = rfind(p, e, "), now ");
		if (now) {
			field_ll(now, e, " anon-rss:", &ev->reaped_anon_rss_kb);
			field_ll(now, e, " file-rss:", &ev->reaped_file_rss_kb);
			field_ll(now, e, " shmem-rss:", &ev->reaped_shmem_rss_kb);
		}
		return;
	}
}

/* "oom_reaper: unable to reap pid:N (comm)": the reaper gave up on the
 * victim N (then sched_show_task prints it: lines no row takes); its
 * latest event gets the line's time */
static void on_unreaped(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)arg;
	const char *p = l->after, *e = l->e;
	int pid;
	/* a positive %d, as in "Killed process": not the -1 of an event
	 * without a kill */
	if (p >= e || !is_digit(*p) || dec_int(&p, e, &pid) < 0 || !starts(p, e, " ("))
		return;
	for (size_t i = kl->n_oom; i-- > 0;) {
		struct oom_event *ev = &kl->oom[i];
		if (ev->victim_pid != pid || !ev->killed)
			continue;
		ev->reap_failed = 1;
		ev->reap_failed_ts_us = l->ts;
		return;
	}
}

/* "memory: usage NkB, limit NkB, failcnt N" (arg 0) or "swap: usage .."
 * (arg 1): into the event being assembled; each number only when the text
 * before it is right */
static void on_memcg_usage(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	if (kl->open_oom < 0 || (size_t)kl->open_oom >= kl->n_oom)
		return;
	struct oom_event *ev = &kl->oom[kl->open_oom];
	long long *const f[2][3] = {
		{&ev->memcg_usage_kb, &ev->memcg_limit_kb, &ev->memcg_failcnt},
		{&ev->swap_usage_kb, &ev->swap_limit_kb, &ev->swap_failcnt},
	};
	static const char *const between[] = {"kB, limit ", "kB, failcnt "};
	const char *p = l->after, *e = l->e;
	for (size_t i = 0; i < 3; i++) {
		long long v;
		if (i && !starts(p, e, between[i - 1]))
			return;
		if (i)
			p += strlen(between[i - 1]);
		if (p >= e || !is_digit(*p) || dec_kll(&p, e, &v) < 0)
			return;
		*f[arg != 0][i] = v;
	}
}

/* "Memory cgroup stats for <path>:": the group that hit its limit, until
 * the "oom-kill:" line says it */
static void on_memcg_stats(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)arg;
	if (kl->open_oom < 0 || (size_t)kl->open_oom >= kl->n_oom)
		return;
	struct oom_event *ev = &kl->oom[kl->open_oom];
	const char *pe = l->e;
	if (pe > l->after && pe[-1] == ':')
		pe--;
	if (!ev->oom_memcg[0])
		copy_str(ev->oom_memcg, sizeof ev->oom_memcg, l->after, pe);
}

/* "Tasks in <path> are going to be killed due to memory.oom.group set",
 * right after the victim's kill: the kills that follow are the group's */
static void on_oom_group(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)arg;
	if (!starts(l->t, l->m, "Tasks in "))
		return;
	int i = kl->open_oom >= 0 ? kl->open_oom : (int)kl->n_oom - 1;
	if (i < 0 || (size_t)i >= kl->n_oom)
		return;
	copy_str(kl->oom[i].oom_group, sizeof kl->oom[i].oom_group, l->t + strlen("Tasks in "), l->m);
	kl->open_group = i;
}

/* "<comm>: page allocation failure: order:N, mode:0x..(..), nodemask=.." */
static void on_alloc_failure(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)arg;
	const char *e = l->e;
	if (kl->n_af == kl->cap_af) {
		size_t ncap = kl->cap_af ? kl->cap_af * 2 : 4;
		kl->af = xrealloc(kl->af, ncap * sizeof *kl->af);
		kl->cap_af = ncap;
	}
	struct alloc_failure *af = &kl->af[kl->n_af++];
	memset(af, 0, sizeof *af);
	af->ts_us = l->ts;
	af->order = -1;
	copy_str(af->comm, sizeof af->comm, l->t, l->m);
	const char *p = l->after;
	if (dec_int(&p, e, &af->order) < 0)
		af->order = -1;
	const char *md = find(p, e, "mode:");
	if (md)
		gfp_field(md + 5, e, af->mode, sizeof af->mode, af->mode_flags, sizeof af->mode_flags);
}

/* "Unreclaimable slab info:" opens the section in the event being
 * assembled (it comes between "invoked oom-killer" and "oom-kill:") */
static void on_slab_start(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)l;
	(void)arg;
	if (kl->open_oom < 0 || (size_t)kl->open_oom >= kl->n_oom)
		return;
	struct oom_event *ev = &kl->oom[kl->open_oom];
	if (!ev->slab_dumped)
		ev->slab_total_kb = 0;
	ev->slab_dumped = 1;
	kl->in_slab = 1;
}

/* "Name                      Used          Total": the section goes on */
static void on_slab_header(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)kl;
	(void)l;
	(void)arg;
}

/* "<digits>KB" ending at e (after trailing blanks): the number, and *s
 * moved before it. -1 when it is not there. */
static int kb_before(const char *t, const char **e, long long *out)
{
	const char *q = *e;
	while (q > t && q[-1] == ' ')
		q--;
	if (q - t < 3 || q[-1] != 'B' || q[-2] != 'K')
		return -1;
	const char *ne = q - 2, *ns = ne;
	while (ns > t && is_digit(ns[-1]))
		ns--;
	if (ns == ne)
		return -1;
	const char *p = ns;
	if (dec_kll(&p, ne, out) < 0 || p != ne)
		return -1;
	*e = ns;
	return 0;
}

/* "%-17s %10luKB %10luKB": name, Used and Total of one cache, inside the
 * section; the OOM_SLAB_TOP largest by Total are kept, largest first. */
static void on_slab_cache(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)arg;
	if (!kl->in_slab || kl->open_oom < 0 || (size_t)kl->open_oom >= kl->n_oom)
		return;
	const char *e = l->e;
	long long used, total;
	if (kb_before(l->t, &e, &total) < 0 || e == l->t || e[-1] != ' ' ||
	    kb_before(l->t, &e, &used) < 0 || e == l->t || e[-1] != ' ')
		return;
	while (e > l->t && e[-1] == ' ')
		e--;
	/* a cache's name is text: one with a NUL is a damaged line */
	if (e == l->t || memchr(l->t, '\0', (size_t)(e - l->t)))
		return;
	struct oom_event *ev = &kl->oom[kl->open_oom];
	ev->n_slab_caches++;
	ev->slab_total_kb = ev->slab_total_kb <= LLONG_MAX - total ? ev->slab_total_kb + total : LLONG_MAX;
	int at = ev->n_slab;
	while (at > 0 && ev->slab[at - 1].total_kb < total)
		at--;
	if (at >= OOM_SLAB_TOP)
		return;
	int last = ev->n_slab < OOM_SLAB_TOP ? ev->n_slab : OOM_SLAB_TOP - 1;
	memmove(&ev->slab[at + 1], &ev->slab[at], (size_t)(last - at) * sizeof ev->slab[0]);
	copy_str(ev->slab[at].name, sizeof ev->slab[at].name, l->t, e);
	ev->slab[at].used_kb = used;
	ev->slab[at].total_kb = total;
	if (ev->n_slab < OOM_SLAB_TOP)
		ev->n_slab++;
}

/* "Kernel panic - not syncing: <msg>": the first one */
static void on_panic(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)arg;
	if (kl->panic)
		return;
	const char *msg = l->after, *me = l->e;
	while (me > msg && (me[-1] == ' ' || me[-1] == '\t'))
		me--;
	kl->panic = 1;
	kl->panic_ts_us = l->ts;
	copy_str(kl->panic_msg, sizeof kl->panic_msg, msg, me);
}

/* arg: the offset of the int of struct kernlog the line counts */
static void on_count(struct kernlog *kl, const struct kl_line *l, size_t arg)
{
	(void)l;
	(*(int *)((char *)kl + arg))++;
}

/* ---- the line table ---- */

/* Where a row's text may stand in a message. */
enum kl_where {
	KL_START, /* at its start, after blanks */
	KL_ANY,   /* anywhere: its first occurrence */
	KL_MSG,   /* its first occurrence, at the start or right after "<prefix>: " */
};

struct kl_row {
	const char *text;  /* the fixed text of the line */
	enum kl_where where;
	const char *unless; /* not this row when this text follows (NULL: none) */
	void (*on)(struct kernlog *kl, const struct kl_line *l, size_t arg);
	size_t arg;        /* for on: on_count's counter (KL_COUNT) */
};

#define KL_COUNT(field) offsetof(struct kernlog, field)

/* Tried in order; the first row that matches takes the message. Each KL_ANY
 * or KL_MSG row costs a test of the message's byte pairs (pairs.h, made in
 * one pass) and, when they do not rule its text out, one scan; a KL_START
 * row a compare: a message is read a bounded number of times, never the
 * log again. */
static const struct kl_row kl_rows[] = {
	/* OOM-killer reports (mm/oom_kill.c): assembled into kl->oom */
	{" invoked oom-killer: ", KL_ANY, NULL, on_invoked, 0},
	{"oom-kill:", KL_START, NULL, on_oomkill, 0},
	/* old kernels also print "Killed process N (c) sharing same memory" */
	{"Killed process ", KL_MSG, "sharing same memory", on_killed, 0},
	{"oom_reaper: reaped process ", KL_START, NULL, on_reaped, 0},
	{"oom_reaper: unable to reap pid:", KL_START, NULL, on_unreaped, 0},
	/* a memory cgroup's OOM (mm/memcontrol.c): into the same event */
	{"memory: usage ", KL_START, NULL, on_memcg_usage, 0},
	{"swap: usage ", KL_START, NULL, on_memcg_usage, 1},
	{"Memory cgroup stats for ", KL_START, NULL, on_memcg_stats, 0},
	{" are going to be killed due to memory.oom.group set", KL_ANY, NULL, on_oom_group, 0},
	/* warn_alloc (mm/page_alloc.c): kl->af */
	{": page allocation failure: order:", KL_ANY, NULL, on_alloc_failure, 0},
	/* kernel/panic.c */
	{"Kernel panic - not syncing: ", KL_START, NULL, on_panic, 0},
	/* oopses (arch/x86/kernel/dumpstack.c, traps.c, lib/bug.c), warnings
	 * (kernel/panic.c __warn): counted */
	{"Oops:", KL_START, NULL, on_count, KL_COUNT(n_oops)},
	{"BUG:", KL_START, NULL, on_count, KL_COUNT(n_oops)},
	{"kernel BUG at ", KL_START, NULL, on_count, KL_COUNT(n_oops)},
	{"general protection fault", KL_START, NULL, on_count, KL_COUNT(n_oops)},
	{"WARNING: CPU: ", KL_START, NULL, on_count, KL_COUNT(n_warn)},
	/* dump_unreclaimable_slab (mm/slab_common.c), inside an OOM report:
	 * a header, a heading, then one "%-17s %10luKB %10luKB" line a cache.
	 * The cache row is last: only a message no other row takes is one. */
	{"Unreclaimable slab info:", KL_START, NULL, on_slab_start, 0},
	{"Name                      Used          Total", KL_START, NULL, on_slab_header, 0},
	{"KB ", KL_ANY, NULL, on_slab_cache, 0},
};

static int row_matches(const struct kl_row *r, struct kl_line *l)
{
	const char *m;
	switch (r->where) {
	case KL_START: /* the first byte rules most rows out */
		m = l->t < l->e && *l->t == r->text[0] && starts(l->t, l->e, r->text) ? l->t : NULL;
		break;
	case KL_ANY:
		m = find_in(&l->pairs, l->s, l->e, r->text);
		break;
	case KL_MSG:
		m = find_in(&l->pairs, l->s, l->e, r->text);
		if (m && m != l->t && !(m - l->s >= 2 && m[-2] == ':' && m[-1] == ' '))
			m = NULL;
		break;
	default:
		m = NULL;
	}
	if (!m)
		return 0;
	l->m = m;
	l->after = m + strlen(r->text);
	return !r->unless || !find_in(&l->pairs, l->after, l->e, r->unless);
}

/* The row a message matches (l filled), or -1. */
static int classify(const char *line, size_t len, unsigned long long ts, struct kl_line *l)
{
	const char *s = line, *e = line + len;
	while (e > s && (e[-1] == '\n' || e[-1] == '\r'))
		e--;
	const char *t = s;
	while (t < e && (*t == ' ' || *t == '\t'))
		t++;
	l->ts = ts;
	l->s = s;
	l->t = t;
	l->e = e;
	l->m = l->after = NULL;
	pairs_of(&l->pairs, s, e);
	for (size_t i = 0; i < ARRAY_SIZE(kl_rows); i++)
		if (row_matches(&kl_rows[i], l))
			return (int)i;
	return -1;
}

size_t kernlog_rows(void)
{
	return ARRAY_SIZE(kl_rows);
}

const char *kernlog_row_text(size_t row)
{
	return row < ARRAY_SIZE(kl_rows) ? kl_rows[row].text : NULL;
}

int kernlog_row_of(const char *line, size_t len)
{
	struct kl_line l;
	return line ? classify(line, len, 0, &l) : -1;
}

void kernlog_feed(struct kernlog *kl, unsigned long long ts_us, const char *line, size_t len)
{
	if (!kl || !line)
		return;
	struct kl_line l;
	int row = classify(line, len, ts_us, &l);
	/* any message but the section's own ends the section */
	if (row < 0 || (kl_rows[row].on != on_slab_start && kl_rows[row].on != on_slab_header &&
			kl_rows[row].on != on_slab_cache))
		kl->in_slab = 0;
	if (row >= 0)
		kl_rows[row].on(kl, &l, kl_rows[row].arg);
	findings_feed_pairs(&kl->findings, ts_us, line, len, &l.pairs);
}

/* ---- console text ---- */

/* "[    1.234567]" -> microseconds; returns the byte after ']' or NULL. */
static const char *console_ts(const char *p, const char *e, unsigned long long *ts)
{
	if (p >= e || *p != '[')
		return NULL;
	p++;
	while (p < e && *p == ' ')
		p++;
	unsigned long long sec, us = 0;
	if (dec_ull(&p, e, ULLONG_MAX, 12, &sec) < 0 || p >= e || *p != '.')
		return NULL;
	p++;
	int nf = 0;
	while (p < e && is_digit(*p)) {
		if (nf < 6) {
			us = us * 10 + (unsigned)(*p - '0');
			nf++;
		}
		p++;
	}
	if (!nf || p >= e || *p != ']')
		return NULL;
	for (; nf < 6; nf++)
		us *= 10;
	*ts = sec * 1000000ULL + us;
	return p + 1;
}

int console_next(const char *buf, size_t len, size_t *pos, unsigned long long *ts, const char **msg,
		 size_t *msg_len)
{
	if (!buf || *pos >= len)
		return 0;
	const char *p = buf + *pos, *end = buf + len;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *le = nl ? nl : end;
	const char *s = p;
	/* optional syslog priority "<6>" (dmesg -r) */
	if (s < le && *s == '<') {
		const char *q = s + 1;
		while (q < le && is_digit(*q) && q - s < 5)
			q++;
		if (q > s + 1 && q < le && *q == '>')
			s = q + 1;
	}
	const char *after = console_ts(s, le, ts);
	if (after) {
		s = after;
		/* CONFIG_PRINTK_CALLER: "[  T123]" or "[    C0]" */
		if (s < le && *s == '[') {
			const char *q = s + 1;
			while (q < le && *q == ' ')
				q++;
			if (q < le && (*q == 'T' || *q == 'C')) {
				const char *r = q + 1;
				while (r < le && is_digit(*r))
					r++;
				if (r > q + 1 && r < le && *r == ']')
					s = r + 1;
			}
		}
		if (s < le && *s == ' ')
			s++;
	}
	*msg = s;
	*msg_len = (size_t)(le - s);
	*pos = nl ? (size_t)(nl - buf) + 1 : len;
	return 1;
}

void kernlog_feed_console(struct kernlog *kl, const char *buf, size_t len)
{
	if (!kl || !buf)
		return;
	size_t pos = 0, n;
	unsigned long long ts = 0;
	const char *msg;
	while (console_next(buf, len, &pos, &ts, &msg, &n))
		kernlog_feed(kl, ts, msg, n);
}
