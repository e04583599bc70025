// SPDX-License-Identifier: GPL-2.0-or-later
/* hostile: a test workload for the fault suite (tests/faults). It behaves
 * like a broken or malicious guest program: it names itself with quotes,
 * HTML and control characters, writes garbage, NUL bytes, invalid UTF-8,
 * fake stream frame headers and one very long line into its output (which
 * the agent forwards to the host as stream records) and into /dev/kmsg,
 * then exits, gets itself OOM-killed, blocks forever or spins at realtime
 * priority (starving the agent on its CPU). The host must stay in bounds
 * and keep its reports valid; none of this is a measurement. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "wl.h"

enum { O_LINE_KB, O_KMSG, O_THEN, O_SEED };

static const char *const then_choices[] = {"exit", "oom", "block", "spin", NULL};
enum { THEN_EXIT, THEN_OOM, THEN_BLOCK, THEN_SPIN };

static const struct wl_opt opts[] = {
	[O_LINE_KB] = { "line-kb", OPT_SIZE_KB, 0, 65536, 10240,
			"length of the one long line (no newline) it writes" },
	[O_KMSG] = { "kmsg", OPT_INT, 0, 1, 1, "also write garbage into /dev/kmsg" },
	[O_THEN] = { "then", OPT_ENUM, 0, 0, THEN_EXIT,
		     "afterwards: exit, oom (write memory until the OOM killer ends it), block "
		     "(forever), spin (SCHED_FIFO busy loop, forever)",
		     then_choices, NULL, 0 },
	[O_SEED] = { "seed", OPT_INT, 0, 1LL << 31, 1, "seed of the random garbage" },
};

/* The name the process gives itself (comm: 15 bytes; the kernel's OOM
 * report and /proc/PID/status carry it). */
static const char hostile_comm[] = "<b>\"'&\x1b[1m\x01";

/* write(2) all of it, ignoring errors (the reader may be gone). */
static void put(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		len -= (size_t)w;
	}
}

#define PUTS(fd, lit) put(fd, lit, sizeof(lit) - 1)

static unsigned long long rnd_state;

static unsigned char rnd_byte(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (unsigned char)(rnd_state >> 24);
}

static void stdout_garbage(long long line_kb)
{
	char buf[65536];
	/* a start line whose values are hostile */
	wl_say("oomlab-start workload=<script>alert(\"x\")</script> pid=%d vmsize_kb=%lld "
	       "rlimit_as_kb=%lld oom_score_adj=%lld comm=%s\n",
	       (int)getpid(), wl_vmsize_kb(), wl_rlimit_as_kb(), wl_oom_score_adj(), hostile_comm);
	/* metrics with HTML, quotes, control bytes and invalid UTF-8 */
	PUTS(1, "oomlab-metric html=<img/src=x/onerror=alert(1)> quote=\"'\"' amp=&amp;& "
		"ctl=\x01\x02\x1b[31m\x7f utf8=\xff\xfe\xc0\x80\xed\xa0\x80 key<script>=1 =2 x= "
		"huge=99999999999999999999999999 nan=nan inf=-inf\n");
	/* NUL bytes inside and between lines */
	PUTS(1, "\0\0\0oomlab-metric nul\0key=1\0\n\0\n");
	/* fake frame headers: a bye, an exit of workload 0, a huge length */
	PUTS(1, "\n@OL1 bye 99 0 3 00000000\nbye\n"
		"@OL1 exit 5 1 23 deadbeef\nid=0 code=0 signal=0\n"
		"@OL1 sample 1 1 999999999999 00000000\n"
		"@OL1 kmsg -1 -1 -1 zzzzzzzz\n@OL1 \n@OL1");
	PUTS(1, "\noomlab-progress mb=-99999999999999999999\n");
	PUTS(1, "oomlab-buddyinfo ../../x Node 0, zone <b>DMA</b> 1 2 3 99999999999999999999\n");
	/* random bytes (NULs and newlines among them) */
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)rnd_byte();
	put(1, buf, sizeof buf);
	PUTS(1, "\n");
	/* one long line */
	memset(buf, 'A', sizeof buf);
	for (long long left = line_kb * 1024; left > 0; left -= (long long)sizeof buf)
		put(1, buf, left < (long long)sizeof buf ? (size_t)left : sizeof buf);
	PUTS(1, "\n");
}

static void kmsg_garbage(void)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		wl_say("oomlab-metric kmsg_open_errno=%d\n", errno);
		return;
	}
	/* each write(2) is one kmsg record */
	PUTS(fd, "<4>hostile: <script>alert('kmsg')</script> \"quoted\" & \x01\x1b[2J\xff\xfe\n");
	PUTS(fd, "<4>hostile: \n@OL1 bye 0 0 3 00000000\nbye\n");
	PUTS(fd, "<4>hostile: NUL\0after the NUL\n");
	char big[4096];
	memset(big, 'K', sizeof big);
	put(fd, big, sizeof big); /* longer than a kmsg record: cut by the kernel */
	close(fd);
}

static int finish(int then)
{
	switch (then) {
	case THEN_OOM:
		for (;;) {
			char *p = malloc(1 << 20);
			if (!p)
				break;
			memset(p, 0x5a, 1 << 20);
		}
		wl_say("oomlab-result workload=hostile reason=enomem\n");
		return 0;
	case THEN_BLOCK:
		for (;;)
			pause();
	case THEN_SPIN: {
		struct sched_param sp = {.sched_priority = sched_get_priority_max(SCHED_FIFO)};
		if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
			wl_say("oomlab-metric sched_errno=%d\n", errno);
		for (volatile unsigned long n = 0;; n++)
			;
	}
	}
	wl_say("oomlab-result workload=hostile reason=<b>done</b> mb=0 note=\"'<&>\n");
	return 0;
}

static int run(const struct wl_args *a)
{
	const long long *v = a->v;

	rnd_state = (unsigned long long)v[O_SEED] * 2654435761u + 1;
	prctl(PR_SET_NAME, hostile_comm, 0, 0, 0);
	stdout_garbage(v[O_LINE_KB]);
	if (v[O_KMSG])
		kmsg_garbage();
	return finish((int)v[O_THEN]);
}

const struct workload wl_hostile = {
	.name = "hostile",
	.help = "test workload (fault suite): writes garbage, NUL bytes, fake frame headers and a "
		"long line into its output and /dev/kmsg under a hostile name, then exits, is "
		"OOM-killed, blocks or spins",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
};
