/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The stream's shared-memory ring (docs/stream.md#the-shared-memory-ring):
 * the agent writes the very bytes it would write on ttyS1 into the BAR 2
 * of a QEMU ivshmem-plain device (PCI 1af4:1110), a region the host
 * created for the cell and reads while the VM runs. Nothing in the guest
 * allocates at write time: the agent maps the BAR once, before any
 * workload.
 *
 * Layout (little endian, offsets in bytes):
 *   SHMRING_WPOS_OFF  u64 bytes the agent has written, ever (the agent's)
 *   SHMRING_RPOS_OFF  u64 bytes the host has taken, ever (the host's)
 *   SHMRING_DATA_OFF  the ring: byte i of the stream at DATA_OFF + i % cap,
 *                     cap = region size - SHMRING_DATA_OFF
 * One writer, one reader; each index is written by its owner only, with
 * release order after the bytes it covers. The agent waits (a short
 * sleep) while the ring is full: it never drops a byte. */
#ifndef OOMLAB_SHMRING_H
#define OOMLAB_SHMRING_H

#define SHMRING_VENDOR 0x1af4
#define SHMRING_DEVICE 0x1110
#define SHMRING_WPOS_OFF 0
#define SHMRING_RPOS_OFF 64 /* its own cache line */
#define SHMRING_DATA_OFF 4096
#define SHMRING_SIZE (1 << 20) /* the region (a power of two, as ivshmem wants) */

#endif
