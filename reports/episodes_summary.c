// SPDX-License-Identifier: GPL-2.0-or-later
/* The counts of a cell's OOM episodes (episodes_summary.h). */
#include "reports/episodes_summary.h"

#include <string.h>

int episodes_summary(json_t *cell, struct ep_summary *s)
{
	memset(s, 0, sizeof *s);
	s->slowest_reap_us = -1;
	json_t *eps = json_object_get(cell, "oom_episodes");
	size_t i, k;
	json_t *e, *v;
	json_array_foreach(eps, i, e) {
		s->episodes++;
		s->victims += (size_t)json_integer_value(json_object_get(e, "n_victims"));
		s->collateral += (size_t)json_integer_value(json_object_get(e, "n_collateral"));
		s->double_kills += json_is_object(json_object_get(e, "double_kill"));
		json_t *ru = json_object_get(e, "reap_us");
		if (json_is_integer(ru) && json_integer_value(ru) > s->slowest_reap_us)
			s->slowest_reap_us = json_integer_value(ru);
		json_array_foreach(json_object_get(e, "victims"), k, v)
			s->reap_failed += json_is_true(json_object_get(v, "reap_failed"));
	}
	return s->episodes > 0;
}

json_t *episodes_summary_json(const struct ep_summary *s)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:o}", "episodes", (json_int_t)s->episodes, "victims",
			 (json_int_t)s->victims, "collateral", (json_int_t)s->collateral, "double_kills",
			 (json_int_t)s->double_kills, "reap_failed", (json_int_t)s->reap_failed, "slowest_reap_ms",
			 s->slowest_reap_us >= 0 ? json_integer(s->slowest_reap_us / 1000) : json_null());
}
