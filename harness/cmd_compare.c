// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab compare BASE_DIR NEW_DIR: what changed between two runs. */
#include "cli.h"
#include "reports/baseline.h"
#include "reports/compare.h"
#include "reports/html/html.h"
#include "reports/markdown.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_JSON = 1000, OPT_TOLERANCE, OPT_BISECT, OPT_HTML, OPT_ALPHA, OPT_MIN_REPEATS, OPT_TOL_ONLY,
       OPT_BASELINE, OPT_MARKDOWN };

static const struct cli_opt compare_opts[] = {
	{"tolerance", required_argument, OPT_TOLERANCE, "PCT",
	 "MB reached may move this much (default 5; repeats that spread more widen it)"},
	{"alpha", required_argument, OPT_ALPHA, "P",
	 "a change is significant at P after Holm's correction over the run's tests (default 0.01)"},
	{"min-repeats", required_argument, OPT_MIN_REPEATS, "N",
	 "repeats a side needs for the tests (default 3); fewer: the tolerance rule decides"},
	{"tolerance-only", no_argument, OPT_TOL_ONLY, NULL, "no tests: the tolerance rule alone, even with enough repeats"},
	{"json", no_argument, OPT_JSON, NULL, "print the comparison as one JSON document"},
	{"markdown", no_argument, OPT_MARKDOWN, NULL,
	 "print a short Markdown summary instead (a CI job summary, a pull-request comment)"},
	{"html", required_argument, OPT_HTML, "FILE",
	 "also write an HTML page: both runs' curves on the same axes per matched cell"},
	{"baseline", required_argument, OPT_BASELINE, "NAME",
	 "BASE_DIR is the reference NAME kept by oomlab baseline save (of NEW_DIR's matrix): give NEW_DIR only"},
	{"bisect", no_argument, OPT_BISECT, NULL,
	 "exit for git bisect run: 0 good, 1 bad, 125 skip (BROK, nothing compared), 128 abort"},
};

static const char synopsis[] = "oomlab compare [--tolerance PCT] [--alpha P] [--min-repeats N] [--tolerance-only] [--json|--markdown] [--html FILE] [--bisect] BASE_DIR NEW_DIR\n"
			      "       oomlab compare [options] --baseline NAME NEW_DIR";
const struct cmd_doc compare_doc = {
	synopsis, compare_opts, ARRAY_SIZE(compare_opts),
	"  Match the cells of two runs by knobs and workloads (not by position, id or kernel)\n"
	"  and report, per workload, endpoint, MB reached, OOM victim and time to OOM.\n"
	"  A regression: another endpoint, MB reached beyond the tolerance, another OOM victim,\n"
	"  a kernel finding title in NEW_DIR that BASE_DIR lacks and its cells did not allow.\n"
	"  With --min-repeats repeats a side, every figure (MB reached, time to OOM, peak RSS,\n"
	"  vmstat counters, PSI) is tested instead: a regression is significant at --alpha\n"
	"  (Welch's t-test, Fisher's exact test for endpoint and victim, Holm's correction)\n"
	"  and beyond the tolerance; timings under TCG never decide one.\n"
	"  exit: 0 no regression, 1 regressed, 2 usage or input error, 3 nothing compared (BROK);\n"
	"  with --bisect: 0 good, 1 bad, 125 skip, 128 abort (bad command line or BASE_DIR)",
};

struct compare_args {
	int json, markdown, bisect, min_repeats, tol_only;
	double tol, alpha;
	const char *html, *baseline;
};

static int on_compare_opt(int key, const char *arg, void *ctx)
{
	struct compare_args *a = ctx;
	char *end;
	switch (key) {
	case OPT_JSON:
		a->json = 1;
		return 0;
	case OPT_MARKDOWN:
		a->markdown = 1;
		return 0;
	case OPT_BISECT:
		a->bisect = 1;
		return 0;
	case OPT_HTML:
		a->html = arg;
		return 0;
	case OPT_BASELINE:
		a->baseline = arg;
		return 0;
	case OPT_TOL_ONLY:
		a->tol_only = 1;
		return 0;
	case OPT_ALPHA:
		a->alpha = strtod(arg, &end);
		if (end == arg || *end || !(a->alpha > 0 && a->alpha < 1)) {
			fprintf(stderr, "oomlab compare: --alpha %s: want a probability, above 0 and below 1\n", arg);
			return -1;
		}
		return 0;
	case OPT_MIN_REPEATS: {
		long v = strtol(arg, &end, 10);
		if (end == arg || *end || v < 2 || v > 1000) {
			fprintf(stderr, "oomlab compare: --min-repeats %s: want a count, 2..1000\n", arg);
			return -1;
		}
		a->min_repeats = (int)v;
		return 0;
	}
	case OPT_TOLERANCE:
		a->tol = strtod(arg, &end);
		if (end == arg || *end || !isfinite(a->tol) || a->tol < 0 || a->tol > 1000) {
			fprintf(stderr, "oomlab compare: --tolerance %s: want a percentage, 0..1000\n", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

int cmd_compare(int argc, char **argv)
{
	/* Known before parsing, so that a bad command line aborts a bisect. */
	int bisect = 0;
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			cli_help(stdout, &compare_doc);
			return EXIT_OK;
		}
		bisect |= !strcmp(argv[i], "--bisect");
	}
	const int usage_rc = bisect ? EXIT_BISECT_ABORT : EXIT_USAGE;
	struct compare_args a = {.tol = COMPARE_TOL_PCT};
	int r = cli_parse(argc, argv, &compare_doc, on_compare_opt, &a);
	if (r)
		return r == 1 ? EXIT_OK : usage_rc;
	if (a.json && a.markdown) {
		fprintf(stderr, "oomlab compare: --json or --markdown, not both\n");
		return usage_rc;
	}
	if (optind != argc - (a.baseline ? 1 : 2)) {
		fprintf(stderr, "oomlab compare: expected %s\nusage: %s\n",
			a.baseline ? "one run dir with --baseline" : "two run dirs", synopsis);
		return usage_rc;
	}
	struct rundir base = {0}, nw = {0};
	struct buf err = {0};
	/* a bad base aborts a bisect, a bad new run skips the commit */
	if (!a.baseline && rundir_load(argv[optind], &base, &err) < 0) {
		fprintf(stderr, "oomlab compare: base run: %s\n", err.data);
		buf_free(&err);
		return usage_rc;
	}
	if (rundir_load(argv[argc - 1], &nw, &err) < 0) {
		fprintf(stderr, "oomlab compare: new run: %s\n", err.data);
		buf_free(&err);
		rundir_free(&base);
		return a.bisect ? EXIT_BISECT_SKIP : EXIT_USAGE;
	}
	if (a.baseline) {
		char *base_dir = NULL;
		int bad = baseline_find(a.baseline, nw.run, &base_dir, &err) < 0 ||
			  rundir_load(base_dir, &base, &err) < 0;
		if (bad) {
			fprintf(stderr, "oomlab compare: %s%s\n", base_dir ? "base run: " : "", err.data);
			buf_free(&err);
			free(base_dir);
			rundir_free(&nw);
			return usage_rc;
		}
		if (!a.json && !a.markdown)
			printf("baseline %s: %s\n", a.baseline, base_dir);
		free(base_dir);
	}
	struct cmp_opts o = {.tol_pct = a.tol, .bisect = a.bisect, .alpha = a.alpha,
			     .min_repeats = a.min_repeats, .tolerance_only = a.tol_only};
	json_t *doc = compare_runs(&base, &nw, &o);
	if (a.json) {
		char *s = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		if (s)
			printf("%s\n", s);
		free(s);
	} else if (!a.markdown) {
		compare_print(stdout, doc, want_color(1));
	}
	int code = (int)json_integer_value(json_object_get(doc, "exit_code"));
	if (a.html) {
		struct buf page = {0};
		report_html_compare(&page, &base, &nw, doc);
		if (buf_write_atomic(a.html, &page, &err) < 0) {
			fprintf(stderr, "oomlab compare: %s\n", err.data);
			/* the comparison stands; the page is what failed */
			if (!a.bisect)
				code = EXIT_BROK;
		} else if (!a.json && !a.markdown) {
			printf("html report: %s\n", a.html);
		}
		buf_free(&page);
	}
	if (a.markdown) {
		struct buf md = {0};
		markdown_compare(&md, doc, a.html && code != EXIT_BROK ? a.html : NULL);
		fputs(md.data, stdout);
		buf_free(&md);
	}
	if (!a.json && !a.markdown && !json_integer_value(json_object_get(json_object_get(doc, "summary"), "compared")))
		fprintf(stderr, "oomlab compare: no cell could be compared%s\n",
			code == EXIT_BROK ? " (BROK)" : ": the runs have no cell in common");
	json_decref(doc);
	rundir_free(&base);
	rundir_free(&nw);
	return code;
}
