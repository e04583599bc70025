// SPDX-License-Identifier: GPL-2.0-or-later
#include "manpage.h"
#include "lib/paths.h"
#include "lib/util.h"
#include "vm/snapshot.h"

#include <stdlib.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* A term and what it means: the rows of ENVIRONMENT and FILES. */
struct man_item {
	const char *term;
	const char *text;
};

/* Every variable the host side reads (tests/install checks the list
 * against the sources). */
static const struct man_item environment[] = {
	{"OOMLAB_CACHE", "The cache: kernels/ (Debian kernel packages, unpacked) and snapshots/ (booted VMs "
			 "for warm starts). Default: .cache/ of the checkout oomlab runs from, else "
			 "$XDG_CACHE_HOME/" PATHS_XDG_CACHE "."},
	{"XDG_CACHE_HOME", "An absolute path: the cache of an installed oomlab is its " PATHS_XDG_CACHE
			   "/ (default ~/" PATHS_HOME_CACHE ")."},
	{"HOME", "The ~ of ~/" PATHS_HOME_CACHE "."},
	{"OOMLAB_ROOT", "A checkout to work in: oomlab run writes results/ there and the cache is its .cache/. "
			"Default: the checkout oomlab runs from; an installed oomlab writes results/ in the "
			"current directory."},
	{"OOMLAB_GUEST_DIR", "The guest programs (default PREFIX/" PATHS_LIBEXEC ", or build/guest of the "
			     "checkout)."},
	{"OOMLAB_SNAPSHOTS", "The warm-start snapshots (default: snapshots/ of the cache)."},
	{"OOMLAB_SNAPSHOT_CACHE_MB", "The snapshots are kept under this many MB; the least recently used go "
				     "first (default " STR(SNAP_CACHE_MB_DEFAULT) ")."},
	{"OOMLAB_NO_FAST", "Paths that make a cell cheap to switch off, comma-separated: end (the VM is "
			   "stopped at the agent's bye), standby (the next cell's VM restored ahead of its "
			   "turn), shm (the stream in a shared-memory ring, not on a UART), ram, or all (see "
			   "docs/running.md#cell-overhead)."},
	{"OOMLAB_FAST", "Paths off by default to switch on, comma-separated: ram (a snapshot's RAM "
			"mapped from a file: faster restores, slower guest memory writes), or all. "
			"OOMLAB_NO_FAST wins."},
	{"TMPDIR", "Each cell's temp dir (initramfs, swap disk) is made here (default /tmp)."},
	{"PATH", "Where qemu-system-x86_64 is found, and apt-get and dpkg-deb for oomlab kernels fetch."},
	{"NO_COLOR", "Set and not empty: tables without colours."},
	{"OOMLAB_FAULT_WARM_PANIC", "For oomlab's own tests: N (1..99) makes the first N warm restores of each "
				    "cell crash the guest's kernel, to show they are retried and then booted "
				    "cold (see docs/warm-starts.md). Never set it for a real run."},
};

/* The installed tree (mk/install.mk), then what oomlab writes. */
static const struct man_item files[] = {
	{"PREFIX/" PATHS_BIN "/oomlab", "This program. It finds the rest from its own place: PREFIX is the "
					 "directory above its bin/."},
	{"PREFIX/" PATHS_LIBEXEC "/", "oomlab-agent (PID 1 of every VM), oomlab-wl and oomlab-wl32 (the "
				      "workloads): static programs put into each VM's initramfs."},
	{"PREFIX/" PATHS_SHARE "/examples/", "Matrix files to start from: oomlab run PREFIX/" PATHS_SHARE
					     "/examples/article.json runs the demo. A file a matrix names "
					     "(a schedule) is found beside the matrix."},
	{"PREFIX/" PATHS_SHARE "/schemas/", "The contracts of the reports: run.schema.json and "
					    "cell.schema.json (JSON Schema), junit-10.xsd, "
					    "kcidb-io.schema.v5.3.json; and cli.schema.json, what the "
					    "listing commands print with --json."},
	{"PREFIX/share/bash-completion/completions/oomlab", "Bash completion of commands, options, "
							     "cached kernels (--kernel) and workloads "
							     "(--workload); bash-completion loads it."},
	{"~/" PATHS_HOME_CACHE "/", "The cache of an installed oomlab (see OOMLAB_CACHE and XDG_CACHE_HOME); "
				    "in a checkout, its .cache/."},
	{"./results/<run>/", "Where oomlab run writes without -o: run.json, cells/, report.html, junit.xml; "
			     "in a checkout, its results/."},
};

void manpage_text(FILE *f, const char *s)
{
	int line_start = 1;
	for (; *s; s++) {
		if (line_start && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		line_start = *s == '\n';
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

/* A macro line with one quoted argument: .SS "oomlab run". */
static void macro(FILE *f, const char *name, const char *arg)
{
	fprintf(f, ".%s \"", name);
	for (; *arg; arg++) {
		if (*arg == '"')
			fputs("\\(dq", f);
		else if (*arg == '\\')
			fputs("\\e", f);
		else if (*arg == '-')
			fputs("\\-", f);
		else
			fputc(*arg, f);
	}
	fputs("\"\n", f);
}

/* Lines of text, each without its leading blanks (the indentation that
 * lines them up after "usage: " in --help), one output line each. */
static void lines(FILE *f, const char *s)
{
	while (*s) {
		s += strspn(s, " \t");
		size_t n = strcspn(s, "\n");
		char *line = xstrndup(s, n);
		manpage_text(f, line);
		fputs("\n", f);
		free(line);
		s += n;
		if (*s == '\n')
			s++;
	}
}

static void items(FILE *f, const struct man_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fputs(".TP\n.B ", f);
		manpage_text(f, it[i].term);
		fputs("\n", f);
		manpage_text(f, it[i].text);
		fputs("\n", f);
	}
}

/* An option as -o, --output DIR (the short form: a key that is a
 * letter, as cli_parse takes it). */
static void option(FILE *f, const struct cli_opt *o)
{
	fputs(".TP\n", f);
	if (o->key < 128 && o->key > ' ')
		fprintf(f, "\\fB\\-%c\\fR, ", o->key);
	fputs("\\fB\\-\\-", f);
	manpage_text(f, o->name);
	fputs("\\fR", f);
	if (o->arg) {
		fputs(" \\fI", f);
		manpage_text(f, o->arg);
		fputs("\\fR", f);
	}
	fputs("\n", f);
	manpage_text(f, o->help);
	fputs("\n", f);
}

static void command(FILE *f, const struct command *c)
{
	char *title = xasprintf("oomlab %s", c->name);
	macro(f, "SS", title);
	free(title);
	manpage_text(f, c->help);
	fputs(".\n.PP\n.nf\n", f);
	lines(f, c->doc->synopsis);
	fputs(".fi\n", f);
	if (c->doc->description) {
		fputs(".PP\n.nf\n", f);
		lines(f, c->doc->description);
		fputs(".fi\n", f);
	}
	for (size_t i = 0; i < c->doc->n_opts; i++)
		option(f, &c->doc->opts[i]);
}

void manpage_write(FILE *f, const struct command *cmds, size_t n)
{
	fputs(".\\\" oomlab.1, printed by `oomlab help --man` from the command table: do not edit.\n", f);
	fputs(".TH OOMLAB 1 \"\" \"oomlab " OOMLAB_VERSION "\" \"User Commands\"\n", f);
	fputs(".nh\n.ad l\n", f);
	fputs(".SH NAME\noomlab \\- fuzz and stress testing harness for Linux memory management\n", f);
	fputs(".SH SYNOPSIS\n.nf\n", f);
	fputs("\\fBoomlab\\fR \\fICOMMAND\\fR [\\fIARGS\\fR]\n", f);
	fputs("\\fBoomlab\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR\n", f);
	fputs("\\fBoomlab \\-\\-help\\fR\n", f);
	fputs("\\fBoomlab help \\-\\-man\\fR\n", f);
	fputs(".fi\n", f);
	fputs(".SH DESCRIPTION\n", f);
	manpage_text(f, "oomlab boots throwaway QEMU virtual machines with real Debian kernels, runs allocation\n"
			"workloads in them under the kernel tunables a matrix file chooses, and judges each\n"
			"cell of the matrix PASS, FAIL, BROK (the infrastructure failed) or SKIP. A run writes\n"
			"one JSON report per cell and a run report, and from them an HTML page, JUnit XML\n"
			"and KernelCI KCIDB JSON.\n");
	fputs(".PP\n", f);
	manpage_text(f, "Each command but version takes --help: its usage and options, as below.\n"
			"oomlab help --man prints this page.\n");
	fputs(".SH COMMANDS\n", f);
	for (size_t i = 0; i < n; i++)
		command(f, &cmds[i]);
	fputs(".SH EXIT STATUS\n", f);
	for (size_t i = 0; i < cli_n_exit_codes; i++) {
		fprintf(f, ".TP\n.B %d\n", cli_exit_codes[i].code);
		manpage_text(f, cli_exit_codes[i].meaning);
		fputs("\n", f);
	}
	fputs(".PP\n", f);
	manpage_text(f, "oomlab compare --bisect has its own (see compare).\n");
	fputs(".SH ENVIRONMENT\n", f);
	items(f, environment, ARRAY_SIZE(environment));
	fputs(".SH FILES\n", f);
	items(f, files, ARRAY_SIZE(files));
	fputs(".SH SEE ALSO\n", f);
	fputs(".BR qemu\\-system\\-x86_64 (1),\n.BR apt\\-get (8)\n", f);
}
