// SPDX-License-Identifier: GPL-2.0-or-later
/* Workload processes. Each child gets its own process group, stdin from
 * /dev/null, stdout AND stderr into one pipe the agent reads (so option
 * errors and exec failures reach the stream as "out" records), its
 * RLIMIT_AS and its oom_score_adj (0 when the cell says "-": the agent's
 * -1000 would otherwise be inherited and make the workload OOM-immune).
 * A workload with a memory cgroup moves itself into it before anything
 * else, so all it allocates from then on is charged to the group. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "proto/cellconf.h"

#define OUT_HDR_MAX 64
#define PROGRESS_LINE "oomlab-progress " /* workloads/wl.h: new memory */
#define OUT_CHUNK 4096

static char out_rec[OUT_HDR_MAX + LINE_MAX_OUT];
static char rd[OUT_CHUNK];

int run_init(const struct cell *c, struct wl_proc *p)
{
	sigset_t set;
	int fd;

	for (int i = 0; i < c->n_wl; i++) {
		memset(&p[i], 0, offsetof(struct wl_proc, line));
		p[i].spec = &c->wl[i];
		p[i].state = WL_PENDING;
		p[i].pid = -1;
		p[i].out_fd = -1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		alog("run: signalfd: %s", strerror(errno));
	return fd;
}

static void child_fail(const char *what)
{
	dprintf(STDERR_FILENO, "oomlab-agent: %s: %s\n", what, strerror(errno));
	_exit(127);
}

static void __attribute__((noreturn)) child(const struct wl_conf *s, int out)
{
	sigset_t none;
	char adj[16];
	int fd, n;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0);
	if (s->cgroup) {
		char procs[CGROUP_NAME_MAX + 64];

		snprintf(procs, sizeof(procs), "%s/%s/cgroup.procs", GUEST_CGROUP_DIR, s->cgroup);
		fd = open(procs, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) != 1) {
			int e = errno;

			dup2(out, STDERR_FILENO); /* say it in the workload's output */
			errno = e;
			child_fail(procs);
		}
		close(fd);
	}
	if (dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0)
		_exit(127);
	if (out > STDERR_FILENO)
		close(out);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != STDIN_FILENO) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	munlockall();
	if (s->has_rlimit) {
		struct rlimit rl = { .rlim_cur = s->rlimit_as, .rlim_max = s->rlimit_as };

		if (setrlimit(RLIMIT_AS, &rl) < 0)
			child_fail("setrlimit(RLIMIT_AS)");
	}
	n = snprintf(adj, sizeof(adj), "%d", s->has_adj ? s->oom_score_adj : 0);
	fd = open("/proc/self/oom_score_adj", O_WRONLY);
	if (fd < 0 || write(fd, adj, (size_t)n) != n)
		child_fail("oom_score_adj");
	close(fd);
	execv(s->argv[0], s->argv);
	child_fail(s->argv[0]);
	_exit(127);
}

int run_spawn(struct wl_proc *w)
{
	const struct wl_conf *s = w->spec;
	int pfd[2];
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		alog("spawn id=%d %s: pipe: %s", s->id, s->name, strerror(errno));
		w->state = WL_DONE;
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		alog("spawn id=%d %s: fork: %s", s->id, s->name, strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		w->state = WL_DONE;
		return -1;
	}
	if (pid == 0)
		child(s, pfd[1]);
	setpgid(pid, pid); /* also in the child: whichever runs first */
	close(pfd[1]);
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	w->pid = pid;
	w->out_fd = pfd[0];
	w->line_len = 0;
	w->state = WL_RUNNING;
	emitf(STREAM_KIND_SPAWN, "id=%d\npid=%d\nname=%s\n", s->id, (int)pid, s->name);
	return 0;
}

static void emit_out(const struct wl_proc *w, const char *data, size_t len)
{
	int h = snprintf(out_rec, OUT_HDR_MAX, "id=%d\npid=%d\n--\n", w->spec->id, (int)w->pid);

	if (h <= 0 || h >= OUT_HDR_MAX || len > LINE_MAX_OUT)
		return;
	memcpy(out_rec + h, data, len);
	emit(STREAM_KIND_OUT, out_rec, (size_t)h + len);
}

/* One out record per complete line; a line longer than the buffer goes
 * out in pieces, a partial line at EOF goes out as is. */
static void feed(struct wl_proc *w, const char *p, size_t n)
{
	while (n) {
		size_t take = sizeof(w->line) - w->line_len;
		const char *nl;

		if (take > n)
			take = n;
		nl = memchr(p, '\n', take);
		if (nl)
			take = (size_t)(nl - p) + 1;
		memcpy(w->line + w->line_len, p, take);
		w->line_len += take;
		p += take;
		n -= take;
		if (nl || w->line_len == sizeof(w->line)) {
			if (w->line_len >= sizeof(PROGRESS_LINE) - 1 &&
			    !memcmp(w->line, PROGRESS_LINE, sizeof(PROGRESS_LINE) - 1))
				stall_progress(w);
			emit_out(w, w->line, w->line_len);
			w->line_len = 0;
		}
	}
}

static void close_out(struct wl_proc *w)
{
	if (w->line_len) {
		emit_out(w, w->line, w->line_len);
		w->line_len = 0;
	}
	close(w->out_fd);
	w->out_fd = -1;
}

void run_read_out(struct wl_proc *w)
{
	while (w->out_fd >= 0) {
		ssize_t n = read_retry(w->out_fd, rd, sizeof(rd));

		if (n > 0) {
			feed(w, rd, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EAGAIN)
			return;
		close_out(w); /* EOF or error */
	}
}

static unsigned long long tv_us(struct timeval tv)
{
	return (unsigned long long)tv.tv_sec * 1000000u + (unsigned long long)tv.tv_usec;
}

static void emit_exit(struct wl_proc *w, int status, const struct rusage *ru)
{
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;

	emitf(STREAM_KIND_EXIT,
	      "id=%d\npid=%d\nhow=%s\ncode=%d\nsignal=%d\nmaxrss_kb=%ld\nutime_us=%llu\nstime_us=%llu\n",
	      w->spec->id, (int)w->pid, sig ? "signaled" : "exited",
	      WIFEXITED(status) ? WEXITSTATUS(status) : 0, sig, ru->ru_maxrss, tv_us(ru->ru_utime),
	      tv_us(ru->ru_stime));
}

int run_reap(int sigfd, struct wl_proc *p, int n)
{
	struct signalfd_siginfo si;
	struct rusage ru;
	int status, reaped = 0;
	pid_t pid;

	while (sigfd >= 0 && read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		;
	while ((pid = wait4(-1, &status, WNOHANG, &ru)) > 0) {
		for (int i = 0; i < n; i++) {
			struct wl_proc *w = &p[i];

			if (w->state != WL_RUNNING || w->pid != pid)
				continue;
			if (w->out_fd >= 0) {
				run_read_out(w); /* output before the exit record */
				if (w->out_fd >= 0)
					close_out(w);
			}
			stall_ended(w);
			emit_exit(w, status, &ru);
			w->state = WL_DONE;
			reaped++;
		}
	}
	return reaped;
}

void run_stop_watchers(struct wl_proc *p, int n)
{
	for (int i = 0; i < n; i++) {
		if (p[i].state != WL_RUNNING || !p[i].spec->watcher || p[i].stopped)
			continue;
		alog("done: SIGTERM watcher id=%d pid=%d", p[i].spec->id, (int)p[i].pid);
		kill(p[i].pid, SIGTERM);
		p[i].stopped = 1;
	}
}

void run_kill_all(struct wl_proc *p, int n)
{
	for (int i = 0; i < n; i++) {
		if (p[i].state == WL_PENDING)
			alog("deadline: id=%d never started", p[i].spec->id);
		if (p[i].state != WL_RUNNING)
			continue;
		alog("deadline: SIGKILL id=%d pid=%d", p[i].spec->id, (int)p[i].pid);
		kill(-p[i].pid, SIGKILL);
		kill(p[i].pid, SIGKILL);
	}
}
