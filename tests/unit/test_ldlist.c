// SPDX-License-Identifier: GPL-2.0-or-later
/* ldlist.c: the dynamic loader's list of shared objects (golden files of
 * real `ld.so --list` output in tests/golden/ldlist/), PT_INTERP of ELF
 * images, and the resolver on the host's stress-ng. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden.h"
#include "boot/ldlist.h"
#include "lib/spawn.h"
#include "lib/util.h"

/* The value of key in the header line starting with tag (e.g. "# expect: "),
 * quoted values without their quotes. 0 found, -1 absent. */
static int hdr_get(const char *data, const char *tag, const char *key, char *out, size_t outsz)
{
	const char *h = strstr(data, tag);
	if (!h)
		return -1;
	const char *p = h + strlen(tag), *le = strchr(p, '\n');
	size_t kl = strlen(key);
	while (p && p < le) {
		while (*p == ' ')
			p++;
		const char *eq = memchr(p, '=', (size_t)(le - p));
		if (!eq)
			return -1;
		const char *v = eq + 1, *ve;
		if (*v == '"') {
			v++;
			ve = memchr(v, '"', (size_t)(le - v));
			cr_assert(ve);
		} else {
			ve = memchr(v, ' ', (size_t)(le - v));
			if (!ve)
				ve = le;
		}
		if ((size_t)(eq - p) == kl && !memcmp(p, key, kl)) {
			snprintf(out, outsz, "%.*s", (int)(ve - v), v);
			return 0;
		}
		p = ve + (*ve == '"');
	}
	return -1;
}

static void check_golden(const char *rel)
{
	struct golden g;
	golden_load(rel, &g);
	char want_n[16], want_err[256];
	cr_assert(hdr_get(g.data, "# expect: ", "n", want_n, sizeof want_n) == 0);
	cr_assert(hdr_get(g.data, "# expect: ", "error", want_err, sizeof want_err) == 0);
	char *b = dup_exact(g.body, g.body_len);
	struct ldlist l = {0};
	struct buf err = {0};
	int n = ldlist_parse(b, g.body_len, &l, &err);
	cr_assert_eq(n, atoi(want_n), "%s: %d objects (%s)", rel, n, err.data ? err.data : "");
	if (n < 0) {
		cr_assert_str_eq(err.data, want_err, "%s", rel);
	} else {
		cr_assert_eq(l.n, (size_t)n);
		for (size_t i = 0; i < l.n; i++) {
			char tag[48], so[128], path[256];
			snprintf(tag, sizeof tag, "# expect item[%zu]: ", i);
			cr_assert(hdr_get(g.data, tag, "soname", so, sizeof so) == 0, "%s: no line %s", rel, tag);
			cr_assert(hdr_get(g.data, tag, "path", path, sizeof path) == 0);
			cr_assert_str_eq(l.v[i].soname, so, "%s item %zu", rel, i);
			cr_assert_str_eq(l.v[i].path, path, "%s item %zu", rel, i);
		}
		char tag[48];
		snprintf(tag, sizeof tag, "# expect item[%zu]: ", l.n);
		cr_assert_null(strstr(g.data, tag), "%s: more items expected than parsed", rel);
	}
	/* every prefix: never reads past the end, never crashes */
	for (size_t k = 0; k < g.body_len; k++) {
		char *p = dup_exact(g.body, k);
		struct ldlist t = {0};
		struct buf e = {0};
		ldlist_parse(p, k, &t, &e);
		ldlist_free(&t);
		buf_free(&e);
		free(p);
	}
	ldlist_free(&l);
	buf_free(&err);
	free(b);
	golden_free(&g);
}

Test(ldlist, stress_ng_golden)
{
	check_golden("ldlist/stress-ng-deb12.txt");
}

Test(ldlist, not_found_golden)
{
	check_golden("ldlist/notfound-deb12.txt");
}

Test(ldlist, skips_vdso_and_dedups)
{
	static const char txt[] = "\tlinux-vdso.so.1 (0x00007ffd)\n"
				  "\tlinux-vdso.so.1 =>  (0x00007ffd)\n"
				  "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f00)\n"
				  "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f00)\n"
				  "\tlibz.so.1 => /usr/lib/../lib/./x86_64-linux-gnu//libz.so.1 (0x1)\n"
				  "\t/lib64/ld-linux-x86-64.so.2 (0x00007f01)\n";
	struct ldlist l = {0};
	struct buf err = {0};
	cr_assert_eq(ldlist_parse(txt, sizeof txt - 1, &l, &err), 3, "%s", err.data ? err.data : "");
	cr_assert_str_eq(l.v[0].path, "/lib/x86_64-linux-gnu/libc.so.6");
	cr_assert_str_eq(l.v[1].soname, "libz.so.1");
	cr_assert_str_eq(l.v[1].path, "/usr/lib/x86_64-linux-gnu/libz.so.1");
	cr_assert_str_eq(l.v[2].soname, "/lib64/ld-linux-x86-64.so.2");
	ldlist_free(&l);
	buf_free(&err);
}

Test(ldlist, bad_input_is_an_error)
{
	static const char *const bad[] = {
		"",
		"\tlinux-vdso.so.1 (0x00007ffd)\n",
		"\tstatically linked\n",
		"\tlibc.so.6 => relative/libc.so.6 (0x1)\n",
		"\tlibc.so.6 => /../libc.so.6 (0x1)\n",
		"\t => /lib/libc.so.6 (0x1)\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct ldlist l = {0};
		struct buf err = {0};
		cr_assert_eq(ldlist_parse(bad[i], strlen(bad[i]), &l, &err), -1, "case %zu", i);
		cr_assert(err.len > 0, "case %zu has no message", i);
		ldlist_free(&l);
		buf_free(&err);
	}
}

/* A minimal ELF64 little-endian image: header, one PT_LOAD, one PT_INTERP. */
static size_t make_elf64(unsigned char *img, size_t cap, const char *interp)
{
	memset(img, 0, cap);
	memcpy(img, "\177ELF", 4);
	img[4] = 2; /* 64 bit */
	img[5] = 1; /* little endian */
	img[6] = 1;
	img[32] = 64;      /* e_phoff */
	img[54] = 56;      /* e_phentsize */
	img[56] = interp ? 2 : 1; /* e_phnum */
	unsigned char *ph = img + 64;
	ph[0] = 1; /* PT_LOAD */
	if (interp) {
		ph += 56;
		ph[0] = 3; /* PT_INTERP */
		size_t off = 64 + 2 * 56, n = strlen(interp) + 1;
		ph[8] = (unsigned char)off;
		ph[32] = (unsigned char)n;
		memcpy(img + off, interp, n);
		return off + n;
	}
	return 64 + 56;
}

Test(ldlist, elf_interp)
{
	unsigned char img[512];
	char out[256];
	size_t n = make_elf64(img, sizeof img, "/lib64/ld-linux-x86-64.so.2");
	char *b = dup_exact((char *)img, n);
	cr_assert_eq(elf_interp(b, n, out, sizeof out), 1);
	cr_assert_str_eq(out, "/lib64/ld-linux-x86-64.so.2");
	cr_assert_eq(elf_interp(b, n, out, 10), -1, "does not fit");
	/* every truncation is refused or still finds it, never reads past the end */
	for (size_t k = 0; k < n; k++) {
		char *t = dup_exact((char *)img, k);
		int r = elf_interp(t, k, out, sizeof out);
		cr_assert(r == -1 || r == 1, "length %zu: %d", k, r);
		free(t);
	}
	free(b);
	n = make_elf64(img, sizeof img, NULL);
	b = dup_exact((char *)img, n);
	cr_assert_eq(elf_interp(b, n, out, sizeof out), 0, "static");
	free(b);
	cr_assert_eq(elf_interp("#!/bin/sh\n", 10, out, sizeof out), -1);
	img[56] = 0xff; /* phnum past the end */
	img[57] = 0xff;
	b = dup_exact((char *)img, n);
	cr_assert_eq(elf_interp(b, n, out, sizeof out), -1);
	free(b);
}

/* The real thing: the host's stress-ng (ci/install-deps installs it). */
Test(ldlist, resolve_host_stress_ng)
{
	if (!path_exists("/usr/bin/stress-ng"))
		cr_skip_test("no /usr/bin/stress-ng on this host");
	struct ldlist l = {0};
	struct buf err = {0};
	cr_assert_eq(ldlist_resolve("/usr/bin/stress-ng", &l, &err), 0, "%s", err.data ? err.data : "");
	cr_assert_str_eq(l.v[0].path, "/usr/bin/stress-ng");
	int libc = 0, interp = 0;
	for (size_t i = 0; i < l.n; i++) {
		cr_assert_eq(l.v[i].path[0], '/');
		cr_assert(path_exists(l.v[i].path), "%s", l.v[i].path);
		if (!strcmp(l.v[i].soname, "libc.so.6"))
			libc = 1;
		if (strstr(l.v[i].path, "ld-linux"))
			interp = 1;
		for (size_t k = 0; k < i; k++)
			cr_assert_str_neq(l.v[i].path, l.v[k].path);
	}
	cr_assert(libc && interp);
	ldlist_free(&l);
	buf_free(&err);
	/* not an ELF: a clear error */
	cr_assert_eq(ldlist_resolve("/etc/hostname", &l, &err), -1);
	cr_assert(err.len);
	ldlist_free(&l);
	buf_free(&err);
}

/* A program whose library is gone: the error names the library. */
static char nf_tmp[64];

static void nf_teardown(void)
{
	if (nf_tmp[0])
		rm_rf(nf_tmp);
}

Test(ldlist, resolve_names_a_missing_library, .fini = nf_teardown)
{
	strcpy(nf_tmp, "/tmp/oomlab-test-ldlist-XXXXXX");
	cr_assert_not_null(mkdtemp(nf_tmp));
	char *lib_c = xasprintf("%s/foo.c", nf_tmp), *main_c = xasprintf("%s/m.c", nf_tmp);
	char *lib = xasprintf("%s/libfoo.so.1", nf_tmp), *exe = xasprintf("%s/m", nf_tmp);
	char *ldir = xasprintf("-L%s", nf_tmp);
	cr_assert(write_file_atomic(lib_c, "int foo(void){return 1;}\n", 25) == 0);
	cr_assert(write_file_atomic(main_c, "int foo(void);\nint main(void){return foo();}\n", 45) == 0);
	char *cc1[] = {"cc", "-shared", "-fPIC", "-Wl,-soname,libfoo.so.1", "-o", lib, lib_c, NULL};
	char *cc2[] = {"cc", "-o", exe, main_c, ldir, "-l:libfoo.so.1", NULL};
	int st;
	cr_assert(run_argv(cc1, &(struct spawn_opts){NULL, SPAWN_DEVNULL, SPAWN_INHERIT, SPAWN_INHERIT},
			   30000, &st) == 0 && st == 0);
	cr_assert(run_argv(cc2, &(struct spawn_opts){NULL, SPAWN_DEVNULL, SPAWN_INHERIT, SPAWN_INHERIT},
			   30000, &st) == 0 && st == 0);
	cr_assert(unlink(lib) == 0);
	struct ldlist l = {0};
	struct buf err = {0};
	cr_assert_eq(ldlist_resolve(exe, &l, &err), -1);
	cr_assert(err.data && strstr(err.data, "shared library libfoo.so.1 not found"), "%s",
		  err.data ? err.data : "");
	ldlist_free(&l);
	buf_free(&err);
	free(lib_c);
	free(main_c);
	free(lib);
	free(exe);
	free(ldir);
}
