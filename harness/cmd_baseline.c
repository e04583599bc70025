// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab baseline: named reference runs in the cache, for
 * `oomlab compare --baseline NAME DIR` (reports/baseline.h). */
#include "cli.h"
#include "reports/baseline.h"
#include "lib/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_JSON = 1000 };

static const struct cli_opt baseline_opts[] = {
	{"json", no_argument, OPT_JSON, NULL, "list: print the baselines as one JSON document"},
};

static const char synopsis[] = "oomlab baseline save NAME DIR | oomlab baseline list [--json]";
const struct cmd_doc baseline_doc = {
	synopsis, baseline_opts, ARRAY_SIZE(baseline_opts),
	"  save: keep a copy of the reports of the finished run in DIR as the reference NAME\n"
	"  (a-z 0-9 . _ -), one per matrix digest and kernel set; the same again replaces it.\n"
	"  list: the saved references. `oomlab compare --baseline NAME DIR` compares DIR with\n"
	"  the reference of its matrix digest (docs/compare.md#baselines).\n"
	"  exit: 0 done, 2 usage or input error (a DIR that is not a finished run, a bad NAME)",
};

static int on_baseline_opt(int key, const char *arg, void *ctx)
{
	(void)arg;
	if (key != OPT_JSON)
		return -1;
	*(int *)ctx = 1;
	return 0;
}

static void print_list(json_t *all)
{
	if (!json_array_size(all)) {
		printf("no baselines saved\n");
		return;
	}
	printf("%-16s %-20s %-16s %-24s %5s  %s\n", "name", "matrix", "digest", "kernels", "cells", "saved");
	size_t i;
	json_t *e;
	json_array_foreach(all, i, e) {
		json_t *m = json_object_get(e, "matrix");
		printf("%-16s %-20s %-16s %-24s %5lld  %s\n", json_str(e, "name", "?"), json_str(m, "name", "?"),
		       json_str(m, "digest", "?"), json_str(e, "kernels", "?"),
		       (long long)json_integer_value(json_object_get(e, "cells")), json_str(e, "saved", "?"));
	}
}

int cmd_baseline(int argc, char **argv)
{
	int json = 0;
	int r = cli_parse(argc, argv, &baseline_doc, on_baseline_opt, &json);
	if (r)
		return r == 1 ? EXIT_OK : r;
	const char *sub = optind < argc ? argv[optind] : "";
	if (!strcmp(sub, "save") && argc - optind == 3 && !json) {
		struct buf err = {0};
		char *where = NULL;
		int replaced = 0;
		if (baseline_save(argv[optind + 1], argv[optind + 2], &where, &replaced, &err) < 0) {
			fprintf(stderr, "oomlab baseline: %s\n", err.data);
			buf_free(&err);
			return EXIT_USAGE;
		}
		printf("baseline %s %s: %s\n", argv[optind + 1], replaced ? "replaced" : "saved", where);
		free(where);
		return EXIT_OK;
	}
	if (!strcmp(sub, "list") && argc - optind == 1) {
		json_t *all = baseline_list();
		if (json) {
			char *s = json_dumps(all, JSON_INDENT(2));
			if (s)
				printf("%s\n", s);
			free(s);
		} else {
			print_list(all);
		}
		json_decref(all);
		return EXIT_OK;
	}
	fprintf(stderr, "oomlab baseline: expected save NAME DIR, or list\nusage: %s\n", synopsis);
	return EXIT_USAGE;
}
