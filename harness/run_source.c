// SPDX-License-Identifier: GPL-2.0-or-later
#include "run_source.h"
#include "plan/cellarg.h"

#include <errno.h>
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
		here.base_named = "the current dir (a matrix from stdin or --cell has no dir of its own)";
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

void source_free(struct matrix_source *s)
{
	free(s->data);
	memset(s, 0, sizeof *s);
}
