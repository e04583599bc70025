// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab --complete WHAT: the words shell completion offers, one a line,
 * from the same tables as --help, `oomlab knobs`, `oomlab workloads` and
 * `oomlab kernels list` (harness/oomlab.bash asks for them). Not a command
 * of the table: people do not type it. */
#include "cli.h"
#include "boot/kernels.h"
#include "plan/knobs.h"
#include "plan/wlreg.h"

#include <stdio.h>
#include <string.h>

/* the "name" of each element of doc[key] (doc stolen) */
static void print_names(json_t *doc, const char *key)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, key), i, e)
		printf("%s\n", json_string_value(json_object_get(e, "name")));
	json_decref(doc);
}

static const struct command *find(const struct command *cmds, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

int cmd_complete(int argc, char **argv, const struct command *cmds, size_t n)
{
	const char *what = argc >= 2 ? argv[1] : "";
	if (argc == 2 && !strcmp(what, "commands")) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", cmds[i].name);
	} else if (argc == 3 && !strcmp(what, "options")) {
		const struct command *c = find(cmds, n, argv[2]);
		if (!c)
			return EXIT_USAGE;
		for (size_t i = 0; i < c->doc->n_opts; i++) {
			const struct cli_opt *o = &c->doc->opts[i];
			printf("--%s\n", o->name);
		}
		if (strcmp(c->name, "version"))
			printf("--help\n");
	} else if (argc == 2 && !strcmp(what, "knobs")) {
		print_names(knobs_json(), "knobs");
	} else if (argc == 2 && !strcmp(what, "workloads")) {
		print_names(wl_registry_json(), "workloads");
	} else if (argc == 2 && !strcmp(what, "kernels")) {
		json_t *doc;
		struct buf err = {0};
		int code = kernels_list_json(&doc, &err);
		buf_free(&err);
		if (code)
			return code;
		print_names(doc, "kernels");
	} else {
		fprintf(stderr, "usage: oomlab --complete commands|options COMMAND|knobs|workloads|kernels\n");
		return EXIT_USAGE;
	}
	return fflush(stdout) ? EXIT_BROK : EXIT_OK;
}
