/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernels of a run: each kernel a cell names (a package, or a bzImage
 * with its modules) resolved, downloaded if missing, once per run and before
 * any cell starts; cells that name the same kernel share it. */
#ifndef OOMLAB_RUN_KERNELS_H
#define OOMLAB_RUN_KERNELS_H

#include <jansson.h>
#include <stddef.h>

#include "boot/kernels.h"
#include "lib/util.h"
#include "plan/matrix.h"

/* Kernels resolved so far, by the strings that named them. */
struct kcache {
	char **keys;
	char **kernel, **modules;  /* per entry: what named it (NULL: not given) */
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

/* What the kernels of a run were, for run.json's "kernels" (--resume and
 * merge compare it, run_header.h): one object per kernel kc resolved, the
 * default first ({"default": true}, "arg" and "modules" as --kernel and
 * --modules gave them, null when not), then each kernel cells named
 * ({"default": false, "arg", "modules"}), each with "package", "version"
 * and "release" (null for a bzImage without them) and "image_sha256". NULL
 * with err when an image cannot be read. */
json_t *kcache_record(const struct kcache *kc, const struct kernel_info *defk, struct buf *err);

#endif
