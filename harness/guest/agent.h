/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomlab-agent internals: PID 1 of the guest initramfs. Everything is
 * allocated statically (sizes below) so the agent never calls malloc once
 * the workloads run; mlockall() then keeps it resident under pressure.
 *
 *   agent.c   main: setup order, the poll loop, power off
 *   conf.c    /cell.conf reader (cellconf.h)
 *   emit.c    framed record writer for ttyS1 (stream.h)
 *   setup.c   mounts, hello, self-protection, modules, memory cgroups,
 *             knobs, swap
 *   sample.c  periodic /proc samples and /dev/kmsg forwarding
 *   zswap.c   zswap's debugfs counters, a section of each sample
 *   run.c     workload processes: spawn, stdout, reap, kill
 *   psi.c     PSI triggers on /proc/pressure/memory
 *   stall.c   stall detection: no progress under memory pressure
 */
#ifndef OOMLAB_AGENT_H
#define OOMLAB_AGENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "proto/macros.h"
#include "proto/stream.h"

#define AGENT_VERSION "0.1.0"

#define MAX_WORKLOADS 16
#define MAX_ARGS 64
#define MAX_MODULES 32
#define MAX_SETS 128
#define MAX_CGROUPS 8
#define CGROUP_NAME_MAX 160 /* a group's path, "app/db" */
#define MAX_PREFIXES 64
#define CONF_MAX (64 * 1024)
#define LINE_MAX_OUT 4096 /* longest workload output line before it is cut */

#define DEFAULT_SAMPLE_MS 100
#define DEFAULT_DEADLINE_S 300
#define LINGER_MS 300      /* kmsg grace after the last workload ends, unless cell.conf says */
#define KILL_REAP_MS 5000  /* reap grace after SIGKILL at the deadline */
#define SWAP_WAIT_MS 10000 /* device node must appear within this */
#define SWAP_POLL_MS 20


/* ---- conf.c ---- */

struct knob_set {
	const char *knob, *path, *value;
};

/* A workload line of cell.conf (the host's struct wl_spec, as the agent runs it). */
struct wl_conf {
	int id;
	const char *name;
	int has_rlimit;
	unsigned long long rlimit_as;
	int has_adj;
	int oom_score_adj;
	unsigned delay_ms; /* start this long after the run phase begins */
	const char *cgroup; /* its memory cgroup ("app/db"), NULL: the root group */
	int watcher;       /* stopped (SIGTERM) once the others are done */
	char *argv[MAX_ARGS + 1];
};

#define MAX_PSI_TRIGGERS 8

struct psi_trig {
	int full;
	unsigned long long stall_us, window_us;
	const char *cgroup; /* on its memory.pressure, NULL: /proc/pressure/memory */
	int fd; /* -1 until registered */
};

struct cell {
	unsigned sample_ms;
	unsigned deadline_s;
	unsigned linger_ms; /* 0: end once kmsg is drained */
	const char *prefixes[MAX_PREFIXES];
	int n_prefixes;
	const char *modules[MAX_MODULES];
	int n_modules;
	struct knob_set sets[MAX_SETS];
	int n_sets;
	const char *swap_dev; /* NULL: no swap */
	const char *cgroups[MAX_CGROUPS]; /* memory cgroups, a parent first */
	int n_cgroups;
	const char *cgstat_keys[MAX_PREFIXES]; /* memory.stat keys in group samples */
	int n_cgstat_keys;
	int sequence;         /* 0: together, 1: sequence */
	struct psi_trig psi[MAX_PSI_TRIGGERS];
	int n_psi;
	unsigned long long stall_ms; /* 0: no stall detection */
	long stall_psi_x100;         /* PSI full avg10 threshold, hundredths of a percent */
	struct wl_conf wl[MAX_WORKLOADS];
	int n_wl;
};

/* Read and parse path into *c (strings point into a static buffer, the
 * one conf_buffer returns: a later load replaces it). Every bad line is
 * reported in a log record. need_workload: no workload line is an error.
 * Returns the number of errors (0 = usable), or -1 if the file could not
 * be read. */
int conf_load(const char *path, struct cell *c, int need_workload);
/* The same for text already in conf_buffer() (len bytes; name for the
 * log). The buffer holds *cap bytes plus a NUL. */
int conf_parse(size_t len, struct cell *c, const char *name, int need_workload);
char *conf_buffer(size_t *cap);

/* ---- emit.c ---- */

struct emit_stats {
	unsigned long long records, bytes;
	unsigned long long write_errors; /* records not (fully) written */
};

uint64_t mono_us(void);
uint64_t mono_ms(void);
/* Open /dev/ttyS1 raw (fall back to /dev/console). 0 ok, -1 fallback used. */
int emit_open(void);
void emit(const char *kind, const void *payload, size_t len);
void emitf(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void alog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Wait (bounded) until the serial port has sent what was written (or the
 * host has taken the ring's bytes). */
void emit_drain(int timeout_ms);
/* Move the stream to the shared-memory ring when the VM has one and the
 * cell allows it (ring.c): ttyS1 is drained first, so the host has its
 * bytes before the ring's first. Says in a log record which. */
void emit_use_ring(void);
/* Find and map the ring's device, not yet using it: a guest about to be
 * snapshotted, so that each restore skips the search (tens to hundreds
 * of ms under TCG). */
void emit_map_ring(void);
/* Say (a log record, after the hello) which way the stream goes. */
void emit_log_channel(void);
const struct emit_stats *emit_stats(void);
/* Start counting records from seq 0 again (a warm cell's stream is a new
 * file on the host: it starts like a cold one). */
void emit_reset(void);
/* write(2) all of buf, retrying EINTR/EAGAIN; bounded by stall_ms without
 * progress. 0 or -1 with errno. Used for files too. */
int write_full(int fd, const void *buf, size_t len, int stall_ms);
/* read(2), again while a signal interrupts it (EINTR); else as read(2). */
ssize_t read_retry(int fd, void *buf, size_t len);

/* ---- ring.c ---- */

/* Map the ivshmem device's BAR 2 (proto/shmring.h), once, without
 * writing to it. 0, or -1 (absent, or it would not map; what happened in
 * note either way). */
int ring_map(char *note, size_t note_cap);
/* ring_map if not yet, then start writing at the host's index: from here
 * on the stream goes into the ring (ring_active). 0, or -1 as ring_map. */
int ring_open(char *note, size_t note_cap);
int ring_active(void);
/* Write the whole iovec array into the ring, waiting while it is full,
 * at most stall_ms without progress. 0, or -1 (ETIMEDOUT). */
int ring_write(const struct iovec *iov, int cnt, int stall_ms);
/* Wait (bounded) until the host has taken everything. */
void ring_drain(int timeout_ms);

/* ---- setup.c ---- */

void setup_mounts(void);
void setup_log_mounts(void); /* report mount results once the stream is up */
void setup_stdio(void);
void setup_hello(void);
void setup_protect(void);
void setup_modules(const struct cell *c);
void setup_knobs(const struct cell *c);
int setup_swap(const char *dev);
/* Mount cgroup2 and create the cell's groups (none: nothing). 0 or -1
 * (logged). */
int setup_cgroups(const struct cell *c);

/* ---- sample.c ---- */

struct wl_proc;

int kmsg_open(void); /* returns the fd or -1 */
int kmsg_fd(void);   /* -1 once closed */
/* Forward up to max records; returns how many were forwarded. */
int kmsg_drain(int max);
void sample_init(const struct cell *c);
void sample_take(const struct wl_proc *p, int n);
/* The run phase begins (0: right after the sample before the first
 * workload) or ends (1: the loop is done); the stats line then says how
 * long it lasted (run_us) and the agent's own CPU time in it
 * (run_cpu_us). */
void sample_run_mark(int end);
void sample_log_stats(unsigned long long timer_overruns);

/* ---- zswap.c ---- */

/* Once the knobs are set: when zswap is enabled, mount debugfs and open
 * its zswap counters. */
void zswap_init(void);
/* "<file> <value>" lines of the counters into out; 0 when there are none. */
size_t zswap_section(char *out, size_t cap);
/* ---- psi.c ---- */

/* Register the cell's PSI triggers (psi.rst: write "<some|full> <stall_us>
 * <window_us>" to an fd of /proc/pressure/memory opened for writing, then
 * poll it for POLLPRI). A failure is a trigger record with error=. */
void psi_register(struct cell *c);
/* Trigger i's fd fired (revents): one trigger record per POLLPRI; an fd
 * with POLLERR (the file went away) is closed. */
void psi_fired(struct cell *c, int i, short revents);

/* ---- stall.c ---- */

/* Stall detection (stream.h "stall"). The sample feeds it the PSI text
 * and each running workload's status text; run.c its progress lines and
 * its end. */
void stall_init(const struct cell *c);
void stall_psi(const char *text, size_t len);
void stall_status(const struct wl_proc *w, const char *text, size_t len);
void stall_progress(const struct wl_proc *w);
/* After a sample: move each running workload's stall clock; one at the
 * limit gets its stall record and SIGKILL (its process group). */
void stall_check(struct wl_proc *p, int n);
/* The workload ended (it is being reaped): its stall record (limit=0)
 * when a stall of at least STALL_REPORT_MS was running. */
void stall_ended(const struct wl_proc *w);

/* ---- warm.c ---- */

/* Warm start (cellconf.h): open the control port, write lines on it,
 * read the frames the host sends. */
int warm_ctl_open(void);
int warm_say(int fd, const char *line);
enum warm_frame { WF_CELL, WF_PROBE };
/* Read one frame into buf (up to cap bytes); bounded by timeout_ms.
 * Returns its length and sets *kind, or -1 (logged). */
long warm_receive(int fd, char *buf, size_t cap, int timeout_ms, enum warm_frame *kind);
/* Do what a probe frame (len bytes in buf) asks: warm up (quiesce, say
 * ready), answer alive, or crash the kernel. 0, or -1 (logged). */
int warm_probe(int fd, const char *buf, size_t len);
/* Tasks started since the agent said ready (-1: unknown). */
long warm_tasks_since_ready(void);

/* ---- quiet.c ---- */

struct quiet {
	unsigned quiet_ms;           /* the quiet window seen (>= CTL_QUIET_MS) */
	unsigned long long others_us; /* what other tasks ran in it */
	int schedstat;               /* /proc/schedstat was there to measure that */
	unsigned samples;
	char busy[160];              /* when it never got quiet: who was busy */
};

/* sync(), then wait (at most CTL_QUIET_MAX_MS) until no task but the
 * agent ran for CTL_QUIET_MS. 0, or -1 (q->busy names the busy tasks). */
int warm_quiesce(struct quiet *q);

/* ---- run.c ---- */

enum wl_state { WL_PENDING, WL_RUNNING, WL_DONE };

struct wl_proc {
	const struct wl_conf *spec;
	enum wl_state state;
	pid_t pid;
	int out_fd; /* read end of stdout+stderr pipe, -1 when closed */
	int stopped; /* a watcher sent SIGTERM */
	size_t line_len;
	char line[LINE_MAX_OUT];
};

/* Block SIGCHLD and return a signalfd for it (-1 on error). */
int run_init(const struct cell *c, struct wl_proc *p);
/* Fork+exec one workload; emits spawn. 0 or -1 (then state is WL_DONE). */
int run_spawn(struct wl_proc *w);
/* Forward what the workload wrote; closes out_fd at EOF. */
void run_read_out(struct wl_proc *w);
/* Drain the signalfd and reap every dead child; emits exit records.
 * Returns the number of workloads reaped. */
int run_reap(int sigfd, struct wl_proc *p, int n);
void run_kill_all(struct wl_proc *p, int n);
/* SIGTERM to every running watcher's process group (once each). */
void run_stop_watchers(struct wl_proc *p, int n);

#endif
