// SPDX-License-Identifier: GPL-2.0-or-later
/* make bench-parsers: every parser of guest output (harness/parse/) on a
 * 10 MB and a 100 MB input, in the plain -O2 build. Each input is a real
 * recorded file (tests/golden/) repeated to the size. Prints MB/s at both
 * sizes and the ratio of the times (10.0 for a linear parser); a ratio
 * above MAX_RATIO fails (exit 1): the parser is not linear in its input.
 *   build/bench/parsers [ROOT] [--json FILE]
 * ROOT: the source tree, default "."; --json also writes the figures to
 * FILE (make bench-parsers: build/bench/parsers.json, read by bench/run). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/util.h"
#include "proto/macros.h"
#include "parse/parse.h"
#include "proto/stream.h"

#define MB (1024.0 * 1024.0)
/* 10 x the bytes take 10 x the time when linear, 100 x when quadratic;
 * on a shared host the times are noisy, so the limit is in between */
#define MAX_RATIO 20.0
/* below this at 100 MB a parser is only reading memory: not judged */
#define MIN_JUDGED_S 0.2

/* The body of a golden file: after its "# ---" line when it has one. */
static char *golden_body(const char *root, const char *rel, size_t *n)
{
	char *path = xasprintf("%s/%s", root, rel);
	char *text;
	size_t len;
	if (read_file(path, &text, &len) < 0) {
		fprintf(stderr, "bench/parsers: cannot read %s\n", path);
		exit(2);
	}
	free(path);
	const char *body = text;
	const char *mark = len >= 6 && !memcmp(text, "# ", 2) ? strstr(text, "\n# ---\n") : NULL;
	if (mark)
		body = mark + 7;
	*n = len - (size_t)(body - text);
	char *b = xmalloc(*n + 1);
	memcpy(b, body, *n);
	b[*n] = '\0';
	free(text);
	return b;
}

/* unit repeated whole to at least size bytes */
static char *repeat(const char *unit, size_t ulen, size_t size, size_t *n)
{
	size_t k = (size + ulen - 1) / ulen;
	char *b = xmalloc(k * ulen);
	for (size_t i = 0; i < k; i++)
		memcpy(b + i * ulen, unit, ulen);
	*n = k * ulen;
	return b;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One parser run over a whole input; returns a figure so that the work
 * cannot be optimised away. */
typedef size_t (*run_fn)(const char *buf, size_t len);

static size_t run_console(const char *buf, size_t len)
{
	struct kernlog kl;
	kernlog_init(&kl);
	kernlog_feed_console(&kl, buf, len);
	size_t n = kl.n_oom + kl.n_af;
	kernlog_free(&kl);
	return n;
}

static size_t run_kmsg(const char *buf, size_t len)
{
	struct kernlog kl;
	kernlog_init(&kl);
	for (const char *p = buf, *end = buf + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl + 1 : end;
		struct kmsg_rec r;
		if (parse_kmsg_record(p, (size_t)(le - p), &r) == 0)
			kernlog_feed(&kl, r.ts_us, r.text, r.text_len);
		p = le;
	}
	size_t n = kl.n_oom;
	kernlog_free(&kl);
	return n;
}

static size_t run_stream(const char *buf, size_t len)
{
	size_t pos = 0, n = 0;
	struct stream_rec rec;
	struct stream_stats st = {0};
	while (stream_next(buf, len, &pos, &rec, &st)) {
		n++;
		if (!strcmp(rec.kind, "sample")) {
			size_t sp = 0;
			while (sample_next_section(rec.payload, rec.len, &sp, NULL, NULL, NULL, NULL))
				n++;
		}
	}
	return n + st.bad;
}

static size_t run_meminfo(const char *buf, size_t len)
{
	struct kvlist l = {0};
	size_t n = parse_meminfo(buf, len, &l);
	kvlist_free(&l);
	return n;
}

static size_t run_vmstat(const char *buf, size_t len)
{
	struct kvlist l = {0};
	size_t n = parse_vmstat(buf, len, &l);
	kvlist_free(&l);
	return n;
}

static size_t run_psi(const char *buf, size_t len)
{
	struct psi p;
	return (size_t)parse_psi(buf, len, &p) + (size_t)p.some.total_us;
}

static size_t run_status(const char *buf, size_t len)
{
	struct proc_status s;
	return (size_t)parse_status(buf, len, &s) + (size_t)s.pid;
}

static size_t run_buddyinfo(const char *buf, size_t len)
{
	struct buddyinfo b;
	return parse_buddyinfo(buf, len, &b);
}

static const struct bench_row {
	const char *name; /* the parser */
	const char *file; /* the golden file repeated into the input */
	run_fn run;
} rows[] = {
	{"kernlog (console)", "tests/golden/cells/612-two-adj.console.log", run_console},
	{"kernlog (kmsg)", "tests/golden/kernlog/oom-adj-6.1.kmsg", run_kmsg},
	{"stream", "tests/golden/cells/612-two-adj.stream", run_stream},
	{"meminfo", "tests/golden/proc/meminfo-6.12-alloc-near-oom.txt", run_meminfo},
	{"vmstat", "tests/golden/proc/vmstat-6.12-after-oom.txt", run_vmstat},
	{"psi", "tests/golden/proc/psi-6.12-after-oom.txt", run_psi},
	{"status", "tests/golden/proc/status-6.12-touch-live.txt", run_status},
	{"buddyinfo", "tests/golden/proc/buddyinfo-6.12-fragmented.txt", run_buddyinfo},
};

/* Both sizes run from memory, not from the cache: 10 MB can fit in a
 * last-level cache, 100 MB cannot, and that alone looks like a non-linear
 * parser. Reading this much evicts the input before each run. */
#define FLUSH_BYTES (256u << 20)
static unsigned char *flush_buf;

static size_t flush_cache(void)
{
	size_t s = 0;
	for (size_t i = 0; i < FLUSH_BYTES; i += 64)
		s += flush_buf[i]++;
	return s;
}

/* seconds of the fastest of reps runs (after one run not counted: the
 * memory of the output is the allocator's already, at both sizes) */
static double best_of(run_fn run, const char *buf, size_t len, int reps, size_t *sink)
{
	double best = -1;
	*sink += run(buf, len);
	for (int i = 0; i < reps; i++) {
		*sink += flush_cache();
		double t0 = now();
		*sink += run(buf, len);
		double t = now() - t0;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	const char *root = ".", *json = NULL;
	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--json") && a + 1 < argc)
			json = argv[++a];
		else
			root = argv[a];
	}
	FILE *jf = NULL;
	if (json && !(jf = fopen(json, "w"))) {
		fprintf(stderr, "bench/parsers: cannot write %s\n", json);
		return 2;
	}
	if (jf)
		fprintf(jf, "{\"format\": \"oomlab-bench-parsers/1\", \"max_ratio\": %.1f, \"min_judged_s\": %.1f, \"rows\": [\n",
			MAX_RATIO, MIN_JUDGED_S);
	size_t sink = 0;
	/* freed memory stays in the heap (no munmap, no trim): a run at
	 * 100 MB must not pay page faults a run at 10 MB does not */
	mallopt(M_MMAP_THRESHOLD, 1 << 30);
	mallopt(M_TRIM_THRESHOLD, -1);
	flush_buf = xcalloc(FLUSH_BYTES, 1);
	int bad = 0;
	printf("%-18s %18s %18s %7s\n", "parser", "10 MB", "100 MB", "ratio");
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		size_t ulen, n10, n100;
		char *unit = golden_body(root, rows[i].file, &ulen);
		char *b10 = repeat(unit, ulen, 10 * 1024 * 1024, &n10);
		char *b100 = repeat(unit, ulen, 100 * 1024 * 1024, &n100);
		double t10 = best_of(rows[i].run, b10, n10, 5, &sink);
		double t100 = best_of(rows[i].run, b100, n100, 3, &sink);
		double ratio = t10 > 0 ? t100 / t10 : 0;
		int judged = t100 >= MIN_JUDGED_S;
		int ok = !judged || ratio <= MAX_RATIO;
		bad |= !ok;
		printf("%-18s %7.3f s %6.0f MB/s %7.3f s %6.0f MB/s %6.1fx %s\n", rows[i].name, t10, n10 / MB / t10,
		       t100, n100 / MB / t100, ratio,
		       !judged ? "ok (memory speed)" : ok ? "ok" : "FAIL (not linear)");
		if (jf)
			fprintf(jf,
				" {\"parser\": \"%s\", \"file\": \"%s\", \"bytes_10\": %zu, \"s_10\": %.6f, "
				"\"mb_per_s_10\": %.1f, \"bytes_100\": %zu, \"s_100\": %.6f, \"mb_per_s_100\": %.1f, "
				"\"ratio\": %.2f, \"judged\": %s, \"ok\": %s}%s\n",
				rows[i].name, rows[i].file, n10, t10, n10 / MB / t10, n100, t100, n100 / MB / t100, ratio,
				judged ? "true" : "false", ok ? "true" : "false", i + 1 < ARRAY_SIZE(rows) ? "," : "");
		free(b100);
		free(b10);
		free(unit);
	}
	printf("(inputs: real recorded files repeated; ratio = time at 100 MB / time at 10 MB: 10 when linear, "
	       "at most %.0f; fastest of 5 and 3 runs)\n",
	       MAX_RATIO);
	fprintf(stderr, "%s", sink == 42 ? " " : "");
	if (jf && (fprintf(jf, "]}\n") < 0 || fclose(jf))) {
		fprintf(stderr, "bench/parsers: cannot write %s\n", json);
		return 2;
	}
	free(flush_buf);
	return bad;
}
