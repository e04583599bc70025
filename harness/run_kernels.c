// SPDX-License-Identifier: GPL-2.0-or-later
#include "run_kernels.h"
#include "judge/kernelconf.h"
#include "lib/sha256.h"

#include <errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct kernel_info *kernel_for(struct kcache *kc, const char *kernel,
					    const char *modules, struct buf *err, int *code)
{
	char *key = xasprintf("%s|%s", kernel ? kernel : "", modules ? modules : "");
	for (size_t i = 0; i < kc->n; i++)
		if (!strcmp(kc->keys[i], key)) {
			free(key);
			return kc->ki[i].image ? &kc->ki[i] : NULL;
		}
	struct kernel_info ki = {0};
	*code = kernels_resolve(kernel, modules, &ki, err);
	if (*code) {
		free(key);
		return NULL;
	}
	/* grows: pointers handed out before may move (kcache_resolve looks
	 * them up again once every kernel is resolved) */
	kc->keys = xrealloc(kc->keys, (kc->n + 1) * sizeof *kc->keys);
	kc->kernel = xrealloc(kc->kernel, (kc->n + 1) * sizeof *kc->kernel);
	kc->modules = xrealloc(kc->modules, (kc->n + 1) * sizeof *kc->modules);
	kc->ki = xrealloc(kc->ki, (kc->n + 1) * sizeof *kc->ki);
	kc->keys[kc->n] = key;
	kc->kernel[kc->n] = kernel ? xstrdup(kernel) : NULL;
	kc->modules[kc->n] = modules ? xstrdup(modules) : NULL;
	kc->ki[kc->n] = ki;
	return &kc->ki[kc->n++];
}

int kcache_resolve(struct kcache *kc, const char *kernel, const char *modules,
		   const struct matrix *m, const size_t *todo, size_t n_todo,
		   const struct kernel_info **cell_kernel, const struct kernel_info **defk,
		   struct buf *err)
{
	int kcode = 0;
	*defk = kernel_for(kc, kernel, modules, err, &kcode);
	for (size_t t = 0; *defk && t < n_todo; t++) {
		const struct cell_spec *cs = &m->cells[todo[t]];
		const char *kname = cs->kernel ? cs->kernel : kernel;
		const char *kmods = cs->kernel ? cs->modules : modules;
		if (!kernel_for(kc, kname, kmods, err, &kcode)) {
			fprintf(stderr, "oomlab: cell %s: %s\n", cs->id, err->data);
			return kcode;
		}
	}
	if (!*defk) {
		fprintf(stderr, "oomlab: %s\n", err->data);
		return kcode;
	}
	/* all resolved: the cache no longer grows, pointers into it hold */
	*defk = kernel_for(kc, kernel, modules, err, &kcode);
	for (size_t t = 0; t < n_todo; t++) {
		const struct cell_spec *cs = &m->cells[todo[t]];
		cell_kernel[todo[t]] = kernel_for(kc, cs->kernel ? cs->kernel : kernel,
						  cs->kernel ? cs->modules : modules, err, &kcode);
	}
	return 0;
}

void kcache_free(struct kcache *kc)
{
	for (size_t i = 0; i < kc->n; i++) {
		free(kc->keys[i]);
		free(kc->kernel[i]);
		free(kc->modules[i]);
		kernel_info_free(&kc->ki[i]);
	}
	free(kc->keys);
	free(kc->kernel);
	free(kc->modules);
	free(kc->ki);
}

static json_t *kernel_entry(const struct kcache *kc, size_t i, int is_default, struct buf *err)
{
	const struct kernel_info *ki = &kc->ki[i];
	struct sha256 h;
	char hex[65];
	sha256_init(&h);
	if (sha256_file(&h, ki->image) < 0) {
		buf_printf(err, "cannot read the kernel image %s: %s", ki->image, strerror(errno));
		return NULL;
	}
	sha256_hex(&h, hex);
	return json_pack("{s:b,s:s?,s:s?,s:s?,s:s?,s:s?,s:s,s:o}", "default", is_default, "arg", kc->kernel[i],
			 "modules", kc->modules[i], "package", ki->package, "version", ki->version, "release",
			 ki->release, "image_sha256", hex, "config", kernelconf_json(ki->config));
}

json_t *kcache_record(const struct kcache *kc, const struct kernel_info *defk, struct buf *err)
{
	json_t *arr = json_array();
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < kc->n; i++) {
			int is_default = &kc->ki[i] == defk;
			if (is_default != !pass)
				continue;
			json_t *e = kernel_entry(kc, i, is_default, err);
			if (!e) {
				json_decref(arr);
				return NULL;
			}
			json_array_append_new(arr, e);
		}
	}
	return arr;
}
