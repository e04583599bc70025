/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pure parsers for what the guest sends: /proc files, kernel log records,
 * and the agent stream. Every function takes (buf, len); buf need not be
 * NUL-terminated and is never written. Input is untrusted: no function reads
 * outside [buf, buf+len), and malformed lines are skipped, not fatal.
 * The same functions serve the driver, the criterion tests and the fuzzers. */
#ifndef OOMLAB_PARSE_H
#define OOMLAB_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "parse/findings.h"

/* ---- key/value files: /proc/meminfo, /proc/vmstat ---- */

#define KV_KEY_MAX 48

struct kv {
	char key[KV_KEY_MAX];
	long long val;
};

struct kvlist {
	struct kv *v;
	size_t n, cap;
};

/* "MemTotal:       255944 kB" -> {MemTotal, 255944}. Values are as printed
 * (kB for sizes, counts for HugePages_*). Keys longer than KV_KEY_MAX-1 or
 * lines without a number are skipped. Returns the number of entries. */
size_t parse_meminfo(const char *buf, size_t len, struct kvlist *out);
/* "nr_free_pages 12345" -> {nr_free_pages, 12345}. */
size_t parse_vmstat(const char *buf, size_t len, struct kvlist *out);
/* Lookup; returns def when absent. */
long long kv_get(const struct kvlist *l, const char *key, long long def);
int kv_has(const struct kvlist *l, const char *key);
void kvlist_free(struct kvlist *l);

/* ---- /proc/pressure/memory ---- */

struct psi_line {
	int present;
	double avg10, avg60, avg300;
	unsigned long long total_us;
};

struct psi {
	struct psi_line some, full;
};

/* Returns 0 when at least the "some" line parsed, else -1. */
int parse_psi(const char *buf, size_t len, struct psi *out);

/* ---- a memory cgroup's sample section (harness/parse/cgroup.c) ---- */

struct cg_sample {
	long long current, peak, swap_current; /* bytes; -1: absent */
	struct kvlist events;                  /* memory.events */
	struct kvlist stat;                    /* memory.stat (the keys the agent kept) */
	int has_psi;
	struct psi psi;                        /* memory.pressure */
};

/* The sections of "cgroup.<group>" into *out (zeroed, or used before:
 * its lists are reused). Returns 0 when memory.current parsed, else -1. */
int parse_cg_sample(const char *buf, size_t len, struct cg_sample *out);
void cg_sample_free(struct cg_sample *s);

/* ---- /proc/PID/status ---- */

struct proc_status {
	char name[64];
	int pid;           /* -1 when absent */
	char state;        /* 'R', 'S', ... or 0 */
	/* all in kB, -1 when absent (e.g. a zombie has no Vm* lines) */
	long long vm_peak_kb, vm_size_kb, vm_hwm_kb, vm_rss_kb;
	long long rss_anon_kb, rss_file_kb, rss_shmem_kb;
	long long vm_data_kb, vm_pte_kb, vm_swap_kb;
};

/* Returns 0 when Name or Pid parsed, else -1. */
int parse_status(const char *buf, size_t len, struct proc_status *out);

/* ---- kernel log ---- */

/* One /dev/kmsg record: "prio,seq,ts_us,flags;text\n" then optional
 * continuation lines starting with a space (" KEY=value"). text points into
 * buf (the first line, without the newline). Returns 0 or -1. */
struct kmsg_rec {
	int level;       /* prio & 7 */
	int facility;    /* prio >> 3 */
	unsigned long long seq;
	unsigned long long ts_us;
	const char *text;
	size_t text_len;
};
int parse_kmsg_record(const char *buf, size_t len, struct kmsg_rec *out);

#define COMM_MAX 64
#define MEMCG_PATH_MAX 160 /* a cgroup path in an OOM report, truncated */

/* One cache of an OOM report's "Unreclaimable slab info:" section. */
#define OOM_SLAB_TOP 5
#define SLAB_NAME_MAX 32
struct oom_slab {
	char name[SLAB_NAME_MAX];
	long long used_kb, total_kb;
};

/* One OOM kill, assembled from the lines of one kernel report:
 *   "<comm> invoked oom-killer: gfp_mask=0x..(...), order=N, oom_score_adj=N"
 *   "oom-kill:constraint=...,...,task=<comm>,pid=N,uid=N"
 *   "Out of memory: Killed process N (comm) total-vm:NkB, anon-rss:NkB,
 *    file-rss:NkB, shmem-rss:NkB, UID:N pgtables:NkB oom_score_adj:N"
 * and, for a memory cgroup, "memory: usage ..", "swap: usage ..",
 * "Memory cgroup stats for <path>:" and "Tasks in <path> are going to be
 * killed due to memory.oom.group set".
 * Fields not seen are -1 / "". */
struct oom_event {
	unsigned long long ts_us;  /* timestamp of the "invoked" line (or Killed) */
	char invoker_comm[COMM_MAX];
	char gfp_mask[24];          /* "0x140cca" */
	char gfp_flags[160];        /* "GFP_HIGHUSER_MOVABLE|__GFP_COMP" */
	int order;
	int invoker_oom_score_adj;
	char constraint[32];        /* "CONSTRAINT_NONE" */
	char oom_kind[16];          /* "global_oom" / "oom_memcg" */
	int victim_pid;
	char victim_comm[COMM_MAX];
	long long victim_uid;
	long long total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb, pgtables_kb;
	int victim_oom_score_adj;
	/* "Unreclaimable slab info:" (mm/slab_common.c dump_unreclaimable_slab,
	 * printed by a global OOM when unreclaimable slab exceeds the LRU
	 * pages): every "<name> <used>KB <total>KB" line counted and summed,
	 * the OOM_SLAB_TOP largest caches by total kept, largest first */
	int slab_dumped;            /* saw the section's first line */
	int n_slab_caches;          /* its cache lines */
	long long slab_total_kb;    /* their Total, summed */
	struct oom_slab slab[OOM_SLAB_TOP];
	int n_slab;                 /* entries of slab[] filled */
	int killed;                 /* saw the "Killed process" line */
	int reaped;                 /* saw "oom_reaper: reaped process N" */
	/* that line (mm/oom_kill.c oom_reap_task_mm): its time, and the
	 * victim's rss the reaper left ("now anon-rss:NkB, file-rss:NkB,
	 * shmem-rss:NkB"; -1 when not reaped or not in the line) */
	unsigned long long reaped_ts_us;
	long long reaped_anon_rss_kb, reaped_file_rss_kb, reaped_shmem_rss_kb;
	/* "oom_reaper: unable to reap pid:N (comm)" (mm/oom_kill.c
	 * oom_reap_task): the reaper gave up on the victim (it could not take
	 * its mmap lock in MAX_OOM_REAP_RETRIES tries, HZ/10 apart) and then
	 * set MMF_OOM_SKIP; its time (0 when it did not) */
	int reap_failed;
	unsigned long long reap_failed_ts_us;
	/* A memory cgroup's OOM (mm/memcontrol.c): the group whose limit was
	 * hit and the victim's group, as the kernel spells their paths ("/a",
	 * "/" the root; "" not in the report), and the group's counters the
	 * report prints before the kill (kB; -1 not in the report; a limit
	 * of "max" is printed as PAGE_COUNTER_MAX pages in kB). */
	char oom_memcg[MEMCG_PATH_MAX];   /* "oom_memcg=" of "oom-kill:" */
	char task_memcg[MEMCG_PATH_MAX];  /* "task_memcg=" of "oom-kill:" */
	long long memcg_usage_kb, memcg_limit_kb, memcg_failcnt; /* "memory: usage" */
	long long swap_usage_kb, swap_limit_kb, swap_failcnt;    /* "swap: usage" */
	/* memory.oom.group: "Tasks in <group> are going to be killed due to
	 * memory.oom.group set" follows the victim's kill; every other process
	 * of the group is then killed in the same episode, each its own event
	 * with group_member 1, oom_group and the episode's oom_memcg,
	 * constraint and oom_kind (the kernel prints the victim's kill again
	 * there: not a second event). */
	char oom_group[MEMCG_PATH_MAX];
	int group_member;
};

/* "page allocation failure" warning (high-order or atomic allocations). */
struct alloc_failure {
	unsigned long long ts_us;
	char comm[COMM_MAX];
	int order;
	char mode[24];
	char mode_flags[160];
};

struct kernlog {
	struct oom_event *oom;
	size_t n_oom, cap_oom;
	struct alloc_failure *af;
	size_t n_af, cap_af;
	int panic;                  /* saw "Kernel panic - not syncing" */
	char panic_msg[256];
	unsigned long long panic_ts_us;
	int n_oops;                 /* "Oops:", "BUG:" lines */
	int n_warn;                 /* "WARNING: CPU:" lines */
	struct findings findings;   /* the kernel's reports, titled (parse/findings.h) */
	/* internal assembly state */
	int open_oom;               /* index of the event being assembled, or -1 */
	int open_group;             /* the event whose memory.oom.group kill goes on, or -1 */
	int in_slab;                /* inside its "Unreclaimable slab info:" lines */
};

void kernlog_init(struct kernlog *kl);
/* Feed one log message (no timestamp prefix, no trailing newline). */
void kernlog_feed(struct kernlog *kl, unsigned long long ts_us, const char *line, size_t len);
/* Feed console text: lines optionally prefixed "[    1.234567] ". */
void kernlog_feed_console(struct kernlog *kl, const char *buf, size_t len);
void kernlog_free(struct kernlog *kl);

/* The next line of console text at *pos, as a message: without its
 * optional "<6>" priority, "[    1.234567]" stamp and "[  T123]" caller
 * prefixes. *ts is set from the stamp when the line has one, else left as
 * it was (the previous line's). Returns 1 and advances *pos, 0 at the end. */
int console_next(const char *buf, size_t len, size_t *pos, unsigned long long *ts, const char **msg,
		 size_t *msg_len);

/* The table kernlog_feed classifies messages with (kmsg.c): how many rows,
 * the fixed text of a row (NULL past the end), and the row a message
 * matches (-1: none), its first in table order. */
size_t kernlog_rows(void);
const char *kernlog_row_text(size_t row);
int kernlog_row_of(const char *line, size_t len);

/* ---- the agent stream (format in harness/proto/stream.h) ---- */

struct stream_rec {
	char kind[16];
	unsigned long long seq;
	unsigned long long t_us;
	const char *payload;   /* points into the buffer */
	size_t len;
	size_t offset;         /* offset of the record header in the buffer */
};

struct stream_stats {
	size_t records;        /* good records returned */
	size_t bad;            /* bad headers or CRC mismatches skipped */
	size_t skipped_bytes;  /* bytes not part of any good record */
	int truncated;         /* the last record was cut short */
};

/* Returns 1 and fills *rec with the next good record at or after *pos,
 * advancing *pos past it; 0 at the end. Damage is skipped (resync on
 * "\n" STREAM_MAGIC) and counted in *st (may be NULL). */
int stream_next(const char *buf, size_t len, size_t *pos, struct stream_rec *rec,
		struct stream_stats *st);

/* Serialise one record (the host's writer, used by tests and fuzzers; the
 * guest has its own copy of the same few lines). Returns bytes written to
 * out, or 0 if it does not fit / arguments are invalid. */
size_t stream_format(char *out, size_t outsz, const char *kind, unsigned long long seq,
		     unsigned long long t_us, const void *payload, size_t len);

/* Sections of a "sample" payload: "<name> <len>\n<bytes>\n". Returns 1 and
 * fills name/data for the next section at *pos, 0 at the end or on damage. */
int sample_next_section(const char *buf, size_t len, size_t *pos, const char **name,
			size_t *name_len, const char **data, size_t *data_len);

/* Find "key=value" in a payload of k=v lines (value up to end of line).
 * Copies at most outsz-1 bytes. Returns 0 found, -1 absent. */
int payload_get(const char *buf, size_t len, const char *key, char *out, size_t outsz);
/* Same, as an integer. Returns 0 / -1 (absent or not a number). */
int payload_get_ll(const char *buf, size_t len, const char *key, long long *out);

/* ---- /proc/buddyinfo ---- */

#define BUDDY_ORDERS_MAX 16 /* x86-64: orders 0..10; room for larger MAX_ORDER */
#define BUDDY_ZONES_MAX 16

struct buddy_zone {
	int node;
	char zone[16];          /* "DMA", "DMA32", "Normal", "Movable", ... */
	int n_orders;           /* numbers on the line */
	long long free[BUDDY_ORDERS_MAX]; /* free blocks of 2^order pages */
};

struct buddyinfo {
	struct buddy_zone z[BUDDY_ZONES_MAX];
	size_t n;
};

/* "Node 0, zone   DMA32   6   4 ..." lines -> zones in file order (at
 * most BUDDY_ZONES_MAX). Other lines are skipped. Returns out->n. */
size_t parse_buddyinfo(const char *buf, size_t len, struct buddyinfo *out);
/* Free pages of a zone: sum of free[o] << o (LLONG_MAX on overflow). */
long long buddy_free_pages(const struct buddy_zone *z);

#endif
