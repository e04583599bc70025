// SPDX-License-Identifier: GPL-2.0-or-later
/* exec: run a program of the user's in the cell. The host carries it into
 * the guest with its dynamic loader and the libraries it needs (an
 * OPT_PROG option, boot/carry.h), and the files and dirs of `files`
 * (relative ones under the dir --files names, which becomes its working
 * directory). This workload says its start line and then becomes the
 * program (execve, same pid): the agent's RLIMIT_AS, oom_score_adj and
 * memory cgroup are its own, an OOM kill names its pid, its exit status is
 * the workload's, and its output (stdout and stderr, one pipe) reaches the
 * stream line by line. A program that prints the lines of wl.h
 * (oomlab-progress, oomlab-metric, oomlab-result) gets its figures into
 * the report: docs/workload-protocol.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wl.h"

enum { O_PATH, O_ARGS, O_ENV, O_FILES, O_OK_EXIT };

static const struct wl_opt opts[] = {
	[O_PATH] = {"path", OPT_PROG, 0, 0, 0,
		    "the program (an installed one by its absolute path, with --allow-file PATH); "
		    "required",
		    NULL, NULL, 1},
	[O_ARGS] = {"args", OPT_ARGV, 0, 0, 0, "its arguments (argv[1]...)"},
	[O_ENV] = {"env", OPT_ENV, 0, 0, 0,
		   "its environment besides PATH=/usr/sbin:/usr/bin:/sbin:/bin and HOME=/ (which it "
		   "may replace)"},
	[O_FILES] = {"files", OPT_FILES, 0, 0, 0,
		     "files and dirs it needs, carried along: a relative path lands at that path "
		     "under its working directory, an absolute one at the same path"},
	[O_OK_EXIT] = {"ok-exit", OPT_INT, 0, 255, 0,
		       "the exit code of a run that went well (endpoint exit); any other is the "
		       "endpoint failed"},
};

#define EXEC_DEF_PATH "PATH=/usr/sbin:/usr/bin:/sbin:/bin"
#define EXEC_DEF_HOME "HOME=/"

/* 1 when the environment list names var (the part of def before '='). */
static int env_names(char *const *env, int n, const char *def)
{
	size_t k = strcspn(def, "=");
	for (int i = 0; i < n; i++)
		if (!strncmp(env[i], def, k + 1))
			return 1;
	return 0;
}

static int run(const struct wl_args *a)
{
	static char *argv[4096], *envp[WL_MAX_ENV + 3];
	const char *path = a->s[O_PATH], *dir = a->s[O_FILES];
	int argc = 0, envc = 0;

	if (!*path) {
		fprintf(stderr, "oomlab-wl exec: --path is required\n");
		return WL_EXIT_USAGE;
	}
	if (a->n_rest >= (int)ARRAY_SIZE(argv) - 1) {
		fprintf(stderr, "oomlab-wl exec: more than %zu args\n", ARRAY_SIZE(argv) - 2);
		return WL_EXIT_USAGE;
	}
	argv[argc++] = (char *)path;
	for (int i = 0; i < a->n_rest; i++)
		argv[argc++] = a->rest[i];
	argv[argc] = NULL;
	if (!env_names(a->env, a->n_env, EXEC_DEF_PATH))
		envp[envc++] = EXEC_DEF_PATH;
	if (!env_names(a->env, a->n_env, EXEC_DEF_HOME))
		envp[envc++] = EXEC_DEF_HOME;
	for (int i = 0; i < a->n_env; i++)
		envp[envc++] = a->env[i];
	envp[envc] = NULL;

	/* no vmsize_kb: the host measures the program from its first sample,
	 * not from this process's size before the exec */
	wl_say("oomlab-start workload=exec pid=%d path=%s args=%d rlimit_as_kb=%lld oom_score_adj=%lld\n",
	       (int)getpid(), path, a->n_rest, wl_rlimit_as_kb(), wl_oom_score_adj());
	if (chdir(*dir ? dir : "/") < 0) {
		int e = errno;
		wl_say("oomlab-result workload=exec reason=failed error=chdir errno=%d\n", e);
		wl_say("oomlab-exec: chdir %s: %s\n", dir, strerror(e));
		return 127;
	}
	execve(path, argv, envp);
	int e = errno;
	/* the why last: a failed workload's reason quotes its last line */
	wl_say("oomlab-result workload=exec reason=failed error=exec errno=%d\n", e);
	wl_say("oomlab-exec: cannot run %s: %s\n", path, strerror(e));
	return 127;
}

const struct workload wl_exec = {
	.name = "exec",
	.help = "run a program of the user's (with its libraries and files); exit code ok_exit is "
		"the endpoint exit, any other failed",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.mem = WL_MEM_BOUNDED,
	.mem_note = "the program's own: not modelled, so declare expect when it should end "
		    "otherwise",
	.ok_exit_opt = "ok-exit",
	.user_program = 1,
};
