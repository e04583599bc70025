// SPDX-License-Identifier: GPL-2.0-or-later
/* earlyoom's log lines (parse/earlyoom.h), one line of the input at a
 * time, each from a heap copy of exactly its bytes: a line of no kind
 * leaves the struct zeroed; a line of a kind starts with that kind's text
 * (a table here, independent of the parser's) and fills what the kind
 * says (the signal its kind implies, a victim's pid > 0 and its name
 * terminated and taken from the line, seconds >= 0); numbers are finite
 * (they go into JSON reports); printed as earlyoom 1.7 prints it (main.c,
 * kill.c, meminfo.c) the line parses to the same kind and is a fixed
 * point (print(parse(print(x))) == print(x)). */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "parse/earlyoom.h"

/* the parser takes lines shorter than this (parse/earlyoom.c) */
#define EO_LINE_MAX 512
#define EO_PRINT_MAX 1024

static const struct {
	enum eo_kind kind;
	const char *starts;
} kinds[] = {
	{EO_VERSION, "earlyoom "},
	{EO_TOTALS, "mem total: "},
	{EO_TERM_AT, "sending SIGTERM when "},
	{EO_KILL_AT, "        SIGKILL when "},
	{EO_MEM, "mem avail: "},
	{EO_LOW, "low memory! at or below "},
	{EO_KILL, "sending SIG"},
	{EO_ESCALATED, "escalating to SIGKILL after "},
	{EO_EXITED, "process exited after "},
};

static const char *sig_name(int sig)
{
	return sig == 9 ? "SIGKILL" : "SIGTERM";
}

/* The line as earlyoom prints it, -1 if it does not fit. */
static int print_line(const struct eo_line *e, char *out, size_t outsz)
{
	switch (e->kind) {
	case EO_VERSION:
		return snprintf(out, outsz, "earlyoom %s", e->version);
	case EO_TOTALS:
		return snprintf(out, outsz, "mem total: %4lld MiB, swap total: %4lld MiB", e->mem_total_mib,
				e->swap_total_mib);
	case EO_TERM_AT:
		return snprintf(out, outsz, "sending SIGTERM when mem <= %5.2f%% and swap <= %5.2f%%,", e->mem_pct,
				e->swap_pct);
	case EO_KILL_AT:
		return snprintf(out, outsz, "        SIGKILL when mem <= %5.2f%% and swap <= %5.2f%%", e->mem_pct,
				e->swap_pct);
	case EO_MEM:
		return snprintf(out, outsz, "mem avail: %5lld of %5lld MiB (%5.2f%%), swap free: %4lld of %4lld MiB (%5.2f%%)",
				e->mem_avail_mib, e->mem_total_mib, e->mem_pct, e->swap_free_mib, e->swap_total_mib,
				e->swap_pct);
	case EO_LOW:
		return snprintf(out, outsz, "low memory! at or below %s limits: mem %5.2f%%, swap %5.2f%%",
				sig_name(e->sig), e->mem_pct, e->swap_pct);
	case EO_KILL:
		return snprintf(out, outsz, "sending %s to process %d uid %d \"%s\": badness %d, VmRSS %lld MiB",
				sig_name(e->sig), e->pid, e->uid, e->comm, e->badness, e->rss_mib);
	case EO_ESCALATED:
		return snprintf(out, outsz, "escalating to SIGKILL after %.1f seconds", e->secs);
	case EO_EXITED:
		return snprintf(out, outsz, "process exited after %.1f seconds", e->secs);
	case EO_NONE:
		break;
	}
	return -1;
}

static void check_line(const char *line, size_t len)
{
	static const struct eo_line zero;
	struct eo_line a, b;
	char *d = fuzz_dup(line, len);
	enum eo_kind k = eo_parse_line(d, len, &a);
	FUZZ_CHECK(k == a.kind, "returned %d, kind %d", (int)k, (int)a.kind);
	if (k == EO_NONE) {
		FUZZ_CHECK(!memcmp(&a, &zero, sizeof a), "a line of no kind left fields set");
		free(d);
		return;
	}
	size_t r = 0;
	while (r < sizeof kinds / sizeof kinds[0] && kinds[r].kind != k)
		r++;
	FUZZ_CHECK(r < sizeof kinds / sizeof kinds[0], "unknown kind %d", (int)k);
	size_t sl = strlen(kinds[r].starts);
	FUZZ_CHECK(len >= sl && !memcmp(d, kinds[r].starts, sl), "kind %d on a line not starting \"%s\"", (int)k,
		   kinds[r].starts);
	/* the signal the kind implies */
	if (k == EO_TERM_AT)
		FUZZ_CHECK(a.sig == 15, "SIGTERM limits with sig %d", a.sig);
	else if (k == EO_KILL_AT || k == EO_ESCALATED)
		FUZZ_CHECK(a.sig == 9, "SIGKILL line with sig %d", a.sig);
	else if (k == EO_LOW || k == EO_KILL)
		FUZZ_CHECK(a.sig == 9 || a.sig == 15, "sig %d", a.sig);
	else
		FUZZ_CHECK(a.sig == 0, "kind %d with sig %d", (int)k, a.sig);
	if (k == EO_KILL) {
		size_t cl = strnlen(a.comm, sizeof a.comm);
		FUZZ_CHECK(cl < sizeof a.comm, "name not terminated");
		FUZZ_CHECK(a.pid > 0, "pid %d", a.pid);
		const char *q = memchr(d, '"', len);
		FUZZ_CHECK(q && (size_t)(d + len - (q + 1)) >= cl && !memcmp(q + 1, a.comm, cl),
			   "the name \"%s\" is not the bytes after the first quote", a.comm);
	}
	if (k == EO_VERSION)
		FUZZ_CHECK(strnlen(a.version, sizeof a.version) < sizeof a.version && a.version[0],
			   "version empty or not terminated");
	FUZZ_CHECK(isfinite(a.mem_pct) && isfinite(a.swap_pct) && isfinite(a.secs),
		   "not finite: mem %g%% swap %g%% secs %g", a.mem_pct, a.swap_pct, a.secs);
	FUZZ_CHECK(a.secs >= 0, "secs %g", a.secs);
	free(d);

	static char t1[EO_PRINT_MAX], t2[EO_PRINT_MAX];
	int n1 = print_line(&a, t1, sizeof t1);
	if (n1 < 0 || n1 >= EO_LINE_MAX)
		return; /* a huge number printed: longer than the parser takes a line */
	d = fuzz_dup(t1, (size_t)n1);
	enum eo_kind kb = eo_parse_line(d, (size_t)n1, &b);
	free(d);
	FUZZ_CHECK(kb == k, "printed as '%s' it is kind %d, not %d", t1, (int)kb, (int)k);
	int n2 = print_line(&b, t2, sizeof t2);
	FUZZ_CHECK(n2 == n1 && !memcmp(t1, t2, (size_t)n1), "not a fixed point: '%s' then '%s'", t1, t2);
	FUZZ_CHECK(b.pid == a.pid && b.uid == a.uid && b.badness == a.badness && b.rss_mib == a.rss_mib &&
			   !strcmp(b.comm, a.comm) && !strcmp(b.version, a.version) &&
			   b.mem_total_mib == a.mem_total_mib && b.swap_total_mib == a.swap_total_mib &&
			   b.mem_avail_mib == a.mem_avail_mib && b.swap_free_mib == a.swap_free_mib,
		   "an integer or a name changed through '%s'", t1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		check_line(p, len);
		p += len + (nl != NULL);
	}
	return 0;
}
