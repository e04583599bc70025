/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The CPU a guest sees, as one line for the warm-start snapshot key
 * (snapshot.h). Under KVM oomlab runs QEMU with -cpu host: the guest gets
 * the host's CPU model and the flags KVM passes through, so a snapshot
 * fits only a host with that same CPU (a restore elsewhere can crash or
 * fail). Under TCG the guest gets QEMU's own model, which the QEMU
 * version in the key already names. */
#ifndef OOMLAB_HOSTCPU_H
#define OOMLAB_HOSTCPU_H

#include <jansson.h>
#include <stddef.h>

/* The line for accel: under "kvm" the model and flags QEMU expands -cpu
 * host to (QMP query-cpu-model-expansion, QEMU started with -machine none),
 * or, if that fails, the host's /proc/cpuinfo; NULL for any other accel.
 * Once per process (cached). */
const char *hostcpu_id(const char *accel);

/* "qemu: vendor=... family=N model=N stepping=N model-id=... flags=a,b,c"
 * from the "model" object of a query-cpu-model-expansion answer: its
 * identity and the boolean properties that are true, sorted (malloc'ed;
 * NULL when it has no props). Pure. */
char *hostcpu_from_expansion(json_t *model);

/* "cpuinfo: vendor=... family=N model=N stepping=N name=... flags=a,b,c"
 * from /proc/cpuinfo text: its first processor, the flags sorted
 * (malloc'ed; NULL when the text has no flags line). Pure. */
char *hostcpu_from_cpuinfo(const char *text, size_t len);

#endif
