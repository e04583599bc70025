// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdlib.h>

#include "cicheck.h"
#include "lib/spawn.h"
#include "lib/util.h"

int validate_ci(const char *kind, const char *file)
{
	const char *root = getenv("OOMLAB_ROOT");
	char *tool = xasprintf("%s/tests/validate-ci", root && *root ? root : ".");
	char *argv[] = {tool, (char *)kind, (char *)file, NULL};
	char *out = NULL;
	size_t n;
	int rc = run_capture(argv, &out, &n);
	if (rc)
		cr_log_error("%s", out ? out : "");
	free(out);
	free(tool);
	return rc;
}
