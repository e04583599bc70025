// SPDX-License-Identifier: GPL-2.0-or-later
/* Warm start, guest side (protocol in cellconf.h): the control port, its
 * lines (prime, ready, alive), the probe frames, and the framed cell
 * description that arrives after the host restored the VM. A frame is
 * host input: its length is bounded, its CRC checked, and bytes before
 * the magic are skipped. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "agent.h"
#include "proto/cellconf.h"
#include "proto/crc32.h"

#define HDR_MAX 64

int warm_ctl_open(void)
{
	struct termios t;
	int fd = open(CTL_DEV, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		alog("warm: open %s: %s", CTL_DEV, strerror(errno));
		return -1;
	}
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		if (tcsetattr(fd, TCSANOW, &t) < 0)
			alog("warm: tcsetattr %s: %s", CTL_DEV, strerror(errno));
	}
	return fd;
}

int warm_say(int fd, const char *line)
{
	if (write_full(fd, line, strlen(line), 10000) < 0) {
		alog("warm: write on %s: %s", CTL_DEV, strerror(errno));
		return -1;
	}
	tcdrain(fd);
	return 0;
}

/* One byte, waiting at most until end (mono ms). 1, 0 timeout, -1 error. */
static int get_byte(int fd, uint64_t end, char *c)
{
	for (;;) {
		uint64_t now = mono_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r;

		if (now >= end)
			return 0;
		r = poll(&p, 1, (int)(end - now));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		n = read_retry(fd, c, 1);
		if (n == 1)
			return 1;
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n == 0)
			errno = EIO;
		return -1;
	}
}

/* The frame kind a header line starts with; -1: none. */
static int frame_kind(const char *hdr, const char **rest)
{
	static const struct {
		const char *magic;
		enum warm_frame kind;
	} kinds[] = { { CTL_MAGIC " ", WF_CELL }, { CTL_PROBE_MAGIC " ", WF_PROBE } };

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		size_t n = strlen(kinds[i].magic);

		if (!strncmp(hdr, kinds[i].magic, n)) {
			*rest = hdr + n;
			return (int)kinds[i].kind;
		}
	}
	return -1;
}

long warm_receive(int fd, char *buf, size_t cap, int timeout_ms, enum warm_frame *kind)
{
	uint64_t end = mono_ms() + (uint64_t)timeout_ms;
	char hdr[HDR_MAX + 1];
	const char *p = NULL;
	size_t hl = 0, len, got = 0;
	int k = -1;
	unsigned long long want_len;
	unsigned crc;
	int r;
	char c;

	/* the header line: skip to the magic, then read up to '\n' */
	for (;;) {
		r = get_byte(fd, end, &c);
		if (r <= 0)
			goto fail;
		if (c == '\n') {
			hdr[hl] = '\0';
			k = frame_kind(hdr, &p);
			if (k >= 0)
				break;
			hl = 0; /* noise: start over */
			continue;
		}
		if (hl == HDR_MAX)
			hl = 0;
		hdr[hl++] = c;
	}
	if (sscanf(p, "%llu %8x", &want_len, &crc) != 2 || want_len > cap) {
		alog("warm: bad frame header '%s' (at most %zu bytes)", hdr, cap);
		return -1;
	}
	len = (size_t)want_len;
	while (got < len) {
		r = get_byte(fd, end, &buf[got]);
		if (r <= 0)
			goto fail;
		got++;
	}
	if (crc32_ieee(buf, len) != crc) {
		alog("warm: frame of %zu bytes fails its crc32", len);
		return -1;
	}
	*kind = (enum warm_frame)k;
	return (long)len;
fail:
	if (r == 0)
		alog("warm: no cell description on %s within %d ms (%zu bytes came)", CTL_DEV,
		     timeout_ms, got);
	else
		alog("warm: reading %s: %s", CTL_DEV, strerror(errno));
	return -1;
}

static long ready_last_pid = -1;

/* The last pid the kernel handed out (/proc/loadavg's last field). */
static long last_pid(void)
{
	char b[128];
	int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read_retry(fd, b, sizeof(b) - 1);
	char *sp;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	b[n] = '\0';
	sp = strrchr(b, ' ');
	return sp ? strtol(sp + 1, NULL, 10) : -1;
}

long warm_tasks_since_ready(void)
{
	long now = last_pid();

	return ready_last_pid < 0 || now < 0 ? -1 : now - ready_last_pid;
}

/* Quiesce, then say ready with what was seen; the host saves the VM
 * while the agent waits for the next frame. */
static int warm_up(int fd)
{
	struct quiet q;
	char line[sizeof(q.busy) + 64];

	if (warm_quiesce(&q) < 0) {
		alog("warm: not quiet after %d ms (busy: %s)", CTL_QUIET_MAX_MS, q.busy);
		snprintf(line, sizeof(line), CTL_READY " busy=%s\n", q.busy[0] ? q.busy : "?");
		return warm_say(fd, line);
	}
	ready_last_pid = last_pid();
	snprintf(line, sizeof(line), CTL_READY " quiet_ms=%u others_us=%llu\n", q.quiet_ms, q.others_us);
	return warm_say(fd, line);
}

static void __attribute__((noreturn)) crash_kernel(void)
{
	int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);

	alog("warm: crashing the kernel, as the probe asks");
	if (fd >= 0)
		write_full(fd, "c", 1, 1000);
	/* no sysrq: PID 1 exiting panics the kernel too */
	_exit(1);
}

int warm_probe(int fd, const char *buf, size_t len)
{
	size_t n = strcspn(buf, "\n");
	char line[64];

	if (n == len) {
		alog("warm: a probe of %zu bytes without a command line", len);
		return -1;
	}
	if (n == strlen(CTL_PROBE_WARMUP) && !strncmp(buf, CTL_PROBE_WARMUP, n))
		return warm_up(fd);
	if (n == strlen(CTL_PROBE_ALIVE) && !strncmp(buf, CTL_PROBE_ALIVE, n)) {
		snprintf(line, sizeof(line), CTL_ALIVE " tasks=%ld\n", warm_tasks_since_ready());
		return warm_say(fd, line);
	}
	if (n == strlen(CTL_PROBE_PANIC) && !strncmp(buf, CTL_PROBE_PANIC, n))
		crash_kernel();
	alog("warm: unknown probe '%.*s'", (int)(n < 32 ? n : 32), buf);
	return -1;
}
