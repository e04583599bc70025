// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/vm.h"
#include "lib/newfile.h"
#include "lib/spawn.h"
#include "vm/capture.h"
#include "vm/shmring.h"
#include "vm/streamwatch.h"
#include "proto/shmring.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

volatile int vm_stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	vm_stop_requested = 1;
}

void vm_install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocked wait returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* QEMU option values use ',' as separator; a literal comma is doubled. */
static char *qemu_escape(const char *s)
{
	struct buf b = {0};
	for (; *s; s++) {
		if (*s == ',')
			buf_append(&b, ",", 1);
		buf_append(&b, s, 1);
	}
	if (!b.data)
		buf_append(&b, "", 0);
	return b.data;
}

struct argv_b {
	char **v;
	size_t n;
};

static void push(struct argv_b *a, char *s)
{
	a->v = xrealloc(a->v, (a->n + 2) * sizeof *a->v);
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

/* A serial port's file: by name (vm_argv), or an fd qemu gets as fd
 * set `set` (/dev/fdset/N), so that qemu never opens a name in the
 * results dir (lib/newfile.h). */
static void push_serial_file(struct argv_b *a, const char *id, const char *path, int fd, int set)
{
	char *e = qemu_escape(path);
	if (fd >= 0) {
		push(a, xstrdup("-add-fd"));
		push(a, xasprintf("fd=%d,set=%d", fd, set));
		push(a, xstrdup("-chardev"));
		push(a, xasprintf("file,id=%s,path=/dev/fdset/%d", id, set));
	} else {
		push(a, xstrdup("-chardev"));
		push(a, xasprintf("file,id=%s,path=%s", id, e));
	}
	free(e);
	push(a, xstrdup("-serial"));
	push(a, xasprintf("chardev:%s", id));
}

/* con_fd, str_fd: the console and stream files, open; -1: by name */
static char **build_argv(const struct vm_spec *s, int con_fd, int str_fd)
{
	struct argv_b a = {0};
	push(&a, xstrdup(s->qemu ? s->qemu : "qemu-system-x86_64"));
	push(&a, xstrdup("-accel"));
	push(&a, xstrdup(s->accel));
	if (!strcmp(s->accel, "kvm")) {
		push(&a, xstrdup("-cpu"));
		push(&a, xstrdup("host"));
	}
	push(&a, xstrdup("-m"));
	push(&a, xasprintf("%lld", s->ram_mb));
	push(&a, xstrdup("-smp"));
	push(&a, xasprintf("%lld", s->cpus));
	if (s->ram_path) {
		char *rp = qemu_escape(s->ram_path);
		push(&a, xstrdup("-object"));
		push(&a, xasprintf("memory-backend-file,id=ram0,size=%lldM,mem-path=%s,share=%s", s->ram_mb, rp,
				   s->ram_share ? "on" : "off"));
		push(&a, xstrdup("-machine"));
		push(&a, xstrdup("memory-backend=ram0"));
		free(rp);
	}
	static const char *const fixed[] = {"-nodefaults", "-no-user-config", "-display", "none",
					    "-no-reboot", "-monitor", "none"};
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		push(&a, xstrdup(fixed[i]));
	push(&a, xstrdup("-kernel"));
	push(&a, xstrdup(s->image));
	push(&a, xstrdup("-initrd"));
	push(&a, xstrdup(s->initrd));
	push(&a, xstrdup("-append"));
	push(&a, xstrdup(s->append));
	char *e;
	push_serial_file(&a, "con", s->console_path, con_fd, 1);
	push_serial_file(&a, "agent", s->stream_path, str_fd, 2);
	if (s->shm_path) {
		/* master=on: the region is this VM's, so it may migrate (a
		 * snapshot); share=on: the host sees the guest's writes */
		push(&a, xstrdup("-object"));
		e = qemu_escape(s->shm_path);
		push(&a, xasprintf("memory-backend-file,id=shm0,size=%d,mem-path=%s,share=on", SHMRING_SIZE, e));
		free(e);
		push(&a, xstrdup("-device"));
		push(&a, xstrdup("ivshmem-plain,memdev=shm0,master=on"));
	}
	if (s->swap_disk) {
		push(&a, xstrdup("-drive"));
		e = qemu_escape(s->swap_disk);
		push(&a, xasprintf("file=%s,format=raw,if=virtio,cache=unsafe", e));
		free(e);
	}
	/* after the swap disk: the guest names them in this order (vda, vdb...) */
	for (size_t i = 0; i < s->n_data_disks; i++) {
		push(&a, xstrdup("-drive"));
		e = qemu_escape(s->data_disks[i]);
		push(&a, xasprintf("file=%s,format=raw,if=virtio,cache=unsafe", e));
		free(e);
	}
	if (s->ctl_sock) {
		push(&a, xstrdup("-chardev"));
		e = qemu_escape(s->ctl_sock);
		push(&a, xasprintf("socket,id=ctl,path=%s,server=on,wait=off", e));
		free(e);
		push(&a, xstrdup("-serial"));
		push(&a, xstrdup("chardev:ctl"));
	}
	if (s->qmp_sock) {
		push(&a, xstrdup("-chardev"));
		e = qemu_escape(s->qmp_sock);
		push(&a, xasprintf("socket,id=qmp,path=%s,server=on,wait=off", e));
		free(e);
		push(&a, xstrdup("-mon"));
		push(&a, xstrdup("chardev=qmp,mode=control"));
	}
	if (s->incoming) {
		push(&a, xstrdup("-incoming"));
		push(&a, xstrdup("defer"));
	}
	return a.v;
}

char **vm_argv(const struct vm_spec *s)
{
	return build_argv(s, -1, -1);
}

const char *vm_end_word(const struct vm_result *r)
{
	return r->interrupted ? "interrupted"
	       : r->no_hello  ? "no_hello"
	       : r->timed_out ? "timeout"
	       : r->stopped_at_bye ? "bye"
				   : "qemu_exit";
}

void vm_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

int vm_make_disk(const char *path, long long mb, struct buf *err)
{
	int fd = file_replace(path, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)mb * 1024 * 1024) < 0) {
		buf_printf(err, "cannot create the disk image %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Start qemu with its stdout and stderr on logfd (or /dev/null), its
 * serial ports by the names in s (vm_run's pipes: /dev/fd/N). */
static int spawn_qemu(const struct vm_spec *s, int logfd, pid_t *pid, struct buf *err)
{
	char **argv = vm_argv(s);
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, logfd, logfd};
	int rc = spawn_argv(argv, &o, pid);
	if (rc < 0)
		buf_printf(err, "cannot start %s: %s", argv[0], strerror(errno));
	vm_argv_free(argv);
	return rc;
}

int vm_spawn(const struct vm_spec *s, pid_t *pid, struct buf *err)
{
	/* the console and the stream: new files, created here (whatever was
	 * at their names, a planted symlink included, is removed first) and
	 * handed to qemu open */
	int fds[2] = {-1, -1};
	const char *paths[2] = {s->console_path, s->stream_path};
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		fds[i] = file_replace(paths[i], 0644);
		if (fds[i] < 0) {
			buf_printf(err, "cannot create %s: %s", paths[i], strerror(errno));
			if (i)
				close(fds[0]);
			return -1;
		}
	}
	char **argv = build_argv(s, fds[0], fds[1]);
	int logfd = SPAWN_DEVNULL;
	if (s->qemu_log) {
		logfd = file_replace(s->qemu_log, 0644);
		if (logfd < 0)
			logfd = SPAWN_DEVNULL;
	}
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, logfd, logfd};
	int rc = spawn_argv_fds(argv, &o, fds, ARRAY_SIZE(fds), pid);
	int e = errno;
	if (logfd >= 0)
		close(logfd);
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		close(fds[i]);
	if (rc < 0)
		buf_printf(err, "cannot start %s: %s", argv[0], strerror(e));
	vm_argv_free(argv);
	return rc;
}

void vm_kill(pid_t pid, int *status)
{
	int st;
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (status)
		*status = st;
}

static void stream_seen(void *ctx, const char *data, size_t n)
{
	streamwatch_feed(ctx, data, n, now_s());
}

/* The ring's bytes go where the pipe's go: watched, then kept. */
struct ring_sink {
	struct capture *c;
	struct stream_watch *sw;
};

static void ring_seen(void *ctx, const char *data, size_t n)
{
	struct ring_sink *k = ctx;
	stream_seen(k->sw, data, n);
	capture_feed(k->c, data, n);
}

/* The VM's outputs, each through a capture (vm/capture.h): its serial
 * ports (qemu writes /dev/fd/N of each) and its own log (its stdout and
 * stderr), when it has one. */
struct ports {
	struct capture con, str, log;
	struct shmring ring; /* base NULL: none */
};

static int open_ports(const struct vm_spec *s, struct ports *p, struct buf *err)
{
	capture_init(&p->con);
	capture_init(&p->str);
	capture_init(&p->log);
	if (capture_open(&p->con, s->console_path, CAPTURE_CONSOLE_HEAD, CAPTURE_CONSOLE_TAIL, err) < 0)
		return -1;
	if (capture_open(&p->str, s->stream_path, CAPTURE_STREAM_HEAD, CAPTURE_STREAM_TAIL, err) < 0) {
		capture_close(&p->con);
		unlink(s->console_path);
		return -1;
	}
	/* a log that cannot be made is no reason not to run (as before) */
	struct buf ignore = {0};
	if (s->qemu_log)
		capture_open(&p->log, s->qemu_log, CAPTURE_QEMU_LOG_HEAD, CAPTURE_QEMU_LOG_TAIL, &ignore);
	buf_free(&ignore);
	return 0;
}

static void close_ports(struct ports *p, struct vm_result *r)
{
	if (capture_close(&p->con) < 0 && !r->capture_errno)
		r->capture_errno = errno;
	if (capture_close(&p->str) < 0 && !r->capture_errno)
		r->capture_errno = errno;
	capture_close(&p->log);
	r->console_bytes = p->con.total;
	r->stream_bytes = p->str.total;
	r->console_dropped = p->con.dropped;
	r->stream_dropped = p->str.dropped;
}

/* What the pipes hold now; drain: all of it (qemu is gone). The ring
 * after ttyS1's pipe: the agent drains ttyS1 before it moves to the
 * ring, so what the pipe has now came before anything in the ring. */
static void pump_ports(struct ports *p, struct stream_watch *sw, int drain)
{
	struct ring_sink k = {&p->str, sw};
	if (drain) {
		capture_drain(&p->con, NULL, NULL);
		capture_drain(&p->str, stream_seen, sw);
		capture_drain(&p->log, NULL, NULL);
	} else {
		capture_pump(&p->con, NULL, NULL);
		capture_pump(&p->str, stream_seen, sw);
		capture_pump(&p->log, NULL, NULL);
	}
	shmring_take(&p->ring, ring_seen, &k);
}

/* Wait up to ms for qemu (pid, its pidfd qfd) to end or for the stream
 * pipe (sfd) to have bytes: as wait_pid_timeout, 0 (ended, *status),
 * 1 (still running) or -1 (errno; EINTR: a signal). */
static int wait_qemu_or_stream(pid_t pid, int qfd, int sfd, int ms, int *status)
{
	struct pollfd q[2] = {{.fd = qfd, .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
	if (poll(q, sfd >= 0 ? 2 : 1, ms) < 0)
		return -1;
	int st;
	pid_t w = waitpid(pid, &st, WNOHANG);
	if (w < 0)
		return -1;
	if (w == pid && status)
		*status = st;
	return w == pid ? 0 : 1;
}

int vm_run(const struct vm_spec *s, int timeout_s, struct vm_result *r, struct buf *err)
{
	memset(r, 0, sizeof *r);
	r->t_started_s = r->t_hello_s = r->t_first_spawn_s = r->t_last_exit_s = -1;
	pid_t pid;
	double t0 = now_s();
	struct ports p;
	if (open_ports(s, &p, err) < 0)
		return -1;
	p.ring = (struct shmring){0};
	if (s->shm_path) {
		int fd = open(s->shm_path, O_RDWR | O_CLOEXEC);
		if (fd < 0 || shmring_map(&p.ring, fd) < 0)
			log_warn("cannot map the stream's ring %s: %s; what the agent writes there is lost",
				 s->shm_path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	struct vm_spec qs = *s;
	char *con_fd = capture_qemu_path(&p.con), *str_fd = capture_qemu_path(&p.str);
	qs.console_path = con_fd;
	qs.stream_path = str_fd;
	int spawned = spawn_qemu(&qs, p.log.wfd >= 0 ? p.log.wfd : SPAWN_DEVNULL, &pid, err);
	free(con_fd);
	free(str_fd);
	capture_started(&p.con);
	capture_started(&p.str);
	capture_started(&p.log);
	/* the stream is watched as it comes, for the host-side timings */
	struct stream_watch sw;
	streamwatch_init(&sw, t0);
	if (spawned < 0) { /* no qemu, no files (as when qemu made them) */
		shmring_unmap(&p.ring);
		close_ports(&p, r);
		unlink(s->console_path);
		unlink(s->stream_path);
		return -1;
	}
	if (s->on_start) {
		if (s->on_start(s->on_start_ctx, pid, err) < 0) {
			vm_kill(pid, &r->status);
			r->wall_s = now_s() - t0;
			shmring_unmap(&p.ring);
			close_ports(&p, r);
			return -1;
		}
		if (s->on_start_turn_s && *s->on_start_turn_s > t0) {
			t0 = *s->on_start_turn_s;
			sw.t0 = t0;
		}
		r->t_started_s = now_s() - t0;
	}
	int deadline_ms = timeout_s * 1000;
	/* stopping at the bye: wake as soon as the stream has more */
	int qfd = s->stop_at_bye ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	for (;;) {
		int left = deadline_ms - (int)((now_s() - t0) * 1000);
		if (left < 0)
			left = 0;
		int tick = p.ring.base ? STREAMWATCH_RING_TICK_MS : STREAMWATCH_TICK_MS;
		int slice = left < tick ? left : tick;
		int w = vm_stop_requested ? -1
			: qfd >= 0	  ? wait_qemu_or_stream(pid, qfd, p.str.rfd, slice, &r->status)
					  : wait_pid_timeout(pid, slice, &r->status);
		pump_ports(&p, &sw, 0);
		if (w == 0)
			break;
		if (w == 1 && s->stop_at_bye && sw.bye >= 0) {
			r->stopped_at_bye = 1;
			vm_kill(pid, &r->status);
			break;
		}
		if (w == 1 && s->hello_timeout_s > 0 && sw.hello < 0 &&
		    now_s() - t0 > (r->t_started_s > 0 ? r->t_started_s : 0) + s->hello_timeout_s) {
			r->no_hello = 1;
			vm_kill(pid, &r->status);
			break;
		}
		if (w == 1 && left > 0)
			continue;
		if (w == -1 && errno == EINTR && !vm_stop_requested)
			continue;
		/* timeout, interrupt or error: kill our qemu (by pid) and reap it */
		if (vm_stop_requested)
			r->interrupted = 1;
		else
			r->timed_out = 1;
		vm_kill(pid, &r->status);
		break;
	}
	if (qfd >= 0)
		close(qfd);
	/* qemu is gone: what it wrote is all in the pipes */
	pump_ports(&p, &sw, 1);
	r->wall_s = now_s() - t0;
	r->t_hello_s = sw.hello;
	r->t_first_spawn_s = sw.first_spawn;
	r->t_last_exit_s = sw.last_exit;
	if (p.ring.broken) /* the stream then ends early: the report shows a cut stream */
		log_warn("the stream's ring had a wrong write index after %llu bytes; nothing after them was read",
			 (unsigned long long)p.ring.rpos);
	shmring_unmap(&p.ring);
	close_ports(&p, r);
	return 0;
}

int vm_qemu_found(const char *qemu)
{
	if (!qemu)
		qemu = "qemu-system-x86_64";
	if (strchr(qemu, '/'))
		return access(qemu, X_OK) == 0;
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path;;) {
		size_t n = strcspn(p, ":");
		char *f = xasprintf("%.*s/%s", (int)n, n ? p : ".", qemu);
		int ok = access(f, X_OK) == 0;
		free(f);
		if (ok)
			return 1;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

const char *vm_detect_accel(const char *image)
{
	static const char *cached;
	if (cached)
		return cached;
	cached = "tcg";
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return cached;
	close(fd);
	/* /dev/kvm can exist and still be unable to run a guest (nested
	 * virtualisation without the needed features): start the kernel for a
	 * few seconds and look for its banner on the console. */
	char tmpl[] = "/tmp/oomlab-kvmprobe-XXXXXX";
	char *dir = mkdtemp(tmpl);
	if (!dir)
		return cached;
	char *con = xasprintf("%s/console", dir);
	char *append = xstrdup("console=ttyS0 panic=-1 earlyprintk=ttyS0");
	char *argv[] = {"qemu-system-x86_64", "-accel", "kvm", "-cpu", "host", "-m", "128",
			"-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
			"-monitor", "none", "-kernel", (char *)image, "-append", append,
			"-serial", NULL, NULL};
	char *ser = xasprintf("file:%s", con);
	argv[19] = ser;
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, SPAWN_DEVNULL, SPAWN_DEVNULL};
	int st;
	run_argv(argv, &o, 8000, &st);
	char *text = NULL;
	size_t len = 0;
	if (read_file(con, &text, &len) == 0 && strstr(text, "Linux version"))
		cached = "kvm";
	free(text);
	free(ser);
	free(append);
	free(con);
	rm_rf(dir);
	return cached;
}
