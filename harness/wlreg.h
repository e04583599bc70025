/* The host's view of the workload registry (workloads/registry.c, the same
 * table the guest binary uses): validates a matrix file's workload names
 * and options and turns them into the guest argv. */
#ifndef OOMLAB_WLREG_H
#define OOMLAB_WLREG_H

#include <jansson.h>
#include <stddef.h>

#include "util.h"

/* "alloc, touch" (caller frees). */
char *wl_names(void);
/* Validate name and options (object or NULL) against the registry; on
 * success fill args with "--opt-name" "value" pairs (caller frees). On
 * error return -1 with a message naming the option and what is allowed. */
int wl_build_args(const char *name, json_t *opts, char ***args, size_t *n_args, struct buf *err);
/* Value of option opt ("block-kb") of workload wl: from opts (JSON keys
 * with '_'), else the registry default; -1 if the workload has no such
 * option. */
long long wl_option_value(const char *wl, json_t *opts, const char *opt);
/* Print the registry (oomlab workloads). */
void wl_print_help(void);

#endif
