// SPDX-License-Identifier: GPL-2.0-or-later
#include "proto/cellconf.h"
#include "proto/crc32.h"
#include "plan/knobs.h"
#include "plan/cgroup.h"
#include "workloads/wl.h"
#include "plan/matrix.h"
#include "boot/modules.h"
#include "lib/fastpath.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* vmstat keys the agent keeps in each sample (prefix match). */
static const char *const vmstat_prefixes[] = {
	"nr_free_pages", "nr_anon_pages", "nr_file_pages", "nr_shmem", "pgfault", "pgmajfault",
	"pswpin", "pswpout", "pgsteal_", "pgscan_", "oom_kill", "allocstall_", "compact_",
	"thp_fault", "workingset_refault", "pgpgin", "pgpgout", "nr_dirty", "nr_writeback",
	"nr_active_", "nr_inactive_", "nr_mlock", "nr_unevictable", "pgmigrate_", "zswp",
};

/* memory.stat keys the agent keeps in each group's samples (exact keys):
 * the interface of issue 14 ("the main memory.stat entries"), and the
 * kernel memory charged to the group (kmem accounting: "kernel", its
 * "slab", "sock", "kernel_stack" and "pagetables"; a key the kernel does
 * not print is left out of the sample). */
static const char *const cgroup_stat_keys[] = {
	"anon", "file", "shmem", "pgscan", "pgsteal", "workingset_refault_anon",
	"workingset_refault_file", "kernel", "slab", "sock", "kernel_stack", "pagetables",
};

size_t cell_data_disks(const struct cell_spec *cs, struct data_disk *out)
{
	size_t n = 0;
	/* virtio-blk disks are named in the order qemu's -drive options add
	 * them: the swap disk first */
	int letter = cs->swap_mb > 0 && !cs->swap_zram ? 1 : 0;
	for (size_t i = 0; i < cs->n_wl && n < CELL_DATA_DISKS_MAX; i++) {
		const struct workload *reg = cs->wl[i].reg;
		if (!reg->disk_size_opt || !reg->disk_dev_opt)
			continue;
		long long mb = wl_option_value(reg, cs->wl[i].options, reg->disk_size_opt);
		if (mb <= 0)
			continue;
		out[n].wl = i;
		out[n].mb = mb;
		snprintf(out[n].dev, sizeof out[n].dev, "/dev/vd%c", 'a' + letter++);
		n++;
	}
	return n;
}

static int agent_deadline_s(int timeout_s)
{
	/* Leave the agent time to kill the workloads and say bye before the
	 * host's wall-clock limit (boot takes ~5 s under TCG). */
	int d = timeout_s - 15;
	if (d < timeout_s * 2 / 3)
		d = timeout_s * 2 / 3;
	return d < 1 ? 1 : d;
}

/* A "get" line for the file of name, unless the cell sets it. */
static void get_unless_set(struct buf *b, const struct cell_spec *cs, const char *name,
			   const char *path)
{
	for (size_t j = 0; j < cs->n_sets; j++)
		if (!strcmp(cs->sets[j].name, name))
			return;
	buf_printf(b, "get\t%s\t%s\n", name, path);
}

char *cellconf_build(const struct cell_spec *cs, const struct modset *mods)
{
	struct buf b = {0};
	buf_printf(&b, "# oomlab cell %s\n", cs->id);
	buf_printf(&b, "sample_ms\t%d\n", cs->sample_ms);
	buf_printf(&b, "deadline_s\t%d\n", agent_deadline_s(cs->timeout_s));
	if (cs->stall.seconds > 0)
		buf_printf(&b, "stall\t%lld\t%lld\n", cs->stall.seconds * 1000,
			   (long long)(cs->stall.psi_full * 100 + 0.5));
	buf_printf(&b, "vmstat");
	for (size_t i = 0; i < ARRAY_SIZE(vmstat_prefixes); i++)
		buf_printf(&b, "\t%s", vmstat_prefixes[i]);
	buf_printf(&b, "\n");
	/* the end-of-cell handshake: no linger; the host stops the VM at the bye */
	if (fastpath_on(FAST_END))
		buf_printf(&b, "linger_ms\t0\n");
	for (size_t i = 0; mods && i < mods->n; i++)
		buf_printf(&b, "module\t%s/%s.ko\n", GUEST_MODULE_DIR, mods->items[i].name);
	for (size_t i = 0; i < cs->n_sets; i++)
		buf_printf(&b, "set\t%s\t%s\t%s\n", cs->sets[i].name, cs->sets[i].path,
			   cs->sets[i].value);
	/* every other guest knob of the table is read back as the kernel's
	 * default, so reports (and the oracle) see the values in force */
	for (size_t i = 0; i < knob_count; i++) {
		const struct knob *k = &knob_table[i];
		if (k->scope != SCOPE_GUEST || !k->path)
			continue;
		if (k->type != KNOB_MAP) {
			get_unless_set(&b, cs, k->name, k->path);
			continue;
		}
		for (const char *const *key = k->keys; *key; key++) {
			const char *why;
			char *label = xasprintf("%s:%s", k->name, *key);
			char *path = knob_map_path(k, *key, &why);
			get_unless_set(&b, cs, label, path);
			free(path);
			free(label);
		}
	}
	/* memory cgroups: each group, then every file of the table, set or
	 * read back (a parent comes before its children: plan/cgroup.c) */
	if (cs->n_cg) {
		buf_printf(&b, "cgroup_stat");
		for (size_t i = 0; i < ARRAY_SIZE(cgroup_stat_keys); i++)
			buf_printf(&b, "\t%s", cgroup_stat_keys[i]);
		buf_printf(&b, "\n");
	}
	for (size_t i = 0; i < cs->n_cg; i++) {
		const struct cg_spec *g = &cs->cg[i];
		buf_printf(&b, "cgroup\t%s\n", g->path);
		for (size_t f = 0; f < cg_file_count; f++) {
			const struct cg_file *cf = &cg_file_table[f];
			const struct cg_set *set = cg_find_set(g, cf->name);
			char *name = cg_knob_name(g->path, cf->name);
			if (set)
				buf_printf(&b, "set\t%s\t" GUEST_CGROUP_DIR "/%s/%s\t%s\n", name, g->path,
					   cf->name, set->value);
			else
				buf_printf(&b, "get\t%s\t" GUEST_CGROUP_DIR "/%s/%s\n", name, g->path,
					   cf->name);
			free(name);
		}
	}
	if (cs->swap_mb > 0 && cs->swap_zram) {
		/* the zram module makes zram0; its size is set like a knob */
		buf_printf(&b, "set\tzram_disksize\t/sys/block/zram0/disksize\t%lldM\n", cs->swap_mb);
		buf_printf(&b, "swap\t/dev/zram0\n");
	} else if (cs->swap_mb > 0) {
		buf_printf(&b, "swap\t/dev/vda\n");
	}
	struct data_disk disks[CELL_DATA_DISKS_MAX];
	size_t n_disks = cell_data_disks(cs, disks);
	for (size_t i = 0; i < cs->n_psi; i++) {
		buf_printf(&b, "psi\t%s\t%lld\t%lld", psi_trigger_kind(&cs->psi[i]),
			   cs->psi[i].stall_ms * 1000, cs->psi[i].window_ms * 1000);
		if (cs->psi[i].cgroup) /* a group of the cell: its line came earlier */
			buf_printf(&b, "\t%s", cs->psi[i].cgroup);
		buf_printf(&b, "\n");
	}
	buf_printf(&b, "mode\t%s\n", cs->sequence ? "sequence" : "together");
	for (size_t i = 0; i < cs->n_wl; i++) {
		const struct wl_spec *w = &cs->wl[i];
		buf_printf(&b, "workload\t%zu\t%s\t", i, w->name);
		if (w->rlimit_as_mb == KNOB_UNSET)
			buf_printf(&b, "-\t");
		else
			buf_printf(&b, "%lld\t", w->rlimit_as_mb * 1024 * 1024);
		if (w->oom_score_adj == KNOB_UNSET)
			buf_printf(&b, "-\t");
		else
			buf_printf(&b, "%lld\t", w->oom_score_adj);
		const struct workload *reg = w->reg;
		buf_printf(&b, "%s\t%s", reg->bits32 ? GUEST_WL32_PATH : GUEST_WL_PATH, w->name);
		for (size_t a = 0; a < w->n_args; a++)
			buf_printf(&b, "\t%s", w->args[a]);
		for (size_t d = 0; d < n_disks; d++)
			if (disks[d].wl == i)
				buf_printf(&b, "\t--%s\t%s", reg->disk_dev_opt, disks[d].dev);
		buf_printf(&b, "\n");
		if (w->start_delay_ms > 0)
			buf_printf(&b, "delay\t%zu\t%lld\n", i, w->start_delay_ms);
		if (w->cgroup)
			buf_printf(&b, "wl_cgroup\t%zu\t%s\n", i, w->cgroup);
		if (reg->watcher && !cs->sequence)
			buf_printf(&b, "watch\t%zu\n", i);
	}
	return b.data;
}

char *cellconf_build_warm(const struct modset *mods)
{
	struct buf b = {0};
	buf_printf(&b, "# oomlab warm boot: modules loaded before the snapshot\n");
	for (size_t i = 0; mods && i < mods->n; i++)
		buf_printf(&b, "module\t%s/%s.ko\n", GUEST_MODULE_DIR, mods->items[i].name);
	return b.data;
}

char *cellconf_frame(const char *conf, size_t *len)
{
	size_t n = strlen(conf);
	struct buf b = {0};
	buf_printf(&b, CTL_MAGIC " %zu %08x\n", n, crc32_ieee(conf, n));
	buf_append(&b, conf, n);
	*len = b.len;
	return b.data;
}
