// SPDX-License-Identifier: GPL-2.0-or-later
#include "plan/wlreg.h"
#include "workloads/wl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
};

/* What an option accepts, for messages and help (caller frees). */
static char *allowed_text(const struct wl_opt *o)
{
	struct buf b = {0};
	switch (o->type) {
	case OPT_ENUM:
		for (const char *const *c = o->choices; *c; c++)
			buf_printf(&b, "%s%s", c == o->choices ? "" : "|", *c);
		break;
	case OPT_STR:
		buf_printf(&b, "a one-line string");
		break;
	case OPT_FILE:
		buf_printf(&b, "a file in the matrix file's dir or below (or --allow-file)");
		break;
	case OPT_ARGV:
		buf_printf(&b, "a list of strings");
		break;
	default:
		buf_printf(&b, "%lld..%lld%s", o->min, o->max, unit[o->type]);
	}
	return b.data;
}

/* JSON keys use '_' ("block_kb"), the guest's options '-' ("block-kb"). */
/* An option's name as a matrix file spells it (malloc'd): '-' as '_'. */
static char *opt_key(const struct wl_opt *o)
{
	char *u = xstrdup(o->name);
	for (char *p = u; *p; p++)
		if (*p == '-')
			*p = '_';
	return u;
}

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

/* Guest path of a file option: /data/w<index>-<basename, safe chars>. */
static char *guest_file(size_t index, const char *host)
{
	const char *base = strrchr(host, '/');
	base = base ? base + 1 : host;
	char *g = xasprintf("/data/w%zu-%s", index, base);
	for (char *p = g + 6; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			*p = '_';
	return g;
}

int wl_option_is_file(const struct workload *w, const char *json_key)
{
	for (size_t i = 0; i < w->n_opts; i++)
		if (opt_name_eq(json_key, w->opts[i].name))
			return w->opts[i].type == OPT_FILE;
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
			ok = json_is_string(v) && *json_string_value(v) && one_line(json_string_value(v));
			break;
		case OPT_ARGV:
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
		if (o->type == OPT_FILE) {
			char *abs;
			struct buf why = {0};
			if (hostfiles_resolve(files, json_string_value(v), &abs, &why) < 0) {
				buf_printf(err, "options.%s: %s", key, why.data);
				buf_free(&why);
				goto bad;
			}
			out->files = xrealloc(out->files, (out->n_files + 1) * sizeof *out->files);
			out->files[out->n_files].host = abs;
			out->files[out->n_files].guest = guest_file(index, abs);
			push(out, xasprintf("--%s", o->name));
			push(out, xstrdup(out->files[out->n_files].guest));
			out->n_files++;
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
