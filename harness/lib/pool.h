/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run jobs in forked worker processes, at most `jobs` at a time. */
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
};

/* Run jobs[0..n) with at most `jobs` workers, in order. When *cb->stop is
 * set (SIGINT/SIGTERM), start nothing new, pass SIGTERM on to the running
 * workers (each kills its VM and writes what it has) and wait for them.
 * When fork fails, the job is tried again after a running worker ends; with
 * none running, every job left is given to cb->not_started and none is
 * started. Returns the number of jobs not started. */
size_t pool_run(const size_t *job_ids, size_t n, int jobs, const struct pool_cb *cb);

#endif
