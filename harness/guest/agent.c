// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab-agent: PID 1 of the guest. Sets the cell up, runs its workloads,
 * streams what happens on /dev/ttyS1 and powers the VM off. It never
 * returns from main (PID 1 exiting panics the kernel) and every wait is
 * bounded: the cell deadline, the linger after the last workload (none
 * when cell.conf says linger_ms 0: the kernel log is drained and the
 * agent says bye at once, and the host stops the VM at that word), the
 * reap grace after SIGKILL, the swap device wait, the stream stall. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "agent.h"
#include "proto/cellconf.h"

#define KMSG_BURST 256     /* records forwarded per loop turn */
#define KMSG_ALL 20000     /* "everything there is", bounded */
#define FINAL_DRAIN_MS 3000

enum phase { PH_RUNNING, PH_LINGER, PH_KILLING };

static struct cell cell;
static struct wl_proc wl[MAX_WORKLOADS];
static int sig_fd = -1, timer_fd = -1;
static unsigned long long overruns;

static void take_sample(void)
{
	sample_take(wl, cell.n_wl);
}

static void __attribute__((noreturn)) finish(const char *reason)
{
	sample_run_mark(1);
	kmsg_drain(KMSG_ALL);
	if (strcmp(reason, "error"))
		take_sample();
	sample_log_stats(overruns);
	emitf(STREAM_KIND_BYE, "reason=%s\n", reason);
	emit_drain(FINAL_DRAIN_MS);
	sync();
	reboot(RB_POWER_OFF);
	reboot(RB_AUTOBOOT); /* with -no-reboot QEMU exits too */
	for (;;)
		pause();
}

static void __attribute__((noreturn)) fatal(const char *what)
{
	alog("fatal: %s", what);
	finish("error");
}

static int count(enum wl_state s)
{
	int n = 0;

	for (int i = 0; i < cell.n_wl; i++)
		n += wl[i].state == s;
	return n;
}

/* The workloads that are not watchers, in state s. */
static int count_others(enum wl_state s)
{
	int n = 0;

	for (int i = 0; i < cell.n_wl; i++)
		n += wl[i].state == s && !wl[i].spec->watcher;
	return n;
}

/* together: everything pending; sequence: the next one when none runs.
 * A workload with a start delay waits until that long after the run phase
 * began. A workload that fails to spawn is done, so the next one gets its
 * turn. Returns when the next delayed start is due (0: none). */
static uint64_t start_more(uint64_t now, uint64_t t0)
{
	uint64_t next = 0;

	for (int i = 0; i < cell.n_wl; i++) {
		if (wl[i].state != WL_PENDING)
			continue;
		if (cell.sequence && count(WL_RUNNING))
			return next;
		uint64_t due = t0 + wl[i].spec->delay_ms;
		if (now < due) {
			if (!next || due < next)
				next = due;
			if (cell.sequence)
				return next;
			continue;
		}
		run_spawn(&wl[i]);
	}
	return next;
}

static int start_timer(unsigned ms)
{
	struct itimerspec it = {
		.it_interval = { ms / 1000, (long)(ms % 1000) * 1000000L },
		.it_value = { ms / 1000, (long)(ms % 1000) * 1000000L },
	};
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);

	if (fd >= 0 && timerfd_settime(fd, 0, &it, NULL) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void on_timer(void)
{
	uint64_t exp;

	if (read(timer_fd, &exp, sizeof(exp)) != (ssize_t)sizeof(exp) || exp == 0)
		return;
	overruns += exp - 1;
	take_sample();
	stall_check(wl, cell.n_wl);
}

/* The poll set: kmsg, signalfd, timerfd, then one fd per PSI trigger
 * (-1: not polled), then one pipe per workload. */
static int build_poll(struct pollfd *pfd, int *who)
{
	int n = 0;

	pfd[n++] = (struct pollfd){ .fd = kmsg_fd(), .events = POLLIN };
	pfd[n++] = (struct pollfd){ .fd = sig_fd, .events = POLLIN };
	pfd[n++] = (struct pollfd){ .fd = timer_fd, .events = POLLIN };
	for (int i = 0; i < cell.n_psi; i++)
		pfd[n++] = (struct pollfd){ .fd = cell.psi[i].fd, .events = POLLPRI };
	for (int i = 0; i < cell.n_wl; i++) {
		if (wl[i].out_fd < 0)
			continue;
		who[n] = i;
		pfd[n++] = (struct pollfd){ .fd = wl[i].out_fd, .events = POLLIN };
	}
	return n;
}

static void handle(const struct pollfd *pfd, const int *who, int n)
{
	if (pfd[0].revents)
		kmsg_drain(KMSG_BURST);
	for (int i = 0; i < cell.n_psi; i++)
		if (pfd[3 + i].revents)
			psi_fired(&cell, i, pfd[3 + i].revents);
	for (int i = 3 + cell.n_psi; i < n; i++) {
		if (pfd[i].revents)
			run_read_out(&wl[who[i]]);
	}
	if (pfd[1].revents)
		run_reap(sig_fd, wl, cell.n_wl);
	if (pfd[2].revents)
		on_timer();
}

static const char *loop(void)
{
	uint64_t t0 = mono_ms(), next_start = 0;
	uint64_t deadline = t0 + (uint64_t)cell.deadline_s * 1000u, until = 0;
	enum phase ph = PH_RUNNING;
	struct pollfd pfd[3 + MAX_PSI_TRIGGERS + MAX_WORKLOADS];
	int who[3 + MAX_PSI_TRIGGERS + MAX_WORKLOADS];

	for (;;) {
		uint64_t now = mono_ms(), end;
		int n;

		if (ph == PH_RUNNING) {
			next_start = start_more(now, t0);
			if (now >= deadline) {
				run_kill_all(wl, cell.n_wl);
				ph = PH_KILLING;
				until = now + KILL_REAP_MS;
			} else if (!count_others(WL_RUNNING) && !count_others(WL_PENDING)) {
				/* the others are done: stop the watchers, then linger */
				for (int i = 0; i < cell.n_wl; i++)
					if (wl[i].state == WL_PENDING)
						wl[i].state = WL_DONE;
				run_stop_watchers(wl, cell.n_wl);
				if (!count(WL_RUNNING)) {
					ph = PH_LINGER;
					until = now + cell.linger_ms;
				}
			}
		}
		if (ph == PH_KILLING && !count(WL_RUNNING))
			return "deadline";
		if (ph != PH_RUNNING && now >= until) {
			if (ph == PH_KILLING)
				alog("deadline: %d workload(s) not reaped after SIGKILL",
				     count(WL_RUNNING));
			return ph == PH_LINGER ? "done" : "deadline";
		}
		end = ph == PH_RUNNING ? deadline : until;
		if (ph == PH_RUNNING && next_start && next_start < end)
			end = next_start;
		n = build_poll(pfd, who);
		if (poll(pfd, (nfds_t)n, (int)(end - now)) < 0) {
			if (errno != EINTR)
				alog("poll: %s", strerror(errno));
			continue;
		}
		handle(pfd, who, n);
	}
}

/* Warm boot: modules of /warm.conf, then the control port: prime, the
 * warm-up probe, quiet, ready, and wait; the host saves the VM there.
 * After a restore the cell's description arrives (alive probes before it
 * are answered) and the stream starts afresh (hello, seq 0). The boot log
 * is still in the kernel's buffer: /dev/kmsg is opened only now, so the
 * cell's stream carries it from the first record, as a cold one. */
static int warm_boot(void)
{
	static struct cell boot;
	enum warm_frame kind = WF_CELL;
	size_t cap;
	char *buf;
	long len;
	int fd;

	setup_protect();
	if (access(WARM_CONF_PATH, F_OK) == 0 && conf_load(WARM_CONF_PATH, &boot, 0) == 0)
		setup_modules(&boot);
	emit_map_ring();
	fd = warm_ctl_open();
	if (fd < 0 || warm_say(fd, CTL_PRIME "\n") < 0)
		fatal("warm start: no control port");
	buf = conf_buffer(&cap);
	for (;;) {
		len = warm_receive(fd, buf, cap, CTL_WAIT_MS, &kind);
		if (len < 0 || kind == WF_CELL)
			break;
		warm_probe(fd, buf, (size_t)len);
	}
	emit_reset();
	emit_use_ring();
	kmsg_open();
	setup_hello();
	setup_log_mounts();
	emit_log_channel();
	if (len < 0)
		return -1;
	alog("warm: resumed with a cell description of %ld bytes; %ld tasks started since the snapshot",
	     len, warm_tasks_since_ready());
	return conf_parse((size_t)len, &cell, "cell description", 1);
}

int main(void)
{
	int errors;

	setup_mounts();
	setup_stdio();
	emit_open();
	if (access(CELLCONF_PATH, F_OK) == 0) {
		emit_use_ring();
		kmsg_open();
		setup_hello();
		setup_log_mounts();
		emit_log_channel();
		setup_protect();
		errors = conf_load(CELLCONF_PATH, &cell, 1);
	} else {
		errors = warm_boot();
	}
	kmsg_drain(KMSG_ALL); /* the boot log, from the first record */
	if (errors)
		fatal("cell.conf unusable");
	setup_modules(&cell);
	if (setup_cgroups(&cell) < 0)
		fatal("cgroup setup failed");
	setup_knobs(&cell);
	if (cell.swap_dev && setup_swap(cell.swap_dev) < 0)
		fatal("swap setup failed");
	kmsg_drain(KMSG_ALL);
	sample_init(&cell);
	stall_init(&cell);
	sig_fd = run_init(&cell, wl);
	if (sig_fd < 0)
		fatal("cannot watch SIGCHLD");
	timer_fd = start_timer(cell.sample_ms);
	if (timer_fd < 0)
		fatal("cannot create the sample timer");
	psi_register(&cell);
	take_sample(); /* right before the first workload */
	sample_run_mark(0);
	finish(loop());
}
