// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/pool.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct slot {
	pid_t pid;
	size_t job;
	int gate;    /* a waiting worker: the write end of its gate; -1: running */
	double since; /* when it was forked (a waiting one) */
};

/* In a worker: where it stands at its gate (never gated, waiting for
 * its turn, its turn came, or the run was stopped first), the gate's
 * read end, when it opened and how long the worker waited at it. */
static enum { GATE_NONE, GATE_PENDING, GATE_OPEN, GATE_SHUT } gate = GATE_NONE;
static int gate_fd = -1;
static double gate_waited, gate_opened_at;
static volatile int *gate_stop;
static pid_t gate_parent;

int pool_gate_wait(void)
{
	if (gate != GATE_PENDING)
		return gate == GATE_SHUT ? -1 : 0;
	double t0 = now_s();
	gate = GATE_SHUT;
	for (int first = 1;; first = 0) {
		/* an open gate first: a turn given before the run was stopped
		 * is taken (the cell starts and is interrupted as a running
		 * one; the parent counts it so), only a gate still shut stops */
		if (!first && gate_stop && *gate_stop)
			break;
		struct pollfd p = {.fd = gate_fd, .events = POLLIN};
		/* bounded: a signal just before the poll must not be missed */
		int r = poll(&p, 1, first ? 0 : 100);
		if (r == 0)
			continue;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		/* the parent closed its end: our turn (a byte never comes) */
		char c;
		if (read(gate_fd, &c, 1) == 0) {
			/* a parent that died closed it too: that is no turn */
			if (getppid() == gate_parent) {
				gate = GATE_OPEN;
				gate_opened_at = now_s();
			}
			break;
		}
	}
	gate_waited += now_s() - t0;
	return gate == GATE_OPEN ? 0 : -1;
}

int pool_gate_pending(void)
{
	return gate == GATE_PENDING;
}

double pool_turn_at(void)
{
	return gate_opened_at;
}

int pool_gate_closed(void)
{
	return gate == GATE_SHUT;
}

double pool_gate_waited_s(void)
{
	return gate_waited;
}

/* Fork the worker of job into s; gated: it waits at a gate until its
 * turn. 0, or -1 with errno (nothing started). */
static int start(struct slot *run, int slots, struct slot *s, size_t job, int gated,
		 const struct pool_cb *cb, pid_t parent)
{
	int g[2] = {-1, -1};
	if (gated && pipe2(g, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		if (gated) {
			close(g[0]);
			close(g[1]);
		}
		errno = e;
		return -1;
	}
	if (pid == 0) {
		/* If the parent dies (even SIGKILLed), the worker gets SIGTERM:
		 * it stops its VM, writes what it has and removes its temp
		 * dir, as on Ctrl-C. */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
			*cb->stop = 1;
		/* the other waiting workers' gates are the parent's alone:
		 * one held here would never let them open */
		for (int o = 0; o < slots; o++)
			if (run[o].pid && run[o].gate >= 0)
				close(run[o].gate);
		if (gated) {
			close(g[1]);
			gate_parent = parent;
			gate_fd = g[0];
			gate = GATE_PENDING;
			gate_stop = cb->stop;
		}
		_exit(cb->run(job, cb->ctx));
	}
	if (gated)
		close(g[0]);
	*s = (struct slot){.pid = pid, .job = job, .gate = gated ? g[1] : -1, .since = now_s()};
	return 0;
}

/* The waiting worker forked first gets its turn. */
static void open_oldest(struct slot *run, int slots, const struct pool_cb *cb)
{
	int o = -1;
	for (int s = 0; s < slots; s++)
		if (run[s].pid && run[s].gate >= 0 && (o < 0 || run[s].since < run[o].since))
			o = s;
	if (o < 0)
		return;
	close(run[o].gate);
	run[o].gate = -1;
	if (cb->started)
		cb->started(run[o].job, cb->ctx);
}

size_t pool_run(const size_t *job_ids, size_t n, int jobs, const struct pool_cb *cb)
{
	if (jobs < 1)
		jobs = 1;
	int spares = cb->spares > 0 ? cb->spares : 0;
	int slots = jobs + spares;
	struct slot *run = xcalloc((size_t)slots, sizeof *run);
	size_t next = 0, unstarted = 0;
	int running = 0, waiting = 0;
	int forwarded = 0, fork_err = 0;
	pid_t parent = getpid();
	while (next < n || running || waiting) {
		/* a free place goes to a waiting worker first, then to a new one */
		while (!*cb->stop && running < jobs && waiting) {
			open_oldest(run, slots, cb);
			waiting--;
			running++;
		}
		while (!*cb->stop && next < n && (running < jobs || waiting < spares)) {
			int gated = running >= jobs, s = 0;
			while (run[s].pid)
				s++;
			if (start(run, slots, &run[s], job_ids[next], gated, cb, parent) < 0) {
				fork_err = errno;
				log_err("cannot start a worker: %s", strerror(fork_err));
				break;
			}
			fork_err = 0;
			next++;
			if (gated) {
				waiting++;
			} else {
				running++;
				if (cb->started)
					cb->started(run[s].job, cb->ctx);
			}
		}
		if (!running && !waiting)
			break;
		if (*cb->stop && !forwarded) {
			/* the workers may not have seen the signal (kill -INT of
			 * our pid only): pass it on, by pid */
			for (int s = 0; s < slots; s++)
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
		for (int s = 0; s < slots; s++) {
			if (run[s].pid != pid)
				continue;
			run[s].pid = 0;
			if (run[s].gate >= 0) {
				/* it ended before its turn: stopped at the gate
				 * (the cell never started), or done without a VM */
				close(run[s].gate);
				run[s].gate = -1;
				waiting--;
				if (WIFEXITED(st) && WEXITSTATUS(st) == POOL_NOT_STARTED) {
					unstarted++;
					break;
				}
				if (cb->started)
					cb->started(run[s].job, cb->ctx);
			} else {
				running--;
			}
			cb->done(run[s].job, st, cb->ctx);
			break;
		}
	}
	free(run);
	/* a fork failed with no worker left to wait for: the rest never starts */
	for (size_t j = next; fork_err && !*cb->stop && cb->not_started && j < n; j++)
		cb->not_started(job_ids[j], fork_err, cb->ctx);
	return n - next + unstarted;
}
