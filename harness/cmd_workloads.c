// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab workloads: the workload registry and its options. */
#include "cli.h"
#include "lib/util.h"
#include "plan/wlreg.h"

enum { OPT_JSON = 1000 };

static const struct cli_opt workloads_opts[] = {
	{"json", no_argument, OPT_JSON, NULL,
	 "print the workloads and their options as one JSON document (reports/cli.schema.json)"},
};

const struct cmd_doc workloads_doc = {"oomlab workloads [--json]", workloads_opts, ARRAY_SIZE(workloads_opts),
				      NULL};

int cmd_workloads(int argc, char **argv)
{
	int json = 0;
	int r = cli_parse(argc, argv, &workloads_doc, cli_set_flag, &json);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (json)
		return cli_print_json(wl_registry_json());
	wl_print_help();
	return EXIT_OK;
}
