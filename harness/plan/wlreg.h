/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host's view of the workload registry (workloads/registry.c, the same
 * table the guest binary uses): validates a matrix file's workload names
 * and options and turns them into the guest argv. */
#ifndef OOMLAB_WLREG_H
#define OOMLAB_WLREG_H

#include <jansson.h>
#include <stddef.h>

#include "lib/util.h"
#include "plan/hostfiles.h"

struct workload;

/* "alloc, touch" (caller frees). */
char *wl_names(void);
/* What a host file of an option is, for the initramfs (boot/carry.h). */
enum wl_file_kind {
	WLF_DATA, /* OPT_FILE: a regular file, 0644 */
	WLF_PROG, /* OPT_PROG: a program, 0755, with its loader and libraries */
	WLF_TREE, /* OPT_FILES: a file (its own mode) or a dir, walked */
};

/* A host file a workload option names, and where it goes in the guest. */
struct wl_file {
	char *host;  /* resolved (realpath), checked against the matrix's file scope */
	char *guest; /* /data/w<index>-<name>; OPT_PROG: /data/prog<index>/<name>;
		      * OPT_FILES: /data/w<index>/<relative
		      * path as given>, or the absolute path as given */
	enum wl_file_kind kind;
};

/* Where the relative paths of an OPT_FILES option go in the guest, and
 * the program's working directory: "/data/w<index>" (malloc'd). */
char *wl_files_dir(size_t index);

struct wl_argv {
	char **args;  /* "--opt-name" "value" ... ["--" trailing...] */
	size_t n_args;
	struct wl_file *files;
	size_t n_files;
};

/* Validate options (object or NULL) against the workload's row; on
 * success fill out (free with wl_argv_free). index numbers the workload in
 * its cell (guest file names); a file option must resolve inside files
 * (plan/hostfiles.h). On error return -1 with a message naming the option
 * and what is allowed. */
int wl_build_args(const struct workload *w, json_t *opts, size_t index,
		  const struct file_scope *files, struct wl_argv *out, struct buf *err);
/* Is the option JSON key (e.g. "schedule") of workload w a file option
 * (OPT_FILE or OPT_PROG: one path)? */
int wl_option_is_file(const struct workload *w, const char *json_key);
void wl_argv_free(struct wl_argv *a);
/* Value of option opt ("block-kb") of workload w: from opts (JSON keys
 * with '_'), else the registry default; -1 if the workload has no such
 * option. */
long long wl_option_value(const struct workload *w, json_t *opts, const char *opt);
/* The same for an OPT_ENUM/OPT_STR option: the word given, else the
 * default; NULL if there is no such option. Points into opts or the table. */
const char *wl_option_word(const struct workload *w, json_t *opts, const char *opt);
/* Print the registry (oomlab workloads). */
void wl_print_help(void);
/* The same as JSON (`oomlab workloads --json`, reports/cli.schema.json):
 * {"workloads": [{name, meaning, options: [{name, allowed, default,
 * required, meaning}]}], "every_workload": [the keys every workload takes]}.
 * A new reference. */
json_t *wl_registry_json(void);

#endif
