// SPDX-License-Identifier: GPL-2.0-or-later
/* The files a person opens after oomlab run or merge: DIR/report.html and
 * DIR/junit.xml, made from the run dir as written. */
#include "reports/views.h"
#include "reports/html/html.h"
#include "reports/junit/junit.h"
#include "reports/rundir.h"

#include <stdio.h>
#include <stdlib.h>

int report_write_views(const char *dir, const char *junit)
{
	struct rundir r;
	struct buf err = {0};
	int rc = -1;
	if (rundir_load(dir, &r, &err) < 0)
		goto out;
	char *html = xasprintf("%s/report.html", dir);
	char *xml = xasprintf("%s/junit.xml", dir);
	if (report_write_html(&r, html, &err) == 0 && report_write_junit(&r, xml, &err) == 0 &&
	    (!junit || report_write_junit(&r, junit, &err) == 0)) {
		/* the page last: the line a person looks for at the end */
		printf("junit report: %s\nhtml report:  %s\n", junit ? junit : xml, html);
		rc = 0;
	}
	free(html);
	free(xml);
	rundir_free(&r);
out:
	if (rc < 0)
		log_err("%s", err.data ? err.data : "cannot write the reports");
	buf_free(&err);
	return rc;
}
