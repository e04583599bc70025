// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab version */
#include "cli.h"
#include "lib/buildid.h"
#include "lib/util.h"

#include <stdio.h>

/* For the man page only: `oomlab version` takes no option, not even --help. */
const struct cmd_doc version_doc = {"oomlab version | oomlab --version", NULL, 0, NULL};

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("oomlab %s\n", buildid_string());
	return 0;
}
