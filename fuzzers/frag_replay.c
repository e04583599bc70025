// SPDX-License-Identifier: GPL-2.0-or-later
/* frag-replay: replays allocation schedules natively with glibc malloc, each
 * in a fresh process, the way the frag workload does in the guest (a
 * static glibc binary, the schedule outside the heap it measures, what is
 * still allocated at the end counted).
 *
 *   frag-replay FILE...          one line of figures per schedule file
 *   frag-replay --compare FILE   FILE, then the article's hole pattern
 *                                with the same requests (count and bytes)
 *   frag-replay --server         fork server for frag-search: fd 3 is the
 *                                shared struct fs_shm, fd 4 a byte per
 *                                replay to do, fd 5 a status byte back
 *
 * Every replay runs in a child forked from a process that has allocated
 * nothing since it started, so the same schedule gives the same figures. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frag_search_codec.h"
#include "frag_search_shm.h"

static const struct frag_allocator libc_allocator = {malloc, realloc, free};

/* In a child: replay s, fill res. Never returns. */
static void replay_child(const struct sched *s, struct fs_result *res)
{
	struct frag_run r;
	struct frag_figures f;
	alarm(10);
	long long own = frag_in_use();
	if (frag_replay(s, &libc_allocator, 0, 0, &r))
		_exit(3);
	frag_measure(&r, own, &f);
	res->given = f.given;
	res->used = f.used;
	res->waste = f.waste;
	res->waste_ratio = f.waste_ratio;
	res->blowup = f.blowup;
	res->peak_used = (long long)r.peak_used_bytes;
	fs_requests(s, &res->requests, &res->requested_bytes);
	_exit(r.failed ? 4 : 0);
}

/* Fork, replay, wait: 0 or the child's status byte (1.. on failure). */
static int replay_forked(const struct sched *s, struct fs_result *res)
{
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0)
		replay_child(s, res);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 2;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 100 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static int server(void)
{
	struct fs_shm *shm = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE, MAP_SHARED, 3, 0);
	if (shm == MAP_FAILED)
		return 2;
	for (;;) {
		char c;
		ssize_t n = read(4, &c, 1);
		if (n == 0)
			return 0; /* frag-search ended */
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 2;
		}
		struct sched s = {shm->ops, shm->n_ops, shm->n_slots};
		memset(&shm->res, 0, sizeof shm->res);
		unsigned char st = (unsigned char)replay_forked(&s, &shm->res);
		if (write(5, &st, 1) != 1)
			return 2;
	}
}

/* Put a schedule into shm from a child, so this process's heap stays
 * as it was at exec (stdout has a static buffer): path, or the hole
 * pattern with the requests of the schedule already in shm. 0 or -1. */
static int load_forked(struct fs_shm *shm, const char *path)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct sched s;
		char err[300];
		if (path) {
			if (fs_read(path, &s, NULL, err, sizeof err)) {
				fprintf(stderr, "frag-replay: %s\n", err);
				_exit(2);
			}
		} else {
			/* hole: 4 requests a round, of the schedule's mean size */
			struct sched cur = {shm->ops, shm->n_ops, shm->n_slots};
			unsigned long long nreq, bytes;
			fs_requests(&cur, &nreq, &bytes);
			unsigned long long size = nreq ? bytes / nreq : 16;
			if (sched_generate(SCHED_HOLE, size < 16 ? 16 : size, nreq / 4 ? nreq / 4 : 1, 0, &s)) {
				fprintf(stderr, "frag-replay: cannot generate hole: %s\n", strerror(errno));
				_exit(2);
			}
		}
		if (s.n > FS_MAX_OPS) {
			fprintf(stderr, "frag-replay: %s: more than %u operations\n", path ? path : "hole", FS_MAX_OPS);
			_exit(2);
		}
		memcpy(shm->ops, s.ops, s.n * sizeof *s.ops);
		shm->n_ops = (uint32_t)s.n;
		shm->n_slots = s.n_slots;
		_exit(0);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void show(const char *what, const struct fs_shm *shm, int st)
{
	const struct fs_result *r = &shm->res;
	printf("%-12s ops=%u requests=%llu requested_bytes=%llu given_bytes=%lld used_bytes=%lld waste_bytes=%lld "
	       "waste_ratio=%.6f blowup=%.4f status=%d\n",
	       what, shm->n_ops, r->requests, r->requested_bytes, r->given, r->used, r->waste, r->waste_ratio, r->blowup,
	       st);
}

static int replay_shm(struct fs_shm *shm)
{
	struct sched s = {shm->ops, shm->n_ops, shm->n_slots};
	memset(&shm->res, 0, sizeof shm->res);
	return replay_forked(&s, &shm->res);
}

int main(int argc, char **argv)
{
	static char outbuf[4096];
	setvbuf(stdout, outbuf, _IOLBF, sizeof outbuf); /* no malloc for it */
	if (argc == 2 && !strcmp(argv[1], "--server"))
		return server();
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		fprintf(stderr, "usage: frag-replay FILE... | --compare FILE | --server\n");
		return 2;
	}
	int compare = !strcmp(argv[1], "--compare");
	int first = compare ? 2 : 1, rc = 0;
	if (compare && argc != 3) {
		fprintf(stderr, "frag-replay: --compare takes one FILE\n");
		return 2;
	}
	struct fs_shm *shm = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("frag-replay: mmap");
		return 2;
	}
	for (int i = first; i < argc; i++) {
		if (load_forked(shm, argv[i])) {
			rc = 2;
			continue;
		}
		show(compare ? "schedule" : argv[i], shm, replay_shm(shm));
		if (compare) {
			if (load_forked(shm, NULL))
				return 2;
			show("hole", shm, replay_shm(shm));
		}
	}
	return rc;
}
