// SPDX-License-Identifier: GPL-2.0-or-later
#include "plan/cellarg.h"
#include "plan/cgroup.h"
#include "plan/knobs.h"
#include "plan/matrix.h"
#include "workloads/wl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char blanks[] = " \t\n\r";

/* s with control bytes as \xNN, and in quote mode as a shell takes it
 * back ('...'): messages quote the user's words and stay one line of
 * plain text. */
static void put_text(struct buf *b, const char *s, int quote)
{
	if (quote)
		buf_append(b, "'", 1);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 || ch == 0x7f)
			buf_printf(b, "\\x%02x", ch);
		else if (quote && ch == '\'')
			buf_printf(b, "'\\''");
		else
			buf_append(b, s, 1);
	}
	if (quote)
		buf_append(b, "'", 1);
}

/* err: "OPTION 'TEXT': WHY" */
static void say(struct buf *err, const char *opt, const char *text, const char *why)
{
	buf_printf(err, "%s ", opt);
	put_text(err, text, 1);
	buf_printf(err, ": ");
	put_text(err, why, 0);
}

static int listed(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (!strcmp(*l, s))
			return 1;
	return 0;
}

/* A decimal integer, or 0x hex, that fills s (a byte option takes
 * 0xaa): 0 and *out, else -1 (the word stays a string). */
static int int_word(const char *s, long long *out)
{
	const char *d = *s == '-' ? s + 1 : s;
	int hex = d[0] == '0' && (d[1] == 'x' || d[1] == 'X');
	if (!*d || (!hex && (*d < '0' || *d > '9')) || (hex && !d[2]))
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, hex ? 16 : 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* A value typed for its key: JSON when it starts with '{' or '[', a
 * number when it is an integer and the key takes no string, else the
 * string. NULL (err filled after the lead) when the JSON is bad. */
static json_t *typed(const char *key, const char *val, int takes_string, struct buf *err)
{
	if (*val == '{' || *val == '[') {
		json_error_t je;
		json_t *v = json_loads(val, JSON_REJECT_DUPLICATES, &je);
		if (!v)
			buf_printf(err, "%s: not valid JSON at column %d: %s", key, je.column, je.text);
		return v;
	}
	long long n;
	if (!takes_string && !int_word(val, &n))
		return json_integer(n);
	return json_string(val);
}

/* The words of text, one at a time: *p moves past the word; NULL at the
 * end. The word is malloc'd. */
static char *next_word(const char **p)
{
	*p += strspn(*p, blanks);
	if (!**p)
		return NULL;
	size_t n = strcspn(*p, blanks);
	char *w = xstrndup(*p, n);
	*p += n;
	return w;
}

/* KEY=VALUE: 0 with *key (malloc'd) and *val (into word), else -1 and err. */
static int split_word(char *word, char **key, const char **val, struct buf *err)
{
	char *eq = strchr(word, '=');
	if (!eq) {
		buf_printf(err, "%s: not KEY=VALUE (e.g. ram_mb=256)", word);
		return -1;
	}
	if (eq == word) {
		buf_printf(err, "%s: no key before \"=\"", word);
		return -1;
	}
	*key = xstrndup(word, (size_t)(eq - word));
	*val = eq + 1;
	return 0;
}

/* The cell keys --cell takes besides knobs: a cell's, less its workloads
 * (--workload gives every cell's). */
static int cell_key(const char *key)
{
	return strcmp(key, "workloads") && listed(matrix_cell_keys, key);
}

/* Does a knob or cell key take a string (a number-looking word stays one)? */
static int cell_key_takes_string(const char *key)
{
	const struct knob *k = knob_find(key);
	if (k)
		return k->type == KNOB_ENUM || k->type == KNOB_STRING;
	return !strcmp(key, "name") || !strcmp(key, "mode");
}

static void cell_keys_text(struct buf *b)
{
	buf_printf(b, "a knob (oomlab knobs lists them), %s<group>.<file>", CG_KNOB_PREFIX);
	for (const char *const *k = matrix_cell_keys; *k; k++)
		if (cell_key(*k))
			buf_printf(b, ", %s", *k);
}

json_t *cellarg_cell(const char *text, struct buf *err)
{
	json_t *cell = json_object();
	const char *p = text;
	char *word;
	while ((word = next_word(&p))) {
		char *key = NULL;
		const char *val;
		json_t *v = NULL;
		struct buf why = {0};
		if (!split_word(word, &key, &val, &why)) {
			if (!knob_find(key) && !cell_key(key) && strncmp(key, CG_KNOB_PREFIX, strlen(CG_KNOB_PREFIX))) {
				buf_printf(&why, "%s: unknown key (allowed: ", key);
				cell_keys_text(&why);
				buf_printf(&why, ")");
			} else if (json_object_get(cell, key)) {
				buf_printf(&why, "%s: given twice", key);
			} else {
				v = typed(key, val, cell_key_takes_string(key), &why);
			}
		}
		if (v)
			json_object_set_new(cell, key, v);
		free(key);
		free(word);
		if (!v) {
			say(err, "--cell", text, why.data);
			buf_free(&why);
			json_decref(cell);
			return NULL;
		}
	}
	return cell;
}

/* JSON keys spell an option with '_' (block_kb), the table with '-'. */
static const struct wl_opt *find_opt(const struct workload *w, const char *key)
{
	for (size_t i = 0; i < w->n_opts; i++) {
		const char *a = key, *b = w->opts[i].name;
		while (*a && *b && (*a == '_' ? '-' : *a) == *b)
			a++, b++;
		if (!*a && !*b)
			return &w->opts[i];
	}
	return NULL;
}

/* A key of the workload object itself (rlimit_as_mb, expect, ...). */
static int wl_entry_key(const char *key)
{
	return strcmp(key, "name") && strcmp(key, "options") && listed(matrix_wl_keys, key);
}

static void wl_keys_text(struct buf *b, const struct workload *w)
{
	for (size_t i = 0; i < w->n_opts; i++) {
		buf_printf(b, "%s", i ? ", " : "");
		for (const char *c = w->opts[i].name; *c; c++)
			buf_printf(b, "%c", *c == '-' ? '_' : *c);
	}
	buf_printf(b, "%s", w->n_opts ? "; or " : "");
	int first = 1;
	for (const char *const *k = matrix_wl_keys; *k; k++)
		if (wl_entry_key(*k)) {
			buf_printf(b, "%s%s", first ? "" : ", ", *k);
			first = 0;
		}
}

json_t *cellarg_workload(const char *text, struct buf *err)
{
	const char *p = text;
	char *name = next_word(&p);
	struct buf why = {0};
	const struct workload *w = NULL;
	json_t *entry = NULL, *opts = json_object();
	if (!name) {
		buf_printf(&why, "no workload name (oomlab workloads lists them)");
	} else if (strchr(name, '=')) {
		buf_printf(&why, "%s: the workload's name comes first (e.g. --workload 'touch block_kb=64')", name);
	} else if (!(w = wl_find(name))) {
		char *l = wl_names();
		buf_printf(&why, "%s: unknown workload (allowed: %s)", name, l);
		free(l);
	} else {
		entry = json_pack("{s:s}", "name", name);
	}
	char *word;
	while (entry && (word = next_word(&p))) {
		char *key = NULL;
		const char *val;
		json_t *v = NULL;
		if (!split_word(word, &key, &val, &why)) {
			const struct wl_opt *o = find_opt(w, key);
			json_t *into = o ? opts : entry;
			if (!o && !wl_entry_key(key)) {
				buf_printf(&why, "%s: unknown option of %s (allowed: ", key, name);
				wl_keys_text(&why, w);
				buf_printf(&why, ")");
			} else if (json_object_get(into, key)) {
				buf_printf(&why, "%s: given twice", key);
			} else {
				int str = o ? o->type == OPT_ENUM || o->type == OPT_STR || o->type == OPT_FILE
					    : !strcmp(key, "expect") || !strcmp(key, "cgroup");
				if ((v = typed(key, val, str, &why)))
					json_object_set_new(into, key, v);
			}
		}
		free(key);
		free(word);
		if (!v) {
			json_decref(entry);
			entry = NULL;
		}
	}
	free(name);
	if (!entry) {
		say(err, "--workload", text, why.data);
		buf_free(&why);
		json_decref(opts);
		return NULL;
	}
	if (json_object_size(opts))
		json_object_set(entry, "options", opts);
	json_decref(opts);
	if (json_object_size(entry) == 1) { /* the name alone: as a matrix writes it */
		json_t *s = json_incref(json_object_get(entry, "name"));
		json_decref(entry);
		return s;
	}
	return entry;
}

json_t *cellarg_matrix(json_t *cells, json_t *workloads, const char *name, long long timeout_s)
{
	json_t *m = json_pack("{s:s}", "name", name ? name : CELLARG_DEFAULT_NAME);
	if (timeout_s > 0)
		json_object_set_new(m, "timeout_s", json_integer(timeout_s));
	json_object_set_new(m, "workloads", workloads);
	json_object_set_new(m, "cells", cells);
	return m;
}

char *cellarg_text(json_t *matrix)
{
	char *s = json_dumps(matrix, JSON_INDENT(2));
	char *t = xasprintf("%s\n", s ? s : "{}");
	free(s);
	return t;
}
