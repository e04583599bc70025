// SPDX-License-Identifier: GPL-2.0-or-later
#include "proto/cellconf.h"
#include "plan/knobs.h"
#include "plan/spec.h"
#include "lib/util.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char *const thp_choices[] = {"always", "madvise", "never", NULL};
/* swap_type lands its index in cell_spec.swap_zram: disk 0, zram 1 */
static const char *const swap_types[] = {"disk", "zram", NULL};

#define MiB_MAX (1LL << 20) /* 1 TiB in MiB */
#define CELL(field) offsetof(struct cell_spec, field)
#define WL(field) offsetof(struct wl_spec, field)
#define SYSCTL(name) GUEST_SYSCTL_DIR "/vm/" name

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
	/* Guest knobs are written in this order. THP comes first: changing its
	 * mode recomputes min_free_kbytes (set_recommended_min_free_kbytes), which
	 * would undo a min_free_kbytes written before it. */
	{.name = "transparent_hugepage", .type = KNOB_ENUM, .scope = SCOPE_GUEST, .def = KNOB_UNSET,
	 .choices = thp_choices, .path = "/sys/kernel/mm/transparent_hugepage/enabled",
	 .help = "THP mode: always, madvise or never"},
	{.name = "swappiness", .type = KNOB_INT, .scope = SCOPE_GUEST, .min = 0, .max = 200,
	 .def = KNOB_UNSET, .path = SYSCTL("swappiness"), .help = "vm.swappiness"},
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

static const char *scope_name(enum knob_scope s)
{
	static const char *const names[] = {"vm", "guest", "workload"};
	return names[s];
}

void knobs_print_help(void)
{
	printf("%-26s %-9s %-22s %s\n", "knob", "scope", "allowed", "meaning");
	for (size_t i = 0; i < knob_count; i++) {
		const struct knob *k = &knob_table[i];
		char allowed[64];
		switch (k->type) {
		case KNOB_INT:
			snprintf(allowed, sizeof allowed, "%lld..%lld", k->min, k->max);
			break;
		case KNOB_ENUM: {
			struct buf b = {0};
			for (const char *const *c = k->choices; *c; c++)
				buf_printf(&b, "%s%s", c == k->choices ? "" : "|", *c);
			snprintf(allowed, sizeof allowed, "%s", b.data);
			buf_free(&b);
			break;
		}
		case KNOB_STRING:
			snprintf(allowed, sizeof allowed, "string");
			break;
		case KNOB_MAP:
			snprintf(allowed, sizeof allowed, "object");
			break;
		}
		printf("%-26s %-9s %-22s %s\n", k->name, scope_name(k->scope), allowed, k->help);
	}
	/* the files of memory cgroups: plan/cgroup.c */
	printf("%-26s %-9s %-22s %s\n", "cgroup.<group>.<file>", "guest", "MiB|max, 0..1",
	       "a memory cgroup's file (memory.max, memory.high, ...; docs/matrix.md)");
}
