// SPDX-License-Identifier: GPL-2.0-or-later
/* frag-search: libFuzzer over allocation schedules (encoding in
 * frag_search_codec.h), replayed natively with glibc malloc by a fork server
 * (frag-replay --server: each replay in a fresh child, so the same input
 * gives the same figures). The figures become coverage: the waste ratio
 * (1% buckets), the waste bytes, the footprint (given bytes) and the
 * blowup (quarter-powers of two) each set one libFuzzer extra counter, so
 * an input that reaches a level not seen before is kept and mutated
 * further, climbing toward worse fragmentation.
 *
 * Environment: FRAG_SEARCH_OUT (default build/fuzz/frag-out) receives
 *   worst.sched       the highest waste ratio so far
 *   most-waste.sched  the most wasted bytes so far
 * each a replayable schedule file (pattern: file) with its figures in a
 * header; a line "frag-search: worst: ..." is printed at each new record.
 * Only schedules that keep FS_MIN_USED live bytes are ranked. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frag_search_codec.h"
#include "frag_search_shm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_COUNTERS 512
__attribute__((section("__libfuzzer_extra_counters"), used)) static uint8_t levels[N_COUNTERS];

static struct fs_shm *shm;
static int ctl = -1, res = -1;
static pid_t server = -1;
static const char *out_dir;
static double best_ratio = -1;
static long long best_waste = -1;
static unsigned long long execs;

static void die(const char *what)
{
	fprintf(stderr, "frag-search: %s: %s\n", what, strerror(errno));
	exit(2);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	out_dir = getenv("FRAG_SEARCH_OUT");
	if (!out_dir || !*out_dir)
		out_dir = "build/fuzz/frag-out";
	mkdir(out_dir, 0755);
	int fd = memfd_create("frag-search", 0);
	if (fd < 0 || ftruncate(fd, sizeof *shm) < 0)
		die("memfd");
	shm = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (shm == MAP_FAILED)
		die("mmap");
	int to[2], from[2];
	if (pipe(to) || pipe(from))
		die("pipe");
	/* the server sits next to this binary */
	char *self = realpath((*argv)[0], NULL);
	char path[4096];
	snprintf(path, sizeof path, "%.*s/frag-replay", self ? (int)(strrchr(self, '/') - self) : 1, self ? self : ".");
	free(self);
	char *args[] = {path, "--server", NULL};
	server = fork();
	if (server < 0)
		die("fork");
	if (server == 0) {
		/* above 5 first, so no dup2 overwrites a source */
		int a = fcntl(fd, F_DUPFD, 100), b = fcntl(to[0], F_DUPFD, 100), c = fcntl(from[1], F_DUPFD, 100);
		if (a < 0 || b < 0 || c < 0 || dup2(a, 3) < 0 || dup2(b, 4) < 0 || dup2(c, 5) < 0)
			_exit(127);
		for (int i = 6; i < 1024; i++)
			close(i);
		execv(path, args);
		fprintf(stderr, "frag-search: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(fd);
	close(to[0]);
	close(from[1]);
	ctl = to[1];
	res = from[0];
	return 0;
}

static unsigned qlog2(double x)
{
	return x < 1 ? 0 : (unsigned)(4 * log2(x));
}
/* (qlog2(x) - 60 wraps for small x: level() then uses the last counter) */

static void level(unsigned base, unsigned width, unsigned v)
{
	levels[base + (v < width ? v : width - 1)] = 1;
}

static void record(const struct sched *s, const char *file, const char *note)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", out_dir, file);
	if (fs_write(path, s, &shm->res, note))
		fprintf(stderr, "frag-search: %s: %s\n", path, strerror(errno));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sched s;
	if (fs_decode(data, size, &s))
		return 0;
	shm->n_ops = (uint32_t)s.n;
	shm->n_slots = s.n_slots;
	memcpy(shm->ops, s.ops, s.n * sizeof *s.ops);
	char c = 1;
	unsigned char st = 255;
	ssize_t w, rd = 0;
	/* libFuzzer's SIGALRM (its -timeout) interrupts these: retry */
	while ((w = write(ctl, &c, 1)) < 0 && errno == EINTR)
		;
	while (w == 1 && (rd = read(res, &st, 1)) < 0 && errno == EINTR)
		;
	if (w != 1 || rd != 1)
		die("fork server gone");
	execs++;
	const struct fs_result *r = &shm->res;
	if (st == 0 && r->given > 0) {
		/* each level its own counter: new levels are new coverage */
		level(0, 128, qlog2((double)r->used)); /* climbs to FS_MIN_USED */
		if (r->used < FS_MIN_USED)
			goto out;
		level(128, 101, (unsigned)(r->waste_ratio * 100));
		level(229, 96, qlog2((double)r->waste) - 60);
		level(325, 96, qlog2((double)r->given) - 60);
		level(421, 91, qlog2(r->blowup * 16));
		if (r->waste_ratio > best_ratio + 1e-6 || (fabs(r->waste_ratio - best_ratio) <= 1e-6 && r->waste > best_waste)) {
			best_ratio = r->waste_ratio;
			record(&s, "worst.sched", "the highest waste ratio found");
			printf("frag-search: worst: waste_ratio=%.6f given_bytes=%lld used_bytes=%lld ops=%zu "
			       "requests=%llu requested_bytes=%llu (exec %llu)\n",
			       r->waste_ratio, r->given, r->used, s.n, r->requests, r->requested_bytes, execs);
			fflush(stdout);
		}
		if (r->waste > best_waste) {
			best_waste = r->waste;
			record(&s, "most-waste.sched", "the most wasted bytes found");
		}
	}
out:
	sched_free(&s);
	return 0;
}
