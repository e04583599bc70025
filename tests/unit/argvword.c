// SPDX-License-Identifier: GPL-2.0-or-later
#include "argvword.h"

#include <string.h>

int argv_word_at(char **argv, const char *w)
{
	for (int i = 0; argv[i]; i++)
		if (!strcmp(argv[i], w))
			return i;
	return -1;
}
