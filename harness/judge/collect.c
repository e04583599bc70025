// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/collect.h"
#include "judge/cgroups.h"
#include "proto/stream.h"
#include "lib/jsonx.h"
#include "lib/util.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* meminfo / vmstat keys kept as time series (all keys are kept in the
 * start/end snapshots). */
static const char *const meminfo_series_keys[] = {
	"MemFree",     "MemAvailable", "Buffers",   "Cached",      "SwapCached",
	"Active(anon)", "Inactive(anon)", "AnonPages", "Shmem",    "Mapped",
	"PageTables",  "SwapFree",     "Committed_AS", "CommitLimit", "Slab",
	"Active(file)", "Inactive(file)", "Dirty",   "Writeback", "Zswap",       "Zswapped",
	/* kernel memory: Slab and PageTables are above */
	"SUnreclaim", "KernelStack",
};
static const char *const vmstat_series_keys[] = {
	"pswpin",      "pswpout",       "pgmajfault",    "pgfault",    "pgsteal_kswapd",
	"pgsteal_direct", "pgscan_kswapd", "pgscan_direct", "oom_kill", "allocstall_normal",
	"allocstall_movable", "compact_stall", "thp_fault_fallback", "workingset_refault_anon",
	"workingset_refault_file", "pgsteal_anon", "pgsteal_file", "pgpgin", "pgpgout",
	"thp_fault_alloc", "compact_fail", "zswpin", "zswpout", "zswpwb",
};
/* zswap's debugfs counters (guest/zswap.c), when zswap was enabled */
static const char *const zswap_series_keys[] = {
	"pool_total_size", "stored_pages", "pool_limit_hit", "written_back_pages",
	"reject_compress_poor", "reject_alloc_fail",
};

/* The key/value sections of a sample: each keeps the keys above as time
 * series (an object of series), and its whole first and last snapshots.
 * An optional section has no series until a sample carries it (zswap's:
 * in every sample of a cell that enabled zswap, in none of the others). */
static const struct kv_section {
	const char *name; /* the section, and its object in series */
	size_t (*parse)(const char *buf, size_t len, struct kvlist *out);
	const char *const *keys;
	size_t n_keys;
	size_t start, end; /* the json_t * of struct cell_obs it sets */
	int optional;
} kv_sections[] = {
	{"meminfo", parse_meminfo, meminfo_series_keys, ARRAY_SIZE(meminfo_series_keys),
	 offsetof(struct cell_obs, meminfo_start), offsetof(struct cell_obs, meminfo_end), 0},
	{"vmstat", parse_vmstat, vmstat_series_keys, ARRAY_SIZE(vmstat_series_keys),
	 offsetof(struct cell_obs, vmstat_start), offsetof(struct cell_obs, vmstat_end), 0},
	/* "<file> <value>" lines: vmstat's format */
	{"zswap", parse_vmstat, zswap_series_keys, ARRAY_SIZE(zswap_series_keys),
	 offsetof(struct cell_obs, zswap_start), offsetof(struct cell_obs, zswap_end), 1},
};

static void series_push(json_t *obj, const char *key, json_t *val)
{
	json_t *a = json_object_get(obj, key);
	if (!a) {
		a = json_array();
		json_object_set_new(obj, key, a);
	}
	json_array_append_new(a, val);
}

static json_t *child(json_t *obj, const char *key)
{
	json_t *c = json_object_get(obj, key);
	if (!c) {
		c = json_object();
		json_object_set_new(obj, key, c);
	}
	return c;
}

static json_t *kv_to_json(const struct kvlist *l)
{
	json_t *o = json_object();
	for (size_t i = 0; i < l->n; i++)
		json_object_set_new(o, l->v[i].key, json_integer(l->v[i].val));
	return o;
}

/* One key/value section of a sample; data NULL: the sample had none (its
 * series get nulls, so the columns stay aligned). */
static void on_kv_section(struct cell_obs *o, const struct kv_section *ks, const char *data, size_t len)
{
	struct kvlist l = {0};
	json_t **start = (json_t **)((char *)o + ks->start), **end = (json_t **)((char *)o + ks->end);
	if (!data && ks->optional && !*start)
		return;
	if (data)
		ks->parse(data, len, &l);
	json_t *m = child(o->series, ks->name);
	for (size_t i = 0; i < ks->n_keys; i++) {
		const char *k = ks->keys[i];
		series_push(m, k, data && kv_has(&l, k) ? json_integer(kv_get(&l, k, 0)) : json_null());
	}
	if (data) {
		if (!*start)
			*start = kv_to_json(&l);
		json_decref(*end);
		*end = kv_to_json(&l);
	}
	kvlist_free(&l);
}

/* The kv_sections row of a section name, or -1. */
static int kv_section_of(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(kv_sections); i++)
		if (strlen(kv_sections[i].name) == len && !memcmp(name, kv_sections[i].name, len))
			return (int)i;
	return -1;
}

/* k=v lines (before a "--" line) -> object of strings. */
static json_t *payload_to_json(const char *p, size_t len)
{
	json_t *o = json_object();
	size_t i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && p[e] != '\n')
			e++;
		if (e - i == 2 && !memcmp(p + i, "--", 2))
			break;
		const char *eq = memchr(p + i, '=', e - i);
		if (eq && eq > p + i && (size_t)(eq - (p + i)) < 64) {
			char key[64];
			memcpy(key, p + i, (size_t)(eq - (p + i)));
			key[eq - (p + i)] = 0;
			char *val = xstrndup(eq + 1, (size_t)(p + e - eq - 1));
			json_object_set_new(o, key, json_text(val, strlen(val)));
			free(val);
		}
		i = e + 1;
	}
	return o;
}

/* "word k=v k=v" -> value of key in a single line (space separated). */
static int word_get(const char *line, const char *key, char *out, size_t outsz)
{
	size_t kl = strlen(key);
	const char *p = line;
	while ((p = strstr(p, key))) {
		if ((p == line || p[-1] == ' ') && p[kl] == '=') {
			const char *v = p + kl + 1;
			size_t n = strcspn(v, " ");
			if (n >= outsz)
				n = outsz - 1;
			memcpy(out, v, n);
			out[n] = 0;
			return 0;
		}
		p += kl;
	}
	return -1;
}

static long long word_ll(const char *line, const char *key, long long def)
{
	char v[32];
	long long x;
	if (word_get(line, key, v, sizeof v) || parse_ll(v, &x))
		return def;
	return x;
}

/* Every "k=v" word of a line into obj (integers as integers), except the
 * keys listed in skip. Keys are [a-z0-9_.-]+, at most 96 characters. */
static void words_to_json(const char *line, json_t *obj, const char *const *skip)
{
	const char *p = strchr(line, ' ');
	while (p && *p) {
		while (*p == ' ')
			p++;
		const char *end = p + strcspn(p, " ");
		const char *eq = memchr(p, '=', (size_t)(end - p));
		if (eq && eq > p && eq - p <= 96) {
			char key[100];
			memcpy(key, p, (size_t)(eq - p));
			key[eq - p] = 0;
			int ok = 1;
			for (const char *k = key; *k; k++)
				if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_' ||
				      *k == '.' || *k == '-' || (*k >= 'A' && *k <= 'Z')))
					ok = 0;
			for (const char *const *sk = skip; ok && sk && *sk; sk++)
				if (!strcmp(*sk, key))
					ok = 0;
			if (ok && json_object_size(obj) < 512) {
				char *val = xstrndup(eq + 1, (size_t)(end - eq - 1));
				long long x;
				char *e2;
				double d = strtod(val, &e2);
				if (parse_ll(val, &x) == 0)
					json_object_set_new(obj, key, json_integer(x));
				else if (*val && !*e2 && d == d)
					json_object_set_new(obj, key, json_real(d));
				else
					json_object_set_new(obj, key, json_text(val, strlen(val)));
				free(val);
			}
		}
		p = end;
	}
}

/* "oomlab-buddyinfo <tag> <a /proc/buddyinfo line>" -> integer metrics
 * buddyinfo.<tag>.<zone>.o<order> and buddyinfo.<tag>.<zone>.free_pages
 * (zone prefixed "n<node>." on nodes other than 0). */
static void wl_buddyinfo(struct wl_obs *w, const char *rest)
{
	size_t tl = strcspn(rest, " ");
	if (!tl || tl > 24 || !rest[tl])
		return;
	for (size_t i = 0; i < tl; i++)
		if (!((rest[i] >= 'a' && rest[i] <= 'z') || (rest[i] >= '0' && rest[i] <= '9') ||
		      rest[i] == '_' || rest[i] == '-'))
			return;
	struct buddyinfo bi;
	const char *text = rest + tl + 1;
	parse_buddyinfo(text, strlen(text), &bi);
	for (size_t z = 0; z < bi.n && json_object_size(w->metrics) < 512; z++) {
		const struct buddy_zone *bz = &bi.z[z];
		char key[96], node[16] = "";
		if (bz->node)
			snprintf(node, sizeof node, "n%d.", bz->node);
		for (int o = 0; o < bz->n_orders; o++) {
			snprintf(key, sizeof key, "buddyinfo.%.*s.%s%s.o%d", (int)tl, rest, node, bz->zone, o);
			json_object_set_new(w->metrics, key, json_integer(bz->free[o]));
		}
		snprintf(key, sizeof key, "buddyinfo.%.*s.%s%s.free_pages", (int)tl, rest, node, bz->zone);
		json_object_set_new(w->metrics, key, json_integer(buddy_free_pages(bz)));
	}
}

static void wl_line(struct wl_obs *w, const char *line)
{
	static const char *const result_keys[] = {"workload", "reason", "mb", "bytes", "blocks",
						  "errno", NULL};
	if (!strncmp(line, "oomlab-start ", 13)) {
		w->has_start = 1;
		w->start_vmsize_kb = word_ll(line, "vmsize_kb", -1);
		w->applied_rlimit_as_kb = word_ll(line, "rlimit_as_kb", -2);
		w->applied_oom_score_adj = word_ll(line, "oom_score_adj", -2000);
	} else if (!strncmp(line, "oomlab-progress ", 16)) {
		long long mb = word_ll(line, "mb", -1);
		if (mb > w->progress_mb)
			w->progress_mb = mb;
	} else if (!strncmp(line, "oomlab-result ", 14)) {
		w->has_result = 1;
		if (word_get(line, "reason", w->reason, sizeof w->reason))
			strcpy(w->reason, "unknown");
		w->result_bytes = word_ll(line, "bytes", -1);
		w->result_blocks = word_ll(line, "blocks", -1);
		w->result_errno = word_ll(line, "errno", -1);
		words_to_json(line, w->metrics, result_keys);
	} else if (!strncmp(line, "oomlab-buddyinfo ", 17)) {
		wl_buddyinfo(w, line + 17);
	} else if (!strncmp(line, "oomlab-metric ", 14)) {
		words_to_json(line, w->metrics, NULL);
	}
}

/* The userspace OOM killers whose lines are read (parse/earlyoom.h). */
static const char *const user_killers[] = {"earlyoom"};

int collect_is_user_killer(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(user_killers); i++)
		if (!strcmp(name, user_killers[i]))
			return 1;
	return 0;
}

#define UOOM_MAX 256
#define TRIG_MAX 4096

/* A line of a killer workload: its limits, its memory, its kills. */
static void killer_line(struct cell_obs *o, size_t id, const char *line, unsigned long long t_us)
{
	struct wl_obs *w = &o->wl[id];
	struct eo_line l;
	struct uoom_event *last = NULL;
	for (size_t i = o->n_uoom; i-- > 0;)
		if (o->uoom[i].killer == (int)id) {
			last = &o->uoom[i];
			break;
		}
	switch (eo_parse_line(line, strlen(line), &l)) {
	case EO_TERM_AT:
		w->eo_term_mem_pct = l.mem_pct;
		w->eo_term_swap_pct = l.swap_pct;
		break;
	case EO_MEM:
		w->eo_mem = l;
		break;
	case EO_KILL:
		if (o->n_uoom == UOOM_MAX)
			break;
		o->uoom = xrealloc(o->uoom, (o->n_uoom + 1) * sizeof *o->uoom);
		o->uoom[o->n_uoom++] = (struct uoom_event){
			.killer = (int)id, .t_us = t_us, .kill = l, .mem = w->eo_mem,
			.term_mem_pct = w->eo_term_mem_pct, .term_swap_pct = w->eo_term_swap_pct,
			.exited_after_s = -1,
		};
		memset(&w->eo_mem, 0, sizeof w->eo_mem);
		break;
	case EO_ESCALATED:
		if (last)
			last->escalated = 1;
		break;
	case EO_EXITED:
		if (last && last->exited_after_s < 0)
			last->exited_after_s = l.secs;
		break;
	default:
		break;
	}
}

static void wl_out(struct cell_obs *o, size_t id, const char *data, size_t len,
		   unsigned long long t_us)
{
	struct wl_obs *w = &o->wl[id];
	out_keep_add(&w->out, data, len);
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n') {
			w->line[w->line_len] = 0;
			wl_line(w, w->line);
			if (w->is_killer)
				killer_line(o, id, w->line, t_us);
			w->line_len = 0;
		} else if (w->line_len < sizeof w->line - 1) {
			w->line[w->line_len++] = data[i];
		}
	}
}

static struct wl_obs *wl_by_id(struct cell_obs *o, const struct stream_rec *r)
{
	long long id;
	if (payload_get_ll(r->payload, r->len, "id", &id) || id < 0 || (size_t)id >= o->n_wl)
		return NULL;
	return &o->wl[id];
}

static void on_sample(struct cell_obs *o, const struct stream_rec *r)
{
	size_t pos = 0;
	const char *name, *data;
	size_t nl, dl;
	json_t *s = o->series;
	json_int_t t_ms = (json_int_t)(r->t_us / 1000);
	series_push(s, "t_ms", json_integer(t_ms));
	int have_kv[ARRAY_SIZE(kv_sections)] = {0}, have_psi = 0, kv;
	while (sample_next_section(r->payload, r->len, &pos, &name, &nl, &data, &dl)) {
		if ((kv = kv_section_of(name, nl)) >= 0) {
			if (!have_kv[kv])
				on_kv_section(o, &kv_sections[kv], data, dl);
			have_kv[kv] = 1;
		} else if (nl == 3 && !memcmp(name, "psi", 3) && !have_psi) {
			struct psi p;
			json_t *m = child(s, "psi");
			if (parse_psi(data, dl, &p) == 0) {
				series_push(m, "some_avg10", json_real(p.some.avg10));
				series_push(m, "some_total_us", json_integer((json_int_t)p.some.total_us));
				series_push(m, "full_avg10", p.full.present ? json_real(p.full.avg10) : json_null());
				series_push(m, "full_total_us", p.full.present ? json_integer((json_int_t)p.full.total_us) : json_null());
			} else {
				series_push(m, "some_avg10", json_null());
				series_push(m, "some_total_us", json_null());
				series_push(m, "full_avg10", json_null());
				series_push(m, "full_total_us", json_null());
			}
			have_psi = 1;
		} else if (nl > strlen(CG_SECTION_PREFIX) &&
			   !memcmp(name, CG_SECTION_PREFIX, strlen(CG_SECTION_PREFIX))) {
			cg_obs_section(o->cgroups, name, nl, data, dl, t_ms);
		} else if (nl > 7 && !memcmp(name, "status.", 7)) {
			/* status.<id>.<pid> */
			char nm[64];
			size_t n = nl < sizeof nm - 1 ? nl : sizeof nm - 1;
			memcpy(nm, name, n);
			nm[n] = 0;
			char *end;
			long id = strtol(nm + 7, &end, 10);
			if (*end != '.' || id < 0 || (size_t)id >= o->n_wl)
				continue;
			struct wl_obs *w = &o->wl[id];
			struct proc_status st;
			if (parse_status(data, dl, &st) < 0 || st.vm_size_kb < 0)
				continue;
			if (!w->n_status)
				w->first = st;
			w->last = st;
			w->n_status++;
			series_push(w->series, "t_ms", json_integer(t_ms));
			series_push(w->series, "VmSize_kb", json_integer(st.vm_size_kb));
			series_push(w->series, "VmRSS_kb", json_integer(st.vm_rss_kb));
			series_push(w->series, "RssAnon_kb", json_integer(st.rss_anon_kb));
			series_push(w->series, "VmSwap_kb", json_integer(st.vm_swap_kb));
			series_push(w->series, "VmPTE_kb", json_integer(st.vm_pte_kb));
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(kv_sections); i++)
		if (!have_kv[i])
			on_kv_section(o, &kv_sections[i], NULL, 0);
	o->n_samples++;
}

static void on_record(struct cell_obs *o, const struct stream_rec *r)
{
	if (r->seq != o->expect_seq)
		o->seq_gaps++;
	o->expect_seq = r->seq + 1;
	if (!o->t_first_us)
		o->t_first_us = r->t_us;
	o->t_last_us = r->t_us;
	const char *k = r->kind;
	if (!strcmp(k, STREAM_KIND_HELLO)) {
		o->have_hello = 1;
		json_decref(o->hello);
		o->hello = payload_to_json(r->payload, r->len);
	} else if (!strcmp(k, STREAM_KIND_LOG)) {
		json_array_append_new(o->agent_log, json_text(r->payload, r->len));
	} else if (!strcmp(k, STREAM_KIND_KNOB)) {
		json_array_append_new(o->knobs, payload_to_json(r->payload, r->len));
	} else if (!strcmp(k, STREAM_KIND_SWAP)) {
		json_decref(o->swap);
		o->swap = payload_to_json(r->payload, r->len);
		long long kb;
		if (!payload_get_ll(r->payload, r->len, "size_kb", &kb))
			json_object_set_new(o->swap, "size_kb", json_integer(kb));
	} else if (!strcmp(k, STREAM_KIND_SPAWN)) {
		struct wl_obs *w = wl_by_id(o, r);
		long long pid;
		if (w && !payload_get_ll(r->payload, r->len, "pid", &pid)) {
			if (payload_get(r->payload, r->len, "name", w->name, sizeof w->name))
				w->name[0] = 0;
			w->is_killer = collect_is_user_killer(w->name);
			w->spawned = 1;
			w->pid = (int)pid;
			w->t_spawn_us = r->t_us;
			if (!o->t_first_spawn_us)
				o->t_first_spawn_us = r->t_us;
		}
	} else if (!strcmp(k, STREAM_KIND_OUT)) {
		struct wl_obs *w = wl_by_id(o, r);
		const char *sep = NULL;
		for (size_t i = 0; i + 3 <= r->len; i++) {
			if ((i == 0 || r->payload[i - 1] == '\n') && !memcmp(r->payload + i, "--\n", 3)) {
				sep = r->payload + i + 3;
				break;
			}
		}
		if (w && sep)
			wl_out(o, (size_t)(w - o->wl), sep, (size_t)(r->payload + r->len - sep), r->t_us);
	} else if (!strcmp(k, STREAM_KIND_EXIT)) {
		struct wl_obs *w = wl_by_id(o, r);
		if (!w)
			return;
		char how[16] = "";
		long long v;
		payload_get(r->payload, r->len, "how", how, sizeof how);
		w->exited = 1;
		w->t_exit_us = r->t_us;
		o->t_last_exit_us = r->t_us;
		w->signaled = !strcmp(how, "signaled");
		w->code = payload_get_ll(r->payload, r->len, "code", &v) ? -1 : (int)v;
		w->sig = payload_get_ll(r->payload, r->len, "signal", &v) ? 0 : (int)v;
		w->maxrss_kb = payload_get_ll(r->payload, r->len, "maxrss_kb", &v) ? -1 : v;
		w->utime_us = payload_get_ll(r->payload, r->len, "utime_us", &v) ? -1 : v;
		w->stime_us = payload_get_ll(r->payload, r->len, "stime_us", &v) ? -1 : v;
	} else if (!strcmp(k, STREAM_KIND_SAMPLE)) {
		on_sample(o, r);
	} else if (!strcmp(k, STREAM_KIND_KMSG)) {
		struct kmsg_rec km;
		if (parse_kmsg_record(r->payload, r->len, &km) == 0) {
			kernlog_feed(&o->klog, km.ts_us, km.text, km.text_len);
			o->n_kmsg++;
		}
	} else if (!strcmp(k, STREAM_KIND_TRIGGER)) {
		long long id, e;
		if (payload_get_ll(r->payload, r->len, "id", &id) || id < 0 || id >= 64 ||
		    o->n_trig >= TRIG_MAX)
			return;
		o->trig = xrealloc(o->trig, (o->n_trig + 1) * sizeof *o->trig);
		o->trig[o->n_trig++] = (struct trig_event){
			.id = (int)id, .t_us = r->t_us,
			.error = payload_get_ll(r->payload, r->len, "error", &e) ? 0 : (int)e,
		};
	} else if (!strcmp(k, STREAM_KIND_STALL)) {
		struct wl_obs *w = wl_by_id(o, r);
		long long a, b, l;
		if (!w || w->has_stall || payload_get_ll(r->payload, r->len, "start_us", &a) ||
		    payload_get_ll(r->payload, r->len, "end_us", &b) || a < 0 || b < a ||
		    payload_get_ll(r->payload, r->len, "limit", &l))
			return;
		w->has_stall = 1;
		w->stall_limit = l == 1;
		w->stall_start_us = (unsigned long long)a;
		w->stall_end_us = (unsigned long long)b;
	} else if (!strcmp(k, STREAM_KIND_BYE)) {
		o->have_bye = 1;
		if (payload_get(r->payload, r->len, "reason", o->bye_reason, sizeof o->bye_reason))
			strcpy(o->bye_reason, "unknown");
	}
}

void collect_cell(const char *stream, size_t stream_len, const char *console, size_t console_len,
		  size_t n_wl, struct cell_obs *o)
{
	memset(o, 0, sizeof *o);
	o->knobs = json_array();
	o->agent_log = json_array();
	o->series = json_object();
	o->cgroups = json_object();
	o->n_wl = n_wl;
	o->wl = xcalloc(n_wl ? n_wl : 1, sizeof *o->wl);
	for (size_t i = 0; i < n_wl; i++) {
		o->wl[i].series = json_object();
		o->wl[i].metrics = json_object();
		o->wl[i].progress_mb = -1;
		o->wl[i].start_vmsize_kb = -1;
		o->wl[i].applied_rlimit_as_kb = -2;
		o->wl[i].applied_oom_score_adj = -2000;
		o->wl[i].first.pid = o->wl[i].last.pid = -1;
		o->wl[i].eo_term_mem_pct = o->wl[i].eo_term_swap_pct = -1;
	}
	kernlog_init(&o->klog);
	kernlog_init(&o->console);
	size_t pos = 0;
	struct stream_rec r;
	while (stream && stream_next(stream, stream_len, &pos, &r, &o->stats) == 1)
		on_record(o, &r);
	if (console)
		kernlog_feed_console(&o->console, console, console_len);
}

void cell_obs_free(struct cell_obs *o)
{
	if (!o)
		return;
	json_decref(o->hello);
	json_decref(o->knobs);
	json_decref(o->swap);
	json_decref(o->agent_log);
	json_decref(o->series);
	json_decref(o->cgroups);
	json_decref(o->meminfo_start);
	json_decref(o->meminfo_end);
	json_decref(o->vmstat_start);
	json_decref(o->vmstat_end);
	json_decref(o->zswap_start);
	json_decref(o->zswap_end);
	kernlog_free(&o->klog);
	kernlog_free(&o->console);
	for (size_t i = 0; i < o->n_wl; i++) {
		json_decref(o->wl[i].series);
		json_decref(o->wl[i].metrics);
	}
	free(o->wl);
	free(o->uoom);
	free(o->trig);
	memset(o, 0, sizeof *o);
}
