// SPDX-License-Identifier: GPL-2.0-or-later
#include "parse/earlyoom.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define EO_MAX_LINE 512

static int sig_of(const char *name)
{
	return !strcmp(name, "SIGTERM") ? 15 : !strcmp(name, "SIGKILL") ? 9 : 0;
}

/* Each row: the text the line starts with and its reader (over the whole
 * line, NUL-terminated); 0 when it read the line whole. */
static int r_version(const char *s, struct eo_line *o)
{
	int end = 0;
	if (sscanf(s, "earlyoom %15[^ \n]%n", o->version, &end) != 1 || s[end])
		return -1;
	return 0;
}

static int r_totals(const char *s, struct eo_line *o)
{
	int end = 0;
	if (sscanf(s, "mem total: %lld MiB, swap total: %lld MiB%n", &o->mem_total_mib,
		   &o->swap_total_mib, &end) != 2 || s[end])
		return -1;
	return 0;
}

static int r_term_at(const char *s, struct eo_line *o)
{
	int end = 0;
	if (sscanf(s, "sending SIGTERM when mem <= %lf%% and swap <= %lf%%,%n", &o->mem_pct,
		   &o->swap_pct, &end) != 2 || s[end])
		return -1;
	o->sig = 15;
	return 0;
}

static int r_kill_at(const char *s, struct eo_line *o)
{
	int end = 0;
	if (sscanf(s, " SIGKILL when mem <= %lf%% and swap <= %lf%%%n", &o->mem_pct, &o->swap_pct,
		   &end) != 2 || s[end])
		return -1;
	o->sig = 9;
	return 0;
}

static int r_mem(const char *s, struct eo_line *o)
{
	int end = 0;
	if (sscanf(s, "mem avail: %lld of %lld MiB (%lf%%), swap free: %lld of %lld MiB (%lf%%)%n",
		   &o->mem_avail_mib, &o->mem_total_mib, &o->mem_pct, &o->swap_free_mib,
		   &o->swap_total_mib, &o->swap_pct, &end) != 6 || s[end])
		return -1;
	return 0;
}

static int r_low(const char *s, struct eo_line *o)
{
	char sig[8];
	int end = 0;
	if (sscanf(s, "low memory! at or below %7[A-Z] limits: mem %lf%%, swap %lf%%%n", sig,
		   &o->mem_pct, &o->swap_pct, &end) != 3 || s[end])
		return -1;
	o->sig = sig_of(sig);
	return o->sig ? 0 : -1;
}

static int r_kill(const char *s, struct eo_line *o)
{
	char sig[8];
	int at = 0, end = 0;
	if (sscanf(s, "sending %7[A-Z] to process %d uid %d \"%n", sig, &o->pid, &o->uid, &at) != 3 ||
	    !at)
		return -1;
	o->sig = sig_of(sig);
	/* the name: up to the last "\": badness " */
	static const char tail[] = "\": badness ";
	const char *close = NULL;
	for (const char *p = s + at; (p = strstr(p, tail)); p++)
		close = p;
	if (!o->sig || !close || o->pid <= 0)
		return -1;
	size_t n = (size_t)(close - (s + at));
	if (n >= sizeof o->comm)
		n = sizeof o->comm - 1;
	memcpy(o->comm, s + at, n);
	o->comm[n] = 0;
	if (sscanf(close + sizeof tail - 1, "%d, VmRSS %lld MiB%n", &o->badness, &o->rss_mib, &end) != 2 ||
	    close[sizeof tail - 1 + end])
		return -1;
	return 0;
}

static int r_secs(const char *s, const char *fmt, struct eo_line *o)
{
	int end = 0;
	if (sscanf(s, fmt, &o->secs, &end) != 1 || s[end] || o->secs < 0)
		return -1;
	return 0;
}

static int r_escalated(const char *s, struct eo_line *o)
{
	o->sig = 9;
	return r_secs(s, "escalating to SIGKILL after %lf seconds%n", o);
}

static int r_exited(const char *s, struct eo_line *o)
{
	return r_secs(s, "process exited after %lf seconds%n", o);
}

static const struct eo_row {
	const char *starts; /* the line's first bytes */
	enum eo_kind kind;
	int (*read)(const char *s, struct eo_line *o);
} eo_rows[] = {
	/* main.c */
	{"earlyoom ", EO_VERSION, r_version},
	{"mem total: ", EO_TOTALS, r_totals},
	{"sending SIGTERM when ", EO_TERM_AT, r_term_at},
	{"        SIGKILL when ", EO_KILL_AT, r_kill_at},
	{"low memory! at or below ", EO_LOW, r_low},
	/* meminfo.c, print_mem_stats */
	{"mem avail: ", EO_MEM, r_mem},
	/* kill.c, kill_process and kill_wait */
	{"sending SIG", EO_KILL, r_kill},
	{"escalating to SIGKILL after ", EO_ESCALATED, r_escalated},
	{"process exited after ", EO_EXITED, r_exited},
};

enum eo_kind eo_parse_line(const char *buf, size_t len, struct eo_line *out)
{
	char s[EO_MAX_LINE];
	memset(out, 0, sizeof *out);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	if (len >= sizeof s || memchr(buf, 0, len))
		return EO_NONE;
	memcpy(s, buf, len);
	s[len] = 0;
	for (size_t i = 0; i < sizeof eo_rows / sizeof eo_rows[0]; i++) {
		const struct eo_row *r = &eo_rows[i];
		size_t k = strlen(r->starts);
		if (len < k || memcmp(s, r->starts, k))
			continue;
		/* sscanf's %lf takes "nan" and "inf": earlyoom prints
		 * neither (%.2f of a percentage, %.1f of seconds), and a
		 * report cannot hold them: damage */
		if (r->read(s, out) < 0 || !isfinite(out->mem_pct) || !isfinite(out->swap_pct) ||
		    !isfinite(out->secs))
			break;
		out->kind = r->kind;
		return r->kind;
	}
	memset(out, 0, sizeof *out);
	return EO_NONE;
}
