// SPDX-License-Identifier: GPL-2.0-or-later
#include "boot/hostprogs.h"
#include "boot/kernels.h"
#include "lib/paths.h"
#include "workloads/wl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *hostprog_env_name(const char *pkg)
{
	char *e = xasprintf("OOMLAB_%s", pkg);
	for (char *p = e + 7; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
		else if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			*p = '_';
	}
	return e;
}

static int is_exec_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Download and unpack pkg into cache/pkg (atomically). */
static int fetch(const char *cache, const char *pkg, struct buf *err)
{
	char *tmp = xasprintf("%s/.tmp-%ld-XXXXXX", cache, (long)getpid());
	char *deb = NULL, *root = NULL, *dest = NULL;
	int rc = KERNELS_EINFRA;
	if (mkdir_p(cache, 0755) < 0) {
		buf_printf(err, "cannot create %s: %s", cache, strerror(errno));
		goto out;
	}
	kernels_clean_stale(cache);
	if (!mkdtemp(tmp)) {
		buf_printf(err, "cannot create a temporary directory in %s: %s", cache, strerror(errno));
		goto out;
	}
	rc = kernels_deb_download(pkg, tmp, &deb, err);
	if (rc != KERNELS_OK)
		goto out;
	root = xasprintf("%s/root", tmp);
	rc = kernels_deb_unpack(deb, root, err);
	if (rc != KERNELS_OK)
		goto out;
	const char *base = strrchr(deb, '/');
	base = base ? base + 1 : deb;
	char *name = xasprintf("%s/deb", tmp);
	if (write_file_atomic(name, base, strlen(base)) < 0) {
		buf_printf(err, "cannot write %s: %s", name, strerror(errno));
		free(name);
		rc = KERNELS_EINFRA;
		goto out;
	}
	free(name);
	unlink(deb);
	dest = xasprintf("%s/%s", cache, pkg);
	/* EEXIST/ENOTEMPTY: a concurrent fetch won; its entry is as good */
	if (rename(tmp, dest) < 0 && errno != EEXIST && errno != ENOTEMPTY) {
		buf_printf(err, "cannot move %s to %s: %s", tmp, dest, strerror(errno));
		rc = KERNELS_EINFRA;
		goto out;
	}
	log_info("cached %s (%s) in %s", pkg, base, dest);
	rc = KERNELS_OK;
out:
	if (path_exists(tmp))
		rm_rf(tmp);
	free(tmp);
	free(deb);
	free(root);
	free(dest);
	return rc;
}

int hostprog_source(const struct workload *w, char **host, struct buf *err)
{
	*host = NULL;
	if (!w->guest_pkg) {
		*host = xstrdup(w->guest_exec);
		return KERNELS_OK;
	}
	char *env = hostprog_env_name(w->guest_pkg);
	const char *mine = getenv(env);
	if (mine && *mine) {
		int ok = is_exec_file(mine);
		if (ok)
			*host = xstrdup(mine);
		else
			buf_printf(err, "%s=%s: not an executable file (unset it to use Debian's %s)", env,
				   mine, w->guest_pkg);
		free(env);
		return ok ? KERNELS_OK : KERNELS_EUSAGE;
	}
	free(env);
	char *cache = cache_subdir("progs");
	char *path = xasprintf("%s/%s/root%s", cache, w->guest_pkg, w->guest_exec);
	int rc = KERNELS_OK;
	if (!is_exec_file(path)) {
		rc = fetch(cache, w->guest_pkg, err);
		if (rc == KERNELS_OK && !is_exec_file(path)) {
			buf_printf(err, "package %s has no executable %s (looked for %s)", w->guest_pkg,
				   w->guest_exec, path);
			rc = KERNELS_EINFRA;
		}
	}
	free(cache);
	if (rc == KERNELS_OK)
		*host = path;
	else
		free(path);
	return rc;
}
