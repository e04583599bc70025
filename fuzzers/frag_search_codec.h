/* SPDX-License-Identifier: GPL-2.0-or-later */
/* frag-search (docs/fuzzing.md): libFuzzer searches allocation schedules
 * (the frag workload's format, workloads/schedule.h) for the worst heap
 * waste of glibc malloc. This part is pure: the binary encoding libFuzzer
 * mutates, and the writer/reader of the schedule files it keeps.
 *
 * Encoding: 4 bytes per operation, [slot, action, size_lo, size_hi]:
 *   slot    0..FS_SLOTS-1
 *   action  on an empty slot: malloc; on a live one: even = free,
 *           odd = realloc
 *   size    v = size_lo | size_hi << 8; (v & 0x3fff) + 1 granules of 8
 *           bytes (8 B..128 KiB), times 8 when v >> 14 == 3 (up to 1 MiB:
 *           mmapped by glibc)
 * Decoding stops at FS_MAX_OPS operations or when the requested bytes
 * (malloc and realloc sizes summed) would pass FS_BUDGET. */
#ifndef OOMLAB_FRAGSEARCH_H
#define OOMLAB_FRAGSEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "workloads/schedule.h"

#define FS_SLOTS 256u
#define FS_MAX_OPS 4096u
#define FS_BUDGET (64ull << 20)
/* Figures count only when the schedule keeps at least this much live:
 * below it glibc's first heap (132 KiB, never trimmed) is most of the
 * footprint, and "m 0 8; f 0" would waste 100%. */
#define FS_MIN_USED (1ll << 20)

/* What a native replay measured (a subset of struct frag_figures). */
struct fs_result {
	long long given, used, waste, peak_used;
	double waste_ratio, blowup;
	unsigned long long requests, requested_bytes; /* mallocs + reallocs, their bytes */
};

/* Decode; 0, or -1 when nothing decodes (out left empty). */
int fs_decode(const uint8_t *data, size_t size, struct sched *out);
/* Encode a schedule of at most FS_SLOTS slots back (sizes rounded up to
 * the encoding's granules); returns bytes written (4 per op) or 0. */
size_t fs_encode(const struct sched *s, uint8_t *out, size_t outsz);
/* Requests and requested bytes of a schedule. */
void fs_requests(const struct sched *s, unsigned long long *requests, unsigned long long *bytes);

/* Write s to path atomically (tmp + rename) with a header of comment
 * lines "# frag-search: key=value ..." holding r. 0 or -1 (errno). */
int fs_write(const char *path, const struct sched *s, const struct fs_result *r, const char *note);
/* Read a schedule file; r (may be NULL) gets the header figures (fields
 * absent stay -1). 0, or -1 with a message in err. */
int fs_read(const char *path, struct sched *s, struct fs_result *r, char *err, size_t errsz);

#endif
