/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The oracle: what the kernel should do with a workload, from the knobs as
 * read back in the guest and /proc/meminfo just before the first workload
 * started. Pure: inputs in, prediction out. The rules and their sources
 * are listed in docs/oracle.md. */
#ifndef OOMLAB_ORACLE_H
#define OOMLAB_ORACLE_H

#include <stddef.h>

struct workload;

#define ORACLE_MAX_ENDPOINTS 4

/* A userspace OOM killer (earlyoom) running in the cell: its SIGTERM
 * thresholds as earlyoom computes them (main.c: -m/-s in % of MemTotal /
 * SwapTotal, -M/-S in KiB, the lower of both when both are given, 10 %
 * when neither), and how fast the guest's MemAvailable + SwapFree fell at
 * most between two samples once inside them (the later sample at or below
 * the sum of the thresholds: above them the memory is free and falls
 * faster than where reclaim slows it). */
struct uoom_in {
	int present;
	long long mem_total_kb, swap_total_kb;
	long long mem_percent, swap_percent; /* 0: not given */
	long long mem_kb, swap_kb;           /* 0: not given */
	double fill_kb_per_ms;               /* < 0: unknown (fewer than 2 samples) */
	int fill_is_bound;                   /* no two samples inside the margin:
						fill_kb_per_ms is the fastest fall
						sampled anywhere, an upper bound */
};

enum uoom_first { UF_NONE, UF_USER, UF_EITHER, UF_KERNEL };

/* Who acts first, earlyoom or the kernel's OOM killer, on a guest whose
 * memory a workload fills (docs/oracle.md, "Userspace OOM killers"): the
 * SIGTERM thresholds in kB (*t_mem, *t_swap), and why. UF_NONE when none
 * runs. Pure. */
/* earlyoom's SIGTERM thresholds in kB (SwapFree: 0 without swap). */
void oracle_uoom_thresholds(const struct uoom_in *u, long long *t_mem, long long *t_swap);
enum uoom_first oracle_uoom_first(const struct uoom_in *u, long long *t_mem, long long *t_swap,
				  char *why, size_t whysz);
/* "earlyoom", "either", "kernel" (NULL for UF_NONE) */
const char *oracle_uoom_first_name(enum uoom_first f);

struct oracle_in {
	/* knobs in force (read back) */
	int overcommit_memory;      /* 0, 1, 2 */
	int panic_on_oom;
	/* /proc/meminfo at start, kB */
	long long mem_total_kb, mem_available_kb, swap_total_kb;
	long long commit_limit_kb, committed_as_kb;
	int cpus;
	/* the cell */
	size_t n_workloads;
	int sequence;               /* one after another */
	int all_immune;             /* every workload at oom_score_adj -1000 */
	/* the workload */
	const struct workload *wl;  /* its registry row: name and memory model */
	long long block_kb;         /* size of each allocation */
	long long max_mb;           /* 0: none */
	long long rlimit_as_mb;     /* 0: none */
	long long start_vmsize_kb;  /* the workload's VmSize at start, -1: unknown */
	long long size_mb;          /* WL_MEM_FILL: what it fills */
	long long frag_count, frag_size_kb; /* WL_MEM_SCHEDULE: rounds and request size */
	const char *frag_pattern;   /* WL_MEM_SCHEDULE: hole, lifo, random, sawtooth, file */
	long long held_kb;          /* kept by earlier workloads of the cell (keep_opt) */
	int immune;                 /* this workload at oom_score_adj -1000 */
	int some_immune;            /* a workload of the cell at oom_score_adj -1000 */
	long long frag_mmap_threshold_kb, frag_trim_threshold_kb; /* WL_MEM_SCHEDULE: mallopt, 0: glibc's */
};

/* The workload's memory cgroup (docs/oracle.md, "Memory cgroups"): its
 * files as the guest read them back (knobs cgroup.<group>.<file>), in kB.
 * Apart from struct oracle_in so the rows of real runs stay as they are. */
struct oracle_cg {
	const char *group;          /* wl_spec.cgroup ("app/db"); NULL: the root, no rule */
	long long max_kb;           /* memory.max, the lowest of the group's and its ancestors'; -1: max */
	long long swap_max_kb;      /* memory.swap.max, likewise; -1: max */
	long long high_kb;          /* memory.high, likewise; -1: max */
	long long protect_kb;       /* memory.min or memory.low of the group, the larger; 0: none */
	int oom_group;              /* memory.oom.group of the group */
	size_t n_workloads;         /* workloads of the cell in the group (this one included) */
};

struct prediction {
	int known;                  /* 0: no rule for this workload */
	const char *endpoints[ORACLE_MAX_ENDPOINTS]; /* accepted; [0] is the likeliest */
	size_t n_endpoints;
	double mb_min, mb_max;      /* accepted MB reached; mb_min < 0: not checked */
	/* running together: the MB a workload that ends by itself (endpoints[i]
	 * by its own limit: max_mb, its goal, its RLIMIT_AS) must still reach,
	 * -1: none (mb_min alone) */
	double own_min[ORACLE_MAX_ENDPOINTS];
	double waste_min, waste_max; /* accepted waste_ratio metric; waste_min < 0: not checked */
	char rule[400];             /* which rules applied, with their figures */
	int throttled;              /* memory.high: its group's "high" events must rise */
};

void oracle_predict(const struct oracle_in *in, struct prediction *out);
/* The same for a workload in a memory cgroup (cg NULL or cg->group NULL:
 * oracle_predict). */
void oracle_predict_cg(const struct oracle_in *in, const struct oracle_cg *cg, struct prediction *out);
/* The same with a userspace OOM killer beside the workload (u NULL or
 * u->present 0: none; rule 9). */
void oracle_predict_uoom(const struct oracle_in *in, const struct uoom_in *u,
			 struct prediction *out);
/* Both: a workload in a memory cgroup with a userspace OOM killer beside
 * it (either NULL: none). */
void oracle_predict_all(const struct oracle_in *in, const struct oracle_cg *cg, const struct uoom_in *u,
			struct prediction *out);

/* 1 if endpoint (and mb, when >= 0 and checked) agree with the prediction;
 * else 0 with why filled. */
int oracle_agrees(const struct prediction *p, const char *endpoint, double mb, char *why,
		  size_t whysz);

/* 1 if the waste_ratio the workload reported agrees (or none is
 * predicted); else 0 with why filled. */
int oracle_agrees_waste(const struct prediction *p, double waste_ratio, char *why, size_t whysz);

#endif
