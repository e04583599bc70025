// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the agent stream reader and writer (harness/proto/stream.h), the
 * "sample" sections and the k=v payload lookups. Streams are built with
 * stream_format from real payloads (golden /proc files, a real kmsg record). */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/crc32.h"
#include "parse/parse.h"
#include "proto/stream.h"
#include "golden.h"
#include "lib/util.h"

/* body of a golden file (after the "# ---" line), heap copy of exactly
 * its bytes (no NUL: ASan catches a parser reading past the end) */
static char *st_golden_body(const char *rel, size_t *n)
{
	struct golden g;
	golden_load(rel, &g);
	*n = g.body_len;
	char *b = dup_exact(g.body, g.body_len);
	golden_free(&g);
	return b;
}

static void add_section(struct buf *b, const char *name, const char *data, size_t n)
{
	buf_printf(b, "%s %zu\n", name, n);
	buf_append(b, data, n);
	buf_append(b, "\n", 1);
}

/* ---- a multi-record stream ---- */

#define NREC 9

struct rec_spec {
	const char *kind;
	char *payload;
	size_t len;
};

struct test_stream {
	struct rec_spec r[NREC];
	size_t end[NREC]; /* offset just past each record */
	size_t start[NREC];
	char *data;
	size_t len;
};

static void build_stream(struct test_stream *ts)
{
	memset(ts, 0, sizeof *ts);
	struct buf sample = {0};
	static const char *const files[][2] = {
		{"meminfo", "proc/meminfo-6.1-touch-near-oom.txt"},
		{"vmstat", "proc/vmstat-6.1-after-oom.txt"},
		{"psi", "proc/psi-6.1-after-oom.txt"},
		{"buddyinfo", "proc/buddyinfo-6.1-boot.txt"},
		{"status.0.80", "proc/status-6.1-touch-live.txt"},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		size_t n;
		char *b = st_golden_body(files[i][1], &n);
		add_section(&sample, files[i][0], b, n);
		free(b);
	}
	static const char hello[] = "agent=0.1.0\nrelease=6.1.0-56-amd64\nversion=#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)\ncpus=1\npage_size=4096\ncmdline=console=ttyS0 panic=-1 printk.time=1\n";
	static const char knob[] = "name=overcommit_memory\npath=/proc/sys/vm/overcommit_memory\nwant=2\ngot=2\nstatus=ok\n";
	static const char kmsg[] = "3,401,4176591,-;Out of memory: Killed process 79 (touch) total-vm:184356kB, anon-rss:182452kB, file-rss:0kB, shmem-rss:552kB, UID:0 pgtables:396kB oom_score_adj:0\n";
	static const char out[] = "id=0\npid=80\n--\nreached 177 MB\npid=999\n";
	static const char fake[] = "text with a record inside\n@OL1 log 9 9 3 00000000\nabc\n@OL1 bye 10 10 0 deadbeef\n\n";
	static const char bin[] = {'\0', '\n', '@', 'O', 'L', '1', ' ', '\xff', '\n'};
	static const char bye[] = "reason=done\n";
	const struct {
		const char *kind;
		const char *p;
		size_t n;
	} in[NREC] = {
		{"hello", hello, sizeof hello - 1}, {"knob", knob, sizeof knob - 1},
		{"sample", sample.data, sample.len}, {"kmsg", kmsg, sizeof kmsg - 1},
		{"out", out, sizeof out - 1},       {"log", "", 0},
		{"kmsg", fake, sizeof fake - 1},    {"out", bin, sizeof bin},
		{"bye", bye, sizeof bye - 1},
	};
	struct buf s = {0};
	for (int i = 0; i < NREC; i++) {
		ts->r[i].kind = in[i].kind;
		ts->r[i].payload = dup_exact(in[i].p, in[i].n);
		ts->r[i].len = in[i].n;
		char *tmp = malloc(in[i].n + STREAM_MAX_HEADER + 1);
		size_t w = stream_format(tmp, in[i].n + STREAM_MAX_HEADER + 1, in[i].kind, (unsigned long long)i,
					 1000000ULL * (unsigned long long)i + 17, in[i].p, in[i].n);
		cr_assert_gt(w, in[i].n);
		ts->start[i] = s.len;
		buf_append(&s, tmp, w);
		ts->end[i] = s.len;
		free(tmp);
	}
	ts->len = s.len;
	ts->data = dup_exact(s.data, s.len);
	buf_free(&s);
	buf_free(&sample);
}

static void free_stream(struct test_stream *ts)
{
	for (int i = 0; i < NREC; i++)
		free(ts->r[i].payload);
	free(ts->data);
}

/* Reads all records; checks each against the spec (by seq). Returns count,
 * fills seen[] with the seqs. */
static size_t read_all(const struct test_stream *ts, const char *buf, size_t len, struct stream_stats *st,
		       unsigned long long *seen)
{
	size_t pos = 0, n = 0;
	struct stream_rec rec;
	memset(st, 0, sizeof *st);
	while (stream_next(buf, len, &pos, &rec, st)) {
		cr_assert_lt(rec.seq, NREC);
		const struct rec_spec *r = &ts->r[rec.seq];
		cr_assert_str_eq(rec.kind, r->kind);
		cr_assert_eq(rec.len, r->len);
		cr_assert_eq(rec.t_us, 1000000ULL * rec.seq + 17);
		cr_assert(rec.payload >= buf && rec.payload + rec.len <= buf + len);
		cr_assert(memcmp(rec.payload, r->payload, r->len) == 0);
		cr_assert_leq(pos, len);
		if (seen)
			seen[n] = rec.seq;
		n++;
	}
	cr_assert_eq(pos, len);
	cr_assert_eq(st->records, n);
	return n;
}

Test(stream, roundtrip)
{
	struct test_stream ts;
	build_stream(&ts);
	struct stream_stats st;
	unsigned long long seen[NREC];
	cr_assert_eq(read_all(&ts, ts.data, ts.len, &st, seen), NREC);
	for (int i = 0; i < NREC; i++)
		cr_assert_eq(seen[i], (unsigned long long)i);
	cr_assert_eq(st.bad, 0);
	cr_assert_eq(st.skipped_bytes, 0);
	cr_assert_not(st.truncated);
	/* offsets point at the headers */
	size_t pos = 0;
	struct stream_rec rec;
	for (int i = 0; i < NREC; i++) {
		cr_assert(stream_next(ts.data, ts.len, &pos, &rec, NULL));
		cr_assert_eq(rec.offset, ts.start[i]);
		cr_assert_eq(pos, ts.end[i]);
	}
	cr_assert_not(stream_next(ts.data, ts.len, &pos, &rec, NULL));
	cr_assert_not(stream_next(ts.data, ts.len, &pos, &rec, NULL));
	free_stream(&ts);
}

Test(stream, truncation_at_every_offset)
{
	struct test_stream ts;
	build_stream(&ts);
	for (size_t cut = 0; cut <= ts.len; cut++) {
		char *b = dup_exact(ts.data, cut);
		struct stream_stats st;
		unsigned long long seen[NREC];
		size_t n = read_all(&ts, b, cut, &st, seen);
		size_t want = 0;
		int boundary = cut == 0;
		for (int i = 0; i < NREC; i++) {
			if (ts.end[i] <= cut)
				want++;
			if (ts.end[i] == cut)
				boundary = 1;
		}
		cr_assert_eq(n, want, "cut at %zu: %zu records, want %zu", cut, n, want);
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(seen[i], i);
		cr_assert_eq(st.truncated, !boundary, "cut at %zu: truncated=%d", cut, st.truncated);
		cr_assert_eq(st.bad, 0, "cut at %zu: bad=%zu", cut, st.bad);
		free(b);
	}
	free_stream(&ts);
}

/* A flipped byte anywhere in one record's payload loses that record only. */
Test(stream, flipped_payload_byte_loses_one_record)
{
	struct test_stream ts;
	build_stream(&ts);
	char *b = dup_exact(ts.data, ts.len);
	for (int i = 0; i < NREC; i++) {
		size_t ps = ts.end[i] - 1 - ts.r[i].len;
		for (size_t off = ps; off < ts.end[i] - 1; off++) {
			for (int bit = 0; bit < 8; bit += 3) {
				b[off] ^= (char)(1 << bit);
				struct stream_stats st;
				unsigned long long seen[NREC];
				size_t n = read_all(&ts, b, ts.len, &st, seen);
				cr_assert_eq(n, NREC - 1, "record %d byte %zu: %zu records", i, off, n);
				for (size_t k = 0; k < n; k++)
					cr_assert_eq(seen[k], k < (size_t)i ? k : k + 1);
				cr_assert_geq(st.bad, 1);
				cr_assert_not(st.truncated);
				b[off] ^= (char)(1 << bit);
			}
		}
	}
	free(b);
	free_stream(&ts);
}

/* Damage to the header (kind, length, CRC, separators, magic) or to the
 * record's final '\n' costs that record and, for the '\n' that starts the
 * next header's line, the next one. seq and t_us are not covered by the
 * CRC: a digit flipped there is not detectable, so those are not flipped. */
Test(stream, damaged_header_loses_at_most_two)
{
	struct test_stream ts;
	build_stream(&ts);
	char *b = dup_exact(ts.data, ts.len);
	for (int i = 0; i < NREC; i++) {
		size_t hs = ts.start[i], he = ts.end[i] - 1 - ts.r[i].len;
		/* field boundaries: magic | kind | seq | t_us | len | crc | '\n' */
		int field = 0;
		for (size_t off = hs; off < he; off++) {
			if (off > hs + 4 && b[off - 1] == ' ')
				field++;
			if (field == 2 || field == 3)
				continue; /* seq, t_us (and the spaces before them are field 1's) */
			char saved = b[off];
			b[off] = (char)(saved == 'z' ? 'y' : saved == '\n' ? 'X' : saved ^ 0x40);
			struct stream_stats st;
			unsigned long long seen[NREC];
			size_t n = read_all(&ts, b, ts.len, &st, seen);
			cr_assert_eq(n, NREC - 1, "record %d header byte %zu ('%c'): %zu records", i, off, saved, n);
			b[off] = saved;
		}
		/* the trailing '\n' */
		size_t nl = ts.end[i] - 1;
		b[nl] = 'X';
		struct stream_stats st;
		size_t n = read_all(&ts, b, ts.len, &st, NULL);
		cr_assert_geq(n, (size_t)(i == NREC - 1 ? NREC - 1 : NREC - 2));
		b[nl] = '\n';
	}
	free(b);
	free_stream(&ts);
}

Test(stream, garbage_between_records)
{
	struct test_stream ts;
	build_stream(&ts);
	static const char *const junk[] = {
		"console noise\n",
		"@OL1 \n",
		"@OL1 log 1 2 3\n",
		"\n@OL1 log 1 2 3 0000000g\nabc\n",
		"@OL1 LOG 1 2 0 00000000\n\n",
		"@OL1 log 1 2 0 00000001\n\n", /* bad CRC for an empty payload */
		"@OL",
		"\0\0\0\xff\xfe",
		"@OL1 log 5 5 5 00000000\nab\n", /* length runs into the next record */
	};
	struct buf s = {0};
	for (int i = 0; i < NREC; i++) {
		const char *j = junk[i % (sizeof junk / sizeof junk[0])];
		size_t jl = strlen(j) ? strlen(j) : 1;
		if (i == 7)
			jl = 5;
		buf_append(&s, j, jl);
		/* records must start a line: junk without a final '\n' gets one */
		if (jl && j[jl - 1] != '\n')
			buf_append(&s, "\n", 1);
		buf_append(&s, ts.data + ts.start[i], ts.end[i] - ts.start[i]);
	}
	buf_append(&s, "trailing junk without newline", 29);
	char *b = dup_exact(s.data, s.len);
	struct stream_stats st;
	unsigned long long seen[NREC];
	cr_assert_eq(read_all(&ts, b, s.len, &st, seen), NREC);
	for (int i = 0; i < NREC; i++)
		cr_assert_eq(seen[i], (unsigned long long)i);
	cr_assert_geq(st.bad, 5);
	cr_assert_not(st.truncated);
	size_t good = 0;
	for (int i = 0; i < NREC; i++)
		good += ts.end[i] - ts.start[i];
	cr_assert_eq(st.skipped_bytes, s.len - good);
	free(b);
	buf_free(&s);
	free_stream(&ts);
}

Test(stream, huge_length_rejected)
{
	char good[256];
	size_t gl = stream_format(good, sizeof good, "bye", 1, 2, "reason=done\n", 12);
	cr_assert_gt(gl, 0);
	static const char *const heads[] = {
		"@OL1 out 0 0 1099511627776 00000000\n", /* 2^40 */
		"@OL1 out 0 0 1048577 00000000\n",       /* STREAM_MAX_PAYLOAD + 1 */
		"@OL1 out 0 0 99999999999999999999999999 00000000\n",
		"@OL1 out 0 0 -1 00000000\n",
	};
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		struct buf s = {0};
		buf_append(&s, heads[i], strlen(heads[i]));
		buf_append(&s, "some bytes\n", 11);
		buf_append(&s, good, gl);
		char *b = dup_exact(s.data, s.len);
		size_t pos = 0;
		struct stream_rec rec;
		struct stream_stats st = {0};
		cr_assert(stream_next(b, s.len, &pos, &rec, &st), "%s", heads[i]);
		cr_assert_str_eq(rec.kind, "bye");
		cr_assert_eq(st.bad, 1);
		cr_assert_not(stream_next(b, s.len, &pos, &rec, &st));
		cr_assert_not(st.truncated);
		free(b);
		buf_free(&s);
	}
	/* a lone header claiming 2^40 bytes at the end is bad, not truncation */
	static const char lone[] = "@OL1 out 0 0 1099511627776 00000000\n";
	size_t pos = 0;
	struct stream_rec rec;
	struct stream_stats st = {0};
	cr_assert_not(stream_next(lone, sizeof lone - 1, &pos, &rec, &st));
	cr_assert_eq(st.bad, 1);
	cr_assert_not(st.truncated);
}

Test(stream, max_payload)
{
	size_t n = STREAM_MAX_PAYLOAD;
	char *p = malloc(n);
	for (size_t i = 0; i < n; i++)
		p[i] = (char)('a' + i % 26);
	size_t cap = n + STREAM_MAX_HEADER + 1;
	char *out = malloc(cap);
	size_t w = stream_format(out, cap, "out", 3, 4, p, n);
	cr_assert_gt(w, n);
	cr_assert_eq(stream_format(out, cap, "out", 3, 4, p, n + 1), 0);
	cr_assert_eq(stream_format(out, w - 1, "out", 3, 4, p, n), 0); /* does not fit */
	size_t pos = 0;
	struct stream_rec rec;
	cr_assert(stream_next(out, w, &pos, &rec, NULL));
	cr_assert_eq(rec.len, n);
	cr_assert(memcmp(rec.payload, p, n) == 0);
	free(out);
	free(p);
}

Test(stream, format_rejects_bad_arguments)
{
	char out[256];
	cr_assert_eq(stream_format(out, sizeof out, "", 0, 0, "x", 1), 0);
	cr_assert_eq(stream_format(out, sizeof out, "Log", 0, 0, "x", 1), 0);
	cr_assert_eq(stream_format(out, sizeof out, "log1", 0, 0, "x", 1), 0);
	cr_assert_eq(stream_format(out, sizeof out, "abcdefghijklmnop", 0, 0, "x", 1), 0); /* 16 chars */
	cr_assert_gt(stream_format(out, sizeof out, "abcdefghijklmno", 0, 0, "x", 1), 0);
	cr_assert_eq(stream_format(out, sizeof out, NULL, 0, 0, "x", 1), 0);
	cr_assert_eq(stream_format(out, sizeof out, "log", 0, 0, NULL, 1), 0);
	cr_assert_eq(stream_format(NULL, 0, "log", 0, 0, "x", 1), 0);
	size_t w = stream_format(out, sizeof out, "log", ~0ULL, ~0ULL, NULL, 0);
	cr_assert_gt(w, 0);
	static const char want[] = "@OL1 log 18446744073709551615 18446744073709551615 0 00000000\n\n";
	cr_assert_eq(w, sizeof want - 1);
	cr_assert(memcmp(out, want, w) == 0);
	/* the CRC is zlib's: crc32("123456789") = cbf43926 */
	w = stream_format(out, sizeof out, "log", 1, 2, "123456789", 9);
	static const char want2[] = "@OL1 log 1 2 9 cbf43926\n123456789\n";
	cr_assert_eq(w, sizeof want2 - 1);
	cr_assert(memcmp(out, want2, w) == 0);
	/* exactly fitting works, one byte short does not */
	cr_assert_eq(stream_format(out, w, "log", 1, 2, "123456789", 9), w);
	cr_assert_eq(stream_format(out, w - 1, "log", 1, 2, "123456789", 9), 0);
}

/* Every row of the CRC table against the definition (the eight bit steps
 * of the reflected polynomial), and the check values of zlib's crc32():
 * a wrong row changes the CRC of any payload holding that byte. */
Test(stream, crc32_table_rows)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
		cr_assert_eq(crc32_table[n], c, "crc32_table[%u] = %08x, the definition gives %08x", n,
			     crc32_table[n], c);
	}
	cr_assert_eq(crc32_ieee("", 0), 0u);
	cr_assert_eq(crc32_ieee("123456789", 9), 0xcbf43926u);
	cr_assert_eq(crc32_ieee("The quick brown fox jumps over the lazy dog", 43), 0x414fa339u);
	unsigned char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	cr_assert_eq(crc32_ieee(all, sizeof all), 0x29058c73u); /* zlib.crc32(bytes(range(256))) */
}

Test(stream, degenerate_inputs)
{
	size_t pos = 0;
	struct stream_rec rec;
	struct stream_stats st = {0};
	cr_assert_not(stream_next("", 0, &pos, &rec, &st));
	cr_assert_not(stream_next(NULL, 10, &pos, &rec, &st));
	cr_assert_not(st.truncated);
	static const char partial[] = "@OL1 lo";
	pos = 0;
	cr_assert_not(stream_next(partial, sizeof partial - 1, &pos, &rec, &st));
	cr_assert(st.truncated);
	/* position past the end */
	pos = 100;
	cr_assert_not(stream_next(partial, sizeof partial - 1, &pos, &rec, NULL));
	/* magic not at a line start is not a header */
	char good[64];
	size_t gl = stream_format(good, sizeof good, "bye", 0, 0, "", 0);
	struct buf s = {0};
	buf_append(&s, "x", 1);
	buf_append(&s, good, gl);
	pos = 0;
	memset(&st, 0, sizeof st);
	cr_assert_not(stream_next(s.data, s.len, &pos, &rec, &st));
	cr_assert_eq(st.skipped_bytes, s.len);
	buf_free(&s);
}

Test(stream, random_damage_never_reads_out_of_bounds)
{
	struct test_stream ts;
	build_stream(&ts);
	unsigned s = 99;
	for (int round = 0; round < 300; round++) {
		char *b = dup_exact(ts.data, ts.len);
		int flips = 1 + round % 8;
		for (int k = 0; k < flips; k++) {
			s = s * 1103515245u + 12345u;
			size_t off = (s >> 8) % ts.len;
			s = s * 1103515245u + 12345u;
			b[off] = (char)(s >> 16);
		}
		s = s * 1103515245u + 12345u;
		size_t len = ts.len - (s >> 8) % 64;
		char *c = dup_exact(b, len);
		size_t pos = 0, n = 0;
		struct stream_rec rec;
		struct stream_stats st = {0};
		while (stream_next(c, len, &pos, &rec, &st)) {
			cr_assert(rec.payload >= c && rec.payload + rec.len <= c + len);
			n++;
		}
		cr_assert_leq(st.skipped_bytes, len);
		cr_assert_eq(st.records, n);
		free(c);
		free(b);
	}
	free_stream(&ts);
}

/* ---- sample sections ---- */

Test(stream, sample_sections)
{
	struct test_stream ts;
	build_stream(&ts);
	const struct rec_spec *r = &ts.r[2];
	char *p = dup_exact(r->payload, r->len);
	size_t pos = 0;
	const char *name, *data;
	size_t nl, dl;
	static const char *const names[] = {"meminfo", "vmstat", "psi", "buddyinfo", "status.0.80"};
	int i = 0;
	while (sample_next_section(p, r->len, &pos, &name, &nl, &data, &dl)) {
		cr_assert_lt(i, 5);
		cr_assert_eq(nl, strlen(names[i]));
		cr_assert(memcmp(name, names[i], nl) == 0);
		cr_assert(data >= p && data + dl <= p + r->len);
		if (i == 0) {
			struct kvlist l = {0};
			cr_assert_eq(parse_meminfo(data, dl, &l), 53);
			cr_assert_eq(kv_get(&l, "MemTotal", 0), 210752);
			kvlist_free(&l);
		} else if (i == 2) {
			struct psi ps;
			cr_assert_eq(parse_psi(data, dl, &ps), 0);
			cr_assert_eq(ps.some.total_us, 370763);
		} else if (i == 4) {
			struct proc_status sst;
			cr_assert_eq(parse_status(data, dl, &sst), 0);
			cr_assert_eq(sst.vm_pte_kb, 388);
		}
		i++;
	}
	cr_assert_eq(i, 5);
	cr_assert_eq(pos, r->len);
	/* every truncation stops cleanly, never past the cut */
	for (size_t cut = 0; cut < r->len; cut++) {
		char *c = dup_exact(p, cut);
		size_t q = 0;
		int k = 0;
		while (sample_next_section(c, cut, &q, &name, &nl, &data, &dl)) {
			cr_assert(data + dl <= c + cut);
			k++;
		}
		cr_assert_lt(k, 5);
		free(c);
	}
	static const char *const bad[] = {"", "meminfo\n", " 3\nabc\n", "meminfo 3\nab", "meminfo 3\nabcd",
					  "meminfo x\nabc\n", "meminfo 99999999999999999999999\n", "meminfo 3abc\n"};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		char *c = dup_exact(bad[k], strlen(bad[k]));
		size_t q = 0;
		cr_assert_not(sample_next_section(c, strlen(bad[k]), &q, &name, &nl, &data, &dl), "accepted %s", bad[k]);
		cr_assert_eq(q, 0);
		free(c);
	}
	/* an empty section */
	size_t q = 0;
	cr_assert(sample_next_section("x 0\n\n", 5, &q, &name, &nl, &data, &dl));
	cr_assert_eq(dl, 0);
	cr_assert_eq(q, 5);
	free(p);
	free_stream(&ts);
}

/* ---- k=v payloads ---- */

Test(stream, payload_get)
{
	static const char p[] = "id=0\npid=80\nname=touch with spaces\nneg=-42\nbig=9223372036854775807\n"
				"over=9223372036854775808\nempty=\nnotnum=12x\ncr=5\r\n--\npid=999\nhidden=1\n";
	char *b = dup_exact(p, sizeof p - 1);
	size_t n = sizeof p - 1;
	char v[64];
	long long x;
	cr_assert_eq(payload_get(b, n, "name", v, sizeof v), 0);
	cr_assert_str_eq(v, "touch with spaces");
	cr_assert_eq(payload_get_ll(b, n, "pid", &x), 0);
	cr_assert_eq(x, 80); /* the raw bytes after "--" are not looked at */
	cr_assert_eq(payload_get(b, n, "hidden", v, sizeof v), -1);
	cr_assert_eq(payload_get_ll(b, n, "neg", &x), 0);
	cr_assert_eq(x, -42);
	cr_assert_eq(payload_get_ll(b, n, "big", &x), 0);
	cr_assert_eq(x, 9223372036854775807LL);
	cr_assert_eq(payload_get_ll(b, n, "over", &x), -1);
	cr_assert_eq(payload_get_ll(b, n, "empty", &x), -1);
	cr_assert_eq(payload_get(b, n, "empty", v, sizeof v), 0);
	cr_assert_str_eq(v, "");
	cr_assert_eq(payload_get_ll(b, n, "notnum", &x), -1);
	cr_assert_eq(payload_get_ll(b, n, "cr", &x), 0);
	cr_assert_eq(x, 5);
	cr_assert_eq(payload_get_ll(b, n, "absent", &x), -1);
	cr_assert_eq(payload_get(b, n, "i", v, sizeof v), -1); /* prefix of "id" */
	cr_assert_eq(payload_get(b, n, "", v, sizeof v), -1);
	cr_assert_eq(payload_get(b, n, "id=0", v, sizeof v), -1);
	/* truncated copy */
	char small[6];
	cr_assert_eq(payload_get(b, n, "name", small, sizeof small), 0);
	cr_assert_str_eq(small, "touch");
	cr_assert_eq(payload_get(b, n, "name", NULL, 0), 0);
	/* last line without newline; every prefix is safe */
	static const char q[] = "a=1\nb=22";
	cr_assert_eq(payload_get_ll(q, sizeof q - 1, "b", &x), 0);
	cr_assert_eq(x, 22);
	for (size_t cut = 0; cut <= n; cut++) {
		char *c = dup_exact(p, cut);
		payload_get(c, cut, "cr", v, sizeof v);
		payload_get_ll(c, cut, "hidden", &x);
		free(c);
	}
	free(b);
}

/* Real agent streams (tests/golden/cells, captured by the integration
 * tests' cells) read back whole: every record good, every kmsg record and
 * every sample section well-formed, and "a Killed process line" agrees with
 * "a killed OOM event". */
Test(stream, real_agent_streams)
{
	const char *root = getenv("OOMLAB_ROOT");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/golden/cells", root && *root ? root : ".");
	DIR *d = opendir(dir);
	if (!d)
		cr_skip_test("no %s", dir);
	struct dirent *de;
	int files = 0;
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);
		if (nl < 8 || strcmp(de->d_name + nl - 7, ".stream") != 0)
			continue;
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		char *data;
		size_t len;
		cr_assert(read_file(path, &data, &len) == 0);
		char *b = dup_exact(data, len);
		free(data);
		size_t pos = 0;
		struct stream_rec rec;
		struct stream_stats st = {0};
		struct kernlog kl;
		kernlog_init(&kl);
		int killed_lines = 0;
		unsigned long long next_seq = 0;
		while (stream_next(b, len, &pos, &rec, &st)) {
			cr_assert_eq(rec.seq, next_seq, "%s: seq %llu", de->d_name, rec.seq);
			next_seq++;
			if (strcmp(rec.kind, "kmsg") == 0) {
				struct kmsg_rec k;
				cr_assert_eq(parse_kmsg_record(rec.payload, rec.len, &k), 0, "%s: kmsg seq %llu", de->d_name,
					     rec.seq);
				kernlog_feed(&kl, k.ts_us, k.text, k.text_len);
				if (memmem(k.text, k.text_len, ": Killed process ", 17))
					killed_lines++;
			} else if (strcmp(rec.kind, "sample") == 0) {
				size_t p = 0;
				const char *name, *sd;
				size_t nlen, sl;
				while (sample_next_section(rec.payload, rec.len, &p, &name, &nlen, &sd, &sl)) {
					if (nlen > 7 && memcmp(name, "status.", 7) == 0) {
						struct proc_status ps;
						cr_assert_eq(parse_status(sd, sl, &ps), 0);
					} else if (nlen == 7 && memcmp(name, "meminfo", 7) == 0) {
						struct kvlist l = {0};
						cr_assert_gt(parse_meminfo(sd, sl, &l), 40);
						cr_assert(kv_has(&l, "MemTotal"));
						kvlist_free(&l);
					}
				}
				cr_assert_eq(p, rec.len, "%s: sample seq %llu not consumed", de->d_name, rec.seq);
			}
		}
		cr_assert_gt(st.records, 0);
		cr_assert_eq(st.bad, 0, "%s", de->d_name);
		int killed = 0;
		for (size_t i = 0; i < kl.n_oom; i++)
			killed += kl.oom[i].killed;
		cr_assert_eq(killed, killed_lines, "%s", de->d_name);
		kernlog_free(&kl);
		free(b);
		files++;
	}
	closedir(d);
	if (!files)
		cr_skip_test("no streams in %s", dir);
}
