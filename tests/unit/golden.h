/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Golden files of real kernel output (tests/golden/, format in its
 * README): a header of "# tag: value" lines, "# ---", then the raw text. */
#ifndef OOMLAB_TEST_GOLDEN_H
#define OOMLAB_TEST_GOLDEN_H

#include <stddef.h>

struct golden {
	char *data;
	size_t len;
	const char *body;
	size_t body_len;
};

/* Load tests/golden/<rel> (under $OOMLAB_ROOT, else .); asserts on error. */
void golden_load(const char *rel, struct golden *g);
void golden_free(struct golden *g);
/* $OOMLAB_ROOT/tests/golden/<rel> (caller frees). */
char *golden_path(const char *rel);

/* The whole content of the xz file at path, decompressed (caller frees;
 * asserts on error). */
char *read_xz(const char *path, size_t *len);

/* A heap copy of exactly n bytes, no NUL after them: ASan then catches a
 * parser that reads past the end of its input. */
char *dup_exact(const char *p, size_t n);

#endif
