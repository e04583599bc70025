// SPDX-License-Identifier: GPL-2.0-or-later
/* /cell.conf reader (format in cellconf.h). The file is read into a static
 * buffer and split in place; struct cell points into it. Each directive is
 * a table row; a bad line is reported with its number and text, parsing
 * goes on so every error is reported, and the caller gives up if any. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"

#define MAX_FIELDS (MAX_ARGS + 6)

static char conf_buf[CONF_MAX + 1];

static int parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_ull(const char *s, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int d_sample_ms(struct cell *c, char **f, int n, const char **why)
{
	long long v;

	(void)n;
	if (parse_ll(f[1], 10, 600000, &v)) {
		*why = "sample_ms wants an integer in [10, 600000]";
		return -1;
	}
	c->sample_ms = (unsigned)v;
	return 0;
}

/* "stall <ms> <psi_full x 100>" */
static int d_stall(struct cell *c, char **f, int n, const char **why)
{
	long long ms, psi;

	(void)n;
	if (parse_ll(f[1], 1, 86400000, &ms) || parse_ll(f[2], 0, 10000, &psi)) {
		*why = "stall wants milliseconds in [1, 86400000] and PSI full x 100 in [0, 10000]";
		return -1;
	}
	c->stall_ms = (unsigned long long)ms;
	c->stall_psi_x100 = (long)psi;
	return 0;
}

static int d_deadline_s(struct cell *c, char **f, int n, const char **why)
{
	long long v;

	(void)n;
	if (parse_ll(f[1], 1, 86400, &v)) {
		*why = "deadline_s wants an integer in [1, 86400]";
		return -1;
	}
	c->deadline_s = (unsigned)v;
	return 0;
}

static int d_linger_ms(struct cell *c, char **f, int n, const char **why)
{
	long long v;

	(void)n;
	if (parse_ll(f[1], 0, 10000, &v)) {
		*why = "linger_ms wants an integer in [0, 10000]";
		return -1;
	}
	c->linger_ms = (unsigned)v;
	return 0;
}

static int d_vmstat(struct cell *c, char **f, int n, const char **why)
{
	for (int i = 1; i < n; i++) {
		if (c->n_prefixes == MAX_PREFIXES) {
			*why = "too many vmstat prefixes";
			return -1;
		}
		c->prefixes[c->n_prefixes++] = f[i];
	}
	return 0;
}

static int d_cgroup_stat(struct cell *c, char **f, int n, const char **why)
{
	for (int i = 1; i < n; i++) {
		if (c->n_cgstat_keys == MAX_PREFIXES) {
			*why = "too many cgroup_stat keys";
			return -1;
		}
		c->cgstat_keys[c->n_cgstat_keys++] = f[i];
	}
	return 0;
}

static int d_module(struct cell *c, char **f, int n, const char **why)
{
	(void)n;
	if (c->n_modules == MAX_MODULES) {
		*why = "too many modules";
		return -1;
	}
	c->modules[c->n_modules++] = f[1];
	return 0;
}

/* "set knob path value" writes and reads back; "get knob path" only reads
 * (value NULL): the kernel's default goes into the report too. */
static int d_set(struct cell *c, char **f, int n, const char **why)
{
	if (c->n_sets == MAX_SETS) {
		*why = "too many set/get lines";
		return -1;
	}
	if (f[2][0] != '/') {
		*why = "set/get path must be absolute";
		return -1;
	}
	c->sets[c->n_sets++] = (struct knob_set){ .knob = f[1], .path = f[2],
						  .value = n == 4 ? f[3] : NULL };
	return 0;
}

static int d_swap(struct cell *c, char **f, int n, const char **why)
{
	(void)n;
	if (c->swap_dev) {
		*why = "only one swap line is supported";
		return -1;
	}
	if (f[1][0] != '/') {
		*why = "swap device path must be absolute";
		return -1;
	}
	c->swap_dev = f[1];
	return 0;
}

static int d_mode(struct cell *c, char **f, int n, const char **why)
{
	(void)n;
	if (!strcmp(f[1], "together"))
		c->sequence = 0;
	else if (!strcmp(f[1], "sequence"))
		c->sequence = 1;
	else {
		*why = "mode must be together or sequence";
		return -1;
	}
	return 0;
}

/* "delay <id> <ms>": after the workload line it names. */
static int d_delay(struct cell *c, char **f, int n, const char **why)
{
	long long id, ms;

	(void)n;
	if (parse_ll(f[1], 0, 9999, &id) || parse_ll(f[2], 0, 3600000, &ms)) {
		*why = "delay wants a workload id and milliseconds in [0, 3600000]";
		return -1;
	}
	for (int i = 0; i < c->n_wl; i++) {
		if (c->wl[i].id == id) {
			c->wl[i].delay_ms = (unsigned)ms;
			return 0;
		}
	}
	*why = "delay names a workload id no earlier workload line has";
	return -1;
}

/* "psi <some|full> <stall_us> <window_us> [<group>]": the group on an
 * earlier cgroup line. */
static int d_psi(struct cell *c, char **f, int n, const char **why)
{
	long long stall, window;
	struct psi_trig *t;

	if (c->n_psi == MAX_PSI_TRIGGERS) {
		*why = "too many psi triggers";
		return -1;
	}
	t = &c->psi[c->n_psi];
	if (strcmp(f[1], "some") && strcmp(f[1], "full")) {
		*why = "psi wants some or full";
		return -1;
	}
	if (parse_ll(f[2], 1, 10000000, &stall) || parse_ll(f[3], 1, 10000000, &window)) {
		*why = "psi wants a stall and a window in us (1..10000000)";
		return -1;
	}
	t->cgroup = NULL;
	for (int i = 0; n == 5 && i < c->n_cgroups; i++) {
		if (!strcmp(c->cgroups[i], f[4]))
			t->cgroup = c->cgroups[i];
	}
	if (n == 5 && !t->cgroup) {
		*why = "psi names a cgroup no earlier cgroup line has";
		return -1;
	}
	t->full = !strcmp(f[1], "full");
	t->stall_us = (unsigned long long)stall;
	t->window_us = (unsigned long long)window;
	t->fd = -1;
	c->n_psi++;
	return 0;
}

/* "watch <id>": the workload (an earlier line) watches the others: it is
 * stopped with SIGTERM once they are all done. */
static int d_watch(struct cell *c, char **f, int n, const char **why)
{
	long long id;

	(void)n;
	if (parse_ll(f[1], 0, 9999, &id)) {
		*why = "watch wants a workload id";
		return -1;
	}
	for (int i = 0; i < c->n_wl; i++) {
		if (c->wl[i].id == id) {
			c->wl[i].watcher = 1;
			return 0;
		}
	}
	*why = "watch names a workload id no earlier workload line has";
	return -1;
}

static int d_workload(struct cell *c, char **f, int n, const char **why)
{
	struct wl_conf *w;
	long long v;

	if (c->n_wl == MAX_WORKLOADS) {
		*why = "too many workloads";
		return -1;
	}
	w = &c->wl[c->n_wl];
	memset(w, 0, sizeof(*w));
	if (parse_ll(f[1], 0, 9999, &v)) {
		*why = "workload id must be an integer in [0, 9999]";
		return -1;
	}
	w->id = (int)v;
	for (int i = 0; i < c->n_wl; i++) {
		if (c->wl[i].id == w->id) {
			*why = "duplicate workload id";
			return -1;
		}
	}
	w->name = f[2];
	if (strcmp(f[3], "-")) {
		if (parse_ull(f[3], &w->rlimit_as)) {
			*why = "rlimit_as must be bytes (decimal) or -";
			return -1;
		}
		w->has_rlimit = 1;
	}
	if (strcmp(f[4], "-")) {
		if (parse_ll(f[4], -1000, 1000, &v)) {
			*why = "oom_score_adj must be in [-1000, 1000] or -";
			return -1;
		}
		w->oom_score_adj = (int)v;
		w->has_adj = 1;
	}
	if (f[5][0] != '/') {
		*why = "argv0 must be an absolute path";
		return -1;
	}
	if (n - 5 > MAX_ARGS) {
		*why = "too many arguments";
		return -1;
	}
	for (int i = 5; i < n; i++)
		w->argv[i - 5] = f[i];
	w->argv[n - 5] = NULL;
	c->n_wl++;
	return 0;
}

/* A group path as cellconf.h allows: segments of [a-z0-9_-] joined by
 * '/', no empty one (so no "..", no absolute path). */
static int cgroup_name_ok(const char *g)
{
	size_t n = strlen(g), seg = 0;

	if (n == 0 || n >= CGROUP_NAME_MAX)
		return 0;
	for (const char *p = g;; p++) {
		if (*p == '/' || !*p) {
			if (!seg)
				return 0;
			if (!*p)
				return 1;
			seg = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '-'))
			return 0;
		seg++;
	}
}

static int d_cgroup(struct cell *c, char **f, int n, const char **why)
{
	(void)n;
	if (c->n_cgroups == MAX_CGROUPS) {
		*why = "too many cgroups";
		return -1;
	}
	if (!cgroup_name_ok(f[1])) {
		*why = "cgroup wants segments of a-z, 0-9, '_', '-' joined by '/'";
		return -1;
	}
	for (int i = 0; i < c->n_cgroups; i++) {
		if (!strcmp(c->cgroups[i], f[1])) {
			*why = "duplicate cgroup";
			return -1;
		}
	}
	c->cgroups[c->n_cgroups++] = f[1];
	return 0;
}

/* "wl_cgroup <id> <group>": after the workload line and the cgroup line. */
static int d_wl_cgroup(struct cell *c, char **f, int n, const char **why)
{
	long long id;
	int g = -1;

	(void)n;
	if (parse_ll(f[1], 0, 9999, &id)) {
		*why = "wl_cgroup wants a workload id and a cgroup";
		return -1;
	}
	for (int i = 0; i < c->n_cgroups; i++) {
		if (!strcmp(c->cgroups[i], f[2]))
			g = i;
	}
	if (g < 0) {
		*why = "wl_cgroup names a cgroup no earlier cgroup line has";
		return -1;
	}
	for (int i = 0; i < c->n_wl; i++) {
		if (c->wl[i].id == id) {
			c->wl[i].cgroup = c->cgroups[g];
			return 0;
		}
	}
	*why = "wl_cgroup names a workload id no earlier workload line has";
	return -1;
}

static const struct directive {
	const char *name;
	int min_fields, max_fields; /* including the directive itself */
	int (*fn)(struct cell *c, char **f, int n, const char **why);
} directives[] = {
	{ "sample_ms", 2, 2, d_sample_ms },
	{ "deadline_s", 2, 2, d_deadline_s },
	{ "linger_ms", 2, 2, d_linger_ms },
	{ "stall", 3, 3, d_stall },
	{ "vmstat", 2, MAX_FIELDS, d_vmstat },
	{ "module", 2, 2, d_module },
	{ "set", 4, 4, d_set },
	{ "get", 3, 3, d_set },
	{ "swap", 2, 2, d_swap },
	{ "mode", 2, 2, d_mode },
	{ "workload", 6, MAX_FIELDS, d_workload },
	{ "delay", 3, 3, d_delay },
	{ "cgroup", 2, 2, d_cgroup },
	{ "cgroup_stat", 2, MAX_FIELDS, d_cgroup_stat },
	{ "wl_cgroup", 3, 3, d_wl_cgroup },
	{ "watch", 2, 2, d_watch },
	{ "psi", 4, 5, d_psi },
};

/* Split on TAB in place. Returns the field count, or -1 if more than max. */
static int split_tabs(char *s, char **f, int max)
{
	int n = 0;

	for (;;) {
		if (n == max)
			return -1;
		f[n++] = s;
		s = strchr(s, '\t');
		if (!s)
			return n;
		*s++ = '\0';
	}
}

static int parse_line(struct cell *c, char *line, const char **why)
{
	char *f[MAX_FIELDS];
	int n = split_tabs(line, f, MAX_FIELDS);

	if (n < 0) {
		*why = "too many fields";
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (!f[i][0]) {
			*why = "empty field";
			return -1;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(directives); i++) {
		const struct directive *d = &directives[i];

		if (strcmp(f[0], d->name))
			continue;
		if (n < d->min_fields || n > d->max_fields) {
			*why = "wrong number of fields";
			return -1;
		}
		return d->fn(c, f, n, why);
	}
	*why = "unknown directive";
	return -1;
}

static ssize_t read_all(const char *path, char *buf, size_t cap)
{
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (len < cap) {
		ssize_t n = read_retry(fd, buf + len, cap - len);

		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	return (ssize_t)len;
}

char *conf_buffer(size_t *cap)
{
	*cap = CONF_MAX;
	return conf_buf;
}

int conf_parse(size_t len, struct cell *c, const char *name, int need_workload)
{
	char copy[512];
	char *line, *next;
	int lineno = 0, errors = 0;

	memset(c, 0, sizeof(*c));
	c->sample_ms = DEFAULT_SAMPLE_MS;
	c->deadline_s = DEFAULT_DEADLINE_S;
	c->linger_ms = LINGER_MS;
	if (len > CONF_MAX) {
		alog("cell.conf: %s is larger than %d bytes", name, CONF_MAX);
		return -1;
	}
	conf_buf[len] = '\0';
	if (memchr(conf_buf, '\0', len)) {
		alog("cell.conf: %s contains a NUL byte", name);
		return -1;
	}
	for (line = conf_buf; line && *line; line = next) {
		const char *why = NULL;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line || *line == '#')
			continue;
		strncpy(copy, line, sizeof(copy) - 1);
		copy[sizeof(copy) - 1] = '\0';
		if (parse_line(c, line, &why)) {
			alog("cell.conf:%d: %s: %s", lineno, why, copy);
			errors++;
		}
	}
	if (need_workload && c->n_wl == 0) {
		alog("cell.conf: no workload line");
		errors++;
	}
	return errors;
}

int conf_load(const char *path, struct cell *c, int need_workload)
{
	ssize_t len = read_all(path, conf_buf, CONF_MAX + 1);

	if (len < 0) {
		memset(c, 0, sizeof(*c));
		alog("cell.conf: cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	return conf_parse((size_t)len, c, path, need_workload);
}
