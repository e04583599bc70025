// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/vm.h"
#include "lib/spawn.h"
#include "vm/streamwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

char **vm_argv(const struct vm_spec *s)
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
	push(&a, xstrdup("-chardev"));
	e = qemu_escape(s->console_path);
	push(&a, xasprintf("file,id=con,path=%s", e));
	free(e);
	push(&a, xstrdup("-serial"));
	push(&a, xstrdup("chardev:con"));
	push(&a, xstrdup("-chardev"));
	e = qemu_escape(s->stream_path);
	push(&a, xasprintf("file,id=agent,path=%s", e));
	free(e);
	push(&a, xstrdup("-serial"));
	push(&a, xstrdup("chardev:agent"));
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

int vm_spawn(const struct vm_spec *s, pid_t *pid, struct buf *err)
{
	char **argv = vm_argv(s);
	int logfd = SPAWN_DEVNULL;
	if (s->qemu_log) {
		logfd = open(s->qemu_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (logfd < 0)
			logfd = SPAWN_DEVNULL;
	}
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, logfd, logfd};
	int rc = spawn_argv(argv, &o, pid);
	if (logfd >= 0)
		close(logfd);
	if (rc < 0)
		buf_printf(err, "cannot start %s: %s", argv[0], strerror(errno));
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

int vm_run(const struct vm_spec *s, int timeout_s, struct vm_result *r, struct buf *err)
{
	memset(r, 0, sizeof *r);
	r->t_started_s = r->t_hello_s = r->t_first_spawn_s = r->t_last_exit_s = -1;
	pid_t pid;
	double t0 = now_s();
	if (vm_spawn(s, &pid, err) < 0)
		return -1;
	if (s->on_start) {
		if (s->on_start(s->on_start_ctx, pid, err) < 0) {
			vm_kill(pid, &r->status);
			r->wall_s = now_s() - t0;
			return -1;
		}
		r->t_started_s = now_s() - t0;
	}
	/* the stream is read as it grows, for the host-side timings */
	struct stream_watch sw;
	streamwatch_init(&sw, s->stream_path, t0);
	int deadline_ms = timeout_s * 1000;
	for (;;) {
		int left = deadline_ms - (int)((now_s() - t0) * 1000);
		if (left < 0)
			left = 0;
		int slice = left < STREAMWATCH_TICK_MS ? left : STREAMWATCH_TICK_MS;
		int w = vm_stop_requested ? -1 : wait_pid_timeout(pid, slice, &r->status);
		streamwatch_poll(&sw, now_s());
		if (w == 0)
			break;
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
	r->wall_s = now_s() - t0;
	r->t_hello_s = sw.hello;
	r->t_first_spawn_s = sw.first_spawn;
	r->t_last_exit_s = sw.last_exit;
	streamwatch_close(&sw);
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
