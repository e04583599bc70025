// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/hostcpu.h"
#include "lib/spawn.h"
#include "lib/util.h"
#include "vm/qmp.h"
#include "vm/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROBE_TIMEOUT_MS 10000

/* The identity props of an expansion, in the line's order. */
static const char *const ident[] = {"vendor", "family", "model", "stepping", "model-id"};

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void join_sorted(struct buf *b, const char **v, size_t n)
{
	qsort(v, n, sizeof *v, by_str);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? "," : "", v[i]);
}

char *hostcpu_from_expansion(json_t *model)
{
	json_t *props = json_object_get(model, "props");
	if (!json_is_object(props) || !json_object_size(props))
		return NULL;
	struct buf b = {0};
	buf_printf(&b, "qemu:");
	for (size_t i = 0; i < ARRAY_SIZE(ident); i++) {
		json_t *v = json_object_get(props, ident[i]);
		if (json_is_string(v))
			buf_printf(&b, " %s=%s", ident[i], json_string_value(v));
		else if (json_is_number(v)) /* a real when QMP's answer had a huge number */
			buf_printf(&b, " %s=%.0f", ident[i], json_number_value(v));
	}
	const char **on = xcalloc(json_object_size(props), sizeof *on);
	size_t n = 0;
	const char *k;
	json_t *v;
	json_object_foreach(props, k, v)
		if (json_is_true(v))
			on[n++] = k;
	buf_printf(&b, " flags=");
	join_sorted(&b, on, n);
	free(on);
	return b.data;
}

/* The value of "key\t: value" in the first processor's block, or NULL. */
static char *cpuinfo_value(const char *text, size_t len, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - (text + i)) : len - i;
		if (ll == 0 && i > 0)
			return NULL; /* the end of the first processor */
		const char *line = text + i;
		if (ll > kl && !memcmp(line, key, kl) && (line[kl] == '\t' || line[kl] == ' ' || line[kl] == ':')) {
			const char *c = memchr(line, ':', ll);
			if (c) {
				const char *vs = c + 1, *ve = line + ll;
				while (vs < ve && *vs == ' ')
					vs++;
				return xstrndup(vs, (size_t)(ve - vs));
			}
		}
		i += ll + 1;
	}
	return NULL;
}

char *hostcpu_from_cpuinfo(const char *text, size_t len)
{
	char *flags = cpuinfo_value(text, len, "flags");
	if (!flags)
		return NULL;
	static const char *const keys[][2] = {
		{"vendor_id", "vendor"}, {"cpu family", "family"}, {"model", "model"},
		{"stepping", "stepping"}, {"model name", "name"},
	};
	struct buf b = {0};
	buf_printf(&b, "cpuinfo:");
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		char *v = cpuinfo_value(text, len, keys[i][0]);
		if (v)
			buf_printf(&b, " %s=%s", keys[i][1], v);
		free(v);
	}
	const char **v = NULL;
	size_t n = 0;
	for (char *save = NULL, *f = strtok_r(flags, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
		v = xrealloc(v, (n + 1) * sizeof *v);
		v[n++] = f;
	}
	buf_printf(&b, " flags=");
	join_sorted(&b, v, n);
	free(v);
	free(flags);
	return b.data;
}

/* Ask QEMU (KVM, no machine) what -cpu host expands to. */
static char *from_qemu(void)
{
	char dir[] = "/tmp/oomlab-cpuprobe-XXXXXX";
	if (!mkdtemp(dir))
		return NULL;
	char *qs = xasprintf("%s/qmp", dir), *opt = xasprintf("unix:%s,server=on,wait=off", qs);
	char *argv[] = {"qemu-system-x86_64", "-accel", "kvm", "-machine", "none", "-nodefaults",
			"-no-user-config", "-display", "none", "-monitor", "none", "-qmp", opt, NULL};
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, SPAWN_DEVNULL, SPAWN_DEVNULL};
	struct qmp q = QMP_INIT;
	struct buf err = {0};
	json_t *ret = NULL;
	char *id = NULL;
	pid_t pid;
	if (spawn_argv(argv, &o, &pid) == 0) {
		if (qmp_open(&q, qs, PROBE_TIMEOUT_MS, &err) == 0 &&
		    qmp_exec(&q, "query-cpu-model-expansion",
			     json_pack("{s:s,s:{s:s}}", "type", "full", "model", "name", "host"), -1,
			     PROBE_TIMEOUT_MS, &ret, &err) == 0)
			id = hostcpu_from_expansion(json_object_get(ret, "model"));
		qmp_close(&q);
		vm_kill(pid, NULL);
	}
	json_decref(ret);
	buf_free(&err);
	free(opt);
	free(qs);
	rm_rf(dir);
	return id;
}

const char *hostcpu_id(const char *accel)
{
	static char *id;
	static int done;
	if (!accel || strcmp(accel, "kvm"))
		return NULL;
	if (done)
		return id;
	done = 1;
	id = from_qemu();
	if (!id) {
		char *text = NULL;
		size_t len = 0;
		if (read_file("/proc/cpuinfo", &text, &len) == 0)
			id = hostcpu_from_cpuinfo(text, len);
		free(text);
	}
	if (!id)
		id = xstrdup("unknown");
	return id;
}
