// SPDX-License-Identifier: GPL-2.0-or-later
/* frag-search (fuzzers/frag_search.c, docs/fuzzing.md): its schedule
 * writer and reader round-trip, its encoding round-trips, and a schedule
 * it found (examples/frag-worst.sched) replays natively with the waste its
 * header records, and worse than the article's hole pattern with the same
 * requests. Natively: glibc's own malloc (__libc_malloc, which ASan does
 * not intercept, so mallinfo2() sees only the replay's heap). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzzers/frag_search_codec.h"

extern void *__libc_malloc(size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static const struct frag_allocator glibc = {__libc_malloc, __libc_realloc, __libc_free};

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint8_t next_byte(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)rng;
}

static void replay(const struct sched *s, struct fs_result *out)
{
	struct frag_run r;
	struct frag_figures f;
	long long own = frag_in_use();
	cr_assert_eq(frag_replay(s, &glibc, 0, 0, &r), 0);
	cr_assert_not(r.failed, "malloc failed at op %zu", r.failed_op);
	frag_measure(&r, own, &f);
	out->given = f.given;
	out->used = f.used;
	out->waste = f.waste;
	out->waste_ratio = f.waste_ratio;
	out->blowup = f.blowup;
	out->peak_used = (long long)r.peak_used_bytes;
	fs_requests(s, &out->requests, &out->requested_bytes);
	frag_release(&r, &glibc);
}

static char *root_path(const char *rel)
{
	const char *root = getenv("OOMLAB_ROOT");
	char *p;
	cr_assert_neq(asprintf(&p, "%s/%s", root && *root ? root : ".", rel), -1);
	return p;
}

Test(frag_search, writer_and_reader_round_trip)
{
	char dir[] = "/tmp/oomlab-frag-search-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	for (int round = 0; round < 50; round++) {
		uint8_t in[4 * 300];
		size_t n = 4 + (size_t)(next_byte() % 250) * 4;
		for (size_t i = 0; i < n; i++)
			in[i] = next_byte();
		struct sched s, back, again;
		cr_assert_eq(fs_decode(in, n, &s), 0);
		char err[200] = "";
		cr_assert_eq(sched_check(&s, err, sizeof err), 0, "a decoded schedule breaks a rule: %s", err);
		struct fs_result r = {.given = 1000 + round, .used = 10, .waste = 990 + round, .peak_used = 77,
				      .waste_ratio = 0.123456 + round / 1000.0, .blowup = 100.5};
		char path[300];
		snprintf(path, sizeof path, "%s/s%d.sched", dir, round);
		cr_assert_eq(fs_write(path, &s, &r, "test"), 0);
		struct fs_result rb;
		cr_assert_eq(fs_read(path, &back, &rb, err, sizeof err), 0, "%s", err);
		cr_assert(sched_equal(&s, &back), "read(write(x)) != x (round %d)", round);
		cr_assert_eq(back.n_slots, s.n_slots);
		cr_assert_eq(rb.given, r.given);
		cr_assert_eq(rb.used, r.used);
		cr_assert_eq(rb.waste, r.waste);
		cr_assert_eq(rb.peak_used, r.peak_used);
		cr_assert_float_eq(rb.waste_ratio, r.waste_ratio, 1e-6);
		cr_assert_float_eq(rb.blowup, r.blowup, 1e-4);
		/* the encoding of a decoded schedule decodes to it again */
		uint8_t enc[4 * 300];
		size_t en = fs_encode(&s, enc, sizeof enc);
		cr_assert_eq(en, 4 * s.n);
		cr_assert_eq(fs_decode(enc, en, &again), 0);
		cr_assert(sched_equal(&s, &again), "decode(encode(x)) != x");
		unlink(path);
		sched_free(&s);
		sched_free(&back);
		sched_free(&again);
	}
	cr_assert_eq(rmdir(dir), 0);
}

Test(frag_search, decode_keeps_the_budget)
{
	/* every op a 1 MiB malloc into a new slot: 64 of them fit the budget */
	uint8_t in[4 * 100];
	for (int i = 0; i < 100; i++) {
		in[4 * i] = (uint8_t)i;
		in[4 * i + 1] = 0;
		in[4 * i + 2] = 0xff;
		in[4 * i + 3] = 0xff; /* v >> 14 == 3: 16384 granules * 8 * 8 = 1 MiB */
	}
	struct sched s;
	cr_assert_eq(fs_decode(in, sizeof in, &s), 0);
	cr_assert_eq(s.n, FS_BUDGET / (1 << 20));
	cr_assert_eq(s.ops[0].size, 1u << 20);
	sched_free(&s);
	cr_assert_eq(fs_decode(in, 3, &s), -1, "less than one operation");
}

Test(frag_search, found_schedule_replays_with_its_waste_and_beats_hole)
{
	char *path = root_path("examples/frag-worst.sched");
	struct sched s, hole;
	struct fs_result want, got, h;
	char err[300] = "";
	cr_assert_eq(fs_read(path, &s, &want, err, sizeof err), 0, "%s", err);
	cr_assert_geq(want.used, FS_MIN_USED, "the header records the search's figures");
	replay(&s, &got);
	cr_assert_eq(got.used, want.used, "live bytes %lld, header %lld", got.used, want.used);
	/* the same heap layout, give or take the few pages glibc's first
	 * sbrk rounds differently in another process */
	cr_assert(llabs(got.given - want.given) <= 64 * 1024, "given %lld, the search measured %lld", got.given,
		  want.given);
	cr_assert_float_eq(got.waste_ratio, want.waste_ratio, 0.01, "waste ratio %.4f, the search measured %.4f",
			   got.waste_ratio, want.waste_ratio);
	/* the article's hole pattern with the same number of requests and
	 * the same mean request size */
	unsigned long long nreq, bytes;
	fs_requests(&s, &nreq, &bytes);
	cr_assert_eq(sched_generate(SCHED_HOLE, bytes / nreq, nreq / 4 ? nreq / 4 : 1, 0, &hole), 0);
	replay(&hole, &h);
	cr_assert_gt(got.waste_ratio, h.waste_ratio + 0.2, "found %.4f, hole %.4f", got.waste_ratio, h.waste_ratio);
	sched_free(&hole);
	sched_free(&s);
	free(path);
}
