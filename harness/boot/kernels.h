/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Guest kernels: the cache of Debian kernel packages, and custom bzImages.
 *
 * Cache: cache_subdir("kernels") (lib/paths.h): $OOMLAB_CACHE/kernels/,
 * else .cache/kernels/ of the checkout, else ~/.cache/oomlab/kernels/
 * ($XDG_CACHE_HOME). One directory per package:
 *
 *   <cache>/<package>/boot/vmlinuz-<release>
 *   <cache>/<package>/boot/config-<release>
 *   <cache>/<package>/lib/modules/<release>/...   (with a generated modules.dep)
 *   <cache>/<package>/kernel.json                  package, version, release,
 *                                                  image, modules_dir (relative),
 *                                                  fetched_at, image_bytes
 *   <cache>/default                                name of the default package
 *   <cache>/<meta-package> -> <package>            symlink, e.g. linux-image-cloud-amd64
 *
 * An entry appears atomically (built in <cache>/.tmp-<pid>-XXXXXX, then
 * renamed), so an interrupted fetch never leaves a half entry; stale temp
 * dirs of dead processes are removed by the next fetch.
 *
 * Return values follow the CLI's result codes: KERNELS_OK (0),
 * KERNELS_EUSAGE (2: bad name, missing file, not a bzImage: the user's
 * fault) or KERNELS_EINFRA (3: apt-get/dpkg-deb/network/disk failed). err
 * always says what failed and how.
 */
#ifndef OOMLAB_KERNELS_H
#define OOMLAB_KERNELS_H

#include <jansson.h>
#include <stdio.h>

#include "lib/util.h"

#define KERNELS_OK 0
#define KERNELS_EUSAGE 2
#define KERNELS_EINFRA 3

/* The meta-package followed when no kernel is named. */
#define KERNELS_DEFAULT_META "linux-image-amd64"
/* Time limit of one apt-get download / dpkg-deb -x. */
#define KERNELS_FETCH_TIMEOUT_MS (10 * 60 * 1000)

struct kernel_info {
	char *package;     /* NULL for a custom image */
	char *version;     /* Debian version, NULL for a custom image */
	char *release;     /* uname -r; from the bzImage header for a custom image (may be NULL) */
	char *image;       /* absolute path of the bzImage */
	char *modules_dir; /* .../lib/modules/<release>, NULL if none */
	/* its build configuration: the package's boot/config-<release>; for a
	 * bzImage, config-<release> beside it or the .config of the kernel tree
	 * it was built in (.../arch/x86/boot/bzImage); NULL if none */
	char *config;
};

/* NULL-safe, idempotent. */
void kernel_info_free(struct kernel_info *k);

/* The cache directory (malloc'ed; not created). */
char *kernels_cache_dir(void);

/* 1 if name is an acceptable package name: "linux-image-" followed by
 * Debian package name characters [a-z0-9.+-]. */
int kernels_valid_package(const char *name);

/* Fetch a package into the cache (download, unpack, keep vmlinuz, config and
 * lib/modules/<release>, generate modules.dep, write kernel.json).
 * package NULL or KERNELS_DEFAULT_META: resolve the meta-package to the
 * current linux-image-<release> package, fetch it if missing, and record it
 * as the default. A package already cached is not downloaded again. Other
 * meta-packages are followed too and remembered as a symlink, which
 * kernels_resolve uses as is and an explicit kernels_fetch looks up again.
 * out may be NULL. */
int kernels_fetch(const char *package, struct kernel_info *out, struct buf *err);

/* One line per cached kernel: package, release, image path, size of the
 * entry; "*" marks the default. Returns 0, or KERNELS_EINFRA. */
int kernels_list(FILE *f, struct buf *err);
/* The same as JSON (`oomlab kernels list --json`, reports/cli.schema.json):
 * {"cache": dir, "kernels": [{name, default, package, release, image,
 * bytes} or {name, default, broken: why}]}, by name. Returns 0 (*out a new
 * reference), or KERNELS_EINFRA. */
int kernels_list_json(json_t **out, struct buf *err);

/* What --kernel/--modules designate:
 *   kernel_arg NULL (or KERNELS_DEFAULT_META): the cached default, fetched
 *     on first use (logged);
 *   a name without '/' starting with "linux-image-": that package, fetched
 *     if missing;
 *   anything else: a path to a bzImage ("HdrS" at 0x202); its release is
 *     read from the header's kernel_version string. modules_arg, if given,
 *     must be a directory with a modules.dep.
 * modules_arg is only valid with a path (a package brings its modules). */
int kernels_resolve(const char *kernel_arg, const char *modules_arg, struct kernel_info *out,
		    struct buf *err);

/* Check that path is a bzImage; on success, *release (may be NULL if the
 * header has none) is malloc'ed. KERNELS_OK or KERNELS_EUSAGE with err. */
int kernels_probe_bzimage(const char *path, char **release, struct buf *err);
/* The same over the first bytes of an image (pure; for tests/fuzzing):
 * 0 if it is a bzImage, -1 if not. */
int bzimage_parse(const unsigned char *buf, size_t len, char **release);

/* The same download and unpacking for another Debian package the guest
 * needs (boot/hostprogs.c): `apt-get download pkg` in dir (*deb: the
 * file it left), `dpkg-deb -x deb root` (its log beside root), and the
 * removal of the temp dirs of dead fetches in a cache dir. KERNELS_* codes;
 * nothing is installed on the host. */
int kernels_deb_download(const char *pkg, const char *dir, char **deb, struct buf *err);
int kernels_deb_unpack(const char *deb, const char *root, struct buf *err);
void kernels_clean_stale(const char *cache);

#endif
