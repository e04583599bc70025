// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtext.h"

void mtext_dir(char *dir, size_t size, const char *tag)
{
	cr_assert_lt((size_t)snprintf(dir, size, "/tmp/oomlab-%s-XXXXXX", tag), size);
	cr_assert_not_null(mkdtemp(dir));
}

int mtext_load(const char *dir, const char *text, struct matrix *m, struct buf *err)
{
	char *p = xasprintf("%s/m.json", dir);
	cr_assert_eq(write_file_atomic(p, text, strlen(text)), 0);
	int r = matrix_load(p, m, err);
	free(p);
	return r;
}
