/* Small read-only commands: report, kernels, knobs, workloads. */
#include "cli.h"
#include "kernels.h"
#include "knobs.h"
#include "report.h"
#include "wlreg.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int no_opt(int key, const char *arg, void *ctx)
{
	(void)key;
	(void)arg;
	(void)ctx;
	return -1;
}

int cmd_report(int argc, char **argv)
{
	static const char synopsis[] = "oomlab report DIR   (print the results table of a run)";
	int r = cli_parse(argc, argv, synopsis, NULL, 0, no_opt, NULL);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (optind != argc - 1) {
		fprintf(stderr, "oomlab report: expected one run dir\nusage: %s\n", synopsis);
		return EXIT_USAGE;
	}
	char *path = xasprintf("%s/run.json", argv[optind]);
	json_error_t je;
	json_t *run = json_load_file(path, 0, &je);
	if (!run || !json_is_object(run) ||
	    !json_is_string(json_object_get(run, "format")) ||
	    strcmp(json_string_value(json_object_get(run, "format")), RUN_FORMAT)) {
		fprintf(stderr, "oomlab: %s: not an oomlab run report (%s)\n", path,
			run ? "format is not " RUN_FORMAT : je.text);
		json_decref(run);
		free(path);
		return EXIT_USAGE;
	}
	report_print_table(stdout, run, isatty(1));
	json_decref(run);
	free(path);
	return EXIT_OK;
}

int cmd_kernels(int argc, char **argv)
{
	static const char synopsis[] = "oomlab kernels fetch [PACKAGE] | oomlab kernels list";
	int r = cli_parse(argc, argv, synopsis, NULL, 0, no_opt, NULL);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (optind >= argc) {
		fprintf(stderr, "usage: %s\n", synopsis);
		return EXIT_USAGE;
	}
	struct buf err = {0};
	const char *sub = argv[optind];
	int code;
	if (!strcmp(sub, "list") && optind == argc - 1) {
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

int cmd_knobs(int argc, char **argv)
{
	int r = cli_parse(argc, argv, "oomlab knobs", NULL, 0, no_opt, NULL);
	if (r)
		return r == 1 ? EXIT_OK : r;
	knobs_print_help();
	return EXIT_OK;
}

int cmd_workloads(int argc, char **argv)
{
	int r = cli_parse(argc, argv, "oomlab workloads", NULL, 0, no_opt, NULL);
	if (r)
		return r == 1 ? EXIT_OK : r;
	wl_print_help();
	return EXIT_OK;
}
