/* oomlab-wl entry point: the one option parser
 * every workload shares. Usage errors name the option and its allowed
 * range and exit with WL_EXIT_USAGE. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wl.h"

#define MAX_OPTS 32


static const char *const type_unit[] = {
	[OPT_INT] = "",
	[OPT_SIZE_KB] = " KiB",
	[OPT_SIZE_MB] = " MiB",
	[OPT_BYTE] = " (byte)",
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
	fprintf(f, "usage: oomlab-wl %s [--option value]...\n%s\n\noptions:\n", w->name, w->help);
	for (size_t i = 0; i < w->n_opts; i++) {
		const struct wl_opt *o = &w->opts[i];

		fprintf(f, "  --%-10s %s\n  %12s range %lld..%lld%s, default %lld\n", o->name,
			o->help, "", o->min, o->max, type_unit[o->type], o->def);
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

/* "--name value" or "--name=value"; later options override earlier ones. */
static int parse_opts(const struct workload *w, int argc, char **argv, long long *v)
{
	for (size_t i = 0; i < w->n_opts; i++)
		v[i] = w->opts[i].def;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq, *val;
		const struct wl_opt *o;

		if (strncmp(arg, "--", 2))
			return bad(w, "unexpected argument '%s'", arg);
		arg += 2;
		eq = strchr(arg, '=');
		o = find_opt(w, arg, eq ? (size_t)(eq - arg) : strlen(arg));
		if (!o)
			return bad(w, "unknown option '%s'", argv[i]);
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return bad(w, "option --%s needs a value", o->name);
		if (parse_value(o, val, &v[o - w->opts])) {
			fprintf(stderr,
				"oomlab-wl %s: --%s: '%s' is not an integer in %lld..%lld%s\n",
				w->name, o->name, val, o->min, o->max, type_unit[o->type]);
			return WL_EXIT_USAGE;
		}
	}
	return 0;
}

static int wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct workload *w;
	long long v[MAX_OPTS];
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
	if (wants_help(argc - 2, argv + 2)) {
		wl_usage(stdout, w);
		return 0;
	}
	if (w->n_opts > MAX_OPTS) {
		fprintf(stderr, "oomlab-wl %s: too many options in its table\n", w->name);
		return WL_EXIT_USAGE;
	}
	r = parse_opts(w, argc - 2, argv + 2, v);
	if (r)
		return r;
	return w->run(v);
}
