// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdlib.h>

#include "cicheck.h"
#include "lib/jsonx.h"
#include "lib/spawn.h"

/* tests/validate-ci KIND FILE */
static int validate(const char *kind, const char *file)
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

int junit_valid(const char *dir, const struct buf *x)
{
	char *f = xasprintf("%s/junit.xml", dir);
	cr_assert_eq(write_file_atomic(f, x->data, x->len), 0, "%s", f);
	int rc = validate("junit", f);
	free(f);
	return rc;
}

int kcidb_valid(const char *dir, json_t *k)
{
	char *f = xasprintf("%s/kcidb.json", dir);
	cr_assert_eq(json_write_atomic(f, k), 0, "%s", f);
	int rc = validate("kcidb", f);
	free(f);
	return rc;
}
