// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab workloads: the workload registry and its options. */
#include "cli.h"
#include "plan/wlreg.h"

const struct cmd_doc workloads_doc = {"oomlab workloads", NULL, 0, NULL};

int cmd_workloads(int argc, char **argv)
{
	int r = cli_parse(argc, argv, &workloads_doc, cli_no_opt, NULL);
	if (r)
		return r == 1 ? EXIT_OK : r;
	wl_print_help();
	return EXIT_OK;
}
