// SPDX-License-Identifier: GPL-2.0-or-later
#include "plan/wlreg.h"
#include "workloads/wl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/cellconf.h"

char *wl_names(void)
{
	struct buf b = {0};
	for (size_t i = 0; i < wl_registry_n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", wl_registry[i]->name);
	return b.data;
}

static const char *const unit[] = {
	[OPT_INT] = "",	    [OPT_SIZE_KB] = " KiB", [OPT_SIZE_MB] = " MiB", [OPT_BYTE] = " (byte)",
	[OPT_ENUM] = "",    [OPT_STR] = "",	    [OPT_FILE] = "",	    [OPT_ARGV] = "",
	[OPT_PROG] = "",    [OPT_ENV] = "",	    [OPT_FILES] = "",
};

/* What an option of a kind that is neither a number nor a word of its own
 * list accepts, for messages and help. */
static const char *const kind_text[OPT_TYPE_COUNT] = {
	[OPT_STR] = "a one-line string",
	[OPT_FILE] = "a file in the matrix file's dir or below (or --allow-file)",
	[OPT_ARGV] = "a list of strings",
	[OPT_PROG] = "an executable file in the matrix file's dir or below (or --allow-file)",
	[OPT_ENV] = "an object of NAME -> one-line string (NAME: A-Z, a-z, 0-9, _, not first a digit)",
	[OPT_FILES] = "a list of files or dirs in the matrix file's dir or below (or --allow-file)",
};

/* What an option accepts, for messages and help (caller frees). */
static char *allowed_text(const struct wl_opt *o)
{
	struct buf b = {0};
	if (o->type == OPT_ENUM)
		for (const char *const *c = o->choices; *c; c++)
			buf_printf(&b, "%s%s", c == o->choices ? "" : "|", *c);
	else if (kind_text[o->type])
		buf_printf(&b, "%s", kind_text[o->type]);
	else
		buf_printf(&b, "%lld..%lld%s", o->min, o->max, unit[o->type]);
	return b.data;
}

/* An option's name as a matrix file spells it (malloc'd): '-' as '_'. */
static char *opt_key(const struct wl_opt *o)
{
	char *u = xstrdup(o->name);
	for (char *p = u; *p; p++)
		if (*p == '-')
			*p = '_';
	return u;
}

/* JSON keys use '_' ("block_kb"), the guest's options '-' ("block-kb"). */
static int opt_name_eq(const char *json_key, const char *opt)
{
	for (; *json_key && *opt; json_key++, opt++) {
		char a = *json_key == '_' ? '-' : *json_key;
		if (a != *opt)
			return 0;
	}
	return !*json_key && !*opt;
}

static char *opt_list(const struct workload *w)
{
	struct buf b = {0};
	for (size_t i = 0; i < w->n_opts; i++) {
		char *u = xstrdup(w->opts[i].name);
		for (char *p = u; *p; p++)
			if (*p == '-')
				*p = '_';
		char *al = allowed_text(&w->opts[i]);
		buf_printf(&b, "%s%s (%s)", i ? ", " : "", u, al);
		free(al);
		free(u);
	}
	if (!b.data)
		buf_printf(&b, "none");
	return b.data;
}

static int one_line(const char *s)
{
	return !strpbrk(s, "\t\n\r");
}

static void push(struct wl_argv *a, char *s)
{
	a->args = xrealloc(a->args, (a->n_args + 1) * sizeof *a->args);
	a->args[a->n_args++] = s;
}

/* Guest path of a file option: /data/w<index>-<basename, safe chars>; of
 * a program /data/prog<index>/<basename, safe chars>, so that its name
 * (the comm the kernel's reports give) is its own. */
static char *guest_file(size_t index, const char *host, int prog)
{
	const char *base = strrchr(host, '/');
	base = base ? base + 1 : host;
	char *g = prog ? xasprintf("/data/prog%zu/%s", index, base) : xasprintf("/data/w%zu-%s", index, base);
	for (char *p = strrchr(g, '/') + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			*p = '_';
	return g;
}

int wl_option_is_file(const struct workload *w, const char *json_key)
{
	for (size_t i = 0; i < w->n_opts; i++)
		if (opt_name_eq(json_key, w->opts[i].name))
			return w->opts[i].type == OPT_FILE || w->opts[i].type == OPT_PROG;
	return 0;
}

char *wl_files_dir(size_t index)
{
	return xasprintf("/data/w%zu", index);
}

static int env_name_ok(const char *k)
{
	if (!*k || (*k >= '0' && *k <= '9'))
		return 0;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
		      *k == '_'))
			return 0;
	return 1;
}

/* Guest paths a carried file may not take: the agent's, the workloads',
 * the kernel's file systems, and the dirs of file options. */
static const char *const reserved_guest[] = {"/init", CELLCONF_PATH, WARM_CONF_PATH, "/bin/oomlab-wl",
					     "/lib/modules", "/dev", "/proc", "/sys", "/data", "/tmp"};

static int reserved(const char *g)
{
	if (!strcmp(g, "/"))
		return 1;
	for (size_t i = 0; i < ARRAY_SIZE(reserved_guest); i++) {
		size_t n = strlen(reserved_guest[i]);
		if (!strncmp(g, reserved_guest[i], n) && (g[n] == 0 || g[n] == '/' ||
							 !strcmp(reserved_guest[i], "/bin/oomlab-wl")))
			return 1;
	}
	return 0;
}

/* A path of an OPT_FILES list as it lands in the guest: relative under
 * dir, absolute as given; "." segments and doubled slashes dropped. NULL
 * for a path with a ".." segment or nothing left. */
static char *tree_guest(const char *dir, const char *path)
{
	struct buf b = {0};
	buf_printf(&b, "%s", path[0] == '/' ? "" : dir);
	const char *p = path;
	int any = 0;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && !strncmp(p, "..", 2)) {
			buf_free(&b);
			return NULL;
		}
		if (n && !(n == 1 && *p == '.')) {
			buf_printf(&b, "/%.*s", (int)n, p);
			any = 1;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	if (!any) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

static void add_file(struct wl_argv *out, char *host, char *guest, enum wl_file_kind kind)
{
	out->files = xrealloc(out->files, (out->n_files + 1) * sizeof *out->files);
	out->files[out->n_files++] = (struct wl_file){host, guest, kind};
}

/* OPT_ENV: one "--<name> NAME=VALUE" per variable. */
static int env_args(const struct wl_opt *o, const char *key, json_t *v, struct wl_argv *out,
		    struct buf *err)
{
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x) {
		if (!env_name_ok(k) || !json_is_string(x) || !one_line(json_string_value(x))) {
			char *al = allowed_text(o);
			buf_printf(err, "options.%s.%s: %s (allowed: %s)", key, k,
				   !env_name_ok(k) ? "not a variable name" : "not a one-line string", al);
			free(al);
			return -1;
		}
		push(out, xasprintf("--%s", o->name));
		push(out, xasprintf("%s=%s", k, json_string_value(x)));
	}
	return 0;
}

/* OPT_FILES: each path resolved (a file or a dir) and placed; then
 * "--<name> <dir>" (the working directory). */
static int files_args(const struct wl_opt *o, const char *key, json_t *v, size_t index,
		      const struct file_scope *scope, struct wl_argv *out, struct buf *err)
{
	char *dir = wl_files_dir(index);
	for (size_t i = 0; i < json_array_size(v); i++) {
		const char *p = json_string_value(json_array_get(v, i));
		char *abs, *guest;
		struct buf why = {0};
		if (hostfiles_resolve_tree(scope, p, &abs, &why) < 0) {
			buf_printf(err, "options.%s[%zu]: %s", key, i, why.data);
			buf_free(&why);
			free(dir);
			return -1;
		}
		guest = tree_guest(dir, p);
		if (!guest || (p[0] == '/' && reserved(guest))) {
			buf_printf(err,
				   "options.%s[%zu]: %s %s (allowed: a relative path without '..', which lands "
				   "under the program's working directory %s, or an absolute path outside /data, "
				   "/tmp, /dev, /proc, /sys and oomlab's own files)",
				   key, i, p, guest ? "would replace what the guest needs" : "cannot be placed",
				   dir);
			free(guest);
			free(abs);
			free(dir);
			return -1;
		}
		add_file(out, abs, guest, WLF_TREE);
	}
	push(out, xasprintf("--%s", o->name));
	push(out, dir);
	return 0;
}

int wl_build_args(const struct workload *w, json_t *opts, size_t index,
		  const struct file_scope *files, struct wl_argv *out, struct buf *err)
{
	memset(out, 0, sizeof *out);
	const char *key;
	json_t *v;
	json_t *trailing = NULL;
	json_object_foreach(opts, key, v) {
		const struct wl_opt *o = NULL;
		for (size_t i = 0; i < w->n_opts; i++)
			if (opt_name_eq(key, w->opts[i].name))
				o = &w->opts[i];
		if (!o) {
			char *l = opt_list(w);
			buf_printf(err, "options.%s: unknown option of %s (allowed: %s)", key, w->name, l);
			free(l);
			goto bad;
		}
		char *al = allowed_text(o);
		int ok = 1;
		switch (o->type) {
		case OPT_ENUM:
			ok = 0;
			for (const char *const *c = o->choices; json_is_string(v) && *c; c++)
				if (!strcmp(*c, json_string_value(v)))
					ok = 1;
			break;
		case OPT_STR:
		case OPT_FILE:
		case OPT_PROG:
			ok = json_is_string(v) && *json_string_value(v) && one_line(json_string_value(v));
			break;
		case OPT_ENV:
			ok = json_is_object(v);
			break;
		case OPT_ARGV:
		case OPT_FILES:
			ok = json_is_array(v);
			for (size_t i = 0; ok && i < json_array_size(v); i++)
				ok = json_is_string(json_array_get(v, i)) &&
				     one_line(json_string_value(json_array_get(v, i)));
			break;
		default:
			ok = json_is_integer(v) && json_integer_value(v) >= o->min &&
			     json_integer_value(v) <= o->max;
		}
		if (!ok) {
			buf_printf(err, "options.%s: must be %s%s", key,
				   o->type <= OPT_BYTE ? "an integer in " : o->type == OPT_ENUM ? "one of " : "",
				   al);
			free(al);
			goto bad;
		}
		free(al);
		if (o->type == OPT_ARGV) {
			trailing = v;
			continue;
		}
		if (o->type == OPT_ENV) {
			if (env_args(o, key, v, out, err) < 0)
				goto bad;
			continue;
		}
		if (o->type == OPT_FILES) {
			if (files_args(o, key, v, index, files, out, err) < 0)
				goto bad;
			continue;
		}
		if (o->type == OPT_FILE || o->type == OPT_PROG) {
			char *abs;
			struct buf why = {0};
			if (hostfiles_resolve(files, json_string_value(v), &abs, &why) < 0) {
				buf_printf(err, "options.%s: %s", key, why.data);
				buf_free(&why);
				goto bad;
			}
			if (o->type == OPT_PROG && access(abs, X_OK) < 0) {
				buf_printf(err, "options.%s: %s is %s, not executable (allowed: an "
					   "executable file in the matrix file's dir or below, or --allow-file)",
					   key, json_string_value(v), abs);
				free(abs);
				goto bad;
			}
			char *g = guest_file(index, abs, o->type == OPT_PROG);
			add_file(out, abs, g, o->type == OPT_PROG ? WLF_PROG : WLF_DATA);
			push(out, xasprintf("--%s", o->name));
			push(out, xstrdup(g));
			continue;
		}
		push(out, xasprintf("--%s", o->name));
		if (json_is_string(v))
			push(out, xstrdup(json_string_value(v)));
		else
			push(out, xasprintf("%lld", (long long)json_integer_value(v)));
	}
	for (size_t i = 0; i < w->n_opts; i++) {
		const struct wl_opt *o = &w->opts[i];
		int given = 0;
		json_object_foreach(opts, key, v)
			if (opt_name_eq(key, o->name))
				given = 1;
		if (o->required && !given) {
			char *u = opt_key(o);
			char *al = allowed_text(o);
			buf_printf(err, "options.%s: %s needs it (%s: %s)", u, w->name, al, o->help);
			free(al);
			free(u);
			goto bad;
		}
	}
	if (trailing) {
		push(out, xstrdup("--"));
		for (size_t i = 0; i < json_array_size(trailing); i++)
			push(out, xstrdup(json_string_value(json_array_get(trailing, i))));
	}
	return 0;
bad:
	wl_argv_free(out);
	return -1;
}

void wl_argv_free(struct wl_argv *a)
{
	for (size_t i = 0; i < a->n_args; i++)
		free(a->args[i]);
	free(a->args);
	for (size_t i = 0; i < a->n_files; i++) {
		free(a->files[i].host);
		free(a->files[i].guest);
	}
	free(a->files);
	memset(a, 0, sizeof *a);
}

void wl_print_help(void)
{
	for (size_t i = 0; i < wl_registry_n; i++) {
		const struct workload *w = wl_registry[i];
		printf("%s: %s\n", w->name, w->help);
		for (size_t k = 0; k < w->n_opts; k++) {
			const struct wl_opt *o = &w->opts[k];
			char *u = opt_key(o);
			char *al = allowed_text(o);
			if (o->type == OPT_ENUM)
				printf("    %-16s %s, default %s: %s\n", u, al, o->choices[o->def], o->help);
			else if (o->type <= OPT_BYTE)
				printf("    %-16s %s, default %lld: %s\n", u, al, o->def, o->help);
			else
				printf("    %-16s %s: %s\n", u, al, o->help);
			free(al);
			free(u);
		}
	}
	printf("\nEvery workload also takes rlimit_as_mb, oom_score_adj, start_delay_ms and expect in a\n"
	       "matrix file.\n");
}

json_t *wl_registry_json(void)
{
	json_t *wls = json_array();
	for (size_t i = 0; i < wl_registry_n; i++) {
		const struct workload *w = wl_registry[i];
		json_t *opts = json_array();
		for (size_t k = 0; k < w->n_opts; k++) {
			const struct wl_opt *o = &w->opts[k];
			char *u = opt_key(o);
			char *al = allowed_text(o);
			json_t *def = o->type == OPT_ENUM   ? json_string(o->choices[o->def])
				      : o->type <= OPT_BYTE ? json_integer(o->def)
							    : json_null();
			json_array_append_new(opts, json_pack("{s:s,s:s,s:o,s:b,s:s}", "name", u, "allowed", al,
							      "default", def, "required", o->required, "meaning",
							      o->help));
			free(al);
			free(u);
		}
		json_array_append_new(wls, json_pack("{s:s,s:s,s:o}", "name", w->name, "meaning", w->help,
						     "options", opts));
	}
	return json_pack("{s:o,s:[ssss]}", "workloads", wls, "every_workload", "rlimit_as_mb", "oom_score_adj",
			 "start_delay_ms", "expect");
}

long long wl_option_value(const struct workload *w, json_t *opts, const char *opt)
{
	const char *key;
	json_t *v;
	json_object_foreach(opts, key, v)
		if (opt_name_eq(key, opt) && json_is_integer(v))
			return json_integer_value(v);
	for (size_t i = 0; i < w->n_opts; i++)
		if (!strcmp(w->opts[i].name, opt) && w->opts[i].type <= OPT_BYTE)
			return w->opts[i].def;
	return -1;
}

const char *wl_option_word(const struct workload *w, json_t *opts, const char *opt)
{
	const char *key;
	json_t *v;
	json_object_foreach(opts, key, v)
		if (opt_name_eq(key, opt) && json_is_string(v))
			return json_string_value(v);
	for (size_t i = 0; i < w->n_opts; i++) {
		const struct wl_opt *o = &w->opts[i];
		if (strcmp(o->name, opt))
			continue;
		if (o->type == OPT_ENUM)
			return o->choices[o->def];
		if (o->type == OPT_STR)
			return o->sdef ? o->sdef : "";
	}
	return NULL;
}
