#include "wlreg.h"
#include "../workloads/wl.h"

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
	[OPT_INT] = "",
	[OPT_SIZE_KB] = " KiB",
	[OPT_SIZE_MB] = " MiB",
	[OPT_BYTE] = " (byte)",
};

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
		buf_printf(&b, "%s%s (%lld..%lld%s)", i ? ", " : "", u, w->opts[i].min,
			   w->opts[i].max, unit[w->opts[i].type]);
		free(u);
	}
	if (!b.data)
		buf_printf(&b, "none");
	return b.data;
}

int wl_build_args(const char *name, json_t *opts, char ***args, size_t *n_args, struct buf *err)
{
	*args = NULL;
	*n_args = 0;
	const struct workload *w = wl_find(name);
	if (!w) {
		char *l = wl_names();
		buf_printf(err, "unknown workload \"%s\" (allowed: %s)", name, l);
		free(l);
		return -1;
	}
	const char *key;
	json_t *v;
	json_object_foreach(opts, key, v) {
		const struct wl_opt *o = NULL;
		for (size_t i = 0; i < w->n_opts; i++)
			if (opt_name_eq(key, w->opts[i].name))
				o = &w->opts[i];
		if (!o) {
			char *l = opt_list(w);
			buf_printf(err, "options.%s: unknown option of %s (allowed: %s)", key, name, l);
			free(l);
			goto bad;
		}
		if (!json_is_integer(v) || json_integer_value(v) < o->min ||
		    json_integer_value(v) > o->max) {
			buf_printf(err, "options.%s: must be an integer in %lld..%lld%s", key, o->min,
				   o->max, unit[o->type]);
			goto bad;
		}
		*args = xrealloc(*args, (*n_args + 2) * sizeof **args);
		(*args)[(*n_args)++] = xasprintf("--%s", o->name);
		(*args)[(*n_args)++] = xasprintf("%lld", (long long)json_integer_value(v));
	}
	return 0;
bad:
	for (size_t i = 0; i < *n_args; i++)
		free((*args)[i]);
	free(*args);
	*args = NULL;
	*n_args = 0;
	return -1;
}

void wl_print_help(void)
{
	for (size_t i = 0; i < wl_registry_n; i++) {
		const struct workload *w = wl_registry[i];
		printf("%s: %s\n", w->name, w->help);
		for (size_t k = 0; k < w->n_opts; k++) {
			char *u = xstrdup(w->opts[k].name);
			for (char *p = u; *p; p++)
				if (*p == '-')
					*p = '_';
			printf("    %-14s %lld..%lld%s, default %lld: %s\n", u, w->opts[k].min,
			       w->opts[k].max, unit[w->opts[k].type], w->opts[k].def, w->opts[k].help);
			free(u);
		}
	}
	printf("\nEvery workload also takes rlimit_as_mb, oom_score_adj and expect in a matrix file.\n");
}

long long wl_option_value(const char *wl, json_t *opts, const char *opt)
{
	const struct workload *w = wl_find(wl);
	if (!w)
		return -1;
	const char *key;
	json_t *v;
	json_object_foreach(opts, key, v)
		if (opt_name_eq(key, opt) && json_is_integer(v))
			return json_integer_value(v);
	for (size_t i = 0; i < w->n_opts; i++)
		if (!strcmp(w->opts[i].name, opt))
			return w->opts[i].def;
	return -1;
}
