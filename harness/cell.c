// SPDX-License-Identifier: GPL-2.0-or-later
#include "cell.h"
#include "proto/cellconf.h"
#include "workloads/wl.h"
#include "judge/collect.h"
#include "boot/initramfs.h"
#include "lib/jsonx.h"
#include "lib/pool.h"
#include "boot/carry.h"
#include "boot/modules.h"
#include "plan/knobs.h"
#include "judge/outcome.h"
#include "judge/cellreport.h"
#include "judge/nohello.h"
#include "lib/excerpt.h"
#include "lib/fastpath.h"
#include "vm/hostcpu.h"
#include "vm/shmring.h"
#include "vm/snapshot.h"
#include "vm/vm.h"
#include "vm/warm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Modules the guest needs (when the kernel does not have them built in)
 * for its swap: virtio_pci and virtio_blk for a swap disk, zram for swap
 * in compressed RAM; and those a knob's value names (zswap's compressor
 * and zpool). A cell without swap and such knobs loads none. */
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
	return snapshot_make_disk(path, mb, err);
}

/* A warm boot serves many cells: its command line names none. */
static char *kernel_append(const struct cell_spec *cs, int warm)
{
	struct buf b = {0};
	buf_printf(&b, "console=ttyS0 panic=-1 printk.time=1 rdinit=/init psi=1 oomlab.cell=%s",
		   warm ? "warm" : cs->id);
	if (cs->cmdline)
		buf_printf(&b, " %s", cs->cmdline);
	return b.data;
}

/* Host-side preparation; fills tmp paths. Returns 0 or -1 with err. */
/* warm: the initramfs gets /warm.conf (its modules) instead of
 * /cell.conf, and *conf_out the cell.conf text to send after the restore:
 * cells that differ only in their description share one initramfs. */
static int prepare(const struct run_env *env, const struct cell_spec *cs,
		   const struct kernel_info *ki, const char *tmp, int warm, char **initrd,
		   char **swap, char **conf_out, struct buf *err)
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
	/* modules a knob's value names (zswap's compressor, zpool), when
	 * this kernel has them: the guest cannot load them on the write */
	const char **opt = xcalloc(cs->n_sets + 1, sizeof *opt);
	size_t n_opt = 0;
	for (size_t i = 0; i < cs->n_sets; i++) {
		const struct knob *k = knob_find(cs->sets[i].name);
		if (k && k->value_is_module)
			opt[n_opt++] = cs->sets[i].value;
	}
	int mr = ki->modules_dir && n_want + n_opt > 0
			 ? modset_resolve_opt(ki->modules_dir, want, n_want, opt, n_opt, &mods, err)
			 : 0;
	free(opt);
	if (mr < 0)
		return -1;
	/* what the workloads carry: the files their options name, the
	 * programs they exec (stress-ng, an exec workload's) with their
	 * libraries and loader, an exec workload's files (boot/carry.h) */
	struct carry carried;
	if (carry_cell(cs, &carried, err) < 0) {
		modset_free(&mods);
		return -1;
	}
	char *conf = cellconf_build(cs, &mods);
	char *boot_conf = warm ? cellconf_build_warm(&mods) : conf;
	*initrd = xasprintf("%s/initrd%s.cpio", tmp, warm ? "-warm" : "");
	struct initramfs_file *extra = xcalloc(1 + carried.n, sizeof *extra);
	size_t n_extra = 0;
	for (size_t i = 0; i < cs->n_wl; i++) {
		const struct workload *reg = cs->wl[i].reg;
		if (reg && reg->bits32) {
			extra[n_extra++] = (struct initramfs_file){GUEST_WL32_PATH, env->wl32_path, 0755};
			break;
		}
	}
	for (size_t k = 0; k < carried.n; k++)
		extra[n_extra++] = carried.v[k];
	struct initramfs_spec spec = {
		.agent_path = env->agent_path,
		.workload_path = env->wl_path,
		.modules = &mods,
		.cellconf = boot_conf,
		.cellconf_len = strlen(boot_conf),
		.cellconf_path = warm ? WARM_CONF_PATH : CELLCONF_PATH,
		.extra = extra,
		.nextra = n_extra,
	};
	int r = initramfs_build(*initrd, &spec, err);
	free(extra);
	carry_free(&carried);
	if (warm) {
		free(boot_conf);
		*conf_out = conf;
	} else {
		free(conf);
	}
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
	enum cell_status err_status; /* the status err gives: CS_HARNESS_ERROR unless set */
	double t0;
	/* warm start: how the cell started; why its first warm start did not
	 * give the result (each attempt), the console excerpt of the last
	 * restore that ended before the hello, how many did */
	int warm;
	struct buf warm_note;
	char *warm_console;
	int restore_failures;
	char snap_key[65];
	double snap_build_s, snap_wait_s, resume_s;
	int standby; /* its VM was restored ahead of its turn and waited (pool.h) */
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
	r->append = kernel_append(cs, 0);
	r->t0 = now_s();
}

static json_t *secs_or_null(double s)
{
	return s >= 0 ? json_real(s) : json_null();
}

/* How the cell started and the host-side marks (the cell overhead). */
static void add_start_timings(json_t *t, const struct cell_run *r)
{
	if (!t)
		return;
	json_object_set_new(t, "start", json_string(r->warm ? "warm" : "cold"));
	json_object_set_new(t, "warm_fallback",
			    r->warm_note.len ? json_pack("{s:s,s:o,s:i,s:o}", "reason", r->warm_note.data, "console",
							 r->warm_console ? json_string(r->warm_console) : json_null(),
							 "restore_failures", r->restore_failures, "snapshot",
							 r->snap_key[0] ? json_string(r->snap_key) : json_null())
					     : json_null());
	json_object_set_new(t, "snapshot", r->warm ? json_string(r->snap_key) : json_null());
	json_object_set_new(t, "snapshot_build_s", r->warm && r->snap_build_s > 0 ? json_real(r->snap_build_s)
										  : json_null());
	/* a cold cell after a failed build spent that time too */
	json_object_set_new(t, "snapshot_wait_s",
			    r->warm || r->snap_wait_s > 0 ? json_real(r->snap_wait_s) : json_null());
	json_object_set_new(t, "resume_s", r->warm ? json_real(r->resume_s) : json_null());
	json_object_set_new(t, "standby_s", r->standby ? json_real(pool_gate_waited_s()) : json_null());
	int seen = r->ran && r->vr.t_first_spawn_s >= 0;
	json_object_set_new(t, "vm_start_to_workload_s", secs_or_null(seen ? r->vr.t_first_spawn_s : -1));
	json_object_set_new(t, "workload_end_to_vm_gone_s",
			    secs_or_null(r->ran && r->vr.t_last_exit_s >= 0 ? r->vr.wall_s - r->vr.t_last_exit_s : -1));
	json_object_set_new(t, "vm_s", secs_or_null(r->ran ? r->vr.wall_s : -1));
	json_object_set_new(t, "vm_end", r->ran ? json_string(vm_end_word(&r->vr)) : json_null());
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
		const struct cell_status_row *st =
			&cell_status_table[r->err_status ? r->err_status : CS_HARNESS_ERROR];
		oc.verdict = st->verdict;
		oc.status = st->status;
		snprintf(oc.why, sizeof oc.why, "%s", r->err.data);
		for (size_t i = 0; i < oc.n_wl; i++) {
			oc.wl[i].verdict = st->verdict;
			snprintf(oc.wl[i].why, sizeof oc.wl[i].why, "%s", st->why);
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
		.console_dropped = r->ran ? r->vr.console_dropped : 0,
		.stream_dropped = r->ran ? r->vr.stream_dropped : 0,
		.console_tail = tail,
		.harness_error = r->err.len ? r->err.data : NULL,
		/* the shared snapshot is not this cell's time (snapshot_wait_s),
		 * nor the wait for its turn (standby_s); a VM restored ahead
		 * of its turn counts from that turn */
		.wall_s = pool_turn_at() > 0 ? now_s() - pool_turn_at()
					     : now_s() - r->t0 - r->snap_wait_s,
	};
	json_t *rep = report_cell(cs, &obs, &oc, &cx);
	add_start_timings(json_object_get(rep, "timings"), r);
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
 * leaves the cell unfinished (--resume runs it again, its report says
 * not_started), rather than recording a BROK result that is no result. */
static void out_of_space(struct cell_run *r, int e)
{
	if (e == ENOSPC || e == EFBIG || e == EDQUOT) {
		r->write_errno = e;
		r->err_status = CS_NOT_STARTED;
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
	buf_free(&r->warm_note);
	free(r->warm_console);
}

json_t *cell_report_broken(const struct run_env *env, const struct cell_spec *cs, size_t index,
			   const struct kernel_info *ki, enum cell_status status, const char *why,
			   int *write_errno)
{
	struct cell_run r;
	cell_run_init(&r, env, cs, index, ki);
	r.err_status = status;
	buf_printf(&r.err, "%s", why);
	json_t *rep = cell_run_judge(&r);
	if (write_errno)
		*write_errno = r.write_errno;
	cell_run_free(&r);
	return rep;
}

/* How a cell's VM starts: booted from its kernel (cold), or restored from
 * a booted snapshot, the cell's description sent after the resume (warm). */
enum start_mode { START_COLD, START_WARM };

/* How far start_vm got. */
enum vm_start {
	VM_RAN,          /* the VM ran (whatever happened in it) */
	VM_NOT_PREPARED, /* the cell's files could not be made (errno in *prep_errno) */
	VM_NO_SNAPSHOT,  /* warm: the snapshot could not be found or made */
	VM_NOT_STARTED,  /* no socket dir, qemu did not start, the restore failed */
};

/* A warm start that has not said hello this long after the resume is
 * stopped and tried again (it normally takes well under a second). */
#define WARM_HELLO_TIMEOUT_S 60
/* Warm starts of one cell before it boots cold. */
#define WARM_ATTEMPTS 2

/* Fault injection for the tests: the first N restores of each cell are
 * sent a probe that crashes the guest's kernel (cellconf.h), in place of
 * the cell's description. */
static int fault_warm_panics(void)
{
	const char *v = getenv("OOMLAB_FAULT_WARM_PANIC");
	long long n;
	return v && *v && parse_ll(v, &n) == 0 && n > 0 && n < 100 ? (int)n : 0;
}

/* Append qemu's own stderr (its log file), if it said anything. */
static void quote_qemu_log(struct buf *b, const char *prefix, const char *qlog)
{
	char *ql = NULL;
	size_t qll = 0;
	if (read_file(qlog, &ql, &qll) == 0 && qll)
		buf_printf(b, "%s%s", prefix, ql);
	free(ql);
}

/* Prepare the cell in tmp (initramfs, swap and data disks) and run its VM,
 * started in mode. A warm start (the attempt-th) also finds or builds the
 * snapshot and restores it over sockets in a short dir of its own; what
 * stops it goes to *warm_err (the caller tries again or boots the cell
 * cold), what stops a cold start to r->err (the cell's harness error).
 * The data disks are sparse: a cold start leaves them to go with tmp, a
 * warm one removes its own at once. */
static enum vm_start start_vm(struct cell_run *r, const char *tmp, enum start_mode mode, int attempt,
			      struct buf *warm_err, int *prep_errno)
{
	const struct run_env *env = r->env;
	const struct cell_spec *cs = r->cs;
	int warm = mode == START_WARM;
	struct buf *e = warm ? warm_err : &r->err;
	char *initrd = NULL, *swap = NULL, *conf = NULL, *qlog = NULL, *append = kernel_append(cs, warm);
	char *sdir = NULL, *qmp = NULL, *ctl = NULL, *ram_path = NULL;
	int state_fd = -1, ram_fd = -1, shm_fd = -1;
	char *shm_path = NULL;
	/* the stream's ring (proto/shmring.h); not in a warm VM whose RAM is
	 * a file: the save leaves shared memory out of the state then
	 * (x-ignore-shared), and a restore refuses a shared region that is
	 * not yet where the source had it (a BAR, mapped only when the
	 * device's state loads: "Mismatched GPAs") */
	int shm = fastpath_on(FAST_SHM) && !(warm && fastpath_on(FAST_RAM));
	struct data_disk disks[CELL_DATA_DISKS_MAX];
	char *disk_paths[CELL_DATA_DISKS_MAX] = {0};
	size_t n_disks = cell_data_disks(cs, disks);
	struct snapshot snap = {0};
	struct warm_ctx wc = {.ctl_fd = -1, .state_fd = -1};
	enum vm_start rc = VM_NOT_PREPARED;
	int made_sdir = 0;

	if (prepare(env, cs, r->ki, tmp, warm, &initrd, &swap, &conf, e) < 0) {
		*prep_errno = errno;
		goto out;
	}
	/* the workloads' data disks (filecache) */
	for (size_t d = 0; d < n_disks; d++) {
		disk_paths[d] = xasprintf("%s/data%zu.img", tmp, d);
		if (make_swap_disk(disk_paths[d], disks[d].mb, e) < 0) {
			*prep_errno = errno;
			goto out;
		}
	}
	rc = VM_NOT_STARTED;
	if (warm) {
		struct snap_inputs in = {.image = r->ki->image, .initrd = initrd, .append = append,
					 .accel = env->accel, .cpu = hostcpu_id(env->accel),
					 .ram_mb = cs->ram_mb, .cpus = cs->cpus, .ram_file = fastpath_on(FAST_RAM),
					 .shm = shm};
		if (swap)
			in.disk_mb[in.n_disks++] = cs->swap_mb;
		for (size_t d = 0; d < n_disks; d++)
			in.disk_mb[in.n_disks++] = disks[d].mb;
		int got = snapshot_get(&in, env->tmp_root, cs->timeout_s, &snap, e);
		r->snap_wait_s += snap.wait_s; /* a failed build's too: shared, not the cell's */
		if (got < 0) {
			rc = VM_NO_SNAPSHOT;
			goto out;
		}
		memcpy(r->snap_key, snap.key, sizeof snap.key);
		r->snap_build_s += snap.build_s; /* over the attempts: a retry may build anew */
		/* both files now: one that goes away later stays open (a
		 * restore that cannot open them is a failed one, retried) */
		if (snapshot_open(&snap, &state_fd, &ram_fd, e) < 0)
			goto out;
		if (ram_fd >= 0)
			ram_path = xasprintf("/dev/fd/%d", ram_fd);
		/* sockets in a short dir of their own (unix paths are short) */
		sdir = xasprintf("%s/oomlab-w-XXXXXX", env->tmp_root);
		if (!mkdtemp(sdir)) {
			buf_printf(e, "cannot create a temp dir %s: %s", sdir, strerror(errno));
			goto out;
		}
		made_sdir = 1;
		qmp = xasprintf("%s/qmp", sdir);
		ctl = xasprintf("%s/ctl", sdir);
		if (attempt <= fault_warm_panics())
			warm_ctx_init_probe(&wc, snap.state, qmp, ctl, CTL_PROBE_PANIC);
		else
			warm_ctx_init(&wc, snap.state, qmp, ctl, conf);
		wc.gate = 1;
		wc.state_fd = state_fd;
		state_fd = -1;
		wc.ram_file = ram_fd >= 0;
	}
	/* the stream's ring, fresh for each cell (a restore's too: the
	 * snapshot's region is never the cell's) */
	if (shm && (shm_fd = shmring_create()) < 0)
		log_warn("cell %s: no region for the stream's ring (%s): the stream goes on ttyS1", cs->id,
			 strerror(errno));
	if (shm_fd >= 0)
		shm_path = xasprintf("/dev/fd/%d", shm_fd);
	qlog = xasprintf("%s/qemu.log", tmp);
	struct vm_spec vs = {
		.accel = env->accel,
		.image = r->ki->image,
		.initrd = initrd,
		.append = append,
		.ram_mb = cs->ram_mb,
		.cpus = cs->cpus,
		.console_path = r->console_path,
		.stream_path = r->stream_path,
		.swap_disk = swap,
		.data_disks = (const char *const *)disk_paths,
		.n_data_disks = n_disks,
		.qemu_log = qlog,
		.stop_at_bye = fastpath_on(FAST_END),
		.shm_path = shm_path,
	};
	if (warm) {
		vs.ctl_sock = ctl;
		vs.qmp_sock = qmp;
		vs.incoming = 1;
		vs.on_start = warm_on_start;
		vs.on_start_ctx = &wc;
		vs.on_start_turn_s = &wc.turn_at;
		vs.hello_timeout_s = WARM_HELLO_TIMEOUT_S;
		vs.ram_path = ram_path; /* share=off: the guest's writes stay its own */
	}
	if (vm_run(&vs, cs->timeout_s, &r->vr, e) < 0) {
		if (warm) /* the restore failed: qemu's log says why */
			quote_qemu_log(e, "; qemu: ", qlog);
		goto out;
	}
	rc = VM_RAN;
	r->ran = 1;
	r->warm = warm;
	r->resume_s = wc.resume_s; /* 0 when cold */
	r->standby |= wc.standby; /* a retry after the turn does not wait */
	free(r->append);
	r->append = append;
	append = NULL;
	/* qemu's own complaints (bad option, no accel) matter when nothing
	 * booted: neither port said a word */
	if (!r->vr.timed_out && !r->vr.interrupted && !r->vr.console_bytes && !r->vr.stream_bytes)
		quote_qemu_log(&r->err, "qemu: ", qlog);
	/* a console or stream file that could not be written (a full disk)
	 * stops the run like a report that cannot be: --resume runs the cell */
	if (r->vr.capture_errno == ENOSPC || r->vr.capture_errno == EFBIG || r->vr.capture_errno == EDQUOT) {
		r->write_errno = r->vr.capture_errno;
		log_err("cell %s: cannot write %s or %s: %s", cs->id, r->console_path, r->stream_path,
			strerror(r->vr.capture_errno));
	}
out:
	warm_ctx_free(&wc);
	if (state_fd >= 0)
		close(state_fd);
	if (ram_fd >= 0)
		close(ram_fd);
	if (shm_fd >= 0)
		close(shm_fd);
	free(shm_path);
	free(ram_path);
	snapshot_free(&snap);
	if (made_sdir)
		rm_rf(sdir);
	for (size_t d = 0; d < n_disks; d++) {
		if (warm && disk_paths[d])
			unlink(disk_paths[d]);
		free(disk_paths[d]);
	}
	free(sdir);
	free(qmp);
	free(ctl);
	free(qlog);
	free(initrd);
	free(swap);
	free(conf);
	free(append);
	return rc;
}

/* A warm start that ended before the agent's hello is no result: note
 * why (and the console's crash lines), count a guest crash against the
 * snapshot, and clear what the attempt left for the next one. */
static void warm_attempt_failed(struct cell_run *r, int attempt, const char *why)
{
	buf_printf(&r->warm_note, "%srestore %d: %s", r->warm_note.len ? "; " : "", attempt, why);
	log_warn("cell %s: warm start %d: %s", r->cs->id, attempt, why);
}

static void warm_nohello(struct cell_run *r, int attempt)
{
	char *text = NULL;
	size_t len = 0;
	if (read_file_tail(r->console_path, 1 << 20, &text, &len) < 0)
		text = NULL;
	struct nohello nh;
	nohello_explain(text, len, &r->vr, "after the restore", &nh);
	free(text);
	r->restore_failures++;
	warm_attempt_failed(r, attempt, nh.reason);
	free(r->warm_console);
	r->warm_console = nh.excerpt;
	nh.excerpt = NULL;
	if (nh.crashed && r->snap_key[0])
		snapshot_restore_crashed(r->snap_key, nh.reason);
	nohello_free(&nh);
	unlink(r->console_path);
	unlink(r->stream_path);
	r->ran = 0;
	r->warm = 0;
	memset(&r->vr, 0, sizeof r->vr);
}

/* Start the cell warm: a fresh restore, once more if that one ended
 * before the agent's hello (or could not be made), then the caller boots
 * it cold. 1 when a start gave the cell's result (or the run was
 * interrupted), 0: boot it cold. */
static int warm_start(struct cell_run *r, const char *tmp, int *prep_errno)
{
	for (int attempt = 1; attempt <= WARM_ATTEMPTS; attempt++) {
		struct buf e = {0};
		enum vm_start s = start_vm(r, tmp, START_WARM, attempt, &e, prep_errno);
		if (s == VM_RAN && (r->vr.t_hello_s >= 0 || r->vr.interrupted)) {
			buf_free(&e);
			return 1;
		}
		if (vm_stop_requested) { /* interrupted while restoring: no cold boot now */
			r->vr.interrupted = 1;
			buf_free(&e);
			return 1;
		}
		if (s == VM_RAN) {
			warm_nohello(r, attempt);
		} else {
			r->restore_failures += s == VM_NOT_STARTED;
			warm_attempt_failed(r, attempt, e.data ? e.data : "the warm start failed");
		}
		buf_free(&e);
		if (s == VM_NO_SNAPSHOT || s == VM_NOT_PREPARED)
			break; /* another try would fail the same way */
	}
	log_warn("cell %s: no warm start, booting it cold", r->cs->id);
	return 0;
}

json_t *cell_execute(const struct run_env *env, const struct cell_spec *cs, size_t index,
		     const struct kernel_info *ki, int *write_errno)
{
	struct cell_run r;
	cell_run_init(&r, env, cs, index, ki);
	char *tmp = xasprintf("%s/oomlab-%s-XXXXXX", env->tmp_root, cs->id);
	int made_tmp = 0, prep_errno = 0;

	if (!mkdtemp(tmp)) {
		buf_printf(&r.err, "cannot create a temp dir %s: %s", tmp, strerror(errno));
		goto judge;
	}
	made_tmp = 1;
	if (env->warm && warm_start(&r, tmp, &prep_errno))
		goto judge;
	/* a worker forked ahead of its turn boots cold only in its turn */
	if (pool_gate_wait() < 0)
		goto judge;
	if (start_vm(&r, tmp, START_COLD, 0, NULL, &prep_errno) == VM_NOT_PREPARED)
		out_of_space(&r, prep_errno);

judge:;
	if (pool_gate_closed()) {
		/* stopped before its turn: the cell never started (the run
		 * counts it as not started, --resume runs it) */
		unlink(r.console_path);
		unlink(r.stream_path);
		if (made_tmp)
			rm_rf(tmp);
		free(tmp);
		cell_run_free(&r);
		return NULL;
	}
	json_t *rep = cell_run_judge(&r);
	if (write_errno)
		*write_errno = r.write_errno;
	if (made_tmp && !env->keep_tmp)
		rm_rf(tmp);
	else if (made_tmp)
		log_info("kept temp dir %s", tmp);
	free(tmp);
	cell_run_free(&r);
	return rep;
}
