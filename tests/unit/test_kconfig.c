// SPDX-License-Identifier: GPL-2.0-or-later
/* The memory-management options of the real build configurations of
 * Debian's 6.1.0-57 and 6.12.117 packages (tests/golden/kconfig/, the
 * packages' boot/config-* as shipped, xz-compressed), and what a report
 * records of them. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden.h"
#include "judge/kernelconf.h"
#include "lib/sha256.h"
#include "lib/util.h"
#include "parse/kconfig.h"

#define K61 "kconfig/config-6.1.0-57-amd64.xz"
#define K612 "kconfig/config-6.12.117+deb12-amd64.xz"

static const char *value(const struct kconfig *k, const char *name)
{
	for (size_t i = 0; i < k->n; i++)
		if (!strcmp(k->v[i].name, name))
			return k->v[i].value;
	return NULL;
}

static void parse_golden(const char *rel, struct kconfig *k)
{
	size_t len;
	char *gp = golden_path(rel);
	char *text = read_xz(gp, &len);
	free(gp);
	char *exact = dup_exact(text, len);
	memset(k, 0, sizeof *k);
	kconfig_parse_mm(exact, len, k);
	free(exact);
	free(text);
}

Test(kconfig, debian_61_and_612_mm_options)
{
	static const struct {
		const char *name, *v61, *v612; /* NULL: not in that config */
	} want[] = {
		{"CONFIG_LRU_GEN", "y", "y"},
		{"CONFIG_LRU_GEN_ENABLED", "n", "y"},
		{"CONFIG_LRU_GEN_STATS", "n", "n"},
		{"CONFIG_LRU_GEN_WALKS_MMU", NULL, "y"},
		{"CONFIG_SWAP", "y", "y"},
		{"CONFIG_ZSWAP", "y", "y"},
		{"CONFIG_ZSWAP_DEFAULT_ON", "n", "n"},
		{"CONFIG_ZSWAP_COMPRESSOR_DEFAULT", "lzo", "lzo"},
		{"CONFIG_ZSWAP_ZPOOL_DEFAULT", "zbud", "zsmalloc"},
		{"CONFIG_ZRAM_DEF_COMP", "lzo-rle", "lz4"},
		{"CONFIG_ZSMALLOC", "m", "y"},
		{"CONFIG_ZSMALLOC_CHAIN_SIZE", NULL, "8"},
		{"CONFIG_MEMCG", "y", "y"},
		{"CONFIG_MEMCG_KMEM", "y", NULL},
		{"CONFIG_MEMCG_V1", NULL, "n"},
		{"CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS", "y", "y"},
		{"CONFIG_TRANSPARENT_HUGEPAGE_MADVISE", "n", "n"},
		{"CONFIG_PSI", "y", "y"},
		{"CONFIG_PSI_DEFAULT_DISABLED", "n", "n"},
		{"CONFIG_Z3FOLD", "m", NULL},
		/* not a row, nor a prefix row's option */
		{"CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE", NULL, NULL},
		{"CONFIG_SWAPFILE", NULL, NULL},
		{"CONFIG_ZPOOL_X", NULL, NULL},
		{"CONFIG_DAMON", NULL, NULL},
	};
	struct kconfig a, b;
	parse_golden(K61, &a);
	parse_golden(K612, &b);
	cr_expect_eq(a.n, 47);
	cr_expect_eq(b.n, 57);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *va = value(&a, want[i].name), *vb = value(&b, want[i].name);
		if (want[i].v61)
			cr_expect(va && !strcmp(va, want[i].v61), "6.1 %s: %s", want[i].name, va ? va : "(none)");
		else
			cr_expect_null(va, "6.1 %s: %s", want[i].name, va);
		if (want[i].v612)
			cr_expect(vb && !strcmp(vb, want[i].v612), "6.12 %s: %s", want[i].name,
				  vb ? vb : "(none)");
		else
			cr_expect_null(vb, "6.12 %s: %s", want[i].name, vb);
	}
	/* in file order */
	cr_expect_str_eq(a.v[0].name, "CONFIG_PSI");
	cr_expect_str_eq(a.v[a.n - 1].name, "CONFIG_HUGETLBFS");
	kconfig_free(&a);
	kconfig_free(&b);
}

/* Every row of the table takes an option of one of the two configs: a
 * misspelt row would take nothing. */
Test(kconfig, every_row_takes_a_real_option)
{
	struct kconfig a, b;
	parse_golden(K61, &a);
	parse_golden(K612, &b);
	for (size_t r = 0; r < kconfig_mm_count; r++) {
		char *exact = xasprintf("CONFIG_%s", kconfig_mm_table[r].name);
		int seen = value(&a, exact) || value(&b, exact);
		cr_expect(seen, "row %s takes no option", kconfig_mm_table[r].name);
		free(exact);
	}
	kconfig_free(&a);
	kconfig_free(&b);
}

Test(kconfig, lines_and_names)
{
	static const char text[] = "CONFIG_PSI=y\r\n"
				   "#CONFIG_KSM is not set\n"
				   "# CONFIG_KSM is not set\n"
				   "CONFIG_PSIX=y\n"
				   "CONFIG_SWAP_\n"
				   "CONFIG_NUMA=\n"
				   "CONFIG_ZSWAP_COMPRESSOR_DEFAULT=\"\"\n"
				   "  CONFIG_MEMCG=y\n"
				   "CONFIG_MEMCG_V1=n"; /* no newline at the end */
	char *buf = dup_exact(text, sizeof text - 1);
	struct kconfig k = {0};
	cr_assert_eq(kconfig_parse_mm(buf, sizeof text - 1, &k), 5);
	cr_expect_str_eq(k.v[0].name, "CONFIG_PSI");
	cr_expect_str_eq(k.v[0].value, "y");
	cr_expect_str_eq(k.v[1].name, "CONFIG_KSM");
	cr_expect_str_eq(k.v[1].value, "n");
	cr_expect_str_eq(k.v[2].name, "CONFIG_NUMA");
	cr_expect_str_eq(k.v[2].value, "");
	cr_expect_str_eq(k.v[3].name, "CONFIG_ZSWAP_COMPRESSOR_DEFAULT");
	cr_expect_str_eq(k.v[3].value, "");
	cr_expect_str_eq(k.v[4].name, "CONFIG_MEMCG_V1");
	cr_expect_str_eq(k.v[4].value, "n");
	kconfig_free(&k);
	free(buf);
	cr_expect(kconfig_is_mm("CONFIG_LRU_GEN", 14));
	cr_expect(!kconfig_is_mm("CONFIG_LRU_GENX", 15));
	cr_expect(!kconfig_is_mm("CONFIG_SWAP_X", 13));
	cr_expect(!kconfig_is_mm("LRU_GEN", 7));
}

/* What the reports record: the file, its digest, its options; null for
 * no file, and for one that cannot be read. */
Test(kconfig, report_records_file_digest_and_options)
{
	size_t len;
	char *gp = golden_path(K612);
	char *text = read_xz(gp, &len);
	free(gp);
	char path[] = "/tmp/oomlab-kconfig-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	json_t *j = kernelconf_json(path);
	cr_expect_str_eq(json_string_value(json_object_get(j, "file")), path);
	cr_expect_str_eq(json_string_value(json_object_get(j, "sha256")),
			 "60e404cf09a736beae8adb998f4b950089b087f23aafe998dfc2997b1c44cd95");
	json_t *mm = json_object_get(j, "mm");
	cr_expect_eq(json_object_size(mm), 57);
	cr_expect_str_eq(json_string_value(json_object_get(mm, "CONFIG_LRU_GEN_ENABLED")), "y");
	cr_expect_str_eq(json_string_value(json_object_get(mm, "CONFIG_ZSWAP_ZPOOL_DEFAULT")), "zsmalloc");
	json_decref(j);
	unlink(path);
	free(text);
	cr_expect(json_is_null(kernelconf_json(NULL)));
	cr_expect(json_is_null(kernelconf_json(path))); /* gone */
}
