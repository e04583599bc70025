// SPDX-License-Identifier: GPL-2.0-or-later
/* A kernel build configuration's memory-management options (kconfig.h). */
#include "parse/kconfig.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

/* What a report records of the configuration: the options that decide
 * reclaim, swap and its compression, memory cgroups, THP, pressure
 * accounting and compaction. */
const struct kconfig_row kconfig_mm_table[] = {
	{"LRU_GEN", 1},              /* MGLRU, and whether it is on at boot */
	{"SWAP", 0},
	{"ZSWAP", 1},                /* compressed swap cache, its defaults */
	{"ZRAM", 1},
	{"ZSMALLOC", 1},
	{"ZPOOL", 0},
	{"ZBUD", 1},
	{"Z3FOLD", 1},
	{"MEMCG", 1},                /* memory cgroups (MEMCG_V1 on 6.12) */
	{"TRANSPARENT_HUGEPAGE", 1}, /* THP and its boot-time mode */
	{"THP_SWAP", 0},
	{"READ_ONLY_THP_FOR_FS", 0},
	{"PSI", 1},                  /* pressure stall information, on at boot or not */
	{"COMPACTION", 0},
	{"COMPACT_UNEVICTABLE_DEFAULT", 0},
	{"MIGRATION", 0},
	{"KSM", 0},
	{"NUMA", 0},
	{"HUGETLBFS", 0},
};

const size_t kconfig_mm_count = ARRAY_SIZE(kconfig_mm_table);

#define PFX "CONFIG_"
#define PFX_LEN (sizeof PFX - 1)

static int name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

int kconfig_is_mm(const char *name, size_t len)
{
	if (len <= PFX_LEN || memcmp(name, PFX, PFX_LEN))
		return 0;
	name += PFX_LEN;
	len -= PFX_LEN;
	for (size_t i = 0; i < kconfig_mm_count; i++) {
		size_t n = strlen(kconfig_mm_table[i].name);
		if (len < n || memcmp(name, kconfig_mm_table[i].name, n))
			continue;
		if (len == n || (kconfig_mm_table[i].prefix && name[n] == '_'))
			return 1;
	}
	return 0;
}

static void add(struct kconfig *out, const char *name, size_t nlen, const char *val, size_t vlen)
{
	if (nlen >= KCONFIG_NAME_MAX || !kconfig_is_mm(name, nlen))
		return;
	if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
		val++;
		vlen -= 2;
	}
	if (vlen >= KCONFIG_VALUE_MAX)
		vlen = KCONFIG_VALUE_MAX - 1;
	if (out->n == out->cap) {
		out->cap = out->cap ? 2 * out->cap : 64;
		out->v = xrealloc(out->v, out->cap * sizeof *out->v);
	}
	struct kconfig_opt *o = &out->v[out->n++];
	memcpy(o->name, name, nlen);
	o->name[nlen] = 0;
	memcpy(o->value, val, vlen);
	o->value[vlen] = 0;
}

/* One line, without its newline. */
static void line(struct kconfig *out, const char *p, const char *end)
{
	static const char unset_head[] = "# ", unset_tail[] = " is not set";
	size_t hl = sizeof unset_head - 1, tl = sizeof unset_tail - 1;
	if ((size_t)(end - p) > hl + tl && !memcmp(p, unset_head, hl) &&
	    !memcmp(end - tl, unset_tail, tl)) {
		const char *n = p + hl, *ne = end - tl;
		for (const char *q = n; q < ne; q++)
			if (!name_char(*q))
				return;
		add(out, n, (size_t)(ne - n), "n", 1);
		return;
	}
	const char *q = p;
	while (q < end && name_char(*q))
		q++;
	if (q == p || q >= end || *q != '=')
		return;
	add(out, p, (size_t)(q - p), q + 1, (size_t)(end - q - 1));
}

size_t kconfig_parse_mm(const char *buf, size_t len, struct kconfig *out)
{
	size_t before = out->n;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *te = le;
		if (te > p && te[-1] == '\r')
			te--;
		line(out, p, te);
		p = nl ? nl + 1 : end;
	}
	return out->n - before;
}

void kconfig_free(struct kconfig *k)
{
	free(k->v);
	memset(k, 0, sizeof *k);
}
