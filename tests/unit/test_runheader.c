// SPDX-License-Identifier: GPL-2.0-or-later
/* The head of run.json (harness/run_header.c): every field a new run
 * writes before its first cell, with the exact values, sharded or not. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/utsname.h>

#include "run_header.h"
#include "lib/buildid.h"
#include "lib/util.h"
#include "lib/vocab.h"

static struct matrix stub(void)
{
	struct matrix m;
	memset(&m, 0, sizeof m);
	m.path = (char *)"examples/article.json";
	m.name = (char *)"article";
	m.n_cells = 6;
	m.digest = (char *)"abc123";
	return m;
}

Test(run_header, whole_matrix)
{
	struct matrix m = stub();
	struct run_header_in in = {.run_id = "article-20240131-120000", .m = &m, .accel = "tcg",
				   .started = "2024-01-31T12:00:00Z"};
	json_t *h = run_header(&in);
	struct utsname un;
	uname(&un);
	json_t *want = json_pack(
		"{s:s,s:o,s:s,s:{s:s,s:s,s:i,s:s,s:s},s:{s:s,s:s,s:s},"
		"s:{s:n,s:n,s:s,s:b,s:b,s:n},s:s,s:[]}",
		"format", RUN_FORMAT, "tool", buildid_tool_json(), "run_id",
		"article-20240131-120000", "matrix", "path", "examples/article.json", "name", "article",
		"cells", 6, "digest", "abc123", "copy", "matrix.json", "host", "release", un.release,
		"machine", un.machine, "accel", "tcg", "options", "kernel", "modules", "accel", "auto",
		"cold", 0, "keep_tmp", 0, "junit", "started", "2024-01-31T12:00:00Z", "cells");
	cr_assert_not_null(want);
	char *got_s = json_dumps(h, JSON_SORT_KEYS), *want_s = json_dumps(want, JSON_SORT_KEYS);
	cr_assert_str_eq(got_s, want_s);
	free(got_s);
	free(want_s);
	json_decref(want);
	json_decref(h);
}

Test(run_header, shard_and_kernel)
{
	struct matrix m = stub();
	struct run_header_in in = {.run_id = "r", .m = &m, .accel = "kvm", .kernel = "/boot/bz",
				   .modules = "/lib/modules/x", .accel_arg = "kvm", .cold = 1, .keep_tmp = 1,
				   .junit = "out/junit.xml", .kernels = json_pack("[{s:b}]", "default", 1),
				   .shard_k = 2, .shard_n = 4, .started = "t"};
	json_t *h = run_header(&in);
	char *s = json_dumps(json_object_get(h, "shard"), JSON_SORT_KEYS);
	cr_assert_str_eq(s, "{\"count\": 4, \"index\": 2}");
	free(s);
	s = json_dumps(json_object_get(h, "options"), JSON_SORT_KEYS);
	cr_assert_str_eq(s, "{\"accel\": \"kvm\", \"cold\": true, \"junit\": \"out/junit.xml\", \"keep_tmp\": true, "
			    "\"kernel\": \"/boot/bz\", \"modules\": \"/lib/modules/x\"}");
	free(s);
	s = json_dumps(json_object_get(h, "kernels"), JSON_SORT_KEYS);
	cr_assert_str_eq(s, "[{\"default\": true}]");
	free(s);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(h, "host"), "accel")), "kvm");
	cr_assert_eq(json_object_size(h), 10);
	json_decref(h);
	in.shard_n = 0;
	in.kernels = NULL;
	h = run_header(&in);
	cr_assert_null(json_object_get(h, "shard"));
	cr_assert_null(json_object_get(h, "kernels"));
	cr_assert_eq(json_object_size(h), 8);
	json_decref(h);
}

/* ---- what shards must agree on (merge) and a resumed run's kernels ---- */

static json_t *head(void)
{
	return json_pack("{s:{s:s},s:{s:s},s:{s:s,s:s},s:{s:b,s:b,s:s},s:[{s:b,s:n,s:n,s:s,s:s,s:s,s:s},"
			 "{s:b,s:s,s:n,s:s,s:s,s:s,s:s}]}",
			 "tool", "version", "0.1.0", "matrix", "digest", "8d957e265a0abd50", "host", "accel",
			 "tcg", "release", "6.1.0-host", "options", "cold", 0, "keep_tmp", 0, "accel", "auto",
			 "kernels", "default", 1, "arg", "modules", "package", "linux-image-6.1.0-57-amd64",
			 "version", "6.1.192-3", "release", "6.1.0-57-amd64", "image_sha256", "aaaa",
			 "default", 0, "arg", "linux-image-6.12-amd64", "modules", "package",
			 "linux-image-6.12.117+deb12-amd64", "version", "6.12.117-1~deb12u1", "release",
			 "6.12.117+deb12-amd64", "image_sha256", "bbbb");
}

/* each row: a change to the second head, and what the message must say */
static const struct {
	const char *path; /* object.key, or kernels[i].key */
	const char *json; /* the new value */
	const char *want; /* NULL: no disagreement */
} changes[] = {
	{"tool.version", "\"0.2.0\"", "tool.version: \"0.1.0\" and \"0.2.0\""},
	{"matrix.digest", "\"0000000000000000\"", "matrix.digest: \"8d957e265a0abd50\" and \"0000000000000000\""},
	{"host.accel", "\"kvm\"", "host.accel: \"tcg\" and \"kvm\""},
	{"options.cold", "true", "options.cold: false and true"},
	{"kernels0.release", "\"6.1.0-58-amd64\"", "the default kernel's release: \"6.1.0-57-amd64\" and \"6.1.0-58-amd64\""},
	{"kernels0.image_sha256", "\"cccc\"", "the default kernel's image_sha256: \"aaaa\" and \"cccc\""},
	{"kernels1.package", "\"linux-image-6.12.118+deb12-amd64\"",
	 "kernel linux-image-6.12-amd64's package: \"linux-image-6.12.117+deb12-amd64\" and "
	 "\"linux-image-6.12.118+deb12-amd64\""},
	/* what may differ between shards: jobs, times, the host's own kernel,
	 * where files are, --keep-tmp, --junit, how the kernel was named */
	{"host.release", "\"6.12.0-host\"", NULL},
	{"options.keep_tmp", "true", NULL},
	{"options.accel", "\"tcg\"", NULL},
	{"kernels0.arg", "\"linux-image-6.1.0-57-amd64\"", NULL},
	/* a kernel only one shard ran */
	{"kernels1.arg", "\"linux-image-6.13-amd64\"", NULL},
};

Test(run_header, shards_disagree_on_what_changes_results)
{
	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
		json_t *a = head(), *b = head();
		char *obj = xstrndup(changes[i].path, strcspn(changes[i].path, "."));
		const char *key = strchr(changes[i].path, '.') + 1;
		json_t *v = json_loads(changes[i].json, JSON_DECODE_ANY, NULL);
		cr_assert_not_null(v);
		if (!strncmp(obj, "kernels", 7))
			json_object_set_new(json_array_get(json_object_get(b, "kernels"), (size_t)(obj[7] - '0')), key, v);
		else
			json_object_set_new(json_object_get(b, obj), key, v);
		struct buf what = {0};
		int d = run_header_disagree(a, b, &what);
		if (changes[i].want) {
			cr_expect_eq(d, 1, "%s: no disagreement", changes[i].path);
			cr_expect_str_eq(what.data ? what.data : "", changes[i].want, "%s", changes[i].path);
		} else {
			cr_expect_eq(d, 0, "%s: %s", changes[i].path, what.data);
		}
		buf_free(&what);
		free(obj);
		json_decref(a);
		json_decref(b);
	}
	/* a field one run does not record (an older run.json) */
	json_t *a = head(), *b = head();
	json_object_del(json_object_get(b, "options"), "cold");
	struct buf what = {0};
	cr_expect_eq(run_header_disagree(a, b, &what), 1);
	cr_expect_str_eq(what.data, "options.cold: false and (not recorded)");
	buf_free(&what);
	json_decref(a);
	json_decref(b);
	/* runs that record no kernels (an older oomlab): the kernel as typed */
	a = head();
	b = head();
	json_object_del(a, "kernels");
	json_object_del(b, "kernels");
	json_object_set_new(json_object_get(a, "options"), "kernel", json_null());
	json_object_set_new(json_object_get(b, "options"), "kernel", json_string("linux-image-6.12-amd64"));
	json_object_set_new(json_object_get(a, "options"), "modules", json_null());
	json_object_set_new(json_object_get(b, "options"), "modules", json_null());
	what = (struct buf){0};
	cr_expect_eq(run_header_disagree(a, b, &what), 1);
	cr_expect_str_eq(what.data ? what.data : "", "options.kernel: null and \"linux-image-6.12-amd64\"");
	buf_free(&what);
	json_object_set_new(json_object_get(b, "options"), "kernel", json_null());
	json_object_set_new(json_object_get(b, "options"), "modules", json_string("/lib/modules/x"));
	what = (struct buf){0};
	cr_expect_eq(run_header_disagree(a, b, &what), 1);
	cr_expect_str_eq(what.data ? what.data : "", "options.modules: null and \"/lib/modules/x\"");
	buf_free(&what);
	json_object_set_new(json_object_get(b, "options"), "modules", json_null());
	what = (struct buf){0};
	cr_expect_eq(run_header_disagree(a, b, &what), 0, "%s", what.data);
	buf_free(&what);
	json_decref(a);
	json_decref(b);
}

Test(run_header, kernels_disagree_on_another_build)
{
	json_t *a = head(), *b = head();
	json_t *kb = json_object_get(b, "kernels");
	struct buf what = {0};
	cr_expect_eq(kernels_disagree(json_object_get(a, "kernels"), kb, &what), 0, "%s", what.data);
	json_object_set_new(json_array_get(kb, 0), "release", json_string("6.1.0-58-amd64"));
	cr_expect_eq(kernels_disagree(json_object_get(a, "kernels"), kb, &what), 1);
	cr_expect_str_eq(what.data, "the default kernel's release: \"6.1.0-57-amd64\" and \"6.1.0-58-amd64\"");
	buf_free(&what);
	json_decref(a);
	json_decref(b);
}

Test(run_header, kernels_add_new_adds_only_what_is_new)
{
	json_t *a = head(), *b = head();
	json_t *kb = json_object_get(b, "kernels");
	json_object_set_new(json_array_get(kb, 1), "arg", json_string("linux-image-6.13-amd64"));
	json_t *ka = json_object_get(a, "kernels");
	kernels_add_new(ka, kb);
	cr_assert_eq(json_array_size(ka), 3);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(ka, 2), "arg")), "linux-image-6.13-amd64");
	kernels_add_new(ka, kb);
	cr_expect_eq(json_array_size(ka), 3);
	json_decref(a);
	json_decref(b);
}

/* The tool of run.json and of a cell report: the version, the commit the
 * build was made from (40 hex digits, or unknown) and modified (null when
 * the commit is unknown), and the version string that says the same. */
Test(run_header, tool_names_the_build)
{
	json_t *t = buildid_tool_json();
	cr_assert_eq(json_object_size(t), 4);
	cr_assert_str_eq(json_string_value(json_object_get(t, "name")), "oomlab");
	cr_assert_str_eq(json_string_value(json_object_get(t, "version")), OOMLAB_VERSION);
	const char *c = json_string_value(json_object_get(t, "commit"));
	json_t *mod = json_object_get(t, "modified");
	cr_assert_not_null(c);
	char *want;
	if (!strcmp(c, "unknown")) {
		cr_assert(json_is_null(mod));
		want = xasprintf("%s (git unknown)", OOMLAB_VERSION);
	} else {
		cr_assert_eq(strspn(c, "0123456789abcdef"), 40, "%s", c);
		cr_assert_eq(strlen(c), 40);
		cr_assert(json_is_boolean(mod));
		want = xasprintf("%s (git %.12s%s)", OOMLAB_VERSION, c, json_is_true(mod) ? ", modified" : "");
	}
	cr_assert_str_eq(buildid_string(), want);
	cr_assert_str_eq(c, buildid_commit());
	free(want);
	json_decref(t);
}
