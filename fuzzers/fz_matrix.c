// SPDX-License-Identifier: GPL-2.0-or-later
/* Matrix files (harness/plan/matrix.c), the users' untrusted input. Properties:
 *  - an error is one line that names the file first (exit-2 messages);
 *  - a loaded matrix has cells with unique, filename-safe ids;
 *  - the same JSON written again (compact, keys in their order) loads to the same
 *    cells: same count, ids, names, and the same digest.
 * The input is loaded from memory (matrix_load_buf: a file round trip per
 * input ran ~7,000 inputs a second); relative file options resolve
 * against a dir that does not exist. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "plan/matrix.h"
#include "lib/util.h"

static int cmp_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* the name the input stands for (what errors must start with) */
static const char path[] = "fuzz/matrix.json";

static int load(const void *data, size_t size, struct matrix *m, struct buf *err)
{
	return matrix_load_buf(path, data, size, "/nonexistent-oomlab-fuzz", m, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct matrix m, m2;
	struct buf err = {0}, err2 = {0};
	if (load(data, size, &m, &err)) {
		FUZZ_CHECK(err.data && !strncmp(err.data, path, strlen(path)) && err.data[strlen(path)] == ':',
			   "error does not name the file: '%s'", err.data ? err.data : "(none)");
		FUZZ_CHECK(!strchr(err.data, '\n'), "error spans lines: '%s'", err.data);
		FUZZ_CHECK(m.n_cells == 0 && m.cells == NULL, "failed load left cells");
		buf_free(&err);
		return 0;
	}
	FUZZ_CHECK(m.n_cells >= 1 && m.digest && m.name, "loaded without cells");
	const char **ids = xcalloc(m.n_cells, sizeof *ids);
	for (size_t i = 0; i < m.n_cells; i++) {
		const char *id = m.cells[i].id;
		FUZZ_CHECK(id && *id && strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(id),
			   "cell %zu: id '%s' is not filename-safe", i, id ? id : "(null)");
		FUZZ_CHECK(m.cells[i].n_wl >= 1, "cell %zu has no workload", i);
		ids[i] = id;
	}
	/* unique: sorted, no two neighbours equal (comparing every pair was
	 * quadratic in the cells of a sweep) */
	qsort(ids, m.n_cells, sizeof *ids, cmp_id);
	for (size_t i = 1; i < m.n_cells; i++)
		FUZZ_CHECK(strcmp(ids[i - 1], ids[i]), "two cells share id '%s'", ids[i]);
	free(ids);
	/* written again: the same matrix */
	json_error_t je;
	json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	FUZZ_CHECK(root, "matrix_load took JSON that jansson refuses: %s", je.text);
	char *text = json_dumps(root, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(root);
	FUZZ_CHECK(text, "json_dumps");
	FUZZ_CHECK(load(text, strlen(text), &m2, &err2) == 0, "rewritten matrix fails: %s", err2.data);
	FUZZ_CHECK(m2.n_cells == m.n_cells && !strcmp(m2.digest, m.digest), "rewritten: %zu cells (%zu), digest %s (%s)",
		   m2.n_cells, m.n_cells, m2.digest, m.digest);
	for (size_t i = 0; i < m.n_cells; i++)
		FUZZ_CHECK(!strcmp(m.cells[i].id, m2.cells[i].id) && !strcmp(m.cells[i].name, m2.cells[i].name),
			   "cell %zu: '%s' became '%s'", i, m.cells[i].id, m2.cells[i].id);
	free(text);
	matrix_free(&m);
	matrix_free(&m2);
	buf_free(&err2);
	return 0;
}
