// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab-wl entry point: the one option parser
 * every workload shares. Usage errors name the option and its allowed
 * range and exit with WL_EXIT_USAGE. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wl.h"



static const char *const type_unit[] = {
	[OPT_INT] = "",	    [OPT_SIZE_KB] = " KiB", [OPT_SIZE_MB] = " MiB", [OPT_BYTE] = " (byte)",
	[OPT_ENUM] = "",    [OPT_STR] = "",	    [OPT_FILE] = "",	    [OPT_ARGV] = "",
	[OPT_PROG] = "",    [OPT_ENV] = "",	    [OPT_FILES] = "",
};

/* What the host passes for an option that is neither a number, a word of
 * its own list nor a plain word. */
static const char *const type_text[OPT_TYPE_COUNT] = {
	[OPT_FILE] = "a file (the host copies it into the guest)",
	[OPT_ARGV] = "the arguments after --",
	[OPT_PROG] = "a program (the host copies it and its libraries into the guest)",
	[OPT_ENV] = "NAME=VALUE, once per variable",
	[OPT_FILES] = "the dir the host put the relative files in",
};

static void usage(FILE *f)
{
	fprintf(f, "usage: oomlab-wl <workload> [--option value]...\n"
		   "       oomlab-wl <workload> --help\n\nworkloads:\n");
	for (size_t i = 0; i < wl_registry_n; i++)
		fprintf(f, "  %-10s %s\n", wl_registry[i]->name, wl_registry[i]->help);
}

static void wl_usage(FILE *f, const struct workload *w)
{
	fprintf(f, "usage: oomlab-wl %s [--option value]... [-- args]\n%s\n\noptions:\n", w->name,
		w->help);
	for (size_t i = 0; i < w->n_opts; i++) {
		const struct wl_opt *o = &w->opts[i];

		fprintf(f, "  --%-10s %s\n  %12s ", o->name, o->help, "");
		if (o->type == OPT_ENUM) {
			fprintf(f, "one of:");
			for (const char *const *c = o->choices; *c; c++)
				fprintf(f, " %s", *c);
			fprintf(f, ", default %s\n", o->choices[o->def]);
		} else if (o->type == OPT_STR) {
			fprintf(f, "a word, default '%s'\n", o->sdef ? o->sdef : "");
		} else if (type_text[o->type]) {
			fprintf(f, "%s\n", type_text[o->type]);
		} else {
			fprintf(f, "range %lld..%lld%s, default %lld\n", o->min, o->max, type_unit[o->type], o->def);
		}
	}
}

static const struct wl_opt *find_opt(const struct workload *w, const char *name, size_t len)
{
	for (size_t i = 0; i < w->n_opts; i++) {
		if (strlen(w->opts[i].name) == len && !strncmp(w->opts[i].name, name, len))
			return &w->opts[i];
	}
	return NULL;
}

static int parse_value(const struct wl_opt *o, const char *s, long long *out)
{
	char *end;
	long long v;

	if (o->type == OPT_ENUM) {
		for (long long i = 0; o->choices[i]; i++)
			if (!strcmp(o->choices[i], s)) {
				*out = i;
				return 0;
			}
		return -1;
	}
	if (!*s)
		return -1;
	errno = 0;
	v = strtoll(s, &end, o->type == OPT_BYTE ? 0 : 10);
	if (errno || *end || v < o->min || v > o->max)
		return -1;
	*out = v;
	return 0;
}

static int bad(const struct workload *w, const char *fmt, const char *arg)
{
	fprintf(stderr, "oomlab-wl %s: ", w->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try: oomlab-wl %s --help)\n", w->name);
	return WL_EXIT_USAGE;
}

static int has_argv_opt(const struct workload *w)
{
	for (size_t i = 0; i < w->n_opts; i++)
		if (w->opts[i].type == OPT_ARGV)
			return 1;
	return 0;
}

/* "--name value" or "--name=value"; later options override earlier ones;
 * "--" ends the options when the workload takes trailing arguments. */
static int parse_opts(const struct workload *w, int argc, char **argv, struct wl_args *a)
{
	for (size_t i = 0; i < w->n_opts; i++) {
		const struct wl_opt *o = &w->opts[i];
		a->v[i] = o->def;
		a->s[i] = o->type == OPT_ENUM ? o->choices[o->def] : o->sdef ? o->sdef : "";
	}
	a->rest = NULL;
	a->n_rest = 0;
	a->env = NULL;
	a->n_env = 0;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq, *val;
		const struct wl_opt *o;

		if (!strcmp(arg, "--") && has_argv_opt(w)) {
			a->rest = argv + i + 1;
			a->n_rest = argc - i - 1;
			break;
		}
		if (strncmp(arg, "--", 2))
			return bad(w, "unexpected argument '%s'", arg);
		arg += 2;
		eq = strchr(arg, '=');
		o = find_opt(w, arg, eq ? (size_t)(eq - arg) : strlen(arg));
		if (!o || o->type == OPT_ARGV)
			return bad(w, "unknown option '%s'", argv[i]);
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return bad(w, "option --%s needs a value", o->name);
		size_t k = (size_t)(o - w->opts);
		if (o->type == OPT_ENV) {
			static char *env[WL_MAX_ENV];
			const char *e = strchr(val, '=');

			if (!e || e == val)
				return bad(w, "--env wants NAME=VALUE, not '%s'", val);
			if (a->n_env >= WL_MAX_ENV)
				return bad(w, "more than 256 variables (at '%s')", val);
			env[a->n_env++] = (char *)val;
			a->env = env;
			continue;
		}
		if (o->type == OPT_STR || o->type == OPT_FILE || o->type == OPT_PROG ||
		    o->type == OPT_FILES) {
			a->s[k] = val;
			continue;
		}
		if (parse_value(o, val, &a->v[k])) {
			if (o->type == OPT_ENUM) {
				fprintf(stderr, "oomlab-wl %s: --%s: '%s' is not one of:", w->name,
					o->name, val);
				for (const char *const *c = o->choices; *c; c++)
					fprintf(stderr, " %s", *c);
				fprintf(stderr, "\n");
			} else {
				fprintf(stderr,
					"oomlab-wl %s: --%s: '%s' is not an integer in %lld..%lld%s\n",
					w->name, o->name, val, o->min, o->max, type_unit[o->type]);
			}
			return WL_EXIT_USAGE;
		}
		if (o->type == OPT_ENUM)
			a->s[k] = o->choices[a->v[k]];
	}
	return 0;
}

/* --help among the options (not among the arguments after "--", which
 * are another program's) */
static int wants_help(const struct workload *w, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--") && has_argv_opt(w))
			return 0;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct workload *w;
	static struct wl_args a;
	int r;

	if (argc < 2) {
		usage(stderr);
		return WL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	w = wl_find(argv[1]);
	if (!w) {
		fprintf(stderr, "oomlab-wl: unknown workload '%s'\n", argv[1]);
		usage(stderr);
		return WL_EXIT_USAGE;
	}
	if (wants_help(w, argc - 2, argv + 2)) {
		wl_usage(stdout, w);
		return 0;
	}
	if (w->n_opts > WL_MAX_OPTS) {
		fprintf(stderr, "oomlab-wl %s: too many options in its table\n", w->name);
		return WL_EXIT_USAGE;
	}
	r = parse_opts(w, argc - 2, argv + 2, &a);
	if (r)
		return r;
	return w->run(&a);
}
