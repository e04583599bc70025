// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab findings DIR...: the distinct kernel findings of runs. */
#include "cli.h"
#include "reports/findings_list.h"
#include "reports/rundir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_JSON = 1000 };

static const struct cli_opt findings_opts[] = {
	{"json", no_argument, OPT_JSON, NULL, "print the titles as one JSON document"},
};

static const char synopsis[] = "oomlab findings [--json] DIR...";
const struct cmd_doc findings_doc = {
	synopsis, findings_opts, ARRAY_SIZE(findings_opts),
	"  The distinct titles of the kernel findings of the runs in DIR... (from each run.json):\n"
	"  per title its kinds, how often it came, in how many cells, whether they allowed it,\n"
	"  the kernels, and the first cell it came in (its report; its section of report.html).\n"
	"  exit: 0 every finding allowed (or none), 1 a finding not allowed,\n"
	"  2 usage or input error (a DIR that is not an oomlab run)",
};

static int on_findings_opt(int key, const char *arg, void *ctx)
{
	(void)arg;
	if (key != OPT_JSON)
		return -1;
	*(int *)ctx = 1;
	return 0;
}

int cmd_findings(int argc, char **argv)
{
	int json = 0;
	int r = cli_parse(argc, argv, &findings_doc, on_findings_opt, &json);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (optind >= argc) {
		fprintf(stderr, "oomlab findings: expected one or more run dirs\nusage: %s\n", synopsis);
		return EXIT_USAGE;
	}
	size_t n = (size_t)(argc - optind);
	json_t **runs = xcalloc(n, sizeof *runs);
	const char **dirs = xcalloc(n, sizeof *dirs);
	int rc = EXIT_OK;
	struct buf err = {0};
	for (size_t i = 0; i < n; i++) {
		dirs[i] = argv[optind + (int)i];
		runs[i] = rundir_load_run(dirs[i], &err);
		if (!runs[i]) {
			fprintf(stderr, "oomlab findings: %s\n", err.data);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	json_t *doc = findings_list(runs, dirs, n);
	if (json) {
		char *s = json_dumps(doc, JSON_INDENT(2));
		if (s)
			printf("%s\n", s);
		free(s);
	} else {
		findings_list_print(stdout, doc, want_color(1));
	}
	rc = findings_list_exit_code(doc);
	json_decref(doc);
out:
	for (size_t i = 0; i < n; i++)
		json_decref(runs[i]);
	free(runs);
	free(dirs);
	buf_free(&err);
	return rc;
}
