// SPDX-License-Identifier: GPL-2.0-or-later
/* leak: a small reproducer of a memory leak, for the exec workload
 * (examples/leak.json, docs/workload-protocol.md). It allocates a block
 * every interval and never frees it, in a pattern its arguments change:
 *
 *   leak [--step-mb N] [--interval-ms N] [--max-mb N] [--touch 0|1]
 *        [--hold-ms N] [--fail-at-mb N]
 *
 *   --step-mb      MiB leaked each step (default 8)
 *   --interval-ms  pause between steps (default 50; 0: none)
 *   --max-mb       stop after this many MiB (default 0: until refused or killed)
 *   --touch        1: write every page (resident, reclaimable only to swap);
 *                  0: only reserve it (address space, overcommitted) (default 1)
 *   --hold-ms      keep it this long before exiting (default 0)
 *   --fail-at-mb   exit 3 when this many MiB are leaked (default 0: never),
 *                  like a program that detects its own trouble
 *
 * It speaks oomlab's workload protocol on stdout: one "oomlab-progress
 * mb=N" per step, and when it ends by itself one "oomlab-result" with the
 * bytes it holds (reason=max or reason=enomem when malloc returned NULL).
 * Built by make into build/leak, dynamically linked: the exec workload
 * carries libc and the loader with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long opt(int argc, char **argv, const char *name, long long def)
{
	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return atoll(argv[i + 1]);
	return def;
}

static void pause_ms(long long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (ms > 0 && nanosleep(&ts, &ts) != 0)
		;
}

int main(int argc, char **argv)
{
	long long step = opt(argc, argv, "--step-mb", 8), interval = opt(argc, argv, "--interval-ms", 50);
	long long max = opt(argc, argv, "--max-mb", 0), touch = opt(argc, argv, "--touch", 1);
	long long hold = opt(argc, argv, "--hold-ms", 0), fail_at = opt(argc, argv, "--fail-at-mb", 0);
	long long mb = 0;

	if (step < 1 || interval < 0 || max < 0 || hold < 0 || fail_at < 0) {
		fprintf(stderr, "leak: bad arguments (see the comment at the top of leak.c)\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0); /* every line out before an OOM kill */
	printf("leak: step %lld MiB every %lld ms, max %lld MiB, touch %lld\n", step, interval, max, touch);
	for (;;) {
		if (max && mb + step > max)
			break;
		char *p = malloc((size_t)step << 20);
		if (!p) {
			printf("oomlab-result workload=leak reason=enomem mb=%lld bytes=%lld\n", mb, mb << 20);
			return 0;
		}
		if (touch)
			memset(p, 0x5a, (size_t)step << 20);
		mb += step;
		printf("oomlab-progress mb=%lld\n", mb);
		if (fail_at && mb >= fail_at) {
			fprintf(stderr, "leak: %lld MiB leaked, giving up (--fail-at-mb %lld)\n", mb, fail_at);
			return 3;
		}
		pause_ms(interval);
	}
	pause_ms(hold);
	printf("oomlab-result workload=leak reason=max mb=%lld bytes=%lld\n", mb, mb << 20);
	return 0;
}
