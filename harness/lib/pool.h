/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run jobs in forked worker processes, at most `jobs` at a time, and up
 * to `spares` more forked ahead of their turn, each waiting at a gate
 * (the worker of the next job gets ready, e.g. restores its VM, while the
 * others run; it goes on when the pool opens its gate). */
#ifndef OOMLAB_POOL_H
#define OOMLAB_POOL_H

#include <stddef.h>

struct pool_cb {
	/* In the worker process: do job i; the worker exits with what it
	 * returns. A worker whose parent dies gets SIGTERM. */
	int (*run)(size_t i, void *ctx);
	/* In the parent: worker of job i started / ended (wait status). */
	void (*started)(size_t i, void *ctx);
	void (*done)(size_t i, int status, void *ctx);
	/* In the parent: job i was never started because fork failed with
	 * err while no worker was running (NULL: not told). */
	void (*not_started)(size_t i, int err, void *ctx);
	void *ctx;
	/* Set (by a signal handler) when the run must stop. */
	volatile int *stop;
	/* Workers forked ahead of their turn, beyond `jobs` (0: none). */
	int spares;
};

/* What a worker exits with when it was stopped at its gate: its job
 * never started (no done(); counted as not started). */
#define POOL_NOT_STARTED 125

/* In a worker: wait at its gate until its turn. 0 (its turn, or it was
 * never gated), or -1 when the run is stopped first: the worker should
 * undo what it prepared and exit POOL_NOT_STARTED. */
int pool_gate_wait(void);
/* In a worker: 1 when it was forked ahead of its turn and the run was
 * stopped before that turn came (pool_gate_wait said -1). */
int pool_gate_closed(void);
/* In a worker: 1 when it was forked ahead of its turn and has not yet
 * waited for it. */
int pool_gate_pending(void);
/* In a worker: when its gate opened (now_s()); 0: never gated. */
double pool_turn_at(void);
/* In a worker: the seconds it waited at its gate. */
double pool_gate_waited_s(void);

/* Run jobs[0..n) with at most `jobs` workers past their gate, in order
 * (a waiting worker's gate opens in the order they were forked, and
 * started() is called then). When *cb->stop is set (SIGINT/SIGTERM),
 * start nothing new, pass SIGTERM on to the running and the waiting
 * workers (each kills its VM and writes what it has; a waiting one
 * exits POOL_NOT_STARTED) and wait for them.
 * When fork fails, the job is tried again after a running worker ends; with
 * none running, every job left is given to cb->not_started and none is
 * started. Returns the number of jobs not started (never forked, or
 * stopped at their gate). */
size_t pool_run(const size_t *job_ids, size_t n, int jobs, const struct pool_cb *cb);

#endif
