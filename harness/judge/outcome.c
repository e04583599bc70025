// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/outcome.h"
#include "judge/deadline.h"
#include "judge/firstkill.h"
#include "judge/memcg.h"
#include "plan/knobs.h"
#include "plan/wlreg.h"
#include "workloads/wl.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Knob value as the guest read it back, else as requested, else def. */
static long long knob_value(const struct cell_spec *cs, const struct cell_obs *o,
			    const char *name, long long def)
{
	size_t n = o && o->knobs ? json_array_size(o->knobs) : 0;
	for (size_t i = 0; i < n; i++) {
		json_t *k = json_array_get(o->knobs, i);
		const char *kn = json_string_value(json_object_get(k, "name"));
		const char *got = json_string_value(json_object_get(k, "got"));
		long long v;
		if (kn && got && !strcmp(kn, name) && parse_ll(got, &v) == 0)
			return v;
	}
	json_t *req = json_object_get(cs->requested, name);
	if (json_is_integer(req))
		return json_integer_value(req);
	return def;
}

static long long meminfo_kb(const struct cell_obs *o, const char *key)
{
	json_t *v = o->meminfo_start ? json_object_get(o->meminfo_start, key) : NULL;
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* The fastest fall of MemAvailable + SwapFree between two samples whose
 * later one is at or below band kB, in kB per ms (-1: none). */
static double fill_rate(const struct cell_obs *o, long long band)
{
	json_t *t = json_object_get(o->series, "t_ms");
	json_t *mi = json_object_get(o->series, "meminfo");
	json_t *ma = json_object_get(mi, "MemAvailable"), *sf = json_object_get(mi, "SwapFree");
	double best = -1;
	for (size_t i = 1; i < json_array_size(t) && i < json_array_size(ma); i++) {
		json_t *a0 = json_array_get(ma, i - 1), *a1 = json_array_get(ma, i);
		if (!json_is_integer(a0) || !json_is_integer(a1))
			continue;
		long long s0 = json_integer_value(json_array_get(sf, i - 1));
		long long s1 = json_integer_value(json_array_get(sf, i));
		long long dt = json_integer_value(json_array_get(t, i)) - json_integer_value(json_array_get(t, i - 1));
		double fall = (double)(json_integer_value(a0) + s0 - json_integer_value(a1) - s1);
		if (json_integer_value(a1) + s1 > band)
			continue;
		if (dt > 0 && fall / (double)dt > best)
			best = fall / (double)dt;
	}
	return best;
}

/* A userspace OOM killer running beside the others (together). */
void uoom_inputs(const struct cell_spec *cs, const struct cell_obs *o, struct uoom_in *u)
{
	memset(u, 0, sizeof *u);
	for (size_t i = 0; !cs->sequence && i < cs->n_wl; i++) {
		const struct wl_spec *k = &cs->wl[i];
		if (!k->reg || !collect_is_user_killer(k->reg->name))
			continue;
		u->present = 1;
		u->mem_total_kb = meminfo_kb(o, "MemTotal");
		u->swap_total_kb = meminfo_kb(o, "SwapTotal");
		u->mem_percent = wl_option_value(k->reg, k->options, "mem-percent");
		u->swap_percent = wl_option_value(k->reg, k->options, "swap-percent");
		u->mem_kb = wl_option_value(k->reg, k->options, "mem-kb");
		u->swap_kb = wl_option_value(k->reg, k->options, "swap-kb");
		long long tm, ts;
		oracle_uoom_thresholds(u, &tm, &ts);
		u->fill_kb_per_ms = fill_rate(o, tm + ts);
		if (u->fill_kb_per_ms < 0) {
			/* no two samples inside the margin: the fastest fall
			 * anywhere bounds the fall inside it */
			u->fill_kb_per_ms = fill_rate(o, LLONG_MAX);
			u->fill_is_bound = u->fill_kb_per_ms >= 0;
		}
		return;
	}
}

void oracle_inputs(const struct cell_spec *cs, const struct cell_obs *o, size_t w,
		   struct oracle_in *in)
{
	const struct wl_spec *ws = &cs->wl[w];
	memset(in, 0, sizeof *in);
	in->overcommit_memory = (int)knob_value(cs, o, "overcommit_memory", 0);
	in->panic_on_oom = (int)knob_value(cs, o, "panic_on_oom", 0);
	in->mem_total_kb = meminfo_kb(o, "MemTotal");
	in->mem_available_kb = meminfo_kb(o, "MemAvailable");
	in->swap_total_kb = meminfo_kb(o, "SwapTotal");
	in->commit_limit_kb = meminfo_kb(o, "CommitLimit");
	in->committed_as_kb = meminfo_kb(o, "Committed_AS");
	long long cpus;
	const char *hc = o->hello ? json_string_value(json_object_get(o->hello, "cpus")) : NULL;
	in->cpus = hc && parse_ll(hc, &cpus) == 0 && cpus > 0 ? (int)cpus : (int)cs->cpus;
	in->n_workloads = cs->n_wl;
	in->sequence = cs->sequence;
	in->all_immune = 1;
	for (size_t i = 0; i < cs->n_wl; i++) {
		if (cs->wl[i].oom_score_adj != -1000)
			in->all_immune = 0;
		else
			in->some_immune = 1;
	}
	in->immune = ws->oom_score_adj == -1000;
	in->wl = ws->reg;
	in->block_kb = wl_option_value(ws->reg, ws->options, "block-kb");
	in->max_mb = wl_option_value(ws->reg, ws->options, "max-mb");
	if (in->max_mb < 0)
		in->max_mb = 0;
	in->rlimit_as_mb = ws->rlimit_as_mb == KNOB_UNSET ? 0 : ws->rlimit_as_mb;
	in->size_mb =
		ws->reg->size_opt ? wl_option_value(ws->reg, ws->options, ws->reg->size_opt) : 0;
	in->frag_count = wl_option_value(ws->reg, ws->options, "count");
	in->frag_size_kb = wl_option_value(ws->reg, ws->options, "size-kb");
	in->frag_pattern = wl_option_word(ws->reg, ws->options, "pattern");
	in->frag_mmap_threshold_kb = wl_option_value(ws->reg, ws->options, "mmap-threshold");
	in->frag_trim_threshold_kb = wl_option_value(ws->reg, ws->options, "trim-threshold");
	/* in sequence, workloads that keep their memory after they exit
	 * (keep_opt non-zero) still hold it while later workloads run */
	for (size_t i = 0; cs->sequence && i < w; i++) {
		const struct workload *e = cs->wl[i].reg;
		if (e->keep_opt && wl_option_value(e, cs->wl[i].options, e->keep_opt) != 0)
			in->held_kb += wl_option_value(e, cs->wl[i].options, e->size_opt) * 1024;
	}
	in->start_vmsize_kb = w < o->n_wl ? o->wl[w].start_vmsize_kb : -1;
}

/* An enum knob that was written reads back its choice: alone (zswap's
 * "lz4"), in brackets among the others (THP's "always [madvise] never"),
 * or in the words its row's reads_back gives (lru_gen "n" as "0x0000").
 * Other knobs read back in their kernel's words (zswap_enabled 1 as "Y"):
 * not checked. */
static int enum_reads_back(json_t *k)
{
	const char *name = json_string_value(json_object_get(k, "name"));
	const struct knob *row = name ? knob_find(name) : NULL;
	const char *want = json_string_value(json_object_get(k, "want"));
	const char *got = json_string_value(json_object_get(k, "got"));
	if (!row || row->type != KNOB_ENUM || !want || !got)
		return 1;
	if (row->reads_back) {
		for (size_t i = 0; row->choices[i]; i++)
			if (!strcmp(row->choices[i], want))
				return !row->reads_back[i] || !strcmp(got, row->reads_back[i]);
		return 1;
	}
	if (!strcmp(got, want))
		return 1;
	char *br = xasprintf("[%s]", want);
	int ok = strstr(got, br) != NULL;
	free(br);
	return ok;
}

static int find_oom(const struct kernlog *kl, int pid)
{
	for (size_t i = 0; i < kl->n_oom; i++)
		if (kl->oom[i].victim_pid == pid && kl->oom[i].killed)
			return (int)i;
	return -1;
}

static double mib(long long kb)
{
	return (double)kb / 1024.0;
}

/* The userspace OOM killer's event that signalled pid before t_us, -1. */
static int find_uoom(const struct cell_obs *o, int pid, unsigned long long t_us)
{
	for (size_t i = 0; i < o->n_uoom; i++)
		if (o->uoom[i].kill.pid == pid && o->uoom[i].t_us <= t_us)
			return (int)i;
	return -1;
}

long long wl_ok_exit(const struct cell_spec *cs, size_t i)
{
	const struct workload *r = cs->wl[i].reg;
	if (!r || !r->ok_exit_opt)
		return -1;
	return wl_option_value(r, cs->wl[i].options, r->ok_exit_opt);
}

int wl_failed_code(const struct cell_spec *cs, size_t i, int code)
{
	long long ok = wl_ok_exit(cs, i);
	return ok >= 0 && code != ok;
}

static void wl_endpoint(const struct cell_spec *cs, const struct cell_obs *o, const struct kernlog *kl,
			enum cell_status status, size_t i, struct wl_outcome *wo)
{
	const struct wl_obs *w = &o->wl[i];
	wo->oom_idx = -1;
	wo->uoom_idx = -1;
	wo->mb_reached = -1;
	wo->mb_source = "none";
	if (w->exited && w->signaled) {
		wo->oom_idx = w->sig == SIGKILL ? find_oom(kl, w->pid) : -1;
		if (wo->oom_idx < 0 && (w->sig == SIGTERM || w->sig == SIGKILL))
			wo->uoom_idx = find_uoom(o, w->pid, w->t_exit_us);
		if (wo->oom_idx >= 0)
			wo->endpoint = EP_OOM_KILLED;
		else if (wo->uoom_idx >= 0)
			wo->endpoint = EP_USER_OOM_KILLED;
		else if (w->sig == SIGKILL && w->has_stall && w->stall_limit)
			wo->endpoint = EP_STALLED; /* the agent killed it at the stall limit */
		else if (w->sig == SIGKILL && status == CS_TIMEOUT)
			wo->endpoint = EP_TIMEOUT; /* the agent killed it at the deadline */
		else
			wo->endpoint = EP_KILLED;
	} else if (w->exited && wl_failed_code(cs, i, w->code)) {
		wo->endpoint = EP_FAILED;
	} else if (w->exited) {
		wo->endpoint = w->has_result && !strcmp(w->reason, "enomem") ? EP_ENOMEM : EP_EXIT;
	} else {
		wo->endpoint = cell_status_table[status].unfinished;
	}
	stall_measure(o, i, wo->endpoint, wo->oom_idx >= 0 ? kl->oom[wo->oom_idx].ts_us : 0, &wo->stall);
	/* MB reached: the workload's own count when it said it, else the
	 * victim's total-vm in the OOM report less its size at start (as the
	 * workload reported it; else the first status sample), else the last
	 * sample, else its last progress line. */
	long long base_kb = w->start_vmsize_kb >= 0 ? w->start_vmsize_kb
			    : w->n_status	    ? w->first.vm_size_kb
						    : -1;
	if (w->has_result && w->result_bytes >= 0) {
		wo->mb_reached = (double)w->result_bytes / (1024.0 * 1024.0);
		wo->mb_source = "result";
	} else if (cs->wl[i].reg && cs->wl[i].reg->user_program && w->progress_mb >= 0) {
		/* a program of the user's that counts its memory: its count */
		wo->mb_reached = (double)w->progress_mb;
		wo->mb_source = "progress";
	} else if (cs->wl[i].reg && cs->wl[i].reg->mem == WL_MEM_KERNEL) {
		/* kernel memory (kmem): its address space says nothing of it
		 * (a page-table filler maps terabytes), only its own count */
		if (w->progress_mb >= 0) {
			wo->mb_reached = (double)w->progress_mb;
			wo->mb_source = "progress";
		}
	} else if (wo->oom_idx >= 0 && kl->oom[wo->oom_idx].total_vm_kb >= 0) {
		wo->mb_reached = mib(kl->oom[wo->oom_idx].total_vm_kb - (base_kb > 0 ? base_kb : 0));
		wo->mb_source = base_kb >= 0 ? "oom_total_vm_minus_start" : "oom_total_vm";
		/* a workload that writes files (tmpfs, shm by write) fills memory
		 * its total-vm does not show: its own progress count is more */
		if (w->progress_mb > wo->mb_reached) {
			wo->mb_reached = (double)w->progress_mb;
			wo->mb_source = "progress";
		}
	} else if (w->n_status >= 1 && base_kb >= 0) {
		wo->mb_reached = mib(w->last.vm_size_kb - base_kb);
		wo->mb_source = "last_sample";
	} else if (w->progress_mb >= 0) {
		wo->mb_reached = (double)w->progress_mb;
		wo->mb_source = "progress";
	}
}

static void worse(enum verdict *v, enum verdict x)
{
	if (x > *v)
		*v = x;
}

void outcome_compute(const struct cell_spec *cs, const struct cell_obs *o,
		     const struct vm_result *vr, struct cell_outcome *out)
{
	memset(out, 0, sizeof *out);
	out->n_wl = cs->n_wl;
	out->wl = xcalloc(cs->n_wl ? cs->n_wl : 1, sizeof *out->wl);
	out->events = o->klog.n_oom || !o->console.n_oom ? &o->klog : &o->console;
	owners_judge(cs, o, out->events, &out->owners);
	int panic = o->klog.panic || o->console.panic;

	/* No hello from the agent means the guest never got to run the cell:
	 * never blamed on the kernel's memory behaviour (BROK). A panic on
	 * the way (during the boot, or after a restore that went wrong every
	 * time) is said as one, with its message; anything else is a boot
	 * failure. */
	if (vr->interrupted)
		out->status = CS_INTERRUPTED;
	else if (!o->have_hello)
		out->status = panic ? CS_BOOT_PANIC : CS_BOOT_ERROR;
	else if (panic)
		out->status = CS_VM_PANIC;
	else if (vr->timed_out || (o->have_bye && !strcmp(o->bye_reason, "deadline")))
		out->status = CS_TIMEOUT;
	else if (!o->have_bye)
		out->status = CS_VM_LOST;
	else
		out->status = CS_OK;

	/* the kernel's findings, from the log the OOM events come from (kmsg
	 * when it had records, else the console), with the console's for the
	 * titles the kmsg lacks when the VM panicked or was lost: what the
	 * kernel printed while the agent could no longer forward it */
	const struct kernlog *flog = out->events == &o->console || !o->n_kmsg ? &o->console : &o->klog;
	cell_findings_collect(cs, &flog->findings,
			      flog == &o->klog && (panic || !o->have_bye) ? &o->console.findings : NULL,
			      &out->findings);
	cell_findings_excuse_victims(&out->findings, out->events);
	cell_findings_excuse_no_reclaim(&out->findings, out->events);

	/* a status that leaves nothing to judge makes the cell BROK */
	const struct cell_status_row *cst = &cell_status_table[out->status];
	out->verdict = cst->verdict;
	struct buf why = {0};
	const char *pmsg = o->klog.panic ? o->klog.panic_msg : o->console.panic_msg;
	if (out->status == CS_BOOT_PANIC)
		buf_printf(&why, "%s: %s (see console_tail); ", cst->why, pmsg);
	else if (cst->verdict != V_PASS)
		buf_printf(&why, "%s; ", cst->why);
	if (o->have_bye && !strcmp(o->bye_reason, "error")) {
		worse(&out->verdict, V_BROK);
		buf_printf(&why, "the agent reported an error (see agent_log); ");
	}
	if (o->swap) {
		const char *st = json_string_value(json_object_get(o->swap, "status"));
		if (!st || strcmp(st, "ok")) {
			worse(&out->verdict, V_BROK);
			buf_printf(&why, "swap setup failed; ");
		}
	} else if (cs->swap_mb > 0 && o->have_hello) {
		worse(&out->verdict, V_BROK);
		buf_printf(&why, "swap was asked for but not reported; ");
	}
	for (size_t i = 0; i < json_array_size(o->knobs); i++) {
		json_t *k = json_array_get(o->knobs, i);
		const char *st = json_string_value(json_object_get(k, "status"));
		const char *nm = json_string_value(json_object_get(k, "name"));
		if (st && (!strcmp(st, "default") || !strcmp(st, "absent")))
			continue; /* only read, not asked for */
		if (st && !strcmp(st, "ok") && !enum_reads_back(k)) {
			/* written, but the kernel put another value in force:
			 * 6.12 takes a zswap compressor it lacks while zswap is
			 * off and falls back to its default when it is enabled */
			worse(&out->verdict, V_BROK);
			buf_printf(&why, "knob %s reads back %s, not %s; ", nm ? nm : "?",
				   json_string_value(json_object_get(k, "got")),
				   json_string_value(json_object_get(k, "want")));
		} else if (st && !strcmp(st, "skip")) {
			worse(&out->verdict, V_SKIP);
			buf_printf(&why, "knob %s is not supported by this kernel; ", nm ? nm : "?");
		} else if (!st || strcmp(st, "ok")) {
			/* the kernel's refusal, as the write's errno (its own
			 * words, e.g. zswap's "compressor 842 not available",
			 * are in the kernel log) */
			const char *want = json_string_value(json_object_get(k, "want"));
			const char *err = json_string_value(json_object_get(k, "err"));
			worse(&out->verdict, V_BROK);
			buf_printf(&why, "knob %s could not be set", nm ? nm : "?");
			if (want && err)
				buf_printf(&why, " to %s: %s", want, err);
			buf_printf(&why, "; ");
		}
	}
	/* A broken or skipped cell is not judged on its workloads. */
	int judge = out->verdict == V_PASS;
	for (size_t i = 0; i < cs->n_wl; i++) {
		struct wl_outcome *wo = &out->wl[i];
		wl_endpoint(cs, o, out->events, out->status, i, wo);
		if (cs->wl[i].expect) {
			wo->pred.known = 1;
			wo->pred.endpoints[0] = cs->wl[i].expect;
			wo->pred.n_endpoints = 1;
			wo->pred.mb_min = wo->pred.mb_max = -1;
			wo->pred.waste_min = wo->pred.waste_max = -1; /* endpoint only */
			for (size_t k = 0; k < ORACLE_MAX_ENDPOINTS; k++)
				wo->pred.own_min[k] = -1;
			snprintf(wo->pred.rule, sizeof wo->pred.rule, "expect in the matrix file");
		} else {
			struct oracle_in in;
			struct oracle_cg cg;
			struct uoom_in ui = {0};
			oracle_inputs(cs, o, i, &in);
			memcg_oracle_inputs(cs, o, i, &cg);
			if (!collect_is_user_killer(cs->wl[i].reg->name))
				uoom_inputs(cs, o, &ui);
			oracle_predict_all(&in, &cg, &ui, &wo->pred);
		}
		if (!judge) {
			wo->verdict = out->verdict;
			snprintf(wo->why, sizeof wo->why, "cell is %s", verdict_name(out->verdict));
		} else if (wo->endpoint == EP_VM_LOST) {
			wo->verdict = V_BROK;
			snprintf(wo->why, sizeof wo->why, "no end reported for this workload");
		} else if (oracle_agrees(&wo->pred, endpoint_name(wo->endpoint), wo->mb_reached, wo->why,
					 sizeof wo->why)) {
			/* and the heap's waste, when the model predicts it */
			json_t *wr = json_object_get(o->wl[i].metrics, "waste_ratio");
			wo->verdict = wo->endpoint != EP_EXIT || !json_is_number(wr) ||
					      oracle_agrees_waste(&wo->pred, json_number_value(wr), wo->why,
								  sizeof wo->why)
					      ? V_PASS
					      : V_FAIL;
		} else if (wo->endpoint == EP_FAILED) {
			/* the program said it failed: its code, and what it said last */
			wo->verdict = V_FAIL;
			char last[120];
			out_keep_last_line(&o->wl[i].out, last, sizeof last);
			snprintf(wo->why, sizeof wo->why,
				 "failed: exit code %d, not ok_exit %lld; predicted %s; its last line: %s",
				 o->wl[i].code, wl_ok_exit(cs, i),
				 wo->pred.known ? wo->pred.endpoints[0] : "nothing", last[0] ? last : "(none)");
		} else if (wo->endpoint == EP_STALLED) {
			/* a kernel result the oracle never predicts */
			const struct stall_report *st = &wo->stall;
			wo->verdict = V_FAIL;
			snprintf(wo->why, sizeof wo->why,
				 "stalled: no progress for %.1f s under memory pressure (PSI full avg10 up to "
				 "%.2f); predicted %s",
				 st->length_s, st->psi_full_max,
				 wo->pred.known ? wo->pred.endpoints[0] : "nothing");
		} else if (wo->endpoint == EP_TIMEOUT) {
			/* still growing at the deadline: the host was too slow */
			const struct wl_obs *w = &o->wl[i];
			struct deadline_evidence ev;
			char oracle_why[sizeof wo->why];
			snprintf(oracle_why, sizeof oracle_why, "%s", wo->why);
			deadline_evidence(w, w->exited ? w->t_exit_us : o->t_last_us, &ev);
			if (!o->n_samples)
				ev.finding = DEADLINE_NO_EVIDENCE;
			wo->verdict = deadline_verdict(&ev, wo->mb_reached, oracle_why, wo->why,
						       sizeof wo->why);
		} else {
			wo->verdict = V_FAIL;
		}
		if (judge) {
			worse(&out->verdict, wo->verdict);
			if (wo->verdict != V_PASS)
				buf_printf(&why, "workload %zu (%s): %s; ", i, cs->wl[i].name, wo->why);
		}
	}
	/* together: what they all held at the first OOM kill (firstkill.h);
	 * not when a workload pins kernel memory (kmem): no sample shows it */
	int kernel_mem = 0;
	for (size_t i = 0; i < cs->n_wl; i++)
		kernel_mem |= cs->wl[i].reg && cs->wl[i].reg->mem == WL_MEM_KERNEL;
	if (judge && !cs->sequence && cs->n_wl > 1 && !kernel_mem && !knob_value(cs, o, "panic_on_oom", 0)) {
		int *killed = xcalloc(2 * cs->n_wl, sizeof *killed), *keeps = killed + cs->n_wl;
		for (size_t i = 0; i < cs->n_wl; i++) {
			const struct workload *r = cs->wl[i].reg;
			/* a memory cgroup's OOM kill is its group's, not the VM's */
			int oi = out->wl[i].oom_idx;
			killed[i] = out->wl[i].endpoint == EP_OOM_KILLED && !cs->wl[i].expect &&
				    !(oi >= 0 && out->events->oom[oi].oom_memcg[0]);
			keeps[i] = r->keep_opt && wl_option_value(r, cs->wl[i].options, r->keep_opt) != 0;
		}
		struct first_kill fk;
		first_kill_measure(o, killed, keeps, cs->n_wl, &fk);
		free(killed);
		struct wl_outcome *v = fk.found ? &out->wl[fk.victim] : NULL;
		if (v && v->verdict == V_PASS &&
		    first_kill_verdict(&fk, v->why, sizeof v->why) == V_FAIL) {
			v->verdict = V_FAIL;
			worse(&out->verdict, V_FAIL);
			buf_printf(&why, "workload %zu (%s): %s; ", fk.victim, cs->wl[fk.victim].name, v->why);
		}
	}
	/* together, overcommit_memory=2: what they all had committed at the
	 * first ENOMEM rule 3 gives them (firstkill.h) */
	if (judge && !cs->sequence && cs->n_wl > 1 && knob_value(cs, o, "overcommit_memory", 0) == 2) {
		int *refused = xcalloc(2 * cs->n_wl, sizeof *refused), *keeps = refused + cs->n_wl;
		for (size_t i = 0; i < cs->n_wl; i++) {
			const struct workload *r = cs->wl[i].reg;
			refused[i] = out->wl[i].endpoint == EP_ENOMEM && !cs->wl[i].expect &&
				     r->mem == WL_MEM_MALLOC && !r->bits32 &&
				     cs->wl[i].rlimit_as_mb == KNOB_UNSET;
			keeps[i] = r->keep_opt && wl_option_value(r, cs->wl[i].options, r->keep_opt) != 0;
		}
		struct first_enomem fe;
		first_enomem_measure(o, refused, keeps, cs->n_wl, &fe);
		free(refused);
		struct wl_outcome *v = fe.found ? &out->wl[fe.first] : NULL;
		if (v && v->verdict == V_PASS &&
		    first_enomem_verdict(&fe, v->why, sizeof v->why) == V_FAIL) {
			v->verdict = V_FAIL;
			worse(&out->verdict, V_FAIL);
			buf_printf(&why, "workload %zu (%s): %s; ", fe.first, cs->wl[fe.first].name,
				   v->why);
		}
	}
	/* memory cgroups: the group's OOM stays in it, at the limit read
	 * back; memory.oom.group kills the whole group; memory.low/min keep a
	 * group resident (memcg.h) */
	if (judge && cs->n_cg) {
		int *oi = xcalloc(2 * (cs->n_wl ? cs->n_wl : 1), sizeof *oi), *thr = oi + (cs->n_wl ? cs->n_wl : 1);
		for (size_t i = 0; i < cs->n_wl; i++) {
			oi[i] = out->wl[i].oom_idx;
			thr[i] = out->wl[i].pred.throttled && out->wl[i].endpoint == EP_EXIT && !cs->wl[i].expect;
		}
		size_t culprit = 0;
		char mwhy[sizeof out->wl[0].why];
		if (!memcg_check(cs, o, out->events, &out->owners, oi, thr, &culprit, mwhy, sizeof mwhy) &&
		    culprit < cs->n_wl && !cs->wl[culprit].expect && out->wl[culprit].verdict == V_PASS) {
			struct wl_outcome *v = &out->wl[culprit];
			snprintf(v->why, sizeof v->why, "%s", mwhy);
			v->verdict = V_FAIL;
			worse(&out->verdict, V_FAIL);
			buf_printf(&why, "workload %zu (%s): %s; ", culprit, cs->wl[culprit].name, v->why);
		}
		free(oi);
	}
	/* a userspace OOM killer: who acted first is who the rule says
	 * (oracle.h, oracle_uoom_first), unless it calls it a race */
	struct uoom_in ui;
	uoom_inputs(cs, o, &ui);
	if (judge && ui.present) {
		long long tm, ts;
		char rule[320];
		enum uoom_first f = oracle_uoom_first(&ui, &tm, &ts, rule, sizeof rule);
		unsigned long long kt = 0;
		int kv = -1, uv = -1;
		for (size_t i = 0; i < out->events->n_oom; i++)
			if (out->events->oom[i].killed && (!kt || out->events->oom[i].ts_us < kt)) {
				kt = out->events->oom[i].ts_us;
				kv = out->owners.ev[i].victim_workload;
			}
		unsigned long long ut = o->n_uoom ? o->uoom[0].t_us : 0;
		for (size_t k = 0; ut && k < o->n_wl; k++)
			if (o->wl[k].spawned && o->wl[k].pid == o->uoom[0].kill.pid)
				uv = (int)k;
		enum uoom_first seen = ut && (!kt || ut <= kt) ? UF_USER : kt ? UF_KERNEL : UF_NONE;
		int victim = seen == UF_USER ? uv : kv;
		if ((f == UF_USER || f == UF_KERNEL) && seen != UF_NONE && seen != f && victim >= 0 &&
		    out->wl[victim].verdict == V_PASS) {
			struct wl_outcome *v = &out->wl[victim];
			v->verdict = V_FAIL;
			snprintf(v->why, sizeof v->why, "%s acted first, predicted %s (%.200s)",
				 oracle_uoom_first_name(seen), oracle_uoom_first_name(f), rule);
			worse(&out->verdict, V_FAIL);
			buf_printf(&why, "workload %d (%s): %s; ", victim, cs->wl[victim].name, v->why);
		}
	}
	/* a workload the agent ended at its stall limit is a finding too
	 * (docs/findings.md#stalls), at the stall's start; one that expects
	 * its stall allows it. A shorter stall that something else ended is
	 * reported with its workload, not as a finding. */
	for (size_t i = 0; i < out->n_wl && i < cs->n_wl; i++) {
		if (out->wl[i].endpoint != EP_STALLED)
			continue;
		char title[FINDING_TITLE_MAX];
		snprintf(title, sizeof title, "stall in %s", cs->wl[i].name);
		const char *e = cs->wl[i].expect;
		int expected = e && !strcmp(e, endpoint_name(EP_STALLED));
		cell_findings_add(&out->findings, cs, FK_STALL, title,
				  out->wl[i].stall.present ? out->wl[i].stall.t_start_us : 0,
				  expected ? "expect: stalled" : NULL);
	}
	/* kernel findings (judge/findings.h; a judged one, as a stall, is
	 * added before this): one the cell does not allow fails it, and its
	 * title comes first in the reason */
	struct buf all = {0}, fwhy = {0};
	int brok = out->verdict == V_BROK; /* what made it BROK stays first */
	if (cell_findings_judge(&out->findings, &out->verdict, &fwhy))
		buf_printf(&fwhy, "; ");
	if (!brok && fwhy.len)
		buf_printf(&all, "%s", fwhy.data);
	if (why.len)
		buf_printf(&all, "%s", why.data);
	if (brok && fwhy.len)
		buf_printf(&all, "%s", fwhy.data);
	buf_free(&fwhy);
	if (all.len >= 2)
		all.data[all.len - 2] = 0;
	snprintf(out->why, sizeof out->why, "%s", all.data ? all.data : "all workloads ended as predicted");
	buf_free(&all);
	buf_free(&why);
}

void cell_outcome_free(struct cell_outcome *c)
{
	if (!c)
		return;
	free(c->wl);
	c->wl = NULL;
	owners_free(&c->owners);
	cell_findings_free(&c->findings);
	c->n_wl = 0;
}
