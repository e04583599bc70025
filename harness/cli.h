/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Commands of the oomlab CLI and their shared option handling. */
#ifndef OOMLAB_CLI_H
#define OOMLAB_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "lib/vocab.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

/* One option of a command: getopt_long entry plus its help text. */
struct cli_opt {
	const char *name;
	int has_arg;   /* no_argument / required_argument */
	int key;       /* value returned by getopt_long */
	const char *arg;  /* argument name for help, or NULL */
	const char *help;
};

/* Parse options from a table; calls on_opt for each. Prints usage and
 * returns EXIT_USAGE on an unknown option, 1 (and prints help) on --help,
 * else 0. optind is left at the first operand. */
int cli_parse(int argc, char **argv, const char *synopsis, const struct cli_opt *opts, size_t n,
	      int (*on_opt)(int key, const char *arg, void *ctx), void *ctx);
void cli_help(const char *synopsis, const struct cli_opt *opts, size_t n);
/* on_opt of a command without options of its own. */
int cli_no_opt(int key, const char *arg, void *ctx);

int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_fuzz_knobs(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_kernels(int argc, char **argv);
int cmd_knobs(int argc, char **argv);
int cmd_workloads(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif
