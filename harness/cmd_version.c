// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab version */
#include "cli.h"
#include "lib/util.h"

#include <stdio.h>

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("oomlab %s\n", OOMLAB_VERSION);
	return 0;
}
