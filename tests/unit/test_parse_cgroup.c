// SPDX-License-Identifier: GPL-2.0-or-later
/* A memory cgroup's sample section (parse/cgroup.c) on real sections of
 * both kernels (tests/golden/cgroup), and what the judge makes of them:
 * the groups' observations and the report's "cgroups" object
 * (judge/cgroups.c). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "judge/cgroups.h"
#include "lib/util.h"
#include "parse/parse.h"
#include "plan/matrix.h"

static const char *const golden_files[] = {
	"cgroup/app-6.1-high-end.txt",
	"cgroup/app-6.1-high-peak.txt",
	"cgroup/app-6.12-high-end.txt",
	"cgroup/app-6.12-high-peak.txt",
	"cgroup/kmem-6.1-sockets-peak.txt",
	"cgroup/kmem-6.12-sockets-peak.txt",
};

/* the value of key in the "# expect:" line */
static const char *expect_val(const struct golden *g, const char *key, char *out, size_t outsz)
{
	const char *h = strstr(g->data, "# expect: ");
	cr_assert_not_null(h);
	const char *le = strchr(h, '\n');
	size_t kl = strlen(key);
	for (const char *p = h + 10; p < le;) {
		const char *sp = memchr(p, ' ', (size_t)(le - p));
		if (!sp)
			sp = le;
		if ((size_t)(sp - p) > kl && !memcmp(p, key, kl) && p[kl] == '=') {
			snprintf(out, outsz, "%.*s", (int)(sp - p - (long)kl - 1), p + kl + 1);
			return out;
		}
		p = sp + 1;
	}
	cr_assert_fail("no %s in the expect line", key);
	return NULL;
}

static long long expect_ll(const struct golden *g, const char *key)
{
	char v[64];
	return strtoll(expect_val(g, key, v, sizeof v), NULL, 10);
}

static double expect_d(const struct golden *g, const char *key)
{
	char v[64];
	return strtod(expect_val(g, key, v, sizeof v), NULL);
}

static void check_golden(const char *rel)
{
	struct golden g;
	golden_load(rel, &g);
	char *b = dup_exact(g.body, g.body_len);
	struct cg_sample s = {0};
	cr_assert_eq(parse_cg_sample(b, g.body_len, &s), 0, "%s", rel);
	cr_expect_eq(s.current, expect_ll(&g, "current"), "%s", rel);
	cr_expect_eq(s.peak, expect_ll(&g, "peak"), "%s", rel);
	cr_expect_eq(s.swap_current, expect_ll(&g, "swap_current"), "%s", rel);
	cr_expect_eq((long long)s.events.n, expect_ll(&g, "n_events"), "%s", rel);
	cr_expect_eq((long long)s.stat.n, expect_ll(&g, "n_stat"), "%s", rel);
	for (size_t i = 0; i < s.events.n; i++) {
		char k[KV_KEY_MAX + 8];
		snprintf(k, sizeof k, "events.%s", s.events.v[i].key);
		cr_expect_eq(s.events.v[i].val, expect_ll(&g, k), "%s: %s", rel, k);
	}
	for (size_t i = 0; i < s.stat.n; i++) {
		char k[KV_KEY_MAX + 8];
		snprintf(k, sizeof k, "stat.%s", s.stat.v[i].key);
		cr_expect_eq(s.stat.v[i].val, expect_ll(&g, k), "%s: %s", rel, k);
	}
	cr_assert(s.has_psi && s.psi.some.present && s.psi.full.present, "%s", rel);
	cr_expect_float_eq(s.psi.some.avg10, expect_d(&g, "some.avg10"), 1e-9);
	cr_expect_float_eq(s.psi.some.avg60, expect_d(&g, "some.avg60"), 1e-9);
	cr_expect_float_eq(s.psi.some.avg300, expect_d(&g, "some.avg300"), 1e-9);
	cr_expect_eq((long long)s.psi.some.total_us, expect_ll(&g, "some.total"));
	cr_expect_float_eq(s.psi.full.avg10, expect_d(&g, "full.avg10"), 1e-9);
	cr_expect_eq((long long)s.psi.full.total_us, expect_ll(&g, "full.total"));
	/* every prefix: no read past it, no more than the whole gives */
	for (size_t cut = 0; cut <= g.body_len; cut++) {
		char *c = dup_exact(g.body, cut);
		struct cg_sample p = {0};
		int r = parse_cg_sample(c, cut, &p);
		cr_assert(r == 0 || p.current == -1);
		cr_assert(p.events.n <= s.events.n && p.stat.n <= s.stat.n);
		cg_sample_free(&p);
		free(c);
	}
	cg_sample_free(&s);
	free(b);
	golden_free(&g);
}

Test(cgsample, golden_6_1_end)
{
	check_golden(golden_files[0]);
}

Test(cgsample, golden_6_1_peak)
{
	check_golden(golden_files[1]);
}

Test(cgsample, golden_6_12_end)
{
	check_golden(golden_files[2]);
}

Test(cgsample, golden_6_12_peak)
{
	check_golden(golden_files[3]);
}

/* The kernel memory entries of memory.stat (kmem holding unix socket
 * buffers in group app, both kernels): the agent keeps kernel, slab,
 * sock, kernel_stack and pagetables with the others. */
Test(cgsample, golden_6_1_kernel_memory)
{
	check_golden(golden_files[4]);
}

Test(cgsample, golden_6_12_kernel_memory)
{
	check_golden(golden_files[5]);
}

/* A real section with one of its files cut out (a kernel without it). */
static char *without(const char *rel, const char *file, size_t *len)
{
	struct golden g;
	golden_load(rel, &g);
	char *head = xasprintf("\n%s ", file);
	const char *p = strstr(g.body - 1, head) + 1; /* the body starts after a '\n' */
	cr_assert(p > g.body - 1 + 1 || !strncmp(g.body, file, strlen(file)));
	size_t pos = (size_t)(p - g.body), q = pos;
	cr_assert(sample_next_section(g.body, g.body_len, &q, NULL, NULL, NULL, NULL));
	char *out = xmalloc(g.body_len);
	memcpy(out, g.body, pos);
	memcpy(out + pos, g.body + q, g.body_len - q);
	*len = g.body_len - (q - pos);
	free(head);
	golden_free(&g);
	return out;
}

Test(cgsample, a_file_the_kernel_lacks_is_absent)
{
	size_t n;
	char *b = without(golden_files[2], "memory.peak", &n);
	struct cg_sample s = {0};
	cr_assert_eq(parse_cg_sample(b, n, &s), 0);
	cr_expect_eq(s.peak, -1);
	cr_expect_eq(s.current, 131072);
	cr_expect_eq(s.swap_current, 245760);
	cr_expect_eq(s.events.n, 6);
	free(b);
	b = without(golden_files[2], "memory.current", &n);
	cr_expect_eq(parse_cg_sample(b, n, &s), -1, "no memory.current: no sample");
	cg_sample_free(&s);
	free(b);
}

Test(cgsample, damage_is_refused_not_rounded)
{
	static const struct {
		const char *text;
		long long current;
	} cases[] = {
		{"memory.current 4\n123\n\n", 123},
		{"memory.current 3\n123\n", 123},         /* no newline in the file: fine */
		{"memory.current 5\n12a3\n\n", -1},
		{"memory.current 1\n\n\n", -1},
		{"memory.current 21\n99999999999999999999\n\n", -1},
		{"memory.current 5\n-123\n\n", -1},
		{"memory.currentX 4\n123\n\n", -1},
		{"memory.current 9\n123\n", -1},          /* the frame runs past the end */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = strlen(cases[i].text);
		char *b = dup_exact(cases[i].text, n);
		struct cg_sample s = {0};
		parse_cg_sample(b, n, &s);
		cr_expect_eq(s.current, cases[i].current, "case %zu", i);
		cg_sample_free(&s);
		free(b);
	}
}

/* ---- the judge: observations and the report's "cgroups" ---- */

static char *body_of(const char *rel, size_t *n)
{
	struct golden g;
	golden_load(rel, &g);
	char *b = xmalloc(g.body_len);
	memcpy(b, g.body, g.body_len);
	*n = g.body_len;
	golden_free(&g);
	return b;
}

static json_t *knob_rec(const char *name, const char *want, const char *got, const char *status)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", name, "path", "/x", "want", want, "got", got,
			 "status", status);
}

Test(cgsample, report_of_a_group_from_real_sections)
{
	static const char m[] = "{\"cells\":[{\"cgroup.app.memory.max\":64,\"cgroup.app.memory.high\":48,"
				"\"workloads\":[{\"name\":\"touch\",\"cgroup\":\"app\"},{\"name\":\"touch\",\"cgroup\":\"idle\"}]}]}";
	struct matrix mx;
	struct buf err = {0};
	cr_assert_eq(matrix_load_buf("m.json", m, strlen(m), ".", &mx, &err), 0, "%s", err.data);
	json_t *obs = json_object();
	size_t n1, n2;
	char *peak = body_of("cgroup/app-6.12-high-peak.txt", &n1);
	char *end = body_of("cgroup/app-6.12-high-end.txt", &n2);
	cg_obs_section(obs, "cgroup.app", 10, peak, n1, 1000);
	cg_obs_section(obs, "cgroup.app", 10, end, n2, 2500);
	/* a name plan/ would not make, a damaged section: left out */
	cg_obs_section(obs, "cgroup.App", 10, end, n2, 2500);
	cg_obs_section(obs, "cgroup.../x", 11, end, n2, 2500);
	cg_obs_section(obs, "cgroup.bad", 10, "memory.current 1\nx\n", 19, 2500);
	cr_expect_eq(json_object_size(obs), 1);
	json_t *knobs = json_array();
	json_array_append_new(knobs, knob_rec("cgroup.app.memory.max", "67108864", "67108864", "ok"));
	json_array_append_new(knobs, knob_rec("cgroup.app.memory.high", "50331648", "50331648", "ok"));
	json_array_append_new(knobs, knob_rec("cgroup.app.memory.low", "", "0", "default"));
	json_array_append_new(knobs, knob_rec("cgroup.app.memory.swap.max", "", "max", "default"));
	json_array_append_new(knobs, knob_rec("cgroup.app.memory.zswap.max", "", "", "absent"));
	json_array_append_new(knobs, knob_rec("cgroup.app.memory.oom.group", "", "0", "default"));
	json_array_append_new(knobs, knob_rec("cgroup.idle.memory.max", "", "max", "default"));
	json_t *r = cg_report(&mx.cells[0], obs, knobs);
	cr_assert_not_null(r);
	cr_expect_eq(json_object_size(r), 2);
	json_t *app = json_object_get(r, "app");
	char *text = json_dumps(json_object_get(app, "limits"), JSON_SORT_KEYS | JSON_COMPACT);
	cr_expect_str_eq(text, "{\"memory.high\":50331648,\"memory.low\":0,\"memory.max\":67108864,"
			       "\"memory.oom.group\":0,\"memory.swap.max\":\"max\"}");
	free(text);
	cr_expect_eq(json_integer_value(json_object_get(app, "peak")), 50585600);
	cr_expect_str_eq(json_string_value(json_object_get(app, "peak_from")), "memory.peak");
	cr_expect_eq(json_integer_value(json_object_get(app, "current_max")), 50585600);
	cr_expect_eq(json_integer_value(json_object_get(app, "samples")), 2);
	text = json_dumps(json_object_get(app, "events"), JSON_SORT_KEYS | JSON_COMPACT);
	cr_expect_str_eq(text, "{\"high\":130,\"low\":0,\"max\":0,\"oom\":0,\"oom_group_kill\":0,\"oom_kill\":0}");
	free(text);
	json_t *e = json_object_get(app, "end");
	cr_expect_eq(json_integer_value(json_object_get(e, "memory.current")), 131072);
	cr_expect_eq(json_integer_value(json_object_get(e, "memory.swap.current")), 245760);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(e, "stat"), "pgscan")), 16768);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(json_object_get(e, "pressure"), "full"),
							"total_us")),
		     6377052);
	json_t *s = json_object_get(app, "series");
	text = json_dumps(s, JSON_SORT_KEYS | JSON_COMPACT);
	cr_expect_str_eq(text, "{\"anon\":[50159616,0],\"events.high\":[1,131],\"events.max\":[0,0],"
			       "\"events.oom_kill\":[0,0],\"file\":[0,0],\"full_avg10\":[0.0,38.839999999999996],"
			       "\"kernel\":[null,null],\"kernel_stack\":[null,null],"
			       "\"memory.current\":[50585600,131072],\"memory.swap.current\":[0,245760],"
			       "\"pagetables\":[null,null],\"pgscan\":[0,16768],\"pgsteal\":[0,8384],\"shmem\":[0,0],"
			       "\"slab\":[null,null],\"sock\":[null,null],"
			       "\"some_avg10\":[0.0,38.839999999999996],\"t_ms\":[1000,2500],"
			       "\"workingset_refault_anon\":[0,14],\"workingset_refault_file\":[0,0]}");
	free(text);
	/* a group never sampled: its read-back limits, nulls */
	json_t *idle = json_object_get(r, "idle");
	cr_expect_eq(json_object_size(json_object_get(idle, "limits")), 1);
	cr_expect(json_is_null(json_object_get(idle, "start")));
	cr_expect(json_is_null(json_object_get(idle, "peak")));
	cr_expect(json_is_null(json_object_get(idle, "events")));
	cr_expect_eq(json_integer_value(json_object_get(idle, "samples")), 0);
	json_decref(r);
	json_decref(knobs);
	json_decref(obs);
	free(peak);
	free(end);
	matrix_free(&mx);
}

/* The kernel memory charged to a group is a column of its series (one
 * real section of each kernel: kmem's socket buffers are slab). A section
 * recorded before the agent kept these keys gives null (above). */
Test(cgsample, series_of_kernel_memory)
{
	static const char m[] = "{\"cells\":[{\"workloads\":[{\"name\":\"kmem\",\"cgroup\":\"app\"}]}]}";
	static const struct {
		const char *rel, *series;
	} want[] = {
		{"cgroup/kmem-6.1-sockets-peak.txt", "{\"kernel\":[25444352],\"kernel_stack\":[0],\"pagetables\":[28672],"
						     "\"slab\":[25387000],\"sock\":[0]}"},
		{"cgroup/kmem-6.12-sockets-peak.txt", "{\"kernel\":[25440256],\"kernel_stack\":[0],\"pagetables\":[36864],"
						      "\"slab\":[25388920],\"sock\":[0]}"},
	};
	struct matrix mx;
	struct buf err = {0};
	cr_assert_eq(matrix_load_buf("m.json", m, strlen(m), ".", &mx, &err), 0, "%s", err.data);
	for (size_t i = 0; i < 2; i++) {
		json_t *obs = json_object();
		size_t n;
		char *b = body_of(want[i].rel, &n);
		cg_obs_section(obs, "cgroup.app", 10, b, n, 1000);
		json_t *r = cg_report(&mx.cells[0], obs, NULL);
		cr_assert_not_null(r);
		json_t *se = json_object_get(json_object_get(r, "app"), "series");
		json_t *k = json_pack("{s:O,s:O,s:O,s:O,s:O}", "kernel", json_object_get(se, "kernel"), "slab",
				      json_object_get(se, "slab"), "sock", json_object_get(se, "sock"), "kernel_stack",
				      json_object_get(se, "kernel_stack"), "pagetables", json_object_get(se, "pagetables"));
		cr_assert_not_null(k, "%s: a column is missing", want[i].rel);
		char *text = json_dumps(k, JSON_SORT_KEYS | JSON_COMPACT);
		cr_expect_str_eq(text, want[i].series, "%s", want[i].rel);
		free(text);
		json_decref(k);
		json_decref(r);
		json_decref(obs);
		free(b);
	}
	matrix_free(&mx);
}

Test(cgsample, no_group_no_key)
{
	static const char m[] = "{\"cells\":[{\"workloads\":[\"touch\"]}]}";
	struct matrix mx;
	struct buf err = {0};
	cr_assert_eq(matrix_load_buf("m.json", m, strlen(m), ".", &mx, &err), 0, "%s", err.data);
	cr_expect_null(cg_report(&mx.cells[0], NULL, NULL));
	matrix_free(&mx);
}
