// SPDX-License-Identifier: GPL-2.0-or-later
#include "boot/ldlist.h"
#include "lib/spawn.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LINE_SHOW 96 /* characters of a bad line quoted in a message */

void ldlist_add(struct ldlist *l, const char *soname, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, path))
			return;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n].soname = xstrdup(soname);
	l->v[l->n].path = xstrdup(path);
	l->n++;
}

void ldlist_free(struct ldlist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].soname);
		free(l->v[i].path);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Lexically normalise an absolute path in place ("//", "/./", "x/../"),
 * so it can name a file in the initramfs. Returns 0, or -1 when it is not
 * absolute or climbs above "/". */
static int normalize(char *p)
{
	if (p[0] != '/')
		return -1;
	size_t len = strlen(p);
	char *o = xmalloc(len + 2), *out = o;
	const char *s = p;
	int rc = 0;
	*out++ = '/';
	while (*s) {
		while (*s == '/')
			s++;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		size_t n = (size_t)(e - s);
		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (out == o + 1) {
				rc = -1;
				break;
			}
			out--; /* the '/' after the last component */
			while (out > o + 1 && out[-1] != '/')
				out--;
		} else {
			memcpy(out, s, n);
			out += n;
			*out++ = '/';
		}
		s = e;
	}
	if (out > o + 1)
		out--; /* no trailing '/' */
	*out = 0;
	if (rc == 0)
		memcpy(p, o, (size_t)(out - o) + 1); /* never longer than p */
	free(o);
	return rc;
}

static int is_vdso(const char *s, size_t n)
{
	return (n >= 10 && !memcmp(s, "linux-vdso", 10)) || (n >= 10 && !memcmp(s, "linux-gate", 10));
}

/* s[0..n) without leading/trailing blanks */
static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

/* Cut a trailing " (0x...)" load address off s[0..n). */
static void cut_addr(const char *s, size_t *n)
{
	for (size_t i = *n; i >= 2; i--) {
		if (s[i - 2] == ' ' && s[i - 1] == '(') {
			if (s[*n - 1] == ')') {
				*n = i - 2;
				while (*n && s[*n - 1] == ' ')
					(*n)--;
			}
			return;
		}
	}
}

static const char *find(const char *s, size_t n, const char *what)
{
	size_t wl = strlen(what);
	for (size_t i = 0; i + wl <= n; i++)
		if (!memcmp(s + i, what, wl))
			return s + i;
	return NULL;
}

static int add_path(struct ldlist *out, const char *so, size_t so_n, const char *p, size_t p_n,
		    struct buf *err)
{
	char *soname = xstrndup(so, so_n);
	char *path = xstrndup(p, p_n);
	int r = 0;
	if (memchr(path, 0, p_n) || normalize(path) < 0) {
		buf_printf(err, "the loader listed %s at '%.*s', not an absolute path", soname,
			   LINE_SHOW, path);
		r = -1;
	} else {
		size_t before = out->n;
		ldlist_add(out, soname, path);
		r = out->n > before;
	}
	free(soname);
	free(path);
	return r;
}

int ldlist_parse(const char *buf, size_t len, struct ldlist *out, struct buf *err)
{
	size_t i = 0, objects = 0;
	int added = 0;
	while (i < len) {
		const char *s = buf + i;
		const char *nl = memchr(s, '\n', len - i);
		size_t n = nl ? (size_t)(nl - s) : len - i;
		i += n + 1;
		trim(&s, &n);
		if (!n)
			continue;
		const char *arrow = find(s, n, "=>");
		if (arrow) {
			const char *so = s, *rest = arrow + 2;
			size_t so_n = (size_t)(arrow - s), rest_n = (size_t)(s + n - rest);
			trim(&so, &so_n);
			trim(&rest, &rest_n);
			if (rest_n >= 9 && !memcmp(rest, "not found", 9)) {
				buf_printf(err, "shared library %.*s not found", (int)(so_n < LINE_SHOW ? so_n : LINE_SHOW), so);
				return -1;
			}
			if (rest_n && rest[0] == '(')
				rest_n = 0; /* no path, only an address */
			cut_addr(rest, &rest_n);
			if (!rest_n && is_vdso(so, so_n))
				continue; /* old form: "linux-vdso.so.1 =>  (0x...)" */
			if (!so_n || !rest_n || rest[0] != '/') {
				buf_printf(err, "unexpected line from the loader: '%.*s'",
					   (int)(n < LINE_SHOW ? n : LINE_SHOW), s);
				return -1;
			}
			int r = add_path(out, so, so_n, rest, rest_n, err);
			if (r < 0)
				return -1;
			added += r;
			objects++;
			continue;
		}
		size_t t_n = n;
		cut_addr(s, &t_n);
		if (is_vdso(s, t_n))
			continue;
		if (t_n && s[0] == '/') { /* the loader itself */
			int r = add_path(out, s, t_n, s, t_n, err);
			if (r < 0)
				return -1;
			added += r;
			objects++;
			continue;
		}
		buf_printf(err, "unexpected line from the loader: '%.*s'", (int)(n < LINE_SHOW ? n : LINE_SHOW),
			   s);
		return -1;
	}
	if (!objects) {
		buf_printf(err, "the loader listed no shared object");
		return -1;
	}
	return added;
}

/* ---- ELF: PT_INTERP ---- */

static uint64_t rd(const unsigned char *p, size_t n, int big)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
	return v;
}

int elf_interp(const char *buf, size_t len, char *out, size_t outsz)
{
	const unsigned char *b = (const unsigned char *)buf;
	if (len < 52 || memcmp(b, "\177ELF", 4) || (b[4] != 1 && b[4] != 2) || (b[5] != 1 && b[5] != 2))
		return -1;
	int is64 = b[4] == 2, big = b[5] == 2;
	if (is64 && len < 64)
		return -1;
	uint64_t phoff = is64 ? rd(b + 32, 8, big) : rd(b + 28, 4, big);
	uint64_t phentsize = is64 ? rd(b + 54, 2, big) : rd(b + 42, 2, big);
	uint64_t phnum = is64 ? rd(b + 56, 2, big) : rd(b + 44, 2, big);
	if (phentsize < (is64 ? 56u : 32u) || phoff > len || phnum > (len - phoff) / phentsize)
		return -1;
	for (uint64_t i = 0; i < phnum; i++) {
		const unsigned char *ph = b + phoff + i * phentsize;
		if (rd(ph, 4, big) != 3) /* PT_INTERP */
			continue;
		uint64_t off = is64 ? rd(ph + 8, 8, big) : rd(ph + 4, 4, big);
		uint64_t sz = is64 ? rd(ph + 32, 8, big) : rd(ph + 16, 4, big);
		if (off > len || sz > len - off || !sz)
			return -1;
		const char *s = buf + off;
		size_t n = strnlen(s, (size_t)sz);
		if (!n || n >= outsz)
			return -1;
		memcpy(out, s, n);
		out[n] = 0;
		return 1;
	}
	return 0;
}

/* ---- running the loader ---- */

int ldlist_resolve(const char *exe, struct ldlist *out, struct buf *err)
{
	char *img = NULL;
	size_t img_len = 0;
	char interp[4096];
	if (read_file(exe, &img, &img_len) < 0) {
		buf_printf(err, "cannot read %s: %s", exe, strerror(errno));
		return -1;
	}
	int ir = elf_interp(img, img_len, interp, sizeof interp);
	free(img);
	if (ir < 0) {
		buf_printf(err, "%s: not an ELF program (or a bad PT_INTERP)", exe);
		return -1;
	}
	ldlist_add(out, exe, exe);
	if (ir == 0)
		return 0; /* static: nothing else to carry */
	if (interp[0] != '/') {
		buf_printf(err, "%s: its interpreter '%s' is not an absolute path", exe, interp);
		return -1;
	}
	char *argv[] = {interp, (char *)"--list", (char *)exe, NULL};
	char *text = NULL;
	size_t tl = 0;
	int rc = run_capture(argv, &text, &tl);
	if (rc == 0) {
		struct buf e = {0};
		int r = ldlist_parse(text, tl, out, &e);
		if (r < 0)
			buf_printf(err, "%s: %s", exe, e.data);
		buf_free(&e);
		free(text);
		if (r < 0)
			return -1;
		char *ip = xstrdup(interp);
		if (normalize(ip) == 0)
			ldlist_add(out, ip, ip);
		free(ip);
		return 0;
	}
	free(text);
	text = NULL;
	/* `--list` stops at the first library it cannot find without naming it
	 * on stdout; the loader's trace mode (what ldd uses) names every one. */
	char *targv[] = {(char *)"env", (char *)"LD_TRACE_LOADED_OBJECTS=1", interp, (char *)exe, NULL};
	struct ldlist tmp = {0};
	struct buf e = {0};
	int named = 0;
	if (run_capture(targv, &text, &tl) == 0 || text) {
		if (ldlist_parse(text ? text : "", tl, &tmp, &e) < 0 && e.data && strstr(e.data, "not found")) {
			buf_printf(err, "%s: %s", exe, e.data);
			named = 1;
		}
	}
	if (!named)
		buf_printf(err, "%s: the loader %s --list failed", exe, interp);
	ldlist_free(&tmp);
	buf_free(&e);
	free(text);
	return -1;
}
