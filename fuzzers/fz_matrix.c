// SPDX-License-Identifier: GPL-2.0-or-later
/* Matrix files (harness/plan/matrix.c), the users' untrusted input. Properties:
 *  - an error is one line that names the file first (exit-2 messages);
 *  - a loaded matrix has cells with unique, filename-safe ids;
 *  - the same JSON written again (compact, keys in their order) loads to the same
 *    cells: same count, ids, names, and the same digest.
 * The input is loaded from memory (matrix_load_buf: a file round trip per
 * input ran ~7,000 inputs a second); relative file options resolve
 * against a dir that does not exist.
 *
 * jansson's small blocks are recycled (json_set_alloc_funcs): every JSON
 * value is an allocation, and ASan's allocator was the largest part of the
 * target's time. A block is a real malloc chunk of its size class, so
 * whoever frees it with free() may; exact bounds are kept by poisoning its
 * tail, a freed block stays poisoned (a use is caught) until 1,024 more of
 * its class were freed, a second free of a block is caught, and a jansson
 * value never freed is a chunk nothing points to (LeakSanitizer). */
#include <jansson.h>
#include <malloc.h>
#include <sanitizer/asan_interface.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "plan/matrix.h"
#include "lib/util.h"

/* The rate build (mk/fuzz.mk, no ASan) keeps the recycler but cannot
 * tell a freed block: poisoning is a no-op there, and so is the check. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FZ_ASAN 1
#endif
#endif
#ifdef FZ_ASAN
#define is_poisoned(p) __asan_address_is_poisoned(p)
#else
#define is_poisoned(p) 0
#endif

#define JCLASSES 16 /* blocks of 16, 32, ... 256 bytes */
#define JHOLD 1024  /* freed blocks of a class held before one is reused */
#define JRING 4096
#define JPREFILL 3072 /* blocks of each class made at the start */

static struct jclass {
	void *ring[JRING];
	size_t head, n;
} jcls[JCLASSES];

static void *j_malloc(size_t n)
{
	if (n == 0 || n > 16 * JCLASSES)
		return malloc(n);
	size_t k = (n - 1) / 16, sz = 16 * (k + 1);
	struct jclass *c = &jcls[k];
	char *p;
	if (c->n > JHOLD) {
		p = c->ring[c->head];
		c->head = (c->head + 1) % JRING;
		c->n--;
	} else {
		p = malloc(sz);
		if (!p)
			return NULL;
		ASAN_POISON_MEMORY_REGION(p, sz);
	}
	ASAN_UNPOISON_MEMORY_REGION(p, n); /* [n, sz) stays poisoned */
	return p;
}

static void j_free(void *p)
{
	if (!p)
		return;
	size_t sz = malloc_usable_size(p);
	/* a live block of ours has its first byte addressable */
	FUZZ_CHECK(sz == 0 || !is_poisoned(p), "jansson freed a block twice (%p)", p);
	if (sz == 0 || sz > 16 * JCLASSES || sz % 16) {
		free(p);
		return;
	}
	struct jclass *c = &jcls[sz / 16 - 1];
	if (c->n == JRING) {
		free(p);
		return;
	}
	ASAN_POISON_MEMORY_REGION(p, sz);
	c->ring[(c->head + c->n) % JRING] = p;
	c->n++;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* the blocks made before fuzzing: libFuzzer looks for a leak (a slow
	 * LeakSanitizer pass) after any input that called malloc more often
	 * than free, as a block taken fresh from malloc and held here does */
	for (size_t k = 0; k < JCLASSES; k++)
		for (size_t i = 0; i < JPREFILL; i++) {
			void *p = malloc(16 * (k + 1));
			if (p)
				j_free(p);
		}
	json_set_alloc_funcs(j_malloc, j_free);
	return 0;
}

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
