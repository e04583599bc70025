/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The reports a person opens after oomlab run or merge. */
#ifndef OOMLAB_VIEWS_H
#define OOMLAB_VIEWS_H

/* DIR/report.html and DIR/junit.xml, and the JUnit XML to junit too
 * (NULL: not), made from the run dir as written; prints their paths, the
 * page last. 0, or -1 after logging why. */
int report_write_views(const char *dir, const char *junit);

#endif
