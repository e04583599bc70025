// SPDX-License-Identifier: GPL-2.0-or-later
/* --resume and a cell report whose row never reached run.json
 * (harness/run_resume.c): kept only when it is this run's, this cell's,
 * and finished; on a real report of tests/golden/runs/article. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>

#include "run_resume.h"
#include "lib/util.h"

static json_t *report(void)
{
	const char *r = getenv("OOMLAB_ROOT");
	char *p = xasprintf("%s/tests/golden/runs/article/cells/ulimit-v-128m.json", r && *r ? r : ".");
	json_error_t je;
	json_t *rep = json_load_file(p, 0, &je);
	cr_assert_not_null(rep, "%s: %s", p, je.text);
	free(p);
	return rep;
}

#define RUN "article-20261122-045230"

Test(resume, a_finished_report_of_this_run_and_cell_is_kept)
{
	json_t *rep = report();
	cr_expect_eq(resume_report_finished(rep, RUN, "ulimit-v-128m", 4), 1);
	json_decref(rep);
}

Test(resume, another_run_cell_or_index_runs_again)
{
	json_t *rep = report();
	cr_expect_eq(resume_report_finished(rep, "article-20261122-045231", "ulimit-v-128m", 4), 0);
	cr_expect_eq(resume_report_finished(rep, RUN, "32-bit-process", 4), 0);
	cr_expect_eq(resume_report_finished(rep, RUN, "ulimit-v-128m", 5), 0);
	cr_expect_eq(resume_report_finished(rep, NULL, "ulimit-v-128m", 4), 0);
	json_object_del(rep, "run_id");
	cr_expect_eq(resume_report_finished(rep, RUN, "ulimit-v-128m", 4), 0);
	json_decref(rep);
}

/* each status: whether a report with it is a finished cell */
static const struct {
	const char *status;
	int finished;
} statuses[] = {
	{"ok", 1},          {"timeout", 1},       {"vm_panic", 1},    {"vm_lost", 1},
	{"boot_error", 1},  {"harness_error", 1}, {"interrupted", 0}, {"not_started", 0},
	{"no-such", 0},
};

Test(resume, interrupted_and_not_started_run_again)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		json_t *rep = report();
		json_object_set_new(rep, "status", json_string(statuses[i].status));
		cr_expect_eq(resume_report_finished(rep, RUN, "ulimit-v-128m", 4), statuses[i].finished, "%s",
			     statuses[i].status);
		json_decref(rep);
	}
}
