// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "boot/kernels.h"
#include "boot/modules.h"
#include "lib/jsonx.h"
#include "lib/newfile.h"
#include "lib/paths.h"
#include "lib/spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PKG_PREFIX "linux-image-"

void kernel_info_free(struct kernel_info *k)
{
	if (!k)
		return;
	free(k->package);
	free(k->version);
	free(k->release);
	free(k->image);
	free(k->modules_dir);
	free(k->config);
	memset(k, 0, sizeof *k);
}

char *kernels_cache_dir(void)
{
	return cache_subdir("kernels");
}

int kernels_valid_package(const char *name)
{
	if (!name || strncmp(name, PKG_PREFIX, strlen(PKG_PREFIX)))
		return 0;
	const char *p = name + strlen(PKG_PREFIX);
	if (!*p || strlen(name) > 200)
		return 0;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '+' ||
		      *p == '-'))
			return 0;
	return 1;
}

/* ------------------------------------------------------------ bzImage */

int bzimage_parse(const unsigned char *b, size_t len, char **release)
{
	if (release)
		*release = NULL;
	if (!b || len < 0x210 || memcmp(b + 0x202, "HdrS", 4))
		return -1;
	unsigned proto = (unsigned)b[0x206] | (unsigned)b[0x207] << 8;
	unsigned kv = (unsigned)b[0x20E] | (unsigned)b[0x20F] << 8;
	if (!release || proto < 0x200 || kv == 0)
		return 0;
	size_t off = (size_t)kv + 0x200;
	if (off >= len)
		return 0;
	size_t n = 0;
	while (off + n < len && n < 256 && b[off + n] > ' ' && b[off + n] < 0x7f)
		n++;
	if (n)
		*release = xstrndup((const char *)b + off, n);
	return 0;
}

int kernels_probe_bzimage(const char *path, char **release, struct buf *err)
{
	*release = NULL;
	struct stat st;
	if (stat(path, &st) < 0) {
		buf_printf(err, "kernel image %s: %s", path, strerror(errno));
		return KERNELS_EUSAGE;
	}
	if (!S_ISREG(st.st_mode)) {
		buf_printf(err, "kernel image %s: not a regular file", path);
		return KERNELS_EUSAGE;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		buf_printf(err, "kernel image %s: %s", path, strerror(errno));
		return KERNELS_EUSAGE;
	}
	/* kernel_version is a 16-bit offset from 0x200: 64 KiB + a bit covers it. */
	size_t cap = 0x10000 + 0x200 + 256, len = 0;
	unsigned char *b = xmalloc(cap);
	while (len < cap) {
		ssize_t r = read(fd, b + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	int rc = bzimage_parse(b, len, release);
	free(b);
	if (rc < 0) {
		buf_printf(err, "kernel image %s: not a bzImage (no \"HdrS\" magic at offset 0x202)", path);
		return KERNELS_EUSAGE;
	}
	return KERNELS_OK;
}

/* ------------------------------------------------------ running tools */

static char *argv_str(char *const argv[])
{
	struct buf b = {0};
	for (size_t i = 0; argv[i]; i++)
		buf_printf(&b, "%s%s", i ? " " : "", argv[i]);
	return b.data;
}

/* The interesting part of a tool's output: apt's "E:" lines if any, else
 * the last lines. */
static void log_excerpt(const char *logpath, struct buf *err)
{
	char *text = NULL;
	size_t len = 0;
	if (read_file(logpath, &text, &len) < 0)
		return;
	struct buf e = {0};
	const char *last[3] = {0};
	size_t lastn[3] = {0};
	for (const char *l = text; l < text + len;) {
		const char *nl = memchr(l, '\n', (size_t)(text + len - l));
		size_t n = nl ? (size_t)(nl - l) : (size_t)(text + len - l);
		if (n && !strncmp(l, "E: ", 3))
			buf_printf(&e, "%s%.*s", e.len ? " | " : "", (int)n, l);
		if (n) {
			last[0] = last[1], lastn[0] = lastn[1];
			last[1] = last[2], lastn[1] = lastn[2];
			last[2] = l, lastn[2] = n;
		}
		l += n + 1;
	}
	if (!e.len) /* no "E:" line: the last lines */
		for (int i = 0; i < 3; i++)
			if (last[i])
				buf_printf(&e, "%s%.*s", e.len ? " | " : "", (int)lastn[i], last[i]);
	if (e.len > 600) {
		e.data[600] = 0;
		e.len = 600;
	}
	if (e.len)
		buf_printf(err, ": %s", e.data);
	buf_free(&e);
	free(text);
}

static int log_has(const char *logpath, const char *needle)
{
	char *text;
	if (read_file(logpath, &text, NULL) < 0)
		return 0;
	int r = strstr(text, needle) != NULL;
	free(text);
	return r;
}

/* Run argv in cwd with stdout+stderr into logpath. 0, or -1 with err. */
static int run_logged(char *const argv[], const char *cwd, const char *logpath, struct buf *err)
{
	int fd = file_replace(logpath, 0644);
	if (fd < 0) {
		buf_printf(err, "cannot create %s: %s", logpath, strerror(errno));
		return -1;
	}
	struct spawn_opts o = {cwd, SPAWN_DEVNULL, fd, fd};
	int st = 0;
	int r = run_argv(argv, &o, KERNELS_FETCH_TIMEOUT_MS, &st);
	int e = errno;
	close(fd);
	char *cmd = argv_str(argv);
	int rc = -1;
	if (r < 0)
		buf_printf(err, "cannot run `%s`: %s%s", cmd, strerror(e),
			   e == ENOENT ? " (not installed?)" : "");
	else if (r == 1)
		buf_printf(err, "`%s` timed out after %d s (killed)", cmd, KERNELS_FETCH_TIMEOUT_MS / 1000);
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		buf_printf(err, "`%s` failed (%s)", cmd, status_str(st));
		log_excerpt(logpath, err);
	} else
		rc = 0;
	free(cmd);
	return rc;
}

/* dpkg-deb -f DEB FIELD -> malloc'ed value (trailing whitespace trimmed). */
static char *deb_field(const char *deb, const char *field, struct buf *err)
{
	char *argv[] = {"dpkg-deb", "-f", (char *)deb, (char *)field, NULL};
	char *out = NULL;
	if (run_capture(argv, &out, NULL) < 0) {
		int e = errno;
		char *cmd = argv_str(argv);
		if (!out)
			buf_printf(err, "cannot run `%s`: %s", cmd, strerror(e));
		else
			buf_printf(err, "`%s` failed", cmd);
		free(cmd);
		free(out);
		return NULL;
	}
	size_t n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' ' || out[n - 1] == '\r'))
		out[--n] = 0;
	return out;
}

/* The linux-image-* package a meta-package depends on, or NULL. */
static char *meta_target(const char *depends)
{
	const char *p = depends;
	while (p && *p) {
		while (*p == ' ' || *p == ',' || *p == '|' || *p == '\n')
			p++;
		size_t n = strcspn(p, " ,|(\n");
		if (n > strlen(PKG_PREFIX) && !strncmp(p, PKG_PREFIX, strlen(PKG_PREFIX))) {
			char *name = xstrndup(p, n);
			if (kernels_valid_package(name))
				return name;
			free(name);
		}
		p += n;
		/* skip a version constraint "(= 6.1.192-2)" */
		while (*p && *p != ',' && *p != '|')
			p++;
	}
	return NULL;
}

/* apt-get download pkg in dir. *deb: path of the downloaded file. */
static int apt_download(const char *pkg, const char *dir, char **deb, struct buf *err)
{
	*deb = NULL;
	char *logpath = xasprintf("%s/apt-%s.log", dir, pkg);
	char *argv[] = {"apt-get", "download", (char *)pkg, NULL};
	log_info("downloading %s", pkg);
	double t0 = now_s();
	int rc = KERNELS_OK;
	if (run_logged(argv, dir, logpath, err) < 0) {
		if (log_has(logpath, "Unable to locate package") ||
		    log_has(logpath, "has no installation candidate") ||
		    log_has(logpath, "Can't select candidate")) {
			buf_printf(err, " (no such package? `apt-cache search linux-image` lists them; "
					"`apt-get update` refreshes the lists)");
			rc = KERNELS_EUSAGE;
		} else {
			rc = KERNELS_EINFRA;
		}
		goto out;
	}
	/* The file is <pkg>_<version>_<arch>.deb. */
	DIR *d = opendir(dir);
	if (!d) {
		buf_printf(err, "cannot open %s: %s", dir, strerror(errno));
		rc = KERNELS_EINFRA;
		goto out;
	}
	size_t pl = strlen(pkg);
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n > pl + 1 && !strncmp(de->d_name, pkg, pl) && de->d_name[pl] == '_' && n > 4 &&
		    !strcmp(de->d_name + n - 4, ".deb")) {
			*deb = xasprintf("%s/%s", dir, de->d_name);
			break;
		}
	}
	closedir(d);
	if (!*deb) {
		buf_printf(err, "`apt-get download %s` succeeded but left no %s_*.deb in %s", pkg, pkg, dir);
		rc = KERNELS_EINFRA;
		goto out;
	}
	struct stat st;
	if (stat(*deb, &st) == 0)
		log_info("downloaded %s (%.1f MB in %.1f s)", pkg, (double)st.st_size / 1e6, now_s() - t0);
out:
	free(logpath);
	return rc;
}

/* ---------------------------------------------------------- the cache */

static int entry_exists(const char *cache, const char *pkg)
{
	char *p = xasprintf("%s/%s/kernel.json", cache, pkg);
	int r = path_exists(p);
	free(p);
	return r;
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Load <cache>/<pkg>/kernel.json into out (absolute paths). */
static int read_entry(const char *cache, const char *pkg, struct kernel_info *out, struct buf *err)
{
	memset(out, 0, sizeof *out);
	char *dir0 = xasprintf("%s/%s", cache, pkg);
	char *dir = realpath(dir0, NULL);
	if (!dir) {
		buf_printf(err, "kernel %s is not cached (%s: %s)", pkg, dir0, strerror(errno));
		free(dir0);
		return KERNELS_EINFRA;
	}
	free(dir0);
	char *jpath = xasprintf("%s/kernel.json", dir);
	json_error_t je;
	json_t *j = json_load_file(jpath, 0, &je);
	int rc = KERNELS_EINFRA;
	if (!j) {
		buf_printf(err, "cannot load %s: %s (line %d); remove that directory and fetch again",
			   jpath, je.text, je.line);
		goto out;
	}
	const char *p = jstr(j, "package"), *v = jstr(j, "version"), *r = jstr(j, "release"),
		   *img = jstr(j, "image"), *md = jstr(j, "modules_dir");
	if (!p || !r || !img || img[0] == '/' || (md && md[0] == '/') || strstr(img, "..") ||
	    (md && strstr(md, ".."))) {
		buf_printf(err, "%s: missing or bad package/release/image fields; remove that directory and fetch again",
			   jpath);
		goto out;
	}
	out->package = xstrdup(p);
	out->version = v ? xstrdup(v) : NULL;
	out->release = xstrdup(r);
	out->image = xasprintf("%s/%s", dir, img);
	out->modules_dir = md ? xasprintf("%s/%s", dir, md) : NULL;
	out->config = xasprintf("%s/boot/config-%s", dir, r);
	if (!path_exists(out->config)) {
		free(out->config);
		out->config = NULL;
	}
	if (!path_exists(out->image)) {
		buf_printf(err, "%s: image %s is missing; remove %s and fetch again", jpath, out->image, dir);
		kernel_info_free(out);
		goto out;
	}
	rc = KERNELS_OK;
out:
	json_decref(j);
	free(jpath);
	free(dir);
	return rc;
}

/* Remove .tmp-<pid>-* dirs left by fetches whose process is gone. */
static void clean_stale(const char *cache)
{
	DIR *d = opendir(cache);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, ".tmp-", 5))
			continue;
		long pid = strtol(de->d_name + 5, NULL, 10);
		if (pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH) {
			char *p = xasprintf("%s/%s", cache, de->d_name);
			rm_rf(p);
			free(p);
		}
	}
	closedir(d);
}

/* The single subdirectory of dir (a release under lib/modules), or NULL. */
static char *single_subdir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char *found = NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (found) { /* more than one: ambiguous */
				free(found);
				free(p);
				closedir(d);
				return NULL;
			}
			found = xstrdup(de->d_name);
		}
		free(p);
	}
	closedir(d);
	return found;
}

static int xrename(const char *from, const char *to, struct buf *err)
{
	if (rename(from, to) == 0)
		return 0;
	buf_printf(err, "cannot move %s to %s: %s", from, to, strerror(errno));
	return -1;
}

/* Unpack deb into tmp/entry laid out as a cache entry. */
static int build_entry(const char *tmp, const char *deb, const char *pkg, struct buf *err)
{
	char *root = xasprintf("%s/root", tmp), *entry = xasprintf("%s/entry", tmp);
	char *logpath = xasprintf("%s/dpkg-deb.log", tmp);
	char *release = NULL, *srcmods = NULL, *version = NULL, *img_rel = NULL, *img = NULL,
	     *md_rel = NULL, *p = NULL, *q = NULL, *bzrel = NULL;
	json_t *j = NULL;
	int rc = KERNELS_EINFRA;

	char *argv[] = {"dpkg-deb", "-x", (char *)deb, root, NULL};
	log_info("unpacking %s", deb);
	if (run_logged(argv, NULL, logpath, err) < 0)
		goto out;
	version = deb_field(deb, "Version", err);
	if (!version)
		goto out;
	/* Modules under lib/modules/<release> (or usr/lib/modules on merged-/usr). */
	static const char *const moddirs[] = {"lib/modules", "usr/lib/modules"};
	for (size_t i = 0; i < ARRAY_SIZE(moddirs) && !release; i++) {
		free(srcmods);
		srcmods = xasprintf("%s/%s", root, moddirs[i]);
		release = single_subdir(srcmods);
	}
	if (!release) {
		buf_printf(err, "package %s has no (single) lib/modules/<release> directory", pkg);
		rc = KERNELS_EUSAGE;
		goto out;
	}
	p = xasprintf("%s/boot/vmlinuz-%s", root, release);
	if (!path_exists(p)) {
		buf_printf(err, "package %s has no boot/vmlinuz-%s (not a kernel image package?)", pkg, release);
		rc = KERNELS_EUSAGE;
		goto out;
	}
	if (kernels_probe_bzimage(p, &bzrel, err) != KERNELS_OK)
		goto out; /* a Debian package with a broken image: not the user's fault */
	img_rel = xasprintf("boot/vmlinuz-%s", release);
	md_rel = xasprintf("lib/modules/%s", release);
	q = xasprintf("%s/boot", entry);
	if (mkdir_p(q, 0755) < 0) {
		buf_printf(err, "cannot create %s: %s", q, strerror(errno));
		goto out;
	}
	free(q);
	q = xasprintf("%s/lib/modules", entry);
	if (mkdir_p(q, 0755) < 0) {
		buf_printf(err, "cannot create %s: %s", q, strerror(errno));
		goto out;
	}
	img = xasprintf("%s/%s", entry, img_rel);
	if (xrename(p, img, err) < 0)
		goto out;
	free(p);
	free(q);
	p = xasprintf("%s/boot/config-%s", root, release);
	q = xasprintf("%s/boot/config-%s", entry, release);
	if (path_exists(p) && xrename(p, q, err) < 0)
		goto out;
	free(p);
	free(q);
	p = xasprintf("%s/%s", srcmods, release);
	q = xasprintf("%s/%s", entry, md_rel);
	if (xrename(p, q, err) < 0)
		goto out;
	log_info("generating modules.dep for %s", release);
	if (modules_gen_dep(q, err) < 0)
		goto out;

	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	struct stat st;
	j = json_object();
	json_object_set_new(j, "package", json_string(pkg));
	json_object_set_new(j, "version", json_string(version));
	json_object_set_new(j, "release", json_string(release));
	json_object_set_new(j, "image", json_string(img_rel));
	json_object_set_new(j, "modules_dir", json_string(md_rel));
	json_object_set_new(j, "fetched_at", json_string(when));
	if (stat(img, &st) == 0)
		json_object_set_new(j, "image_bytes", json_integer((json_int_t)st.st_size));
	if (bzrel)
		json_object_set_new(j, "image_release", json_string(bzrel));
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	free(p);
	p = xasprintf("%s/kernel.json", entry);
	size_t tl = strlen(text);
	text = xrealloc(text, tl + 2);
	text[tl++] = '\n';
	int w = write_file_atomic(p, text, tl);
	free(text);
	if (w < 0) {
		buf_printf(err, "cannot write %s: %s", p, strerror(errno));
		goto out;
	}
	rc = KERNELS_OK;
out:
	json_decref(j);
	rm_rf(root);
	free(root);
	free(entry);
	free(logpath);
	free(release);
	free(srcmods);
	free(version);
	free(img_rel);
	free(img);
	free(md_rel);
	free(p);
	free(q);
	free(bzrel);
	return rc;
}

static int set_default(const char *cache, const char *pkg, struct buf *err)
{
	char *p = xasprintf("%s/default", cache);
	char *text = xasprintf("%s\n", pkg);
	int r = write_file_atomic(p, text, strlen(text));
	if (r < 0)
		buf_printf(err, "cannot write %s: %s", p, strerror(errno));
	free(p);
	free(text);
	return r;
}

/* <cache>/<meta> -> <pkg>, replaced atomically. */
static void set_alias(const char *cache, const char *meta, const char *pkg)
{
	char *link = xasprintf("%s/%s", cache, meta);
	struct stat st;
	if (lstat(link, &st) == 0 && !S_ISLNK(st.st_mode)) {
		free(link);
		return; /* a real entry under that name: leave it */
	}
	char *tmp = xasprintf("%s/.alias-%ld", cache, (long)getpid());
	unlink(tmp);
	if (symlink(pkg, tmp) < 0 || rename(tmp, link) < 0) {
		log_warn("cannot record %s -> %s in %s: %s", meta, pkg, cache, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	free(link);
}

int kernels_fetch(const char *package, struct kernel_info *out, struct buf *err)
{
	struct kernel_info dummy;
	if (!out)
		out = &dummy;
	memset(out, 0, sizeof *out);
	const char *want = package ? package : KERNELS_DEFAULT_META;
	if (!kernels_valid_package(want)) {
		buf_printf(err, "'%s' is not a kernel package name (expected %s<release>, e.g. %s, "
				"or a path to a bzImage)", want, PKG_PREFIX, KERNELS_DEFAULT_META);
		return KERNELS_EUSAGE;
	}
	int is_default = !strcmp(want, KERNELS_DEFAULT_META);
	char *cache = kernels_cache_dir();
	char *tmp = NULL, *deb = NULL, *deps = NULL, *real = NULL;
	int rc = KERNELS_EINFRA;

	char *wp = xasprintf("%s/%s", cache, want);
	struct stat wst;
	int is_alias = lstat(wp, &wst) == 0 && S_ISLNK(wst.st_mode);
	free(wp);
	/* A cached package is final; a meta-package (alias) is looked up again. */
	if (!is_default && !is_alias && entry_exists(cache, want)) {
		rc = read_entry(cache, want, out, err);
		goto out;
	}
	if (mkdir_p(cache, 0755) < 0) {
		buf_printf(err, "cannot create the kernel cache %s: %s", cache, strerror(errno));
		goto out;
	}
	clean_stale(cache);
	tmp = xasprintf("%s/.tmp-%ld-XXXXXX", cache, (long)getpid());
	if (!mkdtemp(tmp)) {
		buf_printf(err, "cannot create a temporary directory in %s: %s", cache, strerror(errno));
		goto out;
	}
	rc = apt_download(want, tmp, &deb, err);
	if (rc != KERNELS_OK)
		goto out;
	rc = KERNELS_EINFRA;
	deps = deb_field(deb, "Depends", err);
	if (!deps)
		goto out;
	const char *pkg = want;
	real = meta_target(deps);
	if (real) {
		/* A meta-package: what it depends on is the kernel. */
		log_info("%s is %s", want, real);
		unlink(deb);
		free(deb);
		deb = NULL;
		pkg = real;
		if (!entry_exists(cache, pkg)) {
			rc = apt_download(pkg, tmp, &deb, err);
			if (rc != KERNELS_OK)
				goto out;
			rc = KERNELS_EINFRA;
		}
	}
	if (!entry_exists(cache, pkg)) {
		rc = build_entry(tmp, deb, pkg, err);
		if (rc != KERNELS_OK)
			goto out;
		rc = KERNELS_EINFRA;
		unlink(deb);
		char *entry = xasprintf("%s/entry", tmp), *dest = xasprintf("%s/%s", cache, pkg);
		if (rename(entry, dest) < 0 && errno != EEXIST && errno != ENOTEMPTY) {
			buf_printf(err, "cannot move %s to %s: %s", entry, dest, strerror(errno));
			free(entry);
			free(dest);
			goto out;
		}
		/* EEXIST/ENOTEMPTY: a concurrent fetch won; its entry is as good. */
		log_info("cached %s in %s", pkg, dest);
		free(entry);
		free(dest);
	} else {
		log_info("%s is already cached", pkg);
	}
	if (is_default) {
		if (set_default(cache, pkg, err) < 0)
			goto out;
	} else if (real) {
		set_alias(cache, want, pkg);
	}
	rc = read_entry(cache, pkg, out, err);
out:
	if (tmp)
		rm_rf(tmp);
	if (out == &dummy)
		kernel_info_free(&dummy);
	free(cache);
	free(tmp);
	free(deb);
	free(deps);
	free(real);
	return rc;
}

static char *read_default(const char *cache)
{
	char *p = xasprintf("%s/default", cache), *text = NULL;
	int r = read_file(p, &text, NULL);
	free(p);
	if (r < 0)
		return NULL;
	text[strcspn(text, "\r\n")] = 0;
	if (!kernels_valid_package(text)) {
		free(text);
		return NULL;
	}
	return text;
}

static void du(const char *path, unsigned long long *bytes)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	*bytes += (unsigned long long)st.st_size;
	if (!S_ISDIR(st.st_mode))
		return;
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *sub = xasprintf("%s/%s", path, de->d_name);
		du(sub, bytes);
		free(sub);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int kernels_list_json(json_t **out, struct buf *err)
{
	*out = NULL;
	char *cache = kernels_cache_dir();
	char *def = read_default(cache);
	char **names = NULL;
	size_t n = 0;
	DIR *d = opendir(cache);
	if (!d && errno != ENOENT) {
		buf_printf(err, "cannot open the kernel cache %s: %s", cache, strerror(errno));
		free(cache);
		free(def);
		return KERNELS_EINFRA;
	}
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !kernels_valid_package(de->d_name))
			continue;
		char *p = xasprintf("%s/%s", cache, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && entry_exists(cache, de->d_name)) {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xstrdup(de->d_name);
		}
		free(p);
	}
	if (d)
		closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		struct kernel_info k;
		struct buf e = {0};
		int is_def = def && !strcmp(def, names[i]);
		json_t *row;
		if (read_entry(cache, names[i], &k, &e) != KERNELS_OK) {
			row = json_pack("{s:s,s:b,s:s}", "name", names[i], "default", is_def, "broken", e.data);
		} else {
			unsigned long long bytes = 0;
			char *p = xasprintf("%s/%s", cache, names[i]);
			du(p, &bytes);
			free(p);
			row = json_pack("{s:s,s:b,s:s?,s:s?,s:s?,s:I}", "name", names[i], "default", is_def, "package",
					k.package, "release", k.release, "image", k.image, "bytes", (json_int_t)bytes);
		}
		json_array_append_new(list, row);
		kernel_info_free(&k);
		buf_free(&e);
		free(names[i]);
	}
	free(names);
	*out = json_pack("{s:s,s:o}", "cache", cache, "kernels", list);
	free(def);
	free(cache);
	return KERNELS_OK;
}

int kernels_list(FILE *f, struct buf *err)
{
	json_t *doc;
	int code = kernels_list_json(&doc, err);
	if (code)
		return code;
	json_t *list = json_object_get(doc, "kernels"), *k;
	size_t i;
	if (!json_array_size(list))
		fprintf(f, "no kernels cached in %s (`oomlab kernels fetch` gets the default)\n",
			json_str(doc, "cache", ""));
	json_array_foreach(list, i, k) {
		int is_def = json_is_true(json_object_get(k, "default"));
		if (json_object_get(k, "broken"))
			fprintf(f, "%c %s  (broken: %s)\n", is_def ? '*' : ' ', json_str(k, "name", ""),
				json_str(k, "broken", ""));
		else
			fprintf(f, "%c %s  %s  %s  %.1f MB%s\n", is_def ? '*' : ' ', json_str(k, "package", ""),
				json_str(k, "release", ""), json_str(k, "image", ""),
				(double)json_integer_value(json_object_get(k, "bytes")) / 1e6, is_def ? "  (default)" : "");
	}
	json_decref(doc);
	return KERNELS_OK;
}

/* The build configuration of a bzImage (absolute path), or NULL: a Debian
 * layout (config-<release> beside it), or the kernel tree it was built in. */
static char *bzimage_config(const char *image, const char *release)
{
	static const char tree_tail[] = "/arch/x86/boot/bzImage";
	const char *slash = strrchr(image, '/');
	size_t n = strlen(image), tl = sizeof tree_tail - 1;
	char *p = release ? xasprintf("%.*s/config-%s", (int)(slash - image), image, release) : NULL;
	if (p && path_exists(p))
		return p;
	free(p);
	if (n > tl && !strcmp(image + n - tl, tree_tail)) {
		p = xasprintf("%.*s/.config", (int)(n - tl), image);
		if (path_exists(p))
			return p;
		free(p);
	}
	return NULL;
}

int kernels_resolve(const char *kernel_arg, const char *modules_arg, struct kernel_info *out,
		    struct buf *err)
{
	memset(out, 0, sizeof *out);
	int is_pkg = kernel_arg && !strchr(kernel_arg, '/') &&
		     !strncmp(kernel_arg, PKG_PREFIX, strlen(PKG_PREFIX));
	if (kernel_arg && !*kernel_arg) {
		buf_printf(err, "empty kernel name");
		return KERNELS_EUSAGE;
	}
	if ((!kernel_arg || is_pkg) && modules_arg) {
		buf_printf(err, "--modules goes with --kernel PATH (a custom bzImage); the package %s brings its own modules",
			   kernel_arg ? kernel_arg : KERNELS_DEFAULT_META);
		return KERNELS_EUSAGE;
	}
	if (!kernel_arg || !strcmp(kernel_arg, KERNELS_DEFAULT_META)) {
		char *cache = kernels_cache_dir();
		char *def = read_default(cache);
		int rc;
		if (def && entry_exists(cache, def)) {
			rc = read_entry(cache, def, out, err);
		} else {
			log_info("no default kernel in %s yet: fetching %s (once)", cache, KERNELS_DEFAULT_META);
			rc = kernels_fetch(NULL, out, err);
		}
		free(def);
		free(cache);
		return rc;
	}
	if (is_pkg) {
		if (!kernels_valid_package(kernel_arg)) {
			buf_printf(err, "'%s' is not a valid package name", kernel_arg);
			return KERNELS_EUSAGE;
		}
		char *cache = kernels_cache_dir();
		int rc;
		if (entry_exists(cache, kernel_arg)) {
			rc = read_entry(cache, kernel_arg, out, err);
		} else {
			log_info("kernel %s is not cached yet: fetching it", kernel_arg);
			rc = kernels_fetch(kernel_arg, out, err);
		}
		free(cache);
		return rc;
	}
	/* A custom bzImage. */
	char *release = NULL;
	int rc = kernels_probe_bzimage(kernel_arg, &release, err);
	if (rc != KERNELS_OK)
		return rc;
	char *image = realpath(kernel_arg, NULL);
	if (!image) {
		buf_printf(err, "kernel image %s: %s", kernel_arg, strerror(errno));
		free(release);
		return KERNELS_EUSAGE;
	}
	char *mods = NULL;
	if (modules_arg) {
		struct stat st;
		char *dep = xasprintf("%s/modules.dep", modules_arg);
		if (stat(modules_arg, &st) < 0) {
			buf_printf(err, "modules directory %s: %s", modules_arg, strerror(errno));
			rc = KERNELS_EUSAGE;
		} else if (!S_ISDIR(st.st_mode)) {
			buf_printf(err, "modules directory %s: not a directory", modules_arg);
			rc = KERNELS_EUSAGE;
		} else if (!path_exists(dep)) {
			buf_printf(err, "modules directory %s has no modules.dep (give .../lib/modules/<release> "
					"after `make modules_install`, or run depmod)", modules_arg);
			rc = KERNELS_EUSAGE;
		} else if (!(mods = realpath(modules_arg, NULL))) {
			buf_printf(err, "modules directory %s: %s", modules_arg, strerror(errno));
			rc = KERNELS_EUSAGE;
		}
		free(dep);
		if (rc != KERNELS_OK) {
			free(image);
			free(release);
			return rc;
		}
		const char *base = strrchr(mods, '/');
		base = base ? base + 1 : mods;
		if (release && strcmp(base, release))
			log_warn("modules directory %s does not match the image's release %s", mods, release);
	}
	out->image = image;
	out->release = release;
	out->modules_dir = mods;
	out->config = bzimage_config(image, release);
	return KERNELS_OK;
}

/* ------------------------------------- the same for other packages */

int kernels_deb_download(const char *pkg, const char *dir, char **deb, struct buf *err)
{
	return apt_download(pkg, dir, deb, err);
}

int kernels_deb_unpack(const char *deb, const char *root, struct buf *err)
{
	char *logpath = xasprintf("%s.dpkg-deb.log", root);
	char *argv[] = {"dpkg-deb", "-x", (char *)deb, (char *)root, NULL};
	int rc = run_logged(argv, NULL, logpath, err) < 0 ? KERNELS_EINFRA : KERNELS_OK;
	free(logpath);
	return rc;
}

void kernels_clean_stale(const char *cache)
{
	clean_stale(cache);
}
