// SPDX-License-Identifier: GPL-2.0-or-later
/* KCIDB I/O JSON, so a run can be submitted to KernelCI (kcidb-io schema
 * v5.3, copied in reports/kcidb/). Objects: one checkout and one build
 * per guest kernel (a Debian package, not a git tree: its release and
 * version go in the comment and misc), one test per cell x workload; and
 * for kernel findings (docs/findings.md) one "findings" test per cell that
 * has some, one issue per distinct title and one incident per test that
 * showed it; for OOM episodes (docs/episodes.md) their counts in the misc
 * of each of the cell's tests, and an issue for double kills and one for
 * collateral victims, with an incident per double kill and per collateral
 * victim. */
#include "lib/jsonx.h"
#include "lib/sha256.h"
#include "lib/vocab.h"
#include "reports/episodes_summary.h"
#include "reports/kcidb/kcidb.h"

#include <errno.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int kcidb_origin_ok(const char *o)
{
	if (!o || !*o)
		return 0;
	for (; *o; o++)
		if (!((*o >= 'a' && *o <= 'z') || (*o >= '0' && *o <= '9') || *o == '_'))
			return 0;
	return 1;
}

int kcidb_url_base_ok(const char *u)
{
	size_t n = strlen(u), i = 0;
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
	if (!n || u[n - 1] != '/' || !((u[0] >= 'a' && u[0] <= 'z') || (u[0] >= 'A' && u[0] <= 'Z')))
		return 0;
	while (u[i] && u[i] != ':') {
		char c = u[i++];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("+-.", c)))
			return 0;
	}
	if (u[i] != ':')
		return 0;
	for (i++; u[i]; i++) {
		char c = u[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("-._~:/?#[]@!$&'()*+,;=%", c)))
			return 0;
	}
	return 1;
}

/* One component of a KCIDB test path: [a-zA-Z0-9_-]+. */
static void path_part(struct buf *b, const char *s)
{
	if (!*s)
		s = "_";
	for (; *s; s++) {
		char c = *s;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
			 c == '-';
		buf_append(b, ok ? &c : "_", 1);
	}
}

/* KCIDB strings must not hold NUL; jansson strings from our reports never
 * do, but a string is copied through this anyway. */
static json_t *text(const char *s)
{
	return json_string(s ? s : "");
}

/* A word that is no verdict is an ERROR. */
static const char *kcidb_status(const char *verdict)
{
	const struct verdict_row *v = verdict_find(verdict);
	return v ? v->kcidb : "ERROR";
}

static void url_esc(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			buf_append(b, p, 1);
		else
			buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

static json_t *file_url(const char *base, const char *rel)
{
	struct buf u = {0};
	buf_printf(&u, "%s", base);
	url_esc(&u, rel);
	json_t *j = json_string(u.data);
	buf_free(&u);
	return j;
}

static char *kernel_id(const char *origin, json_t *cell)
{
	json_t *k = json_object_get(cell, "kernel");
	return xasprintf("%s:%s %s", origin, json_str(k, "release", ""), json_str(k, "version", ""));
}

/* An issue's id: the origin and the first 16 hex digits of the SHA-256
 * of the title, the same in every run that sees the title. */
static char *issue_id(const char *origin, const char *title)
{
	struct sha256 h;
	char hex[65];
	sha256_init(&h);
	sha256_update(&h, title, strlen(title));
	sha256_hex(&h, hex);
	return xasprintf("%s:finding-%.16s", origin, hex);
}

#define ISSUE_VERSION 1

/* The cell's "findings" test, its issues (new titles only: seen holds the
 * ids made so far) and one incident per finding. */
static void findings_objects(json_t *c, const char *origin, const char *matrix, const char *run_id,
			     const char *kid, json_t *seen, json_t *tests, json_t *issues, json_t *incidents)
{
	json_t *fs = json_object_get(c, "findings"), *ci = json_object_get(c, "cell");
	if (!json_array_size(fs))
		return;
	struct buf path = {0}, tid = {0}, ex = {0};
	buf_printf(&path, "oomlab.");
	path_part(&path, matrix);
	buf_printf(&path, ".");
	path_part(&path, json_str(ci, "id", ""));
	buf_printf(&path, ".findings");
	buf_printf(&tid, "%s:%s.%s.findings", origin, run_id, json_str(ci, "id", ""));
	size_t i, bad = 0;
	json_t *f;
	json_array_foreach(fs, i, f) {
		int allowed = json_is_true(json_object_get(f, "allowed"));
		const char *title = json_str(f, "title", "");
		bad += !allowed;
		buf_printf(&ex, "%s: %s\n", allowed ? "allowed" : "not allowed", title);
		char *iid = issue_id(origin, title);
		if (!json_object_get(seen, iid)) {
			json_object_set_new(seen, iid, json_true());
			json_array_append_new(
				issues, json_pack("{s:s,s:i,s:s,s:o,s:o,s:{s:b,s:b,s:b},s:{s:O?,s:o}}", "id", iid,
						  "version", ISSUE_VERSION, "origin", origin, "comment", text(title),
						  "report_subject", text(title), "culprit", "code", 1, "tool", 0,
						  "harness", 0, "misc", "kind", json_object_get(f, "kind"), "title",
						  text(title)));
		}
		char *id = xasprintf("%s.%s", tid.data, iid + strlen(origin) + 1);
		char *comment = xasprintf("%s in cell %s", title, json_str(ci, "name", ""));
		json_array_append_new(incidents,
				      json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:b,s:o,s:{s:O?,s:O?,s:b,s:O?}}", "id", id,
						"origin", origin, "issue_id", iid, "issue_version", ISSUE_VERSION,
						"test_id", tid.data, "build_id", kid, "present", 1, "comment",
						text(comment), "misc", "count", json_object_get(f, "count"), "t_us",
						json_object_get(f, "t_us"), "allowed", allowed, "allowed_by",
						json_object_get(f, "allowed_by")));
		free(comment);
		free(id);
		free(iid);
	}
	json_t *t = json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", tid.data, "build_id", kid, "origin", origin, "path",
			      path.data, "status", bad ? "FAIL" : "PASS");
	char *comment = xasprintf("%s: kernel findings", json_str(ci, "name", ""));
	json_object_set_new(t, "comment", text(comment));
	free(comment);
	json_t *exj = json_stringn(ex.data, ex.len > 16000 ? 16000 : ex.len);
	json_object_set_new(t, "log_excerpt", exj ? exj : json_string(""));
	json_object_set_new(t, "misc", json_pack("{s:s,s:I,s:I}", "cell", json_str(ci, "name", ""), "findings",
						 (json_int_t)json_array_size(fs), "not_allowed", (json_int_t)bad));
	json_array_append_new(tests, t);
	buf_free(&path);
	buf_free(&tid);
	buf_free(&ex);
}

/* The kernel's OOM misbehaviour the episodes show (docs/episodes.md), as
 * KCIDB issues: the same id in every run, an incident per occurrence. */
enum ep_anomaly { EA_DOUBLE_KILL, EA_COLLATERAL, EA_COUNT };

static const struct {
	const char *id;      /* after "<origin>:" */
	const char *word;    /* misc "anomaly" */
	const char *subject; /* the issue's comment and report_subject */
} ep_anomaly_table[EA_COUNT] = {
	[EA_DOUBLE_KILL] = {"oom-double-kill", "double_kill",
			    "OOM killer killed again before an earlier victim was reaped (double kill)"},
	[EA_COLLATERAL] = {"oom-collateral", "collateral",
			   "OOM killer killed a process that was not a workload (collateral victim)"},
};

/* The issue of anomaly a (made once a run: seen) and the id of its
 * incident <test id>.<issue id's tail>-<episode>[-<victim>]. */
static char *ep_issue(enum ep_anomaly a, const char *origin, json_t *seen, json_t *issues)
{
	char *iid = xasprintf("%s:%s", origin, ep_anomaly_table[a].id);
	if (!json_object_get(seen, iid)) {
		json_object_set_new(seen, iid, json_true());
		json_array_append_new(issues,
				      json_pack("{s:s,s:i,s:s,s:s,s:s,s:{s:b,s:b,s:b},s:{s:s}}", "id", iid, "version",
						ISSUE_VERSION, "origin", origin, "comment", ep_anomaly_table[a].subject,
						"report_subject", ep_anomaly_table[a].subject, "culprit", "code", 1, "tool",
						0, "harness", 0, "misc", "anomaly", ep_anomaly_table[a].word));
	}
	return iid;
}

/* The test of the cell's workload w (its first when w is none of them). */
static char *ep_test_id(const char *origin, const char *run_id, json_t *c, json_t *w)
{
	size_t nw = json_array_size(json_object_get(c, "workloads"));
	long long j = json_is_integer(w) ? json_integer_value(w) : 0;
	if (j < 0 || (size_t)j >= nw)
		j = 0;
	return xasprintf("%s:%s.%s.%lld", origin, run_id, json_str(json_object_get(c, "cell"), "id", ""), j);
}

/* One incident per double kill, naming the test of the first victim's
 * workload in the episode that killed again, and one per collateral
 * victim, naming the cell's first test. */
static void episodes_objects(json_t *c, const char *origin, const char *run_id, const char *kid, json_t *seen,
			     json_t *issues, json_t *incidents)
{
	const char *cell = json_str(json_object_get(c, "cell"), "name", "");
	size_t i, k;
	json_t *e, *v;
	json_array_foreach(json_object_get(c, "oom_episodes"), i, e) {
		json_t *dk = json_object_get(e, "double_kill"), *vs = json_object_get(e, "victims");
		if (json_is_object(dk)) {
			json_t *w = NULL, *v0 = json_array_get(vs, 0);
			json_array_foreach(vs, k, v)
				if (json_is_integer(json_object_get(v, "workload"))) {
					w = json_object_get(v, "workload");
					break;
				}
			char *iid = ep_issue(EA_DOUBLE_KILL, origin, seen, issues);
			char *tid = ep_test_id(origin, run_id, c, w);
			char *id = xasprintf("%s.%s-%zu", tid, ep_anomaly_table[EA_DOUBLE_KILL].id, i);
			char *comment = xasprintf("double kill in cell %s: OOM episode %zu killed pid %lld while pid %lld "
						  "of episode %lld was not yet reaped",
						  cell, i + 1, (long long)json_integer_value(json_object_get(v0, "pid")),
						  (long long)json_integer_value(json_object_get(dk, "pid")),
						  (long long)json_integer_value(json_object_get(dk, "episode")) + 1);
			json_array_append_new(
				incidents,
				json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:b,s:o,s:{s:I,s:O?,s:O?,s:O?,s:O?,s:O?}}", "id", id,
					  "origin", origin, "issue_id", iid, "issue_version", ISSUE_VERSION, "test_id",
					  tid, "build_id", kid, "present", 1, "comment", text(comment), "misc", "episode",
					  (json_int_t)i, "t_us", json_object_get(e, "t_us"), "pid",
					  json_object_get(v0, "pid"), "earlier_episode", json_object_get(dk, "episode"),
					  "earlier_pid", json_object_get(dk, "pid"), "reaped_after_us",
					  json_object_get(dk, "reaped_after_us")));
			free(comment);
			free(id);
			free(tid);
			free(iid);
		}
		json_array_foreach(vs, k, v) {
			if (strcmp(json_str(v, "owner", ""), "collateral") != 0)
				continue;
			char *iid = ep_issue(EA_COLLATERAL, origin, seen, issues);
			char *tid = ep_test_id(origin, run_id, c, NULL);
			char *id = xasprintf("%s.%s-%zu-%zu", tid, ep_anomaly_table[EA_COLLATERAL].id, i, k);
			char *comment = xasprintf("collateral OOM victim in cell %s: OOM episode %zu killed pid %lld (%s)",
						  cell, i + 1, (long long)json_integer_value(json_object_get(v, "pid")),
						  json_str(v, "comm", ""));
			json_array_append_new(incidents,
					      json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:b,s:o,s:{s:I,s:O?,s:O?,s:O?,s:O?}}",
							"id", id, "origin", origin, "issue_id", iid, "issue_version",
							ISSUE_VERSION, "test_id", tid, "build_id", kid, "present", 1,
							"comment", text(comment), "misc", "episode", (json_int_t)i, "t_us",
							json_object_get(e, "t_us"), "pid", json_object_get(v, "pid"), "comm",
							json_object_get(v, "comm"), "rss_kb", json_object_get(v, "rss_kb")));
			free(comment);
			free(id);
			free(tid);
			free(iid);
		}
	}
}

json_t *report_kcidb(const struct rundir *r, const struct kcidb_opts *o)
{
	const char *origin = o && o->origin ? o->origin : "oomlab";
	char *base;
	if (o && o->url_base) {
		base = xstrdup(o->url_base);
	} else {
		char abs[PATH_MAX];
		struct buf u = {0};
		buf_printf(&u, "file://");
		url_esc(&u, realpath(r->dir, abs) ? abs : r->dir);
		buf_printf(&u, "/");
		base = u.data;
	}
	json_t *checkouts = json_array(), *builds = json_array(), *tests = json_array();
	json_t *issues = json_array(), *incidents = json_array(), *seen_issues = json_object();
	json_t *seen = json_object();
	json_t *run = r->run;
	const char *matrix = json_str(json_object_get(run, "matrix"), "name", "");
	size_t i, j;
	json_t *c, *w;
	json_array_foreach(r->cells, i, c) {
		char *kid = kernel_id(origin, c);
		json_t *k = json_object_get(c, "kernel");
		if (!json_object_get(seen, kid)) {
			json_object_set_new(seen, kid, json_true());
			json_t *misc = json_pack("{s:o,s:o,s:o}", "package", text(json_str(k, "package", "")), "release",
						 text(json_str(k, "release", "")), "version", text(json_str(k, "version", "")));
			char *comment = xasprintf("Debian kernel package %s (%s %s)", json_str(k, "package", ""),
						  json_str(k, "release", ""), json_str(k, "version", ""));
			json_array_append_new(checkouts,
					      json_pack("{s:s,s:s,s:s,s:s,s:b,s:O}", "id", kid, "origin", origin,
							"tree_name", "debian", "comment", comment, "valid", 1, "misc",
							misc));
			json_array_append_new(builds,
					      json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "id", kid, "checkout_id", kid,
							"origin", origin, "architecture",
							json_str(json_object_get(c, "hello"), "machine", "")[0]
								? json_str(json_object_get(c, "hello"), "machine", "")
								: "x86_64",
							"comment", comment, "status", "PASS", "misc", misc));
			free(comment);
		}
		json_t *ci = json_object_get(c, "cell");
		json_t *vm = json_object_get(c, "vm");
		json_t *ws = json_object_get(c, "workloads");
		size_t nw = json_array_size(ws);
		for (j = 0; j < (nw ? nw : 1); j++) {
			w = json_array_get(ws, j);
			struct buf path = {0}, id = {0};
			buf_printf(&path, "oomlab.");
			path_part(&path, matrix);
			buf_printf(&path, ".");
			path_part(&path, json_str(ci, "id", ""));
			buf_printf(&path, ".");
			if (w) {
				buf_printf(&path, "%zu_", j);
				path_part(&path, json_str(w, "name", ""));
			} else {
				buf_printf(&path, "cell");
			}
			buf_printf(&id, "%s:%s.%s.%zu", origin, json_str(run, "run_id", ""), json_str(ci, "id", ""), j);
			const char *verdict = w ? json_str(w, "verdict", "") : json_str(c, "verdict", "");
			json_t *t = json_object();
			json_object_set_new(t, "id", json_string(id.data));
			json_object_set_new(t, "build_id", json_string(kid));
			json_object_set_new(t, "origin", json_string(origin));
			json_object_set_new(t, "path", json_string(path.data));
			json_object_set_new(t, "status", json_string(kcidb_status(verdict)));
			if (*json_str(run, "started", ""))
				json_object_set_new(t, "start_time", text(json_str(run, "started", "")));
			json_t *wall = json_object_get(json_object_get(c, "timings"), "wall_s");
			if (json_is_number(wall))
				json_object_set_new(t, "duration", json_real(fabs(json_number_value(wall))));
			char *comment = xasprintf("%s: %s", json_str(ci, "name", ""), w ? json_str(w, "name", "") : "no workload ran");
			json_object_set_new(t, "comment", text(comment));
			free(comment);
			json_t *mb = json_object_get(w, "mb_reached");
			if (json_is_number(mb))
				json_object_set_new(t, "number",
						    json_pack("{s:f,s:s}", "value", json_number_value(mb), "unit", "MB"));
			/* the reason, then the end of the console: what a reader of the
			 * dashboard needs first (schema limit 16 KiB) */
			struct buf ex = {0};
			if (w)
				buf_printf(&ex, "%s\n", json_str(w, "verdict_reason", ""));
			buf_printf(&ex, "%s\n", json_str(c, "verdict_reason", ""));
			const char *tail = json_str(c, "console_tail", "");
			size_t room = 16000 > ex.len ? 16000 - ex.len : 0, tl = strlen(tail);
			if (tl > room) {
				tail += tl - room;
				/* never start inside a UTF-8 sequence */
				while ((*tail & 0xc0) == 0x80)
					tail++;
			}
			buf_printf(&ex, "%s", tail);
			json_t *exj = json_stringn(ex.data, ex.len);
			json_object_set_new(t, "log_excerpt", exj ? exj : json_string(""));
			buf_free(&ex);
			json_t *files = json_object_get(c, "files");
			json_t *out = json_array();
			const char *fk;
			json_t *fv;
			json_object_foreach(files, fk, fv) {
				if (!json_is_string(fv))
					continue;
				char *rel = xasprintf("cells/%s", json_string_value(fv));
				char *name = xasprintf("%s", json_string_value(fv));
				json_array_append_new(out, json_pack("{s:s,s:o}", "name", name, "url", file_url(base, rel)));
				if (!strcmp(fk, "console"))
					json_object_set_new(t, "log_url", file_url(base, rel));
				free(rel);
				free(name);
			}
			char *rel = xasprintf("cells/%s.json", json_str(ci, "id", ""));
			char *name = xasprintf("%s.json", json_str(ci, "id", ""));
			json_array_append_new(out, json_pack("{s:s,s:o}", "name", name, "url", file_url(base, rel)));
			free(rel);
			free(name);
			json_object_set_new(t, "output_files", out);
			char *env = xasprintf("QEMU (%s), %lld MiB RAM, %lld CPU", json_str(vm, "accel", ""),
					      (long long)json_integer_value(json_object_get(vm, "ram_mb")),
					      (long long)json_integer_value(json_object_get(vm, "cpus")));
			json_object_set_new(t, "environment",
					    json_pack("{s:s,s:{s:O?,s:O?,s:O?,s:O?}}", "comment", env, "misc", "ram_mb",
						      json_object_get(vm, "ram_mb"), "cpus", json_object_get(vm, "cpus"),
						      "swap_mb", json_object_get(vm, "swap_mb"), "accel",
						      json_object_get(vm, "accel")));
			free(env);
			json_t *pr = json_object_get(w, "predicted");
			json_t *misc = json_pack("{s:s,s:s,s:O?,s:O?,s:O?,s:O?,s:O?,s:O?,s:O?,s:o}", "verdict", verdict,
						 "cell", json_str(ci, "name", ""), "knobs", json_object_get(c, "requested"),
						 "endpoint", json_object_get(w, "endpoint"), "mb_reached", mb,
						 "predicted_endpoint", json_object_get(pr, "endpoint"), "predicted_also",
						 json_object_get(pr, "also"), "predicted_mb_min",
						 json_object_get(pr, "mb_min"), "predicted_mb_max",
						 json_object_get(pr, "mb_max"), "oom_events",
						 json_integer((json_int_t)json_array_size(json_object_get(c, "oom_events"))));
			struct ep_summary eps;
			if (episodes_summary(c, &eps))
				json_object_set_new(misc, "oom_episodes", episodes_summary_json(&eps));
			json_object_set_new(t, "misc", misc);
			json_array_append_new(tests, t);
			buf_free(&path);
			buf_free(&id);
		}
		findings_objects(c, origin, matrix, json_str(run, "run_id", ""), kid, seen_issues, tests, issues,
				 incidents);
		episodes_objects(c, origin, json_str(run, "run_id", ""), kid, seen_issues, issues, incidents);
		free(kid);
	}
	json_decref(seen);
	json_decref(seen_issues);
	free(base);
	json_t *doc = json_pack("{s:{s:i,s:i},s:o,s:o,s:o}", "version", "major", KCIDB_MAJOR, "minor", KCIDB_MINOR,
				"checkouts", checkouts, "builds", builds, "tests", tests);
	/* only a run with kernel findings, double kills or collateral OOM
	 * victims has issues and incidents */
	if (json_array_size(issues)) {
		json_object_set(doc, "issues", issues);
		json_object_set(doc, "incidents", incidents);
	}
	json_decref(issues);
	json_decref(incidents);
	return doc;
}

int report_write_kcidb(const struct rundir *r, const char *path, const struct kcidb_opts *o, struct buf *err)
{
	json_t *k = report_kcidb(r, o);
	int rc = json_write_atomic(path, k);
	if (rc < 0)
		buf_printf(err, "cannot write %s: %s", path, strerror(errno));
	json_decref(k);
	return rc;
}
