// SPDX-License-Identifier: GPL-2.0-or-later
/* Workloads together: oom_score_adj decides the victim, the bigger process
 * is the victim when the adjustments are equal, and -1000 is immune
 * (examples/together.json, run as a user would). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/spawn.h"
#include "itest.h"
#include "lib/util.h"

TestSuite(together, .init = setup, .fini = teardown, .timeout = 180);

Test(together, oom_score_adj_decides_the_victim_and_minus_1000_is_immune)
{
	const char *r = getenv("OOMLAB_ROOT");
	r = r && *r ? r : ".";
	char *bin = xasprintf("%s/build/san/oomlab", r);
	char *m = xasprintf("%s/examples/together.json", r);
	char *out = xasprintf("%s/run", tmpdir);
	char *argv[] = {bin, "run", m, "-j", "2", "-o", out, NULL};
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, SPAWN_DEVNULL, SPAWN_DEVNULL};
	int st;
	cr_assert_eq(run_argv(argv, &o, 170000, &st), 0);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", status_str(st));
	static const struct {
		const char *id;
		int victim;   /* the one workload the OOM killer takes */
		int survivor; /* a bigger (or as big) one it spares */
	} cases[] = {
		{"adj-decides-the-victim", 1, 0},       /* +500 over -500 */
		{"the-bigger-one-is-the-victim", 0, 1}, /* equal adj: the bigger */
		{"1000-is-immune", 1, 0},               /* the bigger one is -1000 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *cp = xasprintf("%s/cells/%s.json", out, cases[i].id);
		json_error_t je;
		json_t *cell = json_load_file(cp, 0, &je);
		cr_assert_not_null(cell, "%s: %s", cp, je.text);
		json_t *order = json_object_get(cell, "victim_order");
		cr_expect_eq(json_array_size(order), 1, "%s", cases[i].id);
		cr_expect_eq(json_integer_value(json_array_get(order, 0)), cases[i].victim, "%s", cases[i].id);
		/* at the kill, the survivor was alive and had at least as much
		 * resident memory as the victim whenever both were sampled */
		json_t *ev = json_array_get(json_object_get(cell, "oom_events"), 0);
		size_t k;
		json_t *s, *sv = NULL, *vv = NULL;
		json_array_foreach(json_object_get(ev, "states"), k, s) {
			if (json_integer_value(json_object_get(s, "workload")) == cases[i].survivor)
				sv = s;
			if (json_integer_value(json_object_get(s, "workload")) == cases[i].victim)
				vv = s;
		}
		cr_assert_not_null(sv, "%s: no state of the survivor", cases[i].id);
		cr_expect(json_is_true(json_object_get(sv, "alive")));
		json_t *w = json_array_get(json_object_get(cell, "workloads"), (size_t)cases[i].survivor);
		cr_expect_str_eq(json_string_value(json_object_get(w, "endpoint")), "exit", "%s", cases[i].id);
		if (i == 2 && vv && json_is_integer(json_object_get(vv, "VmRSS_kb")))
			cr_expect_gt(json_integer_value(json_object_get(sv, "VmRSS_kb")),
				     json_integer_value(json_object_get(vv, "VmRSS_kb")),
				     "immunity shows only if the spared one is the bigger");
		json_decref(cell);
		free(cp);
	}
	free(out);
	free(m);
	free(bin);
}
