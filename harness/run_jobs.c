// SPDX-License-Identifier: GPL-2.0-or-later
#include "run_jobs.h"
#include "lib/util.h"
#include "parse/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Host MemAvailable in MiB (host /proc/meminfo is only read), or -1. */
static long long host_available_mb(void)
{
	char *text;
	size_t len;
	if (read_file("/proc/meminfo", &text, &len) < 0)
		return -1;
	struct kvlist l = {0};
	parse_meminfo(text, len, &l);
	long long kb = kv_get(&l, "MemAvailable", -1);
	kvlist_free(&l);
	free(text);
	return kb < 0 ? -1 : kb / 1024;
}

/* The largest guest RAM of the cells to run, MiB. */
static long long biggest_ram(const struct matrix *m, const size_t *todo, size_t n_todo)
{
	long long biggest = 0;
	for (size_t i = 0; i < n_todo; i++)
		if (m->cells[todo[i]].ram_mb > biggest)
			biggest = m->cells[todo[i]].ram_mb;
	return biggest;
}

int run_spares(const struct matrix *m, const size_t *todo, size_t n_todo, int jobs)
{
	if (n_todo <= (size_t)jobs)
		return 0;
	long long per = biggest_ram(m, todo, n_todo) + QEMU_OVERHEAD_MB;
	long long avail = host_available_mb();
	long long fit = avail > 0 ? avail / per - jobs : jobs;
	return fit < 0 ? 0 : fit < jobs ? (int)fit : jobs;
}

int run_jobs(long long asked, const struct matrix *m, const size_t *todo, size_t n_todo,
	     int *jobs)
{
	long long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long long want = asked ? asked : (cpus > 0 ? cpus : 1);
	if (want > (long long)n_todo)
		want = n_todo ? (long long)n_todo : 1;
	long long biggest = biggest_ram(m, todo, n_todo);
	long long avail = host_available_mb();
	long long per = biggest + QEMU_OVERHEAD_MB;
	if (avail > 0 && want * per > avail) {
		long long fit = avail / per;
		if (asked || fit < 1) {
			fprintf(stderr,
				"oomlab: -j %lld: %lld VMs need up to %lld MiB (%lld MiB guest RAM + %d MiB "
				"for QEMU each) but the host has %lld MiB available; use -j %lld%s\n",
				want, want, want * per, biggest, QEMU_OVERHEAD_MB, avail, fit < 1 ? 1 : fit,
				fit < 1 ? " and smaller ram_mb" : "");
			return -1;
		}
		log_info("running %lld VMs at once (not %lld): that is what fits in %lld MiB", fit, want,
			 avail);
		want = fit;
	}
	*jobs = (int)want;
	return 0;
}
