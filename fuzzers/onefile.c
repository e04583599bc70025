// SPDX-License-Identifier: GPL-2.0-or-later
/* Replays files through a fuzz target without libFuzzer: every argument is
 * a file or a directory (its regular files, sorted, not recursive). Used by
 * fuzzers/smoke to replay the seed corpora and the regression inputs in the
 * ASan/UBSan build, and by hand to debug a crash file:
 *   build/fuzz/kernlog-onefile crash-1234
 * Exit 0 when every input passed (a failing property aborts), 2 when an
 * argument cannot be read. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int replay_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	int bad = !buf || ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(buf);
		return -1;
	}
	/* an exact-size copy, so ASan sees a read one byte past the input */
	char *exact = fuzz_dup(buf, len);
	free(buf);
	LLVMFuzzerTestOneInput((const uint8_t *)exact, len);
	free(exact);
	(*n)++;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay(const char *path, size_t *n)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path, n);
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return -1;
	}
	char **names = NULL;
	size_t nn = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (nn + 1) * sizeof *names);
		if (!names || asprintf(&names[nn], "%s/%s", path, e->d_name) < 0)
			abort();
		nn++;
	}
	closedir(d);
	qsort(names, nn, sizeof *names, cmp);
	int rc = 0;
	for (size_t i = 0; i < nn; i++) {
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) && replay_file(names[i], n))
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	size_t n = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++)
		if (replay(argv[i], &n))
			rc = 2;
	printf("%s: %zu inputs replayed\n", argv[0], n);
	return rc;
}
