// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "boot/modules.h"

#include <dirent.h>
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

/* Decompressed modules larger than this are refused (a real one is < 20 MB). */
#define MODULE_MAX_BYTES ((size_t)512 << 20)

/* ---------------------------------------------------------------- names */

static char norm_ch(char c)
{
	return c == '-' ? '_' : c;
}

int module_name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (norm_ch(*a) != norm_ch(*b))
			return 0;
	return *a == *b;
}

static char *name_norm(const char *s, size_t n)
{
	char *r = xstrndup(s, n);
	for (char *p = r; *p; p++)
		*p = norm_ch(*p);
	return r;
}

static int has_suffix(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* Length of the module name in basename b (of length n): strips
 * ".ko", ".ko.xz", ".ko.zst", ".ko.gz". */
static size_t stem_len(const char *b, size_t n)
{
	static const char *const comp[] = {".xz", ".zst", ".gz"};
	for (size_t i = 0; i < ARRAY_SIZE(comp); i++) {
		if (has_suffix(b, n, comp[i]) && has_suffix(b, n - strlen(comp[i]), ".ko")) {
			n -= strlen(comp[i]);
			break;
		}
	}
	if (has_suffix(b, n, ".ko"))
		n -= 3;
	return n;
}

static char *name_from_path_n(const char *path, size_t n)
{
	const char *b = path;
	for (size_t i = 0; i < n; i++)
		if (path[i] == '/')
			b = path + i + 1;
	size_t bn = n - (size_t)(b - path);
	return name_norm(b, stem_len(b, bn));
}

char *module_name_from_path(const char *path)
{
	return name_from_path_n(path, strlen(path));
}

static int is_module_file(const char *name)
{
	size_t n = strlen(name);
	return has_suffix(name, n, ".ko") || has_suffix(name, n, ".ko.xz") ||
	       has_suffix(name, n, ".ko.zst") || has_suffix(name, n, ".ko.gz");
}

/* ------------------------------------------------- a small string map */

struct strmap {
	const char **keys; /* borrowed */
	size_t *vals;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static long strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return -1;
	for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->keys[i])
			return -1;
		if (!strcmp(m->keys[i], key))
			return (long)m->vals[i];
	}
}

static void strmap_put(struct strmap *m, const char *key, size_t val);

static void strmap_grow(struct strmap *m)
{
	struct strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->keys = xcalloc(m->cap, sizeof *m->keys);
	m->vals = xcalloc(m->cap, sizeof *m->vals);
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			strmap_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
}

static void strmap_put(struct strmap *m, const char *key, size_t val)
{
	if ((m->n + 1) * 2 > m->cap)
		strmap_grow(m);
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], key)) {
			m->vals[i] = val;
			return;
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
}

static void strmap_free(struct strmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------- modules.dep */

struct parse_ctx {
	struct moddep *d;
	size_t cap;
	struct strmap map;
};

static size_t node_get(struct parse_ctx *p, const char *path, size_t plen, char *name)
{
	long i = strmap_get(&p->map, name);
	if (i >= 0) {
		free(name);
		return (size_t)i;
	}
	struct moddep *d = p->d;
	if (d->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		d->nodes = xrealloc(d->nodes, p->cap * sizeof *d->nodes);
		/* the map borrows names; they live in separate allocations */
	}
	struct moddep_node *nd = &d->nodes[d->n];
	memset(nd, 0, sizeof *nd);
	nd->name = name;
	nd->path = xstrndup(path, plen);
	strmap_put(&p->map, nd->name, d->n);
	return d->n++;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int moddep_parse(const char *buf, size_t len, struct moddep *out, struct buf *err)
{
	memset(out, 0, sizeof *out);
	struct parse_ctx p = {.d = out};
	size_t lineno = 0;
	int rc = 0;
	const char *end = buf + len;
	for (const char *l = buf; l < end && rc == 0;) {
		const char *nl = memchr(l, '\n', (size_t)(end - l));
		const char *le = nl ? nl : end;
		lineno++;
		const char *s = l;
		l = nl ? nl + 1 : end;
		while (s < le && is_space(*s))
			s++;
		const char *e = le;
		while (e > s && is_space(e[-1]))
			e--;
		if (s == e || *s == '#')
			continue;
		if (memchr(s, 0, (size_t)(e - s))) {
			buf_printf(err, "modules.dep line %zu: NUL byte", lineno);
			rc = -1;
			break;
		}
		const char *colon = memchr(s, ':', (size_t)(e - s));
		if (!colon) {
			buf_printf(err, "modules.dep line %zu: no ':' after the module path", lineno);
			rc = -1;
			break;
		}
		const char *pe = colon;
		while (pe > s && is_space(pe[-1]))
			pe--;
		char *name = pe > s ? name_from_path_n(s, (size_t)(pe - s)) : NULL;
		if (!name || !*name) {
			buf_printf(err, "modules.dep line %zu: no module name before ':'", lineno);
			free(name);
			rc = -1;
			break;
		}
		size_t idx = node_get(&p, s, (size_t)(pe - s), name);
		int first = !out->nodes[idx].listed;
		out->nodes[idx].listed = 1;
		/* A dependency-only node gets the path from its own line. */
		if (first) {
			free(out->nodes[idx].path);
			out->nodes[idx].path = xstrndup(s, (size_t)(pe - s));
		}
		size_t dcap = 0;
		for (const char *t = colon + 1; t < e;) {
			while (t < e && is_space(*t))
				t++;
			const char *te = t;
			while (te < e && !is_space(*te))
				te++;
			if (te == t)
				break;
			char *dn = name_from_path_n(t, (size_t)(te - t));
			if (!*dn) {
				buf_printf(err, "modules.dep line %zu: empty dependency name", lineno);
				free(dn);
				rc = -1;
				break;
			}
			size_t di = node_get(&p, t, (size_t)(te - t), dn);
			t = te;
			if (!first)
				continue;
			struct moddep_node *nd = &out->nodes[idx]; /* nodes may have moved */
			int dup = 0;
			for (size_t k = 0; k < nd->ndeps; k++)
				dup |= nd->deps[k] == di;
			if (dup)
				continue;
			if (nd->ndeps == dcap) {
				dcap = dcap ? dcap * 2 : 4;
				nd->deps = xrealloc(nd->deps, dcap * sizeof *nd->deps);
			}
			nd->deps[nd->ndeps++] = di;
		}
	}
	strmap_free(&p.map);
	return rc;
}

void moddep_free(struct moddep *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->nodes[i].name);
		free(d->nodes[i].path);
		free(d->nodes[i].deps);
	}
	free(d->nodes);
	d->nodes = NULL;
	d->n = 0;
}

long moddep_find(const struct moddep *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (module_name_eq(d->nodes[i].name, name))
			return (long)i;
	return -1;
}

size_t modbuiltin_parse(const char *buf, size_t len, char ***names)
{
	size_t n = 0, cap = 8;
	char **v = xmalloc(cap * sizeof *v);
	const char *end = buf + len;
	for (const char *l = buf; l < end;) {
		const char *nl = memchr(l, '\n', (size_t)(end - l));
		const char *le = nl ? nl : end;
		const char *s = l;
		l = nl ? nl + 1 : end;
		while (s < le && is_space(*s))
			s++;
		while (le > s && is_space(le[-1]))
			le--;
		if (s == le || *s == '#' || memchr(s, 0, (size_t)(le - s)))
			continue;
		char *name = name_from_path_n(s, (size_t)(le - s));
		if (!*name) {
			free(name);
			continue;
		}
		if (n + 1 >= cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = name;
	}
	v[n] = NULL;
	*names = v;
	return n;
}

void modnames_free(char **names)
{
	if (!names)
		return;
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}

/* ------------------------------------------------------ ordering */

static int in_names(char *const *names, const char *name)
{
	for (; names && *names; names++)
		if (module_name_eq(*names, name))
			return 1;
	return 0;
}

static void names_push(char ***v, const char *s)
{
	size_t n = 0;
	while (*v && (*v)[n])
		n++;
	*v = xrealloc(*v, (n + 2) * sizeof **v);
	(*v)[n] = xstrdup(s);
	(*v)[n + 1] = NULL;
}

int modset_order(const char *moddir, const struct moddep *dep, char *const *builtin,
		 const char *const *wanted, size_t nwanted, struct modset *out, struct buf *err)
{
	memset(out, 0, sizeof *out);
	/* 0 unvisited, 1 on the DFS stack, 2 emitted */
	unsigned char *state = xcalloc(dep->n ? dep->n : 1, 1);
	struct frame {
		size_t node, next;
	} *stack = xmalloc((dep->n ? dep->n : 1) * sizeof *stack);
	size_t cap = 0;
	int rc = 0;

	for (size_t w = 0; w < nwanted && rc == 0; w++) {
		const char *want = wanted[w];
		if (!want || !*want) {
			buf_printf(err, "empty module name");
			rc = -1;
			break;
		}
		if (in_names(builtin, want)) {
			if (!in_names(out->builtin, want)) {
				char *nn = name_norm(want, strlen(want));
				names_push(&out->builtin, nn);
				free(nn);
			}
			continue;
		}
		long root = moddep_find(dep, want);
		if (root < 0) {
			buf_printf(err, "module '%s' not found in %s (neither in modules.dep nor in modules.builtin)",
				   want, moddir ? moddir : "modules.dep");
			rc = -1;
			break;
		}
		if (state[root] == 2)
			continue;
		/* Iterative DFS, post-order: a module is emitted after all its deps. */
		size_t sp = 0;
		stack[sp++] = (struct frame){(size_t)root, 0};
		state[root] = 1;
		while (sp && rc == 0) {
			struct frame *f = &stack[sp - 1];
			const struct moddep_node *nd = &dep->nodes[f->node];
			if (f->next < nd->ndeps) {
				/* Last listed first: modprobe's order for depmod's lists,
				 * among modules the graph leaves unordered. */
				size_t d = nd->deps[nd->ndeps - 1 - f->next++];
				if (state[d] == 2)
					continue;
				if (state[d] == 1) {
					buf_printf(err, "dependency cycle in modules.dep%s%s: ",
						   moddir ? " of " : "", moddir ? moddir : "");
					size_t from = 0;
					while (stack[from].node != d)
						from++;
					for (size_t k = from; k < sp; k++)
						buf_printf(err, "%s -> ", dep->nodes[stack[k].node].name);
					buf_printf(err, "%s", dep->nodes[d].name);
					rc = -1;
					break;
				}
				state[d] = 1;
				stack[sp++] = (struct frame){d, 0};
				continue;
			}
			state[f->node] = 2;
			if (out->n == cap) {
				cap = cap ? cap * 2 : 8;
				out->items = xrealloc(out->items, cap * sizeof *out->items);
			}
			out->items[out->n].name = xstrdup(nd->name);
			if (nd->path[0] == '/' || !moddir)
				out->items[out->n].path = xstrdup(nd->path);
			else
				out->items[out->n].path = xasprintf("%s/%s", moddir, nd->path);
			out->n++;
			sp--;
		}
	}
	free(state);
	free(stack);
	if (rc < 0)
		modset_free(out);
	return rc;
}

void modset_free(struct modset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->items[i].name);
		free(s->items[i].path);
	}
	free(s->items);
	modnames_free(s->builtin);
	memset(s, 0, sizeof *s);
}

int modset_resolve(const char *moddir, const char *const *wanted, size_t nwanted,
		   struct modset *out, struct buf *err)
{
	return modset_resolve_opt(moddir, wanted, nwanted, NULL, 0, out, err);
}

int modset_resolve_opt(const char *moddir, const char *const *wanted, size_t nwanted,
		       const char *const *optional, size_t noptional, struct modset *out,
		       struct buf *err)
{
	memset(out, 0, sizeof *out);
	char *dpath = xasprintf("%s/modules.dep", moddir);
	char *bpath = xasprintf("%s/modules.builtin", moddir);
	char *dtext = NULL, *btext = NULL;
	size_t dlen = 0, blen = 0;
	char **builtin = NULL;
	struct moddep dep = {0};
	int rc = -1;

	if (read_file(dpath, &dtext, &dlen) < 0) {
		buf_printf(err, "cannot read %s: %s%s", dpath, strerror(errno),
			   errno == ENOENT ? " (run depmod on that tree)" : "");
		goto out;
	}
	if (read_file(bpath, &btext, &blen) < 0) {
		if (errno != ENOENT) {
			buf_printf(err, "cannot read %s: %s", bpath, strerror(errno));
			goto out;
		}
		btext = NULL;
		blen = 0;
	}
	modbuiltin_parse(btext ? btext : "", blen, &builtin);
	if (moddep_parse(dtext, dlen, &dep, err) < 0) {
		buf_printf(err, " (in %s)", dpath);
		goto out;
	}
	/* the wanted names, then the optional ones the tree has */
	const char **all = xcalloc(nwanted + noptional + 1, sizeof *all);
	size_t nall = 0;
	for (size_t i = 0; i < nwanted; i++)
		all[nall++] = wanted[i];
	for (size_t i = 0; i < noptional; i++)
		if (optional[i] && *optional[i] &&
		    (in_names(builtin, optional[i]) || moddep_find(&dep, optional[i]) >= 0))
			all[nall++] = optional[i];
	int ordered = modset_order(moddir, &dep, builtin, all, nall, out, err);
	free(all);
	if (ordered < 0)
		goto out;
	for (size_t i = 0; i < out->n; i++) {
		if (access(out->items[i].path, R_OK) < 0) {
			buf_printf(err, "module %s: %s: %s (listed in %s)", out->items[i].name,
				   out->items[i].path, strerror(errno), dpath);
			goto out;
		}
	}
	rc = 0;
out:
	if (rc < 0)
		modset_free(out);
	moddep_free(&dep);
	modnames_free(builtin);
	free(dtext);
	free(btext);
	free(dpath);
	free(bpath);
	return rc;
}

/* -------------------------------------------------- decompression */

static const unsigned char XZ_MAGIC[] = {0xFD, '7', 'z', 'X', 'Z', 0x00};
static const unsigned char ZSTD_MAGIC[] = {0x28, 0xB5, 0x2F, 0xFD};
static const unsigned char GZ_MAGIC[] = {0x1F, 0x8B};

static const char *lzma_strerror(lzma_ret r)
{
	switch (r) {
	case LZMA_MEM_ERROR: return "out of memory";
	case LZMA_MEMLIMIT_ERROR: return "memory limit reached";
	case LZMA_FORMAT_ERROR: return "not xz data";
	case LZMA_OPTIONS_ERROR: return "unsupported xz options";
	case LZMA_DATA_ERROR: return "corrupt xz data";
	case LZMA_BUF_ERROR: return "truncated xz data";
	default: return "xz decoder error";
	}
}

static int grow_out(char **out, size_t *cap, size_t len, size_t want_free)
{
	if (*cap - len >= want_free)
		return 0;
	size_t nc = *cap ? *cap : 65536;
	while (nc - len < want_free)
		nc *= 2;
	if (nc > MODULE_MAX_BYTES + 65536)
		return -1;
	*out = xrealloc(*out, nc);
	*cap = nc;
	return 0;
}

static int unxz(const char *what, const void *in, size_t inlen, char **out, size_t *outlen,
		struct buf *err)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r = lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED);
	if (r != LZMA_OK) {
		buf_printf(err, "%s: cannot start the xz decoder: %s", what, lzma_strerror(r));
		return -1;
	}
	char *o = NULL;
	size_t cap = 0, len = 0;
	s.next_in = in;
	s.avail_in = inlen;
	for (;;) {
		if (grow_out(&o, &cap, len, 65536) < 0) {
			buf_printf(err, "%s: decompresses to more than %zu MiB", what, MODULE_MAX_BYTES >> 20);
			goto fail;
		}
		s.next_out = (uint8_t *)o + len;
		s.avail_out = cap - len;
		r = lzma_code(&s, LZMA_FINISH);
		len = cap - s.avail_out;
		if (r == LZMA_STREAM_END)
			break;
		if (r != LZMA_OK) {
			buf_printf(err, "%s: %s (after %zu of %zu compressed bytes)", what,
				   lzma_strerror(r), inlen - s.avail_in, inlen);
			goto fail;
		}
	}
	lzma_end(&s);
	*out = o;
	*outlen = len;
	return 0;
fail:
	lzma_end(&s);
	free(o);
	return -1;
}

static int unzstd(const char *what, const void *in, size_t inlen, char **out, size_t *outlen,
		  struct buf *err)
{
	ZSTD_DStream *d = ZSTD_createDStream();
	if (!d) {
		buf_printf(err, "%s: cannot create a zstd decoder", what);
		return -1;
	}
	ZSTD_initDStream(d);
	char *o = NULL;
	size_t cap = 0, len = 0, r = 0;
	ZSTD_inBuffer ib = {in, inlen, 0};
	for (;;) {
		if (grow_out(&o, &cap, len, 65536) < 0) {
			buf_printf(err, "%s: decompresses to more than %zu MiB", what, MODULE_MAX_BYTES >> 20);
			goto fail;
		}
		ZSTD_outBuffer ob = {o + len, cap - len, 0};
		r = ZSTD_decompressStream(d, &ob, &ib);
		if (ZSTD_isError(r)) {
			buf_printf(err, "%s: corrupt zstd data: %s (after %zu of %zu compressed bytes)",
				   what, ZSTD_getErrorName(r), ib.pos, inlen);
			goto fail;
		}
		len += ob.pos;
		if (ib.pos == ib.size && ob.pos < ob.size)
			break;
	}
	if (r != 0) {
		buf_printf(err, "%s: truncated zstd data", what);
		goto fail;
	}
	ZSTD_freeDStream(d);
	*out = o;
	*outlen = len;
	return 0;
fail:
	ZSTD_freeDStream(d);
	free(o);
	return -1;
}

int module_decompress(const char *what, const void *in, size_t inlen, char **data, size_t *len,
		      struct buf *err)
{
	const unsigned char *p = in;
	char *o = NULL;
	size_t olen = 0;
	*data = NULL;
	*len = 0;
	if (inlen >= sizeof XZ_MAGIC && !memcmp(p, XZ_MAGIC, sizeof XZ_MAGIC)) {
		if (unxz(what, in, inlen, &o, &olen, err) < 0)
			return -1;
	} else if (inlen >= sizeof ZSTD_MAGIC && !memcmp(p, ZSTD_MAGIC, sizeof ZSTD_MAGIC)) {
		if (unzstd(what, in, inlen, &o, &olen, err) < 0)
			return -1;
	} else if (inlen >= sizeof GZ_MAGIC && !memcmp(p, GZ_MAGIC, sizeof GZ_MAGIC)) {
		buf_printf(err, "%s: gzip-compressed modules are not supported (use .ko, .ko.xz or .ko.zst)",
			   what);
		return -1;
	} else {
		if (inlen > MODULE_MAX_BYTES) {
			buf_printf(err, "%s: larger than %zu MiB", what, MODULE_MAX_BYTES >> 20);
			return -1;
		}
		o = xmalloc(inlen ? inlen : 1);
		if (inlen)
			memcpy(o, in, inlen);
		olen = inlen;
	}
	if (olen < SELFMAG || memcmp(o, ELFMAG, SELFMAG)) {
		buf_printf(err, "%s: not a kernel module (no ELF magic%s)", what,
			   o == NULL || olen == inlen ? "" : " after decompression");
		free(o);
		return -1;
	}
	*data = o;
	*len = olen;
	return 0;
}

int module_load_file(const char *path, char **data, size_t *len, struct buf *err)
{
	char *raw;
	size_t rlen;
	*data = NULL;
	*len = 0;
	if (read_file(path, &raw, &rlen) < 0) {
		buf_printf(err, "cannot read module %s: %s", path, strerror(errno));
		return -1;
	}
	int r = module_decompress(path, raw, rlen, data, len, err);
	free(raw);
	return r;
}

/* ------------------------------------------------------- .modinfo */

char *modinfo_get(const void *elf, size_t len, const char *key)
{
	const unsigned char *b = elf;
	Elf64_Ehdr eh;
	if (!elf || len < sizeof eh)
		return NULL;
	memcpy(&eh, b, sizeof eh);
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return NULL;
	uint64_t shoff = le64toh(eh.e_shoff);
	uint16_t shentsize = le16toh(eh.e_shentsize), shnum = le16toh(eh.e_shnum),
		 shstrndx = le16toh(eh.e_shstrndx);
	if (shentsize < sizeof(Elf64_Shdr) || shnum == 0 || shstrndx >= shnum || shoff > len ||
	    (uint64_t)shnum * shentsize > len - shoff)
		return NULL;
	Elf64_Shdr strsh;
	memcpy(&strsh, b + shoff + (uint64_t)shstrndx * shentsize, sizeof strsh);
	uint64_t stroff = le64toh(strsh.sh_offset), strsize = le64toh(strsh.sh_size);
	if (stroff > len || strsize > len - stroff)
		return NULL;
	const char *strtab = (const char *)b + stroff;
	size_t klen = strlen(key);
	for (uint16_t i = 0; i < shnum; i++) {
		Elf64_Shdr sh;
		memcpy(&sh, b + shoff + (uint64_t)i * shentsize, sizeof sh);
		uint32_t nm = le32toh(sh.sh_name);
		if (nm >= strsize || le32toh(sh.sh_type) == SHT_NOBITS)
			continue;
		const char *sname = strtab + nm;
		size_t maxn = strsize - nm;
		if (strnlen(sname, maxn) != 8 || memcmp(sname, ".modinfo", 8))
			continue;
		uint64_t off = le64toh(sh.sh_offset), size = le64toh(sh.sh_size);
		if (off > len || size > len - off)
			return NULL;
		const char *s = (const char *)b + off, *e = s + size;
		while (s < e) {
			size_t n = strnlen(s, (size_t)(e - s));
			if (n > klen && s[klen] == '=' && !memcmp(s, key, klen))
				return xstrndup(s + klen + 1, n - klen - 1);
			s += n + 1;
		}
		return NULL;
	}
	return NULL;
}

/* ----------------------------------------------- modules.dep generation */

struct genmod {
	char *rel;   /* path relative to moddir */
	char *name;
	char **deps; /* names */
	size_t ndeps;
	size_t *di;  /* resolved indices */
	size_t ndi;
};

struct gen {
	const char *moddir;
	struct genmod *m;
	size_t n, cap;
	struct buf *err;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int gen_scan(struct gen *g, const char *rel)
{
	char *abs = rel[0] ? xasprintf("%s/%s", g->moddir, rel) : xstrdup(g->moddir);
	DIR *d = opendir(abs);
	if (!d) {
		buf_printf(g->err, "cannot open %s: %s", abs, strerror(errno));
		free(abs);
		return -1;
	}
	/* Sort the entries: the output must not depend on readdir order. */
	char **names = NULL;
	size_t nn = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (nn + 1) * sizeof *names);
		names[nn++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof *names, cmp_str);
	int rc = 0;
	for (size_t i = 0; i < nn; i++) {
		char *sub = rel[0] ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
		char *subabs = xasprintf("%s/%s", g->moddir, sub);
		struct stat st;
		if (rc == 0 && lstat(subabs, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				rc = gen_scan(g, sub);
			} else if (S_ISREG(st.st_mode) && is_module_file(names[i])) {
				char *data;
				size_t len;
				if (module_load_file(subabs, &data, &len, g->err) < 0) {
					rc = -1;
				} else {
					if (g->n == g->cap) {
						g->cap = g->cap ? g->cap * 2 : 256;
						g->m = xrealloc(g->m, g->cap * sizeof *g->m);
					}
					struct genmod *m = &g->m[g->n++];
					memset(m, 0, sizeof *m);
					m->rel = xstrdup(sub);
					char *nm = modinfo_get(data, len, "name");
					if (nm && *nm) {
						m->name = name_norm(nm, strlen(nm));
					} else {
						m->name = module_name_from_path(sub);
					}
					free(nm);
					char *deps = modinfo_get(data, len, "depends");
					for (char *t = deps, *sv = NULL; deps && (t = strtok_r(t, ",", &sv)); t = NULL) {
						m->deps = xrealloc(m->deps, (m->ndeps + 1) * sizeof *m->deps);
						m->deps[m->ndeps++] = name_norm(t, strlen(t));
					}
					free(deps);
					free(data);
				}
			}
		}
		free(sub);
		free(subabs);
		free(names[i]);
	}
	free(names);
	free(abs);
	return rc;
}

int modules_gen_dep(const char *moddir, struct buf *err)
{
	struct gen g = {.moddir = moddir, .err = err};
	struct strmap map = {0};
	struct buf out = {0};
	unsigned char *state = NULL;
	size_t *order = NULL;
	struct frame {
		size_t node, next;
	} *stack = NULL;
	size_t unknown = 0;
	int rc = -1;

	if (gen_scan(&g, "") < 0)
		goto done;
	for (size_t i = 0; i < g.n; i++) {
		if (strmap_get(&map, g.m[i].name) >= 0)
			log_warn("%s: module %s found twice, using the first one", moddir, g.m[i].name);
		else
			strmap_put(&map, g.m[i].name, i);
	}
	for (size_t i = 0; i < g.n; i++) {
		struct genmod *m = &g.m[i];
		m->di = xcalloc(m->ndeps ? m->ndeps : 1, sizeof *m->di);
		for (size_t k = 0; k < m->ndeps; k++) {
			long j = strmap_get(&map, m->deps[k]);
			if (j < 0) {
				if (!unknown++)
					log_warn("%s: %s depends on %s, which is not in the tree", moddir,
						 m->rel, m->deps[k]);
				continue;
			}
			m->di[m->ndi++] = (size_t)j;
		}
	}
	state = xcalloc(g.n ? g.n : 1, 1);
	order = xcalloc(g.n ? g.n : 1, sizeof *order);
	stack = xcalloc(g.n ? g.n : 1, sizeof *stack);
	for (size_t i = 0; i < g.n; i++) {
		/* Transitive deps of i in load order (post-order DFS), written reversed
		 * as depmod does (modprobe loads from the end of the list). */
		memset(state, 0, g.n);
		size_t no = 0, sp = 0;
		stack[sp++] = (struct frame){i, 0};
		state[i] = 1;
		while (sp) {
			struct frame *f = &stack[sp - 1];
			struct genmod *m = &g.m[f->node];
			if (f->next < m->ndi) {
				size_t d = m->di[f->next++];
				if (state[d])
					continue; /* done, or a cycle: modset_order reports those */
				state[d] = 1;
				stack[sp++] = (struct frame){d, 0};
				continue;
			}
			order[no++] = f->node;
			sp--;
		}
		buf_printf(&out, "%s:", g.m[i].rel);
		for (size_t k = no - 1; k-- > 0;) /* order[no-1] is i itself */
			buf_printf(&out, " %s", g.m[order[k]].rel);
		buf_append(&out, "\n", 1);
	}
	char *path = xasprintf("%s/modules.dep", moddir);
	if (write_file_atomic(path, out.data ? out.data : "", out.len) < 0)
		buf_printf(err, "cannot write %s: %s", path, strerror(errno));
	else
		rc = 0;
	free(path);
done:
	for (size_t i = 0; i < g.n; i++) {
		free(g.m[i].rel);
		free(g.m[i].name);
		for (size_t k = 0; k < g.m[i].ndeps; k++)
			free(g.m[i].deps[k]);
		free(g.m[i].deps);
		free(g.m[i].di);
	}
	free(g.m);
	free(state);
	free(order);
	free(stack);
	strmap_free(&map);
	buf_free(&out);
	return rc;
}
