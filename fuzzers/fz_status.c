// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/PID/status: fields come from the input; the kernel's format of the
 * parsed fields parses back to the same struct. */
#include <string.h>

#include "fuzz.h"
#include "parse/parse.h"
#include "lib/util.h"

static void put(struct buf *b, const char *key, long long v)
{
	if (v >= 0)
		buf_printf(b, "%s:\t%8lld kB\n", key, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc_status a, b;
	int r = parse_status((const char *)data, size, &a);
	FUZZ_CHECK(memchr(a.name, '\0', sizeof a.name), "name not terminated");
	FUZZ_CHECK(r != 0 || a.name[0] || a.pid >= 0 || memmem(data, size, "Name:", 5), "rc 0 from nothing");
	FUZZ_CHECK(r == 0 || (!a.name[0] && a.pid < 0), "rc %d with name '%s' pid %d", r, a.name, a.pid);
	if (a.pid >= 0)
		FUZZ_CHECK(memmem(data, size, "Pid:", 4), "a pid without a Pid line");
	struct buf t = {0};
	if (r == 0 || a.name[0])
		buf_printf(&t, "Name:\t%s\n", a.name);
	if (a.state)
		buf_printf(&t, "State:\t%c (x)\n", a.state);
	if (a.pid >= 0)
		buf_printf(&t, "Pid:\t%d\n", a.pid);
	put(&t, "VmPeak", a.vm_peak_kb);
	put(&t, "VmSize", a.vm_size_kb);
	put(&t, "VmHWM", a.vm_hwm_kb);
	put(&t, "VmRSS", a.vm_rss_kb);
	put(&t, "RssAnon", a.rss_anon_kb);
	put(&t, "RssFile", a.rss_file_kb);
	put(&t, "RssShmem", a.rss_shmem_kb);
	put(&t, "VmData", a.vm_data_kb);
	put(&t, "VmPTE", a.vm_pte_kb);
	put(&t, "VmSwap", a.vm_swap_kb);
	char *d = fuzz_dup(t.data ? t.data : "", t.len);
	parse_status(d, t.len, &b);
	free(d);
	FUZZ_CHECK(!strcmp(a.name, b.name), "name '%s' re-parsed as '%s'", a.name, b.name);
	FUZZ_CHECK(a.pid == b.pid && a.state == b.state, "pid/state changed");
	FUZZ_CHECK(a.vm_peak_kb == b.vm_peak_kb && a.vm_size_kb == b.vm_size_kb && a.vm_hwm_kb == b.vm_hwm_kb &&
			   a.vm_rss_kb == b.vm_rss_kb && a.rss_anon_kb == b.rss_anon_kb &&
			   a.rss_file_kb == b.rss_file_kb && a.rss_shmem_kb == b.rss_shmem_kb &&
			   a.vm_data_kb == b.vm_data_kb && a.vm_pte_kb == b.vm_pte_kb && a.vm_swap_kb == b.vm_swap_kb,
		   "a kB field changed: '%s'", t.data);
	buf_free(&t);
	return 0;
}
