// SPDX-License-Identifier: GPL-2.0-or-later
/* hungtask: hold tasks in uninterruptible sleep (D state) for a while, so
 * that the kernel's hung task detector reports them ("INFO: task
 * oomlab-wl:N blocked for more than N seconds.", kernel/hung_task.c) when
 * kernel.hung_task_timeout_secs is below --hold-ms. It needs no filesystem
 * and no module, only userfaultfd (root in the guest may catch kernel
 * faults):
 *
 *   1. a page of anonymous memory is registered with a userfaultfd and
 *      never filled, so any access to it sleeps until someone fills it;
 *   2. the workload write(2)s that page into a pipe: pipe_write takes the
 *      pipe's mutex, then faults on the page while copying it, and sleeps
 *      (interruptibly) holding the mutex;
 *   3. a helper child reads the userfaultfd: its page fault message says the
 *      writer now sleeps holding the mutex (a reader that came earlier
 *      would find the pipe empty and sleep interruptibly instead); it then
 *      lets --tasks children go, which read(2) the pipe: pipe_read waits for
 *      the mutex in mutex_lock, TASK_UNINTERRUPTIBLE: these are the hung
 *      tasks;
 *   4. --hold-ms later the helper fills the page (UFFDIO_ZEROPAGE works
 *      from any process holding the userfaultfd), the write completes and
 *      releases the mutex, the readers read it (or EOF) and exit.
 *
 * The hung task reports' title is "INFO: task hung in pipe_read". */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wl.h"
#include "wlmem.h"

enum { O_HOLD_MS, O_TASKS };

static const struct wl_opt opts[] = {
	[O_HOLD_MS] = { "hold-ms", OPT_INT, 100, 3600000, 5000,
			"how long the tasks stay in uninterruptible sleep" },
	[O_TASKS] = { "tasks", OPT_INT, 1, 16, 1, "how many tasks sleep (each is its own report)" },
};

/* When the helper cannot read the fault message: readers start this long
 * after the writer, which must hold the mutex first. */
#define READER_DELAY_MS 500

static void sleep_ms(long long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int fail(const char *what)
{
	wl_say("oomlab-result workload=hungtask reason=error errno=%d what=%s\n", errno, what);
	return 0;
}

static int run(const struct wl_args *a)
{
	const long long *v = a->v;
	long pg = sysconf(_SC_PAGESIZE);
	int p[2];

	wl_say("oomlab-start workload=hungtask pid=%d hold_ms=%lld tasks=%lld vmsize_kb=%lld "
	       "rlimit_as_kb=%lld oom_score_adj=%lld\n",
	       (int)getpid(), v[O_HOLD_MS], v[O_TASKS], wl_vmsize_kb(), wl_rlimit_as_kb(),
	       wl_oom_score_adj());
	int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		return fail("userfaultfd");
	struct uffdio_api api = { .api = UFFD_API };
	if (ioctl(uffd, UFFDIO_API, &api) < 0)
		return fail("uffdio_api");
	char *page = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return fail("mmap");
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)page, .len = (unsigned long)pg },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) < 0)
		return fail("uffdio_register");
	int go[2];
	if (pipe(p) < 0 || pipe(go) < 0)
		return fail("pipe");

	int n = (int)v[O_TASKS], started = 0;
	for (int i = 0; i < n; i++) {
		pid_t c = fork();
		if (c == 0) {
			char b[64];
			close(p[1]);
			close(go[1]);
			if (read(go[0], b, 1) == 1) /* the writer holds the mutex */
				while (read(p[0], b, sizeof b) > 0)
					;
			_exit(0);
		}
		started += c > 0;
	}
	pid_t parent = getpid();
	pid_t server = fork();
	if (server == 0) {
		static const char gos[16];
		struct uffd_msg msg;
		close(p[0]);
		close(p[1]);
		close(go[0]);
		ssize_t r = read(uffd, &msg, sizeof msg);
		if (r != (ssize_t)sizeof msg || msg.event != UFFD_EVENT_PAGEFAULT)
			sleep_ms(READER_DELAY_MS);
		if (write(go[1], gos, (size_t)n) != n)
			_exit(1);
		sleep_ms(v[O_HOLD_MS]);
		struct uffdio_zeropage z = { .range = reg.range };
		if (ioctl(uffd, UFFDIO_ZEROPAGE, &z) < 0)
			kill(parent, SIGKILL); /* the write would never end */
		_exit(0);
	}
	close(go[0]);
	close(go[1]); /* the readers see EOF on it if the helper is gone */
	close(p[0]);
	if (server < 0) {
		close(p[1]);
		while (wait(NULL) > 0 || errno == EINTR)
			;
		return fail("fork");
	}
	long long t0 = wlm_now_ms();
	ssize_t w = write(p[1], page, (size_t)pg);
	int werr = w < 0 ? errno : 0;
	long long held = wlm_now_ms() - t0;
	close(p[1]);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	wl_say("oomlab-metric held_ms=%lld tasks_started=%d write_bytes=%lld write_errno=%d "
	       "server_started=%d\n",
	       held, started, (long long)w, werr, server > 0);
	wl_say("oomlab-result workload=hungtask reason=done\n");
	return 0;
}

const struct workload wl_hungtask = {
	.name = "hungtask",
	.help = "holds --tasks tasks in uninterruptible sleep (D state) for --hold-ms: a pipe "
		"writer faults on a userfaultfd page holding the pipe's mutex, readers wait for it; "
		"with kernel.hung_task_timeout_secs below the hold, the kernel reports hung tasks",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.mem = WL_MEM_BOUNDED,
	.mem_note = "one page and a pipe",
};
