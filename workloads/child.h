/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Another program run by a workload (stress-ng, earlyoom): its stdout and
 * stderr on one pipe, read line by line while the workload watches it. */
#ifndef OOMLAB_WL_CHILD_H
#define OOMLAB_WL_CHILD_H

#include <stddef.h>
#include <sys/types.h>

#define WL_CHILD_LINE 1024 /* longer lines are cut there (the rest is dropped) */

struct wl_child {
	pid_t pid;
	int fd;         /* the pipe's read end; -1 once it is at its end */
	int reaped;     /* waited for: status is its wait status */
	int status;
	char line[WL_CHILD_LINE];
	size_t len;
	void (*on_line)(void *ctx, const char *line, size_t len); /* each line, without '\n' */
	void *ctx;
};

/* Start path with argv and envp, stdout and stderr to the pipe (the
 * signals the workload catches back to their defaults). Returns 0, or -1
 * with errno set and *what naming the step that failed ("pipe", "fork").
 * An exec that fails writes "<exec_err> exec <path>: <error>" to the pipe
 * and exits 127. */
int wl_child_start(struct wl_child *c, const char *path, char *const argv[], char *const envp[],
		   const char *exec_err, const char **what);
/* Reap the child if it has exited, without waiting. Returns 1 when it was
 * reaped by this call. */
int wl_child_reap(struct wl_child *c);
/* Wait up to ms for output and hand its lines to on_line; at the pipe's
 * end wait for the child instead. Returns -1 when poll fails, else 0. */
int wl_child_pump(struct wl_child *c, int ms);
/* Close the pipe; a last line without '\n' goes to on_line. */
void wl_child_end(struct wl_child *c);

#endif
