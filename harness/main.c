// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab: the command-line entry point. Commands are a table. */
#include "cli.h"
#include "manpage.h"
#include "lib/util.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const struct command commands[] = {
	{"run", cmd_run, "run the cells of a matrix file in throwaway VMs", &run_doc},
	{"fuzz-knobs", cmd_fuzz_knobs, "random cells from a matrix's knob ranges; each FAIL kept as a matrix",
	 &fuzz_knobs_doc},
	{"minimize", cmd_minimize, "shrink a failing cell to the smallest that still fails the same way",
	 &minimize_doc},
	{"plan", cmd_plan, "print the cells a matrix file expands to, run nothing", &plan_doc},
	{"merge", cmd_merge, "merge the shard runs (--shard K/N) of one matrix into one run", &merge_doc},
	{"report", cmd_report, "print a run's results table; write its HTML, JUnit or KCIDB report", &report_doc},
	{"findings", cmd_findings, "the distinct kernel findings (warnings, BUGs, hung tasks...) of runs",
	 &findings_doc},
	{"compare", cmd_compare, "what changed between two runs (regressions; git bisect run)", &compare_doc},
	{"baseline", cmd_baseline, "keep named reference runs for compare --baseline", &baseline_doc},
	{"kernels", cmd_kernels, "fetch and list guest kernels (Debian packages)", &kernels_doc},
	{"knobs", cmd_knobs, "list the knobs a matrix file can set", &knobs_doc},
	{"workloads", cmd_workloads, "list the workloads and their options", &workloads_doc},
	{"version", cmd_version, "print the version", &version_doc},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: oomlab COMMAND [ARGS]   (oomlab COMMAND --help for details)\n\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nexit codes:");
	for (size_t i = 0; i < cli_n_exit_codes; i++)
		fprintf(f, "%s %d %s", i ? "," : "", cli_exit_codes[i].code, cli_exit_codes[i].meaning);
	fprintf(f, "\n");
}

int main(int argc, char **argv)
{
	/* A file over RLIMIT_FSIZE must fail the write (EFBIG: a clear error,
	 * exit 3), not kill us with SIGXFSZ halfway through a run. */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* the man page, from this table (make install writes oomlab.1) */
	if (argc == 3 && !strcmp(argv[1], "help") && !strcmp(argv[2], "--man")) {
		manpage_write(stdout, commands, ARRAY_SIZE(commands));
		return fflush(stdout) ? EXIT_BROK : EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc, argv);
	if (!strcmp(argv[1], "--complete"))
		return cmd_complete(argc - 1, argv + 1, commands, ARRAY_SIZE(commands));
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "oomlab: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
