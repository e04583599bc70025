// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/fastpath.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[FAST_COUNT] = {
	[FAST_END] = "end",
	[FAST_RAM] = "ram",
	[FAST_STANDBY] = "standby",
	[FAST_SHM] = "shm",
};

const char *fastpath_name(enum fastpath f)
{
	return (unsigned)f < FAST_COUNT ? names[f] : NULL;
}

int fastpath_parse(const char *v, unsigned *off, char *bad, size_t bad_len)
{
	*off = 0;
	for (const char *p = v ? v : ""; *p;) {
		size_t n = strcspn(p, ", ");
		if (n == 3 && !strncmp(p, "all", 3)) {
			*off = (1u << FAST_COUNT) - 1;
		} else if (n) {
			size_t f = 0;
			while (f < FAST_COUNT && !(strlen(names[f]) == n && !strncmp(p, names[f], n)))
				f++;
			if (f == FAST_COUNT) {
				snprintf(bad, bad_len, "%.*s", (int)n, p);
				return -1;
			}
			*off |= 1u << f;
		}
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

int fastpath_on(enum fastpath f)
{
	/* read each time (a test may set it); an unknown word is said once */
	static int warned;
	unsigned off;
	char bad[64];
	if (fastpath_parse(getenv("OOMLAB_NO_FAST"), &off, bad, sizeof bad) < 0 && !warned++)
		log_warn("OOMLAB_NO_FAST: '%s' is not a fast path (end, ram, standby, shm or all); "
			 "ignoring it", bad);
	return !(off & (1u << f));
}
