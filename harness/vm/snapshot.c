// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/snapshot.h"
#include "proto/cellconf.h"
#include "lib/jsonx.h"
#include "lib/paths.h"
#include "vm/qmp.h"
#include "lib/sha256.h"
#include "lib/spawn.h"
#include "vm/vm.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SNAP_FORMAT "oomlab-snapshot/1"
#define QMP_TIMEOUT_MS 10000
#define SAVE_TIMEOUT_MS 120000
#define QUIT_TIMEOUT_MS 10000

char *snapshot_dir(void)
{
	const char *env = getenv("OOMLAB_SNAPSHOTS");
	if (env && *env)
		return xstrdup(env);
	return cache_subdir("snapshots");
}

/* qemu's version line, once per process: part of the key. */
static const char *qemu_version(void)
{
	static char *v;
	if (v)
		return v;
	char *argv[] = {"qemu-system-x86_64", "--version", NULL};
	size_t len = 0;
	if (run_capture(argv, &v, &len) < 0 || !v) {
		free(v);
		v = xstrdup("unknown");
	}
	return v;
}

int snapshot_key(const struct snap_inputs *in, char key[65], struct buf *err)
{
	struct sha256 h, f;
	char d[65];
	sha256_init(&h);
	struct buf t = {0};
	buf_printf(&t, "%s\nqemu=%s\naccel=%s\nram_mb=%lld\ncpus=%lld\nappend=%s\n", SNAP_FORMAT,
		   qemu_version(), in->accel, in->ram_mb, in->cpus, in->append);
	if (in->cpu) /* KVM passes the host's CPU through: a snapshot fits only that one */
		buf_printf(&t, "cpu=%s\n", in->cpu);
	buf_printf(&t, "disks=");
	for (size_t i = 0; i < in->n_disks; i++)
		buf_printf(&t, "%s%lld", i ? "," : "", in->disk_mb[i]);
	const char *files[] = {in->image, in->initrd};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		sha256_init(&f);
		if (sha256_file(&f, files[i]) < 0) {
			buf_printf(err, "snapshot key: cannot read %s: %s", files[i], strerror(errno));
			buf_free(&t);
			return -1;
		}
		sha256_hex(&f, d);
		buf_printf(&t, "\nfile%zu=%s", i, d);
	}
	sha256_update(&h, t.data, t.len);
	sha256_hex(&h, key);
	buf_free(&t);
	return 0;
}

int snapshot_make_disk(const char *path, long long mb, struct buf *err)
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

/* Read lines from the control socket until the ready line. */
static int wait_ready(int fd, double end, struct buf *err)
{
	struct buf in = {0};
	int rc = -1;
	for (;;) {
		if (in.data && strstr(in.data, CTL_READY "\n")) {
			rc = 0;
			break;
		}
		int left = (int)((end - now_s()) * 1000);
		if (left <= 0) {
			buf_printf(err, "the agent did not get ready in time");
			break;
		}
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = poll(&p, 1, left);
		if (r < 0 && errno != EINTR) {
			buf_printf(err, "poll: %s", strerror(errno));
			break;
		}
		if (r <= 0)
			continue;
		char b[512];
		ssize_t n = read_retry(fd, b, sizeof b);
		if (n <= 0) {
			buf_printf(err, "the VM closed its control port before the agent was ready");
			break;
		}
		if (in.len > 4096) /* keep only the end: noise must not grow it */
			in.len = 0;
		buf_append(&in, b, (size_t)n);
	}
	buf_free(&in);
	return rc;
}

/* Boot, wait for ready, stop, save into state_tmp, quit. */
static int build(const struct snap_inputs *in, const char *dir, const char *state_tmp,
		 int timeout_s, double *boot_s, struct buf *err)
{
	char *con = xasprintf("%s/console.log", dir), *str = xasprintf("%s/stream", dir);
	char *ctl = xasprintf("%s/ctl", dir), *qs = xasprintf("%s/qmp", dir);
	char *qlog = xasprintf("%s/qemu.log", dir);
	char *disks[SNAP_DISKS_MAX] = {0};
	struct qmp q = QMP_INIT;
	int ctl_fd = -1, state_fd = -1, rc = -1;
	pid_t pid = -1;
	for (size_t i = 0; i < in->n_disks; i++) {
		disks[i] = xasprintf("%s/disk%zu.img", dir, i);
		if (snapshot_make_disk(disks[i], in->disk_mb[i], err) < 0)
			goto out;
	}
	/* disk 0 is the swap disk slot: vm_argv attaches swap_disk first */
	struct vm_spec vs = {
		.accel = in->accel, .image = in->image, .initrd = in->initrd, .append = in->append,
		.ram_mb = in->ram_mb, .cpus = in->cpus, .console_path = con, .stream_path = str,
		.data_disks = (const char *const *)disks, .n_data_disks = in->n_disks,
		.qemu_log = qlog, .ctl_sock = ctl, .qmp_sock = qs,
	};
	double t0 = now_s();
	if (vm_spawn(&vs, &pid, err) < 0) {
		pid = -1;
		goto out;
	}
	ctl_fd = unix_connect_wait(ctl, QMP_TIMEOUT_MS, err);
	if (ctl_fd < 0 || wait_ready(ctl_fd, t0 + timeout_s, err) < 0)
		goto out;
	*boot_s = now_s() - t0;
	if (qmp_open(&q, qs, QMP_TIMEOUT_MS, err) < 0 ||
	    qmp_exec(&q, "stop", NULL, -1, QMP_TIMEOUT_MS, NULL, err) < 0 ||
	    qmp_migration_events(&q, QMP_TIMEOUT_MS, err) < 0 ||
	    qmp_exec(&q, "migrate-set-parameters", json_pack("{s:I}", "max-bandwidth", (json_int_t)1 << 40),
		     -1, QMP_TIMEOUT_MS, NULL, err) < 0)
		goto out;
	state_fd = open(state_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (state_fd < 0) {
		buf_printf(err, "cannot create %s: %s", state_tmp, strerror(errno));
		goto out;
	}
	if (qmp_exec(&q, "getfd", json_pack("{s:s}", "fdname", "snap"), state_fd, QMP_TIMEOUT_MS, NULL,
		     err) < 0 ||
	    qmp_exec(&q, "migrate", json_pack("{s:s}", "uri", "fd:snap"), -1, QMP_TIMEOUT_MS, NULL, err) < 0 ||
	    qmp_wait_migration(&q, SAVE_TIMEOUT_MS, err) < 0)
		goto out;
	if (fsync(state_fd) < 0) {
		buf_printf(err, "cannot write %s: %s", state_tmp, strerror(errno));
		goto out;
	}
	struct buf ignore = {0};
	qmp_exec(&q, "quit", NULL, -1, QMP_TIMEOUT_MS, NULL, &ignore); /* may close first */
	buf_free(&ignore);
	int st;
	if (wait_pid_timeout(pid, QUIT_TIMEOUT_MS, &st) != 0)
		vm_kill(pid, NULL);
	pid = -1;
	rc = 0;
out:
	if (rc < 0 && pid > 0) {
		vm_kill(pid, NULL);
		/* what the guest said helps more than "not ready" */
		char *text = NULL;
		size_t len = 0;
		if (read_file(con, &text, &len) == 0 && len) {
			size_t from = len > 600 ? len - 600 : 0;
			buf_printf(err, "; console ends with: %s", text + from);
		}
		free(text);
	}
	qmp_close(&q);
	if (ctl_fd >= 0)
		close(ctl_fd);
	if (state_fd >= 0)
		close(state_fd);
	for (size_t i = 0; i < in->n_disks; i++)
		free(disks[i]);
	free(con);
	free(str);
	free(ctl);
	free(qs);
	free(qlog);
	return rc;
}

static void write_meta(const char *path, const struct snap_inputs *in, const char *key, double boot_s,
		       double total_s)
{
	json_t *d = json_array();
	for (size_t i = 0; i < in->n_disks; i++)
		json_array_append_new(d, json_integer(in->disk_mb[i]));
	json_t *m = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:s,s:f,s:f}", "format", SNAP_FORMAT,
			      "key", key, "image", in->image, "append", in->append, "accel", in->accel,
			      "qemu", qemu_version(), "ram_mb", (json_int_t)in->ram_mb, "cpus",
			      (json_int_t)in->cpus, "disks_mb", d, "created_by", OOMLAB_VERSION,
			      "boot_s", boot_s, "build_s", total_s);
	json_object_set_new(m, "cpu", in->cpu ? json_string(in->cpu) : json_null());
	if (json_write_atomic(path, m) < 0)
		log_warn("cannot write %s: %s", path, strerror(errno));
	json_decref(m);
}

size_t snapshot_prune_pick(const struct snap_entry *e, size_t n, long long cap_bytes, const char *keep_key,
			   size_t *victims)
{
	long long total = 0;
	for (size_t i = 0; i < n; i++)
		total += e[i].bytes;
	size_t nv = 0;
	char *taken = xcalloc(n ? n : 1, 1);
	while (total > cap_bytes) {
		size_t oldest = n;
		for (size_t i = 0; i < n; i++)
			if (!taken[i] && strcmp(e[i].key, keep_key) &&
			    (oldest == n || e[i].used_ns < e[oldest].used_ns))
				oldest = i;
		if (oldest == n)
			break; /* only the one to keep is left */
		taken[oldest] = 1;
		victims[nv++] = oldest;
		total -= e[oldest].bytes;
	}
	free(taken);
	return nv;
}

static long long cache_cap_bytes(void)
{
	const char *v = getenv("OOMLAB_SNAPSHOT_CACHE_MB");
	long long mb;
	if (!v || !*v || parse_ll(v, &mb) < 0 || mb < 0)
		mb = SNAP_CACHE_MB_DEFAULT;
	return mb * 1024 * 1024;
}

/* Remove least recently used snapshots beyond the cache's cap. A worker
 * that found one of them but has not opened it yet falls back to a cold
 * boot (warm_fallback says so); one that has it open keeps reading it. */
static void prune(const char *dir, const char *keep_key)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct snap_entry *e = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l != 64 + 6 || strcmp(de->d_name + 64, ".state"))
			continue;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, 0) < 0)
			continue;
		e = xrealloc(e, (n + 1) * sizeof *e);
		memcpy(e[n].key, de->d_name, 64);
		e[n].key[64] = 0;
		e[n].bytes = (long long)st.st_blocks * 512;
		e[n].used_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
		n++;
	}
	closedir(d);
	size_t *v = xcalloc(n ? n : 1, sizeof *v);
	size_t nv = snapshot_prune_pick(e, n, cache_cap_bytes(), keep_key, v);
	static const char *const exts[] = {".state", ".json", ".lock"};
	for (size_t i = 0; i < nv; i++) {
		for (size_t x = 0; x < ARRAY_SIZE(exts); x++) {
			char *p = xasprintf("%s/%s%s", dir, e[v[i]].key, exts[x]);
			unlink(p);
			free(p);
		}
		log_info("snapshot cache: removed %.12s (%lld MB, least recently used)", e[v[i]].key,
			 e[v[i]].bytes >> 20);
	}
	free(v);
	free(e);
}

int snapshot_get(const struct snap_inputs *in, const char *tmp_root, int timeout_s,
		 struct snapshot *out, struct buf *err)
{
	if (in->n_disks > SNAP_DISKS_MAX) {
		buf_printf(err, "snapshot: %zu disks (at most %d)", in->n_disks, SNAP_DISKS_MAX);
		return -1;
	}
	char key[65];
	if (snapshot_key(in, key, err) < 0)
		return -1;
	char *dir = snapshot_dir();
	char *state = xasprintf("%s/%s.state", dir, key);
	char *lock = xasprintf("%s/%s.lock", dir, key);
	char *meta = xasprintf("%s/%s.json", dir, key);
	char *state_tmp = xasprintf("%s.tmp.%ld", state, (long)getpid());
	char *bdir = NULL;
	int lfd = -1, rc = -1, built = 0;
	double t0 = now_s(), boot_s = 0;
	if (path_exists(state))
		goto found;
	if (mkdir_p(dir, 0755) < 0) {
		buf_printf(err, "cannot create the snapshot dir %s: %s", dir, strerror(errno));
		goto out;
	}
	lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lfd < 0) {
		buf_printf(err, "cannot open %s: %s", lock, strerror(errno));
		goto out;
	}
	/* one builder; the others wait here (the builder is bounded by its
	 * own timeouts) and then find the file */
	while (flock(lfd, LOCK_EX) < 0) {
		if (errno != EINTR || vm_stop_requested) {
			buf_printf(err, "cannot lock %s: %s", lock, strerror(errno));
			goto out;
		}
	}
	if (path_exists(state))
		goto found;
	bdir = xasprintf("%s/oomlab-snap-XXXXXX", tmp_root);
	if (!mkdtemp(bdir)) {
		buf_printf(err, "cannot create a temp dir %s: %s", bdir, strerror(errno));
		free(bdir);
		bdir = NULL;
		goto out;
	}
	if (build(in, bdir, state_tmp, timeout_s, &boot_s, err) < 0) {
		unlink(state_tmp);
		goto out;
	}
	if (rename(state_tmp, state) < 0) {
		buf_printf(err, "cannot rename %s: %s", state_tmp, strerror(errno));
		unlink(state_tmp);
		goto out;
	}
	built = 1;
	write_meta(meta, in, key, boot_s, now_s() - t0);
	prune(dir, key);
found:
	/* its mtime is its last use: the prune keeps what is in use */
	if (!built)
		utimensat(AT_FDCWD, state, NULL, 0);
	memcpy(out->key, key, sizeof key);
	out->state = state;
	state = NULL;
	out->built = built;
	out->build_s = built ? now_s() - t0 : 0;
	out->wait_s = now_s() - t0;
	rc = 0;
out:
	if (rc < 0)
		buf_printf(err, " (snapshot %.12s in %s)", key, dir);
	if (lfd >= 0)
		close(lfd); /* drops the lock */
	if (bdir)
		rm_rf(bdir);
	free(bdir);
	free(dir);
	free(state);
	free(lock);
	free(meta);
	free(state_tmp);
	return rc;
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	free(s->state);
	s->state = NULL;
}
