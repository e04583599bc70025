// SPDX-License-Identifier: GPL-2.0-or-later
/* The stream's shared-memory ring, guest side (proto/shmring.h): find the
 * ivshmem-plain device in sysfs, map its BAR 2 once (before any
 * workload; a warm guest before its snapshot, so that a restore finds it
 * mapped: the same device at the same address), and write the stream's
 * bytes into it. Writing allocates
 * nothing: the bytes are stores into memory QEMU shares with the host,
 * no I/O exit, no kernel buffer. The host takes them on a short timer;
 * while the ring is full the agent sleeps a little and tries again. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "proto/shmring.h"

#define PCI_DIR "/sys/bus/pci/devices"
#define FULL_SLEEP_NS (200 * 1000) /* while full: the host takes every few ms */

static unsigned char *base; /* mapped (ring_map) */
static uint64_t cap, wpos;
static int started;         /* written to (ring_open) */

static long read_hex(const char *dir, const char *name)
{
	char path[300], b[32];
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read_retry(fd, b, sizeof b - 1);
	close(fd);
	if (n <= 0)
		return -1;
	b[n] = '\0';
	return strtol(b, NULL, 16);
}

/* The device's directory in dir_out; 0, or -1 (none). */
static int find_device(char *dir_out, size_t cap_out)
{
	DIR *d = opendir(PCI_DIR);
	struct dirent *e;
	int found = -1;

	if (!d)
		return -1;
	while (found < 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(dir_out, cap_out, "%s/%s", PCI_DIR, e->d_name);
		if (read_hex(dir_out, "vendor") == SHMRING_VENDOR && read_hex(dir_out, "device") == SHMRING_DEVICE)
			found = 0;
	}
	closedir(d);
	return found;
}

int ring_map(char *note, size_t note_cap)
{
	char dir[300], path[340];
	struct stat sb;
	void *p;
	int fd;

	if (base)
		return 0;
	note[0] = '\0';
	if (find_device(dir, sizeof dir) < 0) {
		snprintf(note, note_cap, "no ivshmem device");
		return -1;
	}
	snprintf(path, sizeof path, "%s/resource2", dir);
	fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0 || sb.st_size <= SHMRING_DATA_OFF) {
		snprintf(note, note_cap, "%s: %s", path, fd < 0 ? strerror(errno) : "too small");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	p = mmap(NULL, (size_t)sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		snprintf(note, note_cap, "mmap %s: %s", path, strerror(errno));
		return -1;
	}
	base = p;
	cap = (uint64_t)sb.st_size - SHMRING_DATA_OFF;
	snprintf(note, note_cap, "%s, %llu bytes", dir, (unsigned long long)cap);
	return 0;
}

int ring_open(char *note, size_t note_cap)
{
	if (started)
		return 0;
	if (ring_map(note, note_cap) < 0)
		return -1;
	/* a fresh region starts at 0 (a restored guest's is the cell's own,
	 * not the snapshot's); start at the host's index, whatever it is */
	wpos = __atomic_load_n((uint64_t *)(base + SHMRING_RPOS_OFF), __ATOMIC_ACQUIRE);
	__atomic_store_n((uint64_t *)(base + SHMRING_WPOS_OFF), wpos, __ATOMIC_RELEASE);
	started = 1;
	return 0;
}

int ring_active(void)
{
	return started;
}

/* Bytes free now; the host's index is checked, a wrong one is 0. */
static uint64_t ring_free(void)
{
	uint64_t r = __atomic_load_n((uint64_t *)(base + SHMRING_RPOS_OFF), __ATOMIC_ACQUIRE);

	if (r > wpos || wpos - r > cap)
		return 0;
	return cap - (wpos - r);
}

int ring_write(const struct iovec *iov, int cnt, int stall_ms)
{
	struct timespec nap = { 0, FULL_SLEEP_NS };

	for (int i = 0; i < cnt; i++) {
		const unsigned char *src = iov[i].iov_base;
		size_t left = iov[i].iov_len;

		while (left) {
			uint64_t fr = ring_free(), since = mono_ms();

			while (!fr) {
				if (mono_ms() - since >= (uint64_t)stall_ms) {
					errno = ETIMEDOUT;
					return -1;
				}
				nanosleep(&nap, NULL);
				fr = ring_free();
			}
			uint64_t off = wpos % cap, n = left;

			if (n > fr)
				n = fr;
			if (n > cap - off)
				n = cap - off;
			memcpy(base + SHMRING_DATA_OFF + off, src, n);
			wpos += n;
			__atomic_store_n((uint64_t *)(base + SHMRING_WPOS_OFF), wpos, __ATOMIC_RELEASE);
			src += n;
			left -= n;
		}
	}
	return 0;
}

void ring_drain(int timeout_ms)
{
	uint64_t end = mono_ms() + (uint64_t)timeout_ms;
	struct timespec tick = { 0, 1000 * 1000 };

	while (mono_ms() < end && ring_free() != cap) {
		uint64_t r = __atomic_load_n((uint64_t *)(base + SHMRING_RPOS_OFF), __ATOMIC_ACQUIRE);

		if (r > wpos || wpos - r > cap)
			return; /* a wrong index: nothing to wait for */
		nanosleep(&tick, NULL);
	}
}
