/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The knob registry: every tunable oomlab can set, as one table. The same
 * table validates matrix files, prints `oomlab knobs`, and names the
 * "knobs" section of reports. */
#ifndef OOMLAB_KNOBS_H
#define OOMLAB_KNOBS_H

#include <jansson.h>
#include <stddef.h>

enum knob_type {
	KNOB_INT,    /* integer in [min, max] */
	KNOB_ENUM,   /* one of choices[] */
	KNOB_STRING, /* free text (no TAB/newline) */
	KNOB_MAP,    /* object of key -> scalar: free-form sysctls, or the keys
			of .keys (one file per key) */
};

/* The scope also says where a cell's value lands (matrix.c, load_cell). */
enum knob_scope {
	SCOPE_VM,       /* shapes the virtual machine (host side): the field of
			   struct cell_spec at .offset */
	SCOPE_GUEST,    /* written to a file in the guest and read back: a
			   struct guest_set of the cell (KNOB_MAP: one per sysctl) */
	SCOPE_WORKLOAD, /* per workload (rlimit, oom_score_adj): the field of each
			   struct wl_spec at .offset; a cell value is the default */
};

struct knob {
	const char *name;
	enum knob_type type;
	enum knob_scope scope;
	long long min, max;
	long long def;               /* KNOB_INT default, KNOB_ENUM index of the default;
					KNOB_UNSET = leave the kernel's value */
	const char *const *choices;  /* KNOB_ENUM, NULL-terminated; KNOB_MAP with
					.keys: the values each key takes */
	const char *path;            /* SCOPE_GUEST: file in the guest; KNOB_MAP
					with .keys: with one '*', which the key
					replaces */
	/* KNOB_MAP: the keys it takes, NULL-terminated, each its own file (set
	 * when given, else read back like every guest knob); NULL: free-form
	 * sysctl names (sysctl_path), read back only when given. */
	const char *const *keys;
	/* KNOB_ENUM: what each choice reads back as, when not itself (the
	 * judge checks a written choice reads back; NULL entry: the kernel's
	 * word depends on the kernel, not checked). NULL: each reads back as
	 * itself, alone or in brackets among the others. */
	const char *const *reads_back;
	/* SCOPE_GUEST: the value names a kernel module (zswap's compressor or
	 * zpool) that the kernel would load on the write with request_module;
	 * the guest has no modprobe, so the host puts the module (and what it
	 * needs) in the initramfs when the kernel has it as a module. */
	int value_is_module;
	/* SCOPE_VM, SCOPE_WORKLOAD: offsetof the field (plan/spec.h) the value
	 * lands in; its C type follows the knob's: a long long (KNOB_INT), an
	 * int holding the index of the choice (KNOB_ENUM), a char * (KNOB_STRING:
	 * a copy, NULL when not given). A knob not given lands its def. */
	size_t offset;
	const char *help;
};

#define KNOB_UNSET (-(1LL << 62))

extern const struct knob knob_table[];
extern const size_t knob_count;

const struct knob *knob_find(const char *name);
/* Guest path of a free-form sysctl name ("vm.swappiness" -> /proc/sys/vm/swappiness).
 * Returns NULL (and leaves *why) if the name is not a plain dotted sysctl name. */
char *sysctl_path(const char *name, const char **why);
/* The guest file of key of the KNOB_MAP k (free-form: sysctl_path; with
 * .keys: .path with the key for its '*'). NULL (and *why) for a key the
 * knob does not take. Caller frees. */
char *knob_map_path(const struct knob *k, const char *key, const char **why);
/* Print the table (for `oomlab knobs` and --help). */
void knobs_print_help(void);
/* The same as JSON (`oomlab knobs --json`, reports/cli.schema.json):
 * {"knobs": [{name, scope, allowed, meaning[, choices]}], "patterns": [the
 * keys that stand for many, e.g. cgroup.<group>.<file>]}. A new reference. */
json_t *knobs_json(void);

#endif
