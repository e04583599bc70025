// SPDX-License-Identifier: GPL-2.0-or-later
/* m32: the article's program A as a 32-bit process. Built into the 32-bit
 * static oomlab-wl32 (the host starts that binary for it), malloc(block)
 * runs out of the 4 GiB address space long before memory: malloc returns
 * NULL near 3-4 GB without touching RAM, as on the article's 32-bit
 * machine (3056 MB there, with a 3 GiB user split). */
#include <stdio.h>

#include "wl.h"

enum { O_BLOCK_KB, O_MAX_MB, O_HOLD_MS };

static const struct wl_opt opts[] = {
	[O_BLOCK_KB] = { "block-kb", OPT_SIZE_KB, 1, 1048576, 1024, "size of each malloc" },
	[O_MAX_MB] = { "max-mb", OPT_SIZE_MB, 0, 4096, 0,
		       "stop with reason=limit after this much (0: until malloc fails)" },
	[O_HOLD_MS] = { "hold-ms", OPT_INT, 0, 3600000, 0,
			"keep the memory this long before reporting and exiting (ms)" },
};

static int run(const struct wl_args *a)
{
	if (sizeof(void *) != 4) {
		fprintf(stderr, "oomlab-wl m32: runs only in the 32-bit build (oomlab-wl32)\n");
		return WL_EXIT_USAGE;
	}
	return wl_malloc_loop("m32", a->v[O_BLOCK_KB], a->v[O_MAX_MB], -1, a->v[O_HOLD_MS]);
}

const struct workload wl_m32 = {
	.name = "m32",
	.help = "alloc as a 32-bit process: malloc fails when the 4 GiB address space runs out",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.bits32 = 1,
	.mem = WL_MEM_MALLOC,
};
