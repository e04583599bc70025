// SPDX-License-Identifier: GPL-2.0-or-later
/* frag-search's pure part: the encoding libFuzzer mutates, the schedule
 * files it writes. Format in frag_search_codec.h. */
#include "frag_search_codec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t size_of(unsigned v)
{
	uint32_t s = ((v & 0x3fffu) + 1) * 8u;
	return (v >> 14) == 3 ? s * 8u : s;
}

int fs_decode(const uint8_t *d, size_t n, struct sched *out)
{
	uint8_t live[FS_SLOTS] = {0};
	unsigned long long requested = 0;
	memset(out, 0, sizeof *out);
	size_t nops = n / 4 < FS_MAX_OPS ? n / 4 : FS_MAX_OPS;
	if (!nops)
		return -1;
	out->ops = calloc(nops, sizeof *out->ops);
	if (!out->ops)
		return -1;
	for (size_t i = 0; i < nops; i++) {
		const uint8_t *b = d + 4 * i;
		struct sched_op op = {0};
		op.slot = b[0] % FS_SLOTS;
		unsigned v = (unsigned)b[2] | (unsigned)b[3] << 8;
		if (!live[op.slot]) {
			op.kind = SCHED_MALLOC;
			op.size = size_of(v);
		} else if (!(b[1] & 1)) {
			op.kind = SCHED_FREE;
		} else {
			op.kind = SCHED_REALLOC;
			op.size = size_of(v);
		}
		if (requested + op.size > FS_BUDGET)
			break;
		requested += op.size;
		live[op.slot] = op.kind != SCHED_FREE;
		out->ops[out->n++] = op;
		if (op.slot + 1 > out->n_slots)
			out->n_slots = op.slot + 1;
	}
	if (!out->n) {
		sched_free(out);
		return -1;
	}
	return 0;
}

size_t fs_encode(const struct sched *s, uint8_t *out, size_t outsz)
{
	if (s->n > FS_MAX_OPS || s->n_slots > FS_SLOTS || outsz < 4 * s->n)
		return 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct sched_op *op = &s->ops[i];
		unsigned v = 0;
		if (op->kind != SCHED_FREE) {
			uint32_t g = (op->size + 7) / 8;
			if (g <= 0x4000)
				v = g - 1;
			else if ((g + 7) / 8 <= 0x4000)
				v = 3u << 14 | ((g + 7) / 8 - 1);
			else
				return 0;
		}
		out[4 * i] = (uint8_t)op->slot;
		out[4 * i + 1] = op->kind == SCHED_REALLOC ? 1 : 0;
		out[4 * i + 2] = (uint8_t)(v & 0xff);
		out[4 * i + 3] = (uint8_t)(v >> 8);
	}
	return 4 * s->n;
}

void fs_requests(const struct sched *s, unsigned long long *requests, unsigned long long *bytes)
{
	*requests = *bytes = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->ops[i].kind != SCHED_FREE) {
			(*requests)++;
			*bytes += s->ops[i].size;
		}
}

int fs_write(const char *path, const struct sched *s, const struct fs_result *r, const char *note)
{
	size_t n = sched_format(s, NULL, 0);
	char *text = malloc(n + 1);
	char *tmp = malloc(strlen(path) + 8);
	FILE *f = NULL;
	int rc = -1;
	if (!text || !tmp)
		goto out;
	sched_format(s, text, n + 1);
	sprintf(tmp, "%s.tmp", path);
	/* a new file: never one that is there, nor through a symlink */
	if (unlink(tmp) < 0 && errno != ENOENT)
		goto out;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		goto out;
	}
	fprintf(f, "# frag-search: %s\n", note ? note : "a schedule found by fuzzers/frag_search.c");
	fprintf(f, "# frag-search: waste_ratio=%.6f blowup=%.4f given_bytes=%lld used_bytes=%lld waste_bytes=%lld\n",
		r->waste_ratio, r->blowup, r->given, r->used, r->waste);
	fprintf(f, "# frag-search: peak_used_bytes=%lld ops=%zu requests=%llu requested_bytes=%llu\n", r->peak_used,
		s->n, r->requests, r->requested_bytes);
	fputs(text, f);
	if (fflush(f) || fsync(fileno(f)))
		goto out;
	if (fclose(f)) {
		f = NULL;
		goto out;
	}
	f = NULL;
	rc = rename(tmp, path);
out:
	if (f)
		fclose(f);
	if (rc && tmp)
		unlink(tmp);
	free(tmp);
	free(text);
	return rc;
}

static void header_figures(const char *buf, size_t len, struct fs_result *r)
{
	static const struct {
		const char *key;
		int is_double;
		size_t off;
	} keys[] = {
		{"waste_ratio=", 1, offsetof(struct fs_result, waste_ratio)},
		{"blowup=", 1, offsetof(struct fs_result, blowup)},
		{"given_bytes=", 0, offsetof(struct fs_result, given)},
		{"used_bytes=", 0, offsetof(struct fs_result, used)},
		{"waste_bytes=", 0, offsetof(struct fs_result, waste)},
		{"peak_used_bytes=", 0, offsetof(struct fs_result, peak_used)},
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *p = memmem(buf, len, keys[i].key, strlen(keys[i].key));
		if (!p)
			continue;
		char num[32] = "";
		p += strlen(keys[i].key);
		size_t k = 0;
		while (k < sizeof num - 1 && p + k < buf + len && strchr("0123456789.-", p[k]))
			k++;
		memcpy(num, p, k);
		if (keys[i].is_double)
			*(double *)((char *)r + keys[i].off) = strtod(num, NULL);
		else
			*(long long *)((char *)r + keys[i].off) = strtoll(num, NULL, 10);
	}
}

int fs_read(const char *path, struct sched *s, struct fs_result *r, char *err, size_t errsz)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = NULL;
	int rc = -1;
	memset(s, 0, sizeof *s);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size > (64 << 20)) {
		snprintf(err, errsz, "%s: %s", path, fd < 0 ? strerror(errno) : "cannot read (or larger than 64 MiB)");
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size) {
		snprintf(err, errsz, "%s: cannot read", path);
		goto out;
	}
	char perr[200];
	if (sched_parse(buf, (size_t)st.st_size, s, perr, sizeof perr)) {
		snprintf(err, errsz, "%s: %s", path, perr);
		goto out;
	}
	if (r) {
		memset(r, 0, sizeof *r);
		r->given = r->used = r->waste = r->peak_used = -1;
		r->waste_ratio = r->blowup = -1;
		fs_requests(s, &r->requests, &r->requested_bytes);
		header_figures(buf, (size_t)st.st_size, r);
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}
