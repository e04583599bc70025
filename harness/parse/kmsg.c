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
 *   "%s: page allocation failure: order:%u, mode:%#x(%pGg), nodemask=.."
 *   "Kernel panic - not syncing: %s"
 * A comm is at most 15 bytes in the kernel but may hold spaces, commas,
 * parentheses and colons, so fields around it are found from the fixed text
 * that follows it. */
#include "parse/parse.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "parse/dec.h"

/* ---- small bounded helpers ---- */

static const char *find(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);
	if (s >= e || (size_t)(e - s) < n)
		return NULL;
	return memmem(s, (size_t)(e - s), lit, n);
}

/* last occurrence of lit that starts in [s, e) and ends by e */
static const char *rfind(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);
	if (s >= e || (size_t)(e - s) < n)
		return NULL;
	for (const char *p = e - n;; p--) {
		if (memcmp(p, lit, n) == 0)
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
}

void kernlog_free(struct kernlog *kl)
{
	if (!kl)
		return;
	free(kl->oom);
	free(kl->af);
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
	return kl->n_oom++;
}

/* the event being assembled, or a fresh one */
static struct oom_event *oom_open(struct kernlog *kl, unsigned long long ts)
{
	if (kl->open_oom < 0 || (size_t)kl->open_oom >= kl->n_oom)
		kl->open_oom = (int)oom_new(kl, ts);
	return &kl->oom[kl->open_oom];
}

/* "<comm> invoked oom-killer: gfp_mask=0x..(..), order=N, oom_score_adj=N" */
static void on_invoked(struct kernlog *kl, unsigned long long ts, const char *s, const char *m, const char *e)
{
	kl->open_oom = (int)oom_new(kl, ts);
	struct oom_event *ev = &kl->oom[kl->open_oom];
	copy_str(ev->invoker_comm, sizeof ev->invoker_comm, s, m);
	const char *rest = m + strlen(" invoked oom-killer: ");
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
static void on_oomkill(struct kernlog *kl, unsigned long long ts, const char *t, const char *e)
{
	struct oom_event *ev = oom_open(kl, ts);
	const char *p = t + strlen("oom-kill:");
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
	else if (find(p, head_end, ",oom_memcg="))
		snprintf(ev->oom_kind, sizeof ev->oom_kind, "oom_memcg");
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
static void on_killed(struct kernlog *kl, unsigned long long ts, const char *k, const char *e)
{
	const char *p = k + strlen("Killed process ");
	int pid;
	if (dec_int(&p, e, &pid) < 0 || !starts(p, e, " ("))
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
	if (!ev) {
		size_t i = oom_new(kl, ts); /* may move kl->oom */
		ev = &kl->oom[i];
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

/* "oom_reaper: reaped process N (comm), now anon-rss:..." */
static void on_reaped(struct kernlog *kl, const char *p, const char *e)
{
	int pid;
	if (dec_int(&p, e, &pid) < 0)
		return;
	for (size_t i = kl->n_oom; i-- > 0;) {
		if (kl->oom[i].victim_pid == pid) {
			kl->oom[i].reaped = 1;
			return;
		}
	}
}

/* "<comm>: page allocation failure: order:N, mode:0x..(..), nodemask=.." */
static void on_alloc_failure(struct kernlog *kl, unsigned long long ts, const char *s, const char *m, const char *e)
{
	if (kl->n_af == kl->cap_af) {
		size_t ncap = kl->cap_af ? kl->cap_af * 2 : 4;
		kl->af = xrealloc(kl->af, ncap * sizeof *kl->af);
		kl->cap_af = ncap;
	}
	struct alloc_failure *af = &kl->af[kl->n_af++];
	memset(af, 0, sizeof *af);
	af->ts_us = ts;
	af->order = -1;
	copy_str(af->comm, sizeof af->comm, s, m);
	const char *p = m + strlen(": page allocation failure: order:");
	if (dec_int(&p, e, &af->order) < 0)
		af->order = -1;
	const char *md = find(p, e, "mode:");
	if (md)
		gfp_field(md + 5, e, af->mode, sizeof af->mode, af->mode_flags, sizeof af->mode_flags);
}

void kernlog_feed(struct kernlog *kl, unsigned long long ts_us, const char *line, size_t len)
{
	if (!kl || !line)
		return;
	const char *s = line, *e = line + len;
	while (e > s && (e[-1] == '\n' || e[-1] == '\r'))
		e--;
	const char *t = s; /* the line without leading blanks */
	while (t < e && (*t == ' ' || *t == '\t'))
		t++;
	const char *m;

	if ((m = find(s, e, " invoked oom-killer: ")) != NULL) {
		on_invoked(kl, ts_us, s, m, e);
	} else if (starts(t, e, "oom-kill:")) {
		on_oomkill(kl, ts_us, t, e);
	} else if ((m = find(s, e, "Killed process ")) != NULL && (m == t || (m - s >= 2 && m[-2] == ':' && m[-1] == ' ')) &&
		   !find(m, e, "sharing same memory")) {
		on_killed(kl, ts_us, m, e);
	} else if (starts(t, e, "oom_reaper: reaped process ")) {
		on_reaped(kl, t + strlen("oom_reaper: reaped process "), e);
	} else if ((m = find(s, e, ": page allocation failure: order:")) != NULL) {
		on_alloc_failure(kl, ts_us, t, m, e);
	} else if (starts(t, e, "Kernel panic - not syncing: ")) {
		if (!kl->panic) {
			const char *msg = t + strlen("Kernel panic - not syncing: ");
			const char *me = e;
			while (me > msg && (me[-1] == ' ' || me[-1] == '\t'))
				me--;
			kl->panic = 1;
			kl->panic_ts_us = ts_us;
			copy_str(kl->panic_msg, sizeof kl->panic_msg, msg, me);
		}
	} else if (starts(t, e, "Oops:") || starts(t, e, "BUG:") || starts(t, e, "kernel BUG at ") ||
		   starts(t, e, "general protection fault")) {
		kl->n_oops++;
	} else if (starts(t, e, "WARNING: CPU: ")) {
		kl->n_warn++;
	}
}

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

void kernlog_feed_console(struct kernlog *kl, const char *buf, size_t len)
{
	if (!kl || !buf)
		return;
	const char *p = buf, *end = buf + len;
	unsigned long long last_ts = 0;
	while (p < end) {
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
		unsigned long long ts;
		const char *after = console_ts(s, le, &ts);
		if (after) {
			last_ts = ts;
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
		kernlog_feed(kl, after ? ts : last_ts, s, (size_t)(le - s));
		p = nl ? nl + 1 : end;
	}
}
