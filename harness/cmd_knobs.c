// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab knobs: the knob table (plan/knobs.c). */
#include "cli.h"
#include "plan/knobs.h"

const struct cmd_doc knobs_doc = {"oomlab knobs", NULL, 0, NULL};

int cmd_knobs(int argc, char **argv)
{
	int r = cli_parse(argc, argv, &knobs_doc, cli_no_opt, NULL);
	if (r)
		return r == 1 ? EXIT_OK : r;
	knobs_print_help();
	return EXIT_OK;
}
