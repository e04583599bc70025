// SPDX-License-Identifier: GPL-2.0-or-later
/* Everything the agent does before the first workload starts: mounts,
 * the hello record, self-protection, module loading, knobs and swap. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "proto/cellconf.h"

#define STALL_FILE_MS 2000
#define SWAP_MAX_PAGE 65536

static const struct mnt {
	const char *src, *dir, *type;
	unsigned long flags;
	const char *data;
} mounts[] = {
	{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755" },
	{ "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777" },
};

static int mount_err[ARRAY_SIZE(mounts)];
static char rd_buf[8192];
static unsigned char swap_page[SWAP_MAX_PAGE];

void setup_mounts(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(mounts); i++) {
		const struct mnt *m = &mounts[i];

		mkdir(m->dir, 0755);
		mount_err[i] = 0;
		if (mount(m->src, m->dir, m->type, m->flags, m->data) < 0 && errno != EBUSY)
			mount_err[i] = errno;
	}
}

void setup_log_mounts(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(mounts); i++) {
		if (mount_err[i])
			alog("mount %s on %s: %s", mounts[i].type, mounts[i].dir,
			     strerror(mount_err[i]));
	}
}

/* PID 1 may start with fds 0-2 closed (no /dev/console in the initramfs);
 * fill them so pipes never land there. */
void setup_stdio(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		nfd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (nfd < 0)
			nfd = open("/dev/null", O_RDWR);
		if (nfd >= 0 && nfd != fd) {
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

/* Read a small file into rd_buf, NUL-terminated. Returns length or -1. */
static ssize_t read_small(const char *path)
{
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (len < sizeof(rd_buf) - 1) {
		ssize_t n = read_retry(fd, rd_buf + len, sizeof(rd_buf) - 1 - len);

		if (n < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	rd_buf[len] = '\0';
	return (ssize_t)len;
}

/* Trailing newlines go; inner ones become spaces (payloads are k=v lines). */
static void one_line(char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == '\n')
		s[--n] = '\0';
	for (char *p = s; *p; p++) {
		if (*p == '\n')
			*p = ' ';
	}
}

void setup_hello(void)
{
	struct utsname u;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	if (read_small("/proc/cmdline") < 0)
		rd_buf[0] = '\0';
	one_line(rd_buf);
	emitf(STREAM_KIND_HELLO,
	      "agent=%s\nrelease=%s\nversion=%s\nmachine=%s\ncpus=%ld\npage_size=%ld\ncmdline=%s\n",
	      AGENT_VERSION, u.release, u.version, u.machine, cpus, sysconf(_SC_PAGESIZE), rd_buf);
}

/* OOM-immune and resident. Locks are not inherited across fork/exec, and
 * each child sets its own oom_score_adj (run.c). */
void setup_protect(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write_full(fd, "-1000", 5, STALL_FILE_MS) < 0)
		alog("protect: oom_score_adj -1000: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		alog("protect: mlockall: %s", strerror(errno));
}

void setup_modules(const struct cell *c)
{
	for (int i = 0; i < c->n_modules; i++) {
		const char *path = c->modules[i];
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		long r;

		if (fd < 0) {
			alog("module %s: open: %s", path, strerror(errno));
			continue;
		}
		r = syscall(SYS_finit_module, fd, "", 0);
		if (r == 0)
			alog("module %s: loaded", path);
		else if (errno == EEXIST)
			alog("module %s: already loaded", path);
		else
			alog("module %s: error: %s", path, strerror(errno));
		close(fd);
		kmsg_drain(64);
	}
}

/* Write text to path; returns 0 or the errno of the failure. */
static int write_text(const char *path, const char *text)
{
	int err = 0;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	if (write_full(fd, text, strlen(text), STALL_FILE_MS) < 0)
		err = errno;
	close(fd);
	return err;
}

static char cg_path[CGROUP_NAME_MAX + 64];

static int cg_has_children(const struct cell *c, int i)
{
	size_t n = strlen(c->cgroups[i]);

	for (int j = 0; j < c->n_cgroups; j++) {
		if (!strncmp(c->cgroups[j], c->cgroups[i], n) && c->cgroups[j][n] == '/')
			return 1;
	}
	return 0;
}

/* cgroup2 on GUEST_CGROUP_DIR, +memory in the root's subtree_control,
 * then each group (a parent first: cellconf.h), +memory in the
 * subtree_control of a group with children. The agent stays in the root
 * group. Nothing is undone on failure: the cell ends here (bye error). */
int setup_cgroups(const struct cell *c)
{
	const char *what = cg_path;
	int err = 0;

	if (!c->n_cgroups)
		return 0;
	mkdir(GUEST_CGROUP_DIR, 0755);
	if (mount("cgroup2", GUEST_CGROUP_DIR, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
	    errno != EBUSY) {
		err = errno;
		what = "mount cgroup2 on " GUEST_CGROUP_DIR;
		goto fail;
	}
	snprintf(cg_path, sizeof(cg_path), "%s/cgroup.subtree_control", GUEST_CGROUP_DIR);
	if ((err = write_text(cg_path, "+memory")))
		goto fail;
	for (int i = 0; i < c->n_cgroups; i++) {
		snprintf(cg_path, sizeof(cg_path), "%s/%s", GUEST_CGROUP_DIR, c->cgroups[i]);
		if (mkdir(cg_path, 0755) < 0) {
			err = errno;
			goto fail;
		}
		if (!cg_has_children(c, i))
			continue;
		snprintf(cg_path, sizeof(cg_path), "%s/%s/cgroup.subtree_control", GUEST_CGROUP_DIR,
			 c->cgroups[i]);
		if ((err = write_text(cg_path, "+memory")))
			goto fail;
	}
	alog("cgroup: cgroup2 on %s, +memory, %d group(s) created", GUEST_CGROUP_DIR, c->n_cgroups);
	return 0;
fail:
	alog("cgroup: %s: %s", what, strerror(err));
	return -1;
}

/* Write one knob; returns 0 or the errno of the failure. */
static int write_one(const struct knob_set *k)
{
	int err = 0;
	int fd = open(k->path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write_full(fd, k->value, strlen(k->value), STALL_FILE_MS) < 0)
		err = errno;
	close(fd);
	return err;
}

/* Read one knob back and emit its record. err: the write's errno. */
static void report_one(const struct knob_set *k, int err)
{
	if (read_small(k->path) < 0) {
		int rerr = errno;
		if (!k->value) { /* get of a file the kernel lacks */
			emitf(STREAM_KIND_KNOB, "name=%s\npath=%s\nwant=\ngot=\nstatus=absent\nerr=%s\n",
			      k->knob, k->path, strerror(rerr));
			return;
		}
		rd_buf[0] = '\0';
		if (!err)
			err = rerr;
	}
	one_line(rd_buf);
	if (!k->value) {
		emitf(STREAM_KIND_KNOB, "name=%s\npath=%s\nwant=\ngot=%s\nstatus=default\n", k->knob,
		      k->path, rd_buf);
		return;
	}
	const char *status = !err ? "ok" : err == ENOENT ? "skip" : "error";
	if (err)
		emitf(STREAM_KIND_KNOB, "name=%s\npath=%s\nwant=%s\ngot=%s\nstatus=%s\nerr=%s\n",
		      k->knob, k->path, k->value, rd_buf, status, strerror(err));
	else
		emitf(STREAM_KIND_KNOB, "name=%s\npath=%s\nwant=%s\ngot=%s\nstatus=%s\n", k->knob,
		      k->path, k->value, rd_buf, status);
}

/* All writes first, then every read-back: a knob whose write changes
 * another (overcommit_kbytes zeroes overcommit_ratio) is reported as it
 * is in force when the workloads start. */
void setup_knobs(const struct cell *c)
{
	static int errs[MAX_SETS];
	for (int i = 0; i < c->n_sets; i++)
		errs[i] = c->sets[i].value ? write_one(&c->sets[i]) : 0;
	for (int i = 0; i < c->n_sets; i++)
		report_one(&c->sets[i], errs[i]);
}

static int wait_for_node(const char *dev)
{
	struct timespec tick = { 0, SWAP_POLL_MS * 1000 * 1000 };
	uint64_t end = mono_ms() + SWAP_WAIT_MS;
	struct stat sb;

	for (;;) {
		if (stat(dev, &sb) == 0)
			return 0;
		if (mono_ms() >= end)
			return -1;
		nanosleep(&tick, NULL);
	}
}

/* mkswap: a version-1 header (linux/swap.h union swap_header) in page 0. */
static int write_swap_header(int fd, uint64_t size, long page, const char **why)
{
	uint64_t pages = size / (uint64_t)page;
	uint32_t info[3];

	if (page < 4096 || page > SWAP_MAX_PAGE) {
		*why = "unsupported page size";
		errno = EINVAL;
		return -1;
	}
	if (pages < 10) {
		*why = "device too small";
		errno = ENOSPC;
		return -1;
	}
	if (pages - 1 > UINT32_MAX)
		pages = (uint64_t)UINT32_MAX + 1;
	memset(swap_page, 0, (size_t)page);
	info[0] = 1;                       /* version */
	info[1] = (uint32_t)(pages - 1);   /* last_page */
	info[2] = 0;                       /* nr_badpages */
	memcpy(swap_page + 1024, info, sizeof(info));
	memcpy(swap_page + page - 10, "SWAPSPACE2", 10);
	*why = "write header";
	if (pwrite(fd, swap_page, (size_t)page, 0) != (ssize_t)page) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	*why = "fsync";
	return fsync(fd);
}

/* Size in kB as the kernel reports it in /proc/swaps, or 0. */
static unsigned long long swaps_size_kb(const char *dev)
{
	size_t dl = strlen(dev);
	char *line;

	if (read_small("/proc/swaps") < 0)
		return 0;
	for (line = rd_buf; line; line = strchr(line, '\n')) {
		unsigned long long kb;

		if (*line == '\n')
			line++;
		if (!strncmp(line, dev, dl) && (line[dl] == ' ' || line[dl] == '\t') &&
		    sscanf(line + dl, "%*s %llu", &kb) == 1)
			return kb;
	}
	return 0;
}

int setup_swap(const char *dev)
{
	const char *why = "device did not appear";
	uint64_t size = 0;
	unsigned long long kb;
	int fd = -1, err;

	if (wait_for_node(dev) < 0) {
		err = ENOENT;
		goto fail;
	}
	why = "open";
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		goto fail_errno;
	why = "BLKGETSIZE64";
	if (ioctl(fd, BLKGETSIZE64, &size) < 0)
		goto fail_errno;
	if (write_swap_header(fd, size, sysconf(_SC_PAGESIZE), &why) < 0)
		goto fail_errno;
	close(fd);
	fd = -1;
	why = "swapon";
	if (swapon(dev, 0) < 0)
		goto fail_errno;
	kb = swaps_size_kb(dev);
	if (!kb)
		kb = size / 1024;
	emitf(STREAM_KIND_SWAP, "dev=%s\nsize_kb=%llu\nstatus=ok\n", dev, kb);
	return 0;

fail_errno:
	err = errno;
fail:
	if (fd >= 0)
		close(fd);
	emitf(STREAM_KIND_SWAP, "dev=%s\nsize_kb=%llu\nstatus=error\nerr=%s: %s\n", dev,
	      (unsigned long long)(size / 1024), why, strerror(err));
	return -1;
}
