// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/snapcheck.h"
#include "vm/shmring.h"
#include "lib/excerpt.h"
#include "lib/spawn.h"
#include "proto/cellconf.h"
#include "vm/vm.h"
#include "vm/warm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The console's crash lines, if it shows a crash: into out->console. */
static int console_crash(const char *con, struct snap_check *out)
{
	char *text = NULL;
	size_t len = 0;
	int crashed = 0;
	if (read_file_tail(con, 1 << 20, &text, &len) == 0) {
		for (size_t m = 0; m < excerpt_markers() && !crashed; m++)
			crashed = strstr(text, excerpt_marker(m)) != NULL;
		free(out->console);
		out->console = console_excerpt(text, len, EXCERPT_LINES);
	}
	free(text);
	return crashed;
}

int snapshot_check(const struct snap_inputs *in, const char *state, const char *ram, const char *dir,
		   struct snap_check *out, struct buf *err)
{
	memset(out, 0, sizeof *out);
	out->tasks = -1;
	char *con = xasprintf("%s/check-console.log", dir), *str = xasprintf("%s/check-stream", dir);
	char *ctl = xasprintf("%s/check-ctl", dir), *qs = xasprintf("%s/check-qmp", dir);
	char *qlog = xasprintf("%s/check-qemu.log", dir);
	char *disks[SNAP_DISKS_MAX] = {0};
	char *line = NULL, *ram_path = NULL;
	struct warm_ctx wc = {.ctl_fd = -1, .state_fd = -1};
	pid_t pid = -1;
	int rc = -1, st = 0, exited = 0, ram_fd = -1, shm_fd = -1;
	char *shm_path = NULL;
	double t0 = now_s();
	unlink(con);
	for (size_t i = 0; i < in->n_disks; i++) {
		disks[i] = xasprintf("%s/check-disk%zu.img", dir, i);
		if (vm_make_disk(disks[i], in->disk_mb[i], err) < 0)
			goto out;
	}
	if (ram) {
		/* as a cell maps it: privately, by an fd QEMU inherits */
		ram_fd = open(ram, O_RDONLY);
		if (ram_fd < 0) {
			buf_printf(err, "cannot open %s: %s", ram, strerror(errno));
			goto out;
		}
		ram_path = xasprintf("/dev/fd/%d", ram_fd);
	}
	if (in->shm && (shm_fd = shmring_create()) < 0) {
		buf_printf(err, "cannot create the stream's ring: %s", strerror(errno));
		goto out;
	}
	if (shm_fd >= 0)
		shm_path = xasprintf("/dev/fd/%d", shm_fd);
	struct vm_spec vs = {
		.shm_path = shm_path,
		.accel = in->accel, .image = in->image, .initrd = in->initrd, .append = in->append,
		.ram_mb = in->ram_mb, .cpus = in->cpus, .console_path = con, .stream_path = str,
		.data_disks = (const char *const *)disks, .n_data_disks = in->n_disks,
		.qemu_log = qlog, .ctl_sock = ctl, .qmp_sock = qs, .incoming = 1, .ram_path = ram_path,
	};
	warm_ctx_init_probe(&wc, state, qs, ctl, CTL_PROBE_ALIVE);
	wc.ram_file = ram != NULL;
	int spawned = vm_spawn(&vs, &pid, err);
	if (ram_fd >= 0)
		close(ram_fd); /* QEMU has its own */
	ram_fd = -1;
	if (shm_fd >= 0)
		close(shm_fd);
	shm_fd = -1;
	if (spawned < 0) {
		pid = -1;
		goto out;
	}
	if (warm_on_start(&wc, pid, err) < 0)
		goto out;
	if (warm_wait_line(wc.ctl_fd, t0 + SNAPCHECK_TIMEOUT_S, CTL_ALIVE, &line, err) < 0)
		goto out;
	out->answered = 1;
	char *tasks = warm_line_value(line, "tasks");
	long long v;
	out->tasks = tasks && parse_ll(tasks, &v) == 0 ? (long)v : -1;
	free(tasks);
	/* a crash a moment after the answer is still the snapshot's */
	if (wait_pid_timeout(pid, SNAPCHECK_GRACE_MS, &st) == 0) {
		exited = 1;
		pid = -1;
		buf_printf(err, "the guest stopped within %d ms of its answer", SNAPCHECK_GRACE_MS);
		goto out;
	}
	rc = 0;
out:
	if (pid > 0) {
		if (rc < 0 && wait_pid_timeout(pid, 0, &st) == 0)
			exited = 1; /* it ended by itself: a crash too */
		else
			vm_kill(pid, NULL);
	}
	if (rc < 0) {
		out->crashed = console_crash(con, out) || exited;
		if (out->crashed)
			buf_printf(err, " (the guest crashed after the restore)");
	}
	out->s = now_s() - t0;
	warm_ctx_free(&wc);
	if (ram_fd >= 0)
		close(ram_fd);
	if (shm_fd >= 0)
		close(shm_fd);
	free(shm_path);
	free(ram_path);
	free(line);
	for (size_t i = 0; i < in->n_disks; i++) {
		if (disks[i])
			unlink(disks[i]);
		free(disks[i]);
	}
	free(con);
	free(str);
	free(ctl);
	free(qs);
	free(qlog);
	return rc;
}

void snap_check_free(struct snap_check *c)
{
	if (!c)
		return;
	free(c->console);
	c->console = NULL;
}
