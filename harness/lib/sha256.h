/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 (FIPS 180-4), for cache keys: the warm-start snapshot digest. */
#ifndef OOMLAB_SHA256_H
#define OOMLAB_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;          /* bytes hashed so far */
	unsigned char blk[64];
	size_t n;              /* bytes in blk */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* The digest as 64 lowercase hex digits and a NUL. */
void sha256_hex(struct sha256 *s, char out[65]);
/* Hash a whole file into s. 0, or -1 with errno set. */
int sha256_file(struct sha256 *s, const char *path);

#endif
