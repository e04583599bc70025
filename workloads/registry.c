// SPDX-License-Identifier: GPL-2.0-or-later
/* The workload registry: one row per workload. The guest binary dispatches
 * on it; the host links the same table to check matrix files. */
#include <string.h>

#include "wl.h"

#define WL_ROW(id) &wl_##id,
const struct workload *const wl_registry[] = {WL_LIST(WL_ROW)};
#undef WL_ROW

const size_t wl_registry_n = ARRAY_SIZE(wl_registry);

const struct workload *wl_find(const char *name)
{
	for (size_t i = 0; i < wl_registry_n; i++)
		if (!strcmp(wl_registry[i]->name, name))
			return wl_registry[i];
	return NULL;
}
