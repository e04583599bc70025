/* SPDX-License-Identifier: GPL-2.0-or-later */
/* When a workload counts as stalled (docs/matrix.md#stalls): it made no
 * progress for `seconds` while PSI full avg10 of /proc/pressure/memory was
 * at or above `psi_full` (percent). In a matrix file, the top level's (for
 * every cell) or a cell's
 *
 *   "stall": {"seconds": 20, "psi_full": 40}
 *
 * either key may be left out (the default stays); seconds 0 turns the
 * detection off. The agent applies it (guest/stall.c), the judge reports
 * what it saw (judge/stall.h). Pure. */
#ifndef OOMLAB_STALLCFG_H
#define OOMLAB_STALLCFG_H

#include <jansson.h>

#include "lib/util.h"

/* The default: measured not to stall any cell of examples/ on Debian 6.1
 * and 6.12 (docs/matrix.md#stalls). */
#define STALL_DEFAULT_S 20
#define STALL_DEFAULT_PSI_FULL 40.0
#define STALL_MAX_S 86400

struct stall_cfg {
	long long seconds; /* 0: off */
	double psi_full;   /* percent, 0..100 */
};

/* The default above. */
struct stall_cfg stall_cfg_default(void);

/* v: the "stall" object, over *cfg (the default, or the top level's for
 * a cell). 0, or -1 with *where (malloc'ed: "" for the object itself,
 * ".seconds", ".psi_full", ".<unknown key>") and why (one line naming
 * what is allowed); *cfg is left as it was on error. */
int stall_cfg_parse(json_t *v, struct stall_cfg *cfg, char **where, struct buf *why);

#endif
