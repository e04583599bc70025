// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/cellreport.h"
#include "judge/cgroups.h"
#include "judge/episodes.h"
#include "judge/kernelconf.h"
#include "lib/buildid.h"
#include "lib/vocab.h"
#include "lib/jsonx.h"
#include "lib/util.h"
#include "workloads/wl.h"

#include <stdlib.h>
#include <string.h>

static json_t *int_or_null(long long v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *text_or_null(const char *s)
{
	return s[0] ? json_text(s, strlen(s)) : json_null();
}

/* The memory cgroup side of an OOM kill (parse.h), or NULL when no group
 * but the root took part: then the event has no "memcg" key, as before
 * cells had groups. */
static json_t *memcg_json(const struct oom_event *e)
{
	int victim_in_group = e->task_memcg[0] && strcmp(e->task_memcg, "/") != 0;
	if (!e->oom_memcg[0] && !e->oom_group[0] && !victim_in_group)
		return NULL;
	json_t *j = json_object();
	json_object_set_new(j, "oom_memcg", text_or_null(e->oom_memcg));
	json_object_set_new(j, "task_memcg", text_or_null(e->task_memcg));
	json_object_set_new(j, "usage_kb", int_or_null(e->memcg_usage_kb));
	json_object_set_new(j, "limit_kb", int_or_null(e->memcg_limit_kb));
	json_object_set_new(j, "failcnt", int_or_null(e->memcg_failcnt));
	json_object_set_new(j, "swap_usage_kb", int_or_null(e->swap_usage_kb));
	json_object_set_new(j, "swap_limit_kb", int_or_null(e->swap_limit_kb));
	json_object_set_new(j, "swap_failcnt", int_or_null(e->swap_failcnt));
	json_object_set_new(j, "oom_group", text_or_null(e->oom_group));
	json_object_set_new(j, "group_member", json_boolean(e->group_member));
	return j;
}

static json_t *oom_json(const struct oom_event *e)
{
	json_t *j = json_object();
	json_object_set_new(j, "t_us", json_integer((json_int_t)e->ts_us));
	json_object_set_new(j, "invoker_comm", json_text(e->invoker_comm, strlen(e->invoker_comm)));
	json_object_set_new(j, "gfp_mask", json_text(e->gfp_mask, strlen(e->gfp_mask)));
	json_object_set_new(j, "gfp_flags", json_text(e->gfp_flags, strlen(e->gfp_flags)));
	json_object_set_new(j, "order", e->order >= 0 ? json_integer(e->order) : json_null());
	json_object_set_new(j, "invoker_oom_score_adj", json_integer(e->invoker_oom_score_adj));
	json_object_set_new(j, "constraint", json_text(e->constraint, strlen(e->constraint)));
	json_object_set_new(j, "oom_kind", json_text(e->oom_kind, strlen(e->oom_kind)));
	json_object_set_new(j, "victim_pid", json_integer(e->victim_pid));
	json_object_set_new(j, "victim_comm", json_text(e->victim_comm, strlen(e->victim_comm)));
	json_object_set_new(j, "victim_uid", json_integer(e->victim_uid));
	json_object_set_new(j, "total_vm_kb", int_or_null(e->total_vm_kb));
	json_object_set_new(j, "anon_rss_kb", int_or_null(e->anon_rss_kb));
	json_object_set_new(j, "file_rss_kb", int_or_null(e->file_rss_kb));
	json_object_set_new(j, "shmem_rss_kb", int_or_null(e->shmem_rss_kb));
	json_object_set_new(j, "pgtables_kb", int_or_null(e->pgtables_kb));
	json_object_set_new(j, "victim_oom_score_adj", json_integer(e->victim_oom_score_adj));
	json_object_set_new(j, "killed", json_boolean(e->killed));
	json_object_set_new(j, "reaped", json_boolean(e->reaped));
	json_t *mc = memcg_json(e);
	if (mc)
		json_object_set_new(j, "memcg", mc);
	if (e->slab_dumped) {
		/* only an event whose report has the section: others stay as they were */
		json_t *s = json_object(), *top = json_array();
		json_object_set_new(s, "caches", json_integer(e->n_slab_caches));
		json_object_set_new(s, "total_kb", json_integer(e->slab_total_kb));
		for (int i = 0; i < e->n_slab && i < OOM_SLAB_TOP; i++) {
			json_t *c = json_object();
			json_object_set_new(c, "name", json_text(e->slab[i].name, strlen(e->slab[i].name)));
			json_object_set_new(c, "used_kb", json_integer(e->slab[i].used_kb));
			json_object_set_new(c, "total_kb", json_integer(e->slab[i].total_kb));
			json_array_append_new(top, c);
		}
		json_object_set_new(s, "top", top);
		json_object_set_new(j, "unreclaimable_slab", s);
	}
	return j;
}

static json_t *af_json(const struct alloc_failure *a)
{
	json_t *j = json_object();
	json_object_set_new(j, "t_us", json_integer((json_int_t)a->ts_us));
	json_object_set_new(j, "comm", json_text(a->comm, strlen(a->comm)));
	json_object_set_new(j, "order", json_integer(a->order));
	json_object_set_new(j, "mode", json_text(a->mode, strlen(a->mode)));
	json_object_set_new(j, "mode_flags", json_text(a->mode_flags, strlen(a->mode_flags)));
	return j;
}

/* The cell's kernel findings (judge/findings.h), in time order; an empty
 * array when there is none. */
static json_t *findings_json(const struct cell_findings *cf)
{
	json_t *a = json_array();
	for (size_t i = 0; i < cf->n; i++) {
		const struct cell_finding *c = &cf->f[i];
		const struct finding *f = &c->f;
		json_t *j = json_object(), *frames = json_array();
		const char *kind = finding_kind_name(f->kind);
		json_object_set_new(j, "kind", kind ? json_string(kind) : json_null());
		json_object_set_new(j, "title", json_text(f->title, strnlen(f->title, sizeof f->title)));
		json_object_set_new(j, "t_us", json_integer((json_int_t)f->ts_us));
		json_object_set_new(j, "count", json_integer(f->count));
		for (int k = 0; k < f->n_frames && k < FINDING_FRAMES; k++)
			json_array_append_new(frames, json_text(f->frames[k], strnlen(f->frames[k], FINDING_FRAME_MAX)));
		json_object_set_new(j, "frames", frames);
		json_object_set_new(j, "raw", json_text(f->raw, f->raw_len < sizeof f->raw ? f->raw_len : sizeof f->raw));
		json_object_set_new(j, "raw_truncated", json_boolean(f->raw_truncated));
		json_object_set_new(j, "allowed", json_boolean(c->allowed));
		json_object_set_new(j, "allowed_by", str_or_null(c->allowed_by));
		json_array_append_new(a, j);
	}
	return a;
}

static json_t *args_json(const struct wl_spec *w)
{
	json_t *a = json_array();
	for (size_t i = 0; i < w->n_args; i++)
		json_array_append_new(a, json_string(w->args[i]));
	return a;
}

/* Seconds and percents with 3 decimals (-1: null), so reports stay
 * readable and stable. */
static json_t *num3(double x)
{
	return x < 0 ? json_null() : json_real((double)(long long)(x * 1000 + 0.5) / 1000);
}

static json_t *stall_json(const struct stall_report *st)
{
	json_t *j = json_object();
	json_object_set_new(j, "t_start_us", json_integer((json_int_t)st->t_start_us));
	json_object_set_new(j, "start_s", num3(st->start_s));
	json_object_set_new(j, "length_s", num3(st->length_s));
	json_object_set_new(j, "psi_full_avg10_max", num3(st->psi_full_max));
	json_object_set_new(j, "psi_full_avg10_mean", num3(st->psi_full_mean));
	json_object_set_new(j, "refaults_anon", int_or_null(st->refaults_anon));
	json_object_set_new(j, "refaults_file", int_or_null(st->refaults_file));
	json_object_set_new(j, "ended_by", json_string(stall_end_words[st->ended_by]));
	json_object_set_new(j, "time_to_end_s", num3(st->time_to_end_s));
	json_object_set_new(j, "time_growing_s", num3(st->time_growing_s));
	json_object_set_new(j, "time_stalled_s", num3(st->time_stalled_s));
	return j;
}

static json_t *workload_json(const struct cell_spec *cs, const struct cell_obs *o,
			     const struct cell_outcome *oc, size_t i)
{
	const struct wl_spec *ws = &cs->wl[i];
	const struct wl_obs *w = &o->wl[i];
	const struct wl_outcome *wo = &oc->wl[i];
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer((json_int_t)i));
	json_object_set_new(j, "name", json_string(ws->name));
	json_object_set_new(j, "options", json_deep_copy(ws->options));
	json_object_set_new(j, "args", args_json(ws));
	json_object_set_new(j, "rlimit_as_mb",
			    ws->rlimit_as_mb == KNOB_UNSET ? json_null() : json_integer(ws->rlimit_as_mb));
	json_object_set_new(j, "oom_score_adj",
			    ws->oom_score_adj == KNOB_UNSET ? json_null() : json_integer(ws->oom_score_adj));
	json_object_set_new(j, "pid", w->spawned ? json_integer(w->pid) : json_null());
	/* the per-workload knobs as the workload itself saw them in force */
	json_t *ap = json_object();
	json_object_set_new(ap, "rlimit_as_mb", w->applied_rlimit_as_kb >= 0
							? json_integer(w->applied_rlimit_as_kb / 1024)
							: json_null());
	json_object_set_new(ap, "rlimit_as_unlimited", json_boolean(w->applied_rlimit_as_kb == -1));
	json_object_set_new(ap, "oom_score_adj", w->applied_oom_score_adj >= -1000
							 ? json_integer(w->applied_oom_score_adj)
							 : json_null());
	json_object_set_new(j, "applied", ap);
	json_object_set_new(j, "t_spawn_us", w->spawned ? json_integer((json_int_t)w->t_spawn_us) : json_null());
	json_object_set_new(j, "endpoint", json_string(endpoint_name(wo->endpoint)));
	json_object_set_new(j, "mb_reached", wo->mb_reached >= 0 ? json_real(wo->mb_reached) : json_null());
	json_object_set_new(j, "mb_source", json_string(wo->mb_source));
	const struct prediction *p = &wo->pred;
	json_t *pred = json_object();
	json_object_set_new(pred, "endpoint", p->known ? json_string(p->endpoints[0]) : json_null());
	json_t *also = json_array();
	for (size_t k = 1; k < p->n_endpoints; k++)
		json_array_append_new(also, json_string(p->endpoints[k]));
	json_object_set_new(pred, "also", also);
	json_object_set_new(pred, "mb_min", p->known && p->mb_min >= 0 ? json_real(p->mb_min) : json_null());
	json_object_set_new(pred, "mb_max", p->known && p->mb_min >= 0 ? json_real(p->mb_max) : json_null());
	json_object_set_new(pred, "rule", json_string(p->rule));
	if (p->known && p->waste_min >= 0) { /* only frag's modelled patterns */
		json_object_set_new(pred, "waste_ratio_min", json_real(p->waste_min));
		json_object_set_new(pred, "waste_ratio_max", json_real(p->waste_max));
	}
	json_object_set_new(j, "predicted", pred);
	json_object_set_new(j, "verdict", json_string(verdict_name(wo->verdict)));
	json_object_set_new(j, "verdict_reason", json_string(wo->why));
	json_object_set_new(j, "oom_event", wo->oom_idx >= 0 ? json_integer(wo->oom_idx) : json_null());
	if (wo->uoom_idx >= 0) { /* only a workload a userspace killer ended */
		const struct uoom_event *u = &o->uoom[wo->uoom_idx];
		json_object_set_new(j, "user_oom_event", json_integer(wo->uoom_idx));
		json_object_set_new(j, "killer", json_string(o->wl[u->killer].name));
	}
	if (wo->stall.present) /* only a workload the agent saw stalled */
		json_object_set_new(j, "stall", stall_json(&wo->stall));
	const struct workload *reg = ws->reg;
	char comm[OWNER_COMM_MAX + 1];
	const char *cc = owner_child_comm(ws, comm, sizeof comm);
	json_object_set_new(j, "child_comm", cc ? json_text(cc, strlen(cc)) : json_null());
	json_object_set_new(j, "oom_kills_of_children",
			    json_integer((json_int_t)oc->owners.kills_of_children[i]));
	if (w->exited) {
		json_t *e = json_object();
		json_object_set_new(e, "how", json_string(w->signaled ? "signaled" : "exited"));
		json_object_set_new(e, "code", w->signaled ? json_null() : json_integer(w->code));
		json_object_set_new(e, "signal", w->signaled ? json_integer(w->sig) : json_null());
		json_object_set_new(e, "maxrss_kb", int_or_null(w->maxrss_kb));
		json_object_set_new(e, "utime_us", int_or_null(w->utime_us));
		json_object_set_new(e, "stime_us", int_or_null(w->stime_us));
		json_object_set_new(e, "t_us", json_integer((json_int_t)w->t_exit_us));
		json_object_set_new(j, "exit", e);
	} else {
		json_object_set_new(j, "exit", json_null());
	}
	if (w->has_result) {
		json_t *r = json_object();
		json_object_set_new(r, "reason", json_text(w->reason, strlen(w->reason)));
		json_object_set_new(r, "bytes", int_or_null(w->result_bytes));
		json_object_set_new(r, "blocks", int_or_null(w->result_blocks));
		json_object_set_new(r, "errno", int_or_null(w->result_errno));
		json_object_set_new(j, "result", r);
	} else {
		json_object_set_new(j, "result", json_null());
	}
	if (reg && reg->user_program) { /* only a program of the user's (exec) */
		json_object_set_new(j, "ok_exit", json_integer(wl_ok_exit(cs, i)));
		json_object_set_new(j, "output", out_keep_json(&w->out));
	}
	/* The last /proc/PID/status sample before the end: VmPTE and RSS at the
	 * kill are what explain an OOM kill of a program that never wrote. */
	json_t *last = json_object();
	const struct proc_status *s = &w->last;
	int have = w->n_status > 0;
	json_object_set_new(last, "VmPeak_kb", have ? int_or_null(s->vm_peak_kb) : json_null());
	json_object_set_new(last, "VmSize_kb", have ? int_or_null(s->vm_size_kb) : json_null());
	json_object_set_new(last, "VmHWM_kb", have ? int_or_null(s->vm_hwm_kb) : json_null());
	json_object_set_new(last, "VmRSS_kb", have ? int_or_null(s->vm_rss_kb) : json_null());
	json_object_set_new(last, "RssAnon_kb", have ? int_or_null(s->rss_anon_kb) : json_null());
	json_object_set_new(last, "VmSwap_kb", have ? int_or_null(s->vm_swap_kb) : json_null());
	json_object_set_new(last, "VmPTE_kb", have ? int_or_null(s->vm_pte_kb) : json_null());
	json_object_set_new(j, "last_status", last);
	long long hwm = have ? s->vm_hwm_kb : -1;
	if (w->maxrss_kb > hwm)
		hwm = w->maxrss_kb;
	json_object_set_new(j, "vm_hwm_kb", int_or_null(hwm));
	json_object_set_new(j, "start_vmsize_kb", int_or_null(w->start_vmsize_kb >= 0 ? w->start_vmsize_kb
							   : w->n_status ? w->first.vm_size_kb : -1));
	json_object_set_new(j, "progress_mb", int_or_null(w->progress_mb));
	json_object_set_new(j, "metrics", json_deep_copy(w->metrics));
	json_object_set_new(j, "series", json_deep_copy(w->series));
	return j;
}

/* Each workload's state at guest time t_us: alive or not, and its last
 * /proc/PID/status sample before then. */
static json_t *states_at(const struct cell_obs *o, unsigned long long t_us)
{
	json_t *a = json_array();
	static const char *const cols[] = {"VmSize_kb", "VmRSS_kb", "RssAnon_kb", "VmSwap_kb",
					   "VmPTE_kb"};
	for (size_t k = 0; k < o->n_wl; k++) {
		const struct wl_obs *w = &o->wl[k];
		if (!w->spawned || w->t_spawn_us > t_us)
			continue;
		json_t *st = json_object();
		json_object_set_new(st, "workload", json_integer((json_int_t)k));
		json_object_set_new(st, "pid", json_integer(w->pid));
		json_object_set_new(st, "alive", json_boolean(!w->exited || w->t_exit_us >= t_us));
		json_t *tms = json_object_get(w->series, "t_ms");
		long last = -1;
		for (size_t i = 0; i < json_array_size(tms); i++)
			if ((unsigned long long)json_integer_value(json_array_get(tms, i)) * 1000 <= t_us)
				last = (long)i;
		json_object_set_new(st, "sample_t_ms", last >= 0 ? json_deep_copy(json_array_get(tms, (size_t)last))
							      : json_null());
		for (size_t c = 0; c < ARRAY_SIZE(cols); c++) {
			json_t *col = json_object_get(w->series, cols[c]);
			json_object_set_new(st, cols[c], last >= 0 ? json_deep_copy(json_array_get(col, (size_t)last))
								   : json_null());
		}
		json_array_append_new(a, st);
	}
	return a;
}

static json_t *pct_or_null(double v)
{
	return v >= 0 ? json_real(v) : json_null();
}

/* The last sample at or before t_ms: MemAvailable, SwapFree, PSI. */
static json_t *sample_at(const struct cell_obs *o, long long t_ms)
{
	json_t *t = json_object_get(o->series, "t_ms");
	long last = -1;
	for (size_t i = 0; i < json_array_size(t); i++)
		if (json_integer_value(json_array_get(t, i)) <= t_ms)
			last = (long)i;
	if (last < 0)
		return json_null();
	json_t *mi = json_object_get(o->series, "meminfo"), *psi = json_object_get(o->series, "psi");
	json_t *s = json_object();
	json_object_set_new(s, "t_ms", json_deep_copy(json_array_get(t, (size_t)last)));
	static const char *const mk[] = {"MemAvailable", "SwapFree"};
	for (size_t k = 0; k < ARRAY_SIZE(mk); k++) {
		char key[32];
		snprintf(key, sizeof key, "%s_kb", mk[k]);
		json_t *v = json_array_get(json_object_get(mi, mk[k]), (size_t)last);
		json_object_set_new(s, key, v ? json_deep_copy(v) : json_null());
	}
	static const char *const pk[] = {"some_avg10", "full_avg10"};
	for (size_t k = 0; k < ARRAY_SIZE(pk); k++) {
		char key[32];
		snprintf(key, sizeof key, "psi_%s", pk[k]);
		json_t *v = json_array_get(json_object_get(psi, pk[k]), (size_t)last);
		json_object_set_new(s, key, v ? json_deep_copy(v) : json_null());
	}
	return s;
}

static json_t *secs_from(unsigned long long t_us, unsigned long long t0_us)
{
	return t0_us && t_us >= t0_us ? json_real((double)(t_us - t0_us) / 1e6) : json_null();
}

/* What the userspace OOM killers did (only in a cell that runs one):
 * each kill with the memory earlyoom saw, the sample of the moment, who
 * the rule says acts first and who did. */
static json_t *user_oom_json(const struct cell_spec *cs, const struct cell_obs *o,
			     const struct cell_outcome *oc)
{
	struct uoom_in ui;
	long long tm, ts;
	char why[320];
	uoom_inputs(cs, o, &ui);
	enum uoom_first f = oracle_uoom_first(&ui, &tm, &ts, why, sizeof why);
	const struct kernlog *kl = oc->events;
	unsigned long long kernel_t = 0;
	for (size_t i = 0; i < kl->n_oom; i++)
		if (kl->oom[i].killed && (!kernel_t || kl->oom[i].ts_us < kernel_t))
			kernel_t = kl->oom[i].ts_us;
	json_t *r = json_object();
	json_object_set_new(r, "first_predicted", oracle_uoom_first_name(f) ? json_string(oracle_uoom_first_name(f)) : json_null());
	json_object_set_new(r, "rule", json_string(why));
	json_object_set_new(r, "threshold_mem_kb", json_integer(tm));
	json_object_set_new(r, "threshold_swap_kb", json_integer(ts));
	unsigned long long user_t = o->n_uoom ? o->uoom[0].t_us : 0;
	const char *first = user_t && (!kernel_t || user_t <= kernel_t) ? "earlyoom"
			    : kernel_t					  ? "kernel"
									  : NULL;
	json_object_set_new(r, "first_observed", first ? json_string(first) : json_null());
	json_object_set_new(r, "first_user_kill_s", user_t ? secs_from(user_t, o->t_first_spawn_us) : json_null());
	json_object_set_new(r, "first_kernel_kill_s", kernel_t ? secs_from(kernel_t, o->t_first_spawn_us) : json_null());
	json_t *ev = json_array();
	for (size_t i = 0; i < o->n_uoom; i++) {
		const struct uoom_event *u = &o->uoom[i];
		json_t *e = json_object();
		int victim = -1;
		for (size_t k = 0; k < o->n_wl; k++)
			if (o->wl[k].spawned && o->wl[k].pid == u->kill.pid)
				victim = (int)k;
		json_object_set_new(e, "killer", json_string(o->wl[u->killer].name));
		json_object_set_new(e, "killer_workload", json_integer(u->killer));
		json_object_set_new(e, "t_us", json_integer((json_int_t)u->t_us));
		json_object_set_new(e, "t_s", secs_from(u->t_us, o->t_first_spawn_us));
		json_object_set_new(e, "signal", json_string(u->kill.sig == 9 ? "SIGKILL" : "SIGTERM"));
		json_object_set_new(e, "victim_pid", json_integer(u->kill.pid));
		json_object_set_new(e, "victim_comm", json_text(u->kill.comm, strlen(u->kill.comm)));
		json_object_set_new(e, "victim_workload", victim >= 0 ? json_integer(victim) : json_null());
		json_object_set_new(e, "badness", json_integer(u->kill.badness));
		json_object_set_new(e, "vmrss_mb", json_integer(u->kill.rss_mib));
		json_object_set_new(e, "escalated", json_boolean(u->escalated));
		json_object_set_new(e, "exited_after_s", u->exited_after_s >= 0 ? json_real(u->exited_after_s) : json_null());
		json_object_set_new(e, "threshold_mem_percent", pct_or_null(u->term_mem_pct));
		json_object_set_new(e, "threshold_swap_percent", pct_or_null(u->term_swap_pct));
		if (u->mem.kind == EO_MEM)
			json_object_set_new(e, "seen", json_pack("{s:I,s:I,s:f,s:I,s:I,s:f}",
								 "MemAvailable_mb", (json_int_t)u->mem.mem_avail_mib,
								 "MemTotal_mb", (json_int_t)u->mem.mem_total_mib,
								 "mem_percent", u->mem.mem_pct,
								 "SwapFree_mb", (json_int_t)u->mem.swap_free_mib,
								 "SwapTotal_mb", (json_int_t)u->mem.swap_total_mib,
								 "swap_percent", u->mem.swap_pct));
		else
			json_object_set_new(e, "seen", json_null());
		json_object_set_new(e, "sample", sample_at(o, (long long)(u->t_us / 1000)));
		json_array_append_new(ev, e);
	}
	json_object_set_new(r, "events", ev);
	return r;
}

/* The cell's PSI triggers (only a cell that registers some): each with
 * how often it fired, every firing, and the time from the first workload's
 * start to the first firing next to the time to the first OOM kill (the
 * kernel's or a userspace killer's). */
static json_t *psi_triggers_json(const struct cell_spec *cs, const struct cell_obs *o,
				 const struct cell_outcome *oc)
{
	json_t *r = json_object(), *tl = json_array(), *ev = json_array();
	unsigned long long t0 = o->t_first_spawn_us, first = 0, kill = 0;
	for (size_t i = 0; i < cs->n_psi; i++) {
		long long fired = 0, err = 0;
		for (size_t k = 0; k < o->n_trig; k++)
			if (o->trig[k].id == (int)i) {
				fired += !o->trig[k].error;
				if (o->trig[k].error)
					err = o->trig[k].error;
			}
		json_t *t = json_pack("{s:I,s:s,s:I,s:I,s:I}", "id", (json_int_t)i, "kind",
				      psi_trigger_kind(&cs->psi[i]), "stall_ms", (json_int_t)cs->psi[i].stall_ms,
				      "window_ms", (json_int_t)cs->psi[i].window_ms, "fired", (json_int_t)fired);
		json_object_set_new(t, "cgroup", cs->psi[i].cgroup ? json_string(cs->psi[i].cgroup) : json_null());
		json_object_set_new(t, "error", err ? json_integer(err) : json_null());
		json_array_append_new(tl, t);
	}
	for (size_t k = 0; k < o->n_trig; k++) {
		const struct trig_event *e = &o->trig[k];
		if (e->error || e->id < 0 || (size_t)e->id >= cs->n_psi)
			continue;
		if (!first)
			first = e->t_us;
		json_array_append_new(ev, json_pack("{s:i,s:I,s:o}", "trigger", e->id, "t_us",
						    (json_int_t)e->t_us, "t_s", secs_from(e->t_us, t0)));
	}
	const struct kernlog *kl = oc->events;
	for (size_t i = 0; i < kl->n_oom; i++)
		if (kl->oom[i].killed && (!kill || kl->oom[i].ts_us < kill))
			kill = kl->oom[i].ts_us;
	for (size_t i = 0; i < o->n_uoom; i++)
		if (!kill || o->uoom[i].t_us < kill)
			kill = o->uoom[i].t_us;
	json_object_set_new(r, "triggers", tl);
	json_object_set_new(r, "events", ev);
	json_object_set_new(r, "first_trigger_s", first ? secs_from(first, t0) : json_null());
	json_object_set_new(r, "first_oom_kill_s", kill ? secs_from(kill, t0) : json_null());
	json_object_set_new(r, "before_first_kill",
			    first && kill ? json_boolean(first < kill) : first ? json_true() : json_null());
	return r;
}

static json_t *obj_or_null(json_t *j)
{
	return j ? json_deep_copy(j) : json_null();
}

json_t *report_cell(const struct cell_spec *cs, const struct cell_obs *o,
		    const struct cell_outcome *oc, const struct cell_ctx *cx)
{
	json_t *r = json_object();
	json_object_set_new(r, "format", json_string(CELL_FORMAT));
	json_object_set_new(r, "tool", buildid_tool_json());
	json_object_set_new(r, "run_id", json_string(cx->run_id));
	json_object_set_new(r, "cell", json_pack("{s:s,s:s,s:I}", "id", cs->id, "name", cs->name, "index",
						 (json_int_t)cx->index));

	json_t *k = json_object();
	const struct kernel_info *ki = cx->kernel;
	json_object_set_new(k, "package", str_or_null(ki ? ki->package : NULL));
	json_object_set_new(k, "image", str_or_null(ki ? ki->image : NULL));
	json_object_set_new(k, "modules_dir", str_or_null(ki ? ki->modules_dir : NULL));
	json_object_set_new(k, "release_host", str_or_null(ki ? ki->release : NULL));
	json_t *hr = o->hello ? json_object_get(o->hello, "release") : NULL;
	json_t *hv = o->hello ? json_object_get(o->hello, "version") : NULL;
	json_object_set_new(k, "release", hr ? json_deep_copy(hr) : json_null());
	json_object_set_new(k, "version", hv ? json_deep_copy(hv) : json_null());
	json_object_set_new(k, "config", kernelconf_json(ki ? ki->config : NULL));
	json_object_set_new(r, "kernel", k);

	json_t *vm = json_object();
	json_object_set_new(vm, "accel", str_or_null(cx->accel));
	json_object_set_new(vm, "ram_mb", json_integer(cs->ram_mb));
	json_object_set_new(vm, "swap_mb", json_integer(cs->swap_mb));
	json_object_set_new(vm, "cpus", json_integer(cs->cpus));
	json_object_set_new(vm, "cmdline", str_or_null(cx->append));
	json_object_set_new(vm, "timeout_s", json_integer(cs->timeout_s));
	json_object_set_new(vm, "sample_ms", json_integer(cs->sample_ms));
	json_object_set_new(vm, "mode", json_string(cs->sequence ? "sequence" : "together"));
	json_object_set_new(r, "vm", vm);

	json_object_set_new(r, "requested", json_deep_copy(cs->requested));
	json_object_set_new(r, "knobs", json_deep_copy(o->knobs));
	json_object_set_new(r, "swap", obj_or_null(o->swap));
	json_object_set_new(r, "hello", obj_or_null(o->hello));

	json_object_set_new(r, "status", json_string(cell_status_name(oc->status)));
	json_object_set_new(r, "verdict", json_string(verdict_name(oc->verdict)));
	json_object_set_new(r, "verdict_reason", json_string(oc->why));
	json_object_set_new(r, "harness_error", str_or_null(cx->harness_error));

	json_t *wls = json_array();
	for (size_t i = 0; i < cs->n_wl; i++)
		json_array_append_new(wls, workload_json(cs, o, oc, i));
	json_object_set_new(r, "workloads", wls);

	const struct kernlog *kl = oc->events;
	json_t *ev = json_array();
	json_t *order = json_array();
	for (size_t i = 0; i < kl->n_oom; i++) {
		json_t *e = oom_json(&kl->oom[i]);
		int victim = oc->owners.ev[i].victim_workload;
		int owner = oc->owners.ev[i].victim_child_of;
		json_object_set_new(e, "victim_workload", victim >= 0 ? json_integer(victim) : json_null());
		json_object_set_new(e, "victim_child_of", owner >= 0 ? json_integer(owner) : json_null());
		if (victim >= 0 && kl->oom[i].killed)
			json_array_append_new(order, json_integer(victim));
		json_object_set_new(e, "states", states_at(o, kl->oom[i].ts_us));
		json_array_append_new(ev, e);
	}
	json_object_set_new(r, "oom_events", ev);
	json_object_set_new(r, "victim_order", order);
	struct oom_episodes eps;
	episodes_judge(kl, &oc->owners, &eps);
	json_object_set_new(r, "oom_episodes", episodes_json(kl, &eps));
	episodes_free(&eps);
	struct uoom_in ui;
	uoom_inputs(cs, o, &ui);
	if (ui.present) /* only a cell that runs a userspace OOM killer */
		json_object_set_new(r, "user_oom", user_oom_json(cs, o, oc));
	if (cs->n_psi) /* only a cell that registers PSI triggers */
		json_object_set_new(r, "psi_triggers", psi_triggers_json(cs, o, oc));
	json_t *af = json_array();
	for (size_t i = 0; i < kl->n_af; i++)
		json_array_append_new(af, af_json(&kl->af[i]));
	json_object_set_new(r, "alloc_failures", af);
	json_object_set_new(r, "findings", findings_json(&oc->findings));
	json_t *klj = json_object();
	int panic = o->klog.panic || o->console.panic;
	const char *pm = o->klog.panic ? o->klog.panic_msg : o->console.panic_msg;
	json_object_set_new(klj, "source", json_string(kl == &o->klog ? "kmsg" : "console"));
	json_object_set_new(klj, "panic", json_boolean(panic));
	json_object_set_new(klj, "panic_msg", panic ? json_text(pm, strlen(pm)) : json_null());
	json_object_set_new(klj, "oops", json_integer(o->klog.n_oops > o->console.n_oops ? o->klog.n_oops : o->console.n_oops));
	json_object_set_new(klj, "warnings", json_integer(o->klog.n_warn > o->console.n_warn ? o->klog.n_warn : o->console.n_warn));
	json_object_set_new(klj, "kmsg_records", json_integer((json_int_t)o->n_kmsg));
	json_object_set_new(r, "kernel_log", klj);

	json_object_set_new(r, "meminfo_start", obj_or_null(o->meminfo_start));
	json_object_set_new(r, "meminfo_end", obj_or_null(o->meminfo_end));
	json_object_set_new(r, "vmstat_start", obj_or_null(o->vmstat_start));
	json_object_set_new(r, "vmstat_end", obj_or_null(o->vmstat_end));
	json_object_set_new(r, "zswap_start", obj_or_null(o->zswap_start));
	json_object_set_new(r, "zswap_end", obj_or_null(o->zswap_end));
	json_t *commit = json_object();
	json_t *cl = o->meminfo_start ? json_object_get(o->meminfo_start, "CommitLimit") : NULL;
	json_t *ca = o->meminfo_start ? json_object_get(o->meminfo_start, "Committed_AS") : NULL;
	json_object_set_new(commit, "CommitLimit_kb", cl ? json_deep_copy(cl) : json_null());
	json_object_set_new(commit, "Committed_AS_kb", ca ? json_deep_copy(ca) : json_null());
	json_object_set_new(r, "commit_at_start", commit);
	json_object_set_new(r, "series", json_deep_copy(o->series));
	json_t *cg = cg_report(cs, o->cgroups, o->knobs);
	if (cg) /* only a cell with memory cgroups has the key */
		json_object_set_new(r, "cgroups", cg);

	json_t *t = json_object();
	json_object_set_new(t, "wall_s", json_real(cx->wall_s));
	json_object_set_new(t, "boot_s", o->have_hello ? json_real((double)o->t_first_us / 1e6) : json_null());
	double run_s = o->t_first_spawn_us && o->t_last_exit_us > o->t_first_spawn_us
			       ? (double)(o->t_last_exit_us - o->t_first_spawn_us) / 1e6
			       : -1;
	json_object_set_new(t, "run_s", run_s >= 0 ? json_real(run_s) : json_null());
	json_object_set_new(t, "guest_s", o->t_last_us ? json_real((double)o->t_last_us / 1e6) : json_null());
	json_object_set_new(r, "timings", t);

	json_t *st = json_object();
	json_object_set_new(st, "records", json_integer((json_int_t)o->stats.records));
	json_object_set_new(st, "bad", json_integer((json_int_t)o->stats.bad));
	json_object_set_new(st, "skipped_bytes", json_integer((json_int_t)o->stats.skipped_bytes));
	json_object_set_new(st, "truncated", json_boolean(o->stats.truncated));
	json_object_set_new(st, "seq_gaps", json_integer((json_int_t)o->seq_gaps));
	json_object_set_new(st, "samples", json_integer((json_int_t)o->n_samples));
	json_object_set_new(st, "bye", o->have_bye ? json_string(o->bye_reason) : json_null());
	json_object_set_new(r, "stream", st);
	json_object_set_new(r, "agent_log", json_deep_copy(o->agent_log));
	json_object_set_new(r, "console_tail", cx->console_tail ? json_text(cx->console_tail, strlen(cx->console_tail)) : json_null());
	json_t *files = json_pack("{s:s,s:s}", "console", cx->console_file, "stream", cx->stream_file);
	/* only a port that printed more than its cap: a normal cell's report
	 * has no such key */
	if (cx->console_dropped || cx->stream_dropped)
		json_object_set_new(files, "dropped", json_pack("{s:I,s:I}", "console", (json_int_t)cx->console_dropped,
								"stream", (json_int_t)cx->stream_dropped));
	json_object_set_new(r, "files", files);
	return r;
}
