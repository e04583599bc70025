// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/spawn.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void child_fd(int want, int target)
{
	if (want == SPAWN_INHERIT)
		return;
	if (want == SPAWN_DEVNULL) {
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0 && fd != target) {
			dup2(fd, target);
			close(fd);
		}
		return;
	}
	if (want != target)
		dup2(want, target);
}

int spawn_argv(char *const argv[], const struct spawn_opts *o, pid_t *pid)
{
	return spawn_argv_fds(argv, o, NULL, 0, pid);
}

int spawn_argv_fds(char *const argv[], const struct spawn_opts *o, const int *pass, size_t n_pass,
		   pid_t *pid)
{
	struct spawn_opts def = {NULL, SPAWN_INHERIT, SPAWN_INHERIT, SPAWN_INHERIT};
	if (!o)
		o = &def;
	/* A CLOEXEC pipe reports exec failure (errno) back to the parent. */
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) < 0)
		return -1;
	pid_t parent = getpid();
	pid_t p = fork();
	if (p < 0) {
		int e = errno;
		close(ep[0]);
		close(ep[1]);
		errno = e;
		return -1;
	}
	if (p == 0) {
		/* Die with the process that started us, even when it is
		 * SIGKILLed and cannot clean up: no orphan qemu. The check
		 * covers a parent that died before prctl. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		child_fd(o->stdin_fd, 0);
		child_fd(o->stdout_fd, 1);
		child_fd(o->stderr_fd, 2);
		for (size_t i = 0; i < n_pass; i++)
			fcntl(pass[i], F_SETFD, 0);
		if (o->cwd && chdir(o->cwd) < 0) {
			int e = errno;
			(void)!write(ep[1], &e, sizeof e);
			_exit(127);
		}
		execvp(argv[0], argv);
		int e = errno;
		(void)!write(ep[1], &e, sizeof e);
		_exit(127);
	}
	close(ep[1]);
	int e = 0;
	ssize_t r = read_retry(ep[0], &e, sizeof e);
	close(ep[0]);
	if (r == (ssize_t)sizeof e) {
		waitpid(p, NULL, 0);
		errno = e;
		return -1;
	}
	*pid = p;
	return 0;
}

int wait_pid_timeout(pid_t pid, int timeout_ms, int *status)
{
	int st;
	pid_t r = waitpid(pid, &st, WNOHANG);
	if (r == pid) {
		if (status)
			*status = st;
		return 0;
	}
	if (r < 0)
		return -1;
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return -1;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int left = -1;
		if (timeout_ms >= 0) {
			struct timespec t;
			clock_gettime(CLOCK_MONOTONIC, &t);
			long el = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
			left = timeout_ms - (int)el;
			if (left < 0)
				left = 0;
		}
		struct pollfd p = {.fd = pfd, .events = POLLIN};
		int n = poll(&p, 1, left);
		if (n < 0 && errno == EINTR) {
			/* A signal (e.g. SIGINT) interrupts the wait: the caller decides. */
			close(pfd);
			errno = EINTR;
			return -1;
		}
		if (n < 0) {
			close(pfd);
			return -1;
		}
		if (n == 0) {
			close(pfd);
			return 1;
		}
		r = waitpid(pid, &st, WNOHANG);
		if (r == pid) {
			close(pfd);
			if (status)
				*status = st;
			return 0;
		}
	}
}

int run_argv(char *const argv[], const struct spawn_opts *o, int timeout_ms, int *status)
{
	pid_t pid;
	if (spawn_argv(argv, o, &pid) < 0)
		return -1;
	int r = wait_pid_timeout(pid, timeout_ms, status);
	if (r != 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return r;
}

int run_capture(char *const argv[], char **out, size_t *outlen)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, p[1], SPAWN_INHERIT};
	pid_t pid;
	if (spawn_argv(argv, &o, &pid) < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		errno = e;
		return -1;
	}
	close(p[1]);
	struct buf b = {0};
	buf_read_fd(&b, p[0]); /* a read error ends the output like its end */
	close(p[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!b.data)
		buf_append(&b, "", 0);
	*out = b.data;
	if (outlen)
		*outlen = b.len;
	return (WIFEXITED(st) && WEXITSTATUS(st) == 0) ? 0 : -1;
}

const char *status_str(int status)
{
	static char s[64];
	if (WIFEXITED(status))
		snprintf(s, sizeof s, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(s, sizeof s, "signal %d", WTERMSIG(status));
	else
		snprintf(s, sizeof s, "status 0x%x", status);
	return s;
}
