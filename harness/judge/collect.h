/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Turn the raw agent stream (and console log) of one cell into
 * observations: what each workload did, the OOM events, the time series.
 * Pure over its inputs: (stream bytes, console bytes) -> struct cell_obs. */
#ifndef OOMLAB_COLLECT_H
#define OOMLAB_COLLECT_H

#include <jansson.h>
#include <stddef.h>

#include "judge/outkeep.h"
#include "parse/earlyoom.h"
#include "parse/parse.h"

/* A PSI trigger of the cell fired (or failed to register: error > 0). */
struct trig_event {
	int id;                  /* the cell's trigger index */
	unsigned long long t_us; /* when the agent saw it */
	int error;               /* errno of a failed registration, 0 */
};

/* A process a userspace OOM killer (a workload running earlyoom) sent a
 * signal to, from the killer's own lines (parse/earlyoom.h). */
struct uoom_event {
	int killer;              /* the workload that ran the killer */
	unsigned long long t_us; /* guest time of its "sending ..." line */
	struct eo_line kill;     /* sig, pid, uid, comm, badness, rss_mib */
	struct eo_line mem;      /* its last "mem avail" line before it (kind EO_NONE: none) */
	double term_mem_pct, term_swap_pct; /* its SIGTERM limits as it printed them, -1: not seen */
	int escalated;           /* it escalated to SIGKILL after */
	double exited_after_s;   /* "process exited after", -1: not seen */
};

struct wl_obs {
	int spawned, pid;
	unsigned long long t_spawn_us, t_exit_us;
	int exited, signaled, code, sig;
	long long maxrss_kb;
	long long utime_us, stime_us; /* its CPU time (rusage), -1 when not said */
	/* from the workload's own lines */
	int has_start, has_result;
	char reason[24];
	long long start_vmsize_kb; /* VmSize the workload reported at start, -1 */
	long long applied_rlimit_as_kb, applied_oom_score_adj; /* as it saw them; -2: not said */
	long long result_bytes, result_blocks, result_errno, progress_mb;
	/* /proc/PID/status: first and last sample seen */
	int n_status;
	struct proc_status first, last;
	json_t *series; /* {t_ms:[], VmSize_kb:[], ...} */
	json_t *metrics; /* k=v of oomlab-metric lines and extra keys of the result line */
	struct out_keep out; /* what it printed, head and tail (judge/outkeep.h) */
	char line[4096]; /* partial stdout line being assembled */
	size_t line_len;
	char name[32];   /* as the spawn record names it */
	/* the agent's stall record (stream.h "stall"), has_stall 0: none */
	int has_stall, stall_limit;
	unsigned long long stall_start_us, stall_end_us;
	/* a userspace OOM killer: its last memory line and its limits */
	int is_killer;
	struct eo_line eo_mem;
	double eo_term_mem_pct, eo_term_swap_pct;
};

struct cell_obs {
	int have_hello, have_bye;
	char bye_reason[24];
	json_t *hello;    /* k=v of the hello record */
	json_t *knobs;    /* array of {name, path, want, got, status, err} */
	json_t *swap;     /* object or NULL */
	json_t *agent_log;/* array of strings */
	json_t *series;   /* {t_ms:[], meminfo:{..}, vmstat:{..}, psi:{..}} */
	json_t *cgroups;  /* memory cgroups by path: judge/cgroups.h */
	json_t *meminfo_start, *meminfo_end, *vmstat_start, *vmstat_end; /* objects */
	json_t *zswap_start, *zswap_end; /* zswap's debugfs counters, NULL without */
	struct kernlog klog;     /* from kmsg records */
	struct kernlog console;  /* from the console log (panics, when the stream died) */
	size_t n_kmsg, n_samples;
	unsigned long long t_first_us, t_last_us, t_first_spawn_us, t_last_exit_us;
	struct stream_stats stats;
	unsigned long long expect_seq;
	size_t seq_gaps;
	struct wl_obs *wl;
	size_t n_wl;
	struct uoom_event *uoom; /* in the order the killers said them */
	size_t n_uoom;
	struct trig_event *trig; /* PSI trigger records, in stream order */
	size_t n_trig;
};

/* The workload names that run a userspace OOM killer whose lines
 * collect_cell reads ("earlyoom"); 1 if name is one. */
int collect_is_user_killer(const char *name);

/* Parse everything. n_wl = number of workloads the cell asked for; stream
 * records naming other ids are counted as damage. Never fails: missing
 * data shows as missing fields. */
void collect_cell(const char *stream, size_t stream_len, const char *console, size_t console_len,
		  size_t n_wl, struct cell_obs *o);
void cell_obs_free(struct cell_obs *o);

#endif
