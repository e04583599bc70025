// SPDX-License-Identifier: GPL-2.0-or-later
/* kmem in real VMs, on Debian 6.1 and 6.12 (the kernel is an axis): each
 * mode grows the meminfo field it should; filling AF_UNIX sockets ends in
 * an OOM report whose "Unreclaimable slab info:" is parsed into the event;
 * the OOM killer picks a process with a few MB of RSS before the one that
 * pinned 150 MB of pipe pages; in a memory cgroup the same memory is
 * charged to the group, which kills it at its memory.max while a workload
 * outside the group is untouched. Every cell must PASS. The thresholds
 * are below what was measured (workloads.md, oracle.md "Kernel memory"). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itest.h"
#include "lib/util.h"

TestSuite(wl_kmem, .init = setup, .fini = teardown, .timeout = 200);

/* Every cell twice, once a kernel: its name ends with " 6.1" or " 6.12". */
static const char *const kernels[] = {"6.1", "6.12"};
static const char *const packages[] = {"linux-image-amd64", "linux-image-6.12-amd64"};

/* A matrix of head and, for each of the n cell formats (printf with two
 * strings: the name suffix, the kernel package), that cell on both
 * kernels. */
static char *two_kernels(const char *head, const char *const *cell_fmt, size_t n)
{
	struct buf b = {0};
	buf_printf(&b, "{%s,\"cells\":[", head);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < 2; k++) {
			buf_printf(&b, "%s", i || k ? "," : "");
			buf_printf(&b, cell_fmt[i], kernels[k], packages[k]);
		}
	buf_printf(&b, "]}");
	return b.data;
}

/* The report of the cell named "<name> <rel>", on a kernel whose release
 * starts with rel (asserts both); the caller frees it. */
static json_t *cell_of(const char *out, const char *name, const char *rel)
{
	char *rp = xasprintf("%s/run.json", out);
	char *want = xasprintf("%s %s", name, rel);
	json_error_t je;
	json_t *run = json_load_file(rp, 0, &je), *c;
	cr_assert_not_null(run, "%s: %s", rp, je.text);
	size_t i;
	json_t *found = NULL;
	json_array_foreach(json_object_get(run, "cells"), i, c) {
		if (strcmp(str(c, "name"), want))
			continue;
		const char *kr = str(c, "kernel_release");
		cr_expect(!strncmp(kr, rel, strlen(rel)) && kr[strlen(rel)] == '.', "%s runs %s", want, kr);
		char *cp = xasprintf("%s/%s", out, str(c, "file"));
		found = json_load_file(cp, 0, &je);
		cr_assert_not_null(found, "%s: %s", cp, je.text);
		free(cp);
	}
	cr_assert_not_null(found, "no cell %s", want);
	json_decref(run);
	free(rp);
	free(want);
	return found;
}

static void expect_pass(json_t *cell, const char *what)
{
	cr_expect_str_eq(str(cell, "verdict"), "PASS", "%s: %s", what, str(cell, "verdict_reason"));
}

/* One mode each, up to max_mb 48 in sequence: the meminfo deltas over
 * its run (its own metrics). Measured on 6.1 / 6.12 in kB. */
static void each_mode_grows_its_field(json_t *cell, const char *rel)
{
	expect_pass(cell, rel);
	static const struct {
		const char *mode, *field;
		long long min_kb;
	} want[] = {
		{"pipes", "MemAvailable_delta_kb", -1},  /* falls: checked below */
		{"sockets", "SUnreclaim_delta_kb", 40000},
		{"threads", "KernelStack_delta_kb", 30000},
		{"files", "SUnreclaim_delta_kb", 30000},
		{"pagetables", "PageTables_delta_kb", 45000},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		json_t *w = wl(cell, i);
		cr_assert_str_eq(str(json_object_get(w, "options"), "mode"), want[i].mode);
		cr_expect_str_eq(str(w, "endpoint"), "exit", "%s %s", rel, want[i].mode);
		cr_expect_str_eq(reason(w), "limit", "%s %s", rel, want[i].mode);
		cr_expect_geq(mint(w, "units"), 1);
		if (want[i].min_kb > 0)
			cr_expect_geq(mint(w, want[i].field), want[i].min_kb, "%s %s: %s %lld", rel, want[i].mode,
				      want[i].field, mint(w, want[i].field));
		cr_log_info("%s %s: Slab %lld SUnreclaim %lld KernelStack %lld PageTables %lld MemAvailable %lld kB", rel,
			    want[i].mode, mint(w, "Slab_delta_kb"), mint(w, "SUnreclaim_delta_kb"),
			    mint(w, "KernelStack_delta_kb"), mint(w, "PageTables_delta_kb"),
			    mint(w, "MemAvailable_delta_kb"));
	}
	/* pipe pages are in no meminfo field but MemFree: MemAvailable falls
	 * by the 48 MB, slab hardly moves */
	json_t *p = wl(cell, 0);
	cr_expect_leq(mint(p, "MemAvailable_delta_kb"), -40000, "%s pipes", rel);
	cr_expect_leq(mint(p, "SUnreclaim_delta_kb"), 8000, "%s pipes", rel);
	/* page tables with almost no RSS: the zero page */
	cr_expect_leq(mint(wl(cell, 4), "SUnreclaim_delta_kb"), 8000, "%s pagetables", rel);
	/* the raised limits */
	cr_expect_eq(mint(p, "nofile"), 1048576, "%s", rel);
	cr_expect_eq(mint(p, "threads_max"), 4194304, "%s", rel);
}

/* sockets until the OOM killer: the report's slab section, in the event */
static void sockets_oom_lists_slab(json_t *cell, const char *rel)
{
	expect_pass(cell, rel);
	json_t *w = wl(cell, 0);
	/* or a panic: the OOM reaper frees none of it, and until the
	 * victim's exit does, an allocation finds nothing killable */
	const char *ep = str(w, "endpoint");
	cr_expect(!strcmp(ep, "oom_killed") || !strcmp(ep, "vm_panic"), "%s: %s", rel, ep);
	if (!strcmp(ep, "vm_panic"))
		cr_log_info("%s: panic: %s", rel, str(json_object_get(cell, "kernel_log"), "panic_msg"));
	cr_expect_str_eq(str(w, "mb_source"), "progress", "%s", rel);
	json_t *ev = json_array_get(json_object_get(cell, "oom_events"), 0);
	json_t *s = json_object_get(ev, "unreclaimable_slab");
	cr_assert(json_is_object(s), "%s: no unreclaimable_slab in the OOM event", rel);
	cr_expect_gt(json_integer_value(json_object_get(s, "caches")), 50, "%s", rel);
	cr_expect_gt(json_integer_value(json_object_get(s, "total_kb")), 150000, "%s", rel);
	json_t *top = json_object_get(s, "top");
	cr_assert_eq(json_array_size(top), 5);
	cr_expect_str_eq(str(json_array_get(top, 0), "name"), "kmalloc-cg-4k", "%s", rel);
	cr_expect_gt(json_integer_value(json_object_get(json_array_get(top, 0), "total_kb")), 140000, "%s", rel);
	cr_expect_str_eq(str(json_array_get(top, 1), "name"), "skbuff_head_cache", "%s", rel);
}

/* touch (24 MB, held) and kmem pipes started after it: the pipes take
 * ~150 MB, but the OOM killer's badness counts RSS, swap and page tables
 * only: touch dies first, kmem at the next OOM. */
static void badness_ignores_pipe_pages(json_t *cell, const char *rel)
{
	expect_pass(cell, rel);
	json_t *vo = json_object_get(cell, "victim_order");
	cr_assert_geq(json_array_size(vo), 2, "%s: victim_order", rel);
	cr_expect_eq(json_integer_value(json_array_get(vo, 0)), 0, "%s: touch first", rel);
	cr_expect_eq(json_integer_value(json_array_get(vo, 1)), 1, "%s: then kmem", rel);
	/* and then it went on pinning */
	double mb = json_number_value(json_object_get(wl(cell, 1), "mb_reached"));
	cr_expect_gt(mb, 100, "%s: kmem reached %.0f MB", rel, mb);
}

Test(wl_kmem, global_modes_slab_report_and_victim)
{
	json_t *first;
	char *out;
	static const char *const cells[] = {
		"{\"name\":\"modes %s\",\"kernel\":\"%s\",\"mode\":\"sequence\",\"workloads\":["
		"{\"name\":\"kmem\",\"options\":{\"mode\":\"pipes\",\"max_mb\":48}},"
		"{\"name\":\"kmem\",\"options\":{\"mode\":\"sockets\",\"max_mb\":48}},"
		"{\"name\":\"kmem\",\"options\":{\"mode\":\"threads\",\"max_mb\":48}},"
		"{\"name\":\"kmem\",\"options\":{\"mode\":\"files\",\"max_mb\":48}},"
		"{\"name\":\"kmem\",\"options\":{\"mode\":\"pagetables\",\"max_mb\":48}}]}",
		"{\"name\":\"sockets %s\",\"kernel\":\"%s\",\"workloads\":["
		"{\"name\":\"kmem\",\"options\":{\"mode\":\"sockets\"}}]}",
		"{\"name\":\"victim %s\",\"kernel\":\"%s\",\"workloads\":["
		"{\"name\":\"touch\",\"options\":{\"max_mb\":24,\"hold_ms\":60000}},"
		"{\"name\":\"kmem\",\"start_delay_ms\":1500,\"options\":{\"mode\":\"pipes\"}}]}",
	};
	char *m = two_kernels("\"name\":\"kmem\",\"timeout_s\":120,\"allow\":[\"alloc_failure\"],\"base\":{\"ram_mb\":256}", cells, 3);
	int code = run_matrix(m, &first, &out);
	free(m);
	cr_expect_eq(code, 0);
	json_decref(first);
	for (size_t k = 0; k < 2; k++) {
		json_t *c = cell_of(out, "modes", kernels[k]);
		each_mode_grows_its_field(c, kernels[k]);
		json_decref(c);
		c = cell_of(out, "sockets", kernels[k]);
		sockets_oom_lists_slab(c, kernels[k]);
		json_decref(c);
		c = cell_of(out, "victim", kernels[k]);
		badness_ignores_pipe_pages(c, kernels[k]);
		json_decref(c);
	}
	validate(out);
	free(out);
}

/* A group at memory.max 64: kmem sockets in it is killed by the group's
 * OOM killer at ~60 MB counted, the group's memory.stat slab near 62 MB
 * (the datagrams are charged), and touch outside the group reaches its
 * max_mb. */
Test(wl_kmem, memcg_charges_kernel_memory)
{
	json_t *first;
	char *out;
	static const char *const cells[] = {
		"{\"name\":\"memcg %s\",\"kernel\":\"%s\",\"workloads\":["
		"{\"name\":\"kmem\",\"cgroup\":\"app\",\"options\":{\"mode\":\"sockets\"}},"
		"{\"name\":\"touch\",\"options\":{\"max_mb\":80,\"hold_ms\":3000}}]}",
	};
	char *m = two_kernels("\"name\":\"kmemcg\",\"timeout_s\":120,\"allow\":[\"alloc_failure\"],\"base\":{\"ram_mb\":256,"
			      "\"cgroup.app.memory.max\":64}",
			      cells, 1);
	int code = run_matrix(m, &first, &out);
	free(m);
	cr_expect_eq(code, 0);
	json_decref(first);
	for (size_t k = 0; k < 2; k++) {
		const char *rel = kernels[k];
		json_t *c = cell_of(out, "memcg", rel);
		expect_pass(c, rel);
		json_t *w = wl(c, 0), *t = wl(c, 1);
		cr_expect_str_eq(str(w, "endpoint"), "oom_killed", "%s", rel);
		double mb = json_number_value(json_object_get(w, "mb_reached"));
		cr_expect(mb >= 52 && mb <= 64, "%s: kmem at %.0f MB", rel, mb);
		cr_expect_gt(mint(w, "memcg_slab_kb"), 55000, "%s", rel);
		cr_expect_gt(mint(w, "memcg_kernel_kb"), 55000, "%s", rel);
		cr_expect_eq(mint(w, "memcg_sock_kb"), 0, "%s: unix datagrams count as slab", rel);
		cr_expect_str_eq(str(t, "endpoint"), "exit", "%s: touch outside the group", rel);
		cr_expect_str_eq(reason(t), "limit", "%s", rel);
		json_t *ev = json_array_get(json_object_get(c, "oom_events"), 0);
		cr_expect_str_eq(str(ev, "constraint"), "CONSTRAINT_MEMCG", "%s", rel);
		cr_expect_eq(json_array_size(json_object_get(c, "oom_events")), 1, "%s", rel);
		json_decref(c);
	}
	validate(out);
	free(out);
}
