/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The memory-management options of a kernel build configuration (the
 * .config of a kernel tree, a Debian package's boot/config-<release>):
 *
 *   CONFIG_LRU_GEN=y
 *   CONFIG_ZSWAP_COMPRESSOR_DEFAULT="lzo"
 *   # CONFIG_LRU_GEN_ENABLED is not set
 *
 * An option is kept when its name (after CONFIG_) is a row of
 * kconfig_mm_table: equal to it, or for a prefix row starting with it
 * (LRU_GEN takes LRU_GEN, LRU_GEN_ENABLED, LRU_GEN_STATS). "is not set"
 * is the value "n"; a string loses its quotes. Other lines, and lines that
 * are neither form, are skipped. Pure: (buf, len), no NUL needed. */
#ifndef OOMLAB_KCONFIG_H
#define OOMLAB_KCONFIG_H

#include <stddef.h>

struct kconfig_row {
	const char *name; /* without CONFIG_ */
	int prefix;       /* 1: every option whose name starts with it */
};

extern const struct kconfig_row kconfig_mm_table[];
extern const size_t kconfig_mm_count;

#define KCONFIG_NAME_MAX 64  /* CONFIG_ and the name, and the NUL */
#define KCONFIG_VALUE_MAX 64 /* longer values are cut here */

struct kconfig_opt {
	char name[KCONFIG_NAME_MAX];   /* with CONFIG_ */
	char value[KCONFIG_VALUE_MAX]; /* y, m, n, a number, a string without quotes */
};

struct kconfig {
	struct kconfig_opt *v;
	size_t n, cap;
};

/* Is the option name (with CONFIG_) one the table keeps? */
int kconfig_is_mm(const char *name, size_t len);
/* Appends the options of the table, in file order; returns how many. */
size_t kconfig_parse_mm(const char *buf, size_t len, struct kconfig *out);
void kconfig_free(struct kconfig *k);

#endif
