/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernels of a run: each kernel a cell names (a package, or a bzImage
 * with its modules) resolved, downloaded if missing, once per run and before
 * any cell starts; cells that name the same kernel share it. */
#ifndef OOMLAB_RUN_KERNELS_H
#define OOMLAB_RUN_KERNELS_H

#include <stddef.h>

#include "boot/kernels.h"
#include "lib/util.h"
#include "plan/matrix.h"

/* Kernels resolved so far, by the strings that named them. */
struct kcache {
	char **keys;
	struct kernel_info *ki;
	size_t n;
};

/* Resolve the run's default kernel (kernel, modules: --kernel and
 * --modules; NULL: the cached default), then the kernel of each cell of
 * todo (its own, else the default). cell_kernel[todo[t]] and *defk then
 * point into kc, which no longer grows. Returns 0, or the exit code of a
 * kernel that cannot be resolved (why: said on stderr, and in err). */
int kcache_resolve(struct kcache *kc, const char *kernel, const char *modules,
		   const struct matrix *m, const size_t *todo, size_t n_todo,
		   const struct kernel_info **cell_kernel, const struct kernel_info **defk,
		   struct buf *err);
void kcache_free(struct kcache *kc);

#endif
