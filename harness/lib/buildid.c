// SPDX-License-Identifier: GPL-2.0-or-later
#include "buildid.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* Defined by build/gen/buildid.c (mk/buildid.mk); weak references, so
 * that a program linked without it sees NULL here. */
extern const char oomlab_build_commit[] __attribute__((weak));
extern const int oomlab_build_modified __attribute__((weak));

/* the digits of the commit the version string shows */
#define SHORT_COMMIT 12

const char *buildid_commit(void)
{
	return oomlab_build_commit ? oomlab_build_commit : "unknown";
}

int buildid_modified(void)
{
	return &oomlab_build_modified ? oomlab_build_modified : -1;
}

const char *buildid_string(void)
{
	static char s[128];
	if (!s[0]) {
		const char *c = buildid_commit();
		int known = strcmp(c, "unknown") != 0;
		snprintf(s, sizeof s, "%s (git %.*s%s)", OOMLAB_VERSION, known ? SHORT_COMMIT : (int)strlen(c), c,
			 buildid_modified() == 1 ? ", modified" : "");
	}
	return s;
}

json_t *buildid_tool_json(void)
{
	return json_pack("{s:s,s:s,s:s,s:o}", "name", "oomlab", "version", OOMLAB_VERSION, "commit", buildid_commit(),
			 "modified", buildid_modified() < 0 ? json_null() : json_boolean(buildid_modified()));
}
