/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Allocation schedules for the frag workload: a small text format, its
 * pure parser and formatter, and generators for the article's patterns.
 *
 * Format (one operation per line; fields separated by spaces or tabs):
 *
 *   m <slot> <bytes>     malloc(bytes) into slot (the slot must be empty)
 *   f <slot>             free the slot's block (the slot must hold one)
 *   r <slot> <bytes>     realloc the slot's block to bytes (must hold one)
 *   # text               comment; also after an operation: "m 1 64 # a"
 *
 * Empty lines and lines of blanks are allowed; a line may end in "\r\n".
 * <slot> is 0..SCHED_MAX_SLOT, <bytes> 1..SCHED_MAX_SIZE, both plain
 * decimal digits (no sign). A line has at most SCHED_MAX_LINE bytes, a
 * file at most SCHED_MAX_LINES lines. Slots start empty; a schedule may
 * end with blocks still held (they are what the workload measures). Every
 * error names the line: "line 7: f: slot 3 is empty".
 *
 * parse(format(x)) == x for every valid schedule (comments are not kept).
 * This file and schedule.c are libc-only and hold no globals: they are
 * linked into the static guest binary, the host and the unit tests. */
#ifndef OOMLAB_SCHEDULE_H
#define OOMLAB_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#define SCHED_MAX_SLOT 999999u
#define SCHED_MAX_SIZE (1u << 30) /* 1 GiB */
#define SCHED_MAX_LINE 256	  /* bytes, without the newline */
#define SCHED_MAX_LINES 1000000u

enum sched_kind { SCHED_MALLOC = 'm', SCHED_FREE = 'f', SCHED_REALLOC = 'r' };

struct sched_op {
	uint8_t kind;  /* enum sched_kind */
	uint32_t slot; /* 0..SCHED_MAX_SLOT */
	uint32_t size; /* m, r: 1..SCHED_MAX_SIZE; f: 0 */
};

struct sched {
	struct sched_op *ops;
	size_t n;
	uint32_t n_slots; /* highest slot used + 1 (0 when empty) */
};

/* The generated patterns, in the order of frag's --pattern choices. */
enum sched_pattern { SCHED_HOLE, SCHED_LIFO, SCHED_RANDOM, SCHED_SAWTOOTH, SCHED_N_PATTERNS };

extern const char *const sched_pattern_names[]; /* NULL-terminated; read-only */

/* Parse the text. 0 and *out filled (free with sched_free), or -1 and a
 * message "line N: ..." in err (out left empty). */
int sched_parse(const char *buf, size_t len, struct sched *out, char *err, size_t errsz);

/* Check the rules the parser enforces (ranges, slot states, length).
 * 0 or -1 with "op N: ..." (N from 1) in err. */
int sched_check(const struct sched *s, char *err, size_t errsz);

/* Generate a pattern. request_size in bytes, count rounds (see
 * schedule.c for what one round is), seed used by SCHED_RANDOM only (the
 * same seed gives the same schedule). 0, or -1 with errno EINVAL (bad
 * arguments), E2BIG (more than SCHED_MAX_LINES operations, a slot above
 * SCHED_MAX_SLOT or a size above SCHED_MAX_SIZE) or ENOMEM. */
int sched_generate(enum sched_pattern pattern, uint64_t request_size, uint64_t count, uint64_t seed,
		   struct sched *out);

/* Write the text form into buf (at most bufsz bytes, NUL-terminated when
 * bufsz > 0), snprintf-style: returns the length of the whole text. */
size_t sched_format(const struct sched *s, char *buf, size_t bufsz);

/* Same operations (kind, slot, size) in the same order. */
int sched_equal(const struct sched *a, const struct sched *b);

/* Release; accepts an empty or already freed schedule. */
void sched_free(struct sched *s);

/* ---- replay (workloads/frag.c) ---- */

/* The allocator a replay uses: the workload passes malloc/realloc/free;
 * the ASan-built unit tests pass glibc's own (__libc_malloc, ...), which
 * the sanitizer does not intercept, so mallinfo2() sees their heap. */
struct frag_allocator {
	void *(*malloc_fn)(size_t);
	void *(*realloc_fn)(void *, size_t);
	void (*free_fn)(void *);
};

#define FRAG_INFO_CAP (256u * 1024u) /* malloc_info() output buffer */

struct frag_run {
	/* slot table and malloc_info() buffer, mmap()ed so they never sit in
	 * the heap they measure */
	void **ptr;
	uint32_t *size;
	char *info;
	size_t n_slots, table_bytes;
	/* counters */
	unsigned long long ops, mallocs, frees, reallocs;
	unsigned long long used_bytes, used_blocks, peak_used_bytes;
	int failed;	  /* malloc/realloc returned NULL */
	int err;	  /* its errno */
	size_t failed_op; /* index of that operation */
};

/* What the allocator holds after a replay (bytes; -1 when unknown). */
struct frag_figures {
	long long given;	 /* arena + hblkhd - own: what the system gave the blocks */
	long long used;		 /* sum of the live requests */
	long long waste;	 /* given - used */
	double waste_ratio;	 /* waste / given (0..1) */
	double blowup;		 /* given / used (>= 1) */
	long long alloc;	 /* uordblks + hblkhd - own: chunks in use, headers included */
	long long arena, hblkhd, hblks, uordblks, fordblks, keepcost;
	long long own;		 /* in use before the replay (the schedule itself) */
	long long largest_free;	 /* largest free chunk in the bins (not top), from malloc_info */
	long long free_chunks;	 /* free chunks in the bins */
	long long vmdata, vmrss; /* /proc/self/status */
};

/* Replay s with al; touch != 0 memsets every block it allocates;
 * progress != 0 prints "oomlab-progress mb=N" each WL_PROGRESS_MB of live
 * bytes. Stops at the first NULL (r->failed). 0, or -1 when the slot
 * table cannot be mapped. The blocks stay allocated (frag_release). */
int frag_replay(const struct sched *s, const struct frag_allocator *al, int touch, int progress,
		struct frag_run *r);
/* Free every live block and the slot table; safe to call twice. */
void frag_release(struct frag_run *r, const struct frag_allocator *al);

/* mallinfo2() figures less own (the caller's mallinfo2 in-use bytes,
 * uordblks + hblkhd, before the replay), the live request bytes of r,
 * malloc_info()'s largest free chunk and /proc/self/status. */
void frag_measure(const struct frag_run *r, long long own, struct frag_figures *f);
/* In-use bytes now (uordblks + hblkhd), for frag_measure's own. */
long long frag_in_use(void);

/* Pure helpers (tested on their own): the largest free chunk size and the
 * number of free chunks in malloc_info() XML (flag bits stripped); -1 if
 * there is no <sizes> element. And a "Key:  N kB" field of
 * /proc/self/status in bytes, -1 if missing. */
long long frag_xml_largest_free(const char *xml, size_t len, long long *n_chunks);
long long frag_status_bytes(const char *status, size_t len, const char *key);

#endif
