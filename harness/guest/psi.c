// SPDX-License-Identifier: GPL-2.0-or-later
/* PSI triggers (Documentation/accounting/psi.rst, "Monitoring for
 * pressure thresholds"): each is an fd of /proc/pressure/memory, or of a
 * memory cgroup's memory.pressure ("Cgroup2 interface": the same triggers
 * on the group's own stalls), opened O_RDWR, into which
 * "<some|full> <stall_us> <window_us>" was written; the
 * kernel signals POLLPRI when the stall passed the threshold within the
 * window (at most once per window), POLLERR when the file goes away. The
 * agent polls them with its other fds; nothing here allocates. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "proto/cellconf.h"

#define PSI_MEMORY "/proc/pressure/memory"

static const char *kind(const struct psi_trig *t)
{
	return t->full ? "full" : "some";
}

void psi_register(struct cell *c)
{
	for (int i = 0; i < c->n_psi; i++) {
		struct psi_trig *t = &c->psi[i];
		char line[64], path[256];
		int n = snprintf(line, sizeof(line), "%s %llu %llu", kind(t), t->stall_us, t->window_us);

		if (t->cgroup)
			snprintf(path, sizeof(path), "%s/%s/memory.pressure", GUEST_CGROUP_DIR, t->cgroup);
		else
			snprintf(path, sizeof(path), "%s", PSI_MEMORY);
		int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);

		if (fd < 0 || write(fd, line, (size_t)n + 1) < 0) {
			int e = errno;

			emitf(STREAM_KIND_TRIGGER, "id=%d\nkind=%s\nstall_us=%llu\nwindow_us=%llu\n%s%s%serror=%d\n",
			      i, kind(t), t->stall_us, t->window_us, t->cgroup ? "cgroup=" : "",
			      t->cgroup ? t->cgroup : "", t->cgroup ? "\n" : "", e);
			alog("psi trigger %d (%s on %s): %s", i, line, path, strerror(e));
			if (fd >= 0)
				close(fd);
			continue;
		}
		t->fd = fd;
		alog("psi trigger %d: %s on %s", i, line, path);
	}
}

void psi_fired(struct cell *c, int i, short revents)
{
	struct psi_trig *t = &c->psi[i];

	if (revents & POLLPRI)
		emitf(STREAM_KIND_TRIGGER, "id=%d\nkind=%s\nstall_us=%llu\nwindow_us=%llu\n%s%s%s", i, kind(t),
		      t->stall_us, t->window_us, t->cgroup ? "cgroup=" : "", t->cgroup ? t->cgroup : "",
		      t->cgroup ? "\n" : "");
	if (revents & (POLLERR | POLLNVAL)) {
		alog("psi trigger %d: %s, closed", i, revents & POLLERR ? "POLLERR" : "POLLNVAL");
		close(t->fd);
		t->fd = -1;
	}
}
