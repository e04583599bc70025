/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host-side marks of a running cell: while QEMU runs, the stream is
 * shown to the watch as it comes out of the pipe (vm/capture.h) and the
 * host time is noted when the agent's hello, the first workload spawn
 * record and each exit record appear, and when the agent's bye record
 * has come whole, its checksum right (the last record of a cell). For the
 * timings (cell overhead: VM start to workload start, workload end to VM
 * gone), the warm start's hello deadline and the stop at the bye (vm.h).
 *
 * The stream is the guest's, untrusted: the watch follows the framing
 * (stream.h), a header line then exactly its len bytes of payload, so a
 * record's payload (a workload's output, a kernel message) can never pass
 * for a record, a bye least of all. Only after a header that does not
 * parse does it look for the next "\n@OL1 ", as the parser does. The
 * stream itself is parsed after the VM by collect.c. */
#ifndef OOMLAB_STREAMWATCH_H
#define OOMLAB_STREAMWATCH_H

#include <stddef.h>

#include "proto/stream.h"

#define STREAMWATCH_TICK_MS 20
/* With the stream in the shared-memory ring no fd wakes the host when a
 * record comes: it looks this often (a bye is seen at most this late; a
 * look is a few loads when nothing came). */
#define STREAMWATCH_RING_TICK_MS 4
#define STREAMWATCH_BYE_MAX 256 /* a bye payload longer than this is no bye */

struct stream_watch {
	double t0;           /* host time the VM started */
	double hello;        /* host seconds after t0; < 0: not seen */
	double first_spawn;
	double last_exit;
	double bye;          /* the bye record has come whole; < 0: not yet */
	/* the framing: a header being read, a payload being skipped (the
	 * bytes left, its newline included), or a search for "\n@OL1 " */
	enum { SW_HEADER, SW_PAYLOAD, SW_RESYNC } state;
	char hdr[STREAM_MAX_HEADER + 1];
	size_t hl;
	unsigned long long left;
	int is_bye;          /* the payload being read is a bye's: kept to check */
	unsigned bye_crc;
	unsigned long long bye_len;
	char bye_buf[STREAMWATCH_BYE_MAX + 1];
	size_t match;        /* SW_RESYNC: bytes of "\n@OL1 " matched */
};

void streamwatch_init(struct stream_watch *w, double t0);
/* The next n bytes of the stream, seen at host time now. */
void streamwatch_feed(struct stream_watch *w, const char *data, size_t n, double now);

#endif
