/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run programs with argv arrays (never a shell) and wait with timeouts. */
#ifndef OOMLAB_SPAWN_H
#define OOMLAB_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

#define SPAWN_INHERIT (-1)
#define SPAWN_DEVNULL (-2)

struct spawn_opts {
	const char *cwd;  /* NULL: inherit */
	int stdin_fd;     /* fd, SPAWN_INHERIT or SPAWN_DEVNULL */
	int stdout_fd;
	int stderr_fd;
};

/* Start argv[0] (searched in PATH) with the given fds. The child gets
 * SIGKILL when the calling process dies (PR_SET_PDEATHSIG), so nothing
 * it started outlives it. Returns 0 and the
 * pid, or -1 with errno set (exec failure is reported as errno too). */
int spawn_argv(char *const argv[], const struct spawn_opts *o, pid_t *pid);
/* The same, and the program gets the fds pass[0..n_pass) at their numbers
 * (their FD_CLOEXEC is cleared in the child only). */
int spawn_argv_fds(char *const argv[], const struct spawn_opts *o, const int *pass, size_t n_pass,
		   pid_t *pid);

/* Wait for pid up to timeout_ms (<0: forever). Returns 0 when it ended
 * (*status as from waitpid), 1 on timeout (process still running), -1 on
 * error. Uses a pidfd and poll, not sleeps. */
int wait_pid_timeout(pid_t pid, int timeout_ms, int *status);

/* Spawn, wait; on timeout SIGKILL and reap. Returns like wait_pid_timeout. */
int run_argv(char *const argv[], const struct spawn_opts *o, int timeout_ms, int *status);

/* Spawn and collect stdout into *out (NUL-terminated); stderr inherited.
 * Returns 0 if the program exited 0, else -1 (*out still filled). */
int run_capture(char *const argv[], char **out, size_t *outlen);

/* Describe a wait status ("exit 3", "signal 9"). Static buffer. */
const char *status_str(int status);

#endif
