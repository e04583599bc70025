// SPDX-License-Identifier: GPL-2.0-or-later
/* frag: user-space heap fragmentation, the article's fragmented1.c
 * (pattern hole) against fragmented2.c (pattern lifo): the same malloc
 * requests in another order, and how much more the heap needs for them.
 * It replays an allocation schedule (generated, or a file in the format of
 * schedule.h), keeps what the schedule leaves allocated, and reports:
 *
 *   given  = mallinfo2 arena + hblkhd (sbrk heap incl. its free top, plus
 *            mmapped blocks), less what was in use before the replay (the
 *            schedule itself: own_bytes)
 *   used   = the sum of the live requests
 *   waste  = given - used; waste_ratio = waste / given (0..1);
 *            blowup = given / used
 *
 * plus mallinfo2's uordblks/fordblks/keepcost, the largest free chunk in
 * malloc's bins (from malloc_info(), the top chunk not included) and
 * VmData/VmRSS. One metric line per group, then
 *   oomlab-result workload=frag reason=done|enomem mb=<given MiB>
 *                 bytes=<given> blocks=<live blocks> errno=N ...
 * reason=enomem when malloc/realloc returned NULL (figures as at that
 * point), reason=bad_schedule (exit 2) when the schedule file is invalid.
 *
 * Requests at or above M_MMAP_THRESHOLD (glibc: 128 KiB, rising with
 * freed mmapped blocks unless set) are mmapped and never fragment the
 * heap: the default request size stays well below it. */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schedule.h"
#include "wl.h"
#include "wlmem.h"

#define MIB (1024ull * 1024ull)
#define TOUCH_BYTE 0x5a

/* ---- replay ---- */

int frag_replay(const struct sched *s, const struct frag_allocator *al, int touch, int progress,
		struct frag_run *r)
{
	unsigned long long next = WL_PROGRESS_MB * MIB;

	memset(r, 0, sizeof *r);
	r->n_slots = s->n_slots;
	{
		/* the slot table, then malloc_info()'s buffer: mapped now, so
		 * that measuring works after malloc ran out too */
		size_t bytes = r->n_slots * (sizeof *r->ptr + sizeof *r->size);
		long pg = sysconf(_SC_PAGESIZE);

		if (pg <= 0)
			pg = 4096;
		bytes = (bytes + (size_t)pg - 1) / (size_t)pg * (size_t)pg;
		void *t = mmap(NULL, bytes + FRAG_INFO_CAP, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (t == MAP_FAILED)
			return -1;
		r->table_bytes = bytes + FRAG_INFO_CAP;
		r->ptr = t;
		r->size = (uint32_t *)(r->ptr + r->n_slots);
		r->info = (char *)t + bytes;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct sched_op *op = &s->ops[i];
		uint32_t k = op->slot;
		void *p;

		/* a schedule that broke its rules (never one from sched_parse
		 * or sched_generate) stops the replay rather than the program */
		if (k >= r->n_slots || (op->kind == SCHED_MALLOC) != !r->ptr[k] ||
		    (op->kind != SCHED_MALLOC && op->kind != SCHED_FREE && op->kind != SCHED_REALLOC) ||
		    (op->kind != SCHED_FREE && !op->size)) {
			errno = EINVAL;
			return -1;
		}
		errno = 0;
		switch (op->kind) {
		case SCHED_MALLOC:
			p = al->malloc_fn(op->size);
			if (!p)
				goto fail;
			r->mallocs++;
			r->used_blocks++;
			break;
		case SCHED_REALLOC:
			p = al->realloc_fn(r->ptr[k], op->size);
			if (!p)
				goto fail;
			r->reallocs++;
			r->used_bytes -= r->size[k];
			break;
		default:
			al->free_fn(r->ptr[k]);
			r->frees++;
			r->used_blocks--;
			r->used_bytes -= r->size[k];
			r->ptr[k] = NULL;
			r->size[k] = 0;
			r->ops++;
			continue;
		}
		if (touch)
			memset(p, TOUCH_BYTE, op->size);
		r->ptr[k] = p;
		r->size[k] = op->size;
		r->used_bytes += op->size;
		if (r->used_bytes > r->peak_used_bytes)
			r->peak_used_bytes = r->used_bytes;
		r->ops++;
		for (; progress && r->used_bytes >= next; next += WL_PROGRESS_MB * MIB)
			wl_say("oomlab-progress mb=%llu\n", next / MIB);
		continue;
fail:
		r->failed = 1;
		r->err = errno ? errno : ENOMEM;
		r->failed_op = i;
		break;
	}
	return 0;
}

void frag_release(struct frag_run *r, const struct frag_allocator *al)
{
	if (r->ptr) {
		for (size_t k = 0; k < r->n_slots; k++)
			if (r->ptr[k])
				al->free_fn(r->ptr[k]);
		munmap(r->ptr, r->table_bytes);
	}
	r->ptr = NULL;
	r->size = NULL;
	r->info = NULL;
	r->n_slots = r->table_bytes = 0;
	r->used_bytes = r->used_blocks = 0;
}

/* ---- measuring ---- */

long long frag_in_use(void)
{
	struct mallinfo2 m = mallinfo2();

	return (long long)(m.uordblks + m.hblkhd);
}

/* The value of attribute name="N" inside [p, end), -1 if absent. */
static long long xml_attr(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);

	for (; p + n + 2 < end; p++) {
		if (p[-1] != ' ' || memcmp(p, name, n) || p[n] != '=' || p[n + 1] != '"')
			continue;
		long long v = 0;
		int digits = 0;
		for (p += n + 2; p < end && *p >= '0' && *p <= '9'; p++, digits++)
			if (v < (1LL << 58))
				v = v * 10 + (*p - '0');
		return digits && p < end && *p == '"' ? v : -1;
	}
	return -1;
}

long long frag_xml_largest_free(const char *xml, size_t len, long long *n_chunks)
{
	const char *end = xml + len;
	long long largest = -1, chunks = 0;
	int have_sizes = 0;

	for (const char *p = xml; p < end; p++) {
		const char *e;
		int is_size;

		if (*p != '<')
			continue;
		if ((size_t)(end - p) >= 7 && !memcmp(p, "<sizes>", 7)) {
			have_sizes = 1;
			if (largest < 0)
				largest = 0;
			continue;
		}
		is_size = (size_t)(end - p) > 6 && !memcmp(p, "<size ", 6);
		if (!is_size && !((size_t)(end - p) > 10 && !memcmp(p, "<unsorted ", 10)))
			continue;
		e = memchr(p, '>', (size_t)(end - p));
		if (!e)
			break;
		long long to = xml_attr(p + 1, e, "to"), count = xml_attr(p + 1, e, "count");
		if (to >= 0 && count > 0) {
			to &= ~7LL; /* chunk sizes carry flag bits */
			if (to > largest)
				largest = to;
			chunks += count;
		}
		p = e;
	}
	if (n_chunks)
		*n_chunks = have_sizes ? chunks : -1;
	return have_sizes ? largest : -1;
}

long long frag_status_bytes(const char *status, size_t len, const char *key)
{
	size_t n = strlen(key);

	for (size_t i = 0; i + n < len; i++) {
		if ((i && status[i - 1] != '\n') || memcmp(status + i, key, n) || status[i + n] != ':')
			continue;
		long long v = 0;
		int digits = 0;
		size_t j = i + n + 1;
		while (j < len && (status[j] == ' ' || status[j] == '\t'))
			j++;
		for (; j < len && status[j] >= '0' && status[j] <= '9'; j++, digits++)
			if (v < (1LL << 50))
				v = v * 10 + (status[j] - '0');
		return digits ? v * 1024 : -1;
	}
	return -1;
}

static void read_status(long long *vmdata, long long *vmrss)
{
	char buf[8192];
	ssize_t len = wlm_read_file("/proc/self/status", buf, sizeof buf);

	*vmdata = *vmrss = -1;
	if (len < 0)
		return;
	*vmdata = frag_status_bytes(buf, (size_t)len, "VmData");
	*vmrss = frag_status_bytes(buf, (size_t)len, "VmRSS");
}

/* malloc_info() into the replay's buffer (its FILE is the only malloc). */
static void largest_free(char *buf, long long *largest, long long *chunks)
{
	FILE *f;

	*largest = *chunks = -1;
	if (!buf)
		return;
	f = fmemopen(buf, FRAG_INFO_CAP, "w");
	if (f) {
		long len;
		if (!malloc_info(0, f) && fflush(f) == 0 && (len = ftell(f)) > 0)
			*largest = frag_xml_largest_free(buf, (size_t)len, chunks);
		fclose(f);
	}
}

void frag_measure(const struct frag_run *r, long long own, struct frag_figures *f)
{
	struct mallinfo2 m = mallinfo2();

	memset(f, 0, sizeof *f);
	f->arena = (long long)m.arena;
	f->hblkhd = (long long)m.hblkhd;
	f->hblks = (long long)m.hblks;
	f->uordblks = (long long)m.uordblks;
	f->fordblks = (long long)m.fordblks;
	f->keepcost = (long long)m.keepcost;
	f->own = own > 0 ? own : 0;
	f->given = f->arena + f->hblkhd - f->own;
	f->alloc = f->uordblks + f->hblkhd - f->own;
	f->used = (long long)r->used_bytes;
	f->waste = f->given - f->used;
	f->waste_ratio = f->given > 0 ? (double)f->waste / (double)f->given : 0.0;
	f->blowup = f->used > 0 ? (double)f->given / (double)f->used : 0.0;
	read_status(&f->vmdata, &f->vmrss);
	largest_free(r->info, &f->largest_free, &f->free_chunks);
}

/* ---- the workload ---- */

enum { O_PATTERN, O_SCHEDULE, O_SIZE_KB, O_COUNT, O_SEED, O_MMAP_THRESHOLD, O_TRIM_THRESHOLD, O_TOUCH };

#define P_FILE SCHED_N_PATTERNS /* the choice after the generated ones */

static const char *const pattern_choices[] = {"hole", "lifo", "random", "sawtooth", "file", NULL};

static const struct wl_opt opts[] = {
	[O_PATTERN] = {"pattern", OPT_ENUM, 0, 0, SCHED_HOLE,
		       "hole: a, b, c; free b; a bigger b (fragmented1.c); lifo: the same requests "
		       "last in, first out (fragmented2.c); random; sawtooth; file (--schedule)",
		       pattern_choices, NULL},
	[O_SCHEDULE] = {"schedule", OPT_FILE, 0, 0, 0, "schedule file to replay (pattern file)", NULL,
			NULL},
	[O_SIZE_KB] = {"size-kb", OPT_SIZE_KB, 1, 262144, 32,
		       "request size R (keep it below the mmap threshold, 128 KiB by default)", NULL,
		       NULL},
	[O_COUNT] = {"count", OPT_INT, 0, 200000, 512,
		     "rounds (hole, lifo: 4 mallocs, 1 free; random: 1 malloc, maybe a free or realloc; "
		     "sawtooth: 16 mallocs, 15 frees)",
		     NULL, NULL},
	[O_SEED] = {"seed", OPT_INT, 0, 4294967295LL, 1, "random: PRNG seed (same seed, same schedule)",
		    NULL, NULL},
	[O_MMAP_THRESHOLD] = {"mmap-threshold", OPT_SIZE_KB, 0, 32768, 0,
			      "mallopt(M_MMAP_THRESHOLD) (0: glibc's dynamic default)", NULL, NULL},
	[O_TRIM_THRESHOLD] = {"trim-threshold", OPT_SIZE_KB, 0, 2097151, 0,
			      "mallopt(M_TRIM_THRESHOLD) (0: glibc's default, 128 KiB)", NULL, NULL},
	[O_TOUCH] = {"touch", OPT_INT, 0, 1, 1, "memset every block it allocates (1) or not (0)", NULL,
		     NULL},
};

static const struct frag_allocator libc_allocator = {malloc, realloc, free};

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "oomlab-wl frag: %s%s (try: oomlab-wl frag --help)\n", msg, arg);
	return WL_EXIT_USAGE;
}

/* Map and parse the schedule file (no heap use but the schedule's).
 * *line: the line a parse error names, 0 for other errors. */
static int load_file(const char *path, struct sched *s, unsigned long *line)
{
	char err[256];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *m = NULL;
	int r;

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "oomlab-wl frag: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_size > (off_t)SCHED_MAX_LINES * (SCHED_MAX_LINE + 2)) {
		fprintf(stderr, "oomlab-wl frag: %s: too large (%lld bytes)\n", path, (long long)st.st_size);
		close(fd);
		return -1;
	}
	if (st.st_size > 0) {
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			fprintf(stderr, "oomlab-wl frag: %s: %s\n", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	close(fd);
	r = sched_parse(m, (size_t)st.st_size, s, err, sizeof err);
	if (m)
		munmap(m, (size_t)st.st_size);
	if (r) {
		fprintf(stderr, "oomlab-wl frag: %s: %s\n", path, err);
		if (sscanf(err, "line %lu:", line) != 1)
			*line = 0;
	}
	return r;
}

static int run(const struct wl_args *a)
{
	const long long *v = a->v;
	int pattern = (int)v[O_PATTERN];
	const char *file = a->s[O_SCHEDULE] ? a->s[O_SCHEDULE] : "";
	int mmap_ok = 1, trim_ok = 1;
	struct sched s = {0};
	struct frag_run r;
	struct frag_figures f;
	long long own;

	if (pattern == P_FILE && !*file)
		return usage_error("--pattern file needs --schedule FILE", "");
	if (pattern != P_FILE && *file)
		return usage_error("--schedule is replayed with --pattern file only, not ", a->s[O_PATTERN]);
	/* before the first malloc: the thresholds of the whole run */
	if (v[O_MMAP_THRESHOLD])
		mmap_ok = mallopt(M_MMAP_THRESHOLD, (int)(v[O_MMAP_THRESHOLD] * 1024)) == 1;
	if (v[O_TRIM_THRESHOLD])
		trim_ok = mallopt(M_TRIM_THRESHOLD, (int)(v[O_TRIM_THRESHOLD] * 1024)) == 1;
	wl_say("oomlab-start workload=frag pid=%d pattern=%s size_kb=%lld count=%lld seed=%lld "
	       "vmsize_kb=%lld rlimit_as_kb=%lld oom_score_adj=%lld\n",
	       (int)getpid(), a->s[O_PATTERN], v[O_SIZE_KB], v[O_COUNT], v[O_SEED], wl_vmsize_kb(),
	       wl_rlimit_as_kb(), wl_oom_score_adj());
	if (pattern == P_FILE) {
		unsigned long line = 0;
		if (load_file(file, &s, &line)) {
			wl_say("oomlab-result workload=frag reason=bad_schedule error_line=%lu\n", line);
			return WL_EXIT_USAGE;
		}
	} else if (sched_generate((enum sched_pattern)pattern, (uint64_t)v[O_SIZE_KB] * 1024,
				  (uint64_t)v[O_COUNT], (uint64_t)v[O_SEED], &s)) {
		int e = errno;
		fprintf(stderr, "oomlab-wl frag: pattern %s, size %lld KiB, count %lld: %s\n", a->s[O_PATTERN],
			v[O_SIZE_KB], v[O_COUNT],
			e == E2BIG ? "too many operations, slots or bytes for a schedule (see --help)"
				   : strerror(e));
		if (e != E2BIG && e != EINVAL) {
			wl_say("oomlab-result workload=frag reason=enomem mb=0 bytes=0 blocks=0 errno=%d\n", e);
			return 0;
		}
		wl_say("oomlab-result workload=frag reason=bad_schedule\n");
		return WL_EXIT_USAGE;
	}
	own = frag_in_use();
	if (frag_replay(&s, &libc_allocator, (int)v[O_TOUCH], 1, &r)) {
		int e = errno;
		fprintf(stderr, "oomlab-wl frag: replay: %s\n", strerror(e));
		wl_say("oomlab-result workload=frag reason=enomem mb=0 bytes=0 blocks=0 errno=%d\n", e);
		frag_release(&r, &libc_allocator);
		sched_free(&s);
		return 0;
	}
	frag_measure(&r, own, &f);
	wl_say("oomlab-metric pattern=%s ops=%llu ops_total=%zu mallocs=%llu frees=%llu reallocs=%llu "
	       "live_blocks=%llu peak_used_bytes=%llu touch=%lld\n",
	       a->s[O_PATTERN], r.ops, s.n, r.mallocs, r.frees, r.reallocs, r.used_blocks,
	       r.peak_used_bytes, v[O_TOUCH]);
	wl_say("oomlab-metric given_bytes=%lld used_bytes=%lld waste_bytes=%lld waste_ratio=%.6f "
	       "blowup=%.4f alloc_bytes=%lld own_bytes=%lld\n",
	       f.given, f.used, f.waste, f.waste_ratio, f.blowup, f.alloc, f.own);
	wl_say("oomlab-metric arena_bytes=%lld mmap_bytes=%lld mmap_blocks=%lld uordblks_bytes=%lld "
	       "fordblks_bytes=%lld keepcost_bytes=%lld largest_free_bytes=%lld free_chunks=%lld "
	       "vmdata_bytes=%lld vmrss_bytes=%lld\n",
	       f.arena, f.hblkhd, f.hblks, f.uordblks, f.fordblks, f.keepcost, f.largest_free,
	       f.free_chunks, f.vmdata, f.vmrss);
	wl_say("oomlab-metric mmap_threshold_bytes=%lld trim_threshold_bytes=%lld mallopt_ok=%d\n",
	       v[O_MMAP_THRESHOLD] * 1024, v[O_TRIM_THRESHOLD] * 1024, mmap_ok && trim_ok);
	if (r.failed)
		wl_say("oomlab-result workload=frag reason=enomem mb=%lld bytes=%lld blocks=%llu errno=%d "
		       "failed_op=%zu given_bytes=%lld used_bytes=%lld waste_bytes=%lld "
		       "waste_ratio=%.6f\n",
		       f.given / (long long)MIB, f.given, r.used_blocks, r.err, r.failed_op + 1, f.given,
		       f.used, f.waste, f.waste_ratio);
	else
		wl_say("oomlab-result workload=frag reason=done mb=%lld bytes=%lld blocks=%llu errno=0 "
		       "given_bytes=%lld used_bytes=%lld waste_bytes=%lld waste_ratio=%.6f\n",
		       f.given / (long long)MIB, f.given, r.used_blocks, f.given, f.used, f.waste,
		       f.waste_ratio);
	frag_release(&r, &libc_allocator);
	sched_free(&s);
	return 0;
}

const struct workload wl_frag = {
	.name = "frag",
	.help = "replay a malloc/free schedule and report the heap's waste (the article's "
		"fragmented1.c vs fragmented2.c)",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.mem = WL_MEM_SCHEDULE,
	.writes = 1,
};
