// SPDX-License-Identifier: GPL-2.0-or-later
/* manpage.c: roff escaping, and a command's section printed from its doc
 * (the doc --help prints), on a made-up command table. That the real
 * table's commands and options all reach the page is checked on the
 * installed page by tests/install. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "manpage.h"
#include "lib/util.h"

static char *text(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	cr_assert_not_null(f);
	manpage_text(f, s);
	fclose(f);
	return out;
}

Test(manpage, text_escapes)
{
	struct {
		const char *in, *want;
	} rows[] = {
		{"plain words", "plain words"},
		{"--kernel K", "\\-\\-kernel K"},
		{"a\\b", "a\\eb"},
		{".cache/ first", "\\&.cache/ first"},
		{"'quoted' first", "\\&'quoted' first"},
		{"x\n.y\n'z\nw.v", "x\n\\&.y\n\\&'z\nw.v"},
		{"", ""},
	};
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		char *got = text(rows[i].in);
		cr_expect_str_eq(got, rows[i].want, "row %zu", i);
		free(got);
	}
}

static int no_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static const struct cli_opt demo_opts[] = {
	{"output", required_argument, 'o', "DIR", "where it goes"},
	{"dry-run", no_argument, 1000, NULL, "nothing, \"quoted\""},
};
static const struct cmd_doc demo_doc = {
	"oomlab demo [-o DIR] FILE\n       oomlab demo --again",
	demo_opts,
	ARRAY_SIZE(demo_opts),
	"  First line.\n  .second line",
};
static const struct cmd_doc bare_doc = {"oomlab bare", NULL, 0, NULL};
static const struct command table[] = {
	{"demo", no_cmd, "do a thing", &demo_doc},
	{"bare", no_cmd, "the other one", &bare_doc},
};

Test(manpage, command_sections_from_the_docs)
{
	char *page = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&page, &len);
	cr_assert_not_null(f);
	manpage_write(f, table, ARRAY_SIZE(table));
	fclose(f);
	static const char want[] = ".SH COMMANDS\n"
				   ".SS \"oomlab demo\"\n"
				   "do a thing.\n"
				   ".PP\n"
				   ".nf\n"
				   "oomlab demo [\\-o DIR] FILE\n"
				   "oomlab demo \\-\\-again\n"
				   ".fi\n"
				   ".PP\n"
				   ".nf\n"
				   "First line.\n"
				   "\\&.second line\n"
				   ".fi\n"
				   ".TP\n"
				   "\\fB\\-o\\fR, \\fB\\-\\-output\\fR \\fIDIR\\fR\n"
				   "where it goes\n"
				   ".TP\n"
				   "\\fB\\-\\-dry\\-run\\fR\n"
				   "nothing, \"quoted\"\n"
				   ".SS \"oomlab bare\"\n"
				   "the other one.\n"
				   ".PP\n"
				   ".nf\n"
				   "oomlab bare\n"
				   ".fi\n"
				   ".SH EXIT STATUS\n"
				   ".TP\n.B 0\nall PASS/SKIP\n"
				   ".TP\n.B 1\na FAIL\n"
				   ".TP\n.B 2\nusage or config error\n"
				   ".TP\n.B 3\nBROK (infrastructure)\n";
	cr_assert_not_null(strstr(page, want), "page:\n%s", page);
	/* one title line, no date: the same build prints the same page */
	cr_assert_not_null(strstr(page, "\n.TH OOMLAB 1 \"\" \"oomlab " OOMLAB_VERSION "\" \"User Commands\"\n"));
	free(page);
}

/* --help prints the same doc: usage, description, options, --help. */
Test(manpage, help_prints_the_same_doc)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	cr_assert_not_null(f);
	cli_help(f, &demo_doc);
	fclose(f);
	cr_assert_str_eq(out, "usage: oomlab demo [-o DIR] FILE\n"
			      "       oomlab demo --again\n"
			      "\n"
			      "  First line.\n"
			      "  .second line\n"
			      "\n"
			      "options:\n"
			      "  --output DIR             where it goes\n"
			      "  --dry-run                nothing, \"quoted\"\n"
			      "  --help                   show this help\n");
	free(out);
}
