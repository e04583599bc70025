#include "cell.h"
#include "cellconf.h"
#include "collect.h"
#include "initramfs.h"
#include "jsonx.h"
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
		buf_printf(err, "cannot create the swap disk %s: %s", path, strerror(errno));
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
	const char *const *want = cs->swap_zram ? zram_modules : disk_modules;
	size_t n_want = cs->swap_zram ? ARRAY_SIZE(zram_modules) : ARRAY_SIZE(disk_modules);
	if (ki->modules_dir && cs->swap_mb > 0 &&
	    modset_resolve(ki->modules_dir, want, n_want, &mods, err) < 0)
		return -1;
	char *conf = cellconf_build(cs, &mods);
	*initrd = xasprintf("%s/initrd.cpio", tmp);
	struct initramfs_spec spec = {
		.agent_path = env->agent_path,
		.workload_path = env->wl_path,
		.modules = &mods,
		.cellconf = conf,
		.cellconf_len = strlen(conf),
	};
	int r = initramfs_build(*initrd, &spec, err);
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

json_t *cell_execute(const struct run_env *env, const struct cell_spec *cs, size_t index,
		     const struct kernel_info *ki)
{
	struct buf err = {0};
	char *tmp = xasprintf("%s/oomlab-%s-XXXXXX", env->tmp_root, cs->id);
	char *console_file = xasprintf("%s.console.log", cs->id);
	char *stream_file = xasprintf("%s.stream", cs->id);
	char *console_path = xasprintf("%s/%s", env->cells_dir, console_file);
	char *stream_path = xasprintf("%s/%s", env->cells_dir, stream_file);
	char *initrd = NULL, *swap = NULL, *append = kernel_append(cs);
	struct vm_result vr = {0};
	int made_tmp = 0, ran = 0;
	double t0 = now_s();

	if (!mkdtemp(tmp)) {
		buf_printf(&err, "cannot create a temp dir %s: %s", tmp, strerror(errno));
		goto judge;
	}
	made_tmp = 1;
	if (prepare(env, cs, ki, tmp, &initrd, &swap, &err) < 0)
		goto judge;
	char *qlog = xasprintf("%s/qemu.log", tmp);
	struct vm_spec vs = {
		.accel = env->accel,
		.image = ki->image,
		.initrd = initrd,
		.append = append,
		.ram_mb = cs->ram_mb,
		.cpus = cs->cpus,
		.console_path = console_path,
		.stream_path = stream_path,
		.swap_disk = swap,
		.qemu_log = qlog,
	};
	if (vm_run(&vs, cs->timeout_s, &vr, &err) == 0)
		ran = 1;
	/* qemu's own complaints (bad option, no accel) matter when nothing booted */
	char *ql = NULL;
	size_t qll = 0;
	if (ran && read_file(qlog, &ql, &qll) == 0 && qll && !vr.timed_out && !vr.interrupted &&
	    !path_exists(stream_path))
		buf_printf(&err, "qemu: %s", ql);
	free(ql);
	free(qlog);

judge:;
	char *stream = NULL, *console = NULL;
	size_t sl = 0, cl = 0;
	if (ran) {
		read_file(stream_path, &stream, &sl);
		read_file(console_path, &console, &cl);
	}
	struct cell_obs obs;
	collect_cell(stream, sl, console, cl, cs->n_wl, &obs);
	struct cell_outcome oc;
	outcome_compute(cs, &obs, &vr, &oc);
	if (err.len) {
		oc.verdict = V_BROK;
		oc.status = "harness_error";
		snprintf(oc.why, sizeof oc.why, "%s", err.data);
		for (size_t i = 0; i < oc.n_wl; i++) {
			oc.wl[i].verdict = V_BROK;
			snprintf(oc.wl[i].why, sizeof oc.wl[i].why, "the harness could not run the cell");
		}
	}
	char *tail = console ? console_tail(console, cl, 40) : NULL;
	struct cell_ctx cx = {
		.run_id = env->run_id,
		.index = index,
		.kernel = ki,
		.accel = env->accel,
		.append = append,
		.console_file = console_file,
		.stream_file = stream_file,
		.console_tail = tail,
		.harness_error = err.len ? err.data : NULL,
		.wall_s = now_s() - t0,
	};
	json_t *rep = report_cell(cs, &obs, &oc, &cx);
	char *path = xasprintf("%s/%s.json", env->cells_dir, cs->id);
	if (json_write_atomic(path, rep) < 0)
		log_err("cannot write %s: %s", path, strerror(errno));
	free(path);
	free(tail);
	cell_outcome_free(&oc);
	cell_obs_free(&obs);
	free(stream);
	free(console);
	if (made_tmp && !env->keep_tmp)
		rm_rf(tmp);
	else if (made_tmp)
		log_info("kept temp dir %s", tmp);
	free(tmp);
	free(initrd);
	free(swap);
	free(append);
	free(console_file);
	free(stream_file);
	free(console_path);
	free(stream_path);
	buf_free(&err);
	return rep;
}
