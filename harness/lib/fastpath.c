// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/fastpath.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int on; /* by default */
} paths[FAST_COUNT] = {
	[FAST_END] = {"end", 1},
	/* Off: the guest's first write to each page of a private file mapping
	 * is a 4 KB fault and a copy on the host, where QEMU's anonymous RAM
	 * gets huge pages; a 1 GiB guest touching 768 MB ran at 145 MB/s
	 * against 450 MB/s, and standby already hides the copied restore
	 * (docs/performance.md#loading-guest-memory). */
	[FAST_RAM] = {"ram", 0},
	[FAST_STANDBY] = {"standby", 1},
	[FAST_SHM] = {"shm", 1},
};

const char *fastpath_name(enum fastpath f)
{
	return (unsigned)f < FAST_COUNT ? paths[f].name : NULL;
}

int fastpath_default(enum fastpath f)
{
	return (unsigned)f < FAST_COUNT && paths[f].on;
}

int fastpath_parse(const char *v, unsigned *mask, char *bad, size_t bad_len)
{
	int rc = 0;
	*mask = 0;
	for (const char *p = v ? v : ""; *p;) {
		size_t n = strcspn(p, ", ");
		if (n == 3 && !strncmp(p, "all", 3)) {
			*mask = (1u << FAST_COUNT) - 1;
		} else if (n) {
			size_t f = 0;
			while (f < FAST_COUNT && !(strlen(paths[f].name) == n && !strncmp(p, paths[f].name, n)))
				f++;
			if (f < FAST_COUNT)
				*mask |= 1u << f;
			else if (!rc++)
				snprintf(bad, bad_len, "%.*s", (int)n, p);
		}
		p += n;
		p += strspn(p, ", ");
	}
	return rc ? -1 : 0;
}

/* The paths a variable's value names; an unknown word is said once per
 * variable (read each time: a test may set it). */
static unsigned named(const char *var, const char *value, int *warned)
{
	unsigned mask;
	char bad[64];
	if (fastpath_parse(value, &mask, bad, sizeof bad) < 0 && !(*warned)++)
		log_warn("%s: '%s' is not a fast path (end, ram, standby, shm or all); ignoring it", var, bad);
	return mask;
}

int fastpath_on(enum fastpath f)
{
	static int warned_off, warned_on;
	if (named("OOMLAB_NO_FAST", getenv("OOMLAB_NO_FAST"), &warned_off) & (1u << f))
		return 0;
	if (named("OOMLAB_FAST", getenv("OOMLAB_FAST"), &warned_on) & (1u << f))
		return 1;
	return fastpath_default(f);
}
