// SPDX-License-Identifier: GPL-2.0-or-later
#include "reports/failsig.h"
#include "lib/vocab.h"

#include <stdlib.h>
#include <string.h>

char *failsig_shape(const char *reason)
{
	struct buf b = {0};
	buf_printf(&b, "%s", "");
	const char *end = strstr(reason, " (");
	if (!end)
		end = reason + strlen(reason);
	for (const char *p = reason; p < end;) {
		if (*p >= '0' && *p <= '9') {
			while (p < end && *p >= '0' && *p <= '9')
				p++;
			if (p + 1 < end && *p == '.' && p[1] >= '0' && p[1] <= '9')
				for (p++; p < end && *p >= '0' && *p <= '9'; p++)
					;
			buf_append(&b, "N", 1);
		} else {
			buf_append(&b, p++, 1);
		}
	}
	return b.data;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int is_fail(json_t *o)
{
	const struct verdict_row *v = verdict_find(json_string_value(json_object_get(o, "verdict")));
	return v && v->verdict == V_FAIL;
}

int failsig_of(json_t *rep, struct failsig *s, struct buf *why)
{
	memset(s, 0, sizeof *s);
	json_t *f, *first = NULL, *w;
	size_t i;
	json_array_foreach(json_object_get(rep, "findings"), i, f)
		if (json_is_string(json_object_get(f, "title")) && json_is_true(json_object_get(f, "allowed"))) {
			s->allowed = xrealloc(s->allowed, (s->n_allowed + 1) * sizeof *s->allowed);
			s->allowed[s->n_allowed++] = xstrdup(str(f, "title"));
		}
	json_array_foreach(json_object_get(rep, "findings"), i, f) {
		if (!json_is_string(json_object_get(f, "title")))
			continue;
		if (!json_is_true(json_object_get(f, "allowed"))) {
			s->finding = s->not_allowed = 1;
			s->title = xstrdup(str(f, "title"));
			return 0;
		}
		if (!first)
			first = f;
	}
	if (is_fail(rep))
		json_array_foreach(json_object_get(rep, "workloads"), i, w) {
			if (!is_fail(w))
				continue;
			s->workload = xstrdup(str(w, "name"));
			s->endpoint = xstrdup(str(w, "endpoint"));
			s->shape = failsig_shape(str(w, "verdict_reason"));
			return 0;
		}
	if (first) {
		s->finding = 1;
		s->title = xstrdup(str(first, "title"));
		return 0;
	}
	const char *v = json_string_value(json_object_get(rep, "verdict"));
	buf_printf(why, "the cell's verdict is %s%s and it has no kernel finding: there is no failure to keep",
		   v ? v : "missing", is_fail(rep) ? " with no workload FAIL" : "");
	failsig_free(s);
	return -1;
}

int failsig_match(const struct failsig *s, json_t *rep)
{
	json_t *o;
	size_t i;
	json_array_foreach(json_object_get(rep, "findings"), i, o)
		if (!json_is_true(json_object_get(o, "allowed")))
			for (size_t a = 0; a < s->n_allowed; a++)
				if (!strcmp(str(o, "title"), s->allowed[a]))
					return 0;
	if (s->finding) {
		json_array_foreach(json_object_get(rep, "findings"), i, o)
			if (!strcmp(str(o, "title"), s->title) &&
			    !(s->not_allowed && json_is_true(json_object_get(o, "allowed"))))
				return 1;
		return 0;
	}
	json_array_foreach(json_object_get(rep, "workloads"), i, o) {
		if (!is_fail(o) || strcmp(str(o, "name"), s->workload) || strcmp(str(o, "endpoint"), s->endpoint))
			continue;
		char *shape = failsig_shape(str(o, "verdict_reason"));
		int same = !strcmp(shape, s->shape);
		free(shape);
		if (same)
			return 1;
	}
	return 0;
}

char *failsig_text(const struct failsig *s)
{
	if (s->finding)
		return xasprintf("kernel finding \"%s\"%s", s->title, s->not_allowed ? "" : " (allowed)");
	return xasprintf("workload %s ended %s: \"%s\"", s->workload, s->endpoint, s->shape);
}

void failsig_free(struct failsig *s)
{
	free(s->title);
	free(s->workload);
	free(s->endpoint);
	free(s->shape);
	for (size_t a = 0; a < s->n_allowed; a++)
		free(s->allowed[a]);
	free(s->allowed);
	memset(s, 0, sizeof *s);
}
