// SPDX-License-Identifier: GPL-2.0-or-later
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int wl_child_start(struct wl_child *c, const char *path, char *const argv[], char *const envp[],
		   const char *exec_err, const char **what)
{
	int pfd[2];
	c->pid = -1;
	c->fd = -1;
	c->reaped = c->status = 0;
	c->len = 0;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		*what = "pipe";
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(pfd[0]);
		close(pfd[1]);
		errno = e;
		*what = "fork";
		return -1;
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		if (dup2(pfd[1], STDOUT_FILENO) < 0 || dup2(pfd[1], STDERR_FILENO) < 0)
			_exit(127);
		execve(path, argv, envp);
		dprintf(STDERR_FILENO, "%s exec %s: %s\n", exec_err, path, strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	c->pid = pid;
	c->fd = pfd[0];
	return 0;
}

int wl_child_reap(struct wl_child *c)
{
	if (c->reaped || waitpid(c->pid, &c->status, WNOHANG) != c->pid)
		return 0;
	c->reaped = 1;
	return 1;
}

static void feed(struct wl_child *c, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			c->on_line(c->ctx, c->line, c->len);
			c->len = 0;
		} else if (c->len < sizeof c->line - 1) {
			c->line[c->len++] = p[i]; /* the rest of a longer line is dropped */
		}
	}
}

int wl_child_pump(struct wl_child *c, int ms)
{
	if (c->fd < 0) {
		if (!c->reaped && waitpid(c->pid, &c->status, 0) == c->pid)
			c->reaped = 1;
		return 0;
	}
	struct pollfd p = {c->fd, POLLIN, 0};
	int pr = poll(&p, 1, ms);
	if (pr < 0)
		return errno == EINTR ? 0 : -1;
	if (pr == 0)
		return 0;
	char chunk[4096];
	ssize_t n = read(c->fd, chunk, sizeof chunk);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		return 0;
	}
	feed(c, chunk, (size_t)n);
	return 0;
}

void wl_child_end(struct wl_child *c)
{
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	if (c->len) {
		c->on_line(c->ctx, c->line, c->len);
		c->len = 0;
	}
}
