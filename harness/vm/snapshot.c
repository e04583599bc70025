// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/snapshot.h"
#include "vm/shmring.h"
#include "proto/cellconf.h"
#include "lib/excerpt.h"
#include "lib/jsonx.h"
#include "lib/newfile.h"
#include "lib/paths.h"
#include "vm/qmp.h"
#include "lib/sha256.h"
#include "lib/spawn.h"
#include "vm/snapcheck.h"
#include "vm/vm.h"
#include "vm/warm.h"

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

/* /2: warmed up, quiet, stopped while halted, checked (docs/warm-starts.md);
 * the guest's RAM in the state, copied in by every restore */
#define SNAP_FORMAT "oomlab-snapshot/2"
/* /3: the same, with the guest's RAM in <key>.ram (saved with
 * x-ignore-shared: the state holds only the devices), mapped privately by
 * every restore */
#define SNAP_FORMAT_RAM "oomlab-snapshot/3"
#define QMP_TIMEOUT_MS 10000
#define SAVE_TIMEOUT_MS 120000
#define QUIT_TIMEOUT_MS 10000
#define HALT_LOOK_S 30      /* stop-look-cont until the vCPU is seen halted */
#define BUILD_ATTEMPTS 2    /* a build whose check fails is made once more */

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

static const char *snap_format(const struct snap_inputs *in)
{
	return in->ram_file ? SNAP_FORMAT_RAM : SNAP_FORMAT;
}

char *snapshot_ram_name(const char *state)
{
	size_t n = strlen(state);
	if (n >= 6 && !strcmp(state + n - 6, ".state"))
		return xasprintf("%.*s.ram", (int)(n - 6), state);
	return xasprintf("%s.ram", state);
}

int snapshot_key(const struct snap_inputs *in, char key[65], struct buf *err)
{
	struct sha256 h, f;
	char d[65];
	sha256_init(&h);
	struct buf t = {0};
	buf_printf(&t, "%s\nqemu=%s\naccel=%s\nram_mb=%lld\ncpus=%lld\nappend=%s\n", snap_format(in),
		   qemu_version(), in->accel, in->ram_mb, in->cpus, in->append);
	if (in->cpu) /* KVM passes the host's CPU through: a snapshot fits only that one */
		buf_printf(&t, "cpu=%s\n", in->cpu);
	buf_printf(&t, "disks=");
	for (size_t i = 0; i < in->n_disks; i++)
		buf_printf(&t, "%s%lld", i ? "," : "", in->disk_mb[i]);
	if (in->shm) /* another device: another VM (absent, the key is as before) */
		buf_printf(&t, "\nshm=ivshmem-plain");
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
	return vm_make_disk(path, mb, err);
}

int snapshot_all_halted(const char *text)
{
	int seen = 0;
	for (const char *p = text; p && (p = strstr(p, "HLT=")); p += 4) {
		if (p[4] != '1')
			return 0;
		seen = 1;
	}
	return seen;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Stop the VM at a moment every vCPU is halted (the guest idles, nothing
 * half done in it): stop, look, and if one runs, cont and look again a
 * few ms later. Returns how many looks it took, or -1 (err). */
static int stop_halted(struct qmp *q, struct buf *err)
{
	double end = now_s() + HALT_LOOK_S;
	for (int looks = 1;; looks++) {
		json_t *ret = NULL;
		if (qmp_exec(q, "stop", NULL, -1, QMP_TIMEOUT_MS, NULL, err) < 0 ||
		    qmp_exec(q, "human-monitor-command", json_pack("{s:s}", "command-line", "info registers -a"),
			     -1, QMP_TIMEOUT_MS, &ret, err) < 0)
			return -1;
		int halted = snapshot_all_halted(json_string_value(ret));
		json_decref(ret);
		if (halted)
			return looks;
		if (now_s() > end || vm_stop_requested) {
			buf_printf(err, "the guest's vCPU was never seen halted (%d looks in %d s)", looks, HALT_LOOK_S);
			return -1;
		}
		if (qmp_exec(q, "cont", NULL, -1, QMP_TIMEOUT_MS, NULL, err) < 0)
			return -1;
		sleep_ms(1 + looks % 7); /* not in step with a periodic tick */
	}
}

/* What the agent said in its ready line (cellconf.h), for <key>.json. */
struct ready {
	long long quiet_ms, others_us;
	int halt_looks;
};

static int parse_ready(const char *line, struct ready *r, struct buf *err)
{
	char *busy = warm_line_value(line, "busy");
	char *q = warm_line_value(line, "quiet_ms"), *o = warm_line_value(line, "others_us");
	int rc = -1;
	if (busy)
		buf_printf(err, "the guest did not get quiet in %d s (busy: %s)", CTL_QUIET_MAX_MS / 1000, busy);
	else if (!q || !o || parse_ll(q, &r->quiet_ms) < 0 || parse_ll(o, &r->others_us) < 0)
		buf_printf(err, "a ready line the harness does not know: %.100s", line);
	else
		rc = 0;
	free(busy);
	free(q);
	free(o);
	return rc;
}

/* A new file of mb MiB at path for the guest's RAM (sparse: what the
 * guest never touches takes no disk), open for QEMU to inherit. fd or -1
 * (err). */
static int make_ram_file(const char *path, long long mb, struct buf *err)
{
	int fd = file_create(path, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)mb * 1024 * 1024) < 0 || fcntl(fd, F_SETFD, 0) < 0) {
		buf_printf(err, "cannot create the RAM file %s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		return -1;
	}
	return fd;
}

/* Boot, warm up, wait for the agent's ready line (quiet), stop while
 * halted, save into state_tmp, quit. With ram_tmp (snap_inputs.ram_file)
 * the guest's RAM is that file, shared (the guest writes it), and the
 * save leaves it out of the state (x-ignore-shared). */
static int build(const struct snap_inputs *in, const char *dir, const char *state_tmp, const char *ram_tmp,
		 int timeout_s, double *boot_s, struct ready *rd, struct buf *err)
{
	char *con = xasprintf("%s/console.log", dir), *str = xasprintf("%s/stream", dir);
	char *ctl = xasprintf("%s/ctl", dir), *qs = xasprintf("%s/qmp", dir);
	char *qlog = xasprintf("%s/qemu.log", dir);
	char *disks[SNAP_DISKS_MAX] = {0};
	char *line = NULL, *warmup = NULL;
	size_t warmup_len = 0;
	char *ram_path = NULL;
	struct qmp q = QMP_INIT;
	int ctl_fd = -1, state_fd = -1, ram_fd = -1, shm_fd = -1, rc = -1;
	char *shm_path = NULL;
	pid_t pid = -1;
	/* the ring's region: the agent maps it now (a restore finds it
	 * mapped) but writes nothing before a cell's description arrives,
	 * so the snapshot holds it empty */
	if (in->shm && (shm_fd = shmring_create()) < 0) {
		buf_printf(err, "cannot create the stream's ring: %s", strerror(errno));
		goto out;
	}
	if (shm_fd >= 0)
		shm_path = xasprintf("/dev/fd/%d", shm_fd);
	for (size_t i = 0; i < in->n_disks; i++) {
		disks[i] = xasprintf("%s/disk%zu.img", dir, i);
		if (snapshot_make_disk(disks[i], in->disk_mb[i], err) < 0)
			goto out;
	}
	if (ram_tmp) {
		if ((ram_fd = make_ram_file(ram_tmp, in->ram_mb, err)) < 0)
			goto out;
		ram_path = xasprintf("/dev/fd/%d", ram_fd);
	}
	/* disk 0 is the swap disk slot: vm_argv attaches swap_disk first */
	struct vm_spec vs = {
		.accel = in->accel, .image = in->image, .initrd = in->initrd, .append = in->append,
		.ram_mb = in->ram_mb, .cpus = in->cpus, .console_path = con, .stream_path = str,
		.data_disks = (const char *const *)disks, .n_data_disks = in->n_disks,
		.qemu_log = qlog, .ctl_sock = ctl, .qmp_sock = qs, .ram_path = ram_path, .ram_share = 1,
		.shm_path = shm_path,
	};
	double t0 = now_s(), end = t0 + timeout_s;
	if (vm_spawn(&vs, &pid, err) < 0) {
		pid = -1;
		goto out;
	}
	ctl_fd = unix_connect_wait(ctl, QMP_TIMEOUT_MS, err);
	if (ctl_fd < 0 || warm_wait_line(ctl_fd, end, CTL_PRIME, &line, err) < 0)
		goto out;
	/* the warm-up: the way a cell description will take, once, before
	 * the snapshot */
	warmup = warm_probe_frame(CTL_PROBE_WARMUP, &warmup_len);
	if (send_full(ctl_fd, warmup, warmup_len) < 0) {
		buf_printf(err, "cannot send the warm-up probe: %s", strerror(errno));
		goto out;
	}
	free(line);
	line = NULL;
	if (warm_wait_line(ctl_fd, end + CTL_QUIET_MAX_MS / 1000, CTL_READY, &line, err) < 0 ||
	    parse_ready(line, rd, err) < 0)
		goto out;
	*boot_s = now_s() - t0;
	if (qmp_open(&q, qs, QMP_TIMEOUT_MS, err) < 0 || (rd->halt_looks = stop_halted(&q, err)) < 0 ||
	    qmp_migration_events(&q, QMP_TIMEOUT_MS, err) < 0 ||
	    qmp_exec(&q, "migrate-set-parameters", json_pack("{s:I}", "max-bandwidth", (json_int_t)1 << 40),
		     -1, QMP_TIMEOUT_MS, NULL, err) < 0 ||
	    (ram_tmp && warm_ignore_shared(&q, err) < 0))
		goto out;
	state_fd = file_create(state_tmp, 0644);
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
	/* the RAM is as durable as the state: a host crash must not leave a
	 * state with half its RAM */
	if (ram_fd >= 0 && fsync(ram_fd) < 0) {
		buf_printf(err, "cannot write %s: %s", ram_tmp, strerror(errno));
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
		if (read_file_tail(con, 1 << 20, &text, &len) == 0 && len) {
			char *ex = console_excerpt(text, len, 8);
			buf_printf(err, "; console ends with: %s", ex);
			free(ex);
		}
		free(text);
	}
	qmp_close(&q);
	if (ctl_fd >= 0)
		close(ctl_fd);
	if (state_fd >= 0)
		close(state_fd);
	if (ram_fd >= 0)
		close(ram_fd);
	if (shm_fd >= 0)
		close(shm_fd);
	free(shm_path);
	free(ram_path);
	for (size_t i = 0; i < in->n_disks; i++)
		free(disks[i]);
	free(line);
	free(warmup);
	free(con);
	free(str);
	free(ctl);
	free(qs);
	free(qlog);
	return rc;
}

/* How a snapshot was made and checked, for <key>.json. */
struct made {
	double boot_s, total_s;
	struct ready rd;
	int checks;          /* restores that answered */
	long check_tasks;    /* most tasks started between the snapshot and an answer */
	double check_s;      /* host time of the checks */
	int builds;          /* builds it took (a failed check makes another) */
};

static void write_meta(const char *path, const struct snap_inputs *in, const char *key, const struct made *m)
{
	json_t *d = json_array();
	for (size_t i = 0; i < in->n_disks; i++)
		json_array_append_new(d, json_integer(in->disk_mb[i]));
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:s,s:f,s:f}", "format", snap_format(in),
			      "key", key, "image", in->image, "append", in->append, "accel", in->accel,
			      "qemu", qemu_version(), "ram_mb", (json_int_t)in->ram_mb, "cpus",
			      (json_int_t)in->cpus, "disks_mb", d, "created_by", OOMLAB_VERSION,
			      "boot_s", m->boot_s, "build_s", m->total_s);
	json_object_set_new(j, "cpu", in->cpu ? json_string(in->cpu) : json_null());
	json_object_set_new(j, "ram", json_string(in->ram_file ? "file" : "state"));
	json_object_set_new(j, "quiet", json_pack("{s:I,s:I,s:i}", "quiet_ms", (json_int_t)m->rd.quiet_ms,
						  "others_us", (json_int_t)m->rd.others_us, "halt_looks",
						  m->rd.halt_looks));
	json_object_set_new(j, "checks", json_pack("{s:i,s:I,s:f,s:i}", "restores", m->checks, "max_tasks",
						   (json_int_t)m->check_tasks, "s", m->check_s, "builds",
						   m->builds));
	if (json_write_atomic(path, j) < 0)
		log_warn("cannot write %s: %s", path, strerror(errno));
	json_decref(j);
}

static int env_count(const char *name, int def)
{
	const char *v = getenv(name);
	long long n;
	if (!v || !*v || parse_ll(v, &n) < 0 || n < 0 || n > 10000)
		return def;
	return (int)n;
}

/* Count the lines of a small file (0: none or no file). */
static int count_lines(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int n = 0;
	if (read_file(path, &text, &len) == 0)
		for (size_t i = 0; i < len; i++)
			n += text[i] == '\n';
	free(text);
	return n;
}

/* Append one line (why, on one line) to path. 0 or -1. */
static int append_line(const char *path, const char *why)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -1;
	struct buf b = {0};
	time_t t = time(NULL);
	buf_printf(&b, "%lld ", (long long)t);
	for (const char *p = why; *p && b.len < 400; p++)
		buf_append(&b, *p == '\n' || *p == '\r' ? " " : p, 1);
	buf_append(&b, "\n", 1);
	int rc = write_full(fd, b.data, b.len); /* one write: O_APPEND keeps lines whole */
	close(fd);
	buf_free(&b);
	return rc;
}

int snapshot_quarantines(const char *dir, const char *key)
{
	char *p = xasprintf("%s/%s.quarantines", dir, key);
	int n = count_lines(p);
	free(p);
	return n;
}

/* Move the state at from (and its RAM file, after it) to to (and to's
 * RAM name); a RAM file of an older to that the new one lacks goes. 0 or
 * -1 (errno: no state at from). */
static int move_snapshot(const char *from, const char *to)
{
	if (rename(from, to) < 0)
		return -1;
	char *fr = snapshot_ram_name(from), *tr = snapshot_ram_name(to);
	if (rename(fr, tr) < 0)
		unlink(tr);
	free(fr);
	free(tr);
	return 0;
}

int snapshot_quarantine(const char *dir, const char *key, const char *why)
{
	char *state = xasprintf("%s/%s.state", dir, key), *q = xasprintf("%s/%s.quarantined", dir, key);
	char *cnt = xasprintf("%s/%s.quarantines", dir, key), *crashes = xasprintf("%s/%s.crashes", dir, key);
	int rc = move_snapshot(state, q);
	if (rc == 0) {
		append_line(cnt, why);
		unlink(crashes); /* the next snapshot starts with none */
		log_warn("snapshot %.12s quarantined (%s); the next warm cell builds a new one", key, why);
	}
	free(state);
	free(q);
	free(cnt);
	free(crashes);
	return rc;
}

int snapshot_restore_crashed(const char *key, const char *why)
{
	char *dir = snapshot_dir();
	char *crashes = xasprintf("%s/%s.crashes", dir, key);
	int quarantined = 0;
	if (append_line(crashes, why) < 0)
		log_warn("cannot write %s: %s", crashes, strerror(errno));
	int n = count_lines(crashes), limit = env_count("OOMLAB_SNAPSHOT_CRASH_LIMIT", SNAP_CRASH_LIMIT_DEFAULT);
	if (limit > 0 && n >= limit) {
		char *r = xasprintf("%d restores crashed the guest, the last: %s", n, why);
		quarantined = snapshot_quarantine(dir, key, r) == 0;
		free(r);
	}
	free(crashes);
	free(dir);
	return quarantined;
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

/* The snapshot files of a cache dir: "<64 hex>" then one of these. A
 * state and its RAM file are one entry (their bytes summed, the state's
 * mtime its last use); a RAM file without its state (a build or a removal
 * killed between its two steps) is one of its own. */
static const struct {
	const char *ext;
	int ram;          /* a RAM file: of the state named by state_ext */
	const char *state_ext;
} snap_files[] = {
	{".state", 0, NULL},
	{".quarantined", 0, NULL},
	{".ram", 1, ".state"},
	{".quarantined.ram", 1, ".quarantined"},
};

/* Which of snap_files name is (its index), or -1. */
static int snap_file_kind(const char *name)
{
	size_t l = strlen(name);
	if (l <= 64)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(snap_files); i++)
		if (!strcmp(name + 64, snap_files[i].ext))
			return (int)i;
	return -1;
}

static long long file_bytes(int dfd, const char *name, long long *mtime_ns)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (mtime_ns)
		*mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	return (long long)st.st_blocks * 512;
}

/* Remove least recently used snapshots (and quarantined ones) beyond the
 * cache's cap; <key>.quarantines stays (it stops rebuilds). A worker
 * that found one of them but has not opened it yet falls back to a cold
 * boot (warm_fallback says so); one that has it open keeps reading it
 * (a QEMU that mapped a RAM file keeps it mapped). A state goes before
 * its RAM file. */
void snapshot_prune(const char *dir, const char *keep_key)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct snap_entry *e = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		int k = snap_file_kind(de->d_name);
		if (k < 0)
			continue;
		long long used = 0, bytes = file_bytes(dirfd(d), de->d_name, &used);
		if (bytes < 0)
			continue;
		char *partner = xasprintf("%.64s%s", de->d_name,
					  snap_files[k].ram ? snap_files[k].state_ext : snap_files[k].ext);
		if (snap_files[k].ram) {
			int counted = file_bytes(dirfd(d), partner, NULL) >= 0; /* with its state */
			free(partner);
			if (counted)
				continue;
		} else {
			char *ram = snapshot_ram_name(partner);
			long long rb = file_bytes(dirfd(d), ram, NULL);
			bytes += rb > 0 ? rb : 0;
			free(ram);
			free(partner);
		}
		e = xrealloc(e, (n + 1) * sizeof *e);
		memcpy(e[n].key, de->d_name, 64);
		e[n].key[64] = 0;
		e[n].bytes = bytes;
		e[n].used_ns = used;
		n++;
	}
	closedir(d);
	size_t *v = xcalloc(n ? n : 1, sizeof *v);
	size_t nv = snapshot_prune_pick(e, n, cache_cap_bytes(), keep_key, v);
	/* every file of the key; each state before its RAM */
	static const char *const exts[] = {".state", ".ram", ".json", ".lock", ".quarantined",
					   ".quarantined.ram", ".crashes"};
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

/* Restore the new state checks times; each must answer. 0, or -1 with
 * err (which restore, what went wrong, the console's crash lines). */
static int check(const struct snap_inputs *in, const char *state, const char *ram, const char *dir, int checks,
		 struct made *m, struct buf *err)
{
	double t0 = now_s();
	m->checks = 0;
	m->check_tasks = -1;
	for (int i = 1; i <= checks; i++) {
		struct snap_check c;
		struct buf e = {0};
		int r = snapshot_check(in, state, ram, dir, &c, &e);
		if (r == 0) {
			m->checks++;
			if (c.tasks > m->check_tasks)
				m->check_tasks = c.tasks;
		} else {
			buf_printf(err, "check %d of %d: %s", i, checks, e.data ? e.data : "?");
			if (c.console && *c.console)
				buf_printf(err, "; console: %s", c.console);
		}
		snap_check_free(&c);
		buf_free(&e);
		if (r < 0) {
			m->check_s = now_s() - t0;
			return -1;
		}
	}
	m->check_s = now_s() - t0;
	return 0;
}

/* A state there, and its RAM file when it has one (a state whose RAM
 * went is built anew, over it). */
static int snapshot_whole(const char *state, const char *ram)
{
	return path_exists(state) && (!ram || path_exists(ram));
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
	char *state_tmp = file_tmp_name(state);
	/* the RAM files go with their states: <key>.ram, <state_tmp>.ram */
	char *ram = in->ram_file ? snapshot_ram_name(state) : NULL;
	char *ram_tmp = in->ram_file ? snapshot_ram_name(state_tmp) : NULL;
	char *bdir = NULL;
	int lfd = -1, rc = -1, built = 0;
	double t0 = now_s();
	struct made m = {0};
	if (snapshot_whole(state, ram))
		goto found;
	if (mkdir_p(dir, 0755) < 0) {
		buf_printf(err, "cannot create the snapshot dir %s: %s", dir, strerror(errno));
		goto out;
	}
	lfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
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
	if (snapshot_whole(state, ram))
		goto found;
	int nq = snapshot_quarantines(dir, key);
	if (nq >= SNAP_QUARANTINE_MAX) {
		buf_printf(err, "no more snapshots of these inputs: %d of them crashed the guest after a restore "
				"(%s.quarantines; remove it to try again)", nq, key);
		goto out;
	}
	if (ram && path_exists(state))
		unlink(state); /* its RAM went: nobody must pair it with the new one */
	bdir = xasprintf("%s/oomlab-snap-XXXXXX", tmp_root);
	if (!mkdtemp(bdir)) {
		buf_printf(err, "cannot create a temp dir %s: %s", bdir, strerror(errno));
		free(bdir);
		bdir = NULL;
		goto out;
	}
	int checks = env_count("OOMLAB_SNAPSHOT_CHECKS", SNAP_CHECKS_DEFAULT);
	for (m.builds = 1;; m.builds++) {
		struct buf e = {0};
		if (build(in, bdir, state_tmp, ram_tmp, timeout_s > SNAP_BOOT_MIN_S ? timeout_s : SNAP_BOOT_MIN_S,
			  &m.boot_s, &m.rd, err) < 0) {
			unlink(state_tmp);
			if (ram_tmp)
				unlink(ram_tmp);
			buf_free(&e);
			goto out;
		}
		if (check(in, state_tmp, ram_tmp, bdir, checks, &m, &e) == 0) {
			buf_free(&e);
			break;
		}
		/* keep the state that failed to replay it; build once more */
		char *q = xasprintf("%s/%s.quarantined", dir, key), *cnt = xasprintf("%s/%s.quarantines", dir, key);
		if (move_snapshot(state_tmp, q) < 0)
			unlink(state_tmp);
		if (ram_tmp)
			unlink(ram_tmp); /* left when the move failed */
		append_line(cnt, e.data ? e.data : "a check failed");
		log_warn("snapshot %.12s failed its check, quarantined: %s", key, e.data ? e.data : "?");
		free(q);
		free(cnt);
		if (m.builds >= BUILD_ATTEMPTS) {
			buf_printf(err, "the snapshot failed its check after %d builds: %s", m.builds,
				   e.data ? e.data : "?");
			buf_free(&e);
			goto out;
		}
		buf_free(&e);
	}
	/* the RAM first: whoever finds the state finds its RAM */
	if ((ram && rename(ram_tmp, ram) < 0) || rename(state_tmp, state) < 0) {
		buf_printf(err, "cannot rename %s: %s", state_tmp, strerror(errno));
		unlink(state_tmp);
		if (ram) {
			unlink(ram_tmp);
			unlink(ram); /* no state: nobody maps it */
		}
		goto out;
	}
	built = 1;
	m.total_s = now_s() - t0;
	write_meta(meta, in, key, &m);
	snapshot_prune(dir, key);
found:
	/* its mtime is its last use: the prune keeps what is in use */
	if (!built)
		utimensat(AT_FDCWD, state, NULL, 0);
	memcpy(out->key, key, sizeof key);
	out->state = state;
	state = NULL;
	out->ram = ram;
	ram = NULL;
	out->built = built;
	out->build_s = built ? now_s() - t0 : 0;
	rc = 0;
out:
	out->wait_s = now_s() - t0;
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
	free(ram);
	free(ram_tmp);
	return rc;
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	free(s->state);
	s->state = NULL;
	free(s->ram);
	s->ram = NULL;
}

int snapshot_open(const struct snapshot *s, int *state_fd, int *ram_fd, struct buf *err)
{
	*state_fd = *ram_fd = -1;
	int sfd = open(s->state, O_RDONLY | O_CLOEXEC), rfd = -1;
	if (sfd < 0) {
		buf_printf(err, "cannot open the snapshot %s: %s", s->state, strerror(errno));
		return -1;
	}
	if (s->ram) {
		/* not O_CLOEXEC: QEMU maps it as /dev/fd/N */
		rfd = open(s->ram, O_RDONLY);
		struct stat a, b;
		if (rfd < 0) {
			buf_printf(err, "cannot open the snapshot's RAM %s: %s", s->ram, strerror(errno));
		} else if (fstat(sfd, &a) < 0 || stat(s->state, &b) < 0 || a.st_ino != b.st_ino ||
			   a.st_dev != b.st_dev) {
			buf_printf(err, "the snapshot %s was replaced while it was opened", s->state);
		} else {
			*ram_fd = rfd;
			rfd = -1;
		}
		if (*ram_fd < 0) {
			if (rfd >= 0)
				close(rfd);
			close(sfd);
			return -1;
		}
	}
	*state_fd = sfd;
	return 0;
}
