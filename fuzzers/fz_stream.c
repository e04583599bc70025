// SPDX-License-Identifier: GPL-2.0-or-later
/* The agent stream (harness/proto/stream.h). Properties:
 *  - every record returned lies inside the input, in order, without
 *    overlap, and its payload matches the CRC in its header;
 *  - the records written again with stream_format and read back are the
 *    same records, with no damage counted;
 *  - cut the input anywhere (the cut point comes from the input): every
 *    record of the whole input that ends before the cut is still returned
 *    (a panic loses at most the record being written);
 *  - sample sections and payload lookups stay inside their payload, and
 *    so do a memory cgroup's files inside a section (parse_cg_sample).
 * The re-reads (the records written again, the cut input) call
 * stream_next_plain: the same reader built without coverage tracing
 * (mk/fuzz.mk), whose comparison hooks were a fifth of the time. */
#include <string.h>

#include "proto/crc32.h"
#include "fuzz.h"
#include "parse/parse.h"
#include "proto/stream.h"
#include "lib/util.h"

#define MAXREC 4096

/* harness/parse/stream.c again, untraced (mk/fuzz.mk) */
int stream_next_plain(const char *buf, size_t len, size_t *pos, struct stream_rec *rec,
		      struct stream_stats *st);
size_t stream_format_plain(char *out, size_t outsz, const char *kind, unsigned long long seq,
			   unsigned long long t_us, const void *payload, size_t len);

struct recs {
	struct stream_rec r[MAXREC];
	size_t n;
	struct stream_stats st;
};

typedef int next_fn(const char *, size_t, size_t *, struct stream_rec *, struct stream_stats *);

static void read_all(next_fn *next, const char *buf, size_t len, struct recs *out)
{
	size_t pos = 0;
	memset(&out->st, 0, sizeof out->st);
	out->n = 0;
	struct stream_rec rec;
	while (out->n < MAXREC && next(buf, len, &pos, &rec, &out->st)) {
		FUZZ_CHECK(pos <= len, "pos %zu past len %zu", pos, len);
		out->r[out->n++] = rec;
	}
}

static void check_sections(const struct stream_rec *r)
{
	size_t pos = 0, last = 0;
	const char *name, *d;
	size_t nl, dl;
	while (sample_next_section(r->payload, r->len, &pos, &name, &nl, &d, &dl)) {
		FUZZ_CHECK(pos > last && pos <= r->len, "section pos %zu", pos);
		FUZZ_CHECK(fuzz_inside(r->payload, r->len, name, nl) && fuzz_inside(r->payload, r->len, d, dl),
			   "section outside the payload");
		last = pos;
		/* a memory cgroup's section: its files inside it (parse/cgroup.c) */
		struct cg_sample cg = {0};
		if (parse_cg_sample(d, dl, &cg) == 0)
			FUZZ_CHECK(cg.current >= 0, "a sample without memory.current");
		cg_sample_free(&cg);
	}
	char v[64];
	long long x;
	if (payload_get(r->payload, r->len, "pid", v, sizeof v) == 0)
		FUZZ_CHECK(memchr(v, '\0', sizeof v), "value not terminated");
	payload_get_ll(r->payload, r->len, "pid", &x);
}

/* " %08x\n" of crc, by hand (a snprintf a record was 4% of the time) */
static void put_crc(char out[10], uint32_t crc)
{
	out[0] = ' ';
	for (int k = 0; k < 8; k++)
		out[1 + k] = "0123456789abcdef"[crc >> (28 - 4 * k) & 0xf];
	out[9] = '\n';
}

static struct recs whole, cut, again;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	read_all(stream_next, in, size, &whole);
	size_t prev_end = 0;
	/* the records written again, into one buffer: each record is no
	 * longer written than read (its header at most STREAM_MAX_HEADER) */
	size_t cap = 1;
	for (size_t i = 0; i < whole.n; i++)
		cap += whole.r[i].len + STREAM_MAX_HEADER + 1;
	static char *re;
	static size_t re_cap;
	if (cap > re_cap) { /* kept from input to input: one allocation less each */
		free(re);
		re = xmalloc(cap);
		re_cap = cap;
	}
	size_t re_len = 0;
	for (size_t i = 0; i < whole.n; i++) {
		const struct stream_rec *r = &whole.r[i];
		FUZZ_CHECK(r->offset >= prev_end && r->offset < size, "record %zu at %zu (previous ended %zu)", i,
			   r->offset, prev_end);
		FUZZ_CHECK(!memcmp(in + r->offset, STREAM_MAGIC, strlen(STREAM_MAGIC)), "record %zu: no magic", i);
		FUZZ_CHECK(fuzz_inside(in, size, r->payload, r->len + 1) && r->payload > in + r->offset,
			   "record %zu: payload outside the input", i);
		FUZZ_CHECK(r->payload[r->len] == '\n', "record %zu: no newline after the payload", i);
		prev_end = (size_t)(r->payload - in) + r->len + 1;
		/* the header's CRC is the payload's */
		char hdr[10];
		put_crc(hdr, crc32_ieee(r->payload, r->len));
		FUZZ_CHECK(!memcmp(r->payload - sizeof hdr, hdr, sizeof hdr), "record %zu: CRC", i);
		check_sections(r);
		size_t w = stream_format_plain(re + re_len, cap - re_len, r->kind, r->seq, r->t_us, r->payload, r->len);
		FUZZ_CHECK(w > 0, "record %zu: cannot be written again", i);
		re_len += w;
	}
	FUZZ_CHECK(whole.st.records == whole.n || whole.n == MAXREC, "stats %zu records, %zu returned",
		   whole.st.records, whole.n);
	/* written again and read back: the same records, no damage */
	char *d = fuzz_dup(re, re_len);
	read_all(stream_next_plain, d, re_len, &again);
	FUZZ_CHECK(again.n == whole.n && again.st.bad == 0 && again.st.skipped_bytes == 0 && !again.st.truncated,
		   "re-read: %zu records (%zu first), %zu bad, %zu skipped", again.n, whole.n, again.st.bad,
		   again.st.skipped_bytes);
	for (size_t i = 0; i < whole.n; i++) {
		const struct stream_rec *a = &whole.r[i], *b = &again.r[i];
		FUZZ_CHECK(!strcmp(a->kind, b->kind) && a->seq == b->seq && a->t_us == b->t_us && a->len == b->len &&
				   !memcmp(a->payload, b->payload, a->len),
			   "record %zu differs after a rewrite", i);
	}
	free(d);
	/* a cut: the input's first two bytes choose where */
	if (size >= 2) {
		size_t c = ((size_t)data[0] << 8 | data[1]) % (size + 1);
		char *head = fuzz_dup(in, c);
		read_all(stream_next_plain, head, c, &cut);
		size_t j = 0;
		for (size_t i = 0; i < whole.n; i++) {
			const struct stream_rec *r = &whole.r[i];
			if ((size_t)(r->payload - in) + r->len + 1 > c)
				break;
			while (j < cut.n && cut.r[j].offset < r->offset)
				j++;
			FUZZ_CHECK(j < cut.n && cut.r[j].offset == r->offset && cut.r[j].len == r->len,
				   "record %zu (offset %zu, ends %zu) lost when cut at %zu", i, r->offset,
				   (size_t)(r->payload - in) + r->len + 1, c);
		}
		free(head);
	}
	return 0;
}
