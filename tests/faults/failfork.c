// SPDX-License-Identifier: GPL-2.0-or-later
/* LD_PRELOAD for the fault suite (cases/fork_fails.sh): fork(2) fails
 * with EAGAIN, as it does for a user at RLIMIT_NPROC or when the kernel
 * cannot allocate a task. The limit does not hold for root, which the
 * suite may run as, so the failure is made here. Built by the case with
 * `cc -shared -fPIC`; never linked into oomlab. */
#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

pid_t fork(void)
{
	errno = EAGAIN;
	return -1;
}
