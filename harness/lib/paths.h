/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where oomlab's parts are, found from the place of the running
 * executable. Two layouts:
 *
 *                   checkout (make build)         installed (make install)
 *   oomlab          ROOT/build/oomlab             PREFIX/bin/oomlab
 *                   ROOT/build/san/oomlab
 *   guest programs  ROOT/build/guest/             PREFIX/libexec/oomlab/
 *   schemas         ROOT/reports/...              PREFIX/share/oomlab/schemas/
 *   examples        ROOT/examples/                PREFIX/share/oomlab/examples/
 *   cache           ROOT/.cache/                  $XDG_CACHE_HOME/oomlab/
 *                                                 (default ~/.cache/oomlab/)
 *   results         ROOT/results/<run>            ./results/<run>
 *
 * An executable is installed when PREFIX/libexec/oomlab/ is a directory
 * (PREFIX: the parent of the executable's directory); else it runs from a
 * checkout when its directory or one of the three above it holds
 * harness/main.c. An executable that is neither (a copied binary) keeps
 * its cache as an installed one does, its results in the current
 * directory, and looks for guest/ beside itself.
 *
 * The environment overrides, each on its own: OOMLAB_ROOT (ROOT: where
 * results/ and .cache/ are, installed or not), OOMLAB_GUEST_DIR (the guest
 * programs) and OOMLAB_CACHE (the cache). An empty variable is unset.
 */
#ifndef OOMLAB_PATHS_H
#define OOMLAB_PATHS_H

/* The installed tree under PREFIX (mk/install.mk makes it). */
#define PATHS_BIN "bin"
#define PATHS_LIBEXEC "libexec/oomlab"
#define PATHS_SHARE "share/oomlab"
/* The cache under $XDG_CACHE_HOME, and under ~ without it. */
#define PATHS_XDG_CACHE "oomlab"
#define PATHS_HOME_CACHE ".cache/" PATHS_XDG_CACHE

/* What the answers depend on: the executable's directory and the
 * environment (NULL or "" for unset). */
struct paths_env {
	const char *exe_dir;
	const char *root;      /* $OOMLAB_ROOT */
	const char *cache;     /* $OOMLAB_CACHE */
	const char *guest_dir; /* $OOMLAB_GUEST_DIR */
	const char *xdg_cache; /* $XDG_CACHE_HOME (used only when absolute) */
	const char *home;      /* $HOME, else the user's home from passwd */
	const char *cwd;
};

/* The answers, malloc'ed. */
struct paths {
	char *prefix;    /* installed: PREFIX, else NULL */
	char *checkout;  /* the checkout holding the executable, else NULL */
	char *root;      /* $OOMLAB_ROOT, else the checkout, else cwd */
	char *guest_dir; /* the guest programs: oomlab-agent, oomlab-wl, oomlab-wl32 */
	char *cache;     /* the cache's top: kernels/, snapshots/ */
};

/* The answers for one environment. Pure but for stat() of the layout. */
void paths_resolve(const struct paths_env *env, struct paths *out);
void paths_free(struct paths *p);

/* This process's answers: from /proc/self/exe and the environment, worked
 * out once. */
/* The directory holding the running executable. */
const char *exe_dir(void);
/* ROOT: $OOMLAB_ROOT, else the checkout holding the executable, else the
 * current directory. `oomlab run` writes ROOT/results/<run>. */
const char *project_root(void);
/* A folder of oomlab's cache (kernels, snapshots), malloc'ed, not
 * created: $OOMLAB_CACHE/name, else ROOT/.cache/name (a checkout, or
 * $OOMLAB_ROOT), else $XDG_CACHE_HOME/oomlab/name (~/.cache/oomlab/name). */
char *cache_subdir(const char *name);
/* A guest program, malloc'ed: $OOMLAB_GUEST_DIR/name, else
 * PREFIX/libexec/oomlab/name, else build/guest/name beside the executable
 * (or one directory up, for build/san/oomlab). */
char *guest_file(const char *name);

#endif
