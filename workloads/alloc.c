// SPDX-License-Identifier: GPL-2.0-or-later
/* alloc: the article's program A. malloc(block) in a loop, never touching
 * the memory, until malloc returns NULL (or --max-mb is reached). With the
 * default glibc mmap threshold (128 KiB) each 1 MiB block is its own mmap;
 * glibc still writes the chunk header, so each block costs one page. */
#include "wl.h"

enum { O_BLOCK_KB, O_MAX_MB, O_HOLD_MS };

static const struct wl_opt opts[] = {
	[O_BLOCK_KB] = { "block-kb", OPT_SIZE_KB, 1, 1048576, 1024, "size of each malloc" },
	[O_MAX_MB] = { "max-mb", OPT_SIZE_MB, 0, 1LL << 30, 0,
		       "stop with reason=limit after this much (0: until malloc fails)" },
	[O_HOLD_MS] = { "hold-ms", OPT_INT, 0, 3600000, 0,
			"keep the memory this long before reporting and exiting (ms)" },
};

static int run(const struct wl_args *a)
{
	const long long *v = a->v;

	return wl_malloc_loop("alloc", v[O_BLOCK_KB], v[O_MAX_MB], -1, v[O_HOLD_MS]);
}

const struct workload wl_alloc = {
	.name = "alloc",
	.help = "malloc blocks without touching them until malloc returns NULL",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.mem = WL_MEM_MALLOC,
};
