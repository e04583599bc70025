// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/oracle.h"
#include "judge/heapmodel.h"
#include "lib/util.h"
#include "workloads/wl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PAGE_KB 4
/* R8: what a kmem workload counts, over MemAvailable at start, when the
 * OOM killer ends it. Measured on Debian 6.1 and 6.12, 256 MiB, with and
 * without swap (docs/oracle.md, "Kernel memory"): 0.73 (threads: their
 * user stacks and task structs it does not count) to 0.99 (page tables,
 * sockets: counted whole). */
#define KMEM_LO 0.65
#define KMEM_HI 1.05

/* One limit that may end the workload. */
struct limit {
	const char *endpoint;
	double mb;         /* where the model puts it */
	double lo, hi;     /* accepted range */
	int shared;        /* a limit of the whole VM (memory, CommitLimit), not its own */
	char rule[320];
};

static double blocks_mb(double blocks, long long block_kb)
{
	return floor(blocks) * (double)block_kb / 1024.0;
}

/* glibc serves a malloc of >= 128 KiB (M_MMAP_THRESHOLD) with its own
 * mmap of the size plus a page for the chunk header. */
static long long mapped_kb(long long block_kb)
{
	return block_kb >= 128 ? block_kb + PAGE_KB : block_kb;
}

static void add(struct limit *l, size_t *n, const char *endpoint, double mb, double lo, double hi,
		const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static void add(struct limit *l, size_t *n, const char *endpoint, double mb, double lo, double hi,
		const char *fmt, ...)
{
	struct limit *x = &l[(*n)++];
	x->endpoint = endpoint;
	x->mb = mb;
	/* hi < 0: MB reached is not predicted (lo = hi = -1) */
	x->lo = hi < 0 ? -1 : lo < 0 ? 0 : lo;
	x->hi = hi;
	x->shared = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->rule, sizeof x->rule, fmt, ap);
	va_end(ap);
}

/* R6 memory.max (Documentation/admin-guide/cgroup-v2.rst: "If a cgroup's
 * memory usage reaches this limit and can't be reduced, the OOM killer is
 * invoked in the cgroup"), with memory.swap.max ("If a cgroup's swap usage
 * reaches this limit, anonymous memory of the cgroup will not be swapped
 * out"): the group holds at most memory.max in memory and memory.swap.max
 * (or the swap there is) in swap, so a workload alone in it is killed at
 * M + S, measured 1.00 of it on Debian 6.1 and 6.12 (docs/oracle.md). The
 * MB (megabytes of it) where its limit puts the workload, or -1: no
 * limit applies. */
static double memcg_limit_mb(const struct oracle_in *in, const struct oracle_cg *cg, long long B, double *s_kb)
{
	if (!cg || !cg->group || cg->max_kb < 0)
		return -1;
	const struct workload *wm = in->wl;
	double S = (double)in->swap_total_kb;
	if (cg->swap_max_kb >= 0 && (double)cg->swap_max_kb < S)
		S = (double)cg->swap_max_kb;
	*s_kb = S;
	double M = (double)cg->max_kb;
	if (wm->writes)
		return (M + S) / 1024.0;
	/* one page per block and its page tables, as rule 5 (page tables
	 * are charged to the group too, and never swapped) */
	double touched = B < PAGE_KB ? (double)B : PAGE_KB;
	double pt = (double)B / 512.0;
	double blocks = (M + S) / (touched + pt);
	if (S > 0 && M / pt < blocks)
		blocks = M / pt;
	return blocks_mb(blocks, B);
}

/* earlyoom reads /proc/meminfo at least every 100 ms near its limits
 * (main.c, sleep_time_ms: the headroom at 6000 MiB/s, clamped to
 * 100..1000 ms). */
#define UOOM_POLL_MS 100

/* earlyoom's threshold in kB: -m/-s percent and -M/-S KiB, the lower of
 * both when both are given, 10 % when neither (main.c) */
static long long uoom_threshold(long long total_kb, long long percent, long long kb)
{
	long long t = -1;
	if (percent > 0)
		t = total_kb * percent / 100;
	if (kb > 0 && (t < 0 || kb < t))
		t = kb;
	return t >= 0 ? t : total_kb / 10;
}

void oracle_uoom_thresholds(const struct uoom_in *u, long long *t_mem, long long *t_swap)
{
	/* without swap earlyoom's SwapFree is 0 %: only MemAvailable counts */
	*t_mem = uoom_threshold(u->mem_total_kb, u->mem_percent, u->mem_kb);
	*t_swap = u->swap_total_kb > 0 ? uoom_threshold(u->swap_total_kb, u->swap_percent, u->swap_kb) : 0;
}

const char *oracle_uoom_first_name(enum uoom_first f)
{
	static const char *const names[] = {[UF_NONE] = NULL, [UF_USER] = "earlyoom",
					    [UF_EITHER] = "either", [UF_KERNEL] = "kernel"};
	return names[f];
}

enum uoom_first oracle_uoom_first(const struct uoom_in *u, long long *t_mem, long long *t_swap,
				  char *why, size_t whysz)
{
	*t_mem = *t_swap = 0;
	if (!u->present) {
		snprintf(why, whysz, "no userspace OOM killer");
		return UF_NONE;
	}
	long long tm, ts;
	oracle_uoom_thresholds(u, &tm, &ts);
	*t_mem = tm;
	*t_swap = ts;
	long long margin = tm + ts;
	double step = u->fill_kb_per_ms * UOOM_POLL_MS;
	enum uoom_first f;
	const char *how;
	if (tm <= 0) {
		f = UF_KERNEL;
		how = "its MemAvailable threshold is 0: the kernel acts first";
	} else if (u->swap_total_kb > 0 && ts <= 0) {
		f = UF_EITHER;
		how = "its SwapFree threshold is 0: swap full for both";
	} else if (step <= 0) {
		f = UF_EITHER;
		how = "no two samples inside the margin: how fast it falls there is not known";
	} else if (u->fill_is_bound) {
		/* faster than inside the margin: it can clear earlyoom, not
		 * the kernel */
		f = margin >= 2 * step ? UF_USER : UF_EITHER;
		how = f == UF_USER ? "earlyoom acts first"
				   : "no two samples inside the margin: how fast it falls there is not known";
	} else if (margin >= 2 * step) {
		f = UF_USER;
		how = "earlyoom acts first";
	} else if (2 * margin >= step) {
		f = UF_EITHER;
		how = "a race: the margin is close to what one poll lets pass";
	} else {
		f = UF_KERNEL;
		how = "the memory falls through its margin between two polls: the kernel acts first";
	}
	if (u->fill_is_bound && step > 0)
		snprintf(why, whysz,
			 "earlyoom at MemAvailable <= %lld kB, SwapFree <= %lld kB: margin %lld kB, "
			 "at most %.0f kB per %d ms poll (the fastest sampled fall; no two samples "
			 "inside the margin): %s",
			 tm, ts, margin, step, UOOM_POLL_MS, how);
	else
		snprintf(why, whysz,
			 "earlyoom at MemAvailable <= %lld kB, SwapFree <= %lld kB: margin %lld kB, "
			 "%.0f kB per %d ms poll at the fastest sampled fall inside it: %s",
			 tm, ts, margin, step > 0 ? step : 0, UOOM_POLL_MS, how);
	return f;
}

static void predict(const struct oracle_in *in, const struct oracle_cg *cg, const struct uoom_in *uo,
		    struct prediction *out);

void oracle_predict(const struct oracle_in *in, struct prediction *out)
{
	predict(in, NULL, NULL, out);
}

void oracle_predict_cg(const struct oracle_in *in, const struct oracle_cg *cg, struct prediction *out)
{
	predict(in, cg && cg->group ? cg : NULL, NULL, out);
}

void oracle_predict_uoom(const struct oracle_in *in, const struct uoom_in *uo, struct prediction *out)
{
	predict(in, NULL, uo, out);
}

void oracle_predict_all(const struct oracle_in *in, const struct oracle_cg *cg, const struct uoom_in *uo,
			struct prediction *out)
{
	predict(in, cg && cg->group ? cg : NULL, uo, out);
}

static void predict(const struct oracle_in *in, const struct oracle_cg *cg, const struct uoom_in *uo,
		    struct prediction *out)
{
	static const struct uoom_in none;
	if (!uo)
		uo = &none;
	memset(out, 0, sizeof *out);
	for (size_t k = 0; k < ORACLE_MAX_ENDPOINTS; k++)
		out->own_min[k] = -1;
	out->waste_min = out->waste_max = -1;
	/* how the workload uses memory: its row of the registry (wl.h) */
	const struct workload *wm = in->wl;
	if (!wm || wm->mem == WL_MEM_NONE) {
		snprintf(out->rule, sizeof out->rule, "no oracle rule for workload %s",
			 wm ? wm->name : "?");
		out->mb_min = -1;
		return;
	}
	out->known = 1;
	long long B = in->block_kb > 0 ? in->block_kb : 1024;
	double block_mb = (double)B / 1024.0;
	struct limit lim[8];
	size_t n = 0;
	double waste_min = -1, waste_max = -1; /* WL_MEM_SCHEDULE's heap model */
	/* memory an earlier workload of the cell still holds (keep_opt, wl.h) */
	long long avail_kb = in->mem_available_kb - in->held_kb;
	if (avail_kb < 0)
		avail_kb = 0;

	/* R0 a workload that does a bounded job ends by itself. */
	if (wm->mem == WL_MEM_BOUNDED) {
		add(lim, &n, "exit", 0, -1, -1, "%s does its job and exits (its memory is %s)",
		    wm->name, wm->mem_note);
		goto choose;
	}
	if (wm->mem == WL_MEM_SCHEDULE) {
		/* the schedule replayed against glibc's rules (heapmodel.h):
		 * what the heap holds at the end, and how much of it is waste */
		struct heap_model_in hin = {in->frag_pattern, in->frag_size_kb, in->frag_count,
					    in->frag_mmap_threshold_kb, in->frag_trim_threshold_kb};
		struct heap_model hm;
		heap_model_predict(&hin, &hm);
		if (hm.known) {
			double lo = hm.given_min / 1048576.0, hi = hm.given_max / 1048576.0;
			add(lim, &n, "exit", hi, lo, hi, "%s, waste_ratio %.4f..%.4f", hm.why,
			    hm.waste_min, hm.waste_max);
			waste_min = hm.waste_min;
			waste_max = hm.waste_max;
		} else {
			/* where it ends is still near its live requests (three
			 * blocks a round, growing 16 bytes a round) x ~1.4, so
			 * that a nearer memory limit (R5) still wins */
			double used = 3.0 * (double)in->frag_count *
				      ((double)in->frag_size_kb * 1024 + 8.0 * (double)in->frag_count) /
				      (1024.0 * 1024.0);
			add(lim, &n, "exit", used * 1.4, -1, -1, "%s exits (its heap is not predicted: %s)",
			    wm->name, hm.why);
		}
	}
	if (wm->mem == WL_MEM_FILL) {
		double mb = (double)in->size_mb;
		add(lim, &n, "exit", mb, mb, mb + 1, "%s fills %.0f MB and exits", wm->name, mb);
	}

	/* R1 max_mb: the workload stops itself. */
	if (in->max_mb > 0)
		add(lim, &n, "exit", (double)in->max_mb, (double)in->max_mb,
		    (double)in->max_mb + block_mb, "max_mb=%lld: stops itself", in->max_mb);

	/* R2 RLIMIT_AS (setrlimit(2)): mmap fails once VmSize would pass it. */
	if (in->rlimit_as_mb > 0 && wm->mem == WL_MEM_MALLOC) {
		long long start = in->start_vmsize_kb >= 0 ? in->start_vmsize_kb : 1024;
		double mb = blocks_mb((double)(in->rlimit_as_mb * 1024 - start) / (double)mapped_kb(B), B);
		add(lim, &n, "enomem", mb, mb - block_mb - 1, mb + 1,
		    "rlimit_as=%lld MB, VmSize at start %lld kB: ENOMEM at %.0f MB", in->rlimit_as_mb,
		    start, mb);
	}

	/* R2b a 32-bit process on a 64-bit kernel has 4 GiB of address space
	 * (TASK_SIZE of a compat task), less its binary, stack and the gaps
	 * mmap leaves; each 1 MiB block maps block + 4 KiB. */
	if (wm->bits32) {
		double mb = blocks_mb(4096.0 * 1024 / (double)mapped_kb(B), B);
		add(lim, &n, "enomem", mb, mb - 512, mb,
		    "32-bit address space (4 GiB): ENOMEM before %.0f MB", mb);
	}

	/* R3 overcommit_memory=2 (overcommit-accounting.rst, mode 2): every
	 * private writable mapping is charged to Committed_AS, which may not
	 * pass CommitLimit. Committed_AS is a per-CPU counter: allow a batch
	 * (~1 MB at 256 MiB) per CPU, and the workload's own mappings. */
	if (in->overcommit_memory == 2 && wm->mem == WL_MEM_MALLOC) {
		double room_kb = (double)(in->commit_limit_kb - in->committed_as_kb);
		double mb = blocks_mb(room_kb / (double)mapped_kb(B), B);
		double slack = mb * 0.05 > 8 ? mb * 0.05 : 8;
		add(lim, &n, "enomem", mb, mb - slack - in->cpus, mb + in->cpus + block_mb,
		    "overcommit_memory=2: CommitLimit %lld kB - Committed_AS %lld kB: ENOMEM at %.0f MB",
		    in->commit_limit_kb, in->committed_as_kb, mb);
		lim[n - 1].shared = 1;
	}

	/* R4 heuristic overcommit (mode 0) refuses an obvious overcommit: a
	 * single mapping larger than RAM + swap. */
	if (wm->mem == WL_MEM_MALLOC && in->overcommit_memory == 0 &&
	    B > in->mem_total_kb + in->swap_total_kb)
		add(lim, &n, "enomem", 0, 0, 0,
		    "overcommit_memory=0: one block of %lld kB is more than RAM + swap", B);

	/* R6 its memory cgroup's memory.max (+ memory.swap.max), see
	 * memcg_limit_mb; shared with the other workloads of the group. Only
	 * panic_on_oom=2 panics on a cgroup's OOM (sysctl/vm.rst). */
	int r6 = -1;
	double cg_s_kb = 0;
	double cg_mb = wm->mem == WL_MEM_MALLOC || wm->writes ? memcg_limit_mb(in, cg, B, &cg_s_kb) : -1;
	if (cg_mb >= 0) {
		const char *ep = in->panic_on_oom == 2 ? "vm_panic" : "oom_killed";
		add(lim, &n, ep, cg_mb, cg_mb * 0.97 - 1, cg_mb + block_mb + 1,
		    "memory cgroup %s: memory.max %lld kB + swap %.0f kB%s: %s at %.0f MB", cg->group, cg->max_kb,
		    cg_s_kb, cg->n_workloads > 1 ? ", shared with the group's other workloads" : "", ep, cg_mb);
		lim[n - 1].shared = cg->n_workloads > 1;
		r6 = (int)(n - 1);
	}

	/* R8 kernel memory (WL_MEM_KERNEL): pipe pages, slab, kernel stacks
	 * and page tables are neither reclaimable nor swappable (mm/vmscan.c
	 * scans only the LRU lists; mm/swap_state.c swaps only anon and shmem
	 * LRU pages), so swap does not count: the OOM killer (or the
	 * workload's own ENOMEM) ends it at about MemAvailable at start. */
	if (wm->mem == WL_MEM_KERNEL) {
		double A = (double)avail_kb / 1024.0;
		const char *ep = in->all_immune || in->panic_on_oom ? "vm_panic" : "oom_killed";
		/* the tightest memory.max over its group and the group's
		 * ancestors (judge/memcg.h); 0: none */
		long long cg_max_kb = cg && cg->max_kb > 0 ? cg->max_kb : 0;
		if (cg_max_kb > 0 && cg_max_kb < avail_kb) {
			/* R8m in a memory cgroup it is charged to the group
			 * (cgroup-v2.rst, "memory.stat": kernel, slab, sock,
			 * kernel_stack, pagetables; __GFP_ACCOUNT, SLAB_ACCOUNT):
			 * the group's OOM killer ends it at about memory.max,
			 * not the machine's (panic_on_oom=1 does not panic for
			 * a cgroup OOM, and at -1000 it stays alive: not judged
			 * here) */
			A = (double)cg_max_kb / 1024.0;
			ep = "oom_killed";
			add(lim, &n, ep, A, A * KMEM_LO, A * KMEM_HI,
			    "kernel memory, charged to its memory cgroup: memory.max %lld kB: %s at %.0f MB",
			    cg_max_kb, ep, A);
		} else {
			add(lim, &n, ep, A, A * KMEM_LO, A * KMEM_HI,
			    "kernel memory, not reclaimable nor swappable: MemAvailable %lld kB, swap %lld kB "
			    "not counted: %s at %.0f MB",
			    in->mem_available_kb, in->swap_total_kb, ep, A);
		}
		lim[n - 1].shared = 1;
		add(lim, &n, "enomem", A, A * KMEM_LO, A * KMEM_HI,
		    "or the kernel refuses it with ENOMEM at %.0f MB", A);
		lim[n - 1].shared = 1;
		if (!cg_max_kb || cg_max_kb >= avail_kb) {
			/* the OOM reaper unmaps user memory only: until the
			 * victim's exit has closed its files none of this is
			 * freed, and an allocation in between finds nothing
			 * killable but the victim already chosen (the agent is
			 * at -1000): the kernel may panic */
			add(lim, &n, "vm_panic", A, A * KMEM_LO, A * KMEM_HI,
			    "or the kernel panics before the victim's exit frees it");
			lim[n - 1].shared = 1;
		}
	}

	/* R5 memory runs out: the OOM killer (or a panic) ends it. A writing
	 * workload needs MemAvailable + swap; one that only writes the chunk
	 * header pays one page per block (swappable) plus its page tables
	 * (8 bytes per 4 KiB page mapped, not swappable). Measured on Debian
	 * 6.1/6.12, 256 MiB: 0.95-1.0 of the model. */
	if (wm->mem == WL_MEM_MALLOC || wm->writes) {
		double A = (double)avail_kb, S = (double)in->swap_total_kb;
		double mb;
		if (wm->writes) {
			mb = (A + S) / 1024.0;
		} else {
			double touched = B < PAGE_KB ? (double)B : PAGE_KB;
			double pt = (double)B / 512.0;
			double blocks = (A + S) / (touched + pt);
			if (S > 0 && A / pt < blocks)
				blocks = A / pt;
			mb = blocks_mb(blocks, B);
		}
		const char *ep = in->all_immune || in->panic_on_oom ? "vm_panic" : "oom_killed";
		double kernel_hi = mb * 1.08 + block_mb;
		add(lim, &n, ep, mb, mb * 0.85, kernel_hi,
		    "%s: %s MemAvailable %lld kB%s + swap %lld kB: %s at %.0f MB",
		    wm->writes ? "writes every page" : "writes one page per block, plus page tables",
		    in->overcommit_memory == 2 ? "and within CommitLimit," : "",
		    in->mem_available_kb, in->held_kb ? " (less what earlier workloads hold)" : "",
		    in->swap_total_kb, ep, mb);
		lim[n - 1].shared = 1;
		/* the group's limit comes first: the VM's memory is not what
		 * ends it (its group cannot hold that much) */
		if (r6 >= 0 && lim[r6].mb <= mb)
			n--;

		/* R9 a userspace OOM killer (earlyoom) beside it: it sends
		 * SIGTERM once MemAvailable and SwapFree are both at or below
		 * its thresholds (earlyoom(1), -m/-s), which a writing workload
		 * reaches before the kernel's OOM point unless the memory falls
		 * through the margin between two of its polls. */
		long long tm, ts;
		char uwhy[300];
		enum uoom_first f = oracle_uoom_first(uo, &tm, &ts, uwhy, sizeof uwhy);
		if (wm->writes && !in->immune && !in->panic_on_oom && (f == UF_USER || f == UF_EITHER)) {
			double umb = (A + S - (double)tm - (double)ts) / 1024.0;
			if (umb < 0)
				umb = 0;
			add(lim, &n, "user_oom_killed", f == UF_USER ? umb : mb, umb * 0.85, kernel_hi,
			    "%s: user_oom_killed at %.0f MB", uwhy, umb);
			lim[n - 1].shared = 1;
		} else if (f != UF_NONE && wm->writes && n < ARRAY_SIZE(lim)) {
			size_t len = strlen(lim[n - 1].rule);
			snprintf(lim[n - 1].rule + len, sizeof lim[n - 1].rule - len, " (%s)", uwhy);
		}
	}
	/* R7 memory.high ("If a cgroup's usage goes over the high boundary, the
	 * processes of the cgroup are throttled and put under heavy reclaim
	 * pressure. Going over the high limit never invokes the OOM killer"):
	 * a workload that goes above it (to its goal, or to its group's
	 * memory.max first) is throttled and reclaimed, and its group's "high"
	 * events rise; ending at its goal, it still gets there when the swap
	 * holds the rest. Without memory.max below the goal and without that
	 * swap it is throttled without end: not predicted. */
	if (cg && cg->high_kb >= 0 && (cg->max_kb < 0 || cg->high_kb < cg->max_kb) && wm->writes) {
		double goal_kb = in->max_mb > 0	       ? (double)in->max_mb * 1024
				 : wm->mem == WL_MEM_FILL ? (double)in->size_mb * 1024
							  : -1;
		int capped = cg_mb >= 0 && (goal_kb < 0 || cg_mb * 1024 < goal_kb);
		double end_kb = capped ? cg_mb * 1024 : goal_kb; /* -1: no end of its own */
		double room_kb = (double)in->swap_total_kb;
		if (cg->swap_max_kb >= 0 && (double)cg->swap_max_kb < room_kb)
			room_kb = (double)cg->swap_max_kb;
		if (end_kb < 0 || end_kb > (double)cg->high_kb) {
			if (!capped && (end_kb < 0 ? room_kb <= 0 : end_kb - (double)cg->high_kb > room_kb * 0.9)) {
				snprintf(out->rule, sizeof out->rule,
					 "memory cgroup %s: memory.high %lld kB below its goal with %.0f kB of swap "
					 "for the rest: throttled, not predicted",
					 cg->group, cg->high_kb, room_kb);
				out->known = 0;
				out->mb_min = -1;
				return;
			}
			out->throttled = 1;
		}
	}
choose:;

	/* The nearest limit ends it; one within 10% of it may come first. */
	size_t first = 0;
	for (size_t i = 1; i < n; i++)
		if (lim[i].mb < lim[first].mb)
			first = i;
	double lo = lim[first].lo, hi = lim[first].hi;
	out->endpoints[out->n_endpoints++] = lim[first].endpoint;
	int len = snprintf(out->rule, sizeof out->rule, "%s", lim[first].rule);
	if (out->throttled && len > 0 && (size_t)len < sizeof out->rule)
		len += snprintf(out->rule + len, sizeof out->rule - (size_t)len,
				"; memory.high %lld kB of memory cgroup %s: throttled and reclaimed, not killed",
				cg->high_kb, cg->group);
	for (size_t i = 0; i < n; i++) {
		if (i == first || lim[i].mb > lim[first].mb * 1.10 + block_mb)
			continue;
		int dup = 0;
		for (size_t k = 0; k < out->n_endpoints; k++)
			if (!strcmp(out->endpoints[k], lim[i].endpoint))
				dup = 1;
		if (!dup && out->n_endpoints < ORACLE_MAX_ENDPOINTS)
			out->endpoints[out->n_endpoints++] = lim[i].endpoint;
		if (lim[i].lo < lo)
			lo = lim[i].lo;
		if (lim[i].hi > hi)
			hi = lim[i].hi;
		if (len > 0 && (size_t)len < sizeof out->rule)
			len += snprintf(out->rule + len, sizeof out->rule - (size_t)len,
					"; close to it: %s", lim[i].rule);
	}
	/* Workloads running together share the memory and the commit limit
	 * (docs/oracle.md, "Workloads together"): a shared limit may come
	 * at any MB (the others took the rest), so its lower bound drops to
	 * 0 (an MB that is not predicted, lo < 0, stays not checked). What
	 * still holds: it ends only as one of its own limits (exit only if it
	 * can stop by itself) or a shared one; ending by its own limit it
	 * reaches that limit's MB; the OOM killer never picks it at
	 * oom_score_adj -1000 (once nothing else is killable the VM panics),
	 * and a -1000 workload in the cell lets that panic end the others. */
	if (in->n_workloads > 1 && !in->sequence) {
		if (lo > 0)
			lo = 0;
		const char *first_ep = out->endpoints[0];
		out->n_endpoints = 0;
		if (in->immune && !strcmp(first_ep, "oom_killed"))
			first_ep = "vm_panic";
		out->endpoints[out->n_endpoints++] = first_ep;
		for (size_t i = 0; i < n; i++) {
			const char *ep = lim[i].endpoint;
			if (in->immune && !strcmp(ep, "oom_killed"))
				ep = "vm_panic";
			size_t k = 0;
			while (k < out->n_endpoints && strcmp(out->endpoints[k], ep))
				k++;
			if (k == out->n_endpoints && k < ORACLE_MAX_ENDPOINTS)
				out->endpoints[out->n_endpoints++] = ep;
			if (k >= ORACLE_MAX_ENDPOINTS || lim[i].lo < 0)
				continue;
			/* its own limit's MB, the lowest of them for this endpoint;
			 * a shared limit of the same endpoint bounds nothing */
			if (lim[i].shared)
				out->own_min[k] = -2;
			else if (out->own_min[k] != -2 &&
				 (out->own_min[k] < 0 || lim[i].lo < out->own_min[k]))
				out->own_min[k] = lim[i].lo;
			/* mb_max stays the nearest limits': competing only
			 * ends a workload earlier */
		}
		static const char *const extra[] = {"oom_killed", "vm_panic", "user_oom_killed"};
		for (size_t x = 0; x < ARRAY_SIZE(extra); x++) {
			if (!strcmp(extra[x], "oom_killed") && in->immune)
				continue;
			if (!strcmp(extra[x], "user_oom_killed") && (in->immune || !uo->present))
				continue;
			if (!strcmp(extra[x], "vm_panic") && !in->some_immune && !in->panic_on_oom)
				continue;
			size_t k = 0;
			while (k < out->n_endpoints && strcmp(out->endpoints[k], extra[x]))
				k++;
			if (k == out->n_endpoints && k < ORACLE_MAX_ENDPOINTS)
				out->endpoints[out->n_endpoints++] = extra[x];
		}
		for (size_t k = 0; k < ORACLE_MAX_ENDPOINTS; k++)
			if (out->own_min[k] < -1)
				out->own_min[k] = -1;
		if (len > 0 && (size_t)len < sizeof out->rule)
			snprintf(out->rule + len, sizeof out->rule - (size_t)len,
				 "; runs together with %zu other workload(s): any killable one may be the victim",
				 in->n_workloads - 1);
	}
	/* the heap's waste is checked when the schedule ran to its end */
	if (!strcmp(out->endpoints[0], "exit") && waste_min >= 0) {
		out->waste_min = waste_min;
		out->waste_max = waste_max;
	}
	/* A panic ends everything wherever it happens to be. */
	if (!strcmp(out->endpoints[0], "vm_panic"))
		lo = -1;
	out->mb_min = lo;
	out->mb_max = hi;
}

int oracle_agrees(const struct prediction *p, const char *endpoint, double mb, char *why,
		  size_t whysz)
{
	if (!p->known) {
		snprintf(why, whysz, "%s (no prediction: %s)", endpoint, p->rule);
		return 1;
	}
	int ok = 0;
	for (size_t i = 0; i < p->n_endpoints; i++)
		if (!strcmp(p->endpoints[i], endpoint))
			ok = 1;
	if (!ok) {
		snprintf(why, whysz, "ended %s, predicted %s (%s)", endpoint, p->endpoints[0], p->rule);
		return 0;
	}
	size_t k = 0;
	while (k < p->n_endpoints && strcmp(p->endpoints[k], endpoint))
		k++;
	if (k < ORACLE_MAX_ENDPOINTS && p->own_min[k] >= 0 && mb >= 0 && mb < p->own_min[k]) {
		snprintf(why, whysz, "ended %s at %.0f MB, below %.0f MB: not killed, it must reach its own limit (%s)",
			 endpoint, mb, p->own_min[k], p->rule);
		return 0;
	}
	if (p->mb_min >= 0 && mb >= 0 && (mb < p->mb_min || mb > p->mb_max)) {
		snprintf(why, whysz, "ended %s at %.0f MB, predicted %.0f..%.0f MB (%s)", endpoint, mb,
			 p->mb_min, p->mb_max, p->rule);
		return 0;
	}
	if (p->mb_min >= 0 && mb >= 0)
		snprintf(why, whysz, "ended %s at %.0f MB, within %.0f..%.0f MB", endpoint, mb,
			 p->mb_min, p->mb_max);
	else
		snprintf(why, whysz, "ended %s as predicted", endpoint);
	return 1;
}

int oracle_agrees_waste(const struct prediction *p, double waste_ratio, char *why, size_t whysz)
{
	if (p->waste_min < 0)
		return 1;
	if (waste_ratio < p->waste_min || waste_ratio > p->waste_max) {
		snprintf(why, whysz, "waste_ratio %.4f, predicted %.4f..%.4f (%s)", waste_ratio,
			 p->waste_min, p->waste_max, p->rule);
		return 0;
	}
	return 1;
}
