// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/heapmodel.h"

#include <stdio.h>
#include <string.h>

/* glibc 2.36, malloc/malloc.c, x86_64 */
#define PAGE 4096LL
#define SIZE_SZ 8LL                       /* chunk header */
#define MINSIZE 32LL                      /* smallest chunk */
#define TOP_PAD (128LL * 1024)            /* DEFAULT_TOP_PAD: sbrk asks this much more */
#define MMAP_THRESHOLD (128LL * 1024)     /* DEFAULT_MMAP_THRESHOLD_MIN */
#define MMAP_THRESHOLD_MAX (32LL << 20)   /* DEFAULT_MMAP_THRESHOLD_MAX (64-bit) */
#define TRIM_THRESHOLD (128LL * 1024)     /* DEFAULT_TRIM_THRESHOLD */
#define MMAP_MAX 65536LL                  /* DEFAULT_MMAP_MAX: mmapped chunks at once */
#define CONSOLIDATION (64LL * 1024)       /* FASTBIN_CONSOLIDATION_THRESHOLD */
#define TCACHE_MAX_CHUNK 1040LL           /* chunks of requests up to 1032 bytes */
#define TCACHE_COUNT 7                    /* chunks a tcache bin keeps */
#define TCACHE_BINS 64
/* What the top chunk can hold when the replay starts (what the program
 * left of its first sbrk): 0 .. TOP_PAD + MINSIZE + a page. */
#define TOP_START_MAX (TOP_PAD + MINSIZE + PAGE)

static long long align_up(long long x, long long a)
{
	return (x + a - 1) / a * a;
}

/* request2size(): the chunk of a request, header included, 16-aligned */
static long long chunk_of(long long req)
{
	long long nb = (req + SIZE_SZ + 15) & ~15LL;
	return nb < MINSIZE ? MINSIZE : nb;
}

struct heap {
	long long top, arena, mmapped, n_mmaps;
	long long mmap_threshold, trim_threshold;
	int dynamic;            /* neither threshold set by mallopt */
	long long largest_hole; /* largest free chunk left between live ones */
	int tcache[TCACHE_BINS];
	int reused;             /* a request fit a hole: outside the model */
	int last;               /* the chunk last carved from the top (id) */
};

struct chunk {
	int mmapped;
	long long size;
};

/* malloc(req) as chunk id */
static struct chunk heap_malloc(struct heap *h, long long req, int id)
{
	long long nb = chunk_of(req);
	struct chunk c = {0, nb};
	if (nb <= h->largest_hole)
		h->reused = 1;
	if (h->top >= nb + MINSIZE) { /* from the top chunk */
		h->top -= nb;
		h->last = id;
	} else if (nb >= h->mmap_threshold && h->n_mmaps < MMAP_MAX) { /* sysmalloc: mmap */
		c.mmapped = 1;
		c.size = align_up(nb + SIZE_SZ, PAGE);
		h->mmapped += c.size;
		h->n_mmaps++;
	} else { /* sysmalloc: sbrk what is missing, plus the pad */
		long long ext = align_up(nb + TOP_PAD + MINSIZE - h->top, PAGE);
		h->arena += ext;
		h->top += ext - nb;
		h->last = id;
	}
	return c;
}

static void heap_free(struct heap *h, struct chunk c, int id)
{
	if (c.mmapped) {
		h->mmapped -= c.size;
		h->n_mmaps--;
		if (h->dynamic && c.size > h->mmap_threshold && c.size <= MMAP_THRESHOLD_MAX) {
			h->mmap_threshold = c.size;
			h->trim_threshold = 2 * c.size;
		}
		return;
	}
	long long bin = (c.size - MINSIZE + 15) / 16;
	if (c.size <= TCACHE_MAX_CHUNK && bin < TCACHE_BINS && h->tcache[bin] < TCACHE_COUNT) {
		h->tcache[bin]++; /* kept, marked in use */
		return;
	}
	long long size = c.size;
	if (h->last == id) { /* next to the top: merges into it */
		h->top += c.size;
		size = h->top;
		h->last = -1;
	} else if (c.size > h->largest_hole) {
		h->largest_hole = c.size;
	}
	if (size >= CONSOLIDATION && h->top >= h->trim_threshold) { /* systrim(top_pad) */
		long long area = h->top - MINSIZE - 1;
		long long extra = area > TOP_PAD ? (area - TOP_PAD) / PAGE * PAGE : 0;
		h->top -= extra;
		h->arena -= extra;
	}
}

/* Replay the schedule with top_start bytes in the top chunk: what the
 * heap holds at the end (arena + mmapped), -1 if outside the model. */
static long long replay(const struct heap_model_in *in, int lifo, long long top_start)
{
	struct heap h;
	memset(&h, 0, sizeof h);
	h.top = h.arena = top_start;
	h.mmap_threshold = in->mmap_threshold_kb ? in->mmap_threshold_kb * 1024 : MMAP_THRESHOLD;
	h.trim_threshold = in->trim_threshold_kb ? in->trim_threshold_kb * 1024 : TRIM_THRESHOLD;
	h.dynamic = !in->mmap_threshold_kb && !in->trim_threshold_kb;
	h.last = -1;
	long long R = in->size_kb * 1024;
	for (long long i = 0; i < in->count; i++) {
		long long z = R + 16 * i;
		/* round i: a, b, c (lifo: a, c, b); free b; a bigger b */
		struct chunk b;
		heap_malloc(&h, z, 0);
		if (lifo) {
			heap_malloc(&h, z, 2);
			b = heap_malloc(&h, z, 1);
		} else {
			b = heap_malloc(&h, z, 1);
			heap_malloc(&h, z, 2);
		}
		heap_free(&h, b, 1);
		heap_malloc(&h, z + 16, 3);
		h.last = h.last == 3 ? 4 : -1; /* ids are per round: the newest stays the newest */
		if (h.reused)
			return -1;
	}
	return h.arena + h.mmapped;
}

void heap_model_predict(const struct heap_model_in *in, struct heap_model *out)
{
	memset(out, 0, sizeof *out);
	int lifo = in->pattern && !strcmp(in->pattern, "lifo");
	if (!in->pattern || (!lifo && strcmp(in->pattern, "hole"))) {
		snprintf(out->why, sizeof out->why, "pattern %s is not modelled",
			 in->pattern ? in->pattern : "?");
		return;
	}
	if (in->count < 1 || in->size_kb < 1) {
		snprintf(out->why, sizeof out->why, "no requests");
		return;
	}
	long long R = in->size_kb * 1024, n = in->count;
	out->used = 3.0 * (double)R * (double)n + 16.0 * 3.0 * (double)n * (double)(n - 1) / 2 +
		    16.0 * (double)n;
	/* The top chunk's size when the replay starts is not known: replay
	 * from each size it can have (finely for short schedules, where one
	 * sbrk more or less is much) and keep the extremes. */
	long long step = n <= 4096 ? 256 : PAGE;
	double lo = -1, hi = -1;
	for (long long t = 0; t <= TOP_START_MAX; t += step) {
		long long g = replay(in, lifo, t);
		if (g < 0) {
			snprintf(out->why, sizeof out->why, "a request fits an earlier hole");
			return;
		}
		if (lo < 0 || (double)g < lo)
			lo = (double)g;
		if ((double)g > hi)
			hi = (double)g;
	}
	out->known = 1;
	out->given_min = lo - PAGE;
	out->given_max = hi + PAGE;
	out->waste_min = (out->given_min - out->used) / out->given_min;
	out->waste_max = (out->given_max - out->used) / out->given_max;
	snprintf(out->why, sizeof out->why, "%s of %lld x %lld KiB: glibc holds %.1f..%.1f MB for %.1f MB",
		 lifo ? "lifo" : "hole", n, in->size_kb, out->given_min / 1048576.0,
		 out->given_max / 1048576.0, out->used / 1048576.0);
}
