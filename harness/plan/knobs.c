// SPDX-License-Identifier: GPL-2.0-or-later
#include "proto/cellconf.h"
#include "plan/knobs.h"
#include "plan/spec.h"
#include "lib/util.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char *const thp_choices[] = {"always", "madvise", "never", NULL};
/* Documentation/admin-guide/mm/transhuge.rst */
static const char *const thp_defrag_choices[] = {"always", "defer", "defer+madvise", "madvise",
						 "never", NULL};
/* the per-size (mTHP) switches of 6.8+: "inherit" follows transparent_hugepage */
static const char *const mthp_choices[] = {"always", "inherit", "madvise", "never", NULL};
/* the sizes x86-64 (4 KiB pages) offers: orders 2..9, up to the PMD size */
static const char *const mthp_sizes[] = {"16kB", "32kB", "64kB", "128kB", "256kB", "512kB",
					 "1024kB", "2048kB", NULL};
/* Documentation/admin-guide/mm/multigen_lru.rst: "y" turns on every
 * component the kernel has, "n" turns MGLRU off, a mask picks components:
 * 0x0001 the core, 0x0002 page-table walks, 0x0004 clearing the accessed
 * bit in non-leaf PMDs. It reads back as the mask in force ("0x0007"). */
static const char *const lru_gen_choices[] = {"n", "y", "0x0001", "0x0003", "0x0005", "0x0007",
					      NULL};
/* "n" reads back as 0x0000; "y" as the mask of every component this
 * kernel has (0x0007 on Debian's 6.1 and 6.12), not checked */
static const char *const lru_gen_reads_back[] = {"0x0000", NULL, "0x0001", "0x0003", "0x0005",
						 "0x0007", NULL};
/* swap_type lands its index in cell_spec.swap_zram: disk 0, zram 1 */
static const char *const swap_types[] = {"disk", "zram", NULL};
/* zswap's pools and compressors: the choices of its Kconfig
 * (mm/Kconfig, ZSWAP_ZPOOL_DEFAULT and ZSWAP_COMPRESSOR_DEFAULT), and
 * lzo-rle. A kernel built without one refuses it (the cell is BROK). */
static const char *const zswap_zpools[] = {"zbud", "z3fold", "zsmalloc", NULL};
static const char *const zswap_compressors[] = {"lzo",  "lzo-rle", "lz4", "lz4hc",
						 "zstd", "deflate", "842",  NULL};

#define MiB_MAX (1LL << 20) /* 1 TiB in MiB */
#define CELL(field) offsetof(struct cell_spec, field)
#define WL(field) offsetof(struct wl_spec, field)
#define SYSCTL(name) GUEST_SYSCTL_DIR "/vm/" name
#define THP(name) "/sys/kernel/mm/transparent_hugepage/" name
#define UINT_MAX_LL 4294967295LL
#define ZSWAP(name) "/sys/module/zswap/parameters/" name

const struct knob knob_table[] = {
	{.name = "ram_mb", .type = KNOB_INT, .scope = SCOPE_VM, .min = 64, .max = 65536,
	 .def = 256, .offset = CELL(ram_mb), .help = "guest RAM in MiB (qemu -m)"},
	{.name = "swap_mb", .type = KNOB_INT, .scope = SCOPE_VM, .min = 0, .max = 1 << 20,
	 .def = 0, .offset = CELL(swap_mb), .help = "swap in MiB (0 = no swap); where: swap_type"},
	{.name = "swap_type", .type = KNOB_ENUM, .scope = SCOPE_VM, .def = 0, .choices = swap_types,
	 .offset = CELL(swap_zram),
	 .help = "where swap lives: disk (virtio-blk, default) or zram (compressed RAM)"},
	{.name = "cpus", .type = KNOB_INT, .scope = SCOPE_VM, .min = 1, .max = 64, .def = 1,
	 .offset = CELL(cpus), .help = "guest CPUs (qemu -smp)"},
	{.name = "kernel", .type = KNOB_STRING, .scope = SCOPE_VM, .offset = CELL(kernel),
	 .help = "guest kernel: a linux-image-* package name or a bzImage path (default: the cached default)"},
	{.name = "modules", .type = KNOB_STRING, .scope = SCOPE_VM, .offset = CELL(modules),
	 .help = "modules dir (lib/modules/<release>) for a custom kernel"},
	{.name = "cmdline", .type = KNOB_STRING, .scope = SCOPE_VM, .offset = CELL(cmdline),
	 .help = "text appended to the guest kernel command line"},
	/* Guest knobs are written in this order, all before swapon. THP comes
	 * first: changing its mode recomputes min_free_kbytes
	 * (set_recommended_min_free_kbytes), which would undo a min_free_kbytes
	 * written before it; a per-size switch (mthp_enabled) starts or stops
	 * khugepaged, which does the same. zswap's pool (zpool, compressor)
	 * comes before its limits and enabled last: the first page it stores
	 * goes to the pool asked for. */
	{.name = "transparent_hugepage", .type = KNOB_ENUM, .scope = SCOPE_GUEST, .def = KNOB_UNSET,
	 .choices = thp_choices, .path = THP("enabled"),
	 .help = "THP mode: always, madvise or never"},
	/* THP's defrag policy, the per-size switches and khugepaged
	 * (Documentation/admin-guide/mm/transhuge.rst) */
	{.name = "thp_defrag", .type = KNOB_ENUM, .scope = SCOPE_GUEST, .def = KNOB_UNSET,
	 .choices = thp_defrag_choices, .path = THP("defrag"),
	 .help = "THP defrag: how hard a fault works for a huge page"},
	{.name = "mthp_enabled", .type = KNOB_MAP, .scope = SCOPE_GUEST, .choices = mthp_choices,
	 .keys = mthp_sizes, .path = THP("hugepages-*/enabled"),
	 .help = "per-size THP (6.8+): {\"64kB\": \"always\", ...}"},
	{.name = "khugepaged_defrag", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0, .max = 1,
	 .def = KNOB_UNSET, .path = THP("khugepaged/defrag"),
	 .help = "khugepaged may reclaim and compact to collapse"},
	{.name = "khugepaged_max_ptes_none", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = 511, .def = KNOB_UNSET, .path = THP("khugepaged/max_ptes_none"),
	 .help = "unmapped PTEs a collapse may fill"},
	{.name = "khugepaged_max_ptes_swap", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = 511, .def = KNOB_UNSET, .path = THP("khugepaged/max_ptes_swap"),
	 .help = "swapped-out PTEs a collapse may swap in"},
	{.name = "khugepaged_max_ptes_shared", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = 511, .def = KNOB_UNSET, .path = THP("khugepaged/max_ptes_shared"),
	 .help = "shared PTEs a collapse may take"},
	{.name = "khugepaged_pages_to_scan", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 1,
	 .max = UINT_MAX_LL, .def = KNOB_UNSET, .path = THP("khugepaged/pages_to_scan"),
	 .help = "pages khugepaged scans each pass"},
	{.name = "khugepaged_scan_sleep_millisecs", .type = KNOB_INT, .scope = SCOPE_GUEST,
	 .min = 0, .max = UINT_MAX_LL, .def = KNOB_UNSET, .path = THP("khugepaged/scan_sleep_millisecs"),
	 .help = "khugepaged's sleep between passes"},
	{.name = "khugepaged_alloc_sleep_millisecs", .type = KNOB_INT, .scope = SCOPE_GUEST,
	 .min = 0, .max = UINT_MAX_LL, .def = KNOB_UNSET,
	 .path = THP("khugepaged/alloc_sleep_millisecs"),
	 .help = "khugepaged's sleep after a failed huge page allocation"},
	{.name = "swappiness", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0, .max = 200,
	 .def = KNOB_UNSET, .path = SYSCTL("swappiness"), .help = "vm.swappiness"},
	/* reclaim policy: MGLRU (Documentation/admin-guide/mm/multigen_lru.rst)
	 * and swap readahead */
	{.name = "lru_gen", .type = KNOB_ENUM, .scope = SCOPE_GUEST, .def = KNOB_UNSET,
	 .choices = lru_gen_choices, .reads_back = lru_gen_reads_back,
	 .path = "/sys/kernel/mm/lru_gen/enabled",
	 .help = "MGLRU: y on, n off, or a mask of components (reads back as 0x0007 etc.)"},
	{.name = "lru_gen_min_ttl_ms", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = UINT_MAX_LL, .def = KNOB_UNSET, .path = "/sys/kernel/mm/lru_gen/min_ttl_ms",
	 .help = "MGLRU: keep the working set of the last N ms, OOM-kill rather than evict it"},
	{.name = "page-cluster", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0, .max = 31,
	 .def = KNOB_UNSET, .path = SYSCTL("page-cluster"),
	 .help = "vm.page-cluster: swap readahead of 2^N pages"},
	/* zswap (Documentation/admin-guide/mm/zswap.rst): its module
	 * parameters; a kernel without zswap has no /sys/module/zswap */
	{.name = "zswap_zpool", .type = KNOB_ENUM, .scope = SCOPE_GUEST, .def = KNOB_UNSET,
	 .choices = zswap_zpools, .path = ZSWAP("zpool"), .value_is_module = 1,
	 .help = "zswap's allocator of compressed pages"},
	{.name = "zswap_compressor", .type = KNOB_ENUM, .scope = SCOPE_GUEST, .def = KNOB_UNSET,
	 .choices = zswap_compressors, .path = ZSWAP("compressor"), .value_is_module = 1,
	 .help = "zswap's compression algorithm (one the kernel has as a module is loaded first)"},
	{.name = "zswap_max_pool_percent", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = 100, .def = KNOB_UNSET, .path = ZSWAP("max_pool_percent"),
	 .help = "zswap's pool limit, percent of RAM"},
	{.name = "zswap_accept_threshold_percent", .type = KNOB_INT, .scope = SCOPE_GUEST,
	 .min = 0, .max = 100, .def = KNOB_UNSET, .path = ZSWAP("accept_threshold_percent"),
	 .help = "zswap takes pages again once its full pool shrinks below this percent of the limit"},
	{.name = "zswap_shrinker_enabled", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = 1, .def = KNOB_UNSET, .path = ZSWAP("shrinker_enabled"),
	 .help = "zswap writes cold pages back to the swap device under pressure (6.8+)"},
	{.name = "zswap_enabled", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0, .max = 1,
	 .def = KNOB_UNSET, .path = ZSWAP("enabled"),
	 .help = "zswap: compress swapped-out pages in RAM in front of the swap device"},
	{.name = "overcommit_memory", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0, .max = 2,
	 .def = KNOB_UNSET, .path = SYSCTL("overcommit_memory"),
	 .help = "vm.overcommit_memory: 0 heuristic, 1 always, 2 never"},
	{.name = "overcommit_ratio", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0, .max = 100000,
	 .def = KNOB_UNSET, .path = SYSCTL("overcommit_ratio"),
	 .help = "vm.overcommit_ratio (percent of RAM in CommitLimit, mode 2)"},
	{.name = "overcommit_kbytes", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = 1LL << 40, .def = KNOB_UNSET, .path = SYSCTL("overcommit_kbytes"),
	 .help = "vm.overcommit_kbytes (replaces the ratio when non-zero)"},
	{.name = "panic_on_oom", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0, .max = 2,
	 .def = KNOB_UNSET, .path = SYSCTL("panic_on_oom"), .help = "vm.panic_on_oom"},
	{.name = "oom_kill_allocating_task", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = 1, .def = KNOB_UNSET, .path = SYSCTL("oom_kill_allocating_task"),
	 .help = "vm.oom_kill_allocating_task"},
	{.name = "min_free_kbytes", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = 1LL << 31, .def = KNOB_UNSET, .path = SYSCTL("min_free_kbytes"),
	 .help = "vm.min_free_kbytes"},
	/* watermarks and compaction (Documentation/admin-guide/sysctl/vm.rst) */
	{.name = "watermark_scale_factor", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 1,
	 .max = 3000, .def = KNOB_UNSET, .path = SYSCTL("watermark_scale_factor"),
	 .help = "vm.watermark_scale_factor (kswapd wakes earlier, in 1/10000 of RAM)"},
	{.name = "watermark_boost_factor", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = 2147483647, .def = KNOB_UNSET, .path = SYSCTL("watermark_boost_factor"),
	 .help = "vm.watermark_boost_factor (reclaim after fragmenting events)"},
	{.name = "compaction_proactiveness", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = 100, .def = KNOB_UNSET, .path = SYSCTL("compaction_proactiveness"),
	 .help = "vm.compaction_proactiveness (background compaction)"},
	{.name = "max_map_count", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0,
	 .max = 1LL << 31, .def = KNOB_UNSET, .path = SYSCTL("max_map_count"),
	 .help = "vm.max_map_count"},
	{.name = "sysctl", .type = KNOB_MAP, .scope = SCOPE_GUEST,
	 .help = "free-form sysctls: {\"vm.dirty_ratio\": 5, ...}"},
	{.name = "rlimit_as_mb", .type = KNOB_INT, .scope = SCOPE_WORKLOAD, .min = 1, .max = MiB_MAX,
	 .def = KNOB_UNSET, .offset = WL(rlimit_as_mb),
	 .help = "RLIMIT_AS of each workload in MiB (ulimit -v)"},
	{.name = "oom_score_adj", .type = KNOB_INT, .scope = SCOPE_WORKLOAD, .min = -1000,
	 .max = 1000, .def = KNOB_UNSET, .offset = WL(oom_score_adj),
	 .help = "oom_score_adj of each workload (-1000 = never OOM-killed)"},
};

const size_t knob_count = ARRAY_SIZE(knob_table);

const struct knob *knob_find(const char *name)
{
	for (size_t i = 0; i < knob_count; i++)
		if (!strcmp(knob_table[i].name, name))
			return &knob_table[i];
	return NULL;
}

char *sysctl_path(const char *name, const char **why)
{
	size_t n = strlen(name);
	if (n == 0 || n > 200) {
		*why = "must be 1..200 characters";
		return NULL;
	}
	if (name[0] == '.' || name[n - 1] == '.' || strstr(name, "..")) {
		*why = "must be dotted words like vm.swappiness";
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.')) {
			*why = "may contain only letters, digits, '_', '-' and '.'";
			return NULL;
		}
	}
	char *p = xasprintf(GUEST_SYSCTL_DIR "/%s", name);
	for (char *s = p + strlen(GUEST_SYSCTL_DIR "/"); *s; s++)
		if (*s == '.')
			*s = '/';
	return p;
}

char *knob_map_path(const struct knob *k, const char *key, const char **why)
{
	if (!k->keys)
		return sysctl_path(key, why);
	for (const char *const *kk = k->keys; *kk; kk++) {
		if (strcmp(*kk, key))
			continue;
		const char *star = strchr(k->path, '*');
		return xasprintf("%.*s%s%s", (int)(star - k->path), k->path, key, star + 1);
	}
	*why = "not one of the keys this knob takes";
	return NULL;
}

static const char *scope_name(enum knob_scope s)
{
	static const char *const names[] = {"vm", "guest", "workload"};
	return names[s];
}

/* The "allowed" column of a knob (caller frees). */
static char *allowed_text(const struct knob *k)
{
	switch (k->type) {
	case KNOB_INT:
		return xasprintf("%lld..%lld", k->min, k->max);
	case KNOB_ENUM: {
		struct buf b = {0};
		for (const char *const *c = k->choices; *c; c++)
			buf_printf(&b, "%s%s", c == k->choices ? "" : "|", *c);
		return b.data;
	}
	case KNOB_STRING:
		return xstrdup("string");
	case KNOB_MAP:
		return xstrdup("object");
	}
	return xstrdup("?");
}

/* The keys that name a file of a memory cgroup (plan/cgroup.c): a row of
 * the table, not a knob of its own. */
static const char *const cgroup_row[] = {"cgroup.<group>.<file>", "guest", "MiB|max, 0..1",
					 "a memory cgroup's file (memory.max, memory.high, ...; docs/matrix.md)"};

void knobs_print_help(void)
{
	int wn = (int)strlen("knob"), wa = (int)strlen("allowed");
	for (size_t i = 0; i < knob_count; i++) {
		char *a = allowed_text(&knob_table[i]);
		if ((int)strlen(knob_table[i].name) > wn)
			wn = (int)strlen(knob_table[i].name);
		if ((int)strlen(a) > wa)
			wa = (int)strlen(a);
		free(a);
	}
	printf("%-*s %-9s %-*s %s\n", wn, "knob", "scope", wa, "allowed", "meaning");
	for (size_t i = 0; i < knob_count; i++) {
		const struct knob *k = &knob_table[i];
		char *a = allowed_text(k);
		printf("%-*s %-9s %-*s %s\n", wn, k->name, scope_name(k->scope), wa, a, k->help);
		free(a);
	}
	/* the files of memory cgroups: plan/cgroup.c */
	printf("%-26s %-9s %-22s %s\n", cgroup_row[0], cgroup_row[1], cgroup_row[2], cgroup_row[3]);
}

static json_t *knob_row_json(const char *name, const char *scope, const char *allowed, const char *meaning)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "name", name, "scope", scope, "allowed", allowed, "meaning", meaning);
}

json_t *knobs_json(void)
{
	json_t *knobs = json_array();
	for (size_t i = 0; i < knob_count; i++) {
		const struct knob *k = &knob_table[i];
		char *a = allowed_text(k);
		json_t *row = knob_row_json(k->name, scope_name(k->scope), a, k->help);
		free(a);
		if (k->type == KNOB_ENUM) {
			json_t *c = json_array();
			for (const char *const *w = k->choices; *w; w++)
				json_array_append_new(c, json_string(*w));
			json_object_set_new(row, "choices", c);
		}
		json_array_append_new(knobs, row);
	}
	json_t *patterns = json_array();
	json_array_append_new(patterns, knob_row_json(cgroup_row[0], cgroup_row[1], cgroup_row[2], cgroup_row[3]));
	return json_pack("{s:o,s:o}", "knobs", knobs, "patterns", patterns);
}
