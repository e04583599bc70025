/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The guest's initramfs: a newc cpio with the agent as /init, the workload
 * binary, the decompressed modules, /cell.conf and optional extra files.
 * Nothing comes from the host's /boot. */
#ifndef OOMLAB_INITRAMFS_H
#define OOMLAB_INITRAMFS_H

#include <stddef.h>
#include <sys/types.h>

#include "boot/modules.h"
#include "lib/util.h"

struct initramfs_file {
	const char *guest_path; /* absolute, e.g. "/usr/bin/stress-ng" (parents created) */
	const char *host_path;
	mode_t mode;            /* permission bits; 0: those of the host file */
};

struct initramfs_spec {
	const char *agent_path;     /* -> /init (0755), required */
	const char *workload_path;  /* -> GUEST_WL_PATH (0755), NULL: none */
	const struct modset *modules; /* each -> initramfs_module_path(name), decompressed; NULL: none */
	const char *cellconf;       /* -> cellconf_path (0644), NULL: none */
	size_t cellconf_len;
	const struct initramfs_file *extra;
	size_t nextra;
	const char *cellconf_path;  /* where cellconf goes; NULL: CELLCONF_PATH
				     * (WARM_CONF_PATH for a warm boot) */
};

/* Write the archive to out_path (via a temporary file renamed into place,
 * so out_path is either the complete new archive or untouched). Layout:
 * /dev /proc /sys /tmp(1777) /bin /lib /lib/modules, /dev/console (c 5:1),
 * /init, GUEST_WL_PATH, GUEST_MODULE_DIR/<name>.ko, /cell.conf, extras.
 * Returns 0, or -1 with err naming the file and the reason. */
int initramfs_build(const char *out_path, const struct initramfs_spec *spec, struct buf *err);

/* Guest path of a module: GUEST_MODULE_DIR "/<name>.ko" (malloc'ed), for
 * the "module" lines of cell.conf (in modset order). */
char *initramfs_module_path(const char *name);

#endif
