/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where the host takes the program a workload execs in the guest
 * (struct workload's guest_exec, e.g. /usr/bin/stress-ng) from:
 *
 *   - no guest_pkg: the host's own file at that path;
 *   - guest_pkg (earlyoom): $OOMLAB_<PKG> when set (a binary of the
 *     user's; <PKG> upper-cased, '-' as '_': OOMLAB_EARLYOOM), else the
 *     file at the same path in the package unpacked into the cache:
 *
 *       cache_subdir("progs")/<pkg>/root/usr/bin/earlyoom
 *       cache_subdir("progs")/<pkg>/deb        the .deb's file name
 *
 *     fetched on first use with `apt-get download <pkg>` and
 *     `dpkg-deb -x` (boot/kernels.h's machinery). The package is never
 *     installed: earlyoom's would start a daemon that kills the host's
 *     processes. An entry appears atomically (built in .tmp-<pid>-XXXXXX,
 *     then renamed), as the kernels' do.
 *
 * Returns KERNELS_OK with *host malloc'ed, or KERNELS_EUSAGE (the
 * variable names no executable file) / KERNELS_EINFRA (the download or the
 * unpacking failed, the package has no such file) with err. */
#ifndef OOMLAB_HOSTPROGS_H
#define OOMLAB_HOSTPROGS_H

#include "lib/util.h"

struct workload;

int hostprog_source(const struct workload *w, char **host, struct buf *err);

/* The environment variable that overrides a package's program
 * ("earlyoom" -> "OOMLAB_EARLYOOM"), malloc'ed. Pure. */
char *hostprog_env_name(const char *pkg);

#endif
