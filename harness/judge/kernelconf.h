/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a report records of a guest kernel's build configuration (the
 * cell report's kernel.config, run.json's kernels[].config):
 *
 *   {"file": path, "sha256": digest of the file,
 *    "mm": {"CONFIG_LRU_GEN": "y", "CONFIG_LRU_GEN_ENABLED": "n", ...}}
 *
 * with the memory-management options of parse/kconfig.h, in file order.
 * JSON null for no file (a bzImage given without one) or one that cannot
 * be read: never an error, the run goes on without it. */
#ifndef OOMLAB_KERNELCONF_H
#define OOMLAB_KERNELCONF_H

#include <jansson.h>

json_t *kernelconf_json(const char *path);

#endif
