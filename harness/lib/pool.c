// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/pool.h"
#include "lib/util.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct slot {
	pid_t pid;
	size_t job;
};

size_t pool_run(const size_t *job_ids, size_t n, int jobs, const struct pool_cb *cb)
{
	if (jobs < 1)
		jobs = 1;
	struct slot *run = xcalloc((size_t)jobs, sizeof *run);
	size_t next = 0, running = 0;
	int forwarded = 0, fork_err = 0;
	pid_t parent = getpid();
	while (next < n || running) {
		while (!*cb->stop && running < (size_t)jobs && next < n) {
			size_t job = job_ids[next++];
			pid_t pid = fork();
			if (pid < 0) {
				fork_err = errno;
				log_err("cannot start a worker: %s", strerror(fork_err));
				next--;
				break;
			}
			fork_err = 0;
			if (pid == 0) {
				/* If the parent dies (even SIGKILLed), the worker
				 * gets SIGTERM: it stops its VM, writes what it has
				 * and removes its temp dir, as on Ctrl-C. */
				if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
					*cb->stop = 1;
				_exit(cb->run(job, cb->ctx));
			}
			for (int s = 0; s < jobs; s++) {
				if (!run[s].pid) {
					run[s].pid = pid;
					run[s].job = job;
					break;
				}
			}
			running++;
			if (cb->started)
				cb->started(job, cb->ctx);
		}
		if (!running)
			break;
		if (*cb->stop && !forwarded) {
			/* the workers may not have seen the signal (kill -INT of
			 * our pid only): pass it on, by pid */
			for (int s = 0; s < jobs; s++)
				if (run[s].pid)
					kill(run[s].pid, SIGTERM);
			forwarded = 1;
		}
		int st;
		pid_t pid = waitpid(-1, &st, 0);
		if (pid < 0) {
			if (errno != EINTR)
				break;
			continue;
		}
		for (int s = 0; s < jobs; s++) {
			if (run[s].pid == pid) {
				run[s].pid = 0;
				running--;
				cb->done(run[s].job, st, cb->ctx);
				break;
			}
		}
	}
	free(run);
	/* a fork failed with no worker left to wait for: the rest never starts */
	for (size_t j = next; fork_err && !*cb->stop && cb->not_started && j < n; j++)
		cb->not_started(job_ids[j], fork_err, cb->ctx);
	return n - next;
}
