// SPDX-License-Identifier: GPL-2.0-or-later
#include "run_resume.h"
#include "lib/vocab.h"

#include <string.h>

int resume_report_finished(json_t *rep, const char *run_id, const char *id, size_t index)
{
	const char *rid = json_string_value(json_object_get(rep, "run_id"));
	json_t *cell = json_object_get(rep, "cell");
	const char *cid = json_string_value(json_object_get(cell, "id"));
	json_t *ix = json_object_get(cell, "index");
	const struct cell_status_row *st = cell_status_find(json_string_value(json_object_get(rep, "status")));
	return rid && run_id && !strcmp(rid, run_id) && cid && !strcmp(cid, id) && json_is_integer(ix) &&
	       json_integer_value(ix) == (json_int_t)index && st && !st->rerun;
}
