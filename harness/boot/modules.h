/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel module resolution on the host: which .ko files a guest needs, in
 * which order to load them, and their decompressed content.
 *
 * Module names compare with '-' and '_' equivalent; names handed out are
 * normalized to '_' (the kernel's own spelling of module names).
 */
#ifndef OOMLAB_MODULES_H
#define OOMLAB_MODULES_H

#include <stddef.h>

#include "lib/util.h"

/* ---- modules.dep as a graph (pure parsing, no file access) ---- */

struct moddep_node {
	char *name;     /* normalized ('_') */
	char *path;     /* as written in modules.dep (usually relative to the module dir) */
	size_t *deps;   /* indices into moddep.nodes, in file order */
	size_t ndeps;
	int listed;     /* 1 if it had its own "path:" line, 0 if only seen as a dependency */
};

struct moddep {
	struct moddep_node *nodes;
	size_t n;
};

/* Parse modules.dep text (lines "path: dep dep ..."; empty lines and
 * '#' comments ignored). A module listed twice keeps its first line.
 * Returns 0, or -1 with a message ("modules.dep line N: ...") in err. The
 * input need not be NUL-terminated. out must be freed with moddep_free
 * either way. */
int moddep_parse(const char *buf, size_t len, struct moddep *out, struct buf *err);
void moddep_free(struct moddep *d);
/* Index of the module called name ('-' == '_'), or -1. */
long moddep_find(const struct moddep *d, const char *name);

/* modules.builtin (one "kernel/.../name.ko" per line) -> normalized names.
 * Returns the count; *names is a NULL-terminated array, free with
 * modnames_free. Never fails. */
size_t modbuiltin_parse(const char *buf, size_t len, char ***names);
void modnames_free(char **names);

/* "kernel/drivers/virtio/virtio-rng.ko.xz" -> "virtio_rng" (malloc'ed). */
char *module_name_from_path(const char *path);
/* 1 if a and b name the same module ('-' == '_'). */
int module_name_eq(const char *a, const char *b);

/* ---- the set of modules to load ---- */

struct modset_item {
	char *name;   /* normalized module name */
	char *path;   /* host path of the .ko / .ko.xz / .ko.zst */
};

struct modset {
	struct modset_item *items; /* in load order: dependencies first */
	size_t n;
	char **builtin;            /* wanted names skipped as built in (NULL-terminated, may be NULL) */
};

/* Pure core: order the wanted modules and their dependencies with a
 * topological sort of the dep graph. Wanted names found in builtin are
 * skipped; a wanted name in neither is an error naming it and moddir. A
 * dependency cycle is an error. Host paths are moddir + "/" + the
 * modules.dep path (absolute modules.dep paths are kept as they are).
 * Returns 0 or -1 (message in err); out must be freed with modset_free. */
int modset_order(const char *moddir, const struct moddep *dep, char *const *builtin,
		 const char *const *wanted, size_t nwanted, struct modset *out, struct buf *err);

/* Read <moddir>/modules.dep and <moddir>/modules.builtin (optional), order
 * the wanted modules, and check each module file exists. */
int modset_resolve(const char *moddir, const char *const *wanted, size_t nwanted,
		   struct modset *out, struct buf *err);
/* The same, and then each optional name only when the tree has it (built
 * in or in modules.dep): one it lacks is left out, not an error (the
 * guest's kernel refuses what needs it: zswap's compressor and zpool). */
int modset_resolve_opt(const char *moddir, const char *const *wanted, size_t nwanted,
		       const char *const *optional, size_t noptional, struct modset *out,
		       struct buf *err);
/* NULL-safe, idempotent. */
void modset_free(struct modset *s);

/* ---- module files ---- */

/* Content of a module file, decompressed: plain ELF (.ko), xz (.ko.xz) or
 * zstd (.ko.zst), recognized by magic. The result must start with the ELF
 * magic. Returns 0, or -1 with a message naming the file in err. *data is
 * malloc'ed. */
int module_load_file(const char *path, char **data, size_t *len, struct buf *err);

/* Same over a buffer already in memory (what is the name used in errors). */
int module_decompress(const char *what, const void *in, size_t inlen, char **data, size_t *len,
		      struct buf *err);

/* Read the .modinfo section of an ELF64 module image: the value of key
 * (e.g. "depends", "name", "vermagic") as a malloc'ed string, NULL if the
 * key is absent or the image is not a well-formed ELF64 object. Pure. */
char *modinfo_get(const void *elf, size_t len, const char *key);

/* depmod's job for a tree without modules.dep (Debian's packages ship none;
 * depmod runs at install time): read every module's "depends=" under moddir
 * and write <moddir>/modules.dep (full transitive dependency lists, atomic
 * write). Returns 0 or -1 with err filled. */
int modules_gen_dep(const char *moddir, struct buf *err);

#endif
