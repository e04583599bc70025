// SPDX-License-Identifier: GPL-2.0-or-later
/* The matrix key "allow" (docs/findings.md): kernel findings a cell
 * expects, by kind word or exact title, at the top level (every cell) and
 * in a cell (added to the matrix's); every bad value one error line. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "mtext.h"
#include "lib/util.h"
#include "lib/vocab.h"
#include "plan/matrix.h"

static char mdir[128];

static void setup(void)
{
	mtext_dir(mdir, sizeof mdir, "atest");
}

static void teardown(void)
{
	rm_rf(mdir);
}

TestSuite(matrix_allow, .init = setup, .fini = teardown);

static int load(const char *text, struct matrix *m, struct buf *err)
{
	return mtext_load(mdir, text, m, err);
}

Test(matrix_allow, top_level_then_the_cells_own_without_repeats)
{
	struct matrix m;
	struct buf err = {0};
	int r = load("{\"allow\":[\"alloc_failure\",\"WARNING in __alloc_pages_slowpath\"],"
		     "\"axes\":{\"swappiness\":[0]},\"workloads\":[\"touch\"],"
		     "\"include\":[{\"name\":\"own\",\"allow\":[\"hung_task\",\"alloc_failure\","
		     "\"INFO: task hung in folio_wait_bit_common\"]},"
		     "{\"name\":\"empty\",\"allow\":[]}]}",
		     &m, &err);
	cr_assert_eq(r, 0, "%s", err.data);
	cr_assert_eq(m.n_cells, 3);
	const struct cell_spec *sweep = &m.cells[0], *own = &m.cells[1], *empty = &m.cells[2];
	cr_assert_eq(sweep->n_allow, 2);
	cr_expect_str_eq(sweep->allow[0], "alloc_failure");
	cr_expect_str_eq(sweep->allow[1], "WARNING in __alloc_pages_slowpath");
	cr_assert_eq(own->n_allow, 4);
	cr_expect_str_eq(own->allow[0], "alloc_failure");
	cr_expect_str_eq(own->allow[1], "WARNING in __alloc_pages_slowpath");
	cr_expect_str_eq(own->allow[2], "hung_task");
	cr_expect_str_eq(own->allow[3], "INFO: task hung in folio_wait_bit_common");
	cr_assert_eq(empty->n_allow, 2);
	/* "allow" is no knob: the requested knobs do not hold it */
	cr_expect_null(json_object_get(own->requested, "allow"));
	matrix_free(&m);
	buf_free(&err);
}

Test(matrix_allow, none_given_is_none_allowed)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"cells\":[{\"workloads\":[\"touch\"]}]}", &m, &err), 0, "%s", err.data);
	cr_expect_eq(m.cells[0].n_allow, 0);
	cr_expect_null(m.cells[0].allow);
	matrix_free(&m);
	buf_free(&err);
}

Test(matrix_allow, every_kind_word_is_accepted)
{
	struct buf text = {0};
	buf_printf(&text, "{\"allow\":[");
	for (int i = 0; i < FINDING_KIND_COUNT; i++)
		buf_printf(&text, "%s\"%s\"", i ? "," : "", finding_kind_table[i].word);
	buf_printf(&text, "],\"cells\":[{\"workloads\":[\"touch\"]}]}");
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load(text.data, &m, &err), 0, "%s", err.data);
	cr_assert_eq(m.cells[0].n_allow, FINDING_KIND_COUNT);
	for (int i = 0; i < FINDING_KIND_COUNT; i++)
		cr_expect_str_eq(m.cells[0].allow[i], finding_kind_table[i].word);
	matrix_free(&m);
	buf_free(&err);
	buf_free(&text);
}

#define KINDS                                                                                         \
	"kinds: warning, bug, kernel_bug, oops, gpf, soft_lockup, hard_lockup, hung_task, rcu_stall, " \
	"atomic_sleep, bad_page, bad_rss, kasan, kfence, alloc_failure, oom_no_victim, stall"

/* Each bad value: the whole message, one line, exit 2 (oomlab plan:
 * tests/integration and docs/findings.md). */
Test(matrix_allow, each_bad_value_is_one_exact_error)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"{\"allow\":\"warning\",\"cells\":[{\"workloads\":[\"touch\"]}]}",
		 "allow: must be a list of finding kinds or titles (" KINDS ")"},
		{"{\"allow\":{\"warning\":1},\"cells\":[{\"workloads\":[\"touch\"]}]}",
		 "allow: must be a list of finding kinds or titles (" KINDS ")"},
		{"{\"allow\":[\"warning\",\"warnings\"],\"cells\":[{\"workloads\":[\"touch\"]}]}",
		 "allow[1]: \"warnings\" is not a finding kind (" KINDS
		 "; a title has a space, e.g. \"WARNING in __alloc_pages_slowpath\")"},
		{"{\"allow\":[\"WARNING\"],\"cells\":[{\"workloads\":[\"touch\"]}]}",
		 "allow[0]: \"WARNING\" is not a finding kind (" KINDS
		 "; a title has a space, e.g. \"WARNING in __alloc_pages_slowpath\")"},
		{"{\"allow\":[3],\"cells\":[{\"workloads\":[\"touch\"]}]}",
		 "allow[0]: must be a finding kind or a one-line title (" KINDS ")"},
		{"{\"allow\":[\"\"],\"cells\":[{\"workloads\":[\"touch\"]}]}",
		 "allow[0]: must be a finding kind or a one-line title (" KINDS ")"},
		{"{\"allow\":[\"WARNING in\\nfoo\"],\"cells\":[{\"workloads\":[\"touch\"]}]}",
		 "allow[0]: must be a finding kind or a one-line title (" KINDS ")"},
		{"{\"cells\":[{\"workloads\":[\"touch\"]},{\"name\":\"b\",\"allow\":[\"hung_task\",null],"
		 "\"workloads\":[\"touch\"]}]}",
		 "cells[1].allow[1]: must be a finding kind or a one-line title (" KINDS ")"},
		{"{\"cells\":[{\"allow\":\"hung_task\",\"workloads\":[\"touch\"]}]}",
		 "cells[0].allow: must be a list of finding kinds or titles (" KINDS ")"},
		{"{\"axes\":{\"swappiness\":[0]},\"include\":[{\"name\":\"x\",\"allow\":[\"lockup\"]}],"
		 "\"workloads\":[\"touch\"]}",
		 "include[0].allow[0]: \"lockup\" is not a finding kind (" KINDS
		 "; a title has a space, e.g. \"WARNING in __alloc_pages_slowpath\")"},
		/* a knob object takes no allow: the key belongs to a cell */
		{"{\"base\":{\"allow\":[\"warning\"]},\"cells\":[{\"workloads\":[\"touch\"]}]}",
		 "base.allow: unknown key (allowed: or a knob (oomlab knobs lists them))"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct matrix m;
		struct buf err = {0};
		cr_expect_eq(load(cases[i].text, &m, &err), -1, "case %zu", i);
		cr_assert_not_null(err.data, "case %zu", i);
		char *want = xasprintf("%s/m.json: %s", mdir, cases[i].want);
		cr_expect_str_eq(err.data, want, "case %zu", i);
		cr_expect_null(strchr(err.data, '\n'), "case %zu: one line", i);
		free(want);
		buf_free(&err);
	}
}
