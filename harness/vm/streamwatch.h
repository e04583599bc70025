/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host-side marks of a running cell: while QEMU runs, the stream is
 * shown to the watch as it comes out of the pipe (vm/capture.h) and the
 * host time is noted when the agent's hello, the first workload spawn
 * record and each exit record appear, and when the agent's bye record
 * has come whole (the last record of a cell). For the timings (cell overhead: VM
 * start to workload start, workload end to VM gone) and for the warm
 * start's hello deadline and the stop at the bye (vm.h); the stream itself is parsed after the VM
 * by collect.c. */
#ifndef OOMLAB_STREAMWATCH_H
#define OOMLAB_STREAMWATCH_H

#include <stddef.h>

#define STREAMWATCH_TICK_MS 20

struct stream_watch {
	char tail[32];       /* the end of the previous chunk (a header cut in two) */
	size_t tl;
	double t0;           /* host time the VM started */
	size_t seen;         /* bytes read so far */
	double hello;        /* host seconds after t0; < 0: not seen */
	double first_spawn;
	double last_exit;
	double bye;          /* the bye record has come whole; < 0: not yet */
	/* the bye record's header, from its '@' (it may come in pieces) */
	char bye_hdr[64];
	size_t bye_hl;
	unsigned long long bye_off; /* stream offset of its '@' */
	unsigned long long bye_end; /* offset past its payload's newline; 0: not known yet */
};

void streamwatch_init(struct stream_watch *w, double t0);
/* The next n bytes of the stream, seen at host time now. */
void streamwatch_feed(struct stream_watch *w, const char *data, size_t n, double now);

#endif
