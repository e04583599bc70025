// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab knobs: the knob table (plan/knobs.c). */
#include "cli.h"
#include "lib/util.h"
#include "plan/knobs.h"

enum { OPT_JSON = 1000 };

static const struct cli_opt knobs_opts[] = {
	{"json", no_argument, OPT_JSON, NULL, "print the knobs as one JSON document (reports/cli.schema.json)"},
};

const struct cmd_doc knobs_doc = {"oomlab knobs [--json]", knobs_opts, ARRAY_SIZE(knobs_opts), NULL};

int cmd_knobs(int argc, char **argv)
{
	int json = 0;
	int r = cli_parse(argc, argv, &knobs_doc, cli_set_flag, &json);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (json)
		return cli_print_json(knobs_json());
	knobs_print_help();
	return EXIT_OK;
}
