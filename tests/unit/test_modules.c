// SPDX-License-Identifier: GPL-2.0-or-later
/* modules.c (modules.dep/builtin parsing, load order, decompression),
 * plus the pure parts of kernels.c and initramfs.c. Golden inputs live in
 * tests/golden/modules/: an excerpt of a generated 6.1 modules.dep, a 6.12
 * modules.builtin excerpt, and crc7 from the Debian 6.12 (.ko.xz; .ko.zst
 * made from it with the zstd CLI) and 6.1 (.ko) packages. */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proto/cellconf.h"
#include "boot/initramfs.h"
#include "boot/kernels.h"
#include "boot/modules.h"
#include "lib/paths.h"
#include "lib/spawn.h"
#include "lib/util.h"

static char *golden(const char *name)
{
	char *p = xasprintf("%s/tests/golden/modules/%s", project_root(), name);
	if (!path_exists(p)) {
		free(p);
		p = xasprintf("tests/golden/modules/%s", name);
	}
	return p;
}

static char *slurp_golden(const char *name, size_t *len)
{
	char *p = golden(name), *d;
	cr_assert_eq(read_file(p, &d, len), 0, "%s: %s", p, strerror(errno));
	free(p);
	return d;
}

static char mod_tmp[64];

static void mod_setup(void)
{
	strcpy(mod_tmp, "/tmp/oomlab-test-mod-XXXXXX");
	cr_assert_not_null(mkdtemp(mod_tmp));
}

static void mod_teardown(void)
{
	if (mod_tmp[0])
		rm_rf(mod_tmp);
}

static void put_file(const char *path, const void *data, size_t len)
{
	char *dir = xstrdup(path);
	*strrchr(dir, '/') = 0;
	cr_assert_eq(mkdir_p(dir, 0755), 0);
	free(dir);
	cr_assert_eq(write_file_atomic(path, data, len), 0, "%s: %s", path, strerror(errno));
}

static long pos_of(const struct modset *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->items[i].name, name))
			return (long)i;
	return -1;
}

/* Every module comes after all its dependencies, and only once. */
static void check_topo(const struct moddep *d, const struct modset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		for (size_t j = 0; j < i; j++)
			cr_assert_str_neq(s->items[i].name, s->items[j].name, "%s twice", s->items[i].name);
		long k = moddep_find(d, s->items[i].name);
		cr_assert_geq(k, 0);
		for (size_t e = 0; e < d->nodes[k].ndeps; e++) {
			const char *dep = d->nodes[d->nodes[k].deps[e]].name;
			long p = pos_of(s, dep);
			cr_assert(p >= 0 && (size_t)p < i, "%s loaded before its dependency %s",
				  s->items[i].name, dep);
		}
	}
}

static int order(const char *dep_text, const char *builtin_text, const char *const *want,
		 size_t nwant, struct moddep *d, struct modset *s, struct buf *err)
{
	char **b = NULL;
	modbuiltin_parse(builtin_text, strlen(builtin_text), &b);
	int r = moddep_parse(dep_text, strlen(dep_text), d, err);
	if (r == 0)
		r = modset_order("/m", d, b, want, nwant, s, err);
	modnames_free(b);
	return r;
}

Test(modules, names)
{
	char *n = module_name_from_path("kernel/drivers/char/hw_random/virtio-rng.ko.xz");
	cr_assert_str_eq(n, "virtio_rng");
	free(n);
	n = module_name_from_path("zram.ko.zst");
	cr_assert_str_eq(n, "zram");
	free(n);
	n = module_name_from_path("/abs/x/crc-t10dif.ko");
	cr_assert_str_eq(n, "crc_t10dif");
	free(n);
	cr_assert(module_name_eq("virtio-rng", "virtio_rng"));
	cr_assert(module_name_eq("a_b-c", "a-b_c"));
	cr_assert_not(module_name_eq("virtio", "virtio_pci"));
	cr_assert_not(module_name_eq("virtio_pci", "virtio"));
	char *p = initramfs_module_path("virtio_blk");
	cr_assert_str_eq(p, GUEST_MODULE_DIR "/virtio_blk.ko");
	free(p);
}

Test(modules, parse_golden_dep)
{
	size_t len;
	char *text = slurp_golden("modules.dep", &len);
	struct moddep d;
	struct buf err = {0};
	cr_assert_eq(moddep_parse(text, len, &d, &err), 0, "%s", err.data);
	cr_assert_eq(d.n, 27);
	for (size_t i = 0; i < d.n; i++)
		cr_assert(d.nodes[i].listed, "%s has no line of its own", d.nodes[i].name);
	long k = moddep_find(&d, "sd-mod");
	cr_assert_geq(k, 0);
	cr_assert_str_eq(d.nodes[k].path, "kernel/drivers/scsi/sd_mod.ko");
	cr_assert_eq(d.nodes[k].ndeps, 7);
	cr_assert_str_eq(d.nodes[d.nodes[k].deps[0]].name, "t10_pi");
	k = moddep_find(&d, "virtio_dma_buf");
	cr_assert_geq(k, 0);
	cr_assert_eq(d.nodes[k].ndeps, 0);
	cr_assert_eq(moddep_find(&d, "nosuch"), -1);
	moddep_free(&d);
	moddep_free(&d); /* idempotent */
	buf_free(&err);
	free(text);
}

Test(modules, load_order_golden)
{
	char *dep = slurp_golden("modules.dep", NULL);
	const char *want[] = {"virtio_pci", "virtio_blk", "zram", "virtio-blk"};
	struct moddep d;
	struct modset s;
	struct buf err = {0};
	cr_assert_eq(order(dep, "", want, 4, &d, &s, &err), 0, "%s", err.data);
	/* deps listed last load first (modprobe's reading of depmod's lists) */
	static const char *const expect[] = {"virtio_ring", "virtio_pci_modern_dev",
					     "virtio_pci_legacy_dev", "virtio", "virtio_pci",
					     "virtio_blk", "zsmalloc", "zram"};
	cr_assert_eq(s.n, ARRAY_SIZE(expect));
	for (size_t i = 0; i < s.n; i++)
		cr_assert_str_eq(s.items[i].name, expect[i], "position %zu", i);
	cr_assert_str_eq(s.items[0].path, "/m/kernel/drivers/virtio/virtio_ring.ko");
	check_topo(&d, &s);
	cr_assert_null(s.builtin);
	modset_free(&s);
	moddep_free(&d);

	const char *want2[] = {"sd_mod", "virtio_scsi", "virtio_net", "virtio-rng"};
	cr_assert_eq(order(dep, "", want2, 4, &d, &s, &err), 0, "%s", err.data);
	check_topo(&d, &s);
	cr_assert_eq(s.n, 15);
	cr_assert_str_eq(s.items[s.n - 1].name, "virtio_rng");
	modset_free(&s);
	modset_free(&s); /* idempotent */
	moddep_free(&d);
	buf_free(&err);
	free(dep);
}

Test(modules, real_topological_sort_ignores_list_order)
{
	/* Lists in an order no loader could follow, a dependency-only node
	 * (e), CRLF, blank lines, comments, no final newline. */
	const char *dep = "# comment\r\n"
			  "top.ko: a.ko b.ko c.ko d.ko\r\n"
			  "\n"
			  "  d.ko:   \t\n"
			  "a.ko: b.ko c.ko e.ko\n"
			  "b.ko: d.ko c.ko\n"
			  "c.ko: d.ko\n"
			  "x-y.ko: top.ko";
	const char *want[] = {"x_y"};
	struct moddep d;
	struct modset s;
	struct buf err = {0};
	cr_assert_eq(order(dep, "", want, 1, &d, &s, &err), 0, "%s", err.data);
	check_topo(&d, &s);
	cr_assert_eq(s.n, 7);
	cr_assert_str_eq(s.items[0].name, "d");
	cr_assert_str_eq(s.items[6].name, "x_y");
	long e = moddep_find(&d, "e");
	cr_assert_geq(e, 0);
	cr_assert_not(d.nodes[e].listed);
	cr_assert_str_eq(s.items[pos_of(&s, "e")].path, "/m/e.ko");
	modset_free(&s);
	moddep_free(&d);
	buf_free(&err);
}

Test(modules, builtin_is_skipped)
{
	char *dep = slurp_golden("modules.dep", NULL);
	char *bi = slurp_golden("modules.builtin", NULL);
	/* As in 6.12: virtio and virtio_pci are built in, virtio_blk is not
	 * (this dep excerpt is 6.1's, so virtio_blk still lists virtio). */
	const char *want[] = {"virtio-pci", "zsmalloc", "virtio_blk"};
	struct moddep d;
	struct modset s;
	struct buf err = {0};
	cr_assert_eq(order(dep, bi, want, 3, &d, &s, &err), 0, "%s", err.data);
	cr_assert_not_null(s.builtin);
	cr_assert_str_eq(s.builtin[0], "virtio_pci");
	cr_assert_str_eq(s.builtin[1], "zsmalloc");
	cr_assert_null(s.builtin[2]);
	cr_assert_eq(pos_of(&s, "virtio_pci"), -1);
	cr_assert_geq(pos_of(&s, "virtio_blk"), 0);
	modset_free(&s);
	moddep_free(&d);

	/* only built-in modules: nothing to load, not an error */
	const char *want2[] = {"virtio_pci", "crc32"};
	cr_assert_eq(order("", bi, want2, 2, &d, &s, &err), 0, "%s", err.data);
	cr_assert_eq(s.n, 0);
	modset_free(&s);
	moddep_free(&d);
	buf_free(&err);
	free(dep);
	free(bi);
}

Test(modules, missing_module_names_it_and_the_dir)
{
	char *dep = slurp_golden("modules.dep", NULL);
	const char *want[] = {"zram", "no-such_mod"};
	struct moddep d;
	struct modset s;
	struct buf err = {0};
	cr_assert_eq(order(dep, "", want, 2, &d, &s, &err), -1);
	cr_assert_not_null(strstr(err.data, "no-such_mod"), "%s", err.data);
	cr_assert_not_null(strstr(err.data, "/m"), "%s", err.data);
	cr_assert_eq(s.n, 0);
	modset_free(&s);
	moddep_free(&d);
	buf_free(&err);
	free(dep);
}

Test(modules, bad_dep_files)
{
	struct moddep d;
	struct modset s;
	struct buf err = {0};
	const char *want[] = {"a"};
	cr_assert_eq(order("a.ko: b.ko\nb.ko: c.ko\nc.ko: a.ko\n", "", want, 1, &d, &s, &err), -1);
	cr_assert_not_null(strstr(err.data, "cycle"), "%s", err.data);
	cr_assert_not_null(strstr(err.data, "a -> b -> c -> a"), "%s", err.data);
	modset_free(&s);
	moddep_free(&d);
	buf_free(&err);

	cr_assert_eq(moddep_parse("a.ko:\nthis line has no colon\n", 24, &d, &err), -1);
	cr_assert_not_null(strstr(err.data, "line 2"), "%s", err.data);
	moddep_free(&d);
	buf_free(&err);

	cr_assert_eq(moddep_parse(": b.ko\n", 7, &d, &err), -1);
	moddep_free(&d);
	buf_free(&err);

	static const char nul[] = "a.ko: b\0.ko\n";
	cr_assert_eq(moddep_parse(nul, sizeof nul - 1, &d, &err), -1);
	moddep_free(&d);
	buf_free(&err);

	/* a module listed twice keeps its first line */
	cr_assert_eq(moddep_parse("a.ko: b.ko\nb.ko:\na.ko: c.ko\n", 26, &d, &err), 0);
	long a = moddep_find(&d, "a");
	cr_assert_eq(d.nodes[a].ndeps, 1);
	cr_assert_str_eq(d.nodes[d.nodes[a].deps[0]].name, "b");
	moddep_free(&d);

	/* an empty file and an empty want list */
	cr_assert_eq(moddep_parse("", 0, &d, &err), 0);
	cr_assert_eq(d.n, 0);
	cr_assert_eq(modset_order("/m", &d, NULL, NULL, 0, &s, &err), 0);
	cr_assert_eq(s.n, 0);
	modset_free(&s);
	moddep_free(&d);
	buf_free(&err);
}

Test(modules, long_chain_does_not_recurse)
{
	struct buf t = {0};
	const size_t n = 100000;
	for (size_t i = 0; i < n; i++)
		buf_printf(&t, "m%zu.ko: m%zu.ko\n", i, i + 1);
	struct moddep d;
	struct modset s;
	struct buf err = {0};
	cr_assert_eq(moddep_parse(t.data, t.len, &d, &err), 0, "%s", err.data);
	const char *want[] = {"m0"};
	cr_assert_eq(modset_order("/m", &d, NULL, want, 1, &s, &err), 0, "%s", err.data);
	cr_assert_eq(s.n, n + 1);
	cr_assert_str_eq(s.items[0].name, "m100000");
	cr_assert_str_eq(s.items[n].name, "m0");
	modset_free(&s);
	moddep_free(&d);
	buf_free(&t);
}

/* ---- decompression ---- */

static char *xz_dc(const char *path, size_t *len)
{
	char *argv[] = {"xz", "-dc", (char *)path, NULL};
	char *out = NULL;
	cr_assert_eq(run_capture(argv, &out, len), 0, "xz -dc %s failed", path);
	return out;
}

Test(modules, decompress_xz_zst_plain)
{
	char *pxz = golden("crc7.ko.xz"), *pzst = golden("crc7.ko.zst"), *pko = golden("crc7.ko");
	size_t rlen, len;
	char *ref = xz_dc(pxz, &rlen);
	cr_assert_gt(rlen, 1000);
	char *data;
	struct buf err = {0};

	cr_assert_eq(module_load_file(pxz, &data, &len, &err), 0, "%s", err.data);
	cr_assert_eq(len, rlen);
	cr_assert_eq(memcmp(data, ref, len), 0, "xz decoding differs from xz -dc");
	cr_assert_eq(memcmp(data, "\x7f" "ELF", 4), 0);
	char *v = modinfo_get(data, len, "name");
	cr_assert_str_eq(v, "crc7");
	free(v);
	v = modinfo_get(data, len, "vermagic");
	cr_assert_not_null(v);
	cr_assert_eq(strncmp(v, "6.12.", 5), 0, "vermagic %s", v);
	free(v);
	v = modinfo_get(data, len, "depends");
	cr_assert_str_eq(v, "");
	free(v);
	cr_assert_null(modinfo_get(data, len, "nosuchkey"));
	free(data);

	cr_assert_eq(module_load_file(pzst, &data, &len, &err), 0, "%s", err.data);
	cr_assert_eq(len, rlen);
	cr_assert_eq(memcmp(data, ref, len), 0, "zstd decoding differs");
	free(data);

	char *raw;
	size_t rawlen;
	cr_assert_eq(read_file(pko, &raw, &rawlen), 0);
	cr_assert_eq(module_load_file(pko, &data, &len, &err), 0, "%s", err.data);
	cr_assert_eq(len, rawlen);
	cr_assert_eq(memcmp(data, raw, len), 0);
	v = modinfo_get(data, len, "vermagic");
	cr_assert_eq(strncmp(v, "6.1.0-", 6), 0, "vermagic %s", v);
	free(v);
	free(data);
	free(raw);
	free(ref);
	free(pxz);
	free(pzst);
	free(pko);
	buf_free(&err);
}

static void expect_corrupt(const char *what, const void *in, size_t len, const char *msg)
{
	struct buf err = {0};
	char *data = (char *)1;
	size_t olen = 1;
	cr_assert_eq(module_decompress(what, in, len, &data, &olen, &err), -1, "%s accepted", what);
	cr_assert_null(data);
	cr_assert_eq(olen, 0);
	cr_assert_not_null(strstr(err.data, what), "error does not name the file: %s", err.data);
	cr_assert_not_null(strstr(err.data, msg), "%s: wanted '%s' in: %s", what, msg, err.data);
	buf_free(&err);
}

Test(modules, corrupt_input_is_an_error_naming_the_file, .init = mod_setup, .fini = mod_teardown)
{
	size_t xl, zl;
	char *xz = slurp_golden("crc7.ko.xz", &xl);
	char *zs = slurp_golden("crc7.ko.zst", &zl);
	expect_corrupt("half.ko.xz", xz, xl / 2, "truncated");
	expect_corrupt("magic-only.ko.xz", xz, 6, "xz");
	xz[xl / 2] ^= 0x55;
	expect_corrupt("flipped.ko.xz", xz, xl, "xz");
	expect_corrupt("half.ko.zst", zs, zl / 2, "truncated");
	zs[zl / 2] ^= 0x55;
	expect_corrupt("flipped.ko.zst", zs, zl, "zstd");
	expect_corrupt("text.ko", "hello world\n", 12, "ELF");
	expect_corrupt("empty.ko", "", 0, "ELF");
	expect_corrupt("gz.ko.gz", "\x1f\x8b\x08\x00", 4, "gzip");

	/* through a file: the message names the path */
	char *p = xasprintf("%s/broken.ko.xz", mod_tmp);
	put_file(p, xz, xl / 3);
	char *data;
	size_t len;
	struct buf err = {0};
	cr_assert_eq(module_load_file(p, &data, &len, &err), -1);
	cr_assert_not_null(strstr(err.data, p), "%s", err.data);
	buf_free(&err);
	cr_assert_eq(module_load_file("/nonexistent/x.ko", &data, &len, &err), -1);
	cr_assert_not_null(strstr(err.data, "/nonexistent/x.ko"), "%s", err.data);
	buf_free(&err);
	free(p);
	free(xz);
	free(zs);
}

Test(modules, modinfo_rejects_garbage)
{
	static unsigned char elf[256];
	memcpy(elf, "\x7f" "ELF\x02\x01\x01", 7);
	cr_assert_null(modinfo_get(elf, sizeof elf, "name"));   /* no section table */
	elf[0x28] = 0xff;                                        /* e_shoff far out */
	elf[0x3a] = 64;                                          /* e_shentsize */
	elf[0x3c] = 3;                                           /* e_shnum */
	cr_assert_null(modinfo_get(elf, sizeof elf, "name"));
	cr_assert_null(modinfo_get("\x7f" "ELF", 4, "name"));
	cr_assert_null(modinfo_get(NULL, 0, "name"));
	/* every truncation of a real module is handled without reading past it */
	size_t len;
	char *raw = slurp_golden("crc7.ko", &len);
	for (size_t n = 0; n < len; n += 97) {
		char *cut = xmalloc(n ? n : 1);
		memcpy(cut, raw, n);
		char *v = modinfo_get(cut, n, "name");
		if (v)
			cr_assert_str_eq(v, "crc7");
		free(v);
		free(cut);
	}
	free(raw);
}

/* ---- files on disk: modset_resolve, modules_gen_dep ---- */

static char *make_tree(void)
{
	size_t xl;
	char *xz = slurp_golden("crc7.ko.xz", &xl);
	char *dir = xasprintf("%s/lib/modules/6.12.0-test", mod_tmp);
	char *p = xasprintf("%s/kernel/lib/crc7.ko.xz", dir);
	put_file(p, xz, xl);
	free(p);
	p = xasprintf("%s/modules.builtin", dir);
	put_file(p, "kernel/drivers/virtio/virtio_pci.ko\n", 36);
	free(p);
	free(xz);
	return dir;
}

Test(modules, resolve_and_generate_on_disk, .init = mod_setup, .fini = mod_teardown)
{
	char *dir = make_tree();
	const char *want[] = {"crc7", "virtio_pci"};
	struct modset s;
	struct buf err = {0};
	cr_assert_eq(modset_resolve(dir, want, 2, &s, &err), -1, "no modules.dep yet");
	cr_assert_not_null(strstr(err.data, "modules.dep"), "%s", err.data);
	buf_free(&err);

	cr_assert_eq(modules_gen_dep(dir, &err), 0, "%s", err.data);
	char *p = xasprintf("%s/modules.dep", dir), *text;
	cr_assert_eq(read_file(p, &text, NULL), 0);
	cr_assert_str_eq(text, "kernel/lib/crc7.ko.xz:\n");
	free(text);
	free(p);

	cr_assert_eq(modset_resolve(dir, want, 2, &s, &err), 0, "%s", err.data);
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.items[0].name, "crc7");
	char *expect = xasprintf("%s/kernel/lib/crc7.ko.xz", dir);
	cr_assert_str_eq(s.items[0].path, expect);
	cr_assert_str_eq(s.builtin[0], "virtio_pci");
	free(expect);
	modset_free(&s);

	/* listed but missing on disk */
	p = xasprintf("%s/modules.dep", dir);
	put_file(p, "kernel/lib/crc7.ko.xz: kernel/lib/gone.ko\nkernel/lib/gone.ko:\n", 61);
	free(p);
	cr_assert_eq(modset_resolve(dir, want, 1, &s, &err), -1);
	cr_assert_not_null(strstr(err.data, "gone.ko"), "%s", err.data);
	buf_free(&err);
	free(dir);
}

/* zswap's compressor and zpool: loaded when the tree has them as a
 * module, skipped when built in, left out (for the kernel to refuse)
 * when it has neither; a wanted module it lacks is still an error. */
Test(modules, optional_modules_only_when_the_tree_has_them, .init = mod_setup, .fini = mod_teardown)
{
	char *dir = make_tree();
	struct buf err = {0};
	cr_assert_eq(modules_gen_dep(dir, &err), 0, "%s", err.data);
	const char *opt[] = {"842", "crc7", "virtio-pci"};
	struct modset s;
	cr_assert_eq(modset_resolve_opt(dir, NULL, 0, opt, 3, &s, &err), 0, "%s", err.data);
	cr_assert_eq(s.n, 1);
	cr_expect_str_eq(s.items[0].name, "crc7");
	cr_assert_not_null(s.builtin);
	cr_expect_str_eq(s.builtin[0], "virtio_pci");
	cr_expect_null(s.builtin[1]);
	modset_free(&s);
	const char *want[] = {"842"};
	cr_assert_eq(modset_resolve_opt(dir, want, 1, opt, 3, &s, &err), -1);
	cr_expect_not_null(strstr(err.data, "module '842' not found"), "%s", err.data);
	buf_free(&err);
	free(dir);
}

/* ---- kernels: pure parts and argument checks (no network) ---- */

static void fake_bzimage(unsigned char *b, size_t len, const char *version)
{
	memset(b, 0, len);
	memcpy(b + 0x202, "HdrS", 4);
	b[0x206] = 0x0f;
	b[0x207] = 0x02;
	unsigned off = 0x1000;
	b[0x20E] = off & 0xff;
	b[0x20F] = off >> 8;
	memcpy(b + off + 0x200, version, strlen(version) + 1);
}

Test(kernels, bzimage_header)
{
	static unsigned char b[0x2000];
	fake_bzimage(b, sizeof b, "6.1.0-test-amd64 (me@here) #1 SMP");
	char *rel;
	cr_assert_eq(bzimage_parse(b, sizeof b, &rel), 0);
	cr_assert_str_eq(rel, "6.1.0-test-amd64");
	free(rel);
	/* version string out of the buffer: still a bzImage, no release */
	cr_assert_eq(bzimage_parse(b, 0x1100, &rel), 0);
	cr_assert_null(rel);
	b[0x203] = 'x';
	cr_assert_eq(bzimage_parse(b, sizeof b, &rel), -1);
	cr_assert_eq(bzimage_parse(b, 0x100, &rel), -1);
}

Test(kernels, package_names)
{
	cr_assert(kernels_valid_package("linux-image-amd64"));
	cr_assert(kernels_valid_package("linux-image-6.12.117+deb12-amd64"));
	cr_assert_not(kernels_valid_package("linux-image-"));
	cr_assert_not(kernels_valid_package("linux-headers-amd64"));
	cr_assert_not(kernels_valid_package("linux-image-AMD64"));
	cr_assert_not(kernels_valid_package("linux-image-x y"));
	cr_assert_not(kernels_valid_package("linux-image-a/../b"));
	cr_assert_not(kernels_valid_package(NULL));

	struct kernel_info k;
	struct buf err = {0};
	cr_assert_eq(kernels_fetch("busybox", &k, &err), KERNELS_EUSAGE);
	cr_assert_not_null(strstr(err.data, "busybox"), "%s", err.data);
	buf_free(&err);
	cr_assert_eq(kernels_resolve("linux-image-BAD", NULL, &k, &err), KERNELS_EUSAGE);
	buf_free(&err);
	cr_assert_eq(kernels_resolve(NULL, "/some/dir", &k, &err), KERNELS_EUSAGE);
	cr_assert_not_null(strstr(err.data, "--modules"), "%s", err.data);
	buf_free(&err);
	cr_assert_eq(kernels_resolve("", NULL, &k, &err), KERNELS_EUSAGE);
	buf_free(&err);
	kernel_info_free(&k);
	kernel_info_free(NULL);
}

Test(kernels, custom_image, .init = mod_setup, .fini = mod_teardown)
{
	static unsigned char b[0x2000];
	fake_bzimage(b, sizeof b, "6.12.0-test");
	char *img = xasprintf("%s/bzImage", mod_tmp);
	put_file(img, b, sizeof b);
	char *dir = make_tree();
	struct kernel_info k;
	struct buf err = {0};

	cr_assert_eq(kernels_resolve(img, NULL, &k, &err), KERNELS_OK, "%s", err.data);
	cr_assert_null(k.package);
	cr_assert_str_eq(k.release, "6.12.0-test");
	cr_assert_str_eq(k.image, img);
	cr_assert_null(k.modules_dir);
	kernel_info_free(&k);

	cr_assert_eq(kernels_resolve(img, dir, &k, &err), KERNELS_EUSAGE, "no modules.dep there");
	cr_assert_not_null(strstr(err.data, "modules.dep"), "%s", err.data);
	buf_free(&err);
	cr_assert_eq(modules_gen_dep(dir, &err), 0, "%s", err.data);
	cr_assert_eq(kernels_resolve(img, dir, &k, &err), KERNELS_OK, "%s", err.data);
	cr_assert_str_eq(k.modules_dir, dir);
	kernel_info_free(&k);
	kernel_info_free(&k);

	char *notimg = xasprintf("%s/lib/modules/6.12.0-test/modules.dep", mod_tmp);
	cr_assert_eq(kernels_resolve(notimg, NULL, &k, &err), KERNELS_EUSAGE);
	cr_assert_not_null(strstr(err.data, "HdrS"), "%s", err.data);
	buf_free(&err);
	cr_assert_eq(kernels_resolve("/nonexistent/bzImage", NULL, &k, &err), KERNELS_EUSAGE);
	cr_assert_not_null(strstr(err.data, "/nonexistent/bzImage"), "%s", err.data);
	buf_free(&err);
	free(notimg);
	free(dir);
	free(img);
}

/* A bzImage's build configuration: none (null, not an error), then
 * config-<release> beside it (the layout of /boot), then the .config of
 * the kernel tree it was built in. */
Test(kernels, custom_image_config, .init = mod_setup, .fini = mod_teardown)
{
	static unsigned char b[0x2000];
	fake_bzimage(b, sizeof b, "6.12.0-test");
	char *img = xasprintf("%s/bzImage", mod_tmp);
	put_file(img, b, sizeof b);
	struct kernel_info k;
	struct buf err = {0};
	cr_assert_eq(kernels_resolve(img, NULL, &k, &err), KERNELS_OK, "%s", err.data);
	cr_expect_null(k.config, "%s", k.config);
	kernel_info_free(&k);

	char *beside = xasprintf("%s/config-6.12.0-test", mod_tmp);
	put_file(beside, "CONFIG_LRU_GEN=y\n", 17);
	cr_assert_eq(kernels_resolve(img, NULL, &k, &err), KERNELS_OK, "%s", err.data);
	cr_expect_str_eq(k.config, beside);
	kernel_info_free(&k);

	char *tree = xasprintf("%s/linux/arch/x86/boot", mod_tmp);
	cr_assert_eq(mkdir_p(tree, 0755), 0);
	char *timg = xasprintf("%s/bzImage", tree);
	put_file(timg, b, sizeof b);
	char *dotconfig = xasprintf("%s/linux/.config", mod_tmp);
	cr_assert_eq(kernels_resolve(timg, NULL, &k, &err), KERNELS_OK, "%s", err.data);
	cr_expect_null(k.config, "no .config yet: %s", k.config);
	kernel_info_free(&k);
	put_file(dotconfig, "CONFIG_LRU_GEN=y\n", 17);
	cr_assert_eq(kernels_resolve(timg, NULL, &k, &err), KERNELS_OK, "%s", err.data);
	cr_expect_str_eq(k.config, dotconfig);
	kernel_info_free(&k);
	buf_free(&err);
	free(dotconfig);
	free(timg);
	free(tree);
	free(beside);
	free(img);
}

Test(kernels, empty_cache_lists_nothing, .init = mod_setup, .fini = mod_teardown)
{
	setenv("OOMLAB_CACHE", mod_tmp, 1);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct buf err = {0};
	cr_assert_eq(kernels_list(f, &err), KERNELS_OK, "%s", err.data);
	fclose(f);
	cr_assert_not_null(strstr(out, "no kernels cached"), "%s", out);
	free(out);
	char *c = kernels_cache_dir();
	char *want = xasprintf("%s/kernels", mod_tmp);
	cr_assert_str_eq(c, want);
	free(c);
	free(want);
}

/* ---- initramfs ---- */

static char *cpio_list(const char *archive)
{
	char *arg = xasprintf("--file=%s", archive);
	char *argv[] = {"cpio", "-t", "--quiet", arg, NULL};
	char *out = NULL;
	cr_assert_eq(run_capture(argv, &out, NULL), 0, "cpio -t %s failed", archive);
	free(arg);
	return out;
}

Test(initramfs, build_and_extract, .init = mod_setup, .fini = mod_teardown)
{
	char *dir = make_tree();
	struct buf err = {0};
	cr_assert_eq(modules_gen_dep(dir, &err), 0, "%s", err.data);
	const char *want[] = {"crc7", "virtio_pci"};
	struct modset s;
	cr_assert_eq(modset_resolve(dir, want, 2, &s, &err), 0, "%s", err.data);
	char *agent = xasprintf("%s/agent", mod_tmp), *wl = xasprintf("%s/wl", mod_tmp),
	     *extra = xasprintf("%s/extra", mod_tmp), *out = xasprintf("%s/out.cpio", mod_tmp);
	put_file(agent, "AGENT", 5);
	chmod(agent, 0700);
	put_file(wl, "WL", 2);
	put_file(extra, "EXTRA!", 6);
	const char conf[] = "sample_ms\t100\nmodule\t/lib/modules/crc7.ko\n";
	struct initramfs_file ex[] = {{"/usr/bin/stress-ng", extra, 0}};
	struct initramfs_spec spec = {agent, wl, &s, conf, sizeof conf - 1, ex, 1, NULL};
	cr_assert_eq(initramfs_build(out, &spec, &err), 0, "%s", err.data);
	char *list = cpio_list(out);
	cr_assert_str_eq(list, "dev\nproc\nsys\ntmp\nbin\nlib\nlib/modules\ndev/console\ninit\n"
			       "bin/oomlab-wl\nlib/modules/crc7.ko\ncell.conf\nusr\nusr/bin\n"
			       "usr/bin/stress-ng\n");
	free(list);

	char *x = xasprintf("%s/x", mod_tmp);
	cr_assert_eq(mkdir(x, 0755), 0);
	char *arg = xasprintf("--file=%s", out);
	char *argv[] = {"cpio", "-id", "--no-absolute-filenames", "--quiet", arg, NULL};
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	struct spawn_opts o = {x, SPAWN_DEVNULL, devnull, devnull};
	int st;
	cr_assert_eq(run_argv(argv, &o, 30000, &st), 0);
	close(devnull);
	char *p = xasprintf("%s/lib/modules/crc7.ko", x), *ko;
	size_t kl, rl;
	cr_assert_eq(read_file(p, &ko, &kl), 0);
	char *gx = golden("crc7.ko.xz");
	char *ref = xz_dc(gx, &rl);
	cr_assert_eq(kl, rl);
	cr_assert_eq(memcmp(ko, ref, kl), 0, "module in the initramfs is not the decompressed one");
	free(p);
	struct stat sb;
	p = xasprintf("%s/init", x);
	cr_assert_eq(stat(p, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0755);
	free(p);
	p = xasprintf("%s/usr/bin/stress-ng", x);
	cr_assert_eq(stat(p, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0644, "extra keeps the host file's mode");
	free(p);
	p = xasprintf("%s/tmp", x);
	cr_assert_eq(stat(p, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 01777);
	free(p);

	free(ko);
	free(ref);
	free(gx);
	free(arg);
	free(x);
	modset_free(&s);
	free(agent);
	free(wl);
	free(extra);
	free(out);
	free(dir);
	buf_free(&err);
}

Test(initramfs, errors_leave_no_file, .init = mod_setup, .fini = mod_teardown)
{
	char *out = xasprintf("%s/out.cpio", mod_tmp), *agent = xasprintf("%s/agent", mod_tmp);
	char *bad = xasprintf("%s/bad.ko.xz", mod_tmp);
	put_file(agent, "A", 1);
	put_file(bad, "\xfd" "7zXZ\0garbage", 12);
	struct buf err = {0};

	struct initramfs_spec spec = {.agent_path = "/nonexistent/agent"};
	cr_assert_eq(initramfs_build(out, &spec, &err), -1);
	cr_assert_not_null(strstr(err.data, "/nonexistent/agent"), "%s", err.data);
	buf_free(&err);

	struct modset_item it = {"bad", bad};
	struct modset s = {&it, 1, NULL};
	struct initramfs_spec spec2 = {.agent_path = agent, .modules = &s};
	cr_assert_eq(initramfs_build(out, &spec2, &err), -1);
	cr_assert_not_null(strstr(err.data, bad), "%s", err.data);
	buf_free(&err);

	struct initramfs_file ex[] = {{"/init", agent, 0}};
	struct initramfs_spec spec3 = {.agent_path = agent, .extra = ex, .nextra = 1};
	cr_assert_eq(initramfs_build(out, &spec3, &err), -1);
	cr_assert_not_null(strstr(err.data, "twice"), "%s", err.data);
	buf_free(&err);

	struct initramfs_file ex2[] = {{"relative/path", agent, 0}};
	struct initramfs_spec spec4 = {.agent_path = agent, .extra = ex2, .nextra = 1};
	cr_assert_eq(initramfs_build(out, &spec4, &err), -1);
	buf_free(&err);

	/* nothing left behind: neither the archive nor its temporary file */
	char *argv[] = {"ls", "-A", mod_tmp, NULL};
	char *ls = NULL;
	cr_assert_eq(run_capture(argv, &ls, NULL), 0);
	cr_assert_str_eq(ls, "agent\nbad.ko.xz\n");
	free(ls);
	free(out);
	free(agent);
	free(bad);
}
