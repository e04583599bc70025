// SPDX-License-Identifier: GPL-2.0-or-later
/* The mutation operators of a guided fuzz-knobs (plan/mutate.c), exact
 * for a fixed seed: each row's cell and note, a row that does not apply,
 * and the rows mutate_cell draws in turn. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "plan/mutate.h"

static json_t *axes_vals[3];
static struct mut_axis axes[3];
static struct mut_space space;

static void setup(void)
{
	axes_vals[0] = json_pack("[i,i,i]", 0, 1, 2);
	axes_vals[1] = json_pack("[s,s]", "42", "lz4");
	axes_vals[2] = json_pack("[i,i]", 0, 256);
	axes[0] = (struct mut_axis){"overcommit_memory", axes_vals[0], 1, 0, 2};
	axes[1] = (struct mut_axis){"zswap_compressor", axes_vals[1], 0, 0, 0};
	axes[2] = (struct mut_axis){"swap_mb", axes_vals[2], 1, 0, 256};
	space = (struct mut_space){axes, 3, json_pack("[s,{s:s,s:{s:i}}]", "alloc", "name", "touch", "options",
						      "max_mb", 32)};
}

static void teardown(void)
{
	for (int i = 0; i < 3; i++)
		json_decref(axes_vals[i]);
	json_decref(space.workloads);
}

static json_t *cell(void)
{
	return json_pack("{s:i,s:s,s:i,s:i,s:[s,{s:s,s:s,s:i}]}", "overcommit_memory", 0, "zswap_compressor", "42",
			 "swap_mb", 0, "cgroup.app.memory.max", 64, "workloads", "alloc", "name", "touch", "cgroup",
			 "app", "start_delay_ms", 1000);
}

/* Row name applied to the test cell with rng state 7: the cell as sorted
 * compact JSON, then " | " and the note ("-" when it does not apply). */
static char *apply(const char *name, json_t *c)
{
	const struct mutation *m = mutate_find(name);
	cr_assert(m, "%s", name);
	uint64_t rng = 7;
	struct buf note = {0};
	json_t *out = m->apply(c, &space, &rng, &note);
	char *s = out ? json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT) : xstrdup("-");
	char *r = xasprintf("%s | %s", s, note.len ? note.data : "-");
	free(s);
	buf_free(&note);
	json_decref(out);
	return r;
}

static void expect(const char *name, const char *want)
{
	json_t *c = cell();
	char *before = json_dumps(c, JSON_SORT_KEYS | JSON_COMPACT);
	char *got = apply(name, c);
	cr_expect_str_eq(got, want, "%s:\n%s", name, got);
	char *after = json_dumps(c, JSON_SORT_KEYS | JSON_COMPACT);
	cr_expect_str_eq(after, before, "%s changed its input", name);
	free(before);
	free(after);
	free(got);
	json_decref(c);
}

TestSuite(mutate, .init = setup, .fini = teardown);

Test(mutate, knob)
{
	expect("knob",
	       "{\"cgroup.app.memory.max\":64,\"overcommit_memory\":1,\"swap_mb\":0,\"workloads\":[\"alloc\",{\"cgroup\":\"app\",\"name\":\"touch\",\"start_delay_ms\":1000}],\"zswap_compressor\":\"42\"} | overcommit_memory 0 -> 1");
}

Test(mutate, workload_add)
{
	expect("workload-add",
	       "{\"cgroup.app.memory.max\":64,\"overcommit_memory\":0,\"swap_mb\":0,\"workloads\":[{\"name\":\"alloc\"},{\"cgroup\":\"app\",\"name\":\"touch\",\"start_delay_ms\":1000},{\"name\":\"touch\",\"options\":{\"max_mb\":32}}],\"zswap_compressor\":\"42\"} | added workloads[2] (touch)");
}

Test(mutate, workload_drop)
{
	expect("workload-drop",
	       "{\"cgroup.app.memory.max\":64,\"overcommit_memory\":0,\"swap_mb\":0,\"workloads\":[{\"name\":\"alloc\"}],\"zswap_compressor\":\"42\"} | dropped workloads[1] (touch)");
}

Test(mutate, workload_option)
{
	expect("workload-option",
	       "{\"cgroup.app.memory.max\":64,\"overcommit_memory\":0,\"swap_mb\":0,\"workloads\":[{\"name\":\"alloc\"},{\"cgroup\":\"app\",\"name\":\"touch\",\"options\":{\"block_kb\":512},\"start_delay_ms\":1000}],\"zswap_compressor\":\"42\"} | workloads[1] (touch) block_kb 1024 -> 512");
}

Test(mutate, group_limit)
{
	expect("group-limit",
	       "{\"cgroup.app.memory.max\":32,\"overcommit_memory\":0,\"swap_mb\":0,\"workloads\":[\"alloc\",{\"cgroup\":\"app\",\"name\":\"touch\",\"start_delay_ms\":1000}],\"zswap_compressor\":\"42\"} | cgroup.app.memory.max 64 -> 32");
}

Test(mutate, start_delay)
{
	expect("start-delay",
	       "{\"cgroup.app.memory.max\":64,\"overcommit_memory\":0,\"swap_mb\":0,\"workloads\":[{\"name\":\"alloc\"},{\"cgroup\":\"app\",\"name\":\"touch\",\"start_delay_ms\":1500}],\"zswap_compressor\":\"42\"} | workloads[1] (touch) start_delay_ms 1000 -> 1500");
}


/* Rows that do not apply: one workload left, no group limit, no axes. */
Test(mutate, not_applicable)
{
	json_t *c = json_pack("{s:[s]}", "workloads", "alloc");
	char *a = apply("workload-drop", c), *b = apply("group-limit", c);
	cr_expect_str_eq(a, "- | -");
	cr_expect_str_eq(b, "- | -");
	free(a);
	free(b);
	struct mut_space none = {NULL, 0, space.workloads};
	uint64_t rng = 1;
	struct buf note = {0};
	cr_expect_null(mutate_find("knob")->apply(c, &none, &rng, &note));
	buf_free(&note);
	json_decref(c);
}

/* The table: names unique, each found, each with help. */
Test(mutate, table)
{
	cr_expect_eq(mutate_count, 6);
	for (size_t i = 0; i < mutate_count; i++) {
		cr_expect_eq(mutate_find(mutate_table[i].name), &mutate_table[i], "%s", mutate_table[i].name);
		cr_expect(mutate_table[i].help && *mutate_table[i].help);
	}
	cr_expect_null(mutate_find("nope"));
}

/* mutate_cell from one seed: the same sequence of rows and notes every time. */
Test(mutate, sequence)
{
	uint64_t rng = 1;
	json_t *c = cell();
	struct buf all = {0}, note = {0};
	for (int i = 0; i < 8; i++) {
		const struct mutation *m = NULL;
		json_t *n = mutate_cell(c, &space, &rng, &m, &note);
		cr_assert(n);
		buf_printf(&all, "%s: %s\n", m->name, note.data);
		json_decref(c);
		c = n;
	}
	cr_expect_str_eq(all.data,
			 "start-delay: workloads[1] (touch) start_delay_ms 1000 -> 2500\n"
			 "start-delay: workloads[1] (touch) start_delay_ms 2500 -> 500\n"
			 "workload-option: workloads[1] (touch) block_kb 1024 -> 512\n"
			 "workload-option: workloads[0] (alloc) hold_ms 0 -> 64\n"
			 "group-limit: cgroup.app.memory.max 64 -> 128\n"
			 "start-delay: workloads[0] (alloc) start_delay_ms 0 -> 2000\n"
			 "group-limit: cgroup.app.memory.max 128 -> 256\n"
			 "workload-drop: dropped workloads[1] (touch)\n",
			 "\n%s", all.data);
	buf_free(&all);
	buf_free(&note);
	json_decref(c);
}
