/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The stress-ng workload's pure parts (the host links them too, for the
 * unit tests): folding stress-ng's --yaml report into metrics, and
 * counting what its log says about OOM kills. Both take (buf, len); buf
 * need not be NUL-terminated and is never written. */
#ifndef OOMLAB_WL_STRESSNG_H
#define OOMLAB_WL_STRESSNG_H

#include <stddef.h>

/* Where the guest finds stress-ng: the host copies its own
 * /usr/bin/stress-ng there, with its shared libraries and loader. */
#define SNG_PATH "/usr/bin/stress-ng"

#define SNG_KEY_MAX 97 /* collect.c takes metric keys of up to 96 characters */
#define SNG_VAL_MAX 40

struct sng_metric {
	char key[SNG_KEY_MAX]; /* "sng.vm.bogo_ops" */
	char val[SNG_VAL_MAX]; /* the number as stress-ng printed it */
};

/* The "metrics:" section of stress-ng's YAML:
 *   metrics:
 *       - stressor: vm
 *         bogo-ops: 307828
 *         bogo-ops-per-second-real-time: 153849.075554
 * -> {"sng.vm.bogo_ops", "307828"}, ... in file order: one per numeric
 * "key: value" of each stressor, names with every character other than
 * [a-z0-9] turned into '_'. Other sections, non-numeric values, keys that
 * would not fit and entries past max are left out. Returns the number of
 * entries written to out. */
size_t sng_yaml_fold(const char *buf, size_t len, struct sng_metric *out, size_t max);

/* What stress-ng's log (stderr, with -v) says. Its OOM handling
 * (core-out-of-memory.c, stress_oomable_child): a stressor instance runs
 * its work in a child with oom_score_adj 1000; when that child dies of
 * SIGKILL it logs
 *   "<stressor>: assuming killed by OOM killer, restarting again (instance N)"
 * (or "..., bailing out" with --oomable) and, when the instance ends
 * normally, "<stressor>: OOM restarts: N, SIGSEGV restarts: N, SIGBUS
 * restarts: N" (only when one is non-zero; an instance whose time ran out
 * while it was restarting never prints it). */
struct sng_log {
	long long oom_restarts;     /* "assuming killed by OOM killer, restarting again" lines */
	long long oom_bailouts;     /* "assuming killed by OOM killer, bailing out" lines */
	long long oom_restarts_sum; /* sum of the "OOM restarts: N" summaries */
	long long segv_restarts_sum, bus_restarts_sum;
	long long summaries;        /* number of such summary lines */
	long long errors;           /* "stress-ng: error:" and "stress-ng: fail:" lines */
	int completed;              /* 1 "successful run completed", -1 "unsuccessful ...", 0 unseen */
};

/* Account one line (without its newline). */
void sng_log_line(struct sng_log *l, const char *line, size_t len);
/* 1 when the line should reach oomlab's stream (stress-ng's info, warn,
 * error and fail lines), 0 for its debug and metrics chatter. */
int sng_log_forward(const char *line, size_t len);

#endif
