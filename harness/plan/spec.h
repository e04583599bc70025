/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A cell as the plan hands it down the data path: what matrix.c fills
 * from a matrix file and the knob table (knobs.c) lands its values in
 * (offsetof into these structs). Its own header, so that the knob table
 * and the matrix loader both see it without including each other. */
#ifndef OOMLAB_SPEC_H
#define OOMLAB_SPEC_H

#include <jansson.h>
#include <stddef.h>

#include "plan/psitrig.h"
#include "plan/wlreg.h"

struct workload;
struct cg_file;

/* One guest-side write: a knob of the table or a free-form sysctl. */
struct guest_set {
	char *name;  /* knob name, or "sysctl:vm.dirty_ratio" */
	char *path;  /* file in the guest */
	char *value; /* text written */
};

/* A file of a memory cgroup the cell sets (plan/cgroup.h). */
struct cg_set {
	const struct cg_file *file; /* its row of cg_file_table */
	char *value;                /* as the agent writes it: bytes, "max", "0" or "1" */
	long long num;              /* as the matrix gives it: MiB, 0/1, or CG_MAX ("max") */
};

/* A memory cgroup of the cell: created by the agent under /sys/fs/cgroup. */
struct cg_spec {
	char *path;           /* "app", "app/db" */
	struct cg_set *sets;  /* the files set, in cg_file_table's order */
	size_t n_sets;
	int has_children;     /* the agent enables +memory in its subtree_control */
};

struct wl_spec {
	char *name;
	const struct workload *reg; /* its row of the registry (workloads/wl.h) */
	char **args;              /* "--block-kb", "1024", ... */
	size_t n_args;
	struct wl_file *files;    /* host files its options name, for the initramfs */
	size_t n_files;
	long long start_delay_ms; /* start this long after the cell's workloads begin */
	json_t *options;          /* as given (object), for the report */
	long long rlimit_as_mb;   /* KNOB_UNSET when not limited */
	long long oom_score_adj;  /* KNOB_UNSET when left alone */
	char *expect;             /* expected endpoint (a word of lib/vocab.h), or NULL: use the oracle */
	char *cgroup;             /* the memory cgroup it runs in ("app/db"), NULL: the root group */
};

struct cell_spec {
	char *id;                 /* stable, filename-safe */
	char *name;               /* human label */
	json_t *requested;        /* merged knob object as requested */
	long long ram_mb, swap_mb, cpus;
	int swap_zram;            /* swap on zram instead of a virtio-blk disk */
	char *kernel, *modules, *cmdline; /* NULL = default / none */
	struct guest_set *sets;
	size_t n_sets;
	struct wl_spec *wl;
	size_t n_wl;
	struct cg_spec *cg;       /* memory cgroups, a parent before its children */
	size_t n_cg;
	int sequence;             /* workloads one after another (else together) */
	int timeout_s, sample_ms;
	int repeat_index;         /* 1..repeat */
	struct psi_trigger *psi;  /* PSI triggers on /proc/pressure/memory (plan/psitrig.h) */
	size_t n_psi;
	char **allow;             /* kernel findings it expects: kind words or exact titles,
				   * the matrix's then its own (docs/findings.md) */
	size_t n_allow;
};

#endif
