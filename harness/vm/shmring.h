/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host's side of the stream's shared-memory ring (proto/shmring.h):
 * the region, created per cell and mapped, and its reader, which hands
 * the bytes on in order, as the stream's pipe would. */
#ifndef OOMLAB_VM_SHMRING_H
#define OOMLAB_VM_SHMRING_H

#include <stddef.h>
#include <stdint.h>

struct shmring {
	unsigned char *base; /* the mapped region, size bytes */
	size_t size;
	uint64_t rpos;       /* bytes taken so far (published at RPOS_OFF) */
	int broken;          /* the agent's index went wrong: read no more */
};

typedef void shmring_seen_fn(void *ctx, const char *data, size_t len);

/* A new memfd of SHMRING_SIZE bytes, inheritable (QEMU opens
 * /dev/fd/N). fd, or -1 with errno. */
int shmring_create(void);
/* Map fd; 0 or -1 with errno. */
int shmring_map(struct shmring *r, int fd);
void shmring_unmap(struct shmring *r);
/* Take what the agent has written since the last call (at most one full
 * ring), show it to seen in at most two pieces, publish the new read
 * index. An index that goes backwards or past a full ring (a torn or
 * hostile header) sets broken and takes nothing. Returns the bytes taken,
 * -1 when broken. Pure but for the region. */
long long shmring_take(struct shmring *r, shmring_seen_fn *seen, void *ctx);

#endif
