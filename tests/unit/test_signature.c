// SPDX-License-Identifier: GPL-2.0-or-later
/* Behaviour signatures (reports/signature.c) of real recorded cell
 * reports, exact: a line that changes changes what fuzz-knobs calls new. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "lib/util.h"
#include "reports/signature.h"

static json_t *load(const char *rel)
{
	char *p = golden_path(rel);
	json_error_t je;
	json_t *j = json_load_file(p, 0, &je);
	cr_assert(j, "%s: %s", p, je.text);
	free(p);
	/* tests/golden/cells/<id>.report.json hold {"report", "row"} */
	json_t *rep = json_object_get(j, "report");
	if (rep) {
		json_incref(rep);
		json_decref(j);
		return rep;
	}
	return j;
}

static void check(const char *rel, const char *want, const char *want_hash)
{
	json_t *rep = load(rel);
	struct buf b = {0};
	signature_text(rep, &b);
	char h[17];
	signature_hash(b.data, h);
	cr_expect_str_eq(b.data, want, "%s:\n%s", rel, b.data);
	cr_expect_str_eq(h, want_hash, "%s hash %s", rel, h);
	buf_free(&b);
	json_decref(rep);
}

Test(signature, two_kills_global)
{
	check("runs/article/cells/overcommit-0-swap-0.json",
	      "endpoints alloc:oom_killed touch:oom_killed\n"
	      "oom global_oom CONSTRAINT_NONE GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO order=0\n"
	      "rule alloc:oom_killed: writes one page per block, plus page tables; touch:oom_killed: writes every page\n"
	      "victim largest\n"
	      "stall no\n"
	      "mb alloc:in touch:in\n"
	      "time <1s\n",
	      "c81447bcc5be0f50");
}

Test(signature, enomem_32bit)
{
	check("runs/article/cells/32-bit-process.json",
	      "endpoints m32:enomem\n"
	      "oom -\n"
	      "rule m32:enomem: N-bit address space (N GiB)\n"
	      "victim -\n"
	      "stall no\n"
	      "mb m32:in\n"
	      "time -\n",
	      "a462971d63ba8788");
}

Test(signature, enomem_commit)
{
	check("runs/article/cells/overcommit-2-ratio-50.json",
	      "endpoints alloc:enomem touch:enomem\n"
	      "oom -\n"
	      "rule alloc:enomem: overcommit_memory=N; touch:enomem: overcommit_memory=N\n"
	      "victim -\n"
	      "stall no\n"
	      "mb alloc:in touch:in\n"
	      "time -\n",
	      "126e9e4444643829");
}

Test(signature, two_adj)
{
	check("cells/612-two-adj.report.json",
	      "endpoints touch:oom_killed\n"
	      "oom global_oom CONSTRAINT_NONE GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO order=0\n"
	      "rule touch:oom_killed: max_mb=N; touch:oom_killed: writes every page\n"
	      "victim not-largest\n"
	      "findings page allocation failure in do_anonymous_page\n"
	      "stall no\n"
	      "mb touch:in touch:in\n"
	      "time <1s\n",
	      "efc20f35fb476da9");
}

Test(signature, deadline)
{
	check("cells/deadline.report.json",
	      "endpoints touch:timeout\n"
	      "oom -\n"
	      "rule touch:timeout: writes every page\n"
	      "victim -\n"
	      "stall no\n"
	      "mb touch:below\n"
	      "time -\n",
	      "5d8914215dd7eef6");
}

Test(signature, immune)
{
	check("cells/immune.report.json",
	      "endpoints touch:vm_panic\n"
	      "oom - - GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO order=0\n"
	      "rule touch:vm_panic: writes every page\n"
	      "victim -\n"
	      "findings Out of memory and no killable processes in __handle_mm_fault\n"
	      "stall no\n"
	      "mb touch:-\n"
	      "time -\n",
	      "bfa50a06ddb83db4");
}

Test(signature, touch_swap_612)
{
	check("cells/612-touch-swap.report.json",
	      "endpoints touch:oom_killed\n"
	      "oom global_oom CONSTRAINT_NONE GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO order=0\n"
	      "rule touch:oom_killed: writes every page\n"
	      "victim largest\n"
	      "stall no\n"
	      "mb touch:in\n"
	      "time 1-4s\n",
	      "fa5dde22ad8529d1");
}

/* Findings (the fnd-judge branch's "findings" array) and a stalled
 * workload (the stall branch's endpoint) on a recorded report: titles
 * sorted and once each, and "stall yes". */
Test(signature, findings_and_stall)
{
	json_t *rep = load("cells/612-touch-swap.report.json");
	json_t *fs = json_array();
	json_array_append_new(fs, json_pack("{s:s,s:s}", "kind", "warning", "title", "WARNING in foo"));
	json_array_append_new(fs, json_pack("{s:s,s:s}", "kind", "hung_task",
					    "title", "INFO: task hung in folio_wait_bit_common"));
	json_array_append_new(fs, json_pack("{s:s,s:s}", "kind", "warning", "title", "WARNING in foo"));
	json_object_set_new(rep, "findings", fs);
	json_object_set_new(json_array_get(json_object_get(rep, "workloads"), 0), "endpoint", json_string("stalled"));
	struct buf b = {0};
	signature_text(rep, &b);
	cr_expect_str_eq(b.data, "endpoints touch:stalled\n"
				 "oom global_oom CONSTRAINT_NONE GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO order=0\n"
				 "rule touch:stalled: writes every page\n"
				 "victim largest\n"
				 "findings INFO: task hung in folio_wait_bit_common WARNING in foo\n"
				 "stall yes\n"
				 "mb touch:in\n"
				 "time 1-4s\n");
	/* an empty array is no findings: the same signature as no key */
	buf_free(&b);
	json_object_set_new(rep, "findings", json_array());
	json_object_set_new(json_array_get(json_object_get(rep, "workloads"), 0), "endpoint", json_string("oom_killed"));
	signature_text(rep, &b);
	char h[17];
	signature_hash(b.data, h);
	cr_expect_str_eq(h, "fa5dde22ad8529d1");
	buf_free(&b);
	json_decref(rep);
}

Test(signature, buckets)
{
	cr_expect_str_eq(signature_mb_bucket(49, 100, 200), "far-below");
	cr_expect_str_eq(signature_mb_bucket(50, 100, 200), "below");
	cr_expect_str_eq(signature_mb_bucket(99.9, 100, 200), "below");
	cr_expect_str_eq(signature_mb_bucket(100, 100, 200), "in");
	cr_expect_str_eq(signature_mb_bucket(200, 100, 200), "in");
	cr_expect_str_eq(signature_mb_bucket(201, 100, 200), "above");
	cr_expect_str_eq(signature_mb_bucket(400, 100, 200), "above");
	cr_expect_str_eq(signature_mb_bucket(401, 100, 200), "far-above");
	cr_expect_str_eq(signature_time_bucket(0), "<1s");
	cr_expect_str_eq(signature_time_bucket(999999), "<1s");
	cr_expect_str_eq(signature_time_bucket(1000000), "1-4s");
	cr_expect_str_eq(signature_time_bucket(3999999), "1-4s");
	cr_expect_str_eq(signature_time_bucket(4000000), "4-16s");
	cr_expect_str_eq(signature_time_bucket(16000000), "16-64s");
	cr_expect_str_eq(signature_time_bucket(63999999), "16-64s");
	cr_expect_str_eq(signature_time_bucket(64000000), ">=64s");
}
