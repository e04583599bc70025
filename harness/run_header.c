// SPDX-License-Identifier: GPL-2.0-or-later
#include "run_header.h"
#include "lib/buildid.h"
#include "lib/util.h"
#include "lib/vocab.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

json_t *run_header(const struct run_header_in *in)
{
	const struct matrix *m = in->m;
	struct utsname un;
	uname(&un);
	json_t *run = json_object();
	json_object_set_new(run, "format", json_string(RUN_FORMAT));
	json_object_set_new(run, "tool", buildid_tool_json());
	json_object_set_new(run, "run_id", json_string(in->run_id));
	json_object_set_new(run, "matrix", json_pack("{s:s,s:s,s:I,s:s,s:s}", "path", m->path, "name",
						     m->name, "cells", (json_int_t)m->n_cells, "digest",
						     m->digest, "copy", "matrix.json"));
	json_object_set_new(run, "host", json_pack("{s:s,s:s,s:s}", "release", un.release,
						   "machine", un.machine, "accel", in->accel));
	json_object_set_new(run, "options",
			    json_pack("{s:s?,s:s?,s:s,s:b,s:b,s:s?}", "kernel", in->kernel, "modules", in->modules,
				      "accel", in->accel_arg ? in->accel_arg : "auto", "cold", in->cold,
				      "keep_tmp", in->keep_tmp, "junit", in->junit));
	if (in->kernels)
		json_object_set_new(run, "kernels", in->kernels);
	if (in->shard_n)
		json_object_set_new(run, "shard", json_pack("{s:I,s:I}", "index", (json_int_t)in->shard_k,
							    "count", (json_int_t)in->shard_n));
	json_object_set_new(run, "started", json_string(in->started));
	json_object_set_new(run, "cells", json_array());
	return run;
}

/* The fields of a run's head that change its results, as "object.key". */
static const char *const must_agree[] = {
	"tool.version",  /* the oracle and the judge */
	"matrix.digest", /* the cells */
	"host.accel",    /* kvm or tcg: timing, deadlines, the snapshot */
	"options.cold",  /* booted or restored from a snapshot */
};

/* Compared instead of "kernels" when a run does not record those. */
static const char *const kernel_as_typed[] = {"options.kernel", "options.modules"};

static json_t *field(json_t *run, const char *path)
{
	const char *dot = strchr(path, '.');
	char *obj = xstrndup(path, (size_t)(dot - path));
	json_t *v = json_object_get(json_object_get(run, obj), dot + 1);
	free(obj);
	return v;
}

static void say_values(struct buf *what, const char *name, json_t *a, json_t *b)
{
	char *sa = a ? json_dumps(a, JSON_ENCODE_ANY) : NULL, *sb = b ? json_dumps(b, JSON_ENCODE_ANY) : NULL;
	buf_printf(what, "%s: %s and %s", name, sa ? sa : "(not recorded)", sb ? sb : "(not recorded)");
	free(sa);
	free(sb);
}

static int same(json_t *a, json_t *b)
{
	return (!a && !b) || (a && b && json_equal(a, b));
}

/* the entry of record r that names the same kernel as e */
static json_t *same_kernel(json_t *r, json_t *e)
{
	size_t i;
	json_t *x;
	int def = json_is_true(json_object_get(e, "default"));
	json_array_foreach(r, i, x) {
		if (def && json_is_true(json_object_get(x, "default")))
			return x;
		if (!def && !json_is_true(json_object_get(x, "default")) &&
		    same(json_object_get(x, "arg"), json_object_get(e, "arg")) &&
		    same(json_object_get(x, "modules"), json_object_get(e, "modules")))
			return x;
	}
	return NULL;
}

int kernels_disagree(json_t *a, json_t *b, struct buf *what)
{
	static const char *const keys[] = {"package", "version", "release", "image_sha256"};
	size_t i;
	json_t *ea;
	json_array_foreach(a, i, ea) {
		json_t *eb = same_kernel(b, ea);
		if (!eb)
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			json_t *va = json_object_get(ea, keys[k]), *vb = json_object_get(eb, keys[k]);
			if (same(va, vb))
				continue;
			const char *arg = json_string_value(json_object_get(ea, "arg"));
			char *name = json_is_true(json_object_get(ea, "default"))
					     ? xasprintf("the default kernel's %s", keys[k])
					     : xasprintf("kernel %s's %s", arg ? arg : "?", keys[k]);
			say_values(what, name, va, vb);
			free(name);
			return 1;
		}
	}
	return 0;
}

void kernels_add_new(json_t *a, json_t *b)
{
	size_t i;
	json_t *eb;
	json_array_foreach(b, i, eb)
		if (!same_kernel(a, eb))
			json_array_append(a, eb);
}

int run_header_disagree(json_t *a, json_t *b, struct buf *what)
{
	for (size_t i = 0; i < ARRAY_SIZE(must_agree); i++) {
		json_t *va = field(a, must_agree[i]), *vb = field(b, must_agree[i]);
		if (!same(va, vb)) {
			say_values(what, must_agree[i], va, vb);
			return 1;
		}
	}
	json_t *ka = json_object_get(a, "kernels"), *kb = json_object_get(b, "kernels");
	if (json_is_array(ka) && json_is_array(kb))
		return kernels_disagree(ka, kb, what);
	/* a run of an older oomlab records only the kernel as typed */
	for (size_t i = 0; i < ARRAY_SIZE(kernel_as_typed); i++) {
		json_t *va = field(a, kernel_as_typed[i]), *vb = field(b, kernel_as_typed[i]);
		if (!same(va, vb)) {
			say_values(what, kernel_as_typed[i], va, vb);
			return 1;
		}
	}
	return 0;
}
