// SPDX-License-Identifier: GPL-2.0-or-later
#include "signature.h"
#include "lib/sha256.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *str_or(json_t *v, const char *def)
{
	const char *s = json_string_value(v);
	return s && *s ? s : def;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The words of l, sorted, once each, after "head", on one line. */
static void put_set(struct buf *out, const char *head, char **l, size_t n)
{
	qsort(l, n, sizeof *l, cmp_str);
	buf_printf(out, "%s", head);
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(l[i], l[i - 1]))
			buf_printf(out, " %s", l[i]);
	if (!n)
		buf_printf(out, " -");
	buf_printf(out, "\n");
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* The shape of an oracle rule: up to its first ':', each run of digits
 * (with '.' inside) as N, spaces squeezed. */
static void put_rule(struct buf *out, const char *rule)
{
	if (!rule || !*rule) {
		buf_printf(out, "-");
		return;
	}
	int sp = 0;
	for (const char *p = rule; *p && *p != ':'; p++) {
		if (isdigit((unsigned char)*p)) {
			while (isdigit((unsigned char)p[1]) || (p[1] == '.' && isdigit((unsigned char)p[2])))
				p++;
			buf_printf(out, "N");
			sp = 0;
		} else if (*p == ' ' || *p == '\t' || *p == '\n') {
			sp = 1;
		} else {
			if (sp)
				buf_printf(out, " ");
			buf_printf(out, "%c", *p);
			sp = 0;
		}
	}
}

const char *signature_mb_bucket(double mb, double mb_min, double mb_max)
{
	if (mb < mb_min)
		return mb < mb_min / 2 ? "far-below" : "below";
	if (mb > mb_max)
		return mb > mb_max * 2 ? "far-above" : "above";
	return "in";
}

const char *signature_time_bucket(long long us)
{
	static const struct {
		long long below_s;
		const char *word;
	} rows[] = {{1, "<1s"}, {4, "1-4s"}, {16, "4-16s"}, {64, "16-64s"}};
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		if (us < rows[i].below_s * 1000000)
			return rows[i].word;
	return ">=64s";
}

/* The first OOM event that killed, or NULL. */
static json_t *first_kill(json_t *rep)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(rep, "oom_events"), i, e)
		if (json_is_true(json_object_get(e, "killed")))
			return e;
	return NULL;
}

static const char *victim_word(json_t *e)
{
	if (!e)
		return "-";
	json_t *vw = json_object_get(e, "victim_workload");
	if (!json_is_integer(vw))
		return "not-workload";
	json_int_t vpid = json_integer_value(json_object_get(e, "victim_pid"));
	json_int_t best = -1, best_pid = -1;
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(e, "states"), i, s) {
		if (!json_is_true(json_object_get(s, "alive")))
			continue;
		json_int_t size = json_integer_value(json_object_get(s, "VmRSS_kb")) +
				  json_integer_value(json_object_get(s, "VmSwap_kb")) +
				  json_integer_value(json_object_get(s, "VmPTE_kb"));
		if (size > best) {
			best = size;
			best_pid = json_integer_value(json_object_get(s, "pid"));
		}
	}
	return best < 0 ? "-" : best_pid == vpid ? "largest" : "not-largest";
}

void signature_text(json_t *rep, struct buf *out)
{
	json_t *wls = json_object_get(rep, "workloads");
	size_t n = json_array_size(wls), i;
	json_t *w;

	char **l = xcalloc(n + 1, sizeof *l);
	json_array_foreach(wls, i, w)
		l[i] = xasprintf("%s:%s", str_or(json_object_get(w, "name"), "?"),
				 str_or(json_object_get(w, "endpoint"), "-"));
	put_set(out, "endpoints", l, n);

	json_t *o = json_array_get(json_object_get(rep, "oom_events"), 0);
	if (o) {
		json_t *ord = json_object_get(o, "order");
		buf_printf(out, "oom %s %s %s order=", str_or(json_object_get(o, "oom_kind"), "-"),
			   str_or(json_object_get(o, "constraint"), "-"), str_or(json_object_get(o, "gfp_flags"), "-"));
		if (json_is_integer(ord))
			buf_printf(out, "%lld\n", (long long)json_integer_value(ord));
		else
			buf_printf(out, "-\n");
	} else {
		buf_printf(out, "oom -\n");
	}

	buf_printf(out, "rule");
	json_array_foreach(wls, i, w) {
		buf_printf(out, "%s%s:%s: ", i ? "; " : " ", str_or(json_object_get(w, "name"), "?"),
			   str_or(json_object_get(w, "endpoint"), "-"));
		put_rule(out, json_string_value(json_object_get(json_object_get(w, "predicted"), "rule")));
	}
	buf_printf(out, "%s\n", n ? "" : " -");

	json_t *kill = first_kill(rep);
	buf_printf(out, "victim %s\n", victim_word(kill));

	json_t *fs = json_object_get(rep, "findings");
	if (json_array_size(fs)) {
		char **t = xcalloc(json_array_size(fs), sizeof *t);
		size_t k = 0;
		json_t *f;
		json_array_foreach(fs, i, f)
			t[k++] = xstrdup(str_or(json_object_get(f, "title"), "?"));
		put_set(out, "findings", t, k);
	}

	int stalled = 0;
	long long t0 = -1;
	json_array_foreach(wls, i, w) {
		stalled |= !strcmp(str_or(json_object_get(w, "endpoint"), "-"), "stalled");
		json_t *ts = json_object_get(w, "t_spawn_us");
		if (json_is_integer(ts) && (t0 < 0 || json_integer_value(ts) < t0))
			t0 = json_integer_value(ts);
	}
	buf_printf(out, "stall %s\n", stalled ? "yes" : "no");

	buf_printf(out, "mb");
	json_array_foreach(wls, i, w) {
		json_t *p = json_object_get(w, "predicted");
		json_t *mb = json_object_get(w, "mb_reached"), *lo = json_object_get(p, "mb_min"),
		       *hi = json_object_get(p, "mb_max");
		const char *b = json_is_number(mb) && json_is_number(lo) && json_is_number(hi)
					? signature_mb_bucket(json_number_value(mb), json_number_value(lo),
							      json_number_value(hi))
					: "-";
		buf_printf(out, " %s:%s", str_or(json_object_get(w, "name"), "?"), b);
	}
	buf_printf(out, "%s\n", n ? "" : " -");

	json_t *kt = kill ? json_object_get(kill, "t_us") : NULL;
	if (json_is_integer(kt) && t0 >= 0)
		buf_printf(out, "time %s\n", signature_time_bucket(json_integer_value(kt) - t0));
	else
		buf_printf(out, "time -\n");
}

void signature_hash(const char *text, char out[17])
{
	struct sha256 s;
	char hex[65];
	sha256_init(&s);
	sha256_update(&s, text, strlen(text));
	sha256_hex(&s, hex);
	memcpy(out, hex, 16);
	out[16] = 0;
}
