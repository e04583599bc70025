// SPDX-License-Identifier: GPL-2.0-or-later
#include "run_source.h"
#include "plan/cellarg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* All of fd, up to max bytes: 0 (*len <= max), 1 when there is more, -1
 * with errno. */
static int read_bounded(int fd, size_t max, char **data, size_t *len)
{
	struct buf b = {0};
	char tmp[65536];
	ssize_t r;
	while ((r = read_retry(fd, tmp, sizeof tmp)) > 0) {
		buf_append(&b, tmp, (size_t)r);
		if (b.len > max)
			break;
	}
	if (r < 0) {
		int e = errno;
		buf_free(&b);
		errno = e;
		return -1;
	}
	if (!b.data)
		buf_append(&b, "", 0);
	*data = b.data;
	*len = b.len;
	return b.len > max;
}

int source_open(struct matrix_source *s, const char *operand, int fd, struct buf *err)
{
	memset(s, 0, sizeof *s);
	if (strcmp(operand, SOURCE_STDIN_ARG)) {
		s->path = s->name = operand;
		return 0;
	}
	s->name = SOURCE_STDIN_NAME;
	int r = read_bounded(fd, MATRIX_MAX_BYTES, &s->data, &s->len);
	if (r < 0)
		buf_printf(err, "%s: cannot read the matrix: %s", s->name, strerror(errno));
	else if (r > 0)
		buf_printf(err, "%s: $: more than %d bytes; a matrix may have at most %d", s->name,
			   MATRIX_MAX_BYTES, MATRIX_MAX_BYTES);
	if (r)
		source_free(s);
	return r ? -1 : 0;
}

void source_of_doc(struct matrix_source *s, json_t *doc)
{
	memset(s, 0, sizeof *s);
	s->name = CELLARG_SOURCE;
	s->data = cellarg_text(doc);
	s->len = strlen(s->data);
	json_decref(doc);
}

int source_load(const struct matrix_source *s, const struct matrix_opts *o, struct matrix *m, struct buf *err)
{
	if (s->path)
		return matrix_load_opts(s->path, o, m, err);
	struct matrix_opts here = *o;
	if (!here.base_dir) {
		here.base_dir = ".";
		here.base_named = SOURCE_BASE_NAMED;
	}
	return matrix_load_buf_opts(s->name, s->data, s->len, &here, m, err);
}

int source_keep(const struct matrix_source *s, const char *dst)
{
	if (!s->path)
		return write_file_atomic(dst, s->data, s->len);
	char *text;
	size_t len;
	if (read_file(s->path, &text, &len) < 0)
		return -1;
	int r = write_file_atomic(dst, text, len);
	free(text);
	return r;
}

int source_is_fileless(const char *path)
{
	return path && (!strcmp(path, SOURCE_STDIN_NAME) || !strcmp(path, CELLARG_SOURCE));
}

void source_free(struct matrix_source *s)
{
	free(s->data);
	memset(s, 0, sizeof *s);
}

/* --cell or --workload TEXT, parsed, appended to *list. */
static int add_arg(json_t **list, json_t *(*parse)(const char *, struct buf *), const char *text)
{
	struct buf err = {0};
	json_t *v = parse(text, &err);
	if (!v) {
		fprintf(stderr, "oomlab: %s\n", err.data);
		buf_free(&err);
		return -1;
	}
	if (!*list)
		*list = json_array();
	json_array_append_new(*list, v);
	return 0;
}

int source_arg(struct source_args *a, int key, const char *arg)
{
	switch (key) {
	case SOURCE_OPT_CELL:
		return add_arg(&a->cells, cellarg_cell, arg);
	case SOURCE_OPT_WORKLOAD:
		return add_arg(&a->workloads, cellarg_workload, arg);
	case SOURCE_OPT_NAME:
		a->name = arg;
		return 0;
	case SOURCE_OPT_TIMEOUT:
		if (parse_ll(arg, &a->timeout_s) || a->timeout_s < 5 || a->timeout_s > 86400) {
			fprintf(stderr, "oomlab: --timeout %s: allowed 5..86400 (seconds)\n", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

const char *source_args_conflict(const struct source_args *a, int n_operands)
{
	if (a->cells && n_operands)
		return "--cell makes the matrix: give no MATRIX file (or -) with it";
	if (a->cells && !a->workloads)
		return "--cell needs --workload NAME: what runs in each cell (oomlab workloads lists them)";
	if (!a->cells && (a->workloads || a->name || a->timeout_s))
		return "--workload, --name and --timeout go with --cell (a matrix file says them itself)";
	if (!a->cells && n_operands != 1)
		return "expected one matrix file (- reads it from standard input), or --cell";
	return NULL;
}

int source_from_args(struct matrix_source *s, const struct source_args *a, const char *operand, int fd,
		     struct buf *err)
{
	if (!a->cells)
		return source_open(s, operand, fd, err);
	source_of_doc(s, cellarg_matrix(json_incref(a->cells), json_incref(a->workloads), a->name, a->timeout_s));
	return 0;
}

void source_args_free(struct source_args *a)
{
	json_decref(a->cells);
	json_decref(a->workloads);
	memset(a, 0, sizeof *a);
}
