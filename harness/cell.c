#include "cell.h"
#include "cellconf.h"
#include "../workloads/wl.h"
#include "collect.h"
#include "initramfs.h"
#include "jsonx.h"
#include "ldlist.h"
#include "modules.h"
#include "outcome.h"
#include "report.h"
#include "vm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Modules the guest needs (when the kernel does not have them built in)
 * for its swap: virtio_pci and virtio_blk for a swap disk, zram for swap
 * in compressed RAM. A cell without swap loads none. */
static const char *const disk_modules[] = {"virtio_pci", "virtio_blk"};
static const char *const zram_modules[] = {"zram"};

static char *console_tail(const char *text, size_t len, int lines)
{
	size_t i = len;
	int n = 0;
	while (i > 0) {
		if (text[i - 1] == '\n' && ++n > lines)
			break;
		i--;
	}
	return xstrndup(text + i, len - i);
}

static int make_swap_disk(const char *path, long long mb, struct buf *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)mb * 1024 * 1024) < 0) {
		buf_printf(err, "cannot create the disk image %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static char *kernel_append(const struct cell_spec *cs)
{
	struct buf b = {0};
	buf_printf(&b, "console=ttyS0 panic=-1 printk.time=1 rdinit=/init psi=1 oomlab.cell=%s", cs->id);
	if (cs->cmdline)
		buf_printf(&b, " %s", cs->cmdline);
	return b.data;
}

/* Host-side preparation; fills tmp paths. Returns 0 or -1 with err. */
static int prepare(const struct run_env *env, const struct cell_spec *cs,
		   const struct kernel_info *ki, const char *tmp, char **initrd, char **swap,
		   struct buf *err)
{
	struct modset mods = {0};
	/* zram for zram swap; virtio for a swap disk or a workload's data disk */
	struct data_disk disks[CELL_DATA_DISKS_MAX];
	int need_disk = (cs->swap_mb > 0 && !cs->swap_zram) || cell_data_disks(cs, disks) > 0;
	const char *want[ARRAY_SIZE(zram_modules) + ARRAY_SIZE(disk_modules)];
	size_t n_want = 0;
	for (size_t i = 0; cs->swap_mb > 0 && cs->swap_zram && i < ARRAY_SIZE(zram_modules); i++)
		want[n_want++] = zram_modules[i];
	for (size_t i = 0; need_disk && i < ARRAY_SIZE(disk_modules); i++)
		want[n_want++] = disk_modules[i];
	if (ki->modules_dir && n_want > 0 &&
	    modset_resolve(ki->modules_dir, want, n_want, &mods, err) < 0)
		return -1;
	/* host programs the workloads exec (stress-ng), with the shared
	 * libraries and the loader they need, at the same paths in the guest */
	struct ldlist progs = {0};
	for (size_t i = 0; i < cs->n_wl; i++) {
		const struct workload *reg = wl_find(cs->wl[i].name);
		if (reg && reg->guest_exec && ldlist_resolve(reg->guest_exec, &progs, err) < 0) {
			ldlist_free(&progs);
			modset_free(&mods);
			return -1;
		}
	}
	char *conf = cellconf_build(cs, &mods);
	*initrd = xasprintf("%s/initrd.cpio", tmp);
	/* files the workloads' options name (schedules, ...) */
	size_t n_extra = 1 + progs.n;
	for (size_t i = 0; i < cs->n_wl; i++)
		n_extra += cs->wl[i].n_files;
	struct initramfs_file *extra = xcalloc(n_extra, sizeof *extra);
	n_extra = 0;
	for (size_t i = 0; i < cs->n_wl; i++) {
		const struct workload *reg = wl_find(cs->wl[i].name);
		if (reg && reg->bits32) {
			extra[n_extra++] = (struct initramfs_file){GUEST_WL32_PATH, env->wl32_path, 0755};
			break;
		}
	}
	for (size_t i = 0; i < cs->n_wl; i++)
		for (size_t f = 0; f < cs->wl[i].n_files; f++)
			extra[n_extra++] = (struct initramfs_file){cs->wl[i].files[f].guest,
								   cs->wl[i].files[f].host, 0644};
	for (size_t k = 0; k < progs.n; k++)
		extra[n_extra++] = (struct initramfs_file){progs.v[k].path, progs.v[k].path, 0};
	struct initramfs_spec spec = {
		.agent_path = env->agent_path,
		.workload_path = env->wl_path,
		.modules = &mods,
		.cellconf = conf,
		.cellconf_len = strlen(conf),
		.extra = extra,
		.nextra = n_extra,
	};
	int r = initramfs_build(*initrd, &spec, err);
	free(extra);
	ldlist_free(&progs);
	free(conf);
	modset_free(&mods);
	if (r < 0)
		return -1;
	if (cs->swap_mb > 0 && !cs->swap_zram) {
		*swap = xasprintf("%s/swap.img", tmp);
		if (make_swap_disk(*swap, cs->swap_mb, err) < 0)
			return -1;
	}
	return 0;
}

/* What a cell produced (or not) -> its report, written to <id>.json. */
struct cell_run {
	const struct run_env *env;
	const struct cell_spec *cs;
	size_t index;
	const struct kernel_info *ki;
	char *console_file, *stream_file, *console_path, *stream_path, *append;
	struct vm_result vr;
	int ran;
	int write_errno; /* the report could not be written (errno) */
	struct buf err;
	double t0;
};

static void cell_run_init(struct cell_run *r, const struct run_env *env,
			  const struct cell_spec *cs, size_t index, const struct kernel_info *ki)
{
	memset(r, 0, sizeof *r);
	r->env = env;
	r->cs = cs;
	r->index = index;
	r->ki = ki;
	r->console_file = xasprintf("%s.console.log", cs->id);
	r->stream_file = xasprintf("%s.stream", cs->id);
	r->console_path = xasprintf("%s/%s", env->cells_dir, r->console_file);
	r->stream_path = xasprintf("%s/%s", env->cells_dir, r->stream_file);
	r->append = kernel_append(cs);
	r->t0 = now_s();
}

static json_t *cell_run_judge(struct cell_run *r)
{
	const struct cell_spec *cs = r->cs;
	char *stream = NULL, *console = NULL;
	size_t sl = 0, cl = 0;
	if (r->ran) {
		read_file(r->stream_path, &stream, &sl);
		read_file(r->console_path, &console, &cl);
	}
	struct cell_obs obs;
	collect_cell(stream, sl, console, cl, cs->n_wl, &obs);
	struct cell_outcome oc;
	outcome_compute(cs, &obs, &r->vr, &oc);
	if (r->err.len) {
		oc.verdict = V_BROK;
		oc.status = "harness_error";
		snprintf(oc.why, sizeof oc.why, "%s", r->err.data);
		for (size_t i = 0; i < oc.n_wl; i++) {
			oc.wl[i].verdict = V_BROK;
			snprintf(oc.wl[i].why, sizeof oc.wl[i].why, "the harness could not run the cell");
		}
	}
	char *tail = console ? console_tail(console, cl, 40) : NULL;
	struct cell_ctx cx = {
		.run_id = r->env->run_id,
		.index = r->index,
		.kernel = r->ki,
		.accel = r->env->accel,
		.append = r->append,
		.console_file = r->console_file,
		.stream_file = r->stream_file,
		.console_tail = tail,
		.harness_error = r->err.len ? r->err.data : NULL,
		.wall_s = now_s() - r->t0,
	};
	json_t *rep = report_cell(cs, &obs, &oc, &cx);
	char *path = xasprintf("%s/%s.json", r->env->cells_dir, cs->id);
	if (json_write_atomic(path, rep) < 0) {
		r->write_errno = errno;
		log_err("cannot write %s: %s", path, strerror(errno));
	}
	free(path);
	free(tail);
	cell_outcome_free(&oc);
	cell_obs_free(&obs);
	free(stream);
	free(console);
	return rep;
}

/* The host ran out of space (or over RLIMIT_FSIZE) while preparing the
 * cell: like a report that cannot be written, this stops the run and
 * leaves the cell unfinished (--resume runs it again), rather than
 * recording a BROK result that is no result. */
static void out_of_space(struct cell_run *r, int e)
{
	if (e == ENOSPC || e == EFBIG || e == EDQUOT) {
		r->write_errno = e;
		log_err("cell %s: %s", r->cs->id, r->err.data ? r->err.data : strerror(e));
	}
}

static void cell_run_free(struct cell_run *r)
{
	free(r->console_file);
	free(r->stream_file);
	free(r->console_path);
	free(r->stream_path);
	free(r->append);
	buf_free(&r->err);
}

json_t *cell_report_broken(const struct run_env *env, const struct cell_spec *cs, size_t index,
			   const struct kernel_info *ki, const char *why, int *write_errno)
{
	struct cell_run r;
	cell_run_init(&r, env, cs, index, ki);
	buf_printf(&r.err, "%s", why);
	json_t *rep = cell_run_judge(&r);
	if (write_errno)
		*write_errno = r.write_errno;
	cell_run_free(&r);
	return rep;
}

json_t *cell_execute(const struct run_env *env, const struct cell_spec *cs, size_t index,
		     const struct kernel_info *ki, int *write_errno)
{
	struct cell_run r;
	cell_run_init(&r, env, cs, index, ki);
	char *tmp = xasprintf("%s/oomlab-%s-XXXXXX", env->tmp_root, cs->id);
	char *initrd = NULL, *swap = NULL, *qlog = NULL;
	int made_tmp = 0;
	struct data_disk disks[CELL_DATA_DISKS_MAX];
	char *disk_paths[CELL_DATA_DISKS_MAX + 1] = {0};
	size_t n_disks = 0;

	if (!mkdtemp(tmp)) {
		buf_printf(&r.err, "cannot create a temp dir %s: %s", tmp, strerror(errno));
		goto judge;
	}
	made_tmp = 1;
	if (prepare(env, cs, ki, tmp, &initrd, &swap, &r.err) < 0) {
		out_of_space(&r, errno);
		goto judge;
	}
	/* the workloads' data disks (filecache): sparse, removed with tmp */
	n_disks = cell_data_disks(cs, disks);
	for (size_t d = 0; d < n_disks; d++) {
		disk_paths[d] = xasprintf("%s/data%zu.img", tmp, d);
		if (make_swap_disk(disk_paths[d], disks[d].mb, &r.err) < 0) {
			out_of_space(&r, errno);
			goto judge;
		}
	}
	qlog = xasprintf("%s/qemu.log", tmp);
	struct vm_spec vs = {
		.accel = env->accel,
		.image = ki->image,
		.initrd = initrd,
		.append = r.append,
		.ram_mb = cs->ram_mb,
		.cpus = cs->cpus,
		.console_path = r.console_path,
		.stream_path = r.stream_path,
		.swap_disk = swap,
		.data_disks = (const char *const *)disk_paths,
		.n_data_disks = n_disks,
		.qemu_log = qlog,
	};
	if (vm_run(&vs, cs->timeout_s, &r.vr, &r.err) == 0)
		r.ran = 1;
	/* qemu's own complaints (bad option, no accel) matter when nothing booted */
	char *ql = NULL;
	size_t qll = 0;
	if (r.ran && read_file(qlog, &ql, &qll) == 0 && qll && !r.vr.timed_out &&
	    !r.vr.interrupted && !path_exists(r.stream_path))
		buf_printf(&r.err, "qemu: %s", ql);
	free(ql);

judge:;
	json_t *rep = cell_run_judge(&r);
	if (write_errno)
		*write_errno = r.write_errno;
	if (made_tmp && !env->keep_tmp)
		rm_rf(tmp);
	else if (made_tmp)
		log_info("kept temp dir %s", tmp);
	free(tmp);
	free(initrd);
	free(swap);
	for (size_t d = 0; d < n_disks; d++)
		free(disk_paths[d]);
	free(qlog);
	cell_run_free(&r);
	return rep;
}
