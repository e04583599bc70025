// SPDX-License-Identifier: GPL-2.0-or-later
#include "proto/cellconf.h"
#include "plan/knobs.h"
#include "lib/util.h"

#include <stdio.h>
#include <string.h>

static const char *const thp_choices[] = {"always", "madvise", "never", NULL};
static const char *const swap_types[] = {"disk", "zram", NULL};

#define MiB_MAX (1LL << 20) /* 1 TiB in MiB */

const struct knob knob_table[] = {
	{"ram_mb", KNOB_INT, SCOPE_VM, 64, 65536, 256, NULL, NULL,
	 "guest RAM in MiB (qemu -m)"},
	{"swap_mb", KNOB_INT, SCOPE_VM, 0, 1 << 20, 0, NULL, NULL,
	 "swap in MiB (0 = no swap); where: swap_type"},
	{"swap_type", KNOB_ENUM, SCOPE_VM, 0, 0, 0, swap_types, NULL,
	 "where swap lives: disk (virtio-blk, default) or zram (compressed RAM)"},
	{"cpus", KNOB_INT, SCOPE_VM, 1, 64, 1, NULL, NULL, "guest CPUs (qemu -smp)"},
	{"kernel", KNOB_STRING, SCOPE_VM, 0, 0, 0, NULL, NULL,
	 "guest kernel: a linux-image-* package name or a bzImage path (default: the cached default)"},
	{"modules", KNOB_STRING, SCOPE_VM, 0, 0, 0, NULL, NULL,
	 "modules dir (lib/modules/<release>) for a custom kernel"},
	{"cmdline", KNOB_STRING, SCOPE_VM, 0, 0, 0, NULL, NULL,
	 "text appended to the guest kernel command line"},
	/* Guest knobs are written in this order. THP comes first: changing its
	 * mode recomputes min_free_kbytes (set_recommended_min_free_kbytes), which
	 * would undo a min_free_kbytes written before it. */
	{"transparent_hugepage", KNOB_ENUM, SCOPE_GUEST, 0, 0, KNOB_UNSET, thp_choices,
	 "/sys/kernel/mm/transparent_hugepage/enabled", "THP mode: always, madvise or never"},
	{"swappiness", KNOB_INT, SCOPE_GUEST, 0, 200, KNOB_UNSET, NULL, GUEST_SYSCTL_DIR "/vm/swappiness",
	 "vm.swappiness"},
	{"overcommit_memory", KNOB_INT, SCOPE_GUEST, 0, 2, KNOB_UNSET, NULL,
	 GUEST_SYSCTL_DIR "/vm/overcommit_memory", "vm.overcommit_memory: 0 heuristic, 1 always, 2 never"},
	{"overcommit_ratio", KNOB_INT, SCOPE_GUEST, 0, 100000, KNOB_UNSET, NULL,
	 GUEST_SYSCTL_DIR "/vm/overcommit_ratio", "vm.overcommit_ratio (percent of RAM in CommitLimit, mode 2)"},
	{"overcommit_kbytes", KNOB_INT, SCOPE_GUEST, 0, 1LL << 40, KNOB_UNSET, NULL,
	 GUEST_SYSCTL_DIR "/vm/overcommit_kbytes", "vm.overcommit_kbytes (replaces the ratio when non-zero)"},
	{"panic_on_oom", KNOB_INT, SCOPE_GUEST, 0, 2, KNOB_UNSET, NULL, GUEST_SYSCTL_DIR "/vm/panic_on_oom",
	 "vm.panic_on_oom"},
	{"oom_kill_allocating_task", KNOB_INT, SCOPE_GUEST, 0, 1, KNOB_UNSET, NULL,
	 GUEST_SYSCTL_DIR "/vm/oom_kill_allocating_task", "vm.oom_kill_allocating_task"},
	{"min_free_kbytes", KNOB_INT, SCOPE_GUEST, 0, 1LL << 31, KNOB_UNSET, NULL,
	 GUEST_SYSCTL_DIR "/vm/min_free_kbytes", "vm.min_free_kbytes"},
	{"max_map_count", KNOB_INT, SCOPE_GUEST, 0, 1LL << 31, KNOB_UNSET, NULL,
	 GUEST_SYSCTL_DIR "/vm/max_map_count", "vm.max_map_count"},
	{"sysctl", KNOB_MAP, SCOPE_GUEST, 0, 0, 0, NULL, NULL,
	 "free-form sysctls: {\"vm.dirty_ratio\": 5, ...}"},
	{"rlimit_as_mb", KNOB_INT, SCOPE_WORKLOAD, 1, MiB_MAX, KNOB_UNSET, NULL, NULL,
	 "RLIMIT_AS of each workload in MiB (ulimit -v)"},
	{"oom_score_adj", KNOB_INT, SCOPE_WORKLOAD, -1000, 1000, KNOB_UNSET, NULL, NULL,
	 "oom_score_adj of each workload (-1000 = never OOM-killed)"},
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
}
