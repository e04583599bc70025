// SPDX-License-Identifier: GPL-2.0-or-later
#include "run_header.h"
#include "lib/util.h"
#include "lib/vocab.h"

#include <sys/utsname.h>

json_t *run_header(const struct run_header_in *in)
{
	const struct matrix *m = in->m;
	struct utsname un;
	uname(&un);
	json_t *run = json_object();
	json_object_set_new(run, "format", json_string(RUN_FORMAT));
	json_object_set_new(run, "tool", json_pack("{s:s,s:s}", "name", "oomlab", "version", OOMLAB_VERSION));
	json_object_set_new(run, "run_id", json_string(in->run_id));
	json_object_set_new(run, "matrix", json_pack("{s:s,s:s,s:I,s:s,s:s}", "path", m->path, "name",
						     m->name, "cells", (json_int_t)m->n_cells, "digest",
						     m->digest, "copy", "matrix.json"));
	json_object_set_new(run, "host", json_pack("{s:s,s:s,s:s}", "release", un.release,
						   "machine", un.machine, "accel", in->accel));
	json_object_set_new(run, "options", json_pack("{s:s?,s:s?}", "kernel", in->kernel, "modules",
						      in->modules));
	if (in->shard_n)
		json_object_set_new(run, "shard", json_pack("{s:I,s:I}", "index", (json_int_t)in->shard_k,
							    "count", (json_int_t)in->shard_n));
	json_object_set_new(run, "started", json_string(in->started));
	json_object_set_new(run, "cells", json_array());
	return run;
}
