/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What glibc's malloc gives the frag workload for its generated hole and
 * lifo schedules (workloads/schedule.c): the schedule replayed against a
 * model of glibc's rules (malloc/malloc.c, glibc 2.36: chunk sizes,
 * M_MMAP_THRESHOLD and its dynamic rise, M_TOP_PAD, M_TRIM_THRESHOLD and
 * top-chunk trimming, tcache), giving the bytes frag reports as given and
 * its waste_ratio. Pure. The rules, and how the model was checked against
 * the real allocator, are in docs/oracle.md. */
#ifndef OOMLAB_HEAPMODEL_H
#define OOMLAB_HEAPMODEL_H

#include <stddef.h>

struct heap_model_in {
	const char *pattern;       /* only "hole" and "lifo" are modelled */
	long long size_kb;         /* R: round i requests R*1024 + 16*i bytes */
	long long count;           /* rounds */
	long long mmap_threshold_kb; /* 0: glibc's dynamic default */
	long long trim_threshold_kb; /* 0: glibc's default */
};

struct heap_model {
	int known;               /* 0: not modelled (why says so) */
	double used;             /* bytes of the live requests at the end */
	double given_min, given_max; /* what frag reports as given_bytes */
	double waste_min, waste_max; /* its waste_ratio (given - used) / given */
	char why[160];           /* what the waste is made of, or why not modelled */
};

void heap_model_predict(const struct heap_model_in *in, struct heap_model *out);

#endif
