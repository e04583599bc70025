// SPDX-License-Identifier: GPL-2.0-or-later
/* Every matrix in examples/ as a user gets it: planned as `oomlab plan`
 * plans it, and each of its cells judged by today's oracle from a real
 * recording of that cell (tests/golden/examples/<example>/<cell id>.stream.xz
 * and .console.log.xz, captured with `oomlab run examples/<example>.json`;
 * recorded.json says on which kernel). A shipped example must not FAIL
 * (or BROK) unless it declares so in recorded.json ("declared": {"<cell
 * id>": "FAIL"}); none does today. An example changed since its recording
 * (another matrix digest) or without one fails: record it again.
 * The same replay checks the oracle's together rules on the cells of
 * tests/golden/together/ (cells.json, recorded on Debian 6.1.0-57 and
 * 6.12.117, 256 MiB). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "judge/collect.h"
#include "judge/firstkill.h"
#include "judge/outcome.h"
#include "lib/util.h"
#include "lib/vocab.h"
#include "plan/hostfiles.h"
#include "plan/matrix.h"

static const char *root(void)
{
	const char *r = getenv("OOMLAB_ROOT");
	return r && *r ? r : ".";
}

/* Replay one recorded cell of an example: its verdict, why in why. */
static enum verdict judge_recorded(const char *dir, const struct cell_spec *cs, char *why,
				   size_t whysz)
{
	char *sp = xasprintf("%s/%s.stream.xz", dir, cs->id);
	char *cp = xasprintf("%s/%s.console.log.xz", dir, cs->id);
	size_t sl, cl;
	char *stream = read_xz(sp, &sl), *console = read_xz(cp, &cl);
	struct cell_obs obs;
	collect_cell(stream, sl, console, cl, cs->n_wl, &obs);
	struct vm_result vr = {0};
	struct cell_outcome oc;
	outcome_compute(cs, &obs, &vr, &oc);
	enum verdict v = oc.verdict;
	snprintf(why, whysz, "%s", oc.why);
	cell_outcome_free(&oc);
	cell_obs_free(&obs);
	free(stream);
	free(console);
	free(sp);
	free(cp);
	return v;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

Test(examples, every_example_plans_and_its_recorded_cells_pass)
{
	char *exdir = xasprintf("%s/examples", root());
	char *gdir = xasprintf("%s/tests/golden/examples", root());
	char *rp = xasprintf("%s/recorded.json", gdir);
	json_error_t jerr;
	json_t *recorded = json_load_file(rp, 0, &jerr);
	cr_assert(recorded, "%s: %s", rp, jerr.text);

	DIR *d = opendir(exdir);
	cr_assert(d, "%s", exdir);
	char *names[64];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l > 5 && !strcmp(e->d_name + l - 5, ".json")) {
			cr_assert_lt(n, sizeof names / sizeof names[0]);
			names[n++] = xstrndup(e->d_name, l - 5);
		}
	}
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	cr_assert_geq(n, 9, "examples/ has %zu matrices", n);

	size_t cells = 0;
	for (size_t i = 0; i < n; i++) {
		char *mp = xasprintf("%s/%s.json", exdir, names[i]);
		struct matrix m;
		struct buf err = {0};
		json_t *rec = json_object_get(recorded, names[i]);
		/* the programs an example runs from outside examples/ (exec),
		 * allowed as its users allow them: --allow-file */
		json_t *af = json_object_get(rec, "allow_file");
		char **allow = NULL;
		size_t n_allow = 0;
		for (size_t k = 0; k < json_array_size(af); k++) {
			const char *a = json_string_value(json_array_get(af, k));
			char *ap = a[0] == '/' ? xstrdup(a) : xasprintf("%s/%s", root(), a);
			struct buf why = {0};
			cr_assert_eq(hostfiles_allow(&allow, &n_allow, ap, &why), 0, "examples/%s.json: %s",
				     names[i], why.data);
			free(ap);
		}
		struct matrix_opts mo = {.allow = (const char *const *)allow, .n_allow = n_allow};
		cr_assert_eq(matrix_load_opts(mp, &mo, &m, &err), 0, "examples/%s.json does not plan: %s",
			     names[i], err.data);
		hostfiles_allow_free(allow, n_allow);
		const char *digest = json_string_value(json_object_get(rec, "digest"));
		cr_assert(digest, "examples/%s.json has no recording in %s", names[i], rp);
		cr_assert_str_eq(m.digest, digest,
				 "examples/%s.json changed since it was recorded (digest %s, recorded "
				 "%s): run it again and replace tests/golden/examples/%s/",
				 names[i], m.digest, digest, names[i]);
		char *dir = xasprintf("%s/%s", gdir, names[i]);
		json_t *declared = json_object_get(rec, "declared");
		for (size_t c = 0; c < m.n_cells; c++) {
			const struct cell_spec *cs = &m.cells[c];
			char why[512];
			enum verdict v = judge_recorded(dir, cs, why, sizeof why);
			const char *want = json_string_value(json_object_get(declared, cs->id));
			if (want)
				cr_expect_str_eq(verdict_name(v), want, "%s/%s: declared %s, judged %s: %s",
						 names[i], cs->id, want, verdict_name(v), why);
			else
				cr_expect(v == V_PASS || v == V_SKIP, "%s/%s: %s: %s", names[i], cs->id,
					  verdict_name(v), why);
			cells++;
		}
		free(dir);
		matrix_free(&m);
		buf_free(&err);
		free(mp);
		free(names[i]);
	}
	/* every example: 6 + 5 (earlyoom) + 2 (findings) + 1 + 2 + 6 (kmem) + 3 (leak) + 7 (memcg) + 2 (memtester) + 4 (mglru) + 18 + 6 + 2 (stall) + 6 + 4 + 3 + 6 + 3 (zswap) cells today */
	cr_expect_eq(cells, 86);
	json_decref(recorded);
	free(rp);
	free(gdir);
	free(exdir);
}

/* Workloads competing in one VM (two touch, touch and alloc, with and
 * without swap, under overcommit 2, one at oom_score_adj -1000, one with
 * max_mb, shm + frag + touch): each cell PASSes the together rules
 * (docs/oracle.md). Before them, both -1000 cells FAILed (the VM panics
 * once the killable workload is gone: "ended vm_panic, predicted
 * oom_killed"). */
Test(examples, together_rules_hold_on_recorded_cells)
{
	char *dir = xasprintf("%s/tests/golden/together", root());
	char *mp = xasprintf("%s/cells.json", dir);
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(matrix_load(mp, &m, &err), 0, "%s: %s", mp, err.data);
	cr_assert_str_eq(m.digest, "c0c4e6a8113d07ed", "%s changed since it was recorded", mp);
	for (size_t c = 0; c < m.n_cells; c++) {
		char why[512];
		enum verdict v = judge_recorded(dir, &m.cells[c], why, sizeof why);
		cr_expect_eq(v, V_PASS, "%s: %s: %s", m.cells[c].id, verdict_name(v), why);
	}
	cr_expect_eq(m.n_cells, 18);
	matrix_free(&m);
	buf_free(&err);
	free(mp);
	free(dir);
}

/* What all workloads held at the first OOM kill, from their last samples
 * before it (judge/firstkill.c): two touch on 6.1 without swap, and shm +
 * frag + touch on 6.12 (frag had exited 4.3 s before: not counted). */
Test(examples, first_kill_adds_up_to_memory_available)
{
	static const struct {
		const char *id;
		size_t n_wl, victim;
		double held_mb, held_max_mb, figure_mb;
	} want[] = {
		{"61-two-touch", 2, 0, 185.24609375, 203.09648218, 181.4375},
		{"612-touch-frag-shm", 3, 2, 190.53125, 212.97570897, 186.1953125},
	};
	char *dir = xasprintf("%s/tests/golden/together", root());
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *sp = xasprintf("%s/%s.stream.xz", dir, want[i].id);
		char *cp = xasprintf("%s/%s.console.log.xz", dir, want[i].id);
		size_t sl, cl;
		char *stream = read_xz(sp, &sl), *console = read_xz(cp, &cl);
		struct cell_obs obs;
		collect_cell(stream, sl, console, cl, want[i].n_wl, &obs);
		int killed[3] = {0, 0, 0}, keeps[3] = {0, 0, 0};
		killed[want[i].victim] = 1;
		keeps[0] = want[i].n_wl == 3; /* shm keeps its segment */
		struct first_kill fk;
		first_kill_measure(&obs, killed, keeps, want[i].n_wl, &fk);
		cr_expect(fk.found);
		cr_expect_eq(fk.victim, want[i].victim);
		cr_expect_float_eq(fk.figure_mb, want[i].figure_mb, 1e-6, "%s: %f", want[i].id, fk.figure_mb);
		cr_expect_float_eq(fk.held_mb, want[i].held_mb, 1e-6, "%s: %f", want[i].id, fk.held_mb);
		char why[300] = "";
		cr_expect_eq(first_kill_verdict(&fk, why, sizeof why), V_PASS, "%s: %s", want[i].id, why);
		/* the same kill with half of them held: an early kill */
		cr_expect_float_eq(fk.held_max_mb, want[i].held_max_mb, 1e-6, "%s: %.8f", want[i].id,
				   fk.held_max_mb);
		fk.held_mb /= 2;
		fk.held_max_mb /= 2;
		cr_expect_eq(first_kill_verdict(&fk, why, sizeof why), V_FAIL);
		cr_expect_eq(strncmp(why, "early OOM kill: the workloads held at most ", 43), 0, "%s", why);
		cell_obs_free(&obs);
		free(stream);
		free(console);
		free(sp);
		free(cp);
	}
	free(dir);
}

/* What all workloads had committed at the first ENOMEM under
 * overcommit_memory=2 (judge/firstkill.c): Committed_AS at start plus the
 * VmSize of their last samples before it adds up to CommitLimit. The four
 * recorded together cells (two alloc, two touch; 6.1 and 6.12; ratio 50)
 * PASS (0.28..1.01 of CommitLimit on the lower estimate, 0.996..1.006 on
 * the upper); the same refusals with half of it committed FAIL as early
 * ones, with twice of it as late ones. In 61-two-alloc-commit the other
 * alloc mapped its 75 MB between two samples: only its peak sees it. */
Test(examples, first_enomem_adds_up_to_commit_limit)
{
	static const struct {
		const char *id;
		size_t first;
		double held_mb, held_max_mb, baseline_mb, figure_mb;
	} want[] = {
		{"61-two-alloc-commit", 0, 25.47265625, 99.76171875, 3.1875, 102.90625},
		{"61-two-touch-commit", 1, 99.76171875, 99.76171875, 3.1875, 102.90625},
		{"612-two-alloc-commit", 0, 103.77734375, 103.77734375, 3.1875, 106.34375},
		{"612-two-touch-commit", 0, 101.76953125, 102.7734375, 3.1875, 106.34375},
	};
	char *dir = xasprintf("%s/tests/golden/together", root());
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *sp = xasprintf("%s/%s.stream.xz", dir, want[i].id);
		char *cp = xasprintf("%s/%s.console.log.xz", dir, want[i].id);
		size_t sl, cl;
		char *stream = read_xz(sp, &sl), *console = read_xz(cp, &cl);
		struct cell_obs obs;
		collect_cell(stream, sl, console, cl, 2, &obs);
		int refused[2] = {1, 1}, keeps[2] = {0, 0};
		struct first_enomem fe;
		first_enomem_measure(&obs, refused, keeps, 2, &fe);
		cr_expect(fe.found, "%s", want[i].id);
		cr_expect_eq(fe.first, want[i].first, "%s: %zu", want[i].id, fe.first);
		cr_expect_float_eq(fe.figure_mb, want[i].figure_mb, 1e-6, "%s: %.8f", want[i].id, fe.figure_mb);
		cr_expect_float_eq(fe.baseline_mb, want[i].baseline_mb, 1e-6, "%s: %.8f", want[i].id,
				   fe.baseline_mb);
		cr_expect_float_eq(fe.held_mb, want[i].held_mb, 1e-6, "%s: %.8f", want[i].id, fe.held_mb);
		cr_expect_float_eq(fe.held_max_mb, want[i].held_max_mb, 1e-6, "%s: %.8f", want[i].id,
				   fe.held_max_mb);
		char why[300] = "";
		cr_expect_eq(first_enomem_verdict(&fe, why, sizeof why), V_PASS, "%s: %s", want[i].id, why);
		struct first_enomem off = fe;
		off.held_mb /= 2;
		off.held_max_mb /= 2;
		cr_expect_eq(first_enomem_verdict(&off, why, sizeof why), V_FAIL, "%s", want[i].id);
		cr_expect_eq(strncmp(why, "early ENOMEM: Committed_AS at start ", 36), 0, "%s", why);
		off = fe;
		off.held_mb = off.held_max_mb = 2 * fe.held_max_mb;
		cr_expect_eq(first_enomem_verdict(&off, why, sizeof why), V_FAIL, "%s", want[i].id);
		cr_expect_eq(strncmp(why, "late ENOMEM: Committed_AS at start ", 35), 0, "%s", why);
		cell_obs_free(&obs);
		free(stream);
		free(console);
		free(sp);
		free(cp);
	}
	free(dir);
}

/* The together cells under overcommit_memory=2 judged with a CommitLimit
 * twice what the guest had: each workload's own rule still accepts its
 * ENOMEM (a shared limit may end it at any MB below its upper bound), but
 * the workloads had committed half of the limit when the first one was
 * refused: the cell FAILs. With the recorded meminfo all four PASS
 * (together_rules_hold_on_recorded_cells). */
Test(examples, enomem_at_half_the_commit_limit_fails_the_cell)
{
	char *dir = xasprintf("%s/tests/golden/together", root());
	char *mp = xasprintf("%s/cells.json", dir);
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(matrix_load(mp, &m, &err), 0, "%s: %s", mp, err.data);
	size_t judged = 0;
	for (size_t c = 0; c < m.n_cells; c++) {
		const struct cell_spec *cs = &m.cells[c];
		if (!strstr(cs->id, "-commit"))
			continue;
		char *sp = xasprintf("%s/%s.stream.xz", dir, cs->id);
		char *cp = xasprintf("%s/%s.console.log.xz", dir, cs->id);
		size_t sl, cl;
		char *stream = read_xz(sp, &sl), *console = read_xz(cp, &cl);
		struct cell_obs obs;
		collect_cell(stream, sl, console, cl, cs->n_wl, &obs);
		json_t *cl_kb = json_object_get(obs.meminfo_start, "CommitLimit");
		cr_assert(json_is_integer(cl_kb), "%s", cs->id);
		json_object_set_new(obs.meminfo_start, "CommitLimit",
				    json_integer(2 * json_integer_value(cl_kb)));
		struct vm_result vr = {0};
		struct cell_outcome oc;
		outcome_compute(cs, &obs, &vr, &oc);
		cr_expect_eq(oc.verdict, V_FAIL, "%s: %s: %s", cs->id, verdict_name(oc.verdict), oc.why);
		cr_expect(strstr(oc.why, "early ENOMEM: Committed_AS at start 3 MB + the workloads' VmSize"),
			  "%s: %s", cs->id, oc.why);
		judged++;
		cell_outcome_free(&oc);
		cell_obs_free(&obs);
		free(stream);
		free(console);
		free(sp);
		free(cp);
	}
	cr_expect_eq(judged, 4);
	matrix_free(&m);
	buf_free(&err);
	free(mp);
	free(dir);
}
