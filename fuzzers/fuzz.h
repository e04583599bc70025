/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the fuzz targets: property checks that stop the process (so
 * libFuzzer records the input as a crash) and small helpers.
 *
 * Every target defines LLVMFuzzerTestOneInput; it is linked either with
 * libFuzzer (-fsanitize=fuzzer, build/fuzz/<name>) or with onefile.c
 * (build/fuzz/<name>-onefile), which replays files and directories. */
#ifndef OOMLAB_FUZZ_H
#define OOMLAB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property the parser promises: on violation print where and why, then
 * abort (libFuzzer saves the input as crash-<sha1>). */
#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "property violated at %s:%d: %s: ", __FILE__, __LINE__,  \
				#cond);                                                            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* [p, p+n) lies inside [buf, buf+len). */
static inline int fuzz_inside(const void *buf, size_t len, const void *p, size_t n)
{
	const char *b = buf, *q = p;
	return q >= b && q <= b + len && n <= (size_t)(b + len - q);
}

/* A heap copy of exactly n bytes (ASan catches a read past the end). */
static inline char *fuzz_dup(const void *p, size_t n)
{
	char *d = malloc(n ? n : 1);
	if (!d)
		abort();
	if (n)
		memcpy(d, p, n); /* a byte loop: a traced comparison a byte */
	return d;
}

/* Decimal v at p, as printf's %llu / %lld writes it; returns the end.
 * The targets format what they re-parse with these, not printf: under
 * ASan a printf and its allocation per line were a third of the time. */
static inline char *fuzz_put_ull(char *p, unsigned long long v)
{
	char d[20];
	int n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		*p++ = d[--n];
	return p;
}

static inline char *fuzz_put_ll(char *p, long long v)
{
	if (v < 0) {
		*p++ = '-';
		return fuzz_put_ull(p, 0ULL - (unsigned long long)v);
	}
	return fuzz_put_ull(p, (unsigned long long)v);
}

#endif
