// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab kernels: fetch and list the guest kernels (boot/kernels.h). */
#include "cli.h"
#include "boot/kernels.h"

#include <stdio.h>
#include <string.h>

enum { OPT_JSON = 1000 };

static const struct cli_opt kernels_opts[] = {
	{"json", no_argument, OPT_JSON, NULL, "list: print the cached kernels as one JSON document (reports/cli.schema.json)"},
};

static const char synopsis[] = "oomlab kernels fetch [PACKAGE] | oomlab kernels list [--json]";
const struct cmd_doc kernels_doc = {synopsis, kernels_opts, ARRAY_SIZE(kernels_opts), NULL};

int cmd_kernels(int argc, char **argv)
{
	int json = 0;
	int r = cli_parse(argc, argv, &kernels_doc, cli_set_flag, &json);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (optind >= argc || (json && strcmp(argv[optind], "list"))) {
		fprintf(stderr, "usage: %s\n", synopsis);
		return EXIT_USAGE;
	}
	struct buf err = {0};
	const char *sub = argv[optind];
	int code;
	if (!strcmp(sub, "list") && optind == argc - 1 && json) {
		json_t *doc;
		code = kernels_list_json(&doc, &err);
		if (!code)
			code = cli_print_json(doc);
	} else if (!strcmp(sub, "list") && optind == argc - 1) {
		code = kernels_list(stdout, &err);
	} else if (!strcmp(sub, "fetch") && argc - optind <= 2) {
		struct kernel_info ki = {0};
		code = kernels_fetch(optind + 1 < argc ? argv[optind + 1] : NULL, &ki, &err);
		if (!code)
			printf("%s %s %s\n", ki.package, ki.release ? ki.release : "?", ki.image);
		kernel_info_free(&ki);
	} else {
		fprintf(stderr, "usage: %s\n", synopsis);
		return EXIT_USAGE;
	}
	if (code)
		fprintf(stderr, "oomlab: %s\n", err.data ? err.data : "failed");
	buf_free(&err);
	return code;
}
