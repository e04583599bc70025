// SPDX-License-Identifier: GPL-2.0-or-later
#include "plan/psitrig.h"

#include <stdlib.h>
#include <string.h>

static const char *const trig_keys[] = {"kind", "stall_ms", "window_ms", "cgroup"};

void psi_triggers_free(struct psi_trigger *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++)
		free(t[i].cgroup);
	free(t);
}

const char *psi_trigger_kind(const struct psi_trigger *t)
{
	return t->full ? "full" : "some";
}

static int bad(char **where, const char *w, struct buf *why, const char *msg)
{
	*where = xstrdup(w);
	buf_printf(why, "%s", msg);
	return -1;
}

int psi_triggers_parse(json_t *v, struct psi_trigger **out, size_t *n, char **where,
		       struct buf *why)
{
	*out = NULL;
	*n = 0;
	*where = NULL;
	if (!json_is_array(v))
		return bad(where, "", why, "must be a list of {\"kind\": \"some\"|\"full\", \"stall_ms\": N, \"window_ms\": M}");
	if (json_array_size(v) > PSI_TRIGGERS_MAX) {
		*where = xstrdup("");
		buf_printf(why, "at most %d triggers", PSI_TRIGGERS_MAX);
		return -1;
	}
	struct psi_trigger *t = xcalloc(json_array_size(v) + 1, sizeof *t);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		char w[48];
		if (!json_is_object(e)) {
			snprintf(w, sizeof w, "[%zu]", i);
			psi_triggers_free(t, i);
			return bad(where, w, why, "must be an object with kind, stall_ms and window_ms");
		}
		const char *key;
		json_t *x;
		json_object_foreach(e, key, x) {
			int known = 0;
			for (size_t k = 0; k < sizeof trig_keys / sizeof trig_keys[0]; k++)
				known |= !strcmp(key, trig_keys[k]);
			if (!known) {
				*where = xasprintf("[%zu].%s", i, key);
				buf_printf(why, "unknown key (allowed: kind, stall_ms, window_ms, cgroup)");
				psi_triggers_free(t, i);
				return -1;
			}
		}
		json_t *k = json_object_get(e, "kind");
		const char *ks = json_string_value(k);
		if (!ks || (strcmp(ks, "some") && strcmp(ks, "full"))) {
			snprintf(w, sizeof w, "[%zu].kind", i);
			psi_triggers_free(t, i);
			return bad(where, w, why, "must be \"some\" or \"full\"");
		}
		t[i].full = !strcmp(ks, "full");
		json_t *win = json_object_get(e, "window_ms");
		if (!json_is_integer(win) || json_integer_value(win) < PSI_WINDOW_MIN_MS ||
		    json_integer_value(win) > PSI_WINDOW_MAX_MS) {
			*where = xasprintf("[%zu].window_ms", i);
			buf_printf(why, "must be an integer in %d..%d (ms; the kernel's window limits)",
				   PSI_WINDOW_MIN_MS, PSI_WINDOW_MAX_MS);
			psi_triggers_free(t, i);
			return -1;
		}
		t[i].window_ms = json_integer_value(win);
		json_t *st = json_object_get(e, "stall_ms");
		if (!json_is_integer(st) || json_integer_value(st) < 1 ||
		    json_integer_value(st) > t[i].window_ms) {
			*where = xasprintf("[%zu].stall_ms", i);
			buf_printf(why, "must be an integer in 1..%lld (ms; at most the window)", t[i].window_ms);
			psi_triggers_free(t, i);
			return -1;
		}
		t[i].stall_ms = json_integer_value(st);
		json_t *cg = json_object_get(e, "cgroup");
		if (cg && (!json_is_string(cg) || !*json_string_value(cg))) {
			snprintf(w, sizeof w, "[%zu].cgroup", i);
			psi_triggers_free(t, i);
			return bad(where, w, why, "must be the path of a memory cgroup of the cell, e.g. \"app\" or \"app/db\"");
		}
		t[i].cgroup = cg ? xstrdup(json_string_value(cg)) : NULL;
	}
	*n = json_array_size(v);
	if (!*n) {
		free(t);
		t = NULL;
	}
	*out = t;
	return 0;
}
