// SPDX-License-Identifier: GPL-2.0-or-later
/* workloads/schedule.c (format, parser, generators) and the replay of
 * workloads/frag.c, natively: glibc's own malloc (__libc_malloc, which
 * ASan does not intercept) replays the article's two orders and the hole
 * order must waste at least 10 times the LIFO one. */
#include <criterion/criterion.h>

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "workloads/schedule.h"

/* glibc's allocator under the sanitizer's (exported by libc.so.6) */
extern void *__libc_malloc(size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static const struct frag_allocator glibc = {__libc_malloc, __libc_realloc, __libc_free};

static char *format_all(const struct sched *s, size_t *len)
{
	size_t n = sched_format(s, NULL, 0);
	char *t = malloc(n + 1);
	cr_assert_not_null(t);
	cr_assert_eq(sched_format(s, t, n + 1), n);
	cr_assert_eq(strlen(t), n);
	*len = n;
	return t;
}

/* parse(format(s)) == s, on an exact-size copy (ASan sees overreads). */
static void roundtrip(const struct sched *s)
{
	size_t n;
	char *t = format_all(s, &n);
	char *d = dup_exact(t, n);
	struct sched back;
	char err[200] = "";
	cr_assert_eq(sched_parse(d, n, &back, err, sizeof err), 0, "%s", err);
	cr_assert(sched_equal(s, &back), "parse(format(x)) != x");
	cr_assert_eq(back.n_slots, s->n_slots);
	sched_free(&back);
	free(d);
	free(t);
}

TestSuite(schedule);

Test(schedule, every_pattern_is_valid_and_round_trips)
{
	for (int p = 0; p < SCHED_N_PATTERNS; p++) {
		struct sched s;
		char err[200] = "";
		cr_assert_eq(sched_generate((enum sched_pattern)p, 32768, 200, 7, &s), 0, "%s",
			     sched_pattern_names[p]);
		cr_assert_gt(s.n, 0);
		cr_assert_eq(sched_check(&s, err, sizeof err), 0, "%s: %s", sched_pattern_names[p], err);
		for (size_t i = 0; i < s.n; i++) {
			cr_assert_leq(s.ops[i].slot, SCHED_MAX_SLOT);
			if (s.ops[i].kind != SCHED_FREE)
				cr_assert(s.ops[i].size >= 1 && s.ops[i].size <= SCHED_MAX_SIZE);
		}
		roundtrip(&s);
		sched_free(&s);
		sched_free(&s); /* twice is fine */
	}
	cr_assert_str_eq(sched_pattern_names[SCHED_SAWTOOTH], "sawtooth");
	cr_assert_null(sched_pattern_names[SCHED_N_PATTERNS]);
}

Test(schedule, random_same_seed_same_schedule)
{
	struct sched a, b, c;
	cr_assert_eq(sched_generate(SCHED_RANDOM, 4096, 1000, 42, &a), 0);
	cr_assert_eq(sched_generate(SCHED_RANDOM, 4096, 1000, 42, &b), 0);
	cr_assert_eq(sched_generate(SCHED_RANDOM, 4096, 1000, 43, &c), 0);
	cr_assert(sched_equal(&a, &b));
	cr_assert_not(sched_equal(&a, &c));
	/* it does free and realloc, and sizes spread over R/2..2R */
	size_t fr = 0, re = 0;
	uint32_t lo = UINT32_MAX, hi = 0;
	for (size_t i = 0; i < a.n; i++) {
		fr += a.ops[i].kind == SCHED_FREE;
		re += a.ops[i].kind == SCHED_REALLOC;
		if (a.ops[i].kind != SCHED_FREE) {
			lo = a.ops[i].size < lo ? a.ops[i].size : lo;
			hi = a.ops[i].size > hi ? a.ops[i].size : hi;
		}
	}
	cr_assert(fr > 300 && fr < 700, "%zu frees", fr);
	cr_assert(re > 50 && re < 200, "%zu reallocs", re);
	cr_assert(lo >= 2048 && lo < 2300 && hi <= 8192 && hi > 7900, "sizes %u..%u", lo, hi);
	sched_free(&a);
	sched_free(&b);
	sched_free(&c);
	/* the other patterns do not use the seed */
	cr_assert_eq(sched_generate(SCHED_HOLE, 4096, 10, 1, &a), 0);
	cr_assert_eq(sched_generate(SCHED_HOLE, 4096, 10, 2, &b), 0);
	cr_assert(sched_equal(&a, &b));
	sched_free(&a);
	sched_free(&b);
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

static size_t malloc_sizes(const struct sched *s, uint32_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->ops[i].kind == SCHED_MALLOC)
			out[n++] = s->ops[i].size;
	qsort(out, n, sizeof *out, cmp_u32);
	return n;
}

Test(schedule, hole_and_lifo_make_the_same_requests)
{
	struct sched h, l;
	cr_assert_eq(sched_generate(SCHED_HOLE, 65536, 300, 0, &h), 0);
	cr_assert_eq(sched_generate(SCHED_LIFO, 65536, 300, 0, &l), 0);
	cr_assert_eq(h.n, l.n);
	cr_assert_eq(h.n, 300 * 5);
	uint32_t *a = calloc(h.n, sizeof *a), *b = calloc(l.n, sizeof *b);
	size_t na = malloc_sizes(&h, a), nb = malloc_sizes(&l, b);
	cr_assert_eq(na, 1200);
	cr_assert_eq(na, nb);
	cr_assert_eq(memcmp(a, b, na * sizeof *a), 0, "different multisets of malloc sizes");
	/* round by round too, and the same frees */
	for (size_t r = 0; r < 300; r++) {
		uint32_t x[4], y[4];
		size_t k = 0, j = 0;
		for (size_t i = r * 5; i < r * 5 + 5; i++) {
			if (h.ops[i].kind == SCHED_MALLOC)
				x[k++] = h.ops[i].size;
			if (l.ops[i].kind == SCHED_MALLOC)
				y[j++] = l.ops[i].size;
		}
		cr_assert_eq(k, 4);
		cr_assert_eq(j, 4);
		qsort(x, 4, sizeof *x, cmp_u32);
		qsort(y, 4, sizeof *y, cmp_u32);
		cr_assert_eq(memcmp(x, y, sizeof x), 0, "round %zu", r);
		cr_assert_eq(h.ops[r * 5 + 3].kind, SCHED_FREE);
		cr_assert_eq(l.ops[r * 5 + 3].kind, SCHED_FREE);
		cr_assert_eq(h.ops[r * 5 + 3].slot, l.ops[r * 5 + 3].slot);
	}
	/* hole frees a block between two live ones; lifo the newest */
	cr_assert_eq(h.ops[3].slot, h.ops[1].slot);
	cr_assert_eq(l.ops[3].slot, l.ops[2].slot);
	free(a);
	free(b);
	sched_free(&h);
	sched_free(&l);
}

Test(schedule, generator_limits)
{
	struct sched s;
	errno = 0;
	cr_assert_eq(sched_generate(SCHED_HOLE, 0, 10, 0, &s), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(sched_generate((enum sched_pattern)99, 4096, 10, 0, &s), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(sched_generate(SCHED_SAWTOOTH, 4096, 40000, 0, &s), -1); /* 31 ops a tooth */
	cr_assert_eq(errno, E2BIG);
	cr_assert_eq(sched_generate(SCHED_RANDOM, SCHED_MAX_SIZE, 10, 0, &s), -1); /* 2R */
	cr_assert_eq(errno, E2BIG);
	cr_assert_eq(sched_generate(SCHED_HOLE, 4096, 200000, 0, &s), 0); /* exactly 1e6 ops */
	cr_assert_eq(s.n, SCHED_MAX_LINES);
	sched_free(&s);
	cr_assert_eq(sched_generate(SCHED_LIFO, 4096, 0, 0, &s), 0);
	cr_assert_eq(s.n, 0);
	sched_free(&s);
}

Test(schedule, format_and_parse_by_hand)
{
	static const char text[] = "# a comment\n"
				   "\n"
				   "  m 0 100   \n"
				   "m\t7\t4096 # trailing comment\r\n"
				   "r 0 1073741824\n"
				   "   \t\n"
				   "f 7\n"
				   "m 999999 1\n"
				   "f 0"; /* no final newline */
	struct sched s;
	char err[200] = "";
	char *d = dup_exact(text, sizeof text - 1);
	cr_assert_eq(sched_parse(d, sizeof text - 1, &s, err, sizeof err), 0, "%s", err);
	cr_assert_eq(s.n, 6);
	cr_assert_eq(s.n_slots, 1000000);
	cr_assert_eq(s.ops[1].kind, 'm');
	cr_assert_eq(s.ops[1].slot, 7);
	cr_assert_eq(s.ops[1].size, 4096);
	cr_assert_eq(s.ops[2].kind, 'r');
	cr_assert_eq(s.ops[2].size, SCHED_MAX_SIZE);
	cr_assert_eq(s.ops[3].kind, 'f');
	cr_assert_eq(s.ops[3].size, 0);
	char buf[256];
	size_t n = sched_format(&s, buf, sizeof buf);
	cr_assert_str_eq(buf, "m 0 100\nm 7 4096\nr 0 1073741824\nf 7\nm 999999 1\nf 0\n");
	cr_assert_eq(n, strlen(buf));
	/* snprintf-style truncation */
	char small[10];
	cr_assert_eq(sched_format(&s, small, sizeof small), n);
	cr_assert_str_eq(small, "m 0 100\nm");
	roundtrip(&s);
	sched_free(&s);
	free(d);
	/* empty input: no operations */
	cr_assert_eq(sched_parse("", 0, &s, err, sizeof err), 0);
	cr_assert_eq(s.n, 0);
	cr_assert_eq(s.n_slots, 0);
	cr_assert_eq(sched_parse("# only\n\n", 8, &s, err, sizeof err), 0);
	cr_assert_eq(s.n, 0);
}

struct bad {
	const char *text;
	const char *msg; /* the whole message */
};

Test(schedule, every_parse_error_names_its_line)
{
	static const struct bad cases[] = {
		{"x 1 2\n", "line 1: unknown operation 'x' (allowed: m, f, r)"},
		{"# c\n\nmm 1 2\n", "line 3: unknown operation 'mm' (allowed: m, f, r)"},
		{"M 1 2\n", "line 1: unknown operation 'M' (allowed: m, f, r)"},
		{"m\n", "line 1: m: missing slot"},
		{"m 1\n", "line 1: m: missing size"},
		{"m 1 # no size\n", "line 1: m: missing size"},
		{"r 1\n", "line 1: r: missing size"},
		{"f\n", "line 1: f: missing slot"},
		{"m a 5\n", "line 1: m: bad slot 'a' (allowed 0..999999)"},
		{"m -1 5\n", "line 1: m: bad slot '-1' (allowed 0..999999)"},
		{"m 1000000 5\n", "line 1: m: slot 1000000 is out of range (allowed 0..999999)"},
		{"m 1 0\n", "line 1: m: size 0 is out of range (allowed 1..1073741824)"},
		{"m 1 1073741825\n", "line 1: m: size 1073741825 is out of range (allowed 1..1073741824)"},
		{"m 1 99999999999999999999\n",
		 "line 1: m: size 99999999999999999999 is out of range (allowed 1..1073741824)"},
		{"m 1 +5\n", "line 1: m: bad size '+5' (allowed 1..1073741824)"},
		{"m 1 5#x\n", "line 1: m: bad size '5#x' (allowed 1..1073741824)"},
		{"m 1 0x10\n", "line 1: m: bad size '0x10' (allowed 1..1073741824)"},
		{"m 1 5 6\n", "line 1: m: trailing garbage '6'"},
		{"m 1 5\nf 1 5\n", "line 2: f: trailing garbage '5'"},
		{"f 1\n", "line 1: f: slot 1 is empty"},
		{"m 1 5\nf 1\nf 1\n", "line 3: f: slot 1 is empty"},
		{"r 3 5\n", "line 1: r: slot 3 is empty"},
		{"m 1 5\n\nm 1 5\n", "line 3: m: slot 1 is in use (free it first)"},
		{"m 1 5\nm 2 5\x00\n", "line 2: NUL byte"},
		{"m 1 5\r\nm 2 5\rx\n", "line 2: m: bad size '5?x' (allowed 1..1073741824)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *t = cases[i].text;
		size_t len = strlen(t);
		if (strstr(cases[i].msg, "NUL"))
			len = 13; /* the NUL and the newline after it */
		char *d = dup_exact(t, len);
		struct sched s = {(struct sched_op *)1, 99, 99};
		char err[200] = "";
		cr_assert_eq(sched_parse(d, len, &s, err, sizeof err), -1, "accepted: %s", t);
		cr_assert_str_eq(err, cases[i].msg, "input %zu", i);
		cr_assert_null(s.ops);
		cr_assert_eq(s.n, 0);
		free(d);
	}
}

Test(schedule, long_lines_and_too_many_lines)
{
	char err[200] = "";
	struct sched s;
	/* 256 bytes is allowed (a comment), 257 not */
	char line[300];
	memset(line, ' ', sizeof line);
	memcpy(line, "m 1 5 #", 7);
	char buf[700];
	size_t n = 0;
	memcpy(buf + n, line, 256), n += 256, buf[n++] = '\n';
	memcpy(buf + n, "f 1\n", 4), n += 4;
	memcpy(buf + n, line, 257), n += 257, buf[n++] = '\n';
	cr_assert_eq(sched_parse(buf, n, &s, err, sizeof err), -1);
	cr_assert_str_eq(err, "line 3: longer than 256 bytes");
	cr_assert_eq(sched_parse(buf, 261, &s, err, sizeof err), 0, "%s", err);
	sched_free(&s);
	/* SCHED_MAX_LINES lines are allowed, one more is not */
	size_t big = SCHED_MAX_LINES + 1;
	char *nl = malloc(big);
	memset(nl, '\n', big);
	cr_assert_eq(sched_parse(nl, big - 1, &s, err, sizeof err), 0, "%s", err);
	cr_assert_eq(sched_parse(nl, big, &s, err, sizeof err), -1);
	cr_assert_str_eq(err, "line 1000001: more than 1000000 lines");
	free(nl);
	/* a small error buffer is not overrun */
	char tiny[8];
	cr_assert_eq(sched_parse("q\n", 2, &s, tiny, sizeof tiny), -1);
	cr_assert_str_eq(tiny, "line 1:");
}

Test(schedule, check_catches_what_the_parser_would)
{
	struct sched_op ops[] = {{'m', 1, 10}, {'f', 1, 0}, {'r', 1, 10}};
	struct sched s = {ops, 3, 2};
	char err[200] = "";
	cr_assert_eq(sched_check(&s, err, sizeof err), -1);
	cr_assert_str_eq(err, "op 3: r: slot 1 is empty");
	s.n = 2;
	cr_assert_eq(sched_check(&s, err, sizeof err), 0);
	ops[0].size = 0;
	cr_assert_eq(sched_check(&s, err, sizeof err), -1);
	cr_assert_str_eq(err, "op 1: m: size 0 is out of range");
	ops[0].size = 10;
	ops[1].kind = 'z';
	cr_assert_eq(sched_check(&s, err, sizeof err), -1);
	cr_assert_str_eq(err, "op 2: unknown operation 122");
	ops[1].kind = 'f';
	s.n_slots = 1;
	cr_assert_eq(sched_check(&s, err, sizeof err), -1);
	cr_assert_str_eq(err, "op 1: m: slot 1 is out of range (allowed 0..999999, n_slots 1)");
}

static long long expect_field(const char *hdr, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, " %s=", key);
	const char *p = strstr(hdr, pat);
	cr_assert_not_null(p, "no %s in the expect line", key);
	return strtoll(p + strlen(pat), NULL, 10);
}

/* The committed schedule (its header is comments): parses, and a replay
 * ends with the figures its header names. */
Test(schedule, golden_schedule_replays_as_its_header_says)
{
	struct golden g;
	golden_load("schedules/hole-small.sched", &g);
	struct sched s;
	char err[200] = "";
	char *d = dup_exact(g.data, g.len);
	cr_assert_eq(sched_parse(d, g.len, &s, err, sizeof err), 0, "%s", err);
	const char *exp = strstr(g.data, "# expect:");
	cr_assert_not_null(exp);
	cr_assert_eq((long long)s.n, expect_field(exp, "ops"));
	struct frag_run r;
	cr_assert_eq(frag_replay(&s, &glibc, 1, 0, &r), 0);
	cr_assert_not(r.failed);
	cr_assert_eq((long long)r.ops, expect_field(exp, "ops"));
	cr_assert_eq((long long)r.mallocs, expect_field(exp, "mallocs"));
	cr_assert_eq((long long)r.frees, expect_field(exp, "frees"));
	cr_assert_eq((long long)r.reallocs, expect_field(exp, "reallocs"));
	cr_assert_eq((long long)r.used_blocks, expect_field(exp, "live_blocks"));
	cr_assert_eq((long long)r.used_bytes, expect_field(exp, "used_bytes"));
	frag_release(&r, &glibc);
	frag_release(&r, &glibc); /* twice is fine */
	sched_free(&s);
	free(d);
	golden_free(&g);
}

static int fail_after;
static void *failing_malloc(size_t n)
{
	if (fail_after-- <= 0) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

Test(schedule, replay_stops_at_the_first_null)
{
	static const struct frag_allocator flaky = {failing_malloc, __libc_realloc, __libc_free};
	struct sched s;
	cr_assert_eq(sched_generate(SCHED_HOLE, 4096, 10, 0, &s), 0);
	struct frag_run r;
	fail_after = 6; /* round 0 (4 mallocs), then 2 of round 1, the 7th fails */
	cr_assert_eq(frag_replay(&s, &flaky, 1, 0, &r), 0);
	cr_assert(r.failed);
	cr_assert_eq(r.err, ENOMEM);
	cr_assert_eq(r.mallocs, 6);
	cr_assert_eq(r.frees, 1);
	cr_assert_eq(r.failed_op, 7); /* m a, m b, m c, f b, m b, m a', m b', [m c'] */
	cr_assert_eq(r.used_blocks, 5);
	cr_assert_eq(r.used_bytes, 3 * 4096 + 16 + 2 * (4096 + 16));
	struct frag_figures f;
	frag_measure(&r, frag_in_use(), &f);
	cr_assert_eq(f.used, (long long)r.used_bytes);
	frag_release(&r, &glibc);
	/* a schedule that breaks its rules stops the replay, not the program */
	s.ops[3].slot = 0;
	s.ops[4].slot = 0; /* m into slot 0, which is live */
	s.ops[3].kind = 'm';
	errno = 0;
	cr_assert_eq(frag_replay(&s, &glibc, 0, 0, &r), -1);
	cr_assert_eq(errno, EINVAL);
	frag_release(&r, &glibc);
	sched_free(&s);
}

static void replay_figures(enum sched_pattern p, struct frag_figures *f)
{
	struct sched s;
	struct frag_run r;
	cr_assert_eq(sched_generate(p, 32 * 1024, 512, 1, &s), 0);
	long long own = frag_in_use();
	cr_assert_eq(frag_replay(&s, &glibc, 1, 0, &r), 0);
	cr_assert_not(r.failed);
	frag_measure(&r, own, f);
	cr_log_info("%s: given %lld used %lld waste %lld ratio %.4f largest free %lld chunks %lld",
		    sched_pattern_names[p], f->given, f->used, f->waste, f->waste_ratio, f->largest_free,
		    f->free_chunks);
	frag_release(&r, &glibc);
	sched_free(&s);
	malloc_trim(0);
}

/* The article's result, natively: the same requests, in the hole order,
 * waste at least 10x what they waste in LIFO order. */
Test(schedule, native_hole_wastes_ten_times_lifo)
{
	struct frag_figures h, l;
	replay_figures(SCHED_HOLE, &h);
	if (h.arena <= 0)
		cr_skip_test("mallinfo2() sees no glibc heap under this sanitizer");
	replay_figures(SCHED_LIFO, &l);
	cr_assert_eq(h.used, l.used);
	cr_assert_eq(h.used, 512LL * (3 * 32768 + 16) + 3 * 16LL * (511 * 512 / 2));
	cr_assert_gt(h.waste_ratio, 0.2, "hole waste ratio %.4f", h.waste_ratio);
	cr_assert_lt(l.waste_ratio, 0.02, "lifo waste ratio %.4f", l.waste_ratio);
	cr_assert_geq(h.waste_ratio, 10 * l.waste_ratio, "hole %.4f vs lifo %.4f", h.waste_ratio,
		      l.waste_ratio);
	cr_assert_geq(h.waste, 10 * l.waste);
	cr_assert_gt(h.blowup, 1.25);
	/* the holes: one per round but the last few, none bigger than a block */
	cr_assert_geq(h.free_chunks, 500, "%lld free chunks", h.free_chunks);
	cr_assert_leq(h.largest_free, 32768 + 16 * 512 + 32);
	cr_assert_eq(l.free_chunks, 0);
	cr_assert_geq(h.vmrss, 0);
	cr_assert_geq(h.vmdata, 0);
}

Test(schedule, malloc_info_and_status_helpers)
{
	static const char xml[] =
		"<malloc version=\"1\">\n<heap nr=\"0\">\n<sizes>\n"
		"  <size from=\"32801\" to=\"36849\" total=\"8845550\" count=\"254\"/>\n"
		"  <size from=\"36865\" to=\"40945\" total=\"9959680\" count=\"256\"/>\n"
		"  <unsorted from=\"28673\" to=\"28673\" total=\"28673\" count=\"1\"/>\n"
		"</sizes>\n<total type=\"fast\" count=\"0\" size=\"0\"/>\n"
		"<system type=\"current\" size=\"75670272\"/>\n</heap>\n</malloc>\n";
	long long n = 0;
	char *d = dup_exact(xml, sizeof xml - 1);
	cr_assert_eq(frag_xml_largest_free(d, sizeof xml - 1, &n), 40944);
	cr_assert_eq(n, 511);
	free(d);
	static const char empty[] = "<malloc version=\"1\">\n<heap nr=\"0\">\n<sizes>\n</sizes>\n";
	cr_assert_eq(frag_xml_largest_free(empty, sizeof empty - 1, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(frag_xml_largest_free("<malloc/>", 9, &n), -1);
	cr_assert_eq(n, -1);
	/* truncated in the middle of an element */
	cr_assert_eq(frag_xml_largest_free(xml, 60, &n), 0);

	struct golden g;
	golden_load("proc/status-6.1-touch-live.txt", &g);
	long long vmdata = frag_status_bytes(g.body, g.body_len, "VmData");
	long long rss = frag_status_bytes(g.body, g.body_len, "VmRSS");
	cr_assert_gt(vmdata, 0);
	cr_assert_gt(rss, 0);
	cr_assert_eq(vmdata % 1024, 0);
	cr_assert_eq(frag_status_bytes(g.body, g.body_len, "NoSuchKey"), -1);
	cr_assert_eq(frag_status_bytes("xVmData: 5 kB\n", 14, "VmData"), -1);
	cr_assert_eq(frag_status_bytes("VmData:\t 5 kB\n", 14, "VmData"), 5120);
	golden_free(&g);
}
