// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel findings: the kernel's reports of its own misbehaviour, assembled
 * from log messages fed one at a time (the same messages kernlog_feed gets).
 *
 * A report is a header line (a row of fk_rows below), a preamble (module
 * list, "CPU: .. Comm: ..", registers, the "RIP: 0010:func+0x1/0x2" of the
 * faulting code), then "Call Trace:", " <TASK>", one " func+0x12/0x34 [mod]"
 * line a frame, " </TASK>" and, after a WARNING or an oops,
 * "---[ end trace .. ]---". Formats, the same in 6.1 and 6.12 unless said:
 *   kernel/panic.c __warn: "WARNING: CPU: %d PID: %d at %s:%d %pS"
 *   lib/bug.c report_bug: "kernel BUG at %s:%u!"
 *   arch/x86/kernel/dumpstack.c __die_header: "%s: %04lx [#%d]%s%s%s%s%s"
 *    ("Oops: 0002 [#1] ..." in 6.1; 6.12 prints "Oops: " before every
 *    die string: "Oops: general protection fault, ...", "Oops: invalid
 *    opcode: 0000 [#1] ...")
 *   arch/x86/kernel/traps.c: "general protection fault, probably for
 *    non-canonical address 0x%lx: 0000 [#1] ..."
 *   arch/x86/mm/fault.c show_fault_oops: "BUG: kernel NULL pointer
 *    dereference, address: %px", "BUG: unable to handle page fault for
 *    address: %px"
 *   kernel/watchdog.c: "watchdog: BUG: soft lockup - CPU#%d stuck for %us!
 *    [%s:%d]", "Watchdog detected hard LOCKUP on cpu %d" (6.12: "CPU%u:
 *    Watchdog detected hard LOCKUP on cpu %u")
 *   kernel/hung_task.c check_hung_task: "INFO: task %s:%d blocked for more
 *    than %ld seconds."
 *   kernel/rcu/tree_stall.h: "rcu: INFO: %s self-detected stall on CPU",
 *    "rcu: INFO: %s detected stalls on CPUs/tasks:", "rcu: INFO: %s
 *    detected expedited stalls on CPUs/tasks: {"
 *   kernel/sched/core.c: "BUG: scheduling while atomic: %s/%d/0x%08x",
 *    "BUG: sleeping function called from invalid context at %s:%d"
 *   mm/page_alloc.c bad_page: "BUG: Bad page state in process %s  pfn:%05lx"
 *   kernel/fork.c check_mm: "BUG: Bad rss-counter state mm:%p type:%s val:%ld"
 *   mm/kasan/report.c: "BUG: KASAN: %s in %pS", then "%s of size %zu at
 *    addr %px by task %s/%d" ("Read", "Write")
 *   mm/kfence/report.c: "BUG: KFENCE: %s in %pS" (the access's stack
 *    follows at once, no "Call Trace:"), ended by a line of '='
 *   mm/page_alloc.c warn_alloc: "%s: page allocation failure: order:%u,
 *    mode:%#x(%pGg), nodemask=%*pbl"
 *   mm/oom_kill.c out_of_memory: "Out of memory and no killable processes..."
 *
 * The title is syzkaller's: the report's words plus " in " and the first
 * frame that is not a generic helper (the tables of skipped frames below);
 * lockups and RCU stalls take the frame before the first dispatch point
 * (the syscall, the page fault, the kthread), as a stall loops over
 * several functions and the innermost one is a matter of chance; hung
 * tasks skip the scheduler and the sleeping primitives. Frames printed
 * "? func+.." are guesses of the unwinder and are skipped, as are frames
 * an interrupt pushed onto a stalled task's stack. A frame loses its
 * compiler suffix (".constprop.0", ".isra.0", ".cold"); the title's frame
 * also loses the "_noprof" of 6.10's allocation tagging, so a title is the
 * same on 6.1 and 6.12.
 *
 * A report ends at " </TASK>" (and takes a "---[ end trace" that follows),
 * at "---[ end trace", at a line of '=' (KASAN, KFENCE), at "Kernel panic",
 * at the next report's header, at an OOM report or "Mem-Info:" (both are
 * printed after a trace, never inside one), or after too many lines that
 * do not belong to it: another CPU's or task's messages interleaved with
 * a trace are skipped, not kept (FND_FOREIGN_MAX of them in a row end it).
 *
 * The findings are consistent after every message: the report being
 * assembled is already counted under its title so far, and moves to
 * another title when its frames change it. */
#include "parse/findings.h"

#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "parse/pairs.h"

#define FND_PREAMBLE_MAX 64 /* lines between a header and its "Call Trace:" */
#define FND_FOREIGN_MAX 24  /* lines in a row inside a trace that are none of it */

/* ---- small bounded helpers ---- */

static const char *find(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);
	if (s >= e || (size_t)(e - s) < n)
		return NULL;
	return memmem(s, (size_t)(e - s), lit, n);
}

/* find, after the line's pairs rule lit out or not */
static const char *find_in(const struct pairs *ps, const char *s, const char *e, const char *lit)
{
	return pairs_may_hold(ps, lit, strlen(lit)) ? find(s, e, lit) : NULL;
}

/* a call only where the first byte matches: a line is tried against many */
static int starts(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);
	return s <= e && (size_t)(e - s) >= n && (n == 0 || *s == *lit) && memcmp(s, lit, n) == 0;
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static void copy_str(char *dst, size_t dsz, const char *s, const char *e)
{
	size_t n = e > s ? (size_t)(e - s) : 0;
	if (n >= dsz)
		n = dsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void append(char *dst, size_t dsz, const char *s)
{
	size_t have = strlen(dst);
	copy_str(dst + have, dsz - have, s, s + strlen(s));
}

/* "func+0x12/0x34" at p (p < e): the function's name up to its compiler
 * suffix ('.') into out. Returns 1 for a frame, 0 for anything else. */
static int frame_at(const char *p, const char *e, char *out, size_t osz)
{
	const char *n = p;
	while (p < e && (is_ident(*p) || *p == '.'))
		p++;
	if (p == n || !starts(p, e, "+0x"))
		return 0;
	const char *q = p + 3;
	while (q < e && is_hex(*q))
		q++;
	if (q == p + 3 || !starts(q, e, "/0x") || q + 3 >= e || !is_hex(q[3]))
		return 0;
	const char *dot = memchr(n, '.', (size_t)(p - n));
	copy_str(out, osz, n, dot && dot > n ? dot : p);
	return 1;
}

/* ---- frames skipped in titles ---- */

enum skip_how {
	SK_EXACT,  /* the name */
	SK_PREFIX, /* names that start with it */
	SK_SUBSTR, /* names that hold it */
};

struct skip {
	const char *text;
	enum skip_how how;
};

#define SKIP_END {NULL, SK_EXACT}

/* Every kind: the reporting machinery and the helpers every caller uses. */
static const struct skip skip_generic[] = {
	{"dump_stack", SK_PREFIX},     /* dump_stack, dump_stack_lvl */
	{"show_stack", SK_PREFIX},
	{"show_regs", SK_PREFIX},
	{"__warn", SK_PREFIX},         /* __warn, __warn_printk */
	{"warn_slowpath", SK_PREFIX},
	{"warn_alloc", SK_PREFIX},
	{"report_bug", SK_EXACT},
	{"handle_bug", SK_EXACT},
	{"fixup_bug", SK_EXACT},
	{"exc_invalid_op", SK_EXACT},
	{"asm_exc_", SK_PREFIX},       /* asm_exc_invalid_op, asm_exc_page_fault */
	{"asm_sysvec_", SK_PREFIX},
	{"do_error_trap", SK_EXACT},
	{"do_trap", SK_EXACT},
	{"die", SK_EXACT},
	{"__die", SK_PREFIX},
	{"die_addr", SK_EXACT},
	{"oops_", SK_PREFIX},
	{"panic", SK_SUBSTR},
	{"printk", SK_SUBSTR},
	{"__might_", SK_PREFIX},       /* __might_sleep, __might_resched, __might_fault */
	{"might_sleep", SK_PREFIX},
	{"_raw_spin_", SK_PREFIX},
	{"spin_lock", SK_SUBSTR},
	{"spin_unlock", SK_SUBSTR},
	{"memcpy", SK_PREFIX},
	{"memset", SK_PREFIX},
	{"memmove", SK_PREFIX},
	{"memcmp", SK_PREFIX},
	{"strlen", SK_PREFIX},
	{"strcmp", SK_PREFIX},
	{"strscpy", SK_PREFIX},
	{"_copy_to_user", SK_SUBSTR},
	{"_copy_from_user", SK_SUBSTR},
	{"list_add", SK_PREFIX},
	{"list_del", SK_PREFIX},
	{"__list_add", SK_PREFIX},
	{"__list_del", SK_PREFIX},
	{"kasan", SK_SUBSTR},
	{"__asan", SK_PREFIX},
	{"check_memory_region", SK_EXACT},
	{"print_address_description", SK_PREFIX},
	{"print_report", SK_EXACT},
	{"print_bad_pte", SK_EXACT},
	{"bad_page", SK_EXACT},
	{"dump_page", SK_EXACT},
	{"kfence_", SK_PREFIX},
	{"__kfence_", SK_PREFIX},
	SKIP_END,
};

/* A task hung: the scheduler and the ways to sleep on a lock or an event
 * (what it waits on is told by the frame that called them). */
static const struct skip skip_hung[] = {
	{"schedule", SK_SUBSTR},       /* __schedule, schedule, io_schedule, schedule_timeout */
	{"__switch_to", SK_PREFIX},
	{"context_switch", SK_EXACT},
	{"finish_task_switch", SK_PREFIX},
	{"_lock", SK_SUBSTR},          /* mutex_lock, __mutex_lock, rt_mutex_lock */
	{"_slowlock", SK_SUBSTR},
	{"rwsem_", SK_SUBSTR},         /* rwsem_down_write_slowpath, percpu_rwsem_wait */
	{"down_read", SK_SUBSTR},
	{"down_write", SK_SUBSTR},
	{"down", SK_EXACT},
	{"completion", SK_SUBSTR},     /* wait_for_completion */
	{"__wait_for_common", SK_EXACT},
	{"wait_for_common", SK_PREFIX},
	{"bit_wait", SK_PREFIX},
	{"__wait_on_bit", SK_PREFIX},
	{"out_of_line_wait_on_bit", SK_PREFIX},
	{"synchronize_", SK_PREFIX},
	SKIP_END,
};

/* A page allocation failed: the allocator's own entry points. */
static const struct skip skip_alloc[] = {
	{"__alloc_pages", SK_PREFIX},  /* __alloc_pages_slowpath, __alloc_pages_noprof */
	{"alloc_pages", SK_PREFIX},    /* alloc_pages_mpol_noprof */
	{"__folio_alloc", SK_PREFIX},
	{"folio_alloc", SK_PREFIX},
	{"vma_alloc_folio", SK_PREFIX},
	{"__get_free_pages", SK_PREFIX},
	{"get_zeroed_page", SK_PREFIX},
	{"___kmalloc_large", SK_PREFIX},
	{"__kmalloc", SK_PREFIX},      /* __kmalloc, __kmalloc_large_node, __kmalloc_noprof */
	{"kmalloc", SK_PREFIX},
	{"__kvmalloc", SK_PREFIX},
	{"kvmalloc", SK_PREFIX},
	{"kmalloc_order", SK_PREFIX},
	{"kmem_cache_alloc", SK_PREFIX},
	{"___slab_alloc", SK_PREFIX},
	{"__slab_alloc", SK_PREFIX},
	{"allocate_slab", SK_EXACT},
	{"new_slab", SK_EXACT},
	{"alloc_slab_page", SK_EXACT},
	SKIP_END,
};

/* The OOM killer found nothing to kill: the OOM killer's and the memory
 * cgroup charge's own frames, then the allocator's (skip_alloc). */
static const struct skip skip_oom[] = {
	{"out_of_memory", SK_EXACT},
	{"oom_", SK_PREFIX},
	{"dump_header", SK_EXACT},
	{"mem_cgroup_", SK_PREFIX},     /* mem_cgroup_out_of_memory, mem_cgroup_oom */
	{"__mem_cgroup_", SK_PREFIX},   /* __mem_cgroup_charge */
	{"try_charge", SK_PREFIX},      /* try_charge_memcg */
	{"charge_memcg", SK_EXACT},
	{"obj_cgroup_charge", SK_PREFIX},
	{"pagefault_out_of_memory", SK_EXACT},
	{"__alloc_pages", SK_PREFIX},
	{"alloc_pages", SK_PREFIX},
	{"__folio_alloc", SK_PREFIX},
	{"folio_alloc", SK_PREFIX},
	{"vma_alloc_folio", SK_PREFIX},
	{"alloc_anon_folio", SK_EXACT},
	{"__kmalloc", SK_PREFIX},
	{"kmalloc", SK_PREFIX},
	{"kmem_cache_alloc", SK_PREFIX},
	SKIP_END,
};

/* The kernel slept where it must not: the scheduler reports it. */
static const struct skip skip_sched[] = {
	{"schedule", SK_SUBSTR},
	{"__schedule_bug", SK_EXACT},
	SKIP_END,
};

/* Where a stalled CPU's work was dispatched from: the frame before the
 * first of these names what looped (syzkaller's anchor frames). */
static const struct skip stall_anchors[] = {
	{"do_syscall_", SK_PREFIX},
	{"process_one_work", SK_EXACT},
	{"worker_thread", SK_EXACT},
	{"kthread", SK_EXACT},
	{"smpboot_thread_fn", SK_EXACT},
	{"ret_from_fork", SK_PREFIX},
	{"__do_softirq", SK_EXACT},
	{"handle_softirqs", SK_EXACT},
	{"run_ksoftirqd", SK_EXACT},
	{"call_timer_fn", SK_EXACT},
	{"cpu_startup_entry", SK_EXACT},
	{"start_secondary", SK_EXACT},
	{"handle_mm_fault", SK_EXACT},
	{"__do_fault", SK_EXACT},
	{"exc_page_fault", SK_EXACT},
	{"vfs_read", SK_EXACT},
	{"vfs_write", SK_EXACT},
	{"vfs_ioctl", SK_EXACT},
	{"__fput", SK_EXACT},
	{"task_work_run", SK_EXACT},
	SKIP_END,
};

static int skip_has(const struct skip *t, const char *name)
{
	for (; t && t->text; t++) {
		switch (t->how) {
		case SK_EXACT: /* a call only where the first byte matches */
			if (name[0] == t->text[0] && !strcmp(name, t->text))
				return 1;
			break;
		case SK_PREFIX:
			if (name[0] == t->text[0] && !strncmp(name, t->text, strlen(t->text)))
				return 1;
			break;
		case SK_SUBSTR:
			if (strstr(name, t->text))
				return 1;
			break;
		}
	}
	return 0;
}

/* ---- the pattern table ---- */

/* Where a row's text may stand in a message. */
enum fk_where {
	FW_START, /* at its start, after blanks */
	FW_MSG,   /* at the start or right after "<prefix>: " ("watchdog: ", "rcu: ") */
	FW_ANY,   /* anywhere */
};

/* How the title's frame is picked. */
enum fk_pick {
	PK_FIRST, /* the first frame not skipped */
	PK_STALL, /* the frame before the first dispatch point */
	PK_NONE,  /* no frame: the title is the report's words alone */
};

enum {
	FF_NOTRACE = 1,   /* the report is its header line alone */
	FF_TRACE_NOW = 2, /* frames follow the header at once (KFENCE) */
	FF_TASK = 4,      /* frames inside <IRQ>/<NMI> are the interrupt's, not the task's */
	FF_HINT = 8,      /* the header names a function ("at file:line func+..", " in func+..") */
	FF_OOM = 16,      /* its frames are the last OOM report's */
};

struct fk_row;
/* The title's words from the header (after: the byte after the row's text). */
typedef void (*fk_words)(const struct fk_row *r, const char *after, const char *e, char *out, size_t osz);

struct fk_row {
	enum finding_kind kind;
	const char *text;  /* the fixed text of its header */
	enum fk_where where;
	const char *also;  /* text that must follow it (NULL: none) */
	const char *words; /* the title's words, or NULL: words() builds them */
	fk_words build;
	enum fk_pick pick;
	const struct skip *skip; /* frames skipped besides skip_generic */
	int flags;
};

/* "BUG: <words>": up to the first punctuation, number, or " in "/" at "
 * that starts the report's particulars (a process, an address). */
static void words_bug(const struct fk_row *r, const char *after, const char *e, char *out, size_t osz)
{
	(void)r;
	const char *s = after, *p = after;
	while (p < e && *p != ':' && *p != ',' && *p != '(' && *p != '[' && *p != '!' &&
	       !(*p >= '0' && *p <= '9') && !starts(p, e, " in ") && !starts(p, e, " at ") &&
	       !starts(p, e, " - ") && !starts(p, e, " for "))
		p++;
	while (p > s && p[-1] == ' ')
		p--;
	out[0] = '\0';
	append(out, osz, p == s ? "BUG" : "BUG: ");
	size_t have = strlen(out);
	copy_str(out + have, osz - have, s, p);
}

/* "Oops: <words>" of a die string: "Oops" alone for "Oops: 0002 [#1]". */
static void words_oops(const struct fk_row *r, const char *after, const char *e, char *out, size_t osz)
{
	(void)r;
	const char *p = after;
	while (p < e && *p != ':' && *p != ',' && !(*p >= '0' && *p <= '9'))
		p++;
	while (p > after && p[-1] == ' ')
		p--;
	out[0] = '\0';
	append(out, osz, "Oops");
	if (p > after) {
		append(out, osz, ": ");
		size_t have = strlen(out);
		copy_str(out + have, osz - have, after, p);
	}
}

/* "KASAN: <bug type>" / "KFENCE: <bug type>": the text up to " in ". */
static void words_sanitizer(const struct fk_row *r, const char *after, const char *e, char *out, size_t osz)
{
	const char *in = find(after, e, " in ");
	const char *p = in ? in : after;
	if (!in)
		while (p < e && *p != ' ')
			p++;
	copy_str(out, osz, r->text + 5, r->text + strlen(r->text)); /* "KASAN: " of "BUG: KASAN: " */
	size_t have = strlen(out);
	copy_str(out + have, osz - have, after, p);
	while ((have = strlen(out)) && out[have - 1] == ' ')
		out[have - 1] = '\0';
}

/* Tried in order; the first row that matches is the report's kind. */
static const struct fk_row fk_rows[] = {
	{FK_SOFT_LOCKUP, "BUG: soft lockup - CPU#", FW_MSG, NULL, "BUG: soft lockup", NULL, PK_STALL, NULL, FF_TASK},
	{FK_ATOMIC_SLEEP, "BUG: scheduling while atomic: ", FW_START, NULL, "BUG: scheduling while atomic", NULL,
	 PK_FIRST, skip_sched, 0},
	{FK_ATOMIC_SLEEP, "BUG: sleeping function called from invalid context", FW_START, NULL,
	 "BUG: sleeping function called from invalid context", NULL, PK_FIRST, skip_sched, 0},
	{FK_BAD_PAGE, "BUG: Bad page state in process ", FW_START, NULL, "BUG: Bad page state", NULL, PK_NONE, NULL, 0},
	{FK_BAD_RSS, "BUG: Bad rss-counter state ", FW_START, NULL, "BUG: Bad rss-counter state", NULL, PK_NONE, NULL,
	 FF_NOTRACE},
	{FK_KASAN, "BUG: KASAN: ", FW_START, NULL, NULL, words_sanitizer, PK_FIRST, NULL, FF_HINT},
	{FK_KFENCE, "BUG: KFENCE: ", FW_START, NULL, NULL, words_sanitizer, PK_FIRST, NULL, FF_TRACE_NOW | FF_HINT},
	{FK_BUG, "BUG: unable to handle page fault for address", FW_START, NULL,
	 "BUG: unable to handle kernel paging request", NULL, PK_FIRST, NULL, 0},
	{FK_BUG, "BUG: kernel NULL pointer dereference", FW_START, NULL,
	 "BUG: unable to handle kernel NULL pointer dereference", NULL, PK_FIRST, NULL, 0},
	{FK_BUG, "BUG: workqueue lockup", FW_MSG, NULL, "BUG: workqueue lockup", NULL, PK_NONE, NULL, FF_NOTRACE},
	{FK_BUG, "BUG: ", FW_START, NULL, NULL, words_bug, PK_FIRST, NULL, 0},
	{FK_KERNEL_BUG, "kernel BUG at ", FW_START, NULL, "kernel BUG", NULL, PK_FIRST, NULL, 0},
	{FK_GPF, "general protection fault", FW_START, NULL, "general protection fault", NULL, PK_FIRST, NULL, 0},
	{FK_GPF, "Oops: general protection fault", FW_START, NULL, "general protection fault", NULL, PK_FIRST, NULL, 0},
	{FK_OOPS, "Oops: ", FW_START, NULL, NULL, words_oops, PK_FIRST, NULL, 0},
	{FK_HARD_LOCKUP, "Watchdog detected hard LOCKUP on cpu ", FW_ANY, NULL, "hard LOCKUP", NULL, PK_STALL, NULL,
	 FF_TASK},
	{FK_HUNG_TASK, "INFO: task ", FW_START, " blocked for more than ", "INFO: task hung", NULL, PK_FIRST, skip_hung,
	 0},
	{FK_RCU_STALL, "INFO: rcu_", FW_MSG, " stall", "INFO: rcu detected stall", NULL, PK_STALL, NULL, FF_TASK},
	{FK_ALLOC_FAILURE, ": page allocation failure: order:", FW_ANY, NULL, "page allocation failure", NULL, PK_FIRST,
	 skip_alloc, 0},
	{FK_OOM_NO_VICTIM, "Out of memory and no killable processes", FW_START, NULL,
	 "Out of memory and no killable processes", NULL, PK_FIRST, skip_oom, FF_NOTRACE | FF_OOM},
	{FK_WARNING, "WARNING: CPU: ", FW_START, NULL, "WARNING", NULL, PK_FIRST, NULL, FF_HINT},
};

size_t findings_rows(void)
{
	return ARRAY_SIZE(fk_rows);
}

const char *findings_row_text(size_t row)
{
	return row < ARRAY_SIZE(fk_rows) ? fk_rows[row].text : NULL;
}

enum finding_kind findings_row_kind(size_t row)
{
	return row < ARRAY_SIZE(fk_rows) ? fk_rows[row].kind : FINDING_KIND_COUNT;
}

/* The row a message (s..e, t: its first non-blank byte, ps: its pairs)
 * starts, -1 none; *after: the byte after the row's text. A row that may
 * stand after a prefix or anywhere is searched for only when the pairs
 * do not rule its text out. */
static int row_of(const char *s, const char *t, const char *e, const struct pairs *ps, const char **after)
{
	for (size_t i = 0; i < ARRAY_SIZE(fk_rows); i++) {
		const struct fk_row *r = &fk_rows[i];
		const char *m = NULL;
		switch (r->where) {
		case FW_START:
			m = t < e && *t == r->text[0] && starts(t, e, r->text) ? t : NULL;
			break;
		case FW_MSG:
			m = find_in(ps, t, e, r->text);
			if (m && m != t && !(m - t >= 2 && m[-2] == ':' && m[-1] == ' '))
				m = NULL;
			break;
		case FW_ANY:
			m = find_in(ps, s, e, r->text);
			break;
		}
		if (!m)
			continue;
		const char *a = m + strlen(r->text);
		if (r->also && !find_in(ps, a, e, r->also))
			continue;
		*after = a;
		return (int)i;
	}
	return -1;
}

int findings_row_of(const char *line, size_t len)
{
	if (!line)
		return -1;
	const char *s = line, *e = line + len, *t = s, *after;
	while (t < e && (*t == ' ' || *t == '\t'))
		t++;
	struct pairs ps;
	pairs_of(&ps, s, e);
	return row_of(s, t, e, &ps, &after);
}

/* ---- assembly ---- */

enum {
	PH_PREAMBLE, /* between the header and "Call Trace:" */
	PH_TRACE,    /* inside the trace */
	PH_AFTER,    /* after " </TASK>": only "---[ end trace" still belongs */
};

void findings_init(struct findings *fs)
{
	memset(fs, 0, sizeof *fs);
	fs->open = -1;
}

void findings_free(struct findings *fs)
{
	if (!fs)
		return;
	free(fs->f);
	free(fs->cur);
	findings_init(fs);
}

static void title_of(const struct findings *fs, char *out, size_t osz)
{
	const struct fk_row *r = &fk_rows[fs->cur_row];
	const struct finding *c = fs->cur;
	copy_str(out, osz, fs->words, fs->words + strlen(fs->words));
	if (fs->access[0]) {
		append(out, osz, " ");
		append(out, osz, fs->access);
	}
	if (r->pick == PK_NONE)
		return;
	const char *pick = NULL;
	int first = -1;
	for (int i = 0; i < c->n_frames; i++)
		if (!skip_has(skip_generic, c->frames[i]) && !skip_has(r->skip, c->frames[i])) {
			first = i;
			break;
		}
	if (first >= 0)
		pick = c->frames[first];
	if (r->pick == PK_STALL)
		for (int i = 0; i < c->n_frames; i++)
			if (skip_has(stall_anchors, c->frames[i])) {
				/* the frame before the anchor, unless that is a generic one */
				int at = i > 0 ? i - 1 : i;
				while (at > 0 && skip_has(skip_generic, c->frames[at]))
					at--;
				pick = c->frames[at];
				break;
			}
	if (!pick && fs->hint[0])
		pick = fs->hint;
	if (!pick)
		return;
	char fn[FINDING_FRAME_MAX];
	copy_str(fn, sizeof fn, pick, pick + strlen(pick));
	static const char *const strip_pre[] = {"__x64_sys_", "__ia32_sys_", "__do_sys_", "__se_sys_"};
	for (size_t k = 0; k < ARRAY_SIZE(strip_pre); k++)
		if (!strncmp(fn, strip_pre[k], strlen(strip_pre[k]))) {
			memmove(fn, fn + strlen(strip_pre[k]), strlen(fn + strlen(strip_pre[k])) + 1);
			break;
		}
	size_t n = strlen(fn);
	if (n > 7 && !strcmp(fn + n - 7, "_noprof"))
		fn[n - 7] = '\0';
	append(out, osz, " in ");
	append(out, osz, fn);
}

static int grow(struct findings *fs)
{
	if (fs->n < fs->cap)
		return 0;
	size_t cap = fs->cap ? fs->cap * 2 : 4;
	struct finding *f = realloc(fs->f, cap * sizeof *f);
	if (!f)
		return -1;
	fs->f = f;
	fs->cap = cap;
	return 0;
}

/* Take the report being assembled out of the list. */
static void unpublish(struct findings *fs)
{
	if (fs->open < 0)
		return;
	if (fs->cur_own)
		fs->n--; /* its own entry is the last one: none is added while it is open */
	else
		fs->f[fs->open].count--;
	fs->open = -1;
}

/* Count it under its title: an earlier finding's, or its own new entry. */
static void publish(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->f[i].title, fs->cur->title)) {
			fs->f[i].count++;
			fs->open = (int)i;
			fs->cur_own = 0;
			return;
		}
	if (grow(fs) < 0)
		return;
	fs->f[fs->n] = *fs->cur;
	fs->open = (int)fs->n++;
	fs->cur_own = 1;
	fs->same_raw = fs->cur->raw_len;
	fs->same_frames = fs->cur->n_frames;
}

/* The report's own entry made equal to it again, byte for byte, copying
 * only what changed since it last was: its raw text and its frames only
 * grow at their ends (frames also shrink, same_frames follows them down),
 * its kind, title, time and count do not change while it is its own
 * entry (a new title is a new publish, a whole copy). */
static void sync_own(struct findings *fs)
{
	struct finding *f = &fs->f[fs->open];
	const struct finding *c = fs->cur;
	if (fs->same_frames < c->n_frames)
		memcpy(f->frames[fs->same_frames], c->frames[fs->same_frames],
		       (size_t)(c->n_frames - fs->same_frames) * sizeof c->frames[0]);
	f->n_frames = c->n_frames;
	fs->same_frames = c->n_frames;
	if (fs->same_raw <= c->raw_len)
		memcpy(f->raw + fs->same_raw, c->raw + fs->same_raw, c->raw_len - fs->same_raw + 1);
	f->raw_len = c->raw_len;
	f->raw_truncated = c->raw_truncated;
	fs->same_raw = c->raw_len;
}

/* After the report changed: its title again (only when what it is made
 * of changed: title_stale), and its entry. */
static void update(struct findings *fs)
{
	char t[FINDING_TITLE_MAX];
	if (fs->open >= 0 && !fs->title_stale) {
		if (fs->cur_own)
			sync_own(fs);
		return;
	}
	title_of(fs, t, sizeof t);
	fs->title_stale = 0;
	if (fs->open >= 0 && !strcmp(t, fs->cur->title)) {
		if (fs->cur_own)
			sync_own(fs);
		return;
	}
	unpublish(fs);
	memcpy(fs->cur->title, t, sizeof t);
	publish(fs);
}

static void close_cur(struct findings *fs)
{
	fs->open = -1;
	fs->active = 0;
	fs->in_trace = 0;
}

static void raw_add(struct findings *fs, const char *s, const char *e)
{
	struct finding *c = fs->cur;
	size_t n = (size_t)(e - s);
	if (c->raw_truncated || c->raw_len + n + 2 > sizeof c->raw) {
		c->raw_truncated = 1;
		return;
	}
	memcpy(c->raw + c->raw_len, s, n);
	c->raw_len += n;
	c->raw[c->raw_len++] = '\n';
	c->raw[c->raw_len] = '\0';
}

static void frame_add(struct findings *fs, const char *name)
{
	struct finding *c = fs->cur;
	if (fs->frames_done || c->n_frames >= FINDING_FRAMES)
		return;
	copy_str(c->frames[c->n_frames], FINDING_FRAME_MAX, name, name + strlen(name));
	c->n_frames++;
	fs->title_stale = 1;
}

static void open_cur(struct findings *fs, int row, unsigned long long ts, const char *s, const char *after,
		     const char *e)
{
	const struct fk_row *r = &fk_rows[row];
	if (!fs->cur && !(fs->cur = malloc(sizeof *fs->cur)))
		return;
	memset(fs->cur, 0, sizeof *fs->cur);
	fs->cur->kind = r->kind;
	fs->cur->ts_us = ts;
	fs->cur->count = 1;
	fs->cur_row = row;
	fs->title_stale = 1;
	fs->active = 1;
	fs->open = -1;
	fs->in_trace = (r->flags & FF_TRACE_NOW) != 0;
	fs->phase = fs->in_trace ? PH_TRACE : PH_PREAMBLE;
	fs->lines = 0;
	fs->foreign = 0;
	fs->irq_at = -1;
	fs->frames_done = 0;
	fs->access[0] = '\0';
	fs->hint[0] = '\0';
	if (r->words)
		copy_str(fs->words, sizeof fs->words, r->words, r->words + strlen(r->words));
	else
		r->build(r, after, e, fs->words, sizeof fs->words);
	if (r->flags & FF_HINT) {
		/* "at mm/x.c:12 func+0x1/0x2" (WARNING), " in func+0x1/0x2" (KASAN, KFENCE) */
		const char *p = r->kind == FK_WARNING ? find(after, e, " at ") : find(after, e, " in ");
		if (p) {
			p += 4;
			if (r->kind == FK_WARNING) {
				const char *sp = memchr(p, ' ', (size_t)(e - p));
				p = sp ? sp + 1 : e;
			}
			if (p < e)
				frame_at(p, e, fs->hint, sizeof fs->hint);
		}
	}
	raw_add(fs, s, e);
	if (r->flags & FF_OOM)
		for (int i = 0; i < fs->n_oom_frames; i++)
			frame_add(fs, fs->oom_frames[i]);
	update(fs);
	if (r->flags & FF_NOTRACE)
		close_cur(fs);
}

/* The trace's own lines: " <TASK>", registers "RAX: ..", "Code: ..". */
static int is_marker(const char *t, const char *e)
{
	return t < e && *t == '<' && (starts(t, e, "<TASK>") || starts(t, e, "</TASK>") || starts(t, e, "<IRQ>") ||
				      starts(t, e, "</IRQ>") || starts(t, e, "<NMI>") || starts(t, e, "</NMI>") ||
				      starts(t, e, "<EOI>") || starts(t, e, "<#") || starts(t, e, "</#"));
}

static int is_register_line(const char *t, const char *e)
{
	const char *p = t;
	while (p < e && ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
		p++;
	return p - t >= 2 && p - t <= 8 && p < e && *p == ':';
}

static int is_rule(const char *t, const char *e)
{
	return e - t >= 16 && starts(t, e, "================");
}

/* "RIP: 0010:func+0x1/0x2": the kernel function (a user RIP is "0033:0x..") */
static void rip_frame(struct findings *fs, const char *t, const char *e)
{
	const char *p = t + 5;
	const char *c = memchr(p, ':', (size_t)(e - p));
	char fn[FINDING_FRAME_MAX];
	if (c && frame_at(c + 1, e, fn, sizeof fn)) {
		frame_add(fs, fn);
		update(fs);
	}
}

/* A message of the open report's trace. */
static void trace_line(struct findings *fs, const char *s, const char *t, const char *e)
{
	const struct fk_row *r = &fk_rows[fs->cur_row];
	char fn[FINDING_FRAME_MAX];
	if (is_marker(t, e)) {
		fs->foreign = 0;
		raw_add(fs, s, e);
		if (starts(t, e, "</TASK>")) {
			fs->phase = PH_AFTER;
			fs->in_trace = 0;
		} else if ((r->flags & FF_TASK) && (starts(t, e, "<IRQ>") || starts(t, e, "<NMI>"))) {
			if (fs->irq_at < 0)
				fs->irq_at = fs->cur->n_frames;
		} else if ((r->flags & FF_TASK) && (starts(t, e, "</IRQ>") || starts(t, e, "</NMI>"))) {
			if (fs->irq_at >= 0 && fs->cur->n_frames > fs->irq_at) {
				fs->cur->n_frames = fs->irq_at;
				if (fs->same_frames > fs->irq_at)
					fs->same_frames = fs->irq_at;
				fs->title_stale = 1;
			}
			fs->irq_at = -1;
		}
		update(fs);
		return;
	}
	if (starts(t, e, "? ")) { /* the unwinder's guess */
		fs->foreign = 0;
		raw_add(fs, s, e);
		update(fs);
		return;
	}
	if (frame_at(t, e, fn, sizeof fn)) {
		fs->foreign = 0;
		raw_add(fs, s, e);
		frame_add(fs, fn);
		update(fs);
		return;
	}
	if (is_register_line(t, e)) {
		fs->foreign = 0;
		raw_add(fs, s, e);
		if (starts(t, e, "RIP: "))
			rip_frame(fs, t, e);
		else
			update(fs);
		return;
	}
	if (t == e && (r->flags & FF_TRACE_NOW)) {
		/* KFENCE: a blank line ends the access's stack; the allocation's
		 * and the free's stacks follow */
		if (fs->cur->n_frames)
			fs->frames_done = 1;
		raw_add(fs, s, e);
		update(fs);
		return;
	}
	if (r->flags & FF_TRACE_NOW) {
		raw_add(fs, s, e);
		if (fs->cur->n_frames)
			fs->frames_done = 1;
		update(fs);
		return;
	}
	/* another CPU's or task's message: not this report's */
	if (++fs->foreign > FND_FOREIGN_MAX)
		close_cur(fs);
}

/* Keeps the call trace of the last OOM report (mm/oom_kill.c dump_header),
 * for an OOM killer that then finds nothing to kill. */
static void oom_trace(struct findings *fs, const char *t, const char *e, const struct pairs *ps)
{
	char fn[FINDING_FRAME_MAX];
	if (find_in(ps, t, e, " invoked oom-killer: ")) {
		fs->oom_phase = 1;
		fs->n_oom_frames = 0;
	} else if (fs->oom_phase == 1 && starts(t, e, "Call Trace:")) {
		fs->oom_phase = 2;
	} else if (fs->oom_phase == 2 && (starts(t, e, "</TASK>") || starts(t, e, "Mem-Info:"))) {
		fs->oom_phase = 0;
	} else if (fs->oom_phase == 2 && fs->n_oom_frames < FINDING_FRAMES && frame_at(t, e, fn, sizeof fn)) {
		memcpy(fs->oom_frames[fs->n_oom_frames++], fn, sizeof fn);
	}
}

void findings_feed(struct findings *fs, unsigned long long ts_us, const char *msg, size_t len)
{
	if (!fs || !msg)
		return;
	const char *e = msg + len;
	while (e > msg && (e[-1] == '\n' || e[-1] == '\r'))
		e--;
	struct pairs ps;
	pairs_of(&ps, msg, e);
	findings_feed_pairs(fs, ts_us, msg, len, &ps);
}

void findings_feed_pairs(struct findings *fs, unsigned long long ts_us, const char *msg, size_t len,
			 const struct pairs *ps)
{
	if (!fs || !msg)
		return;
	const char *s = msg, *e = msg + len;
	while (e > s && (e[-1] == '\n' || e[-1] == '\r'))
		e--;
	const char *t = s;
	while (t < e && (*t == ' ' || *t == '\t'))
		t++;

	oom_trace(fs, t, e, ps);
	const char *after = NULL;
	int row = row_of(s, t, e, ps, &after);

	if (fs->active && fs->phase == PH_AFTER) {
		/* an oops prints its modules and CR2 between the trace and its end */
		if (row < 0 && (starts(t, e, "Modules linked in:") || starts(t, e, "CR2: "))) {
			raw_add(fs, s, e);
			update(fs);
			return;
		}
		if (starts(t, e, "---[ end trace")) {
			raw_add(fs, s, e);
			update(fs);
			close_cur(fs);
			return;
		}
		close_cur(fs);
	}

	if (row >= 0 && fs->active && fs->phase == PH_PREAMBLE && fk_rows[row].kind == FK_OOPS) {
		/* "Oops: 0000 [#1]" after "BUG: kernel NULL pointer dereference",
		 * "Oops: invalid opcode" after "kernel BUG at": the same report */
		raw_add(fs, s, e);
		update(fs);
		return;
	}
	if (row >= 0) {
		if (fs->active)
			close_cur(fs);
		open_cur(fs, row, ts_us, s, after, e);
		return;
	}
	if (!fs->active)
		return;

	/* lines that end a report */
	if (starts(t, e, "Kernel panic - not syncing") || starts(t, e, "---[ end trace") || is_rule(t, e)) {
		raw_add(fs, s, e);
		update(fs);
		close_cur(fs);
		return;
	}
	if (starts(t, e, "Mem-Info:") || find_in(ps, s, e, " invoked oom-killer: ")) {
		close_cur(fs);
		return;
	}

	if (fs->phase == PH_TRACE) {
		trace_line(fs, s, t, e);
		return;
	}
	/* the preamble: every line is the report's, up to its trace */
	raw_add(fs, s, e);
	if (starts(t, e, "Call Trace:")) {
		fs->phase = PH_TRACE;
		fs->in_trace = 1;
	} else if (starts(t, e, "RIP: ")) {
		rip_frame(fs, t, e);
	} else if (fs->cur->kind == FK_KASAN && !fs->access[0] &&
		   (starts(t, e, "Read of size ") || starts(t, e, "Write of size "))) {
		copy_str(fs->access, sizeof fs->access, t, t + (*t == 'R' ? 4 : 5));
		fs->title_stale = 1;
	}
	update(fs);
	if (++fs->lines > FND_PREAMBLE_MAX)
		close_cur(fs);
}
