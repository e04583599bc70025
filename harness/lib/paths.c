// SPDX-License-Identifier: GPL-2.0-or-later
#include "paths.h"
#include "util.h"

#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *set(const char *v)
{
	return v && *v ? v : NULL;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The parent of path as a new string ("/" stays "/"; a name without '/'
 * has ".."). */
static char *parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup("..");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

/* PREFIX when exe_dir is PREFIX/bin of an installed tree, else NULL. */
static char *installed_prefix(const char *exe_dir)
{
	char *prefix = parent(exe_dir);
	char *libexec = xasprintf("%s/" PATHS_LIBEXEC, strcmp(prefix, "/") ? prefix : "");
	int ok = is_dir(libexec);
	free(libexec);
	if (ok)
		return prefix;
	free(prefix);
	return NULL;
}

/* The checkout holding exe_dir: build/oomlab, build/<variant>/oomlab,
 * build/tests/<suite>; the first of exe_dir and three parents that holds
 * harness/main.c. */
static char *checkout_of(const char *exe_dir)
{
	char *cand = xstrdup(exe_dir);
	for (int i = 0; i < 4; i++) {
		char *main_c = xasprintf("%s/harness/main.c", cand);
		int ok = path_exists(main_c);
		free(main_c);
		if (ok)
			return cand;
		char *slash = strrchr(cand, '/');
		if (!slash || slash == cand)
			break;
		*slash = 0;
	}
	free(cand);
	return NULL;
}

void paths_resolve(const struct paths_env *env, struct paths *out)
{
	memset(out, 0, sizeof *out);
	out->prefix = installed_prefix(env->exe_dir);
	if (!out->prefix)
		out->checkout = checkout_of(env->exe_dir);

	const char *root = set(env->root);
	out->root = xstrdup(root ? root : out->checkout ? out->checkout : env->cwd);

	if (set(env->guest_dir)) {
		out->guest_dir = xstrdup(env->guest_dir);
	} else if (out->prefix) {
		out->guest_dir = xasprintf("%s/" PATHS_LIBEXEC, strcmp(out->prefix, "/") ? out->prefix : "");
	} else {
		out->guest_dir = xasprintf("%s/guest", env->exe_dir);
		char *up = xasprintf("%s/../guest", env->exe_dir);
		if (!is_dir(out->guest_dir) && is_dir(up)) {
			free(out->guest_dir);
			out->guest_dir = up;
		} else {
			free(up);
		}
	}

	const char *xdg = set(env->xdg_cache);
	if (set(env->cache))
		out->cache = xstrdup(env->cache);
	else if (root || out->checkout)
		out->cache = xasprintf("%s/.cache", out->root);
	else if (xdg && xdg[0] == '/')
		out->cache = xasprintf("%s/" PATHS_XDG_CACHE, xdg);
	else if (set(env->home))
		out->cache = xasprintf("%s/" PATHS_HOME_CACHE, env->home);
	else
		out->cache = xasprintf("%s/.cache", out->root);
}

void paths_free(struct paths *p)
{
	free(p->prefix);
	free(p->checkout);
	free(p->root);
	free(p->guest_dir);
	free(p->cache);
	memset(p, 0, sizeof *p);
}

const char *exe_dir(void)
{
	static char dir[PATH_MAX];
	if (!dir[0]) {
		ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
		if (n <= 0) {
			strcpy(dir, ".");
		} else {
			dir[n] = 0;
			char *slash = strrchr(dir, '/');
			if (slash && slash != dir)
				*slash = 0;
		}
	}
	return dir;
}

/* This process's answers, worked out at the first question. */
static const struct paths *self(void)
{
	static struct paths p;
	static int done;
	if (done)
		return &p;
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		strcpy(cwd, ".");
	const char *home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	struct paths_env env = {
		.exe_dir = exe_dir(),
		.root = getenv("OOMLAB_ROOT"),
		.cache = getenv("OOMLAB_CACHE"),
		.guest_dir = getenv("OOMLAB_GUEST_DIR"),
		.xdg_cache = getenv("XDG_CACHE_HOME"),
		.home = home,
		.cwd = cwd,
	};
	paths_resolve(&env, &p);
	done = 1;
	return &p;
}

const char *project_root(void)
{
	return self()->root;
}

char *cache_subdir(const char *name)
{
	return xasprintf("%s/%s", self()->cache, name);
}

char *guest_file(const char *name)
{
	return xasprintf("%s/%s", self()->guest_dir, name);
}
