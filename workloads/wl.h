/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomlab-wl: one static multi-call binary, one workload per file.
 *
 *   oomlab-wl --help
 *   oomlab-wl <workload> [--<option> <value>]...   (also --<option>=<value>)
 *   oomlab-wl <workload> --help
 *
 * Every workload writes its protocol lines on stdout with write(2), one
 * line per call, no stdio buffering that an OOM kill could lose:
 *   oomlab-start workload=<name> pid=<pid> ... vmsize_kb=<VmSize at start>
 *                rlimit_as_kb=<RLIMIT_AS, -1 unlimited> oom_score_adj=<in force>
 *   oomlab-progress mb=<n>                    (every WL_PROGRESS_MB)
 *   oomlab-metric <key>=<value> [...]        (any number; into the report's metrics)
 *   oomlab-buddyinfo <tag> <a /proc/buddyinfo line>   (the host parses it into
 *                                             metrics buddyinfo.<tag>.<zone>.o<order>)
 *   oomlab-result workload=<name> reason=<why> ...   (only if it ends itself;
 *                                             keys other than mb/bytes/blocks/errno
 *                                             go into metrics too)
 * Exit status: 0 when the workload ran to its end, 2 for usage errors. */
#ifndef OOMLAB_WL_H
#define OOMLAB_WL_H

#include <stddef.h>

#include "proto/macros.h"

#define WL_PROGRESS_MB 64
#define WL_EXIT_USAGE 2

enum wl_opt_type {
	OPT_INT,     /* plain integer */
	OPT_SIZE_KB, /* integer, KiB */
	OPT_SIZE_MB, /* integer, MiB */
	OPT_BYTE,    /* 0..255, decimal or 0x hex */
	OPT_ENUM,    /* one of choices[]; value = index, str = the word */
	OPT_STR,     /* a word (no spaces needed; tabs/newlines refused by the host) */
	OPT_FILE,    /* a file: the host copies it into the initramfs and passes
			the guest path; str = that path, "" when not given */
	OPT_ARGV,    /* the arguments after "--", passed through as they are
			(matrix: a list of strings); at most one per workload */
	OPT_PROG,    /* a program: an OPT_FILE the host carries with its
			dynamic loader and the libraries it lists (exec mode) */
	OPT_ENV,     /* environment variables (matrix: an object of
			NAME -> one-line string); one "--<name> NAME=VALUE" per
			variable, collected in wl_args.env */
	OPT_FILES,   /* files and dirs carried into the guest (matrix: a list
			of paths); str = the guest dir the relative ones are in */
	OPT_TYPE_COUNT /* not a type: how many there are (tables by type) */
};

struct wl_opt {
	const char *name; /* without the leading "--" */
	enum wl_opt_type type;
	long long min, max, def; /* numeric types; OPT_ENUM: def is an index */
	const char *help;
	const char *const *choices; /* OPT_ENUM: NULL-terminated */
	const char *sdef;           /* OPT_STR: default ("" if NULL) */
	int required;               /* the matrix must give it (no usable default) */
};

#define WL_MAX_OPTS 32

/* Parsed options, by position in the workload's table. */
struct wl_args {
	long long v[WL_MAX_OPTS];   /* numeric value, or OPT_ENUM index */
	const char *s[WL_MAX_OPTS]; /* OPT_ENUM word, OPT_STR / OPT_FILE text */
	char **rest;                /* OPT_ARGV: what followed "--" */
	int n_rest;
	char **env;                 /* OPT_ENV: "NAME=VALUE", in order given */
	int n_env;
};

#define WL_MAX_ENV 256

/* How a workload uses memory: the oracle's model of it (judge/oracle.c). */
enum wl_mem {
	WL_MEM_NONE,     /* no model: its end is not predicted */
	WL_MEM_MALLOC,   /* mallocs blocks (block-kb) until something stops it
			    (max-mb, a limit, the OOM killer) */
	WL_MEM_FILL,     /* fills the MiB its option size_opt names, and exits */
	WL_MEM_SCHEDULE, /* replays a malloc/free schedule (count rounds of
			    size-kb requests in a pattern), and exits */
	WL_MEM_BOUNDED,  /* does a bounded job and exits; mem_note says why its
			    memory needs no limit */
	WL_MEM_KERNEL,   /* pins kernel memory (pipes, slab, kernel stacks, page
			    tables) until max-mb or the kernel stops it: not
			    reclaimable, not swappable, charged to its memory
			    cgroup; its progress lines count that memory */
};

struct workload {
	const char *name;
	const char *help;
	const struct wl_opt *opts;
	size_t n_opts;
	/* a->v[i] / a->s[i] is the value of opts[i] (range-checked). Returns
	 * the exit status. */
	int (*run)(const struct wl_args *a);
	int bits32; /* runs from the 32-bit build (oomlab-wl32) */
	/* Its memory, for the oracle and the outcome (judge/). */
	enum wl_mem mem;
	int writes;           /* writes every page it gets */
	const char *mem_note; /* WL_MEM_BOUNDED: "its memory is <mem_note>" */
	const char *size_opt; /* WL_MEM_FILL: its OPT_SIZE_MB option, the MiB it fills */
	/* It still holds its size_opt MiB after it exits while this option is
	 * non-zero: a later workload of a sequence has that much less. NULL:
	 * its memory is freed when it exits. */
	const char *keep_opt;
	/* A data disk: when disk_size_opt names an OPT_SIZE_MB option, the
	 * host attaches a sparse virtio-blk disk of that many MiB for this
	 * workload (after the swap disk, in workload order) and appends
	 * "--<disk_dev_opt> /dev/vdX" to its arguments. */
	const char *disk_size_opt;
	const char *disk_dev_opt;
	/* A dynamic host program the workload execs in the guest (e.g.
	 * "/usr/bin/stress-ng"): the host copies it, the shared libraries its
	 * loader lists and the loader into the initramfs, at the same paths. */
	const char *guest_exec;
	/* The Debian package guest_exec comes from, when the host must not
	 * have it installed (earlyoom's package starts a daemon that kills the
	 * host's processes): the host downloads the .deb into its cache and
	 * takes guest_exec from there (boot/hostprogs.h). NULL: the host's own
	 * guest_exec. */
	const char *guest_pkg;
	/* A watcher runs beside the other workloads of a together cell until
	 * they are all done; the agent then stops it with SIGTERM (cell.conf
	 * "watch"). */
	int watcher;
	/* comm prefix of the processes the workload starts ("stress-ng"): OOM
	 * kills of such processes while it runs count as its children's
	 * (oom_kills_of_children in the cell report). NULL: it starts none. */
	const char *child_comm;
	/* The option (OPT_INT) that names the exit code of a run that went
	 * as it should: any other code is the endpoint "failed" (the program
	 * reported a failure). NULL: every exit is "exit". */
	const char *ok_exit_opt;
	/* A program of the user's: its output (stdout and stderr, one pipe)
	 * is kept in the cell report, bounded (head and tail), and the MB it
	 * says it reached (result bytes, else its last progress line) come
	 * before any figure the host derives from its address space. */
	int user_program;
};

/* write(2) a formatted line (the caller includes "\n"), retrying EINTR and
 * short writes. */
void wl_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* VmSize of the calling process in KiB (from /proc/self/statm), or -1. */
long long wl_vmsize_kb(void);
/* RLIMIT_AS in KiB (-1: unlimited) and oom_score_adj in force, reported
 * in the start line so the host can show what was really applied. */
long long wl_rlimit_as_kb(void);
long long wl_oom_score_adj(void);

/* The malloc loop shared by alloc and touch: malloc(block) until NULL or
 * until max_mb MiB (0: no limit); fill >= 0 memsets each block with that
 * byte, fill < 0 never touches it; hold_ms > 0 keeps the memory that long
 * before reporting and exiting. Prints start, progress, result. */
int wl_malloc_loop(const char *name, long long block_kb, long long max_mb, int fill,
		   long long hold_ms);

/* The workloads: workloads/<id>.c defines the row wl_<id>. This is the
 * one list of them, in the order of `oomlab workloads`, `oomlab-wl --help`
 * and of the messages that name the allowed workloads. */
#define WL_LIST(X)    \
	X(alloc)      \
	X(touch)      \
	X(frag)       \
	X(m32)        \
	X(pagefrag)   \
	X(shm)        \
	X(tmpfs)      \
	X(filecache)  \
	X(kmem)       \
	X(stressng)   \
	X(earlyoom)   \
	X(hungtask)   \
	X(hostile)    \
	X(exec)

#define WL_EXTERN(id) extern const struct workload wl_##id;
WL_LIST(WL_EXTERN)
#undef WL_EXTERN

/* registry.c: WL_LIST as an array */
extern const struct workload *const wl_registry[];
extern const size_t wl_registry_n;
const struct workload *wl_find(const char *name);

#endif
