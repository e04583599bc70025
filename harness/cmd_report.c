// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab report DIR: the results table of a run, and its HTML, JUnit and
 * KCIDB reports; on the output dir of oomlab fuzz-knobs (sampled.json, no
 * run.json), the search page. */
#include "cli.h"
#include "reports/effects.h"
#include "reports/html/html.h"
#include "reports/html/search.h"
#include "reports/junit/junit.h"
#include "reports/kcidb/kcidb.h"
#include "reports/markdown.h"
#include "reports/rundir.h"
#include "reports/search.h"
#include "reports/table.h"
#include "lib/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_HTML = 1000, OPT_JUNIT, OPT_KCIDB, OPT_ORIGIN, OPT_URL_BASE, OPT_AGAINST, OPT_EFFECTS, OPT_MARKDOWN, OPT_JSON };

static const struct cli_opt report_opts[] = {
	{"html", no_argument, OPT_HTML, NULL, "write the HTML report (default DIR/report.html)"},
	{"output", required_argument, 'o', "FILE", "where --html writes"},
	{"effects", no_argument, OPT_EFFECTS, NULL,
	 "print the knob effects of a sweep: each figure per value of each swept knob, with its 95% CI"},
	{"markdown", no_argument, OPT_MARKDOWN, NULL,
	 "print a short Markdown summary (a CI job summary, a pull-request comment): counts, the FAIL and "
	 "BROK cells, kernel findings not allowed, the HTML page"},
	{"json", no_argument, OPT_JSON, NULL,
	 "print the results table as one JSON document: the run's summary and its rows (reports/cli.schema.json)"},
	{"junit", required_argument, OPT_JUNIT, "FILE", "write JUnit XML (one testcase per cell x workload)"},
	{"kcidb", required_argument, OPT_KCIDB, "FILE", "write KernelCI KCIDB JSON (schema v5.3)"},
	{"origin", required_argument, OPT_ORIGIN, "NAME", "KCIDB origin, [a-z0-9_]+ (default oomlab)"},
	{"url-base", required_argument, OPT_URL_BASE, "URL",
	 "KCIDB: where DIR's files are served (default file:// URLs of DIR)"},
	{"against", required_argument, OPT_AGAINST, "DIR2",
	 "a fuzz-knobs DIR: draw the search of DIR2 (another fuzz-knobs dir) on its page too"},
};

static const char synopsis[] =
	"oomlab report DIR --json\n"
	"  the same as one JSON document\n"
	"oomlab report DIR [--effects] [--markdown] [--html [-o FILE]] [--junit FILE] [--kcidb FILE [--origin NAME] [--url-base URL]]\n"
	"  without options: print the results table of the run in DIR\n"
	"oomlab report FUZZDIR [--html [-o FILE] [--against DIR2]]\n"
	"  the search of oomlab fuzz-knobs in FUZZDIR: its numbers, or its page (default FUZZDIR/search.html)";
const struct cmd_doc report_doc = {synopsis, report_opts, ARRAY_SIZE(report_opts), NULL};

struct report_args {
	int html, effects, markdown, json;
	const char *out, *junit, *kcidb, *origin, *url_base, *against;
};

static int on_report_opt(int key, const char *arg, void *ctx)
{
	struct report_args *a = ctx;
	switch (key) {
	case OPT_HTML:
		a->html = 1;
		return 0;
	case OPT_EFFECTS:
		a->effects = 1;
		return 0;
	case OPT_MARKDOWN:
		a->markdown = 1;
		return 0;
	case OPT_JSON:
		a->json = 1;
		return 0;
	case 'o':
		a->out = arg;
		return 0;
	case OPT_JUNIT:
		a->junit = arg;
		return 0;
	case OPT_KCIDB:
		a->kcidb = arg;
		return 0;
	case OPT_ORIGIN:
		if (!kcidb_origin_ok(arg)) {
			fprintf(stderr, "oomlab report: --origin %s: want lower-case letters, digits and _ only\n", arg);
			return -1;
		}
		a->origin = arg;
		return 0;
	case OPT_URL_BASE:
		if (!kcidb_url_base_ok(arg)) {
			fprintf(stderr, "oomlab report: --url-base %s: want an absolute URL ending in '/' "
					"(scheme://..., characters a URI allows, spaces as %%20)\n",
				arg);
			return -1;
		}
		a->url_base = arg;
		return 0;
	case OPT_AGAINST:
		a->against = arg;
		return 0;
	}
	return -1;
}

/* The output dir of oomlab fuzz-knobs: sampled.json and no run.json. */
static int is_search_dir(const char *dir)
{
	char *sp = xasprintf("%s/sampled.json", dir), *rp = xasprintf("%s/run.json", dir);
	int r = path_exists(sp) && !path_exists(rp);
	free(sp);
	free(rp);
	return r;
}

static int report_search(const char *dir, const struct report_args *a)
{
	if (a->junit || a->kcidb || a->effects || a->markdown) {
		fprintf(stderr, "oomlab report: %s is the output dir of oomlab fuzz-knobs, which has no run of its "
				"own: report its batches (%s/batch-N) with --junit and --kcidb\n", dir, dir);
		return EXIT_USAGE;
	}
	if (a->against && !a->html) {
		fprintf(stderr, "oomlab report: --against goes with --html\n");
		return EXIT_USAGE;
	}
	struct buf err = {0};
	json_t *s = search_load(dir, &err), *base = NULL;
	int code = EXIT_OK;
	if (s && a->against && !(base = search_load(a->against, &err))) {
		fprintf(stderr, "oomlab report: --against %s: %s\n", a->against, err.data);
		code = EXIT_USAGE;
	} else if (!s) {
		fprintf(stderr, "oomlab report: %s\n", err.data);
		code = EXIT_USAGE;
	} else if (!a->html) {
		struct search_curve c;
		search_curve(s, &c);
		printf("%s: oomlab fuzz-knobs %s, %s search, seed %lld: %zu cells run, %zu distinct signatures, "
		       "%zu distinct finding titles\n(oomlab report %s --html writes its page)\n",
		       dir, json_str(s, "matrix", "?"), json_str(s, "search", "?"),
		       (long long)json_integer_value(json_object_get(s, "seed")), c.n, c.n ? c.sigs[c.n - 1] : 0,
		       c.n ? c.titles[c.n - 1] : 0, dir);
		search_curve_free(&c);
	} else {
		char *path = a->out ? xstrdup(a->out) : xasprintf("%s/search.html", dir);
		if (report_write_search_html(s, base, dir, path, &err) == 0) {
			printf("search page:  %s\n", path);
		} else {
			fprintf(stderr, "oomlab report: %s\n", err.data);
			code = EXIT_BROK;
		}
		free(path);
	}
	json_decref(s);
	json_decref(base);
	buf_free(&err);
	return code;
}

int cmd_report(int argc, char **argv)
{
	struct report_args a = {0};
	int r = cli_parse(argc, argv, &report_doc, on_report_opt, &a);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (optind != argc - 1) {
		fprintf(stderr, "oomlab report: expected one run dir\nusage: %s\n", synopsis);
		return EXIT_USAGE;
	}
	if (a.out && !a.html) {
		fprintf(stderr, "oomlab report: -o FILE goes with --html\n");
		return EXIT_USAGE;
	}
	if ((a.origin || a.url_base) && !a.kcidb) {
		fprintf(stderr, "oomlab report: --origin and --url-base go with --kcidb FILE\n");
		return EXIT_USAGE;
	}
	if (a.json && (a.html || a.junit || a.kcidb || a.markdown || a.effects || a.against)) {
		fprintf(stderr, "oomlab report: --json goes alone: it is the results table as JSON\n");
		return EXIT_USAGE;
	}
	const char *dir = argv[optind];
	if (a.json && is_search_dir(dir)) {
		fprintf(stderr, "oomlab report: --json: %s is the output dir of oomlab fuzz-knobs, which has no "
				"results table (its sampled.json is JSON already)\n", dir);
		return EXIT_USAGE;
	}
	if (is_search_dir(dir))
		return report_search(dir, &a);
	if (a.against) {
		fprintf(stderr, "oomlab report: --against goes with the output dir of oomlab fuzz-knobs, and %s is "
				"a run dir\n", dir);
		return EXIT_USAGE;
	}
	struct rundir run;
	struct buf err = {0};
	if (rundir_load(dir, &run, &err) < 0) {
		fprintf(stderr, "oomlab report: %s\n", err.data);
		buf_free(&err);
		return EXIT_USAGE;
	}
	int code = EXIT_OK;
	if (a.json) {
		json_t *rr = run.run;
		code = cli_print_json(json_pack("{s:s,s:s?,s:O?,s:O?,s:O}", "dir", dir, "run_id",
						json_str(rr, "run_id", NULL), "summary", json_object_get(rr, "summary"),
						"exit_code", json_object_get(rr, "exit_code"), "cells",
						json_object_get(rr, "cells")));
		goto out;
	}
	if (a.effects) {
		json_t *axes = effects_axes(&run);
		json_t *eff = effects_of(run.cells, axes);
		effects_print(stdout, eff);
		json_decref(eff);
		json_decref(axes);
	}
	if (!a.html && !a.junit && !a.kcidb && !a.markdown) {
		if (!a.effects)
			report_print_table(stdout, run.run, want_color(1));
		goto out;
	}
	/* with --markdown, stdout is the summary alone */
	char *page = NULL;
	if (a.html) {
		char *path = a.out ? xstrdup(a.out) : xasprintf("%s/report.html", dir);
		if (report_write_html(&run, path, &err) == 0) {
			if (!a.markdown)
				printf("html report:  %s\n", path);
			page = path;
		} else {
			free(path);
		}
	} else if (a.markdown) {
		char *beside = xasprintf("%s/report.html", dir);
		if (path_exists(beside))
			page = beside;
		else
			free(beside);
	}
	if (a.junit && report_write_junit(&run, a.junit, &err) == 0 && !a.markdown)
		printf("junit report: %s\n", a.junit);
	if (a.kcidb) {
		struct kcidb_opts ko = {a.origin, a.url_base};
		if (report_write_kcidb(&run, a.kcidb, &ko, &err) == 0 && !a.markdown)
			printf("kcidb report: %s\n", a.kcidb);
	}
	if (a.markdown) {
		struct buf md = {0};
		markdown_run(&md, run.run, page);
		fputs(md.data, stdout);
		buf_free(&md);
	}
	free(page);
	if (err.data) {
		fprintf(stderr, "oomlab report: %s\n", err.data);
		code = EXIT_BROK;
	}
out:
	rundir_free(&run);
	buf_free(&err);
	return code;
}
