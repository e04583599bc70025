// SPDX-License-Identifier: GPL-2.0-or-later
/* touch: the article's program B. Like alloc, but every block is written
 * (memset with --fill) so its pages are really dirtied and must live in
 * RAM or swap. */
#include "wl.h"

enum { O_BLOCK_KB, O_FILL, O_MAX_MB, O_HOLD_MS };

static const struct wl_opt opts[] = {
	[O_BLOCK_KB] = { "block-kb", OPT_SIZE_KB, 1, 1048576, 1024, "size of each malloc" },
	[O_FILL] = { "fill", OPT_BYTE, 0, 255, 0x5a,
		     "byte written over each block (0 still touches every page)" },
	[O_MAX_MB] = { "max-mb", OPT_SIZE_MB, 0, 1LL << 30, 0,
		       "stop with reason=limit after this much (0: until malloc fails)" },
	[O_HOLD_MS] = { "hold-ms", OPT_INT, 0, 3600000, 0,
			"keep the memory this long before reporting and exiting (ms)" },
};

static int run(const struct wl_args *a)
{
	const long long *v = a->v;

	return wl_malloc_loop("touch", v[O_BLOCK_KB], v[O_MAX_MB], (int)v[O_FILL], v[O_HOLD_MS]);
}

const struct workload wl_touch = {
	.name = "touch",
	.help = "malloc blocks and memset each one until malloc returns NULL or the OOM killer ends it",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.mem = WL_MEM_MALLOC,
	.writes = 1,
};
