// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/shmring.h"
#include "proto/shmring.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

int shmring_create(void)
{
	int fd = memfd_create("oomlab-stream", 0); /* no CLOEXEC: qemu inherits it */
	if (fd < 0)
		return -1;
	if (ftruncate(fd, SHMRING_SIZE) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int shmring_map(struct shmring *r, int fd)
{
	void *p = mmap(NULL, SHMRING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	*r = (struct shmring){.base = p, .size = SHMRING_SIZE};
	return 0;
}

void shmring_unmap(struct shmring *r)
{
	if (r->base)
		munmap(r->base, r->size);
	r->base = NULL;
}

long long shmring_take(struct shmring *r, shmring_seen_fn *seen, void *ctx)
{
	if (r->broken || !r->base || r->size <= SHMRING_DATA_OFF)
		return r->broken ? -1 : 0;
	uint64_t cap = r->size - SHMRING_DATA_OFF;
	uint64_t w = __atomic_load_n((uint64_t *)(r->base + SHMRING_WPOS_OFF), __ATOMIC_ACQUIRE);
	if (w < r->rpos || w - r->rpos > cap) {
		r->broken = 1;
		return -1;
	}
	uint64_t n = w - r->rpos, off = r->rpos % cap;
	const char *data = (const char *)r->base + SHMRING_DATA_OFF;
	if (n) {
		uint64_t first = n < cap - off ? n : cap - off;
		if (seen) {
			seen(ctx, data + off, first);
			if (n > first)
				seen(ctx, data, n - first);
		}
		r->rpos = w;
		__atomic_store_n((uint64_t *)(r->base + SHMRING_RPOS_OFF), r->rpos, __ATOMIC_RELEASE);
	}
	return (long long)n;
}
