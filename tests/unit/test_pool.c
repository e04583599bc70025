// SPDX-License-Identifier: GPL-2.0-or-later
/* The worker pool with workers forked ahead of their turn (lib/pool.h):
 * a spare gets ready while the others run, but only `jobs` workers are
 * ever past their gate, in job order; stopped at its gate, a worker's job
 * counts as never started. The workers log what they do in a shared file
 * (O_APPEND: each line whole). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/pool.h"
#include "lib/util.h"

static volatile int stop;
static int log_fd = -1;
static char log_path[64];
static int dones[8], n_done;

static void say(const char *what, size_t i)
{
	char line[32];
	int n = snprintf(line, sizeof line, "%s %zu\n", what, i);
	cr_assert_eq(write(log_fd, line, (size_t)n), n);
}

static long at(const char *text, const char *line);
static char *log_text(void);

/* Set: a running job waits (at most 5 s) until the next one's worker
 * says it is ready, which it can only do if it was forked ahead. */
static size_t wait_for_spare_below;

static int job(size_t i, void *ctx)
{
	(void)ctx;
	say("ready", i);
	if (pool_gate_wait() < 0) {
		say("stopped", i);
		return POOL_NOT_STARTED;
	}
	say("start", i);
	if (i + 1 < wait_for_spare_below) {
		char *want = xasprintf("ready %zu", i + 1);
		int seen = 0;
		for (int k = 0; k < 500 && !seen; k++) {
			char *t = log_text();
			seen = at(t, want) >= 0;
			free(t);
			if (!seen)
				usleep(10 * 1000);
		}
		if (!seen)
			say("no-spare", i);
		free(want);
	}
	usleep(50 * 1000);
	say("end", i);
	return 0;
}

static void done(size_t i, int status, void *ctx)
{
	(void)ctx;
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "job %zu: status %d", i, status);
	dones[n_done++] = (int)i;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void setup(void)
{
	snprintf(log_path, sizeof log_path, "/tmp/oomlab-pool-XXXXXX");
	log_fd = mkstemp(log_path);
	cr_assert_geq(log_fd, 0);
	cr_assert_eq(fcntl(log_fd, F_SETFL, O_APPEND), 0);
	stop = 0;
	n_done = 0;
	wait_for_spare_below = 0;
	struct sigaction sa = {.sa_handler = on_term};
	sigaction(SIGTERM, &sa, NULL);
}

static void teardown(void)
{
	close(log_fd);
	unlink(log_path);
}

TestSuite(pool, .init = setup, .fini = teardown);

static char *log_text(void)
{
	char *t = NULL;
	size_t n = 0;
	cr_assert_eq(read_file(log_path, &t, &n), 0);
	return t;
}

/* The position of a line in the log (-1: not there). */
static long at(const char *text, const char *line)
{
	char *l = xasprintf("%s\n", line);
	const char *p = text;
	long pos = -1;
	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, l, strlen(l))) {
			pos = p - text;
			break;
		}
	}
	free(l);
	return pos;
}

Test(pool, a_spare_gets_ready_early_and_starts_in_its_turn)
{
	const size_t ids[] = {0, 1, 2, 3};
	struct pool_cb cb = {.run = job, .done = done, .stop = &stop, .spares = 1};
	wait_for_spare_below = 4;
	cr_assert_eq(pool_run(ids, 4, 1, &cb), 0);
	cr_assert_eq(n_done, 4);
	char *t = log_text();
	for (size_t i = 0; i < 4; i++) {
		char *s = xasprintf("start %zu", i), *e = xasprintf("end %zu", i);
		cr_assert_geq(at(t, s), 0, "%s", t);
		/* one at a time, in order */
		if (i > 0) {
			char *pe = xasprintf("end %zu", i - 1), *r = xasprintf("ready %zu", i);
			cr_assert_lt(at(t, pe), at(t, s), "%s", t);
			/* ready before the one before it ended: it was forked ahead */
			cr_assert_lt(at(t, r), at(t, pe), "%s", t);
			cr_assert_lt(at(t, "no-spare 0"), 0, "%s", t);
			free(pe);
			free(r);
		}
		cr_assert_lt(at(t, s), at(t, e), "%s", t);
		free(s);
		free(e);
	}
	free(t);
}

/* Stopped while job 0 runs (it sends the parent SIGTERM, as a user's
 * Ctrl-C would): job 1 waits at its gate and never starts, jobs 2 and 3
 * are never forked; 3 not started, job 0 done. */
static int job_stopping_the_run(size_t i, void *ctx)
{
	if (i == 0) {
		say("start", i);
		usleep(100 * 1000); /* job 1's worker is at its gate by now */
		kill(getppid(), SIGTERM);
		usleep(100 * 1000);
		say("end", i);
		return 0;
	}
	return job(i, ctx); /* SIGTERM only sets the flag (the handler) */
}

Test(pool, stopped_at_the_gate_is_not_started)
{
	const size_t ids[] = {0, 1, 2, 3};
	struct pool_cb cb = {.run = job_stopping_the_run, .done = done, .stop = &stop, .spares = 1};
	cr_assert_eq(pool_run(ids, 4, 1, &cb), 3);
	cr_assert_eq(n_done, 1);
	cr_assert_eq(dones[0], 0);
	char *t = log_text();
	cr_assert_geq(at(t, "start 0"), 0, "%s", t);
	cr_assert_geq(at(t, "ready 1"), 0, "%s", t);
	cr_assert_geq(at(t, "stopped 1"), 0, "%s", t);
	cr_assert_lt(at(t, "start 1"), 0, "%s", t);
	cr_assert_lt(at(t, "ready 2"), 0, "%s", t);
	free(t);
}

Test(pool, without_spares_nothing_waits)
{
	const size_t ids[] = {0, 1, 2};
	struct pool_cb cb = {.run = job, .done = done, .stop = &stop};
	cr_assert_eq(pool_run(ids, 3, 2, &cb), 0);
	cr_assert_eq(n_done, 3);
	char *t = log_text();
	/* job 2 is forked only once 0 or 1 ended */
	cr_assert_gt(at(t, "ready 2"), at(t, "end 0") < at(t, "end 1") ? at(t, "end 0") : at(t, "end 1"), "%s", t);
	free(t);
}

/* The race a fresh run once lost: the run is stopped just after a
 * worker's gate opened but before the worker looked at it. The turn was
 * given (started() ran), so the worker must take it and its job is done,
 * not "not started" (a cell the parent had recorded as started would
 * otherwise be skipped by --resume). Ordered by handshakes, not by
 * sleeps: the parent logs "turn 1" in started(); worker 1 waits for that
 * line, stops the run (SIGTERM to the parent, which passes it on), waits
 * until its own stop flag is set, and only then goes to its gate. */
static void started_logs_turn(size_t i, void *ctx)
{
	(void)ctx;
	say("turn", i);
}

static int wait_log(const char *line)
{
	for (int k = 0; k < 500; k++) {
		char *t = log_text();
		int seen = at(t, line) >= 0;
		free(t);
		if (seen)
			return 1;
		usleep(10 * 1000);
	}
	return 0;
}

static int job_stopped_after_its_turn(size_t i, void *ctx)
{
	if (i == 1) {
		say("ready", i);
		if (!wait_log("turn 1"))
			return 3;
		kill(getppid(), SIGTERM);
		for (int k = 0; k < 500 && !stop; k++)
			usleep(10 * 1000);
		if (!stop)
			return 4;
		if (pool_gate_wait() < 0) {
			say("stopped", i);
			return POOL_NOT_STARTED;
		}
		say("start", i);
		return 0;
	}
	return job(i, ctx);
}

Test(pool, a_turn_given_before_the_stop_is_taken)
{
	const size_t ids[] = {0, 1, 2, 3};
	struct pool_cb cb = {.run = job_stopped_after_its_turn, .started = started_logs_turn, .done = done,
			     .stop = &stop, .spares = 1};
	/* jobs 2 and 3: forked ahead and stopped at the gate, or never forked */
	cr_assert_eq(pool_run(ids, 4, 1, &cb), 2);
	cr_assert_eq(n_done, 2, "job 1 ended as a started job");
	cr_assert_eq(dones[0], 0);
	cr_assert_eq(dones[1], 1);
	char *t = log_text();
	cr_assert_geq(at(t, "start 1"), 0, "%s", t);
	cr_assert_lt(at(t, "stopped 1"), 0, "%s", t);
	cr_assert_lt(at(t, "start 2"), 0, "%s", t);
	free(t);
}
