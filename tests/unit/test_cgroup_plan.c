// SPDX-License-Identifier: GPL-2.0-or-later
/* Memory cgroups in matrix files and the /cell.conf lines they become. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/cellconf.h"
#include "plan/cgroup.h"
#include "plan/matrix.h"
#include "mtext.h"
#include "lib/util.h"

static char mdir[128];

static void setup(void)
{
	mtext_dir(mdir, sizeof mdir, "cgtest");
}

static void teardown(void)
{
	rm_rf(mdir);
}

TestSuite(cgplan, .init = setup, .fini = teardown);

static int load(const char *text, struct matrix *m, struct buf *err)
{
	return mtext_load(mdir, text, m, err);
}

Test(cgplan, file_table_rows)
{
	static const struct {
		const char *name;
		enum cg_type type;
	} want[] = {
		{"memory.max", CG_SIZE},      {"memory.high", CG_SIZE},      {"memory.low", CG_SIZE},
		{"memory.min", CG_SIZE},      {"memory.swap.max", CG_SIZE},  {"memory.zswap.max", CG_SIZE},
		{"memory.oom.group", CG_BOOL},
	};
	cr_assert_eq(cg_file_count, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < cg_file_count; i++) {
		cr_expect_str_eq(cg_file_table[i].name, want[i].name);
		cr_expect_eq(cg_file_table[i].type, want[i].type, "%s", want[i].name);
		cr_expect_not_null(cg_file_table[i].help);
		cr_expect_eq(cg_file_find(want[i].name), &cg_file_table[i]);
	}
	cr_expect_null(cg_file_find("memory.current"));
}

Test(cgplan, group_paths)
{
	cr_expect_null(cg_path_invalid("app"));
	cr_expect_null(cg_path_invalid("a/b-c/d_e/0123456789abcdef0123456789abcdef"));
	cr_expect_not_null(cg_path_invalid(""));
	cr_expect_not_null(cg_path_invalid("App"));
	cr_expect_not_null(cg_path_invalid("app/"));
	cr_expect_not_null(cg_path_invalid("/app"));
	cr_expect_not_null(cg_path_invalid("a//b"));
	cr_expect_not_null(cg_path_invalid(".."));
	cr_expect_not_null(cg_path_invalid("a/b/c/d/e"));
	cr_expect_not_null(cg_path_invalid("0123456789abcdef0123456789abcdef0"));
}

Test(cgplan, groups_land_in_the_cell_parents_first_sizes_in_bytes)
{
	struct matrix m;
	struct buf err = {0};
	int r = load("{\"base\":{\"cgroup.web.memory.oom.group\":1},\"cells\":[{\"name\":\"c\","
		     "\"cgroup.app/db.memory.max\":32,\"cgroup.app.memory.high\":\"max\","
		     "\"cgroup.app.memory.max\":64,\"cgroup.app.memory.swap.max\":0,"
		     "\"workloads\":[{\"name\":\"touch\",\"cgroup\":\"app/db\"},\"alloc\","
		     "{\"name\":\"touch\",\"cgroup\":\"x/y\"}]}]}",
		     &m, &err);
	cr_assert_eq(r, 0, "%s", err.data);
	const struct cell_spec *c = &m.cells[0];
	cr_assert_eq(c->n_cg, 5);
	const char *paths[] = {"app", "app/db", "web", "x", "x/y"};
	const int children[] = {1, 0, 0, 1, 0};
	const size_t nsets[] = {3, 1, 1, 0, 0};
	for (size_t i = 0; i < 5; i++) {
		cr_expect_str_eq(c->cg[i].path, paths[i]);
		cr_expect_eq(c->cg[i].has_children, children[i], "%s", paths[i]);
		cr_expect_eq(c->cg[i].n_sets, nsets[i], "%s", paths[i]);
	}
	/* table order, whatever the order of the keys */
	cr_expect_str_eq(c->cg[0].sets[0].file->name, "memory.max");
	cr_expect_str_eq(c->cg[0].sets[0].value, "67108864");
	cr_expect_eq(c->cg[0].sets[0].num, 64);
	cr_expect_str_eq(c->cg[0].sets[1].file->name, "memory.high");
	cr_expect_str_eq(c->cg[0].sets[1].value, "max");
	cr_expect_eq(c->cg[0].sets[1].num, CG_MAX);
	cr_expect_str_eq(c->cg[0].sets[2].file->name, "memory.swap.max");
	cr_expect_str_eq(c->cg[0].sets[2].value, "0");
	cr_expect_str_eq(c->cg[1].sets[0].value, "33554432");
	cr_expect_str_eq(c->cg[2].sets[0].file->name, "memory.oom.group");
	cr_expect_str_eq(c->cg[2].sets[0].value, "1");
	cr_expect_eq(cg_find(c, "app/db"), &c->cg[1]);
	cr_expect_null(cg_find(c, "db"));
	cr_expect_eq(cg_find_set(&c->cg[0], "memory.high"), &c->cg[0].sets[1]);
	cr_expect_null(cg_find_set(&c->cg[0], "memory.low"));
	cr_expect_str_eq(c->wl[0].cgroup, "app/db");
	cr_expect_null(c->wl[1].cgroup);
	cr_expect_str_eq(c->wl[2].cgroup, "x/y");
	/* group files are not plain guest knobs */
	cr_expect_eq(c->n_sets, 0);
	matrix_free(&m);
}

Test(cgplan, a_cell_without_groups_has_none)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"cells\":[{\"workloads\":[\"alloc\"]}]}", &m, &err), 0, "%s", err.data);
	cr_expect_eq(m.cells[0].n_cg, 0);
	cr_expect_null(m.cells[0].cg);
	char *conf = cellconf_build(&m.cells[0], NULL);
	cr_expect_null(strstr(conf, "cgroup"), "%s", conf);
	free(conf);
	matrix_free(&m);
}

Test(cgplan, cellconf_creates_groups_then_sets_and_reads_every_file)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"cells\":[{\"name\":\"c\",\"cgroup.app.memory.max\":64,"
			  "\"cgroup.app.memory.high\":48,\"cgroup.app/db.memory.oom.group\":1,"
			  "\"workloads\":[\"alloc\",{\"name\":\"touch\",\"cgroup\":\"app/db\","
			  "\"start_delay_ms\":5}]}]}",
			  &m, &err),
		     0, "%s", err.data);
	char *conf = cellconf_build(&m.cells[0], NULL);
	static const char want[] =
		"cgroup_stat\tanon\tfile\tshmem\tpgscan\tpgsteal\tworkingset_refault_anon\t"
		"workingset_refault_file\tkernel\tslab\tsock\tkernel_stack\tpagetables\n"
		"cgroup\tapp\n"
		"set\tcgroup.app.memory.max\t/sys/fs/cgroup/app/memory.max\t67108864\n"
		"set\tcgroup.app.memory.high\t/sys/fs/cgroup/app/memory.high\t50331648\n"
		"get\tcgroup.app.memory.low\t/sys/fs/cgroup/app/memory.low\n"
		"get\tcgroup.app.memory.min\t/sys/fs/cgroup/app/memory.min\n"
		"get\tcgroup.app.memory.swap.max\t/sys/fs/cgroup/app/memory.swap.max\n"
		"get\tcgroup.app.memory.zswap.max\t/sys/fs/cgroup/app/memory.zswap.max\n"
		"get\tcgroup.app.memory.oom.group\t/sys/fs/cgroup/app/memory.oom.group\n"
		"cgroup\tapp/db\n"
		"get\tcgroup.app/db.memory.max\t/sys/fs/cgroup/app/db/memory.max\n"
		"get\tcgroup.app/db.memory.high\t/sys/fs/cgroup/app/db/memory.high\n"
		"get\tcgroup.app/db.memory.low\t/sys/fs/cgroup/app/db/memory.low\n"
		"get\tcgroup.app/db.memory.min\t/sys/fs/cgroup/app/db/memory.min\n"
		"get\tcgroup.app/db.memory.swap.max\t/sys/fs/cgroup/app/db/memory.swap.max\n"
		"get\tcgroup.app/db.memory.zswap.max\t/sys/fs/cgroup/app/db/memory.zswap.max\n"
		"set\tcgroup.app/db.memory.oom.group\t/sys/fs/cgroup/app/db/memory.oom.group\t1\n"
		"mode\ttogether\n"
		"workload\t0\talloc\t-\t-\t/bin/oomlab-wl\talloc\n"
		"workload\t1\ttouch\t-\t-\t/bin/oomlab-wl\ttouch\n"
		"delay\t1\t5\n"
		"wl_cgroup\t1\tapp/db\n";
	const char *at = strstr(conf, "cgroup_stat\t");
	cr_assert_not_null(at, "%s", conf);
	cr_expect_str_eq(at, want);
	/* the plain knobs are read back before the groups */
	cr_expect_lt(strstr(conf, "get\tswappiness") - conf, at - conf);
	free(conf);
	matrix_free(&m);
}

Test(cgplan, a_group_file_is_an_axis)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"axes\":{\"cgroup.app.memory.max\":[64,96,128,\"max\"]},"
			  "\"exclude\":[{\"cgroup.app.memory.max\":128}],"
			  "\"workloads\":[{\"name\":\"touch\",\"cgroup\":\"app\"}]}",
			  &m, &err),
		     0, "%s", err.data);
	cr_assert_eq(m.n_cells, 3);
	const char *ids[] = {"cgroup-app-memory-max-64", "cgroup-app-memory-max-96",
			     "cgroup-app-memory-max-max"};
	const char *vals[] = {"67108864", "100663296", "max"};
	for (size_t i = 0; i < 3; i++) {
		cr_expect_str_eq(m.cells[i].id, ids[i]);
		cr_assert_eq(m.cells[i].n_cg, 1);
		cr_assert_eq(m.cells[i].cg[0].n_sets, 1);
		cr_expect_str_eq(m.cells[i].cg[0].sets[0].value, vals[i]);
	}
	matrix_free(&m);
}

Test(cgplan, errors_name_file_path_and_what_is_allowed)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"{\"base\":{\"cgroup.App.memory.max\":64},\"workloads\":[\"alloc\"],\"cells\":[{}]}",
		 "base.cgroup.App.memory.max: group \"App\" has a character that is not allowed; a group "
		 "is segments of a-z, 0-9, '_' and '-' (1..32 characters) joined by '/', at most 4 levels"},
		{"{\"base\":{\"cgroup.app.memory.maxx\":64},\"workloads\":[\"alloc\"],\"cells\":[{}]}",
		 "base.cgroup.app.memory.maxx: unknown cgroup file \"memory.maxx\" (allowed: memory.max, "
		 "memory.high, memory.low, memory.min, memory.swap.max, memory.zswap.max, memory.oom.group)"},
		{"{\"base\":{\"cgroup.app\":64},\"workloads\":[\"alloc\"],\"cells\":[{}]}",
		 "base.cgroup.app: a group file is cgroup.<group>.<file>, e.g. cgroup.app.memory.max"},
		{"{\"cells\":[{\"cgroup.a/b/c/d/e.memory.max\":1,\"workloads\":[\"alloc\"]}]}",
		 "cells[0].cgroup.a/b/c/d/e.memory.max: group \"a/b/c/d/e\" has more than 4 levels"},
		{"{\"cells\":[{\"cgroup.app.memory.max\":-1,\"workloads\":[\"alloc\"]}]}",
		 "cells[0].cgroup.app.memory.max: must be an integer in 0..1048576 (MiB) or \"max\""},
		{"{\"cells\":[{\"cgroup.app.memory.high\":\"64M\",\"workloads\":[\"alloc\"]}]}",
		 "cells[0].cgroup.app.memory.high: must be an integer in 0..1048576 (MiB) or \"max\""},
		{"{\"cells\":[{\"cgroup.app.memory.oom.group\":2,\"workloads\":[\"alloc\"]}]}",
		 "cells[0].cgroup.app.memory.oom.group: must be 0 or 1"},
		{"{\"axes\":{\"cgroup.app.memory.max\":[64,1048577]},\"workloads\":[\"alloc\"]}",
		 "axes.cgroup.app.memory.max[1]: must be an integer in 0..1048576 (MiB) or \"max\""},
		{"{\"axes\":{\"cgroup.app.memory.mx\":[64]},\"workloads\":[\"alloc\"]}",
		 "axes.cgroup.app.memory.mx: unknown cgroup file \"memory.mx\""},
		{"{\"axes\":{\"cgroup.app.memory.max\":[64,64]},\"workloads\":[\"alloc\"]}",
		 "axes.cgroup.app.memory.max[1]: repeats the value of axes.cgroup.app.memory.max[0]"},
		{"{\"axes\":{\"swappiness\":[1]},\"exclude\":[{\"cgroup.app.memory.max\":\"x\"}],"
		 "\"workloads\":[\"alloc\"]}",
		 "exclude[0].cgroup.app.memory.max: must be an integer in 0..1048576 (MiB) or \"max\""},
		{"{\"cells\":[{\"workloads\":[{\"name\":\"alloc\",\"cgroup\":\"app/\"}]}]}",
		 "cells[0].workloads[0].cgroup: an empty segment; a group is segments"},
		{"{\"cells\":[{\"workloads\":[{\"name\":\"alloc\",\"cgroup\":7}]}]}",
		 "cells[0].workloads[0].cgroup: not a string; a group is segments of a-z, 0-9, '_' and '-' "
		 "joined by '/', e.g. \"app/db\""},
		{"{\"cells\":[{\"cgroup.app/db.memory.max\":8,"
		 "\"workloads\":[\"alloc\",{\"name\":\"alloc\",\"cgroup\":\"app\"}]}]}",
		 "cells[0].workloads[1].cgroup: group \"app\" has child groups: with the memory controller "
		 "enabled below it, cgroup v2 lets no process run in it; name a leaf group"},
		{"{\"cells\":[{\"cgroup.a/b/c/d.memory.max\":8,\"cgroup.e/f/g/h.memory.max\":8,"
		 "\"cgroup.x.memory.max\":8,\"workloads\":[\"alloc\"]}]}",
		 "cells[0]: the cell has 9 memory cgroups (parents included); at most 8"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct matrix m;
		struct buf err = {0};
		cr_expect_eq(load(cases[i].text, &m, &err), -1, "case %zu", i);
		cr_expect_not_null(err.data, "case %zu", i);
		if (!err.data)
			continue;
		cr_expect_not_null(strstr(err.data, "/m.json: "), "case %zu: %s", i, err.data);
		cr_expect_not_null(strstr(err.data, cases[i].want), "case %zu: %s", i, err.data);
		cr_expect_null(strchr(err.data, '\n'), "case %zu: one line: %s", i, err.data);
		buf_free(&err);
	}
}
