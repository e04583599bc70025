// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel log: console text and /dev/kmsg records (harness/parse/kmsg.c).
 * Properties:
 *  - "the text holds an OOM kill line" agrees with "an OOM event was
 *    parsed": a line "Out of memory: Killed process N (comm) total-vm:..."
 *    (bare or after a "[ sec.usec] " stamp) gives a killed event with pid
 *    N, and every killed event's "Killed process N (" is in the text;
 *  - an event re-formatted as the kernel prints it (mm/oom_kill.c) and fed
 *    again is the same event, field by field;
 *  - a kmsg record's text lies inside the input; re-formatted it parses
 *    to the same record;
 *  - an event's "Unreclaimable slab info:" caches are at most
 *    OOM_SLAB_TOP, largest first, and written again the kernel's way they
 *    parse back equal.
 * Every check is one pass over the input or the events: the killed events
 * come in the order of their kill lines, so the lines and the events are
 * matched in one walk (a search of the whole input per event made the
 * target quadratic: ~1,000 inputs a second). */
#include <limits.h>
#include <string.h>

#include "fuzz.h"
#include "parse/parse.h"
#include "lib/util.h"

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The independent oracle: the pid of a kernel OOM kill line in [p, e),
 * or -1. Only the plain form is recognised (what the kernel prints). */
static long long kill_line_pid(const char *p, const char *e)
{
	if (p < e && *p == '[') {
		const char *q = p + 1;
		while (q < e && *q == ' ')
			q++;
		const char *ds = q;
		while (q < e && is_digit(*q))
			q++;
		if (q == ds || q - ds > 12 || q >= e || *q != '.')
			return -1;
		const char *fs = ++q;
		while (q < e && is_digit(*q))
			q++;
		if (q == fs || q + 1 >= e || q[0] != ']' || q[1] != ' ')
			return -1;
		p = q + 2;
	}
	static const char lead[] = "Out of memory: Killed process ";
	size_t ll = sizeof lead - 1;
	if ((size_t)(e - p) < ll || memcmp(p, lead, ll))
		return -1;
	/* another rule of the parser takes such lines first */
	if (memmem(p, (size_t)(e - p), " invoked oom-killer: ", 21) || memmem(p, (size_t)(e - p), "sharing same memory", 19))
		return -1;
	const char *q = p + ll;
	long long pid = 0;
	int nd = 0;
	while (q < e && is_digit(*q)) {
		pid = pid * 10 + (*q++ - '0');
		if (++nd > 9)
			return -1;
	}
	if (!nd || pid > INT_MAX || e - q < 2 || q[0] != ' ' || q[1] != '(')
		return -1;
	if (!memmem(q, (size_t)(e - q), ") total-vm:", 11))
		return -1;
	return pid;
}

static int kernel_word(const char *s, const char *extra)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || is_digit(*s) || *s == '_' ||
		      strchr(extra, *s)))
			return 0;
	return 1;
}

/* A comm the kernel can print: 1..15 bytes, one line. */
static int kernel_comm(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 15 && !strpbrk(s, "\n\r");
}

static void same_event(const struct oom_event *a, const struct oom_event *b, const char *text)
{
	FUZZ_CHECK(a->ts_us == b->ts_us && !strcmp(a->invoker_comm, b->invoker_comm) &&
			   !strcmp(a->gfp_mask, b->gfp_mask) && !strcmp(a->gfp_flags, b->gfp_flags) &&
			   a->order == b->order && a->invoker_oom_score_adj == b->invoker_oom_score_adj,
		   "invoked line re-parsed differently: %s", text);
	FUZZ_CHECK(!strcmp(a->constraint, b->constraint) && !strcmp(a->oom_kind, b->oom_kind) &&
			   a->victim_pid == b->victim_pid && !strcmp(a->victim_comm, b->victim_comm) &&
			   a->victim_uid == b->victim_uid,
		   "oom-kill line re-parsed differently ('%s' pid %d -> '%s' pid %d): %s", a->victim_comm,
		   a->victim_pid, b->victim_comm, b->victim_pid, text);
	FUZZ_CHECK(a->total_vm_kb == b->total_vm_kb && a->anon_rss_kb == b->anon_rss_kb &&
			   a->file_rss_kb == b->file_rss_kb && a->shmem_rss_kb == b->shmem_rss_kb &&
			   a->pgtables_kb == b->pgtables_kb && a->victim_oom_score_adj == b->victim_oom_score_adj &&
			   a->killed == b->killed,
		   "Killed line re-parsed differently: %s", text);
}

static long long nonneg(long long v, long long max)
{
	return v >= 0 && v <= max ? v : 12345;
}

/* Build the kernel's three lines from a parsed event (fields the parser
 * did not see, or the kernel cannot print, get plain values), feed them,
 * expect exactly that event back. */
static void roundtrip(const struct oom_event *ev)
{
	struct oom_event want = *ev;
	if (!kernel_comm(want.invoker_comm))
		strcpy(want.invoker_comm, "invoker");
	if (!kernel_comm(want.victim_comm))
		strcpy(want.victim_comm, "victim");
	if (!kernel_word(want.gfp_mask, "") || strncmp(want.gfp_mask, "0x", 2) || strlen(want.gfp_mask) > 10)
		strcpy(want.gfp_mask, "0x140cca");
	if (!kernel_word(want.gfp_flags, "|"))
		strcpy(want.gfp_flags, "GFP_HIGHUSER_MOVABLE|__GFP_COMP");
	if (!kernel_word(want.constraint, ""))
		strcpy(want.constraint, "CONSTRAINT_NONE");
	strcpy(want.oom_kind, "global_oom");
	want.order = (int)nonneg(want.order, 10);
	want.invoker_oom_score_adj = want.invoker_oom_score_adj >= -1000 && want.invoker_oom_score_adj <= 1000
					     ? want.invoker_oom_score_adj : 0;
	want.victim_oom_score_adj = want.victim_oom_score_adj >= -1000 && want.victim_oom_score_adj <= 1000
					    ? want.victim_oom_score_adj : 0;
	want.victim_pid = (int)nonneg(want.victim_pid, INT_MAX);
	want.victim_uid = nonneg(want.victim_uid, UINT_MAX);
	want.total_vm_kb = nonneg(want.total_vm_kb, LLONG_MAX);
	want.anon_rss_kb = nonneg(want.anon_rss_kb, LLONG_MAX);
	want.file_rss_kb = nonneg(want.file_rss_kb, LLONG_MAX);
	want.shmem_rss_kb = nonneg(want.shmem_rss_kb, LLONG_MAX);
	want.pgtables_kb = nonneg(want.pgtables_kb, LLONG_MAX);
	want.killed = 1;
	want.reaped = 0;
	want.ts_us %= 1000000000000ULL;
	/* on the stack: printf a line, no allocation but the copies fed */
	char l[3][1024];
	int n0 = snprintf(l[0], sizeof l[0], "%s invoked oom-killer: gfp_mask=%s(%s), order=%d, oom_score_adj=%d", want.invoker_comm,
			 want.gfp_mask, want.gfp_flags, want.order, want.invoker_oom_score_adj);
	int n1 = snprintf(l[1], sizeof l[1], "oom-kill:constraint=%s,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
			 "task_memcg=/,task=%s,pid=%d,uid=%lld",
			 want.constraint, want.victim_comm, want.victim_pid, want.victim_uid);
	int n2 = snprintf(l[2], sizeof l[2], "Out of memory: Killed process %d (%s) total-vm:%lldkB, anon-rss:%lldkB, "
			 "file-rss:%lldkB, shmem-rss:%lldkB, UID:%lld pgtables:%lldkB oom_score_adj:%d",
			 want.victim_pid, want.victim_comm, want.total_vm_kb, want.anon_rss_kb, want.file_rss_kb,
			 want.shmem_rss_kb, want.victim_uid, want.pgtables_kb, want.victim_oom_score_adj);
	FUZZ_CHECK(n0 > 0 && n1 > 0 && n2 > 0 && (size_t)n0 < sizeof l[0] && (size_t)n1 < sizeof l[1] &&
			   (size_t)n2 < sizeof l[2],
		   "a kernel line longer than %zu bytes", sizeof l[0]);
	/* as kmsg messages */
	struct kernlog kl;
	kernlog_init(&kl);
	for (int i = 0; i < 3; i++) {
		char *d = fuzz_dup(l[i], strlen(l[i]));
		kernlog_feed(&kl, want.ts_us, d, strlen(l[i]));
		free(d);
	}
	FUZZ_CHECK(kl.n_oom == 1, "%zu events from one report: %s", kl.n_oom, l[2]);
	same_event(&want, &kl.oom[0], l[1]);
	kernlog_free(&kl);
	/* as console text */
	char c[3 * (sizeof l[0] + 32)];
	size_t cl = 0;
	for (int i = 0; i < 3; i++)
		cl += (size_t)snprintf(c + cl, sizeof c - cl, "[%5llu.%06llu] %s\n", want.ts_us / 1000000,
				       want.ts_us % 1000000, l[i]);
	char *d = fuzz_dup(c, cl);
	kernlog_init(&kl);
	kernlog_feed_console(&kl, d, cl);
	FUZZ_CHECK(kl.n_oom == 1, "console: %zu events", kl.n_oom);
	same_event(&want, &kl.oom[0], c);
	kernlog_free(&kl);
	free(d);
}

/* An event's "Unreclaimable slab info:" caches written again the kernel's
 * way ("%-17s %10luKB %10luKB", mm/slab_common.c) inside a report parse
 * back to the same caches, in the same order. */
static void slab_roundtrip(const struct oom_event *ev)
{
	static const char *const head[] = {
		"x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"Unreclaimable slab info:",
		"Name                      Used          Total",
	};
	static const char *const tail[] = {
		"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=x,pid=2,uid=0",
		"Out of memory: Killed process 2 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
	};
	struct oom_slab want[OOM_SLAB_TOP];
	long long sum = 0;
	struct kernlog kl;
	kernlog_init(&kl);
	for (size_t i = 0; i < ARRAY_SIZE(head); i++)
		kernlog_feed(&kl, 1, head[i], strlen(head[i]));
	for (int i = 0; i < ev->n_slab; i++) {
		want[i] = ev->slab[i];
		/* a name the kernel can print: one word */
		if (!kernel_word(want[i].name, "-:.()"))
			snprintf(want[i].name, sizeof want[i].name, "cache%d", i);
		want[i].used_kb = nonneg(want[i].used_kb, LLONG_MAX / 8);
		want[i].total_kb = i ? want[i - 1].total_kb - 1 : 1000000;
		sum += want[i].total_kb;
		char l[128];
		int n = snprintf(l, sizeof l, "%-17s %10lldKB %10lldKB", want[i].name, want[i].used_kb,
				 want[i].total_kb);
		char *d = fuzz_dup(l, (size_t)n);
		kernlog_feed(&kl, 1, d, (size_t)n);
		free(d);
	}
	for (size_t i = 0; i < ARRAY_SIZE(tail); i++)
		kernlog_feed(&kl, 1, tail[i], strlen(tail[i]));
	FUZZ_CHECK(kl.n_oom == 1 && kl.oom[0].slab_dumped && kl.oom[0].n_slab == ev->n_slab &&
			   kl.oom[0].n_slab_caches == ev->n_slab && kl.oom[0].slab_total_kb == sum,
		   "a slab section of %d caches re-parsed as %d", ev->n_slab, kl.n_oom ? kl.oom[0].n_slab : -1);
	for (int i = 0; i < ev->n_slab; i++)
		FUZZ_CHECK(!strcmp(kl.oom[0].slab[i].name, want[i].name) &&
				   kl.oom[0].slab[i].used_kb == want[i].used_kb &&
				   kl.oom[0].slab[i].total_kb == want[i].total_kb,
			   "slab cache %d re-parsed differently: %s", i, want[i].name);
	kernlog_free(&kl);
}

/* The section's caches: at most OOM_SLAB_TOP, largest first, counted. */
static void check_slab(const struct oom_event *ev, size_t i)
{
	FUZZ_CHECK(ev->n_slab >= 0 && ev->n_slab <= OOM_SLAB_TOP && ev->n_slab <= ev->n_slab_caches,
		   "event %zu: %d slab caches kept of %d", i, ev->n_slab, ev->n_slab_caches);
	FUZZ_CHECK(ev->slab_dumped || (ev->n_slab_caches == 0 && ev->slab_total_kb == -1),
		   "event %zu: slab caches without the section", i);
	for (int k = 0; k < ev->n_slab; k++) {
		FUZZ_CHECK(memchr(ev->slab[k].name, '\0', SLAB_NAME_MAX) && ev->slab[k].name[0] &&
				   ev->slab[k].used_kb >= 0 && ev->slab[k].total_kb >= 0 &&
				   ev->slab[k].total_kb <= ev->slab_total_kb,
			   "event %zu: slab cache %d", i, k);
		FUZZ_CHECK(!k || ev->slab[k - 1].total_kb >= ev->slab[k].total_kb, "event %zu: slab not sorted", i);
	}
}

/* The findings (parse/findings.h): each a logged kind, a title of its own
 * (one finding a title), counted at least once and at most once a line,
 * its frames and raw text NUL-terminated inside their bounds. */
static void check_findings(const struct findings *fs, const char *in, size_t size)
{
	size_t lines = 1, counted = 0;
	for (const char *p = in; (p = memchr(p, '\n', size - (size_t)(p - in))); p++)
		lines++;
	FUZZ_CHECK(fs->n <= fs->cap, "%zu findings, room for %zu", fs->n, fs->cap);
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];
		FUZZ_CHECK((unsigned)f->kind < FINDING_KIND_COUNT && f->kind != FK_STALL, "finding %zu: kind %d", i,
			   (int)f->kind);
		FUZZ_CHECK(memchr(f->title, '\0', FINDING_TITLE_MAX) && f->title[0], "finding %zu: title", i);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(fs->f[j].title, f->title), "findings %zu and %zu: one title", j, i);
		FUZZ_CHECK(f->count >= 1, "finding %zu: count %d", i, f->count);
		counted += (size_t)f->count;
		FUZZ_CHECK(f->n_frames >= 0 && f->n_frames <= FINDING_FRAMES, "finding %zu: %d frames", i,
			   f->n_frames);
		for (int k = 0; k < f->n_frames; k++)
			FUZZ_CHECK(memchr(f->frames[k], '\0', FINDING_FRAME_MAX) && f->frames[k][0],
				   "finding %zu: frame %d", i, k);
		FUZZ_CHECK(f->raw_len < FINDING_RAW_MAX && f->raw[f->raw_len] == '\0' &&
				   strlen(f->raw) <= f->raw_len,
			   "finding %zu: raw_len %zu", i, f->raw_len);
	}
	FUZZ_CHECK(counted <= lines, "%zu reports counted in %zu lines", counted, lines);
}

static void check_log(const struct kernlog *kl, const char *in, size_t size, int console)
{
	check_findings(&kl->findings, in, size);
	FUZZ_CHECK(kl->open_oom == -1 || (kl->open_oom >= 0 && (size_t)kl->open_oom < kl->n_oom), "open_oom %d",
		   kl->open_oom);
	FUZZ_CHECK(memchr(kl->panic_msg, '\0', sizeof kl->panic_msg), "panic_msg");
	if (kl->panic)
		FUZZ_CHECK(memmem(in, size, "Kernel panic - not syncing: ", 28), "a panic from nowhere");
	size_t killed = 0, occurrences = 0;
	for (const char *p = in; (p = memmem(p, size - (size_t)(p - in), "Killed process ", 15)); p++)
		occurrences++;
	/* the next "Killed process " a killed event may come from: each
	 * message gives at most one event, in the order of the text */
	const char *from = in;
	for (size_t i = 0; i < kl->n_oom; i++) {
		const struct oom_event *ev = &kl->oom[i];
		FUZZ_CHECK(memchr(ev->invoker_comm, '\0', COMM_MAX) && memchr(ev->victim_comm, '\0', COMM_MAX) &&
				   memchr(ev->gfp_flags, '\0', sizeof ev->gfp_flags) &&
				   memchr(ev->constraint, '\0', sizeof ev->constraint),
			   "event %zu: a string not terminated", i);
		check_slab(ev, i);
		if (console && ev->n_slab)
			slab_roundtrip(ev);
		if (!ev->killed)
			continue;
		killed++;
		/* "Killed process <digits> (" with that value (leading zeros
		 * too), after the one of the killed event before */
		int found = 0;
		for (const char *p = from; !found && (p = memmem(p, size - (size_t)(p - in), "Killed process ", 15)); p++) {
			const char *q = p + 15;
			long long v = 0;
			while (q < in + size && is_digit(*q) && v <= INT_MAX)
				v = v * 10 + (*q++ - '0');
			found = q > p + 15 && v == ev->victim_pid && in + size - q >= 2 && q[0] == ' ' && q[1] == '(';
			from = p + 1;
		}
		FUZZ_CHECK(found, "event %zu: no 'Killed process %d (' in the text after the kill line of the event before",
			   i, ev->victim_pid);
		if (console)
			roundtrip(ev);
	}
	FUZZ_CHECK(killed <= occurrences, "%zu killed events, %zu kill lines", killed, occurrences);
	for (size_t i = 0; i < kl->n_af; i++)
		FUZZ_CHECK(memchr(kl->af[i].comm, '\0', COMM_MAX) && memchr(kl->af[i].mode_flags, '\0', 160),
			   "af %zu", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	/* 1. console text */
	struct kernlog kl;
	kernlog_init(&kl);
	kernlog_feed_console(&kl, in, size);
	check_log(&kl, in, size, 1);
	/* the oracle: each kernel kill line has its killed event, in order
	 * (ev: the first event not matched to a kill line yet), but for the
	 * victim of a memory.oom.group kill printed again among its group:
	 * after a group line and before the next report, the kill line of a
	 * pid that is the victim of an event may be that event's, not a new
	 * one (the group is the open event's or the last one's, a member's
	 * too when a group line comes again; its path may be anything, even
	 * empty as a C string) */
	static const char group_text[] = " are going to be killed due to memory.oom.group set";
	size_t ev = 0;
	int groups = memmem(in, size, group_text, sizeof group_text - 1) != NULL, group = 0;
	for (const char *p = in, *end = in + size; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (groups && memmem(p, (size_t)(le - p), " invoked oom-killer: ", 21))
			group = 0;
		else if (groups && memmem(p, (size_t)(le - p), group_text, sizeof group_text - 1))
			group = 1;
		long long pid = kill_line_pid(p, le);
		int again = 0;
		for (size_t i = 0; group && pid >= 0 && i < kl.n_oom && !again; i++)
			again = kl.oom[i].victim_pid == pid;
		if (pid >= 0 && !again) {
			int found = 0;
			for (; ev < kl.n_oom && !found; ev++)
				found = kl.oom[ev].killed && kl.oom[ev].victim_pid == pid;
			FUZZ_CHECK(found, "the kill line of pid %lld (offset %zu) gave no killed event", pid,
				   (size_t)(p - in));
		}
		p = nl ? nl + 1 : end;
	}
	kernlog_free(&kl);
	/* 2. /dev/kmsg records: one starts at every line not starting with ' ' */
	kernlog_init(&kl);
	/* a record re-formatted is written to the end of this buffer, so a
	 * read past its end is caught (one allocation an input, not two a
	 * line: they were a third of the time) */
	size_t rcap = size + 64;
	char *rbuf = xmalloc(rcap);
	for (const char *p = in, *end = in + size; p < end;) {
		const char *q = p;
		for (;;) {
			const char *nl = memchr(q, '\n', (size_t)(end - q));
			q = nl ? nl + 1 : end;
			if (q >= end || *q != ' ')
				break;
		}
		struct kmsg_rec r, r2;
		if (parse_kmsg_record(p, (size_t)(q - p), &r) == 0) {
			FUZZ_CHECK(fuzz_inside(p, (size_t)(q - p), r.text, r.text_len), "kmsg text outside its record");
			FUZZ_CHECK(r.level >= 0 && r.level <= 7 && r.facility >= 0, "level %d facility %d", r.level,
				   r.facility);
			FUZZ_CHECK(!memchr(r.text, '\n', r.text_len), "kmsg text spans lines");
			/* "%d,%llu,%llu,-;%.*s\n": the text up to a NUL byte */
			size_t want_len = strnlen(r.text, r.text_len);
			char head[80], *w = head;
			w = fuzz_put_ll(w, r.facility << 3 | r.level);
			*w++ = ',';
			w = fuzz_put_ull(w, r.seq);
			*w++ = ',';
			w = fuzz_put_ull(w, r.ts_us);
			memcpy(w, ",-;", 3);
			size_t hl = (size_t)(w + 3 - head), tl = hl + want_len + 1;
			char *d = rbuf + rcap - tl;
			memcpy(d, head, hl);
			memcpy(d + hl, r.text, want_len);
			d[tl - 1] = '\n';
			FUZZ_CHECK(parse_kmsg_record(d, tl, &r2) == 0 && r2.level == r.level &&
					   r2.facility == r.facility && r2.seq == r.seq && r2.ts_us == r.ts_us &&
					   r2.text_len == want_len && !memcmp(r2.text, r.text, want_len),
				   "kmsg record re-parsed differently: %.*s", (int)tl, d);
			kernlog_feed(&kl, r.ts_us, r.text, r.text_len);
		}
		p = q;
	}
	free(rbuf);
	check_log(&kl, in, size, 0);
	kernlog_free(&kl);
	return 0;
}
