/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Commands of the oomlab CLI and their shared option handling. */
#ifndef OOMLAB_CLI_H
#define OOMLAB_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/vocab.h"

/* One option of a command: getopt_long entry plus its help text. */
struct cli_opt {
	const char *name;
	int has_arg;   /* no_argument / required_argument */
	int key;       /* value returned by getopt_long; a letter is also -key */
	const char *arg;  /* argument name for help, or NULL */
	const char *help;
};

/* What a command says about itself: `oomlab CMD --help` and the man page
 * (`oomlab help --man`) are printed from it, and cli_parse parses by it. */
struct cmd_doc {
	const char *synopsis;       /* after "usage: " (also in usage errors); lines
				     * after the first are indented to line up */
	const struct cli_opt *opts; /* its options; every command also has --help */
	size_t n_opts;
	const char *description;    /* after the synopsis, or NULL */
};

/* A row of the command table (main.c). */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help; /* one line, in `oomlab --help` */
	const struct cmd_doc *doc;
};

/* The exit codes every command shares (`oomlab --help`, the man page);
 * compare --bisect has its own (its description). */
struct exit_doc {
	int code;
	const char *meaning;
};
extern const struct exit_doc cli_exit_codes[];
extern const size_t cli_n_exit_codes;

/* Parse options by a command's doc; calls on_opt for each. Prints usage and
 * returns EXIT_USAGE on an unknown option, 1 (and prints help) on --help,
 * else 0. optind is left at the first operand. */
int cli_parse(int argc, char **argv, const struct cmd_doc *doc,
	      int (*on_opt)(int key, const char *arg, void *ctx), void *ctx);
/* `oomlab CMD --help`: usage, description, options. */
void cli_help(FILE *f, const struct cmd_doc *doc);
/* on_opt of a command without options of its own. */
int cli_no_opt(int key, const char *arg, void *ctx);
/* on_opt of a command whose one option is a flag (--json): sets *(int *)ctx. */
int cli_set_flag(int key, const char *arg, void *ctx);
/* --json: print doc (stolen) on stdout, indented; EXIT_OK, or EXIT_BROK
 * when it cannot be written. The shapes: reports/cli.schema.json. */
int cli_print_json(json_t *doc);
/* --max-cells N (plan, run, fuzz-knobs): 1..MATRIX_MAX_CELLS_LIMIT into
 * *out; -1 (said on stderr) otherwise. */
int cli_max_cells(const char *arg, long long *out);
/* --allow-file PATH (plan, run, fuzz-knobs): added to *list
 * (plan/hostfiles.h); -1 (said on stderr) when PATH cannot be allowed. */
int cli_allow_file(const char *arg, char ***list, size_t *n);
/* --accel auto|kvm|tcg (run, minimize) into *out; -1 (said on stderr)
 * otherwise. */
int cli_accel(const char *arg, const char **out);

extern const struct cmd_doc run_doc, fuzz_knobs_doc, plan_doc, merge_doc, report_doc, compare_doc,
	kernels_doc, knobs_doc, workloads_doc, version_doc, minimize_doc, findings_doc,
	baseline_doc;

int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_findings(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_fuzz_knobs(int argc, char **argv);
int cmd_minimize(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_kernels(int argc, char **argv);
int cmd_knobs(int argc, char **argv);
int cmd_workloads(int argc, char **argv);
int cmd_version(int argc, char **argv);
/* oomlab --complete WHAT (cmd_complete.c): the words of shell completion,
 * from the command table cmds. */
int cmd_complete(int argc, char **argv, const struct command *cmds, size_t n);

#endif
