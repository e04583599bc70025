// SPDX-License-Identifier: GPL-2.0-or-later
/* Matrix files and the /cell.conf they turn into. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "proto/cellconf.h"
#include "plan/hostfiles.h"
#include "plan/knobs.h"
#include "plan/matrix.h"
#include "boot/modules.h"
#include "mtext.h"
#include "lib/util.h"

static char mdir[128];

static void setup(void)
{
	mtext_dir(mdir, sizeof mdir, "mtest");
}

static void teardown(void)
{
	rm_rf(mdir);
}

TestSuite(matrix, .init = setup, .fini = teardown);

static int load(const char *text, struct matrix *m, struct buf *err)
{
	return mtext_load(mdir, text, m, err);
}

Test(matrix, base_merges_under_cells_and_defaults_apply)
{
	struct matrix m;
	struct buf err = {0};
	int r = load("{\"name\":\"x\",\"timeout_s\":50,\"base\":{\"ram_mb\":512,\"swappiness\":10},"
		     "\"workloads\":[\"alloc\"],"
		     "\"cells\":[{\"name\":\"A b\",\"swappiness\":60},{\"ram_mb\":128,\"sample_ms\":20,"
		     "\"workloads\":[{\"name\":\"touch\",\"options\":{\"block_kb\":4096,\"fill\":7},"
		     "\"rlimit_as_mb\":64,\"oom_score_adj\":-5,\"expect\":\"enomem\"}]}]}",
		     &m, &err);
	cr_assert_eq(r, 0, "%s", err.data);
	cr_assert_eq(m.n_cells, 2);
	const struct cell_spec *a = &m.cells[0], *b = &m.cells[1];
	cr_expect_str_eq(a->id, "a-b");
	cr_expect_eq(a->ram_mb, 512);
	cr_expect_eq(a->swap_mb, 0);
	cr_expect_eq(a->cpus, 1);
	cr_expect_eq(a->timeout_s, 50);
	cr_expect_eq(a->sample_ms, 100);
	cr_assert_eq(a->n_sets, 1);
	cr_expect_str_eq(a->sets[0].path, "/proc/sys/vm/swappiness");
	cr_expect_str_eq(a->sets[0].value, "60");
	cr_expect_str_eq(a->wl[0].name, "alloc");
	cr_expect_eq(a->wl[0].rlimit_as_mb, KNOB_UNSET);
	/* the unnamed cell is named after its knobs */
	cr_expect_str_eq(b->name, "ram_mb=128 swappiness=10");
	cr_expect_eq(b->ram_mb, 128);
	cr_expect_eq(b->sample_ms, 20);
	cr_expect_eq(b->wl[0].rlimit_as_mb, 64);
	cr_expect_eq(b->wl[0].oom_score_adj, -5);
	cr_expect_str_eq(b->wl[0].expect, "enomem");
	cr_assert_eq(b->wl[0].n_args, 4);
	cr_expect_str_eq(b->wl[0].args[0], "--block-kb");
	cr_expect_str_eq(b->wl[0].args[1], "4096");
	cr_expect_str_eq(b->wl[0].args[2], "--fill");
	matrix_free(&m);
	matrix_free(&m); /* idempotent */
	buf_free(&err);
}

/* The knob table lands each VM and workload knob in a field (offsetof):
 * set every one to a value no other takes and read each field back. */
Test(matrix, each_knob_lands_in_its_own_field)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"cells\":[{\"name\":\"all\",\"ram_mb\":300,\"swap_mb\":77,"
			  "\"swap_type\":\"zram\",\"cpus\":3,\"kernel\":\"/k/bzImage\","
			  "\"modules\":\"/k/modules\",\"cmdline\":\"quiet\",\"rlimit_as_mb\":55,"
			  "\"oom_score_adj\":66,\"workloads\":[\"alloc\",{\"name\":\"touch\","
			  "\"rlimit_as_mb\":11,\"oom_score_adj\":-22}]},"
			  "{\"name\":\"none\",\"workloads\":[\"alloc\"]},"
			  "{\"name\":\"disk\",\"swap_type\":\"disk\",\"workloads\":[\"alloc\"]}]}",
			  &m, &err),
		     0, "%s", err.data);
	const struct cell_spec *a = &m.cells[0], *n = &m.cells[1], *d = &m.cells[2];
	cr_expect_eq(a->ram_mb, 300);
	cr_expect_eq(a->swap_mb, 77);
	cr_expect_eq(a->swap_zram, 1);
	cr_expect_eq(a->cpus, 3);
	cr_expect_str_eq(a->kernel, "/k/bzImage");
	cr_expect_str_eq(a->modules, "/k/modules");
	cr_expect_str_eq(a->cmdline, "quiet");
	cr_expect_eq(a->n_sets, 0, "a VM or workload knob became a guest write");
	cr_expect_eq(a->wl[0].rlimit_as_mb, 55);
	cr_expect_eq(a->wl[0].oom_score_adj, 66);
	cr_expect_eq(a->wl[1].rlimit_as_mb, 11);
	cr_expect_eq(a->wl[1].oom_score_adj, -22);
	/* not given: the table's defaults */
	cr_expect_eq(n->ram_mb, 256);
	cr_expect_eq(n->swap_mb, 0);
	cr_expect_eq(n->swap_zram, 0);
	cr_expect_eq(n->cpus, 1);
	cr_expect_null(n->kernel);
	cr_expect_null(n->modules);
	cr_expect_null(n->cmdline);
	cr_expect_eq(n->wl[0].rlimit_as_mb, KNOB_UNSET);
	cr_expect_eq(n->wl[0].oom_score_adj, KNOB_UNSET);
	cr_expect_eq(d->swap_zram, 0);
	matrix_free(&m);
	buf_free(&err);
}

/* Every guest knob is a guest write, in the table's order, and lands
 * nowhere else; every other knob names a field past the first (an offset
 * left out would be 0: the cell's id, the workload's name). */
Test(matrix, guest_knobs_are_writes_in_table_order)
{
	struct buf text = {0};
	size_t n_guest = 0;
	buf_printf(&text, "{\"cells\":[{\"workloads\":[\"alloc\"]");
	for (size_t i = 0; i < knob_count; i++) {
		const struct knob *k = &knob_table[i];
		if (k->scope != SCOPE_GUEST) {
			cr_expect_gt(k->offset, 0, "%s has no offset", k->name);
			continue;
		}
		cr_expect_eq(k->offset, 0, "%s: a guest knob lands in no field", k->name);
		if (!strcmp(k->name, "overcommit_kbytes"))
			continue; /* excludes overcommit_ratio */
		if (k->type == KNOB_MAP && k->keys) {
			cr_expect_not_null(strchr(k->path, '*'), "%s", k->name);
			buf_printf(&text, ",\"%s\":{\"%s\":\"%s\"}", k->name, k->keys[0], k->choices[0]);
		} else if (k->type == KNOB_MAP) {
			cr_expect_null(k->path, "%s", k->name);
			buf_printf(&text, ",\"%s\":{\"vm.x\":1}", k->name);
		} else if (k->type == KNOB_ENUM) {
			cr_expect_not_null(k->path, "%s", k->name);
			buf_printf(&text, ",\"%s\":\"%s\"", k->name, k->choices[0]);
		} else {
			cr_expect_not_null(k->path, "%s", k->name);
			buf_printf(&text, ",\"%s\":%lld", k->name, k->min);
		}
		n_guest++;
	}
	buf_printf(&text, "}]}");
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load(text.data, &m, &err), 0, "%s: %s", text.data, err.data);
	const struct cell_spec *c = &m.cells[0];
	cr_assert_eq(c->n_sets, n_guest);
	size_t j = 0;
	for (size_t i = 0; i < knob_count; i++) {
		const struct knob *k = &knob_table[i];
		if (k->scope != SCOPE_GUEST || !strcmp(k->name, "overcommit_kbytes"))
			continue;
		if (k->type == KNOB_MAP && k->keys) {
			char *label = xasprintf("%s:%s", k->name, k->keys[0]);
			cr_expect_str_eq(c->sets[j].name, label);
			cr_expect_str_eq(c->sets[j].value, k->choices[0]);
			cr_expect_null(strchr(c->sets[j].path, '*'), "%s", c->sets[j].path);
			free(label);
		} else if (k->type == KNOB_MAP) {
			cr_expect_str_eq(c->sets[j].name, "sysctl:vm.x");
			cr_expect_str_eq(c->sets[j].path, "/proc/sys/vm/x");
		} else {
			cr_expect_str_eq(c->sets[j].name, k->name);
			cr_expect_str_eq(c->sets[j].path, k->path);
		}
		j++;
	}
	cr_expect_eq(c->ram_mb, 256);
	cr_expect_eq(c->wl[0].rlimit_as_mb, KNOB_UNSET);
	matrix_free(&m);
	buf_free(&err);
	buf_free(&text);
}

Test(matrix, cell_values_win_over_base_and_cell_rlimit_is_workload_default)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"base\":{\"rlimit_as_mb\":100,\"overcommit_memory\":1},"
			  "\"cells\":[{\"overcommit_memory\":2,\"sysctl\":{\"vm.dirty_ratio\":5,"
			  "\"kernel.panic\":\"3\"},\"transparent_hugepage\":\"never\","
			  "\"workloads\":[\"alloc\",{\"name\":\"touch\",\"rlimit_as_mb\":7}]}]}",
			  &m, &err),
		     0, "%s", err.data);
	const struct cell_spec *c = &m.cells[0];
	cr_expect_eq(c->wl[0].rlimit_as_mb, 100);
	cr_expect_eq(c->wl[1].rlimit_as_mb, 7);
	int seen_oc = 0, seen_dirty = 0, seen_thp = 0, seen_panic = 0;
	for (size_t i = 0; i < c->n_sets; i++) {
		if (!strcmp(c->sets[i].name, "overcommit_memory")) {
			cr_expect_str_eq(c->sets[i].value, "2");
			seen_oc = 1;
		}
		if (!strcmp(c->sets[i].name, "sysctl:vm.dirty_ratio")) {
			cr_expect_str_eq(c->sets[i].path, "/proc/sys/vm/dirty_ratio");
			seen_dirty = 1;
		}
		if (!strcmp(c->sets[i].name, "sysctl:kernel.panic")) {
			cr_expect_str_eq(c->sets[i].value, "3");
			seen_panic = 1;
		}
		if (!strcmp(c->sets[i].name, "transparent_hugepage")) {
			cr_expect_str_eq(c->sets[i].path, "/sys/kernel/mm/transparent_hugepage/enabled");
			seen_thp = 1;
		}
	}
	cr_expect(seen_oc && seen_dirty && seen_thp && seen_panic);
	matrix_free(&m);
	buf_free(&err);
}

Test(matrix, errors_name_file_path_and_what_is_allowed)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"[]", "$: the top level must be an object"},
		{"{\"cells\":[]}", "$: no cells: give \"axes\""},
		{"{\"cells\":[{}]}", "cells[0].workloads: needs a non-empty array"},
		{"{\"cells\":[{\"ram_mb\":\"256\",\"workloads\":[\"alloc\"]}]}",
		 "cells[0].ram_mb: must be an integer in 64..65536"},
		{"{\"cells\":[{\"ram_mb\":32,\"workloads\":[\"alloc\"]}]}",
		 "cells[0].ram_mb: 32 is out of range (allowed 64..65536)"},
		{"{\"base\":{\"bogus\":1},\"cells\":[{\"workloads\":[\"alloc\"]}]}", "base.bogus: unknown key"},
		{"{\"cells\":[{\"workloads\":[{\"name\":\"alloc\",\"bogus\":1}]}]}",
		 "cells[0].workloads[0].bogus: unknown key (allowed: name, options, rlimit_as_mb, oom_score_adj, start_delay_ms, expect, cgroup)"},
		{"{\"cells\":[{\"workloads\":[{\"name\":\"alloc\",\"expect\":\"OOM_KILLED\"}]}]}",
		 "cells[0].workloads[0].expect: must be one of: enomem, oom_killed, killed, exit, timeout, vm_panic, vm_lost"},
		{"{\"cells\":[{\"workloads\":[{\"name\":\"alloc\",\"options\":{\"fill\":1}}]}]}",
		 "options.fill: unknown option of alloc (allowed: block_kb (1..1048576 KiB), max_mb"},
		{"{\"cells\":[{\"workloads\":[{\"name\":\"alloc\",\"oom_score_adj\":-1001}]}]}",
		 "cells[0].workloads[0].oom_score_adj: -1001 is out of range (allowed -1000..1000)"},
		{"{\"cells\":[{\"cmdline\":\"a\\tb\",\"workloads\":[\"alloc\"]}]}",
		 "cells[0].cmdline: must be a non-empty string without tabs or newlines"},
		{"{\"mode\":\"parallel\",\"cells\":[{\"workloads\":[\"alloc\"]}]}",
		 "mode: must be \"together\" or \"sequence\""},
		{"{\"timeout_s\":1,\"cells\":[{\"workloads\":[\"alloc\"]}]}", "timeout_s: 1 is out of range"},
		{"{\"cells\":[{\"name\":\"x\",\"name\":\"y\",\"workloads\":[\"alloc\"]}]}", "not valid JSON"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct matrix m;
		struct buf err = {0};
		cr_expect_eq(load(cases[i].text, &m, &err), -1, "case %zu", i);
		cr_expect_not_null(err.data, "case %zu", i);
		if (!err.data)
			continue;
		cr_expect_not_null(strstr(err.data, "/m.json"), "case %zu: %s", i, err.data);
		cr_expect_not_null(strstr(err.data, cases[i].want), "case %zu: %s", i, err.data);
		buf_free(&err);
	}
}

Test(matrix, cellconf_lists_modules_knobs_swap_and_workloads_in_order)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"mode\":\"sequence\",\"cells\":[{\"name\":\"c\",\"swap_mb\":64,"
			  "\"overcommit_memory\":2,\"timeout_s\":60,\"workloads\":[{\"name\":\"alloc\","
			  "\"rlimit_as_mb\":128},{\"name\":\"touch\",\"oom_score_adj\":300,"
			  "\"options\":{\"max_mb\":10}}]}]}",
			  &m, &err),
		     0, "%s", err.data);
	struct modset_item items[] = {{"virtio", "/x/virtio.ko"}, {"virtio_blk", "/x/virtio_blk.ko.xz"}};
	struct modset ms = {items, 2, NULL};
	char *conf = cellconf_build(&m.cells[0], &ms);
	const char *want[] = {
		"sample_ms\t100\n",
		"deadline_s\t45\n",
		"module\t/lib/modules/virtio.ko\nmodule\t/lib/modules/virtio_blk.ko\n",
		"set\tovercommit_memory\t/proc/sys/vm/overcommit_memory\t2\n",
		"swap\t/dev/vda\n",
		"mode\tsequence\n",
		"workload\t0\talloc\t134217728\t-\t/bin/oomlab-wl\talloc\n",
		"workload\t1\ttouch\t-\t300\t/bin/oomlab-wl\ttouch\t--max-mb\t10\n",
	};
	const char *at = conf;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *p = strstr(at, want[i]);
		cr_expect_not_null(p, "missing or out of order: %s\nin:\n%s", want[i], conf);
		if (p)
			at = p;
	}
	/* modules come before knobs, knobs before swap, swap before workloads */
	cr_expect_lt(strstr(conf, "module\t") - conf, strstr(conf, "set\t") - conf);
	cr_expect_lt(strstr(conf, "set\t") - conf, strstr(conf, "swap\t") - conf);
	free(conf);
	matrix_free(&m);
	buf_free(&err);
}

/* Every guest knob is read back in every cell: a knob the cell does not
 * set is a "get" line, a key of mthp_enabled one line per size; a set
 * one is only a "set" line. */
Test(matrix, cellconf_reads_back_every_guest_knob_it_does_not_set)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"cells\":[{\"lru_gen\":\"y\",\"lru_gen_min_ttl_ms\":1000,"
			  "\"mthp_enabled\":{\"64kB\":\"always\"},\"page-cluster\":0,"
			  "\"workloads\":[\"touch\"]}]}",
			  &m, &err),
		     0, "%s", err.data);
	char *conf = cellconf_build(&m.cells[0], NULL);
	static const char *const present[] = {
		"set\tlru_gen\t/sys/kernel/mm/lru_gen/enabled\ty\n",
		"set\tlru_gen_min_ttl_ms\t/sys/kernel/mm/lru_gen/min_ttl_ms\t1000\n",
		"set\tmthp_enabled:64kB\t/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled\talways\n",
		"set\tpage-cluster\t/proc/sys/vm/page-cluster\t0\n",
		"get\ttransparent_hugepage\t/sys/kernel/mm/transparent_hugepage/enabled\n",
		"get\tthp_defrag\t/sys/kernel/mm/transparent_hugepage/defrag\n",
		"get\tmthp_enabled:16kB\t/sys/kernel/mm/transparent_hugepage/hugepages-16kB/enabled\n",
		"get\tmthp_enabled:2048kB\t/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled\n",
		"get\tkhugepaged_defrag\t/sys/kernel/mm/transparent_hugepage/khugepaged/defrag\n",
		"get\tkhugepaged_max_ptes_none\t/sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none\n",
		"get\tkhugepaged_max_ptes_swap\t/sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_swap\n",
		"get\tkhugepaged_max_ptes_shared\t/sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_shared\n",
		"get\tkhugepaged_pages_to_scan\t/sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan\n",
		"get\tkhugepaged_scan_sleep_millisecs\t/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs\n",
		"get\tkhugepaged_alloc_sleep_millisecs\t/sys/kernel/mm/transparent_hugepage/khugepaged/alloc_sleep_millisecs\n",
		"get\twatermark_scale_factor\t/proc/sys/vm/watermark_scale_factor\n",
		"get\twatermark_boost_factor\t/proc/sys/vm/watermark_boost_factor\n",
		"get\tcompaction_proactiveness\t/proc/sys/vm/compaction_proactiveness\n",
	};
	for (size_t i = 0; i < sizeof present / sizeof present[0]; i++)
		cr_expect_not_null(strstr(conf, present[i]), "missing %s\nin:\n%s", present[i], conf);
	static const char *const absent[] = {"get\tlru_gen\t", "get\tlru_gen_min_ttl_ms\t",
					     "get\tmthp_enabled:64kB\t", "get\tpage-cluster\t",
					     "get\tmthp_enabled\t", "*"};
	for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
		cr_expect_null(strstr(conf, absent[i]), "%s\nin:\n%s", absent[i], conf);
	/* 8 sizes, one set and 7 read back */
	size_t n = 0;
	for (const char *p = conf; (p = strstr(p, "get\tmthp_enabled:")); p++)
		n++;
	cr_expect_eq(n, 7);
	free(conf);
	matrix_free(&m);
	buf_free(&err);
}

Test(matrix, keyed_map_knob_errors_name_keys_and_values)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"{\"cells\":[{\"mthp_enabled\":{\"64k\":\"always\"},\"workloads\":[\"alloc\"]}]}",
		 "cells[0].mthp_enabled.64k: unknown key (allowed: 16kB, 32kB, 64kB, 128kB, 256kB, 512kB, "
		 "1024kB, 2048kB)"},
		{"{\"cells\":[{\"mthp_enabled\":{\"64kB\":1},\"workloads\":[\"alloc\"]}]}",
		 "cells[0].mthp_enabled.64kB: must be one of: always, inherit, madvise, never"},
		{"{\"cells\":[{\"mthp_enabled\":\"always\",\"workloads\":[\"alloc\"]}]}",
		 "cells[0].mthp_enabled: must be an object of key -> value (keys: 16kB, 32kB, 64kB, 128kB, "
		 "256kB, 512kB, 1024kB, 2048kB; values: always, inherit, madvise, never)"},
		{"{\"cells\":[{\"mthp_enabled\":{},\"workloads\":[\"alloc\"]}]}",
		 "cells[0].mthp_enabled: must be an object of key -> value"},
		{"{\"cells\":[{\"lru_gen\":\"on\",\"workloads\":[\"alloc\"]}]}",
		 "cells[0].lru_gen: must be one of: n, y, 0x0001, 0x0003, 0x0005, 0x0007"},
		{"{\"cells\":[{\"khugepaged_max_ptes_none\":512,\"workloads\":[\"alloc\"]}]}",
		 "cells[0].khugepaged_max_ptes_none: 512 is out of range (allowed 0..511)"},
		{"{\"cells\":[{\"watermark_scale_factor\":0,\"workloads\":[\"alloc\"]}]}",
		 "cells[0].watermark_scale_factor: 0 is out of range (allowed 1..3000)"},
		{"{\"cells\":[{\"page-cluster\":32,\"workloads\":[\"alloc\"]}]}",
		 "cells[0].page-cluster: 32 is out of range (allowed 0..31)"},
		{"{\"cells\":[{\"compaction_proactiveness\":101,\"workloads\":[\"alloc\"]}]}",
		 "cells[0].compaction_proactiveness: 101 is out of range (allowed 0..100)"},
		{"{\"cells\":[{\"khugepaged_pages_to_scan\":0,\"workloads\":[\"alloc\"]}]}",
		 "cells[0].khugepaged_pages_to_scan: 0 is out of range (allowed 1..4294967295)"},
		{"{\"cells\":[{\"thp_defrag\":\"sometimes\",\"workloads\":[\"alloc\"]}]}",
		 "cells[0].thp_defrag: must be one of: always, defer, defer+madvise, madvise, never"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct matrix m;
		struct buf err = {0};
		cr_expect_eq(load(cases[i].text, &m, &err), -1, "case %zu", i);
		cr_expect_not_null(err.data && strstr(err.data, cases[i].want), "case %zu: %s", i,
				   err.data ? err.data : "(no error)");
		buf_free(&err);
	}
}

/* The map knob as an axis: each size a cell, its own ids. */
Test(matrix, mthp_map_as_an_axis)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"workloads\":[\"touch\"],\"axes\":{\"mthp_enabled\":"
			  "[{\"64kB\":\"always\"},{\"64kB\":\"never\",\"2048kB\":\"madvise\"}]}}",
			  &m, &err),
		     0, "%s", err.data);
	cr_assert_eq(m.n_cells, 2);
	cr_expect_str_eq(m.cells[0].id, "mthp-enabled-64kb-always");
	cr_assert_eq(m.cells[1].n_sets, 2);
	cr_expect_str_eq(m.cells[1].sets[1].name, "mthp_enabled:2048kB");
	cr_expect_str_eq(m.cells[1].sets[1].path,
			 "/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled");
	cr_expect_str_eq(m.cells[1].sets[1].value, "madvise");
	matrix_free(&m);
	buf_free(&err);
}

Test(matrix, zram_swap_is_a_sized_device_not_a_disk)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"cells\":[{\"swap_mb\":300,\"swap_type\":\"zram\","
			  "\"workloads\":[\"touch\"]}]}",
			  &m, &err),
		     0, "%s", err.data);
	cr_expect(m.cells[0].swap_zram);
	char *conf = cellconf_build(&m.cells[0], NULL);
	const char *set = strstr(conf, "set\tzram_disksize\t/sys/block/zram0/disksize\t300M\n");
	const char *swap = strstr(conf, "swap\t/dev/zram0\n");
	cr_expect_not_null(set, "%s", conf);
	cr_expect_not_null(swap, "%s", conf);
	cr_expect(set && swap && set < swap, "the size must be set before swapon");
	cr_expect_null(strstr(conf, "/dev/vda"));
	free(conf);
	matrix_free(&m);
	buf_free(&err);
}

/* zswap's knobs: its pool (zpool, compressor) is written before its
 * limits and enabled last, all before swapon; each one a cell leaves out
 * is read back ("get"). A compressor oomlab does not know is refused by
 * the loader, with the list. */
Test(matrix, zswap_knobs_pool_first_enabled_last_before_swapon)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"cells\":[{\"swap_mb\":64,\"zswap_enabled\":1,\"zswap_compressor\":\"lz4\","
			  "\"zswap_zpool\":\"zsmalloc\",\"zswap_max_pool_percent\":30,\"workloads\":[\"touch\"]}]}",
			  &m, &err),
		     0, "%s", err.data);
	char *conf = cellconf_build(&m.cells[0], NULL);
	const char *want[] = {
		"set\tzswap_zpool\t/sys/module/zswap/parameters/zpool\tzsmalloc\n",
		"set\tzswap_compressor\t/sys/module/zswap/parameters/compressor\tlz4\n",
		"set\tzswap_max_pool_percent\t/sys/module/zswap/parameters/max_pool_percent\t30\n",
		"set\tzswap_enabled\t/sys/module/zswap/parameters/enabled\t1\n",
		"get\tzswap_accept_threshold_percent\t/sys/module/zswap/parameters/accept_threshold_percent\n",
		"get\tzswap_shrinker_enabled\t/sys/module/zswap/parameters/shrinker_enabled\n",
		"swap\t/dev/vda\n",
	};
	const char *at = conf;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *p = strstr(at, want[i]);
		cr_expect_not_null(p, "missing or out of order: %s\nin:\n%s", want[i], conf);
		if (p)
			at = p;
	}
	free(conf);
	matrix_free(&m);
	/* the two knobs whose value names a module the kernel may need */
	for (size_t i = 0; i < knob_count; i++)
		cr_expect_eq(knob_table[i].value_is_module,
			     !strcmp(knob_table[i].name, "zswap_zpool") ||
				     !strcmp(knob_table[i].name, "zswap_compressor"),
			     "%s", knob_table[i].name);
	cr_assert_eq(load("{\"cells\":[{\"zswap_compressor\":\"lzo1x\",\"workloads\":[\"touch\"]}]}", &m,
			  &err),
		     -1);
	cr_expect_not_null(strstr(err.data, "cells[0].zswap_compressor: must be one of: lzo, lzo-rle, lz4, "
					    "lz4hc, zstd, deflate, 842"),
			   "%s", err.data);
	cr_assert_eq(load("{\"cells\":[{\"zswap_max_pool_percent\":101,\"workloads\":[\"touch\"]}]}", &m,
			  &err),
		     -1);
	cr_expect_not_null(strstr(err.data, "101 is out of range (allowed 0..100)"), "%s", err.data);
	buf_free(&err);
}

Test(matrix, axes_expand_cartesian_last_axis_fastest_with_stable_ids)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"name\":\"s\",\"base\":{\"ram_mb\":128},\"workloads\":[\"touch\"],"
			  "\"axes\":{\"overcommit_memory\":[0,2],\"swap_mb\":[0,64,128]}}",
			  &m, &err),
		     0, "%s", err.data);
	cr_assert_eq(m.n_cells, 6);
	static const char *const ids[] = {
		"overcommit-memory-0-swap-mb-0",   "overcommit-memory-0-swap-mb-64",
		"overcommit-memory-0-swap-mb-128", "overcommit-memory-2-swap-mb-0",
		"overcommit-memory-2-swap-mb-64",  "overcommit-memory-2-swap-mb-128",
	};
	for (size_t i = 0; i < 6; i++) {
		cr_expect_str_eq(m.cells[i].id, ids[i]);
		cr_expect_eq(m.cells[i].ram_mb, 128);
		cr_expect_eq(m.cells[i].repeat_index, 1);
	}
	cr_expect_str_eq(m.cells[4].name, "overcommit_memory=2 swap_mb=64");
	cr_expect_eq(m.cells[4].swap_mb, 64);
	/* the same matrix written differently has the same digest and ids */
	struct matrix m2;
	cr_assert_eq(load("{ \"axes\" : {\"overcommit_memory\":[0,2],\"swap_mb\":[0,64,128]},"
			  "\"workloads\":[\"touch\"], \"base\":{\"ram_mb\":128}, \"name\":\"s\"}",
			  &m2, &err),
		     0, "%s", err.data);
	cr_expect_str_eq(m2.digest, m.digest);
	for (size_t i = 0; i < 6; i++)
		cr_expect_str_eq(m2.cells[i].id, m.cells[i].id);
	matrix_free(&m2);
	matrix_free(&m);
	buf_free(&err);
}

Test(matrix, exclude_include_and_repeat)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"workloads\":[\"touch\"],\"repeat\":2,"
			  "\"axes\":{\"overcommit_memory\":[0,1,2],\"swap_mb\":[0,64]},"
			  "\"exclude\":[{\"overcommit_memory\":1},{\"overcommit_memory\":2,\"swap_mb\":64}],"
			  "\"include\":[{\"name\":\"extra\",\"rlimit_as_mb\":64}]}",
			  &m, &err),
		     0, "%s", err.data);
	/* 6 combinations - 2 (mode 1) - 1 (mode 2 with swap) + 1 include = 4, twice */
	cr_assert_eq(m.n_cells, 8);
	static const char *const ids[] = {
		"overcommit-memory-0-swap-mb-0-r1",  "overcommit-memory-0-swap-mb-0-r2",
		"overcommit-memory-0-swap-mb-64-r1", "overcommit-memory-0-swap-mb-64-r2",
		"overcommit-memory-2-swap-mb-0-r1",  "overcommit-memory-2-swap-mb-0-r2",
		"extra-r1",                          "extra-r2",
	};
	for (size_t i = 0; i < 8; i++) {
		cr_expect_str_eq(m.cells[i].id, ids[i]);
		cr_expect_eq(m.cells[i].repeat_index, (int)(i % 2) + 1);
	}
	cr_expect_eq(m.cells[7].wl[0].rlimit_as_mb, 64);
	cr_expect_eq(m.repeat, 2);
	matrix_free(&m);
	buf_free(&err);
}

Test(matrix, map_and_string_knobs_as_axes)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"workloads\":[\"touch\"],\"axes\":{"
			  "\"kernel\":[\"linux-image-6.1.0-56-amd64\",\"linux-image-6.12-amd64\"],"
			  "\"sysctl\":[{\"vm.dirty_ratio\":5},{\"vm.dirty_ratio\":10}],"
			  "\"cmdline\":[\"transparent_hugepage=never\"]}}",
			  &m, &err),
		     0, "%s", err.data);
	cr_assert_eq(m.n_cells, 4);
	cr_expect_str_eq(m.cells[3].kernel, "linux-image-6.12-amd64");
	cr_expect_str_eq(m.cells[3].cmdline, "transparent_hugepage=never");
	cr_assert_eq(m.cells[3].n_sets, 1);
	cr_expect_str_eq(m.cells[3].sets[0].path, "/proc/sys/vm/dirty_ratio");
	cr_expect_str_eq(m.cells[3].sets[0].value, "10");
	for (size_t i = 0; i < 4; i++)
		for (size_t j = i + 1; j < 4; j++)
			cr_expect_str_neq(m.cells[i].id, m.cells[j].id);
	matrix_free(&m);
	buf_free(&err);
}

Test(matrix, sweep_errors_name_the_json_path)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"{\"axes\":{\"swappiness\":[0,60,300]},\"workloads\":[\"touch\"]}",
		 "axes.swappiness[2]: 300 is out of range (allowed 0..200)"},
		{"{\"axes\":{\"swappiness\":[0,\"60\"]},\"workloads\":[\"touch\"]}",
		 "axes.swappiness[1]: must be an integer in 0..200"},
		{"{\"axes\":{\"swappiness\":[60,60]},\"workloads\":[\"touch\"]}",
		 "axes.swappiness[1]: repeats the value of axes.swappiness[0]"},
		{"{\"axes\":{\"swapiness\":[0]},\"workloads\":[\"touch\"]}", "axes.swapiness: unknown knob"},
		{"{\"axes\":{\"swappiness\":[]},\"workloads\":[\"touch\"]}",
		 "axes.swappiness: must be a non-empty list of values"},
		{"{\"axes\":{\"swappiness\":5},\"workloads\":[\"touch\"]}",
		 "axes.swappiness: must be a non-empty list of values"},
		{"{\"axes\":[],\"workloads\":[\"touch\"]}", "axes: must be an object of knob -> list"},
		{"{\"axes\":{\"swappiness\":[0]},\"exclude\":{\"swappiness\":0},\"workloads\":[\"touch\"]}",
		 "exclude: must be a list of objects"},
		{"{\"axes\":{\"swappiness\":[0]},\"exclude\":[{\"swappiness\":500}],\"workloads\":[\"touch\"]}",
		 "exclude[0].swappiness: 500 is out of range"},
		{"{\"axes\":{\"swappiness\":[0]},\"exclude\":[{}],\"workloads\":[\"touch\"]}",
		 "exclude[0]: an empty rule would exclude every cell"},
		{"{\"axes\":{\"swappiness\":[0]},\"exclude\":[{\"swappiness\":0}],\"workloads\":[\"touch\"]}",
		 "$: no cells"},
		{"{\"exclude\":[{\"swappiness\":0}],\"cells\":[{\"workloads\":[\"touch\"]}]}",
		 "exclude: needs \"axes\""},
		{"{\"axes\":{\"swappiness\":[0]},\"include\":[5],\"workloads\":[\"touch\"]}",
		 "include[0]: must be an object"},
		{"{\"axes\":{\"swappiness\":[0]},\"include\":[{\"name\":\"swappiness=0\"}],"
		 "\"workloads\":[\"touch\"]}",
		 "include[0].name: cell id \"swappiness-0\" is already used"},
		{"{\"cells\":[{\"workloads\":[\"stress-ng\"]}]}",
		 "cells[0].workloads[0].options.stressor: stress-ng needs it"},
		{"{\"cells\":[{\"overcommit_ratio\":50,\"overcommit_kbytes\":1000,\"workloads\":[\"touch\"]}]}",
		 "cells[0].overcommit_kbytes: overcommit_ratio and overcommit_kbytes exclude each other"},
		{"{\"axes\":{\"swappiness\":[0]},\"repeat\":0,\"workloads\":[\"touch\"]}",
		 "repeat: 0 is out of range (allowed 1..1000)"},
		{"{\"axes\":{\"swappiness\":[0]}}", "axes (cell swappiness=0).workloads: needs a non-empty array"},
		{"{\"axes\":{\"ram_mb\":[64,128,256,512,1024,2048,4096,8192,16384,32768],"
		 "\"swappiness\":[0,1,2,3,4,5,6,7,8,9],\"min_free_kbytes\":[0,1,2,3,4,5,6,7,8,9],"
		 "\"max_map_count\":[0,1,2,3,4,5,6,7,8,9],\"overcommit_ratio\":[0,1,2,3,4,5,6,7,8,9,10]},"
		 "\"workloads\":[\"touch\"]}",
		 "$: the matrix expands to 110000 cells ((10 x 10 x 10 x 10 x 11 combinations of the axes + 0 "
		 "include + 0 cells) x repeat 1), more than the limit of 10000"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct matrix m;
		struct buf err = {0};
		cr_expect_eq(load(cases[i].text, &m, &err), -1, "case %zu", i);
		if (!err.data)
			continue;
		cr_expect_not_null(strstr(err.data, "/m.json: "), "case %zu: %s", i, err.data);
		cr_expect_not_null(strstr(err.data, cases[i].want), "case %zu: %s", i, err.data);
		buf_free(&err);
	}
}

/* A frag cell whose schedule is `sched` (a JSON string, escaped). */
static char *frag_with(const char *sched)
{
	return xasprintf("{\"cells\":[{\"workloads\":[{\"name\":\"frag\",\"options\":"
			 "{\"pattern\":\"file\",\"schedule\":\"%s\"}}]}]}",
			 sched);
}

/* Files a matrix names stay in its dir: `..`, an absolute path and a
 * symlink that leads out are refused (issue 13, item 9), naming the key. */
Test(matrix, file_options_outside_the_matrix_dir_are_refused)
{
	char *link = xasprintf("%s/passwd.sched", mdir);
	cr_assert_eq(symlink("/etc/passwd", link), 0);
	char *sub = xasprintf("%s/sub", mdir);
	cr_assert_eq(mkdir(sub, 0755), 0);
	char *uplink = xasprintf("%s/sub/up", mdir);
	cr_assert_eq(symlink("../../..", uplink), 0); /* sub/up is / */
	static const char *const outside[] = {"../../etc/passwd", "/etc/passwd", "passwd.sched",
					      "sub/up/etc/passwd", "sub/../../../etc/passwd"};
	for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
		struct matrix m;
		struct buf err = {0};
		char *text = frag_with(outside[i]);
		int r = load(text, &m, &err);
		cr_expect_eq(r, -1, "%s was accepted", outside[i]);
		if (r == 0)
			matrix_free(&m);
		cr_expect_not_null(err.data, "%s", outside[i]);
		if (err.data) {
			char *want = xasprintf("%s/m.json: cells[0].workloads[0].options.schedule: %s is "
					       "/etc/passwd, outside the matrix file's dir (allowed: a regular file in that dir "
					       "or below it, or a file or dir given with --allow-file PATH)",
					       mdir, outside[i]);
			cr_expect_not_null(strstr(err.data, want), "%s: %s", outside[i], err.data);
			cr_expect_not_null(strstr(err.data, "--allow-file"), "%s", err.data);
			free(want);
		}
		free(text);
		buf_free(&err);
	}
	free(uplink);
	free(sub);
	free(link);
}

/* Inside the dir (after `..` and symlinks) a file is fine, and the cell
 * copies the file the path resolves to; --allow-file lets a file or a dir
 * outside in, and nothing else. */
Test(matrix, file_options_inside_the_dir_or_allowed_resolve)
{
	char *sub = xasprintf("%s/sub", mdir), *f = xasprintf("%s/sub/a.sched", mdir);
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(write_file_atomic(f, "x\n", 2), 0);
	char *link = xasprintf("%s/link.sched", mdir);
	cr_assert_eq(symlink("sub/a.sched", link), 0);
	char *real = realpath(f, NULL);
	static const char *const inside[] = {"sub/a.sched", "link.sched", "sub/../sub/a.sched", "./sub/a.sched"};
	for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
		struct matrix m;
		struct buf err = {0};
		char *text = frag_with(inside[i]);
		cr_assert_eq(load(text, &m, &err), 0, "%s: %s", inside[i], err.data);
		cr_assert_eq(m.cells[0].wl[0].n_files, 1);
		cr_expect_str_eq(m.cells[0].wl[0].files[0].host, real, "%s", inside[i]);
		matrix_free(&m);
		free(text);
	}
	/* the same matrix with --allow-file: a file, a dir, the wrong file */
	char *p = xasprintf("%s/m.json", mdir);
	char *text = frag_with("/etc/passwd");
	cr_assert_eq(write_file_atomic(p, text, strlen(text)), 0);
	static const struct {
		const char *allow;
		int ok;
	} cases[] = {{"/etc/passwd", 1}, {"/etc", 1}, {"/etc/group", 0}, {"/etc/passwd/", -1}, {"/no/such", -1}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char **allow = NULL;
		size_t n = 0;
		struct buf why = {0};
		int ar = hostfiles_allow(&allow, &n, cases[i].allow, &why);
		cr_expect_eq(ar, cases[i].ok < 0 ? -1 : 0, "%s: %s", cases[i].allow, why.data);
		buf_free(&why);
		if (ar < 0)
			continue;
		struct matrix_opts o = {.allow = (const char *const *)allow, .n_allow = n};
		struct matrix m;
		struct buf err = {0};
		int r = matrix_load_opts(p, &o, &m, &err);
		cr_expect_eq(r, cases[i].ok ? 0 : -1, "--allow-file %s: %s", cases[i].allow, err.data);
		if (r == 0) {
			cr_expect_str_eq(m.cells[0].wl[0].files[0].host, "/etc/passwd");
			matrix_free(&m);
		}
		buf_free(&err);
		hostfiles_allow_free(allow, n);
	}
	/* not a regular file: a dir inside, a FIFO inside */
	char *fifo = xasprintf("%s/fifo.sched", mdir);
	cr_assert_eq(mkfifo(fifo, 0644), 0);
	static const char *const special[] = {"sub", "fifo.sched"};
	for (size_t i = 0; i < 2; i++) {
		struct matrix m;
		struct buf err = {0};
		char *t = frag_with(special[i]);
		cr_expect_eq(load(t, &m, &err), -1, "%s", special[i]);
		char *rdir = realpath(mdir, NULL);
		char *want = xasprintf("cells[0].workloads[0].options.schedule: %s is %s/%s, not a regular file",
				       special[i], rdir, special[i]);
		cr_expect_not_null(strstr(err.data ? err.data : "", want), "%s: %s", special[i], err.data);
		free(want);
		free(rdir);
		free(t);
		buf_free(&err);
	}
	free(fifo);
	free(text);
	free(p);
	free(real);
	free(link);
	free(f);
	free(sub);
}

/* A matrix of a few hundred bytes can ask for 100 million cells; the
 * count is checked before anything is allocated (issue 13, item 10):
 * exit 2 with the count and its arithmetic. 10,000 cells by default. */
Test(matrix, expansion_is_bounded_before_it_is_allocated)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		/* 10 x 10 x 10 x 10 x 10 x repeat 1000: 12.8 GB of cells before */
		{"{\"axes\":{\"swappiness\":[0,1,2,3,4,5,6,7,8,9],\"min_free_kbytes\":[0,1,2,3,4,5,6,7,8,9],"
		 "\"max_map_count\":[0,1,2,3,4,5,6,7,8,9],\"overcommit_ratio\":[0,1,2,3,4,5,6,7,8,9],"
		 "\"watermark_scale_factor\":[1,2,3,4,5,6,7,8,9,10]},\"repeat\":1000,\"workloads\":[\"touch\"]}",
		 "$: the matrix expands to 100000000 cells ((10 x 10 x 10 x 10 x 10 combinations of the axes "
		 "+ 0 include + 0 cells) x repeat 1000), more than the limit of 10000 (--max-cells N raises it)"},
		/* 10,001: one over */
		{"{\"axes\":{\"swappiness\":[0,1,2,3,4,5,6,7,8,9]},\"include\":[{\"name\":\"x\"}],\"repeat\":"
		 "1000,\"cells\":[],\"workloads\":[\"touch\"]}",
		 "$: the matrix expands to 11000 cells ((10 combinations of the axes + 1 include + 0 cells) x "
		 "repeat 1000), more than the limit of 10000 (--max-cells N raises it)"},
		{"{\"axes\":{\"swappiness\":[0,1,2,3,4,5,6,7,8,9],\"overcommit_ratio\":[0,1,2,3,4,5,6,7,8,9]},"
		 "\"exclude\":[{\"swappiness\":0}],\"repeat\":101,\"workloads\":[\"touch\"]}",
		 "$: the matrix expands to up to 10100 cells ((10 x 10 combinations of the axes before exclude "
		 "+ 0 include + 0 cells) x repeat 101), more than the limit of 10000 (--max-cells N raises it)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct matrix m;
		struct buf err = {0};
		int r = load(cases[i].text, &m, &err);
		cr_expect_eq(r, -1, "case %zu: loaded %zu cells", i, m.n_cells);
		if (r == 0)
			matrix_free(&m);
		cr_expect_not_null(strstr(err.data ? err.data : "", cases[i].want), "case %zu: %s", i, err.data);
		buf_free(&err);
	}
}

/* --max-cells moves the limit both ways, and the count is exact: 2 x 2
 * axes + 1 include + 1 cell, twice, is 12. */
Test(matrix, max_cells_is_the_limit)
{
	char *p = xasprintf("%s/m.json", mdir);
	const char *text = "{\"axes\":{\"swappiness\":[0,1],\"cpus\":[1,2]},\"include\":[{\"name\":\"i\"}],"
			   "\"cells\":[{\"name\":\"c\"}],\"repeat\":2,\"workloads\":[\"touch\"]}";
	cr_assert_eq(write_file_atomic(p, text, strlen(text)), 0);
	for (long long max = 11; max <= 12; max++) {
		struct matrix_opts o = {.max_cells = max};
		struct matrix m;
		struct buf err = {0};
		int r = matrix_load_opts(p, &o, &m, &err);
		if (max == 11) {
			cr_expect_eq(r, -1);
			char *want = xasprintf("%s: $: the matrix expands to 12 cells ((2 x 2 combinations of the axes + 1 "
					       "include + 1 cells) x repeat 2), more than the limit of 11 (--max-cells N "
					       "raises it)",
					       p);
			cr_expect_str_eq(err.data, want);
			free(want);
		} else {
			cr_assert_eq(r, 0, "%s", err.data);
			cr_expect_eq(m.n_cells, 12);
			matrix_free(&m);
		}
		buf_free(&err);
	}
	free(p);
}

/* matrix_load_buf (the bytes, no file) loads what matrix_load loads from
 * a file of those bytes, and fails with the same message. */
Test(matrix, load_buf_is_load_from_memory)
{
	static const char *const texts[] = {
		"{\"name\":\"x\",\"base\":{\"ram_mb\":512},\"workloads\":[\"alloc\"],"
		"\"cells\":[{\"name\":\"A b\",\"swappiness\":60},{\"ram_mb\":128}]}",
		"{\"axes\":{\"swappiness\":[0,60],\"ram_mb\":[128,256]},\"repeat\":2,\"workloads\":[\"touch\"]}",
		"{\"cells\":[{\"workloads\":[{\"name\":\"frag\",\"options\":{\"schedule\":\"w.sched\"}}]}]}",
		"{\"cells\":[}",
		"{\"cells\":[{\"x\":1}]}\n\n  {",
		"[1,2]",
		"",
		"{\"a\":1,\"a\":2}",
		"{\"name\":\"a\\u0000b\",\"workloads\":[\"touch\"],\"cells\":[{}]}",
	};
	char *p = xasprintf("%s/m.json", mdir);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct matrix a, b;
		struct buf ea = {0}, eb = {0};
		size_t len = strlen(texts[i]);
		cr_assert_eq(write_file_atomic(p, texts[i], len), 0);
		int ra = matrix_load(p, &a, &ea);
		int rb = matrix_load_buf(p, texts[i], len, mdir, &b, &eb);
		cr_expect_eq(ra, rb, "case %zu: %d, from memory %d", i, ra, rb);
		cr_expect_str_eq(ea.data ? ea.data : "", eb.data ? eb.data : "", "case %zu", i);
		cr_expect_eq(a.n_cells, b.n_cells, "case %zu", i);
		if (!ra && !rb) {
			cr_expect_str_eq(a.digest, b.digest, "case %zu", i);
			cr_expect_str_eq(a.path, b.path, "case %zu", i);
			for (size_t j = 0; j < a.n_cells && j < b.n_cells; j++) {
				cr_expect_str_eq(a.cells[j].id, b.cells[j].id, "case %zu cell %zu", i, j);
				char *ca = cellconf_build(&a.cells[j], NULL), *cb = cellconf_build(&b.cells[j], NULL);
				cr_expect_str_eq(ca, cb, "case %zu cell %zu", i, j);
				free(ca);
				free(cb);
			}
		}
		matrix_free(&a);
		matrix_free(&b);
		buf_free(&ea);
		buf_free(&eb);
	}
	/* over the size limit: the same message, the length as the size */
	size_t big = MATRIX_MAX_BYTES + 1;
	char *text = xcalloc(big, 1);
	memset(text, ' ', big);
	cr_assert_eq(write_file_atomic(p, text, big), 0);
	struct matrix a, b;
	struct buf ea = {0}, eb = {0};
	cr_expect_eq(matrix_load(p, &a, &ea), -1);
	cr_expect_eq(matrix_load_buf(p, text, big, mdir, &b, &eb), -1);
	cr_expect_str_eq(ea.data, eb.data);
	buf_free(&ea);
	buf_free(&eb);
	free(text);
	free(p);
}

/* A duplicate cell id names the first cell that has it, at the cell that
 * repeats it (found by lookup, not by comparing every pair). */
Test(matrix, duplicate_id_names_the_first_cell)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(load("{\"workloads\":[\"touch\"],\"cells\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"B\"},"
			  "{\"name\":\"A\"}]}",
			  &m, &err),
		     -1);
	const char *msg = strstr(err.data, "/m.json: ");
	cr_assert_not_null(msg, "%s", err.data);
	cr_expect_str_eq(msg, "/m.json: cells[2].name: cell id \"b\" is already used by another cell (b); "
			      "names must differ");
	buf_free(&err);
	/* 1,000 cells, all distinct: loads */
	cr_assert_eq(load("{\"axes\":{\"swappiness\":[0,1,2,3,4,5,6,7,8,9],\"min_free_kbytes\":[0,1,2,3,4,5,6,7,8,9],"
			  "\"max_map_count\":[0,1,2,3,4,5,6,7,8,9]},\"workloads\":[\"touch\"]}",
			  &m, &err),
		     0, "%s", err.data);
	cr_expect_eq(m.n_cells, 1000);
	matrix_free(&m);
}
