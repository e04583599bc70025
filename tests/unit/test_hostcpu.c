// SPDX-License-Identifier: GPL-2.0-or-later
/* The CPU line of the snapshot key (vm/hostcpu.h), from a real
 * query-cpu-model-expansion answer and a real /proc/cpuinfo
 * (tests/golden/qemu/). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "vm/hostcpu.h"
#include "vm/qmp.h"

static char *golden_text(const char *rel, size_t *len)
{
	const char *r = getenv("OOMLAB_ROOT");
	char *p = xasprintf("%s/tests/golden/%s", r && *r ? r : ".", rel), *text = NULL;
	cr_assert_eq(read_file(p, &text, len), 0, "%s", p);
	free(p);
	return text;
}

static char *expansion(const char *rel)
{
	char *text = golden_text(rel, NULL);
	json_error_t je;
	json_t *j = qmp_parse(text, strlen(text), &je); /* as QMP's answers are read */
	cr_assert_not_null(j, "%s: %s", rel, je.text);
	char *id = hostcpu_from_expansion(json_object_get(json_object_get(j, "return"), "model"));
	json_decref(j);
	free(text);
	return id;
}

Test(hostcpu, expansion_gives_the_identity_and_the_flags_that_are_on)
{
	char *id = expansion("qemu/cpu-model-expansion-qemu64.json");
	cr_assert_not_null(id);
	cr_assert(!strncmp(id, "qemu: vendor=AuthenticAMD family=15 model=107 stepping=1 model-id=QEMU Virtual CPU version 2.5+ flags=",
			   strlen("qemu: vendor=AuthenticAMD family=15 model=107 stepping=1 model-id=QEMU Virtual CPU version 2.5+ flags=")),
		  "%s", id);
	/* on: in, sorted; off: out */
	cr_assert_not_null(strstr(id, ",cx16,"), "%s", id);
	cr_assert_null(strstr(id, ",aes,"), "aes is off for qemu64: %s", id);
	const char *f = strstr(id, "flags=") + 6;
	for (const char *p = f, *q; (q = strchr(p, ',')); p = q + 1) {
		const char *n = strchr(q + 1, ',');
		size_t a = (size_t)(q - p), b = n ? (size_t)(n - q - 1) : strlen(q + 1);
		int c = strncmp(p, q + 1, a < b ? a : b);
		cr_assert(c < 0 || (c == 0 && a < b), "flags not sorted at %.20s", p);
	}
	/* another model is another line */
	char *host = expansion("qemu/cpu-model-expansion-host-tcg.json");
	cr_assert_not_null(host);
	cr_assert_str_neq(host, id);
	cr_assert_not_null(strstr(host, ",aes,"), "%s", host);
	free(host);
	free(id);
	cr_assert_null(hostcpu_from_expansion(NULL));
	json_t *empty = json_pack("{s:{}}", "props");
	cr_assert_null(hostcpu_from_expansion(empty));
	json_decref(empty);
}

Test(hostcpu, cpuinfo_gives_the_first_processor_with_sorted_flags)
{
	size_t len;
	char *text = golden_text("qemu/host-cpuinfo-amd-epyc.txt", &len);
	char *id = hostcpu_from_cpuinfo(text, len);
	cr_assert_not_null(id);
	const char *want = "cpuinfo: vendor=AuthenticAMD family=26 model=2 stepping=1 name=AMD EPYC flags=";
	cr_assert(!strncmp(id, want, strlen(want)), "%s", id);
	cr_assert_not_null(strstr(id, ",avx2,"), "%s", id);
	cr_assert_null(strstr(id, "MHz"), "what changes by the second is not in it: %s", id);
	cr_assert_null(strstr(id, "bugs"), "%s", id);
	/* one flag more is another CPU */
	char *more = xstrdup(text);
	char *fl = strstr(more, "flags\t\t: ");
	cr_assert_not_null(fl);
	memcpy(fl + 9, "fpx", 3); /* "fpu" -> "fpx" */
	char *id2 = hostcpu_from_cpuinfo(more, strlen(more));
	cr_assert_str_neq(id, id2);
	free(id2);
	free(more);
	cr_assert_null(hostcpu_from_cpuinfo("processor\t: 0\n", 14));
	free(id);
	free(text);
	/* TCG: QEMU's own model, nothing to add */
	cr_assert_null(hostcpu_id("tcg"));
}
