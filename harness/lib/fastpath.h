/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The paths that make a cell cheap, each of which can be switched off to
 * measure what it gives (make bench runs both) or to rule it out when a
 * cell misbehaves: OOMLAB_NO_FAST=NAME[,NAME...] or "all"
 * (docs/running.md#cell-overhead). A path that is not on by default (ram:
 * it costs memory-filling guests more than it saves) is switched on by
 * OOMLAB_FAST=NAME[,NAME...]; OOMLAB_NO_FAST wins over it. */
#ifndef OOMLAB_FASTPATH_H
#define OOMLAB_FASTPATH_H

#include <stddef.h>

enum fastpath {
	FAST_END,     /* the agent ends the cell when kmsg is drained, the host stops the VM at its bye */
	FAST_RAM,     /* a snapshot's RAM is a file mapped privately, not copied in (off by default) */
	FAST_STANDBY, /* the next cell's VM restored and waiting before its turn */
	FAST_SHM,     /* the stream in a shared-memory ring, not on ttyS1 (proto/shmring.h) */
	FAST_COUNT
};

/* The name of each path (the words of OOMLAB_NO_FAST and OOMLAB_FAST). */
const char *fastpath_name(enum fastpath f);
/* 1 if the path is on when neither variable names it. */
int fastpath_default(enum fastpath f);
/* Whether f is on: OOMLAB_NO_FAST names it (or says "all"): 0; else
 * OOMLAB_FAST names it (or says "all"): 1; else its default. */
int fastpath_on(enum fastpath f);
/* Parse a value of OOMLAB_NO_FAST or OOMLAB_FAST into a mask of the paths
 * it names (bit f). 0, or -1 with the first unknown word in bad (bad_len
 * bytes); the mask holds the known words either way. Pure. */
int fastpath_parse(const char *v, unsigned *mask, char *bad, size_t bad_len);

#endif
