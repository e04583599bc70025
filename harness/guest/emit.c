// SPDX-License-Identifier: GPL-2.0-or-later
/* The stream writer: framed records (stream.h) on /dev/ttyS1.
 *
 * A record goes out as one writev() of header, payload and "\n", retried
 * until complete. The port is non-blocking so a stuck reader costs a bounded
 * stall, never a hang: after STALL_MS without progress the record is
 * abandoned (the host sees a damaged record and a seq gap) and later
 * records get a short stall budget until one goes through again. */
#include <errno.h>
#include <fcntl.h>
#include <linux/serial.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "proto/crc32.h"

#define STALL_MS 10000
#define STALL_DEGRADED_MS 200
#define STREAM_DEV "/dev/ttyS1"
#define FALLBACK_DEV "/dev/console"

static int out_fd = -1;
static unsigned long long seq;
static int degraded;
static struct emit_stats st;
static char fmt_buf[16384];

void emit_reset(void)
{
	seq = 0;
	degraded = 0;
	memset(&st, 0, sizeof(st));
}

uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t mono_ms(void)
{
	return mono_us() / 1000u;
}

static int wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		errno = ETIMEDOUT;
	return r;
}

/* writev() the whole iovec array, advancing through partial writes. */
static int writev_full(int fd, struct iovec *iov, int cnt, int stall_ms)
{
	while (cnt > 0) {
		ssize_t n = writev(fd, iov, cnt);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && wait_fd(fd, POLLOUT, stall_ms) > 0)
				continue;
			return -1;
		}
		while (cnt > 0 && (size_t)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			cnt--;
		}
		if (cnt > 0) {
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

int write_full(int fd, const void *buf, size_t len, int stall_ms)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return writev_full(fd, &iov, 1, stall_ms);
}

ssize_t read_retry(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

/* The 8250 driver registers ttyS0-3 whether or not a UART is there; an
 * absent one opens fine and swallows writes. Refuse it. */
static int port_missing(int fd)
{
	struct serial_struct ss;

	return ioctl(fd, TIOCGSERIAL, &ss) == 0 && ss.type == PORT_UNKNOWN;
}

static int open_raw(const char *path, int check_port)
{
	struct termios t;
	int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (check_port && port_missing(fd)) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cflag |= CLOCAL;
		t.c_cflag &= ~(tcflag_t)CRTSCTS;
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

int emit_open(void)
{
	int err;

	out_fd = open_raw(STREAM_DEV, 1);
	if (out_fd >= 0)
		return 0;
	err = errno;
	out_fd = open_raw(FALLBACK_DEV, 0);
	if (out_fd < 0)
		out_fd = STDERR_FILENO;
	dprintf(STDERR_FILENO, "oomlab-agent: cannot open %s (%s), stream goes to %s\n",
		STREAM_DEV, strerror(err), out_fd == STDERR_FILENO ? "stderr" : FALLBACK_DEV);
	alog("stream: %s unavailable (%s), writing to %s", STREAM_DEV, strerror(err),
	     out_fd == STDERR_FILENO ? "stderr" : FALLBACK_DEV);
	return -1;
}

void emit(const char *kind, const void *payload, size_t len)
{
	char hdr[STREAM_MAX_HEADER];
	struct iovec iov[3];
	int h;

	if (len > STREAM_MAX_PAYLOAD)
		len = STREAM_MAX_PAYLOAD;
	h = snprintf(hdr, sizeof(hdr), STREAM_MAGIC "%s %llu %llu %zu %08x\n", kind, seq++,
		     (unsigned long long)mono_us(), len, (unsigned)crc32_ieee(payload, len));
	if ((out_fd < 0 && !ring_active()) || h <= 0 || (size_t)h >= sizeof(hdr)) {
		st.write_errors++;
		return;
	}
	iov[0] = (struct iovec){ .iov_base = hdr, .iov_len = (size_t)h };
	iov[1] = (struct iovec){ .iov_base = (void *)payload, .iov_len = len };
	iov[2] = (struct iovec){ .iov_base = "\n", .iov_len = 1 };
	if ((ring_active() ? ring_write(iov, 3, degraded ? STALL_DEGRADED_MS : STALL_MS)
			   : writev_full(out_fd, iov, 3, degraded ? STALL_DEGRADED_MS : STALL_MS)) < 0) {
		st.write_errors++;
		degraded = 1;
		return;
	}
	degraded = 0;
	st.records++;
	st.bytes += (unsigned long long)h + len + 1;
}

static void vemitf(const char *kind, const char *fmt, va_list ap)
{
	int n = vsnprintf(fmt_buf, sizeof(fmt_buf), fmt, ap);

	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(fmt_buf))
		n = sizeof(fmt_buf) - 1;
	emit(kind, fmt_buf, (size_t)n);
}

void emitf(const char *kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemitf(kind, fmt, ap);
	va_end(ap);
}

void alog(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemitf(STREAM_KIND_LOG, fmt, ap);
	va_end(ap);
}

/* tcdrain() may wait forever: poll the output queue and the transmitter
 * instead, each with a bound. */
void emit_drain(int timeout_ms)
{
	uint64_t end = mono_ms() + (uint64_t)timeout_ms;
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	int q;
	unsigned lsr;

	if (ring_active()) {
		ring_drain(timeout_ms);
		return;
	}
	if (out_fd < 0)
		return;
	while (mono_ms() < end) {
		if (ioctl(out_fd, TIOCOUTQ, &q) < 0 || q <= 0)
			break;
		nanosleep(&tick, NULL);
	}
	while (mono_ms() < end) {
		if (ioctl(out_fd, TIOCSERGETLSR, &lsr) < 0 || (lsr & TIOCSER_TEMT))
			break;
		nanosleep(&tick, NULL);
	}
}

static char ring_note[400];

void emit_use_ring(void)
{
	emit_drain(1000);
	ring_open(ring_note, sizeof ring_note);
}

void emit_map_ring(void)
{
	ring_map(ring_note, sizeof ring_note);
}

void emit_log_channel(void)
{
	if (ring_active())
		alog("stream: shared-memory ring (%s)", ring_note);
	else
		alog("stream: %s (%s)", STREAM_DEV, ring_note);
}

const struct emit_stats *emit_stats(void)
{
	return &st;
}
