// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli.h"
#include "lib/util.h"
#include "plan/hostfiles.h"
#include "plan/matrix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct exit_doc cli_exit_codes[] = {
	{EXIT_OK, "all PASS/SKIP"},
	{EXIT_FAIL, "a FAIL"},
	{EXIT_USAGE, "usage or config error"},
	{EXIT_BROK, "BROK (infrastructure)"},
};
const size_t cli_n_exit_codes = ARRAY_SIZE(cli_exit_codes);

void cli_help(FILE *f, const struct cmd_doc *doc)
{
	fprintf(f, "usage: %s\n", doc->synopsis);
	if (doc->description)
		fprintf(f, "\n%s\n", doc->description);
	if (doc->n_opts)
		fprintf(f, "\noptions:\n");
	for (size_t i = 0; i < doc->n_opts; i++) {
		const struct cli_opt *o = &doc->opts[i];
		char left[64];
		snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-24s %s\n", left, o->help);
	}
	fprintf(f, "  %-24s %s\n", "--help", "show this help");
}

int cli_parse(int argc, char **argv, const struct cmd_doc *doc,
	      int (*on_opt)(int key, const char *arg, void *ctx), void *ctx)
{
	const struct cli_opt *opts = doc->opts;
	size_t n = doc->n_opts;
	struct option *lo = xcalloc(n + 2, sizeof *lo);
	for (size_t i = 0; i < n; i++) {
		lo[i].name = opts[i].name;
		lo[i].has_arg = opts[i].has_arg;
		lo[i].val = opts[i].key;
	}
	lo[n].name = "help";
	lo[n].val = 'h';
	/* short options: table keys that are letters (e.g. 'o' for -o) */
	char *shorts = xmalloc(2 * n + 2);
	size_t k = 0;
	shorts[k++] = 'h';
	for (size_t i = 0; i < n; i++) {
		if (opts[i].key < 128 && opts[i].key > ' ') {
			shorts[k++] = (char)opts[i].key;
			if (opts[i].has_arg == required_argument)
				shorts[k++] = ':';
		}
	}
	shorts[k] = 0;
	optind = 1;
	opterr = 0;
	int rc = 0;
	for (;;) {
		int c = getopt_long(argc, argv, shorts, lo, NULL);
		if (c == -1)
			break;
		if (c == 'h') {
			cli_help(stdout, doc);
			rc = 1;
			break;
		}
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];
			fprintf(stderr, "oomlab: %s: unknown option or missing argument\n", bad ? bad : "?");
			fprintf(stderr, "usage: %s (--help for details)\n", doc->synopsis);
			rc = EXIT_USAGE;
			break;
		}
		int r = on_opt(c, optarg, ctx);
		if (r) {
			rc = EXIT_USAGE;
			break;
		}
	}
	free(shorts);
	free(lo);
	return rc;
}

int cli_no_opt(int key, const char *arg, void *ctx)
{
	(void)key;
	(void)arg;
	(void)ctx;
	return -1;
}

int cli_max_cells(const char *arg, long long *out)
{
	if (parse_ll(arg, out) || *out < 1 || *out > MATRIX_MAX_CELLS_LIMIT) {
		fprintf(stderr, "oomlab: --max-cells %s: allowed 1..%lld\n", arg, MATRIX_MAX_CELLS_LIMIT);
		return -1;
	}
	return 0;
}

int cli_accel(const char *arg, const char **out)
{
	if (strcmp(arg, "auto") && strcmp(arg, "kvm") && strcmp(arg, "tcg")) {
		fprintf(stderr, "oomlab: --accel %s: allowed values are auto, kvm, tcg\n", arg);
		return -1;
	}
	*out = arg;
	return 0;
}

int cli_allow_file(const char *arg, char ***list, size_t *n)
{
	struct buf why = {0};
	int r = hostfiles_allow(list, n, arg, &why);
	if (r < 0)
		fprintf(stderr, "oomlab: %s\n", why.data);
	buf_free(&why);
	return r;
}

int cli_set_flag(int key, const char *arg, void *ctx)
{
	(void)key;
	(void)arg;
	*(int *)ctx = 1;
	return 0;
}

int cli_print_json(json_t *doc)
{
	/* reals as run.json has them (lib/jsonx.c) */
	char *s = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(6)) : NULL;
	json_decref(doc);
	if (!s)
		return EXIT_BROK;
	printf("%s\n", s);
	free(s);
	return fflush(stdout) ? EXIT_BROK : EXIT_OK;
}
