/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A serial port of the VM captured into a file of bounded size, so that a
 * guest that prints forever takes neither the host's disk nor its memory.
 * QEMU writes the port into a pipe (its chardev's path is /dev/fd/N);
 * vm_run reads the pipe while the VM runs and keeps the first head_max
 * bytes and the last tail_max bytes. The head goes into the file as it
 * comes; the tail goes round a ring in an unnamed file beside it and is
 * appended when the port closes, after one line that says how many bytes
 * were dropped between them (only when some were). Memory: one read
 * buffer, whatever the guest prints. Disk: at most head_max + 2 x tail_max
 * while the port is closed (the ring is freed as it is copied where the
 * file system can punch holes), head_max + tail_max + that line after. */
#ifndef OOMLAB_CAPTURE_H
#define OOMLAB_CAPTURE_H

/* The caps of a cell's files. A cell's console (the kernel's log at the
 * serial line's speed) is ~30 KB plus ~5 KB per OOM report; its stream is
 * ~5 KB a sample, ~50 KB/s at the default sample_ms of 100, ~6 MB for a
 * 120 s cell: 16 + 16 MiB keeps every sample of a ~10 minute cell, and its
 * end (the exit records, the last samples, the bye) whatever it printed. */
#define CAPTURE_CONSOLE_HEAD (4LL << 20)
#define CAPTURE_CONSOLE_TAIL (4LL << 20)
#define CAPTURE_STREAM_HEAD (16LL << 20)
#define CAPTURE_STREAM_TAIL (16LL << 20)

#endif
