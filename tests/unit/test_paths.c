// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/paths.c: where the guest programs, the cache and the results are,
 * for an executable in a checkout, in an installed tree and elsewhere,
 * with and without the environment's overrides. The layouts are made in a
 * temp dir; "@" in a row stands for it. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/paths.h"
#include "lib/util.h"

static char T[64];

static void mk(const char *rel)
{
	char *p = xasprintf("%s/%s", T, rel);
	cr_assert_eq(mkdir_p(p, 0755), 0, "mkdir %s", p);
	free(p);
}

static void touch(const char *rel)
{
	char *p = xasprintf("%s/%s", T, rel);
	cr_assert_eq(write_file_atomic(p, "", 0), 0, "write %s", p);
	free(p);
}

static void setup(void)
{
	strcpy(T, "/tmp/oomlab-test-paths-XXXXXX");
	cr_assert_not_null(mkdtemp(T));
	/* a checkout after make build */
	mk("co/harness");
	touch("co/harness/main.c");
	mk("co/build/guest");
	mk("co/build/san");
	mk("co/build/tests");
	/* a checkout before make build: no build/guest yet */
	mk("fresh/harness");
	touch("fresh/harness/main.c");
	mk("fresh/build/san");
	/* make install PREFIX=@/usr */
	mk("usr/bin");
	mk("usr/libexec/oomlab");
	/* make install PREFIX=@/co/build/pfx: an installed tree inside a checkout */
	mk("co/build/pfx/bin");
	mk("co/build/pfx/libexec/oomlab");
	/* a copied binary, and a bin/ that is no install (no libexec/oomlab) */
	mk("loose");
	mk("opt/bin");
}

static void teardown(void)
{
	rm_rf(T);
}

TestSuite(paths, .init = setup, .fini = teardown);

/* s with every "@" replaced by T; NULL stays NULL. */
static char *at(const char *s)
{
	if (!s)
		return NULL;
	struct buf b = {0};
	for (; *s; s++) {
		if (*s == '@')
			buf_printf(&b, "%s", T);
		else
			buf_append(&b, s, 1);
	}
	return b.data;
}

struct row {
	const char *what;
	/* in */
	const char *exe_dir, *root, *cache, *guest_dir, *xdg, *home;
	/* out */
	const char *prefix, *checkout, *out_root, *out_guest, *out_cache;
};

static const struct row rows[] = {
	{"checkout: build/oomlab", "@/co/build", NULL, NULL, NULL, "/x", "/home/u",
	 NULL, "@/co", "@/co", "@/co/build/guest", "@/co/.cache"},
	{"checkout: build/san/oomlab finds build/guest one up", "@/co/build/san", NULL, NULL, NULL, NULL, "/home/u",
	 NULL, "@/co", "@/co", "@/co/build/san/../guest", "@/co/.cache"},
	{"checkout: a test binary in build/tests", "@/co/build/tests", NULL, NULL, NULL, NULL, "/home/u",
	 NULL, "@/co", "@/co", "@/co/build/tests/../guest", "@/co/.cache"},
	{"checkout before make build: build/guest beside, as the error names it", "@/fresh/build", NULL, NULL,
	 NULL, NULL, "/home/u", NULL, "@/fresh", "@/fresh", "@/fresh/build/guest", "@/fresh/.cache"},
	{"installed: libexec, XDG cache, results in cwd", "@/usr/bin", NULL, NULL, NULL, "/xdg", "/home/u",
	 "@/usr", NULL, "/cwd", "@/usr/libexec/oomlab", "/xdg/oomlab"},
	{"installed, no XDG_CACHE_HOME: ~/.cache/oomlab", "@/usr/bin", NULL, NULL, NULL, NULL, "/home/u",
	 "@/usr", NULL, "/cwd", "@/usr/libexec/oomlab", "/home/u/.cache/oomlab"},
	{"installed, empty XDG_CACHE_HOME is unset", "@/usr/bin", NULL, NULL, NULL, "", "/home/u",
	 "@/usr", NULL, "/cwd", "@/usr/libexec/oomlab", "/home/u/.cache/oomlab"},
	{"installed, relative XDG_CACHE_HOME is ignored (XDG spec)", "@/usr/bin", NULL, NULL, NULL, "rel",
	 "/home/u", "@/usr", NULL, "/cwd", "@/usr/libexec/oomlab", "/home/u/.cache/oomlab"},
	{"installed, no home at all: ./.cache", "@/usr/bin", NULL, NULL, NULL, NULL, NULL,
	 "@/usr", NULL, "/cwd", "@/usr/libexec/oomlab", "/cwd/.cache"},
	{"installed inside a checkout is installed", "@/co/build/pfx/bin", NULL, NULL, NULL, NULL, "/home/u",
	 "@/co/build/pfx", NULL, "/cwd", "@/co/build/pfx/libexec/oomlab", "/home/u/.cache/oomlab"},
	{"installed: OOMLAB_CACHE", "@/usr/bin", NULL, "/c", NULL, "/xdg", "/home/u",
	 "@/usr", NULL, "/cwd", "@/usr/libexec/oomlab", "/c"},
	{"installed: OOMLAB_ROOT is ROOT for results and cache", "@/usr/bin", "/r", NULL, NULL, "/xdg", "/home/u",
	 "@/usr", NULL, "/r", "@/usr/libexec/oomlab", "/r/.cache"},
	{"installed: OOMLAB_GUEST_DIR", "@/usr/bin", NULL, NULL, "/g", NULL, "/home/u",
	 "@/usr", NULL, "/cwd", "/g", "/home/u/.cache/oomlab"},
	{"checkout: every override", "@/co/build", "/r", "/c", "/g", "/xdg", "/home/u",
	 NULL, "@/co", "/r", "/g", "/c"},
	{"checkout: OOMLAB_ROOT elsewhere", "@/co/build/san", "/r", NULL, NULL, "/xdg", "/home/u",
	 NULL, "@/co", "/r", "@/co/build/san/../guest", "/r/.cache"},
	{"checkout: empty variables are unset", "@/co/build", "", "", "", "", "/home/u",
	 NULL, "@/co", "@/co", "@/co/build/guest", "@/co/.cache"},
	{"a copied binary: guest/ beside it, cache as installed", "@/loose", NULL, NULL, NULL, "/xdg", "/home/u",
	 NULL, NULL, "/cwd", "@/loose/guest", "/xdg/oomlab"},
	{"a bin/ without libexec/oomlab is no install", "@/opt/bin", NULL, NULL, NULL, NULL, "/home/u",
	 NULL, NULL, "/cwd", "@/opt/bin/guest", "/home/u/.cache/oomlab"},
};

static void expect(const char *what, const char *field, const char *got, const char *want_at)
{
	char *want = at(want_at);
	if (!want)
		cr_expect_null(got, "%s: %s = %s, want none", what, field, got);
	else
		cr_expect(got && !strcmp(got, want), "%s: %s = %s, want %s", what, field, got ? got : "(none)",
			  want);
	free(want);
}

Test(paths, table)
{
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];
		char *exe = at(r->exe_dir);
		struct paths_env env = {exe, r->root, r->cache, r->guest_dir, r->xdg, r->home, "/cwd"};
		struct paths p;
		paths_resolve(&env, &p);
		expect(r->what, "prefix", p.prefix, r->prefix);
		expect(r->what, "checkout", p.checkout, r->checkout);
		expect(r->what, "root", p.root, r->out_root);
		expect(r->what, "guest_dir", p.guest_dir, r->out_guest);
		expect(r->what, "cache", p.cache, r->out_cache);
		paths_free(&p);
		free(exe);
	}
}

/* This process (build/tests/unit of a checkout, OOMLAB_ROOT set by
 * tests/run or not): the checkout's answers. */
Test(paths, self_is_the_checkout)
{
	char *main_c = xasprintf("%s/harness/main.c", project_root());
	cr_assert(path_exists(main_c), "%s", main_c);
	free(main_c);
	const char *env = getenv("OOMLAB_CACHE");
	char *want = env && *env ? xasprintf("%s/kernels", env) : xasprintf("%s/.cache/kernels", project_root());
	char *got = cache_subdir("kernels");
	cr_assert_str_eq(got, want);
	free(got);
	free(want);
}
