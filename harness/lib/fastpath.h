/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The paths that make a cell cheap, each of which can be switched off to
 * measure what it gives (make bench runs both) or to rule it out when a
 * cell misbehaves: OOMLAB_NO_FAST=NAME[,NAME...] or "all"
 * (docs/running.md#cell-overhead). Unset: every path is on. */
#ifndef OOMLAB_FASTPATH_H
#define OOMLAB_FASTPATH_H

#include <stddef.h>

enum fastpath {
	FAST_END,     /* the agent ends the cell when kmsg is drained, the host stops the VM at its bye */
	FAST_RAM,     /* a snapshot's RAM is a file mapped privately, not copied in */
	FAST_STANDBY, /* the next cell's VM restored and waiting before its turn */
	FAST_SHM,     /* the stream in a shared-memory ring, not on ttyS1 (proto/shmring.h) */
	FAST_COUNT
};

/* The name of each path (the words of OOMLAB_NO_FAST). */
const char *fastpath_name(enum fastpath f);
/* 1 unless OOMLAB_NO_FAST names f (or says "all"). */
int fastpath_on(enum fastpath f);
/* Parse a value of OOMLAB_NO_FAST into a mask of paths switched off
 * (bit f). 0, or -1 with the first unknown word in bad (bad_len bytes).
 * Pure. */
int fastpath_parse(const char *v, unsigned *off, char *bad, size_t bad_len);

#endif
