// SPDX-License-Identifier: GPL-2.0-or-later
/* stress-ng: run one stress-ng stressor (the host's /usr/bin/stress-ng,
 * carried into the guest with its shared libraries) and turn what it
 * reports into oomlab's protocol:
 *
 *   /usr/bin/stress-ng --<stressor> N --timeout Ts --yaml /tmp/oomlab-sng-<pid>.yaml
 *                      --metrics-brief --verbose --temp-path /tmp --pathological [args...]
 *
 * Its log (stdout and stderr, one pipe) is read here: debug and metrics
 * lines are counted and dropped (the OOM lines need --verbose), info, warn,
 * error and fail lines are passed on. When it ends, its YAML report is
 * folded into "oomlab-metric sng.<stressor>.<key>=<value>" lines and the
 * result line says how it ended and how many OOM kills it saw:
 *
 *   oomlab-result workload=stress-ng reason=done|failed exit=<code> signal=<n>
 *                 oom_restarts=N oom_restarts_summary=N oom_bailouts=N ...
 *
 * stress-ng runs in this process's process group (it never makes its own),
 * so the agent's deadline kill reaches every stress-ng process. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "stressng.h"
#include "wl.h"
#include "wlmem.h"

/* ---- pure parts ---- */

static int is_num(const char *s, size_t n)
{
	char tmp[SNG_VAL_MAX];
	char *end;
	if (!n || n >= sizeof tmp)
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789+-.eE", tmp[i]))
			return 0; /* no "nan", "inf", hex */
	errno = 0;
	(void)strtod(tmp, &end);
	return *end == 0 && end != tmp;
}

/* Append s[0..n) to dst (of size cap, at *pos), every byte other than
 * [a-z0-9] as '_' ([A-Z] lowered). Returns 0, or -1 when it does not fit. */
static int put_name(char *dst, size_t cap, size_t *pos, const char *s, size_t n)
{
	if (!n || *pos + n >= cap)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		dst[(*pos)++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
	}
	dst[*pos] = 0;
	return 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

/* strip one pair of quotes ('...' or "...") */
static void unquote(const char **s, size_t *n)
{
	if (*n >= 2 && ((**s == '\'' && (*s)[*n - 1] == '\'') || (**s == '"' && (*s)[*n - 1] == '"'))) {
		(*s)++;
		*n -= 2;
	}
}

size_t sng_yaml_fold(const char *buf, size_t len, struct sng_metric *out, size_t max)
{
	size_t i = 0, k = 0;
	int in_metrics = 0;
	char stressor[40] = "";
	while (i < len && k < max) {
		const char *s = buf + i;
		const char *nl = memchr(s, '\n', len - i);
		size_t n = nl ? (size_t)(nl - s) : len - i;
		i += n + 1;
		if (!n)
			continue;
		if (s[0] != ' ' && s[0] != '\t' && s[0] != '-') {
			/* a top-level line: "metrics:", "times:", "---", "..." */
			size_t t = n;
			const char *p = s;
			trim(&p, &t);
			in_metrics = t == 8 && !memcmp(p, "metrics:", 8);
			stressor[0] = 0;
			continue;
		}
		if (!in_metrics)
			continue;
		const char *p = s;
		size_t t = n;
		trim(&p, &t);
		if (t && p[0] == '-') { /* "- stressor: vm" starts an item */
			p++, t--;
			trim(&p, &t);
			stressor[0] = 0;
			if (t < 9 || memcmp(p, "stressor:", 9))
				continue;
			p += 9, t -= 9;
			trim(&p, &t);
			unquote(&p, &t);
			size_t pos = 0;
			if (put_name(stressor, sizeof stressor, &pos, p, t) < 0)
				stressor[0] = 0;
			continue;
		}
		if (!stressor[0])
			continue;
		const char *colon = memchr(p, ':', t);
		if (!colon)
			continue;
		const char *key = p, *val = colon + 1;
		size_t kn = (size_t)(colon - p), vn = t - kn - 1;
		trim(&key, &kn);
		trim(&val, &vn);
		unquote(&val, &vn);
		if (!is_num(val, vn))
			continue;
		struct sng_metric *m = &out[k];
		size_t pos = (size_t)snprintf(m->key, sizeof m->key, "sng.%s.", stressor);
		if (pos >= sizeof m->key || put_name(m->key, sizeof m->key, &pos, key, kn) < 0)
			continue;
		memcpy(m->val, val, vn);
		m->val[vn] = 0;
		k++;
	}
	return k;
}

static const char *memmem_n(const char *s, size_t n, const char *what)
{
	size_t wl = strlen(what);
	for (size_t i = 0; i + wl <= n; i++)
		if (!memcmp(s + i, what, wl))
			return s + i;
	return NULL;
}

/* the number after what in s[0..n), or -1 */
static long long num_after(const char *s, size_t n, const char *what)
{
	const char *p = memmem_n(s, n, what);
	long long v = 0;
	int digits = 0;
	if (!p)
		return -1;
	p += strlen(what);
	while (p < s + n && *p == ' ')
		p++;
	while (p < s + n && *p >= '0' && *p <= '9' && digits < 18) {
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	return digits ? v : -1;
}

/* "stress-ng: <level>: ..." -> level in lvl (without the colon) */
static int log_level(const char *s, size_t n, char *lvl, size_t lvlsz)
{
	static const char pfx[] = "stress-ng: ";
	if (n < sizeof pfx - 1 || memcmp(s, pfx, sizeof pfx - 1))
		return -1;
	const char *p = s + sizeof pfx - 1;
	const char *c = memchr(p, ':', (size_t)(s + n - p));
	if (!c || (size_t)(c - p) >= lvlsz)
		return -1;
	memcpy(lvl, p, (size_t)(c - p));
	lvl[c - p] = 0;
	return 0;
}

void sng_log_line(struct sng_log *l, const char *line, size_t len)
{
	char lvl[16];
	if (memmem_n(line, len, "assuming killed by OOM killer, restarting again"))
		l->oom_restarts++;
	else if (memmem_n(line, len, "assuming killed by OOM killer, bailing out"))
		l->oom_bailouts++;
	long long v = num_after(line, len, "OOM restarts:");
	if (v >= 0) {
		l->summaries++;
		l->oom_restarts_sum += v;
		v = num_after(line, len, "SIGSEGV restarts:");
		if (v >= 0)
			l->segv_restarts_sum += v;
		v = num_after(line, len, "SIGBUS restarts:");
		if (v >= 0)
			l->bus_restarts_sum += v;
	}
	if (log_level(line, len, lvl, sizeof lvl) == 0 && (!strcmp(lvl, "error") || !strcmp(lvl, "fail")))
		l->errors++;
	if (memmem_n(line, len, "unsuccessful run completed"))
		l->completed = -1;
	else if (memmem_n(line, len, "successful run completed"))
		l->completed = 1;
}

int sng_log_forward(const char *line, size_t len)
{
	char lvl[16];
	if (log_level(line, len, lvl, sizeof lvl) < 0)
		return 0;
	return !strcmp(lvl, "info") || !strcmp(lvl, "warn") || !strcmp(lvl, "error") ||
	       !strcmp(lvl, "fail");
}

/* ---- the workload ---- */

enum { O_STRESSOR, O_INSTANCES, O_TIMEOUT_S, O_ARGS };

static const struct wl_opt opts[] = {
	[O_STRESSOR] = { "stressor", OPT_STR, 0, 0, 0,
			 "the stress-ng stressor to run (vm, bigheap, brk, malloc, mmap, oom-pipe, ...); "
			 "required", NULL, NULL, 1 },
	[O_INSTANCES] = { "instances", OPT_INT, 0, 1024, 1,
			  "how many instances of it (0: one per online CPU)" },
	[O_TIMEOUT_S] = { "timeout-s", OPT_INT, 1, 86400, 10, "stress-ng's --timeout (seconds)" },
	[O_ARGS] = { "args", OPT_ARGV, 0, 0, 0,
		     "more stress-ng options, passed as they are (e.g. --vm-bytes 90%)" },
};

#define SNG_MAX_ARGS 256
#define SNG_YAML_MAX (1 << 20)
#define SNG_MAX_METRICS 256
#define SNG_GRACE_S 30 /* past its own timeout: SIGTERM, 10 s later SIGKILL */

static int valid_stressor(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 32 || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static void on_line(void *ctx, const char *line, size_t len)
{
	struct sng_log *l = ctx;
	sng_log_line(l, line, len);
	if (sng_log_forward(line, len))
		wl_say("%.*s\n", (int)(len < 480 ? len : 480), line);
}

/* Read the whole YAML file (at most SNG_YAML_MAX bytes). */
static char *read_yaml(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *b = malloc(SNG_YAML_MAX);
	size_t n = 0;
	while (b && n < SNG_YAML_MAX) {
		ssize_t r = read(fd, b + n, SNG_YAML_MAX - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return b;
}

/* One oomlab-metric line per few metrics (wl_say lines stay under 512). */
static size_t say_metrics(const struct sng_metric *m, size_t n)
{
	char line[480];
	size_t pos = 0;
	for (size_t i = 0; i < n; i++) {
		size_t need = strlen(m[i].key) + strlen(m[i].val) + 2;
		if (pos && pos + need >= sizeof line - 1) {
			wl_say("oomlab-metric%.*s\n", (int)pos, line);
			pos = 0;
		}
		pos += (size_t)snprintf(line + pos, sizeof line - pos, " %s=%s", m[i].key, m[i].val);
	}
	if (pos)
		wl_say("oomlab-metric%.*s\n", (int)pos, line);
	return n;
}

static int run(const struct wl_args *a)
{
	const char *stressor = a->s[O_STRESSOR];
	long long instances = a->v[O_INSTANCES], timeout_s = a->v[O_TIMEOUT_S];
	char opt[48], n_inst[24], tmo[24], yaml[64];
	char *argv[SNG_MAX_ARGS + 16];
	char *envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", NULL};
	int argc = 0;

	if (!valid_stressor(stressor)) {
		fprintf(stderr, "oomlab-wl stress-ng: --stressor: '%s' is not a stressor name "
				"(required; [a-z0-9-], e.g. vm)\n", stressor);
		wl_say("oomlab-result workload=stress-ng reason=failed exit=-1 error=bad_stressor\n");
		return WL_EXIT_USAGE;
	}
	if (a->n_rest > SNG_MAX_ARGS) {
		fprintf(stderr, "oomlab-wl stress-ng: more than %d args\n", SNG_MAX_ARGS);
		return WL_EXIT_USAGE;
	}
	snprintf(opt, sizeof opt, "--%s", stressor);
	snprintf(n_inst, sizeof n_inst, "%lld", instances);
	snprintf(tmo, sizeof tmo, "%lld", timeout_s);
	snprintf(yaml, sizeof yaml, "/tmp/oomlab-sng-%d.yaml", (int)getpid());
	argv[argc++] = SNG_PATH;
	argv[argc++] = opt;
	argv[argc++] = n_inst;
	argv[argc++] = "--timeout";
	argv[argc++] = tmo;
	argv[argc++] = "--yaml";
	argv[argc++] = yaml;
	argv[argc++] = "--metrics-brief";
	argv[argc++] = "--verbose"; /* the OOM restart lines are debug lines */
	argv[argc++] = "--temp-path";
	argv[argc++] = "/tmp";
	argv[argc++] = "--pathological"; /* oom-pipe & co: the VM is throwaway */
	for (int i = 0; i < a->n_rest; i++)
		argv[argc++] = a->rest[i];
	argv[argc] = NULL;

	wl_say("oomlab-start workload=stress-ng pid=%d stressor=%s instances=%lld timeout_s=%lld "
	       "vmsize_kb=%lld rlimit_as_kb=%lld oom_score_adj=%lld\n",
	       (int)getpid(), stressor, instances, timeout_s, wl_vmsize_kb(), wl_rlimit_as_kb(),
	       wl_oom_score_adj());
	if (access(SNG_PATH, X_OK) < 0) {
		wl_say("oomlab-result workload=stress-ng reason=failed exit=-1 error=no_binary errno=%d\n",
		       errno);
		return 1;
	}
	unlink(yaml);

	static struct wl_child c;
	static struct sng_log log;
	const char *what = "";
	c.on_line = on_line;
	c.ctx = &log;
	if (wl_child_start(&c, SNG_PATH, argv, envp, "stress-ng: error: oomlab-wl:", &what) < 0) {
		wl_say("oomlab-result workload=stress-ng reason=failed exit=-1 error=%s errno=%d\n", what,
		       errno);
		return 1;
	}
	long long t0 = wlm_now_ms(), deadline = t0 + (timeout_s + SNG_GRACE_S) * 1000;
	int termed = 0;
	long long drain_until = 0;
	while (c.fd >= 0 || !c.reaped) {
		/* its children may still hold the pipe: read what they wrote
		 * for a moment, not until they are gone */
		if (wl_child_reap(&c))
			drain_until = wlm_now_ms() + 2000;
		if (c.fd >= 0 && c.reaped && wlm_now_ms() > drain_until)
			break;
		if (!c.reaped && wlm_now_ms() > deadline) {
			kill(c.pid, termed ? SIGKILL : SIGTERM);
			deadline = wlm_now_ms() + 10000;
			termed = 1;
		}
		if (wl_child_pump(&c, 200) < 0)
			break;
	}
	wl_child_end(&c);
	int status = c.status, reaped = c.reaped;

	size_t ylen = 0, nm = 0;
	char *y = read_yaml(yaml, &ylen);
	if (y) {
		static struct sng_metric m[SNG_MAX_METRICS];
		nm = say_metrics(m, sng_yaml_fold(y, ylen, m, SNG_MAX_METRICS));
		free(y);
		unlink(yaml);
	}
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	int ok = reaped && code == 0;
	const struct sng_log *l = &log;
	wl_say("oomlab-result workload=stress-ng reason=%s exit=%d signal=%d stressor=%s "
	       "oom_restarts=%lld oom_restarts_summary=%lld oom_bailouts=%lld segv_restarts=%lld "
	       "bus_restarts=%lld sng_errors=%lld completed=%d yaml_metrics=%zu run_ms=%lld%s\n",
	       ok ? "done" : "failed", code, sig, stressor, l->oom_restarts, l->oom_restarts_sum,
	       l->oom_bailouts, l->segv_restarts_sum, l->bus_restarts_sum, l->errors, l->completed, nm,
	       wlm_now_ms() - t0, termed ? " overran=1" : "");
	return ok ? 0 : 1;
}

const struct workload wl_stressng = {
	.name = "stress-ng",
	.help = "run one stress-ng stressor; its YAML metrics and OOM restarts become metrics",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.guest_exec = SNG_PATH,
	.child_comm = "stress-ng",
};
