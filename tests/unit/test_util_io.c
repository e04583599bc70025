// SPDX-License-Identifier: GPL-2.0-or-later
/* The host's fd reads and writes (lib/util.h): a signal does not cut them
 * short, a closed socket is an error and not a SIGPIPE. */
#include <criterion/criterion.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/util.h"

static void on_alarm(int sig)
{
	(void)sig;
}

/* SIGALRM every 5 ms, without SA_RESTART: a blocked read(2) returns EINTR */
static void alarms(int on)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on ? on_alarm : SIG_DFL;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, on ? 5000 : 0}, {0, on ? 5000 : 0}};
	setitimer(ITIMER_REAL, &it, NULL);
}

/* a child that writes n bytes of a pattern into p[1] after delay_ms */
static pid_t writer(const int p[2], size_t n, int delay_ms)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(p[0]);
		usleep((useconds_t)delay_ms * 1000);
		char *b = malloc(n);
		for (size_t i = 0; i < n; i++)
			b[i] = (char)(i * 7 + 1);
		_exit(write_full(p[1], b, n) == 0 ? 0 : 1);
	}
	return pid;
}

Test(util_io, reads_survive_signals)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	pid_t pid = writer(p, 300000, 50);
	close(p[1]);
	alarms(1);
	char c;
	cr_assert_eq(read_retry(p[0], &c, 1), 1, "interrupted: %s", strerror(errno));
	cr_assert_eq(c, 1);
	struct buf b = {0};
	cr_assert_eq(buf_read_fd(&b, p[0]), 0, "%s", strerror(errno));
	alarms(0);
	cr_assert_eq(b.len, 300000 - 1);
	for (size_t i = 0; i < b.len; i++)
		cr_assert_eq(b.data[i], (char)((i + 1) * 7 + 1), "byte %zu", i + 1);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cr_assert_eq(read_retry(p[0], &c, 1), 0);
	buf_free(&b);
	close(p[0]);
}

Test(util_io, buf_read_fd_keeps_what_came_before_an_error)
{
	struct buf b = {0};
	buf_append(&b, "ab", 2);
	cr_assert_eq(buf_read_fd(&b, -1), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_eq(b.len, 2);
	cr_assert_str_eq(b.data, "ab");
	buf_free(&b);
}

Test(util_io, send_full_to_a_closed_socket_is_epipe)
{
	int sv[2];
	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[1]);
	cr_assert_eq(send_full(sv[0], "x", 1), -1);
	cr_assert_eq(errno, EPIPE);
	close(sv[0]);
}

Test(util_io, send_full_writes_everything)
{
	int sv[2];
	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	size_t n = 1 << 20;
	char *b = malloc(n);
	for (size_t i = 0; i < n; i++)
		b[i] = (char)(i % 251);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(sv[0]);
		_exit(send_full(sv[1], b, n) == 0 ? 0 : 1);
	}
	close(sv[1]);
	struct buf got = {0};
	cr_assert_eq(buf_read_fd(&got, sv[0]), 0);
	cr_assert_eq(got.len, n);
	cr_assert(memcmp(got.data, b, n) == 0);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	buf_free(&got);
	free(b);
	close(sv[0]);
}
