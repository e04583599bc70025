/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A serial port of the VM captured into a file of bounded size, so that a
 * guest that prints forever takes neither the host's disk nor its memory.
 * QEMU writes the port into a pipe (its file chardev opens /dev/fd/N, the
 * write end it inherits); vm_run reads the pipe while the VM runs and
 * keeps the first head_max bytes and the last tail_max bytes. The head
 * goes into the file as it comes; the tail goes round a ring in an
 * unnamed file beside it and is appended when the port closes, after one
 * line that says how many bytes were dropped between them (only when some
 * were: a port that printed at most head_max + tail_max bytes is kept
 * whole, byte for byte). Memory: one read buffer, whatever the guest
 * prints. Disk: at most head_max + 2 x tail_max while the port is closed
 * (the ring and its copy), head_max + tail_max + that line after. */
#ifndef OOMLAB_CAPTURE_H
#define OOMLAB_CAPTURE_H

#include <stddef.h>

#include "lib/util.h"

/* The caps of a cell's files. A cell's console (the kernel's log at the
 * serial line's speed) is ~30 KB plus ~5 KB per OOM report; its stream is
 * ~5 KB a sample, ~50 KB/s at the default sample_ms of 100, ~6 MB for a
 * 120 s cell: 16 + 16 MiB keeps every sample of a ~10 minute cell, and its
 * end (the exit records, the last samples, the bye) whatever it printed. */
#define CAPTURE_CONSOLE_HEAD (4LL << 20)
#define CAPTURE_CONSOLE_TAIL (4LL << 20)
#define CAPTURE_STREAM_HEAD (16LL << 20)
#define CAPTURE_STREAM_TAIL (16LL << 20)
/* qemu's own stdout and stderr (its warnings; the host quotes them when a
 * VM did not start) */
#define CAPTURE_QEMU_LOG_HEAD (64LL << 10)
#define CAPTURE_QEMU_LOG_TAIL (64LL << 10)

/* The line between head and tail when bytes were dropped: its one number
 * is the count (the file's own length says the rest). */
#define CAPTURE_DROPPED_FMT "\n@oomlab capture: %lld bytes dropped here, the first %lld and the last %lld are kept\n"

/* What one capture_pump reads at most before it returns (so that a guest
 * printing faster than we write cannot keep vm_run from its deadline). */
#define CAPTURE_PUMP_MAX (4 << 20)

struct capture {
	const char *path;
	int rfd;            /* the pipe's read end (non-blocking) */
	int wfd;            /* its write end, for qemu, until capture_started */
	int out;            /* the file at path */
	int ring;           /* the tail's ring (unnamed file), -1 until needed */
	long long head_max, tail_max;
	long long total;    /* bytes read from the pipe */
	long long dropped;  /* set by capture_close */
	int err;            /* the first error writing out or ring (errno), 0 */
};

typedef void capture_seen_fn(void *ctx, const char *data, size_t len);

/* Every fd -1: capture_close of it is a no-op. */
void capture_init(struct capture *c);
/* Create (truncate) the file at path and the pipe. 0, or -1 with err
 * (nothing left open). */
int capture_open(struct capture *c, const char *path, long long head_max, long long tail_max,
		 struct buf *err);
/* The path qemu opens to write the port: "/dev/fd/N" (malloc'd). */
char *capture_qemu_path(const struct capture *c);
/* qemu has its write end (or could not start): close ours, so that the
 * pipe ends when qemu does. */
void capture_started(struct capture *c);
/* Read what the pipe holds now (at most CAPTURE_PUMP_MAX), keep it, and
 * show each chunk to seen (if not NULL) first. Returns the bytes read. */
long long capture_pump(struct capture *c, capture_seen_fn *seen, void *ctx);
/* Keep bytes that came another way than the pipe (vm/shmring.h), as
 * if they had been read from it. */
void capture_feed(struct capture *c, const char *data, size_t len);
/* Pump until the pipe is empty (qemu is gone: all it wrote is there). */
void capture_drain(struct capture *c, capture_seen_fn *seen, void *ctx);
/* Drain, write the dropped line and the tail, close everything; c->dropped
 * is the count of bytes not kept. 0, or -1 with errno (the first write
 * error, e.g. ENOSPC: the file is then incomplete). */
int capture_close(struct capture *c);

#endif
