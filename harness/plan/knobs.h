/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The knob registry: every tunable oomlab can set, as one table. The same
 * table validates matrix files, prints `oomlab knobs`, and names the
 * "knobs" section of reports. */
#ifndef OOMLAB_KNOBS_H
#define OOMLAB_KNOBS_H

#include <stddef.h>

enum knob_type {
	KNOB_INT,    /* integer in [min, max] */
	KNOB_ENUM,   /* one of choices[] */
	KNOB_STRING, /* free text (no TAB/newline) */
	KNOB_MAP,    /* object of name -> scalar (free-form sysctl) */
};

enum knob_scope {
	SCOPE_VM,       /* shapes the virtual machine (host side) */
	SCOPE_GUEST,    /* written to a file in the guest and read back */
	SCOPE_WORKLOAD, /* per workload (rlimit, oom_score_adj); a cell value is the default */
};

struct knob {
	const char *name;
	enum knob_type type;
	enum knob_scope scope;
	long long min, max;
	long long def;               /* KNOB_INT default; KNOB_UNSET = leave the kernel's value */
	const char *const *choices;  /* KNOB_ENUM, NULL-terminated */
	const char *path;            /* SCOPE_GUEST: file in the guest */
	const char *help;
};

#define KNOB_UNSET (-(1LL << 62))

extern const struct knob knob_table[];
extern const size_t knob_count;

const struct knob *knob_find(const char *name);
/* Guest path of a free-form sysctl name ("vm.swappiness" -> /proc/sys/vm/swappiness).
 * Returns NULL (and leaves *why) if the name is not a plain dotted sysctl name. */
char *sysctl_path(const char *name, const char **why);
/* Print the table (for `oomlab knobs` and --help). */
void knobs_print_help(void);

#endif
