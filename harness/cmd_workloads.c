// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab workloads: the workload registry and its options. */
#include "cli.h"
#include "plan/wlreg.h"

int cmd_workloads(int argc, char **argv)
{
	int r = cli_parse(argc, argv, "oomlab workloads", NULL, 0, cli_no_opt, NULL);
	if (r)
		return r == 1 ? EXIT_OK : r;
	wl_print_help();
	return EXIT_OK;
}
