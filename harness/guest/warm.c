// SPDX-License-Identifier: GPL-2.0-or-later
/* Warm start, guest side (protocol in cellconf.h): the control port, the
 * ready line, and the framed cell description that arrives after the
 * host restored the VM. The frame is host input: its length is bounded,
 * its CRC checked, and bytes before the magic are skipped. */
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

int warm_say_ready(int fd)
{
	if (write_full(fd, CTL_READY "\n", strlen(CTL_READY) + 1, 10000) < 0) {
		alog("warm: write ready on %s: %s", CTL_DEV, strerror(errno));
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

long warm_receive(int fd, char *buf, size_t cap, int timeout_ms)
{
	uint64_t end = mono_ms() + (uint64_t)timeout_ms;
	char hdr[HDR_MAX + 1], *p;
	size_t hl = 0, len, got = 0;
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
			if (!strncmp(hdr, CTL_MAGIC " ", strlen(CTL_MAGIC) + 1))
				break;
			hl = 0; /* noise: start over */
			continue;
		}
		if (hl == HDR_MAX)
			hl = 0;
		hdr[hl++] = c;
	}
	p = hdr + strlen(CTL_MAGIC) + 1;
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
		alog("warm: cell description of %zu bytes fails its crc32", len);
		return -1;
	}
	return (long)len;
fail:
	if (r == 0)
		alog("warm: no cell description on %s within %d ms (%zu bytes came)", CTL_DEV,
		     timeout_ms, got);
	else
		alog("warm: reading %s: %s", CTL_DEV, strerror(errno));
	return -1;
}
