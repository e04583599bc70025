// SPDX-License-Identifier: GPL-2.0-or-later
/* The workload registry: one row per workload. The guest binary dispatches
 * on it; the host links the same table to check matrix files. */
#include <string.h>

#include "wl.h"

const struct workload *const wl_registry[] = {
	&wl_alloc,
	&wl_touch,
	&wl_frag,
	&wl_m32,
	&wl_pagefrag,
	&wl_shm,
	&wl_tmpfs,
	&wl_filecache,
	&wl_stressng,
	&wl_hostile,
};

const size_t wl_registry_n = sizeof(wl_registry) / sizeof(wl_registry[0]);

const struct workload *wl_find(const char *name)
{
	for (size_t i = 0; i < wl_registry_n; i++)
		if (!strcmp(wl_registry[i]->name, name))
			return wl_registry[i];
	return NULL;
}
