/* SPDX-License-Identifier: GPL-2.0-or-later */
/* earlyoom's log lines (earlyoom 1.7, Debian's 1.7-1: main.c, kill.c,
 * meminfo.c), as the earlyoom workload passes them on, one per line.
 * Pure: (buf, len) in, a struct out; buf need not be NUL-terminated. The
 * lines, in the order a kill prints them:
 *
 *   earlyoom v1.7
 *   mem total:  205 MiB, swap total:    0 MiB
 *   sending SIGTERM when mem <= 10.00% and swap <= 10.00%,
 *           SIGKILL when mem <=  5.00% and swap <=  5.00%
 *   mem avail:    17 of   205 MiB ( 8.60%), swap free:    0 of    0 MiB ( 0.00%)
 *   low memory! at or below SIGTERM limits: mem 10.00%, swap 10.00%
 *   sending SIGTERM to process 79 uid 0 "oomlab-wl": badness 1192, VmRSS 162 MiB
 *   escalating to SIGKILL after 0.5 seconds
 *   process exited after 1.2 seconds
 *
 * A process name may hold any byte but a NUL (it is the victim's comm): it
 * runs from the first '"' after the uid to the last "\": badness ". */
#ifndef OOMLAB_PARSE_EARLYOOM_H
#define OOMLAB_PARSE_EARLYOOM_H

#include <stddef.h>

enum eo_kind {
	EO_NONE,      /* not a line of these */
	EO_VERSION,   /* "earlyoom v1.7": version */
	EO_TOTALS,    /* "mem total: ...": mem_total_mib, swap_total_mib */
	EO_TERM_AT,   /* "sending SIGTERM when ...": mem_pct, swap_pct (the limits) */
	EO_KILL_AT,   /* "        SIGKILL when ...": mem_pct, swap_pct */
	EO_MEM,       /* "mem avail: ...": every memory field */
	EO_LOW,       /* "low memory! ...": sig, mem_pct, swap_pct (the limits crossed) */
	EO_KILL,      /* "sending SIG... to process": sig, pid, uid, comm, badness, rss_mib */
	EO_ESCALATED, /* "escalating to SIGKILL after S seconds": secs */
	EO_EXITED,    /* "process exited after S seconds": secs */
};

struct eo_line {
	enum eo_kind kind;
	int sig; /* 15 (SIGTERM) or 9 (SIGKILL) */
	int pid, uid, badness;
	long long rss_mib;
	char comm[64];
	double mem_pct, swap_pct;
	long long mem_avail_mib, mem_total_mib, swap_free_mib, swap_total_mib;
	double secs;
	char version[16];
};

/* The kind of the line (out filled for it; EO_NONE and a zeroed out for
 * anything else, a damaged line of a known kind too). */
enum eo_kind eo_parse_line(const char *buf, size_t len, struct eo_line *out);

#endif
