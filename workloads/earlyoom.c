// SPDX-License-Identifier: GPL-2.0-or-later
/* earlyoom: run Debian's earlyoom (a userspace OOM killer) beside the
 * other workloads of the cell, for as long as they run:
 *
 *   /usr/bin/earlyoom [-m P] [-s P] [-M KiB] [-S KiB] [--prefer RE] [--avoid RE] -r <report-s>
 *
 * The host carries the binary (from the earlyoom .deb it unpacks into its
 * cache, never installed on the host: boot/hostprogs.h) with its loader
 * and libraries. Every line earlyoom writes (stdout and stderr, one pipe)
 * is passed on as it is, each in one write(2): the host reads its kills
 * from them ("sending SIGTERM to process N uid 0 \"touch\": ...",
 * parse/earlyoom.c).
 *
 * This process and earlyoom run at oom_score_adj -1000: neither the
 * kernel's OOM killer nor earlyoom (which skips -1000, as the kernel does)
 * picks them. The agent stops it with SIGTERM once the cell's other
 * workloads are done (it is a watcher: wl.h); it then stops earlyoom and
 * ends with
 *
 *   oomlab-result workload=earlyoom reason=stopped kills=N exit=<code> signal=<n>
 *
 * (reason=failed when earlyoom ended by itself: a bad regex, no binary). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "wl.h"
#include "wlmem.h"

#define EARLYOOM_PATH "/usr/bin/earlyoom"

enum { O_MEM_PCT, O_SWAP_PCT, O_MEM_KB, O_SWAP_KB, O_PREFER, O_AVOID, O_REPORT_S };

static const struct wl_opt opts[] = {
	[O_MEM_PCT] = { "mem-percent", OPT_INT, 0, 100, 0,
			"-m: SIGTERM when MemAvailable is at or below this % of MemTotal (and swap "
			"below its own); SIGKILL at half of it. 0: not given (earlyoom's 10, unless "
			"mem-kb is given)" },
	[O_SWAP_PCT] = { "swap-percent", OPT_INT, 0, 100, 0,
			 "-s: the same for SwapFree in % of SwapTotal (100: ignore swap). 0: not given "
			 "(earlyoom's 10, unless swap-kb is given)" },
	[O_MEM_KB] = { "mem-kb", OPT_SIZE_KB, 0, 1LL << 40, 0,
		       "-M: the MemAvailable threshold in KiB instead (with mem-percent: the lower "
		       "one); 0: not given" },
	[O_SWAP_KB] = { "swap-kb", OPT_SIZE_KB, 0, 1LL << 40, 0,
			"-S: the SwapFree threshold in KiB instead (with swap-percent: the lower "
			"one); 0: not given" },
	[O_PREFER] = { "prefer", OPT_STR, 0, 0, 0,
		       "--prefer: kill processes whose name matches this extended regex first" },
	[O_AVOID] = { "avoid", OPT_STR, 0, 0, 0,
		      "--avoid: avoid killing processes whose name matches this extended regex" },
	[O_REPORT_S] = { "report-s", OPT_INT, 0, 3600, 1,
			 "-r: seconds between earlyoom's memory reports (0: none)" },
};

#define EO_STOP_GRACE_MS 3000

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

struct reader {
	long long kills;
};

static void on_line(void *ctx, const char *line, size_t len)
{
	static const char term[] = "sending SIGTERM to process ", kill[] = "sending SIGKILL to process ";
	struct reader *r = ctx;
	if ((len >= sizeof term - 1 && !memcmp(line, term, sizeof term - 1)) ||
	    (len >= sizeof kill - 1 && !memcmp(line, kill, sizeof kill - 1)))
		r->kills++;
	wl_say("%.*s\n", (int)(len < 480 ? len : 480), line);
}

static int set_own_adj(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int ok = write(fd, "-1000", 5) == 5;
	close(fd);
	return ok ? 0 : -1;
}

static int run(const struct wl_args *a)
{
	char m[24], s[24], M[24], S[24], r_s[24];
	char *argv[20];
	char *envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", NULL};
	int argc = 0;

	argv[argc++] = EARLYOOM_PATH;
	if (a->v[O_MEM_PCT] > 0) {
		snprintf(m, sizeof m, "%lld", a->v[O_MEM_PCT]);
		argv[argc++] = "-m";
		argv[argc++] = m;
	}
	if (a->v[O_SWAP_PCT] > 0) {
		snprintf(s, sizeof s, "%lld", a->v[O_SWAP_PCT]);
		argv[argc++] = "-s";
		argv[argc++] = s;
	}
	if (a->v[O_MEM_KB] > 0) {
		snprintf(M, sizeof M, "%lld", a->v[O_MEM_KB]);
		argv[argc++] = "-M";
		argv[argc++] = M;
	}
	if (a->v[O_SWAP_KB] > 0) {
		snprintf(S, sizeof S, "%lld", a->v[O_SWAP_KB]);
		argv[argc++] = "-S";
		argv[argc++] = S;
	}
	if (a->s[O_PREFER] && *a->s[O_PREFER]) {
		argv[argc++] = "--prefer";
		argv[argc++] = (char *)a->s[O_PREFER];
	}
	if (a->s[O_AVOID] && *a->s[O_AVOID]) {
		argv[argc++] = "--avoid";
		argv[argc++] = (char *)a->s[O_AVOID];
	}
	snprintf(r_s, sizeof r_s, "%lld", a->v[O_REPORT_S]);
	argv[argc++] = "-r";
	argv[argc++] = r_s;
	argv[argc] = NULL;

	struct sigaction sa = {0};
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	int adj_ok = set_own_adj() == 0;
	wl_say("oomlab-start workload=earlyoom pid=%d vmsize_kb=%lld rlimit_as_kb=%lld "
	       "oom_score_adj=%lld adj_set=%d\n",
	       (int)getpid(), wl_vmsize_kb(), wl_rlimit_as_kb(), wl_oom_score_adj(), adj_ok);
	if (access(EARLYOOM_PATH, X_OK) < 0) {
		wl_say("oomlab-result workload=earlyoom reason=failed exit=-1 error=no_binary errno=%d\n",
		       errno);
		return 1;
	}
	static struct wl_child c;
	struct reader rd = {0};
	const char *what = "";
	c.on_line = on_line;
	c.ctx = &rd;
	if (wl_child_start(&c, EARLYOOM_PATH, argv, envp, "oomlab-wl earlyoom:", &what) < 0) {
		wl_say("oomlab-result workload=earlyoom reason=failed exit=-1 error=%s errno=%d\n", what,
		       errno);
		return 1;
	}
	wl_say("oomlab-metric earlyoom_pid=%d\n", (int)c.pid);
	int termed = 0;
	long long kill_at = 0;
	while (c.fd >= 0 || !c.reaped) {
		wl_child_reap(&c);
		if (stop && !termed) {
			kill(c.pid, SIGTERM);
			termed = 1;
			kill_at = wlm_now_ms() + EO_STOP_GRACE_MS;
		}
		if (termed && !c.reaped && wlm_now_ms() > kill_at) {
			kill(c.pid, SIGKILL);
			kill_at = wlm_now_ms() + 60000;
		}
		if (wl_child_pump(&c, 200) < 0)
			break;
	}
	wl_child_end(&c);
	int status = c.status;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	/* stopped by us: it ends by our SIGTERM (or exits 0) */
	int ok = termed && (sig == SIGTERM || sig == SIGKILL || code == 0);
	wl_say("oomlab-result workload=earlyoom reason=%s kills=%lld exit=%d signal=%d\n",
	       ok ? "stopped" : "failed", rd.kills, code, sig);
	return ok ? 0 : 1;
}

const struct workload wl_earlyoom = {
	.name = "earlyoom",
	.help = "run Debian's earlyoom (a userspace OOM killer) beside the other workloads until "
		"they end; the processes it kills end user_oom_killed",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.mem = WL_MEM_BOUNDED,
	.mem_note = "earlyoom's own, under a MiB, locked; it only watches",
	.guest_exec = EARLYOOM_PATH,
	.guest_pkg = "earlyoom",
	.watcher = 1,
};
