// SPDX-License-Identifier: GPL-2.0-or-later
/* The oracle, table-driven: every row is a workload of a real run (the
 * overcommit sweep on Debian 6.1 and 6.12, and ulimit -v 128M; 256 MiB, one
 * CPU, alloc then touch in sequence; then the same sweep on kernels and RAM
 * sizes the tolerances were not fitted on) with the inputs the oracle saw
 * and what the kernel did. Then the rules one by one on made-up inputs. */
#include <criterion/criterion.h>
#include <stdlib.h>
/* the rows of real runs name the inputs up to the frag thresholds; a row
 * leaves its group's memory.max (cg_max_kb) 0: none */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <string.h>
#include <unistd.h>

#include "judge/memcg.h"
#include "judge/oracle.h"
#include "judge/outcome.h"
#include "lib/util.h"
#include "workloads/wl.h"

struct row {
	const char *what;
	/* overcommit_memory, panic_on_oom, MemTotal, MemAvailable, SwapTotal,
	 * CommitLimit, Committed_AS, cpus, n_workloads, sequence, all_immune,
	 * workload (its row), block_kb, max_mb, rlimit_as_mb, start VmSize kB, then the
	 * fields of sized workloads (size_mb, frag count/size/pattern, held_kb;
	 * frag mmap/trim thresholds are 0: glibc's) */
	struct oracle_in in;
	const char *endpoint;
	double mb;
	long long cg_max_kb; /* memory.max of the workload's group (oracle_cg.max_kb), 0: no group */
};

static const struct row real[] = {
	{"6.1 overcommit-memory-0-overcommit-ratio-100-swap-mb-0 alloc", {0, 0, 210752, 186132, 0, 210752, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 30239.7},
	{"6.1 overcommit-memory-0-overcommit-ratio-100-swap-mb-0 touch", {0, 0, 210752, 186132, 0, 210752, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 171.7},
	{"6.1 overcommit-memory-0-overcommit-ratio-100-swap-mb-256 alloc", {0, 0, 210740, 184928, 262140, 472880, 3196, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 73509.1},
	{"6.1 overcommit-memory-0-overcommit-ratio-100-swap-mb-256 touch", {0, 0, 210740, 184928, 262140, 472880, 3196, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 427.7},
	{"6.1 overcommit-memory-0-overcommit-ratio-25-swap-mb-0 alloc", {0, 0, 210752, 186132, 0, 52688, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 30240.7},
	{"6.1 overcommit-memory-0-overcommit-ratio-25-swap-mb-0 touch", {0, 0, 210752, 186132, 0, 52688, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 171.7},
	{"6.1 overcommit-memory-0-overcommit-ratio-25-swap-mb-256 alloc", {0, 0, 210740, 185016, 262140, 314824, 3196, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 73484.1},
	{"6.1 overcommit-memory-0-overcommit-ratio-25-swap-mb-256 touch", {0, 0, 210740, 185016, 262140, 314824, 3196, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 425.7},
	{"6.1 overcommit-memory-0-overcommit-ratio-50-swap-mb-0 alloc", {0, 0, 210752, 186132, 0, 105376, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 30239.7},
	{"6.1 overcommit-memory-0-overcommit-ratio-50-swap-mb-0 touch", {0, 0, 210752, 186132, 0, 105376, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 171.7},
	{"6.1 overcommit-memory-0-overcommit-ratio-50-swap-mb-256 alloc", {0, 0, 210740, 185080, 262140, 367508, 3196, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 73544.1},
	{"6.1 overcommit-memory-0-overcommit-ratio-50-swap-mb-256 touch", {0, 0, 210740, 185080, 262140, 367508, 3196, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 427.7},
	{"6.1 overcommit-memory-1-overcommit-ratio-100-swap-mb-0 alloc", {1, 0, 210752, 186132, 0, 210752, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 30240.7},
	{"6.1 overcommit-memory-1-overcommit-ratio-100-swap-mb-0 touch", {1, 0, 210752, 186132, 0, 210752, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 171.7},
	{"6.1 overcommit-memory-1-overcommit-ratio-100-swap-mb-256 alloc", {1, 0, 210740, 184928, 262140, 472880, 3196, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 73529.1},
	{"6.1 overcommit-memory-1-overcommit-ratio-100-swap-mb-256 touch", {1, 0, 210740, 184928, 262140, 472880, 3196, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 419.6},
	{"6.1 overcommit-memory-1-overcommit-ratio-25-swap-mb-0 alloc", {1, 0, 210752, 186132, 0, 52688, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 30240.7},
	{"6.1 overcommit-memory-1-overcommit-ratio-25-swap-mb-0 touch", {1, 0, 210752, 186132, 0, 52688, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 171.7},
	{"6.1 overcommit-memory-1-overcommit-ratio-25-swap-mb-256 alloc", {1, 0, 210740, 185080, 262140, 314824, 3196, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 73500.1},
	{"6.1 overcommit-memory-1-overcommit-ratio-25-swap-mb-256 touch", {1, 0, 210740, 185080, 262140, 314824, 3196, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 422.6},
	{"6.1 overcommit-memory-1-overcommit-ratio-50-swap-mb-0 alloc", {1, 0, 210752, 186068, 0, 105376, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 30227.6},
	{"6.1 overcommit-memory-1-overcommit-ratio-50-swap-mb-0 touch", {1, 0, 210752, 186068, 0, 105376, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 171.7},
	{"6.1 overcommit-memory-1-overcommit-ratio-50-swap-mb-256 alloc", {1, 0, 210740, 184928, 262140, 367508, 3196, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 73514.1},
	{"6.1 overcommit-memory-1-overcommit-ratio-50-swap-mb-256 touch", {1, 0, 210740, 184928, 262140, 367508, 3196, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 419.6},
	{"6.1 overcommit-memory-2-overcommit-ratio-100-swap-mb-0 alloc", {2, 0, 210752, 186132, 0, 210752, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 195.0},
	{"6.1 overcommit-memory-2-overcommit-ratio-100-swap-mb-0 touch", {2, 0, 210752, 186132, 0, 210752, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 176.7},
	{"6.1 overcommit-memory-2-overcommit-ratio-100-swap-mb-256 alloc", {2, 0, 210740, 185080, 262140, 472880, 3196, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 450.0},
	{"6.1 overcommit-memory-2-overcommit-ratio-100-swap-mb-256 touch", {2, 0, 210740, 185080, 262140, 472880, 3196, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 424.7},
	{"6.1 overcommit-memory-2-overcommit-ratio-25-swap-mb-0 alloc", {2, 0, 210752, 186132, 0, 52688, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 46.0},
	{"6.1 overcommit-memory-2-overcommit-ratio-25-swap-mb-0 touch", {2, 0, 210752, 186132, 0, 52688, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 46.0},
	{"6.1 overcommit-memory-2-overcommit-ratio-25-swap-mb-256 alloc", {2, 0, 210740, 185080, 262140, 314824, 3196, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 296.0},
	{"6.1 overcommit-memory-2-overcommit-ratio-25-swap-mb-256 touch", {2, 0, 210740, 185080, 262140, 314824, 3196, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 296.0},
	{"6.1 overcommit-memory-2-overcommit-ratio-50-swap-mb-0 alloc", {2, 0, 210752, 186068, 0, 105376, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 96.0},
	{"6.1 overcommit-memory-2-overcommit-ratio-50-swap-mb-0 touch", {2, 0, 210752, 186068, 0, 105376, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 96.0},
	{"6.1 overcommit-memory-2-overcommit-ratio-50-swap-mb-256 alloc", {2, 0, 210740, 185080, 262140, 367508, 3196, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 348.0},
	{"6.1 overcommit-memory-2-overcommit-ratio-50-swap-mb-256 touch", {2, 0, 210740, 185080, 262140, 367508, 3196, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 348.0},
	{"6.12 overcommit-memory-0-overcommit-ratio-100-swap-mb-0 alloc", {0, 0, 217792, 194800, 0, 217792, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32388.0},
	{"6.12 overcommit-memory-0-overcommit-ratio-100-swap-mb-0 touch", {0, 0, 217792, 194800, 0, 217792, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 186.7},
	{"6.12 overcommit-memory-0-overcommit-ratio-100-swap-mb-256 alloc", {0, 0, 217776, 194204, 262140, 479916, 2988, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75658.1},
	{"6.12 overcommit-memory-0-overcommit-ratio-100-swap-mb-256 touch", {0, 0, 217776, 194204, 262140, 479916, 2988, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 440.7},
	{"6.12 overcommit-memory-0-overcommit-ratio-25-swap-mb-0 alloc", {0, 0, 217792, 189052, 0, 54448, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32247.5},
	{"6.12 overcommit-memory-0-overcommit-ratio-25-swap-mb-0 touch", {0, 0, 217792, 189052, 0, 54448, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 187.7},
	{"6.12 overcommit-memory-0-overcommit-ratio-25-swap-mb-256 alloc", {0, 0, 217776, 188396, 262140, 316584, 2988, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75747.2},
	{"6.12 overcommit-memory-0-overcommit-ratio-25-swap-mb-256 touch", {0, 0, 217776, 188396, 262140, 316584, 2988, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 438.7},
	{"6.12 overcommit-memory-0-overcommit-ratio-50-swap-mb-0 alloc", {0, 0, 217792, 194664, 0, 108896, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32582.8},
	{"6.12 overcommit-memory-0-overcommit-ratio-50-swap-mb-0 touch", {0, 0, 217792, 194664, 0, 108896, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 186.7},
	{"6.12 overcommit-memory-0-overcommit-ratio-50-swap-mb-256 alloc", {0, 0, 217776, 188980, 262140, 371028, 2988, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75753.2},
	{"6.12 overcommit-memory-0-overcommit-ratio-50-swap-mb-256 touch", {0, 0, 217776, 188980, 262140, 371028, 2988, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 440.7},
	{"6.12 overcommit-memory-1-overcommit-ratio-100-swap-mb-0 alloc", {1, 0, 217792, 194300, 0, 217792, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32601.9},
	{"6.12 overcommit-memory-1-overcommit-ratio-100-swap-mb-0 touch", {1, 0, 217792, 194300, 0, 217792, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 188.7},
	{"6.12 overcommit-memory-1-overcommit-ratio-100-swap-mb-256 alloc", {1, 0, 217776, 190060, 262140, 479916, 2988, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75602.1},
	{"6.12 overcommit-memory-1-overcommit-ratio-100-swap-mb-256 touch", {1, 0, 217776, 190060, 262140, 479916, 2988, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 437.7},
	{"6.12 overcommit-memory-1-overcommit-ratio-25-swap-mb-0 alloc", {1, 0, 217792, 192676, 0, 54448, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32484.4},
	{"6.12 overcommit-memory-1-overcommit-ratio-25-swap-mb-0 touch", {1, 0, 217792, 192676, 0, 54448, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 186.7},
	{"6.12 overcommit-memory-1-overcommit-ratio-25-swap-mb-256 alloc", {1, 0, 217776, 189028, 262140, 316584, 2988, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75768.2},
	{"6.12 overcommit-memory-1-overcommit-ratio-25-swap-mb-256 touch", {1, 0, 217776, 189028, 262140, 316584, 2988, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 436.7},
	{"6.12 overcommit-memory-1-overcommit-ratio-50-swap-mb-0 alloc", {1, 0, 217792, 189004, 0, 108896, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32244.5},
	{"6.12 overcommit-memory-1-overcommit-ratio-50-swap-mb-0 touch", {1, 0, 217792, 189004, 0, 108896, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 188.7},
	{"6.12 overcommit-memory-1-overcommit-ratio-50-swap-mb-256 alloc", {1, 0, 217776, 192380, 262140, 371028, 2988, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75716.2},
	{"6.12 overcommit-memory-1-overcommit-ratio-50-swap-mb-256 touch", {1, 0, 217776, 192380, 262140, 371028, 2988, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 443.7},
	{"6.12 overcommit-memory-2-overcommit-ratio-100-swap-mb-0 alloc", {2, 0, 217792, 188596, 0, 217792, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 202.0},
	{"6.12 overcommit-memory-2-overcommit-ratio-100-swap-mb-0 touch", {2, 0, 217792, 188596, 0, 217792, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 190.7},
	{"6.12 overcommit-memory-2-overcommit-ratio-100-swap-mb-256 alloc", {2, 0, 217776, 191844, 262140, 479916, 2988, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 457.0},
	{"6.12 overcommit-memory-2-overcommit-ratio-100-swap-mb-256 touch", {2, 0, 217776, 191844, 262140, 479916, 2988, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 441.7},
	{"6.12 overcommit-memory-2-overcommit-ratio-25-swap-mb-0 alloc", {2, 0, 217792, 194088, 0, 54448, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 48.0},
	{"6.12 overcommit-memory-2-overcommit-ratio-25-swap-mb-0 touch", {2, 0, 217792, 194088, 0, 54448, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 48.0},
	{"6.12 overcommit-memory-2-overcommit-ratio-25-swap-mb-256 alloc", {2, 0, 217776, 190540, 262140, 316584, 2988, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 298.0},
	{"6.12 overcommit-memory-2-overcommit-ratio-25-swap-mb-256 touch", {2, 0, 217776, 190540, 262140, 316584, 2988, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 298.0},
	{"6.12 overcommit-memory-2-overcommit-ratio-50-swap-mb-0 alloc", {2, 0, 217792, 193124, 0, 108896, 2912, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 99.0},
	{"6.12 overcommit-memory-2-overcommit-ratio-50-swap-mb-0 touch", {2, 0, 217792, 193124, 0, 108896, 2912, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 99.0},
	{"6.12 overcommit-memory-2-overcommit-ratio-50-swap-mb-256 alloc", {2, 0, 217776, 190420, 262140, 371028, 2988, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 351.0},
	{"6.12 overcommit-memory-2-overcommit-ratio-50-swap-mb-256 touch", {2, 0, 217776, 190420, 262140, 371028, 2988, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 351.0},
	{"6.1 ulimit-128 alloc", {0, 0, 210752, 185328, 0, 105376, 3196, 1, 2, 1, 0, &wl_alloc, 1024, 0, 128, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 126.0},
	{"6.1 ulimit-128 touch", {0, 0, 210752, 185328, 0, 105376, 3196, 1, 2, 1, 0, &wl_touch, 1024, 0, 128, 988, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 126.0},
	/* Kernels and RAM sizes the constants were not fitted on (recorded
	 * after they were, with examples/overcommit-sweep.json): Debian
	 * 6.12.117+deb12 and 6.1.0-57-cloud at 256 MiB, 6.1.0-57 at 512 MiB,
	 * 6.12.117+deb12 at 1 GiB (timeout_s 300: at 120 s the slowest touch,
	 * 1123 MB into swap, was still going when the deadline came). */
	{"6.12.117 overcommit-memory-0-overcommit-ratio-25-swap-mb-0 alloc", {0, 0, 217792, 190660, 0, 54448, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32346.9},
	{"6.12.117 overcommit-memory-0-overcommit-ratio-25-swap-mb-0 touch", {0, 0, 217792, 190660, 0, 54448, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 186.7},
	{"6.12.117 overcommit-memory-0-overcommit-ratio-25-swap-mb-256 alloc", {0, 0, 217776, 191896, 262140, 316584, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75790.2},
	{"6.12.117 overcommit-memory-0-overcommit-ratio-25-swap-mb-256 touch", {0, 0, 217776, 191896, 262140, 316584, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 441.7},
	{"6.12.117 overcommit-memory-0-overcommit-ratio-50-swap-mb-0 alloc", {0, 0, 217792, 190676, 0, 108896, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32288.6},
	{"6.12.117 overcommit-memory-0-overcommit-ratio-50-swap-mb-0 touch", {0, 0, 217792, 190676, 0, 108896, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 186.7},
	{"6.12.117 overcommit-memory-0-overcommit-ratio-50-swap-mb-256 alloc", {0, 0, 217776, 191904, 262140, 371028, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75754.2},
	{"6.12.117 overcommit-memory-0-overcommit-ratio-50-swap-mb-256 touch", {0, 0, 217776, 191904, 262140, 371028, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 444.7},
	{"6.12.117 overcommit-memory-0-overcommit-ratio-100-swap-mb-0 alloc", {0, 0, 217792, 190660, 0, 217792, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32243.5},
	{"6.12.117 overcommit-memory-0-overcommit-ratio-100-swap-mb-0 touch", {0, 0, 217792, 190660, 0, 217792, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 187.7},
	{"6.12.117 overcommit-memory-0-overcommit-ratio-100-swap-mb-256 alloc", {0, 0, 217776, 191896, 262140, 479916, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75717.2},
	{"6.12.117 overcommit-memory-0-overcommit-ratio-100-swap-mb-256 touch", {0, 0, 217776, 191896, 262140, 479916, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 440.7},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-25-swap-mb-0 alloc", {1, 0, 217792, 190660, 0, 54448, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32242.5},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-25-swap-mb-0 touch", {1, 0, 217792, 190660, 0, 54448, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 186.7},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-25-swap-mb-256 alloc", {1, 0, 217776, 191896, 262140, 316584, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75698.2},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-25-swap-mb-256 touch", {1, 0, 217776, 191896, 262140, 316584, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 441.7},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-50-swap-mb-0 alloc", {1, 0, 217792, 190664, 0, 108896, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32242.5},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-50-swap-mb-0 touch", {1, 0, 217792, 190664, 0, 108896, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 186.7},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-50-swap-mb-256 alloc", {1, 0, 217776, 191896, 262140, 371028, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75818.2},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-50-swap-mb-256 touch", {1, 0, 217776, 191896, 262140, 371028, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 442.7},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-100-swap-mb-0 alloc", {1, 0, 217792, 190676, 0, 217792, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32348.9},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-100-swap-mb-0 touch", {1, 0, 217792, 190676, 0, 217792, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 186.7},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-100-swap-mb-256 alloc", {1, 0, 217776, 191896, 262140, 479916, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75747.2},
	{"6.12.117 overcommit-memory-1-overcommit-ratio-100-swap-mb-256 touch", {1, 0, 217776, 191896, 262140, 479916, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 440.7},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-25-swap-mb-0 alloc", {2, 0, 217792, 190660, 0, 54448, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 47.0},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-25-swap-mb-0 touch", {2, 0, 217792, 190660, 0, 54448, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 47.0},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-25-swap-mb-256 alloc", {2, 0, 217776, 191904, 262140, 316584, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 298.0},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-25-swap-mb-256 touch", {2, 0, 217776, 191904, 262140, 316584, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 298.0},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-50-swap-mb-0 alloc", {2, 0, 217792, 190676, 0, 108896, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 99.0},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-50-swap-mb-0 touch", {2, 0, 217792, 190676, 0, 108896, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 99.0},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-50-swap-mb-256 alloc", {2, 0, 217776, 191896, 262140, 371028, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 351.0},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-50-swap-mb-256 touch", {2, 0, 217776, 191896, 262140, 371028, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 351.0},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-100-swap-mb-0 alloc", {2, 0, 217792, 190664, 0, 217792, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 202.0},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-100-swap-mb-0 touch", {2, 0, 217792, 190664, 0, 217792, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 190.7},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-100-swap-mb-256 alloc", {2, 0, 217776, 191896, 262140, 479916, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 457.0},
	{"6.12.117 overcommit-memory-2-overcommit-ratio-100-swap-mb-256 touch", {2, 0, 217776, 191896, 262140, 479916, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 443.7},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-25-swap-mb-0 alloc", {0, 0, 223632, 199416, 0, 55908, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32335.8},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-25-swap-mb-0 touch", {0, 0, 223632, 199416, 0, 55908, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 184.7},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-25-swap-mb-256 alloc", {0, 0, 223620, 198224, 262140, 318044, 3552, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75369.1},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-25-swap-mb-256 touch", {0, 0, 223620, 198224, 262140, 318044, 3552, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 437.7},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-50-swap-mb-0 alloc", {0, 0, 223632, 199416, 0, 111816, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32333.8},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-50-swap-mb-0 touch", {0, 0, 223632, 199416, 0, 111816, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 184.7},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-50-swap-mb-256 alloc", {0, 0, 223620, 198208, 262140, 373948, 3552, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 74910.1},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-50-swap-mb-256 touch", {0, 0, 223620, 198208, 262140, 373948, 3552, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 437.7},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-100-swap-mb-0 alloc", {0, 0, 223632, 199416, 0, 223632, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32339.8},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-100-swap-mb-0 touch", {0, 0, 223632, 199416, 0, 223632, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 184.7},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-100-swap-mb-256 alloc", {0, 0, 223620, 198212, 262140, 485760, 3552, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75419.1},
	{"6.1-cloud overcommit-memory-0-overcommit-ratio-100-swap-mb-256 touch", {0, 0, 223620, 198212, 262140, 485760, 3552, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 437.7},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-25-swap-mb-0 alloc", {1, 0, 223632, 199412, 0, 55908, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32337.8},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-25-swap-mb-0 touch", {1, 0, 223632, 199412, 0, 55908, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 185.7},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-25-swap-mb-256 alloc", {1, 0, 223620, 198220, 262140, 318044, 3552, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75638.1},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-25-swap-mb-256 touch", {1, 0, 223620, 198220, 262140, 318044, 3552, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 437.7},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-50-swap-mb-0 alloc", {1, 0, 223632, 199412, 0, 111816, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32337.8},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-50-swap-mb-0 touch", {1, 0, 223632, 199412, 0, 111816, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 184.7},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-50-swap-mb-256 alloc", {1, 0, 223620, 198224, 262140, 373948, 3552, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75705.2},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-50-swap-mb-256 touch", {1, 0, 223620, 198224, 262140, 373948, 3552, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 436.7},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-100-swap-mb-0 alloc", {1, 0, 223632, 199416, 0, 223632, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 32336.8},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-100-swap-mb-0 touch", {1, 0, 223632, 199416, 0, 223632, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 184.7},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-100-swap-mb-256 alloc", {1, 0, 223620, 198224, 262140, 485760, 3552, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 75583.1},
	{"6.1-cloud overcommit-memory-1-overcommit-ratio-100-swap-mb-256 touch", {1, 0, 223620, 198224, 262140, 485760, 3552, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 436.7},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-25-swap-mb-0 alloc", {2, 0, 223632, 199412, 0, 55908, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 49.0},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-25-swap-mb-0 touch", {2, 0, 223632, 199412, 0, 55908, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 49.0},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-25-swap-mb-256 alloc", {2, 0, 223620, 198208, 262140, 318044, 3552, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 299.0},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-25-swap-mb-256 touch", {2, 0, 223620, 198208, 262140, 318044, 3552, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 299.0},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-50-swap-mb-0 alloc", {2, 0, 223632, 199416, 0, 111816, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 102.0},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-50-swap-mb-0 touch", {2, 0, 223632, 199416, 0, 111816, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 102.0},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-50-swap-mb-256 alloc", {2, 0, 223620, 198220, 262140, 373948, 3552, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 353.0},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-50-swap-mb-256 touch", {2, 0, 223620, 198220, 262140, 373948, 3552, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 353.0},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-100-swap-mb-0 alloc", {2, 0, 223632, 199416, 0, 223632, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 207.0},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-100-swap-mb-0 touch", {2, 0, 223632, 199416, 0, 223632, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 189.7},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-100-swap-mb-256 alloc", {2, 0, 223620, 198208, 262140, 485760, 3552, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 462.0},
	{"6.1-cloud overcommit-memory-2-overcommit-ratio-100-swap-mb-256 touch", {2, 0, 223620, 198208, 262140, 485760, 3552, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 439.7},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-25-swap-mb-0 alloc", {0, 0, 468416, 438356, 0, 117104, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 72756.1},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-25-swap-mb-0 touch", {0, 0, 468416, 438356, 0, 117104, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 421.6},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-25-swap-mb-256 alloc", {0, 0, 468404, 437408, 262140, 379240, 3548, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 113354.0},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-25-swap-mb-256 touch", {0, 0, 468404, 437408, 262140, 379240, 3548, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 659.6},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-50-swap-mb-0 alloc", {0, 0, 468416, 438356, 0, 234208, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 72762.1},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-50-swap-mb-0 touch", {0, 0, 468416, 438356, 0, 234208, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 420.6},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-50-swap-mb-256 alloc", {0, 0, 468404, 437416, 262140, 496340, 3548, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 113033.0},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-50-swap-mb-256 touch", {0, 0, 468404, 437416, 262140, 496340, 3548, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 664.6},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-100-swap-mb-0 alloc", {0, 0, 468416, 438356, 0, 468416, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 72783.1},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-100-swap-mb-0 touch", {0, 0, 468416, 438356, 0, 468416, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 420.6},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-100-swap-mb-256 alloc", {0, 0, 468404, 437416, 262140, 730544, 3548, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 113401.0},
	{"6.1 512M overcommit-memory-0-overcommit-ratio-100-swap-mb-256 touch", {0, 0, 468404, 437416, 262140, 730544, 3548, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 656.6},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-25-swap-mb-0 alloc", {1, 0, 468416, 438356, 0, 117104, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 72775.1},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-25-swap-mb-0 touch", {1, 0, 468416, 438356, 0, 117104, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 422.6},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-25-swap-mb-256 alloc", {1, 0, 468404, 437416, 262140, 379240, 3548, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 112634.0},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-25-swap-mb-256 touch", {1, 0, 468404, 437416, 262140, 379240, 3548, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 660.6},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-50-swap-mb-0 alloc", {1, 0, 468416, 438356, 0, 234208, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 72756.1},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-50-swap-mb-0 touch", {1, 0, 468416, 438356, 0, 234208, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 421.6},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-50-swap-mb-256 alloc", {1, 0, 468404, 437428, 262140, 496340, 3548, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 113120.0},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-50-swap-mb-256 touch", {1, 0, 468404, 437428, 262140, 496340, 3548, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 663.6},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-100-swap-mb-0 alloc", {1, 0, 468416, 438356, 0, 468416, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 72762.1},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-100-swap-mb-0 touch", {1, 0, 468416, 438356, 0, 468416, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 422.6},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-100-swap-mb-256 alloc", {1, 0, 468404, 437432, 262140, 730544, 3548, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 113711.0},
	{"6.1 512M overcommit-memory-1-overcommit-ratio-100-swap-mb-256 touch", {1, 0, 468404, 437432, 262140, 730544, 3548, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 656.6},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-25-swap-mb-0 alloc", {2, 0, 468416, 438368, 0, 117104, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 107.0},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-25-swap-mb-0 touch", {2, 0, 468416, 438368, 0, 117104, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 107.0},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-25-swap-mb-256 alloc", {2, 0, 468404, 437416, 262140, 379240, 3548, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 354.0},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-25-swap-mb-256 touch", {2, 0, 468404, 437416, 262140, 379240, 3548, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 354.0},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-50-swap-mb-0 alloc", {2, 0, 468416, 438356, 0, 234208, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 217.0},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-50-swap-mb-0 touch", {2, 0, 468416, 438356, 0, 234208, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 217.0},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-50-swap-mb-256 alloc", {2, 0, 468404, 437428, 262140, 496340, 3548, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 465.0},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-50-swap-mb-256 touch", {2, 0, 468404, 437428, 262140, 496340, 3548, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 465.0},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-100-swap-mb-0 alloc", {2, 0, 468416, 438356, 0, 468416, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 439.0},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-100-swap-mb-0 touch", {2, 0, 468416, 438356, 0, 468416, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 425.7},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-100-swap-mb-256 alloc", {2, 0, 468404, 437416, 262140, 730544, 3548, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 693.0},
	{"6.1 512M overcommit-memory-2-overcommit-ratio-100-swap-mb-256 touch", {2, 0, 468404, 437416, 262140, 730544, 3548, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 662.6},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-25-swap-mb-0 alloc", {0, 0, 990784, 888636, 0, 247696, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 151528.0},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-25-swap-mb-0 touch", {0, 0, 990784, 888636, 0, 247696, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 887.5},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-25-swap-mb-256 alloc", {0, 0, 990764, 888216, 262140, 509828, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 191220.0},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-25-swap-mb-256 touch", {0, 0, 990764, 888216, 262140, 509828, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 1146.5},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-50-swap-mb-0 alloc", {0, 0, 990784, 888632, 0, 495392, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 149638.0},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-50-swap-mb-0 touch", {0, 0, 990784, 888632, 0, 495392, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 884.4},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-50-swap-mb-256 alloc", {0, 0, 990764, 888208, 262140, 757520, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 193124.0},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-50-swap-mb-256 touch", {0, 0, 990764, 888208, 262140, 757520, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 1127.4},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-100-swap-mb-0 alloc", {0, 0, 990784, 888636, 0, 990784, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 149327.0},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-100-swap-mb-0 touch", {0, 0, 990784, 888636, 0, 990784, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 883.4},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-100-swap-mb-256 alloc", {0, 0, 990764, 888208, 262140, 1252904, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 192965.0},
	{"6.12.117 1G overcommit-memory-0-overcommit-ratio-100-swap-mb-256 touch", {0, 0, 990764, 888208, 262140, 1252904, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 1151.5},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-25-swap-mb-0 alloc", {1, 0, 990784, 888636, 0, 247696, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 148853.0},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-25-swap-mb-0 touch", {1, 0, 990784, 888636, 0, 247696, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 889.5},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-25-swap-mb-256 alloc", {1, 0, 990764, 888220, 262140, 509828, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 187048.0},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-25-swap-mb-256 touch", {1, 0, 990764, 888220, 262140, 509828, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 1108.3},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-50-swap-mb-0 alloc", {1, 0, 990784, 888636, 0, 495392, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 151525.0},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-50-swap-mb-0 touch", {1, 0, 990784, 888636, 0, 495392, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 882.4},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-50-swap-mb-256 alloc", {1, 0, 990764, 888220, 262140, 757520, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 189104.0},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-50-swap-mb-256 touch", {1, 0, 990764, 888220, 262140, 757520, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 1097.3},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-100-swap-mb-0 alloc", {1, 0, 990784, 888636, 0, 990784, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 149228.0},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-100-swap-mb-0 touch", {1, 0, 990784, 888636, 0, 990784, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 885.4},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-100-swap-mb-256 alloc", {1, 0, 990764, 888208, 262140, 1252904, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 195553.0},
	{"6.12.117 1G overcommit-memory-1-overcommit-ratio-100-swap-mb-256 touch", {1, 0, 990764, 888208, 262140, 1252904, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 1152.5},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-25-swap-mb-0 alloc", {2, 0, 990784, 888636, 0, 247696, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 231.0},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-25-swap-mb-0 touch", {2, 0, 990784, 888636, 0, 247696, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 231.0},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-25-swap-mb-256 alloc", {2, 0, 990764, 888208, 262140, 509828, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 479.0},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-25-swap-mb-256 touch", {2, 0, 990764, 888208, 262140, 509828, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 479.0},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-50-swap-mb-0 alloc", {2, 0, 990784, 888636, 0, 495392, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 463.0},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-50-swap-mb-0 touch", {2, 0, 990784, 888636, 0, 495392, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 463.0},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-50-swap-mb-256 alloc", {2, 0, 990764, 888208, 262140, 757520, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 711.0},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-50-swap-mb-256 touch", {2, 0, 990764, 888208, 262140, 757520, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 711.0},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-100-swap-mb-0 alloc", {2, 0, 990784, 888636, 0, 990784, 3264, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 931.0},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-100-swap-mb-0 touch", {2, 0, 990784, 888636, 0, 990784, 3264, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 886.4},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-100-swap-mb-256 alloc", {2, 0, 990764, 888208, 262140, 1252904, 3340, 1, 2, 1, 0, &wl_alloc, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "enomem", 1187.0},
	{"6.12.117 1G overcommit-memory-2-overcommit-ratio-100-swap-mb-256 touch", {2, 0, 990764, 888208, 262140, 1252904, 3340, 1, 2, 1, 0, &wl_touch, 1024, 0, 0, 1220, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 1151.5},
};

Test(oracle, real_runs_land_inside_the_prediction)
{
	for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
		struct prediction p;
		oracle_predict(&real[i].in, &p);
		char why[600];
		cr_expect(oracle_agrees(&p, real[i].endpoint, real[i].mb, why, sizeof why), "%s: %s",
			  real[i].what, why);
		cr_expect(p.known);
	}
}

/* the same inputs with the kernel doing something else must FAIL */
Test(oracle, other_outcomes_disagree)
{
	for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
		struct prediction p;
		oracle_predict(&real[i].in, &p);
		char why[600];
		const char *other = strcmp(real[i].endpoint, "enomem") ? "enomem" : "oom_killed";
		/* overcommit 2, ratio 100, touch accepts both (limits within 10%) */
		if (p.n_endpoints > 1)
			continue;
		cr_expect(!oracle_agrees(&p, other, real[i].mb, why, sizeof why), "%s", real[i].what);
		cr_expect(!oracle_agrees(&p, real[i].endpoint, real[i].mb * 1.3 + 10, why, sizeof why),
			  "%s: 30%% more MB accepted", real[i].what);
		cr_expect(!oracle_agrees(&p, real[i].endpoint, real[i].mb * 0.7 - 10, why, sizeof why),
			  "%s: 30%% less MB accepted", real[i].what);
	}
}

static struct oracle_in base(const char *wl);

/* kmem until the kernel stops it: each mode on Debian 6.1.0-57 and
 * 6.12.117, 256 MiB, one CPU, without swap and with 256 MiB of it, and in
 * a memory cgroup of 64 MiB. Swap changes nothing: the memory is the
 * kernel's; in the group it is charged to the group. */
static const struct row kmem_real[] = {
	{"6.1 kmem files", {0, 0, 210752, 185640, 0, 105376, 3388, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 160.0},
	{"6.1 kmem pagetables", {0, 0, 210752, 185636, 0, 105376, 3388, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 172.0},
	{"6.1 kmem pipes", {0, 0, 210752, 185636, 0, 105376, 3388, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 172.0},
	{"6.1 kmem sockets", {0, 0, 210752, 185640, 0, 105376, 3388, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 172.0},
	{"6.1 kmem threads", {0, 0, 210752, 185636, 0, 105376, 3388, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 136.0},
	{"6.1 kmem pagetables-swap", {0, 0, 210740, 184716, 262140, 367508, 3672, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 176.0},
	{"6.1 kmem pipes-swap", {0, 0, 210740, 184704, 262140, 367508, 3672, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 172.0},
	{"6.1 kmem sockets-swap", {0, 0, 210740, 184704, 262140, 367508, 3672, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 172.0},
	{"6.12 kmem files", {0, 0, 217792, 194124, 0, 108896, 3388, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 160.0},
	{"6.12 kmem pagetables", {0, 0, 217792, 194124, 0, 108896, 3388, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 188.0},
	{"6.12 kmem pipes", {0, 0, 217792, 194124, 0, 108896, 3388, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 184.0},
	{"6.12 kmem sockets", {0, 0, 217792, 194124, 0, 108896, 3388, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 188.0},
	{"6.12 kmem threads", {0, 0, 217792, 194124, 0, 108896, 3388, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 148.0},
	{"6.12 kmem pagetables-swap", {0, 0, 217776, 189956, 262140, 371028, 3464, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 188.0},
	{"6.12 kmem pipes-swap", {0, 0, 217776, 189956, 262140, 371028, 3464, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 184.0},
	{"6.12 kmem sockets-swap", {0, 0, 217776, 189956, 262140, 371028, 3464, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 188.0},
	/* in a memory cgroup of 64 MiB (memory.max): charged to it */
	{"6.1 kmem files memory.max 64M", {0, 0, 210752, 185628, 0, 105376, 3420, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 60.0, 65536},
	{"6.1 kmem pagetables memory.max 64M", {0, 0, 210752, 185644, 0, 105376, 3420, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 60.0, 65536},
	{"6.1 kmem pipes memory.max 64M", {0, 0, 210752, 185628, 0, 105376, 3420, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 60.0, 65536},
	{"6.1 kmem sockets memory.max 64M", {0, 0, 210752, 185628, 0, 105376, 3420, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 60.0, 65536},
	{"6.1 kmem threads memory.max 64M", {0, 0, 210752, 185628, 0, 105376, 3420, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 48.0, 65536},
	{"6.12 kmem files memory.max 64M", {0, 0, 217792, 194344, 0, 108896, 3420, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 60.0, 65536},
	{"6.12 kmem pagetables memory.max 64M", {0, 0, 217792, 194344, 0, 108896, 3420, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 60.0, 65536},
	{"6.12 kmem pipes memory.max 64M", {0, 0, 217792, 194344, 0, 108896, 3420, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 60.0, 65536},
	{"6.12 kmem sockets memory.max 64M", {0, 0, 217792, 194344, 0, 108896, 3420, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 60.0, 65536},
	{"6.12 kmem threads memory.max 64M", {0, 0, 217792, 194344, 0, 108896, 3420, 1, 1, 0, 0, &wl_kmem, 1024, 0, 0, 1416, 0, 0, 0, NULL, 0, 0, 0, 0, 0}, "oom_killed", 48.0, 65536},
};

Test(oracle, kmem_real_runs_end_near_memavailable_whatever_the_swap)
{
	for (size_t i = 0; i < sizeof kmem_real / sizeof kmem_real[0]; i++) {
		const struct row *r = &kmem_real[i];
		struct prediction p;
		struct oracle_cg cg = {"app", r->cg_max_kb, -1, -1, 0, 0, 1};
		oracle_predict_cg(&r->in, r->cg_max_kb ? &cg : NULL, &p);
		char why[600];
		cr_expect(oracle_agrees(&p, r->endpoint, r->mb, why, sizeof why), "%s: %s", r->what, why);
		/* memory runs out: it does not exit by itself ... */
		cr_expect(!oracle_agrees(&p, "exit", r->mb, why, sizeof why), "%s", r->what);
		/* ... nor reach what swap would add, nor much more than MemAvailable */
		if (r->in.swap_total_kb)
			cr_expect(!oracle_agrees(&p, r->endpoint, r->mb + 100, why, sizeof why), "%s", r->what);
		double limit_mb = (double)(r->cg_max_kb ? r->cg_max_kb : r->in.mem_available_kb) / 1024.0;
		cr_expect(!oracle_agrees(&p, r->endpoint, limit_mb * 1.1, why, sizeof why), "%s", r->what);
		cr_expect(!oracle_agrees(&p, r->endpoint, limit_mb * 0.6, why, sizeof why), "%s", r->what);
	}
}

/* R8 on made-up inputs: the range is 0.65..1.05 of MemAvailable, swap or
 * not; ENOMEM and a panic (measured once on 6.12, sockets) are accepted as
 * well; max_mb below it is an exit; panic_on_oom makes it a panic. */
Test(oracle, kmem_is_kernel_memory)
{
	struct oracle_in in = base("kmem");
	struct prediction p, q;
	oracle_predict(&in, &p);
	cr_assert_eq(p.n_endpoints, 3);
	cr_expect_str_eq(p.endpoints[0], "oom_killed");
	cr_expect_str_eq(p.endpoints[1], "enomem");
	/* the OOM reaper frees none of it: a panic before the victim's exit */
	cr_expect_str_eq(p.endpoints[2], "vm_panic");
	cr_expect_float_eq(p.mb_min, 185000 / 1024.0 * 0.65, 1e-9);
	cr_expect_float_eq(p.mb_max, 185000 / 1024.0 * 1.05, 1e-9);
	in.swap_total_kb = 262140;
	oracle_predict(&in, &q);
	cr_expect(q.mb_min == p.mb_min && q.mb_max == p.mb_max, "swap moved the range: %f..%f", q.mb_min, q.mb_max);
	in.max_mb = 64;
	oracle_predict(&in, &q);
	cr_expect_str_eq(q.endpoints[0], "exit");
	cr_expect(q.mb_min == 64 && q.mb_max == 65);
	in.max_mb = 0;
	in.panic_on_oom = 1;
	oracle_predict(&in, &q);
	cr_expect_str_eq(q.endpoints[0], "vm_panic");
}

/* R8m: in a memory cgroup below MemAvailable the group's memory.max is
 * the limit (0.65..1.05 of it), whatever the swap; a memory.max above
 * MemAvailable changes nothing. */
Test(oracle, kmem_in_a_memory_cgroup_ends_at_its_memory_max)
{
	struct oracle_in in = base("kmem");
	struct oracle_cg cg = {"app", 65536, -1, -1, 0, 0, 1};
	struct prediction p;
	in.swap_total_kb = 262140;
	oracle_predict_cg(&in, &cg, &p);
	cr_assert_eq(p.n_endpoints, 2);
	cr_expect_str_eq(p.endpoints[0], "oom_killed");
	cr_expect_str_eq(p.endpoints[1], "enomem");
	cr_expect_float_eq(p.mb_min, 64 * 0.65, 1e-9);
	cr_expect_float_eq(p.mb_max, 64 * 1.05, 1e-9);
	cr_expect_str_eq(p.rule, "kernel memory, charged to its memory cgroup: memory.max 65536 kB: oom_killed at 64 MB; "
				 "close to it: or the kernel refuses it with ENOMEM at 64 MB");
	cg.max_kb = 1048576;
	oracle_predict_cg(&in, &cg, &p);
	cr_expect_float_eq(p.mb_max, 185000 / 1024.0 * 1.05, 1e-9);
	/* memory.max "max" (-1) on the group: no limit of the group either */
	cg.max_kb = -1;
	oracle_predict_cg(&in, &cg, &p);
	cr_expect_float_eq(p.mb_max, 185000 / 1024.0 * 1.05, 1e-9);
}

static struct oracle_in base(const char *wl)
{
	struct oracle_in in = {
		.overcommit_memory = 0, .panic_on_oom = 0, .mem_total_kb = 210752,
		.mem_available_kb = 185000, .swap_total_kb = 0, .commit_limit_kb = 105376,
		.committed_as_kb = 3000, .cpus = 1, .n_workloads = 1, .sequence = 0,
		.all_immune = 0, .wl = wl_find(wl), .block_kb = 1024, .max_mb = 0,
		.rlimit_as_mb = 0, .start_vmsize_kb = 1000,
	};
	return in;
}

Test(oracle, max_mb_below_memory_is_exit)
{
	struct oracle_in in = base("touch");
	in.max_mb = 50;
	struct prediction p;
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "exit");
	cr_expect_eq(p.n_endpoints, 1);
	cr_expect(p.mb_min == 50 && p.mb_max == 51);
}

Test(oracle, max_mb_above_memory_is_oom)
{
	struct oracle_in in = base("touch");
	in.max_mb = 1000;
	struct prediction p;
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "oom_killed");
}

Test(oracle, rlimit_smaller_than_commit_room_wins)
{
	struct oracle_in in = base("alloc");
	in.overcommit_memory = 2;
	in.rlimit_as_mb = 64;
	struct prediction p;
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "enomem");
	cr_expect(p.mb_max < 66 && p.mb_min >= 59, "%.1f..%.1f", p.mb_min, p.mb_max);
	cr_expect_not_null(strstr(p.rule, "rlimit_as=64"), "%s", p.rule);
}

Test(oracle, rlimit_above_memory_of_a_writer_is_oom)
{
	struct oracle_in in = base("touch");
	in.rlimit_as_mb = 1024;
	struct prediction p;
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "oom_killed");
	/* but the never-writing alloc reaches the limit */
	in.wl = &wl_alloc;
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "enomem");
}

Test(oracle, panic_on_oom_and_immune_workloads_panic)
{
	struct oracle_in in = base("touch");
	in.panic_on_oom = 1;
	struct prediction p;
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "vm_panic");
	cr_expect(p.mb_min < 0, "a panic's MB is not checked");
	in = base("touch");
	in.all_immune = 1;
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "vm_panic");
	char why[300];
	cr_expect(oracle_agrees(&p, "vm_panic", 12.0, why, sizeof why), "%s", why);
}

Test(oracle, heuristic_mode_refuses_a_block_bigger_than_ram_and_swap)
{
	struct oracle_in in = base("alloc");
	in.block_kb = 512 * 1024;
	struct prediction p;
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "enomem");
	cr_expect(p.mb_max < 1, "%.1f", p.mb_max);
	/* mode 1 never refuses */
	in.overcommit_memory = 1;
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "oom_killed");
}

Test(oracle, limits_within_ten_percent_accept_both)
{
	struct oracle_in in = base("touch");
	in.overcommit_memory = 2;
	in.commit_limit_kb = 195000; /* room ~188 MB vs ~181 MB of memory */
	struct prediction p;
	oracle_predict(&in, &p);
	cr_expect_eq(p.n_endpoints, 2);
	cr_expect_str_eq(p.endpoints[0], "oom_killed");
	cr_expect_str_eq(p.endpoints[1], "enomem");
}

Test(oracle, workloads_together_may_each_be_the_victim)
{
	struct oracle_in in = base("touch");
	in.n_workloads = 2;
	in.max_mb = 100;
	struct prediction p;
	oracle_predict(&in, &p);
	char why[300];
	cr_expect(oracle_agrees(&p, "oom_killed", 93, why, sizeof why), "%s", why);
	cr_expect(oracle_agrees(&p, "exit", 100, why, sizeof why), "%s", why);
	cr_expect(!oracle_agrees(&p, "timeout", 10, why, sizeof why));
	cr_expect_eq(p.mb_min, 0);
	/* in sequence they do not compete */
	in.sequence = 1;
	oracle_predict(&in, &p);
	cr_expect(!oracle_agrees(&p, "oom_killed", 93, why, sizeof why));
}

/* Together mode keeps the bounds that still hold when workloads compete
 * (docs/oracle.md, "Workloads together"); figures of the recorded cells
 * in tests/golden/together/ (256 MiB, Debian 6.1.0-57 and 6.12.117). */
Test(oracle, together_a_workload_that_cannot_exit_by_itself_does_not_exit)
{
	struct oracle_in in = base("touch");
	in.n_workloads = 2;
	struct prediction p;
	oracle_predict(&in, &p);
	char why[600];
	/* a touch without max_mb only ends by the kernel */
	cr_expect(!oracle_agrees(&p, "exit", 1, why, sizeof why), "%s", why);
	cr_expect_str_eq(why, "ended exit, predicted oom_killed (writes every page:  MemAvailable 185000 kB "
			      "+ swap 0 kB: oom_killed at 181 MB; runs together with 1 other workload(s): "
			      "any killable one may be the victim)");
	/* 61-two-touch: the first victim at 89 MB, the other at 177 MB */
	cr_expect(oracle_agrees(&p, "oom_killed", 89.3, why, sizeof why), "%s", why);
	cr_expect(oracle_agrees(&p, "oom_killed", 176.7, why, sizeof why), "%s", why);
	cr_expect(!oracle_agrees(&p, "enomem", 50, why, sizeof why), "%s", why);
}

Test(oracle, together_a_workload_that_ends_by_itself_reaches_its_own_limit)
{
	struct oracle_in in = base("touch");
	in.n_workloads = 2;
	in.max_mb = 100;
	struct prediction p;
	oracle_predict(&in, &p);
	char why[600];
	cr_expect(oracle_agrees(&p, "exit", 100, why, sizeof why), "%s", why);
	cr_expect(!oracle_agrees(&p, "exit", 1, why, sizeof why));
	cr_expect_str_eq(why, "ended exit at 1 MB, below 100 MB: not killed, it must reach its own limit "
			      "(max_mb=100: stops itself; runs together with 1 other workload(s): any "
			      "killable one may be the victim)");
	/* 61-max-touch: the other touch grew faster, this one was the victim */
	cr_expect(oracle_agrees(&p, "oom_killed", 100.4, why, sizeof why), "%s", why);
	/* a per-process limit (RLIMIT_AS) holds whatever the others do */
	in.max_mb = 0;
	in.rlimit_as_mb = 128;
	oracle_predict(&in, &p);
	cr_expect(oracle_agrees(&p, "enomem", 126, why, sizeof why), "%s", why);
	cr_expect(!oracle_agrees(&p, "enomem", 20, why, sizeof why), "%s", why);
	/* the commit limit is shared: 61-two-alloc-commit ended at 22 and 75 MB */
	in = base("alloc");
	in.n_workloads = 2;
	in.overcommit_memory = 2;
	in.commit_limit_kb = 105376;
	in.committed_as_kb = 3264;
	oracle_predict(&in, &p);
	cr_expect(oracle_agrees(&p, "enomem", 22, why, sizeof why), "%s", why);
	cr_expect(oracle_agrees(&p, "enomem", 75, why, sizeof why), "%s", why);
	cr_expect(!oracle_agrees(&p, "exit", 75, why, sizeof why), "%s", why);
}

Test(oracle, together_the_victim_is_one_the_kernel_could_choose)
{
	struct oracle_in in = base("touch");
	in.n_workloads = 2;
	in.immune = 1;
	in.some_immune = 1;
	struct prediction p;
	oracle_predict(&in, &p);
	char why[600];
	/* oom_score_adj -1000 with a killable workload beside it */
	cr_expect(!oracle_agrees(&p, "oom_killed", 120, why, sizeof why), "%s", why);
	/* 61/612-immune-touch: the other is killed, then nothing is killable */
	cr_expect_str_eq(p.endpoints[0], "vm_panic");
	cr_expect(oracle_agrees(&p, "vm_panic", 169.7, why, sizeof why), "%s", why);
	/* the killable one beside it: killed, or ended by that panic */
	in.immune = 0;
	oracle_predict(&in, &p);
	cr_expect(oracle_agrees(&p, "oom_killed", 89.3, why, sizeof why), "%s", why);
	cr_expect(oracle_agrees(&p, "vm_panic", -1, why, sizeof why), "%s", why);
	/* no immune workload in the cell: no panic */
	in.some_immune = 0;
	oracle_predict(&in, &p);
	cr_expect(!oracle_agrees(&p, "vm_panic", -1, why, sizeof why), "%s", why);
}

/* examples/swappiness.json: filecache (MB not predicted) runs together
 * with shm and touch; its MB must stay "not checked", not become 0..-1
 * (which failed every MB it reached: "ended exit at 96 MB, predicted
 * 0..-1 MB"). */
Test(oracle, together_keeps_an_unpredicted_mb_unchecked)
{
	static const char *const names[] = {"filecache", "pagefrag"};
	for (size_t i = 0; i < 2; i++) {
		struct oracle_in in = base(names[i]);
		in.n_workloads = 3;
		struct prediction p;
		oracle_predict(&in, &p);
		cr_expect(p.mb_min < 0, "%s: %.0f..%.0f", names[i], p.mb_min, p.mb_max);
		char why[600];
		cr_expect(oracle_agrees(&p, "exit", 96, why, sizeof why), "%s: %s", names[i], why);
	}
	struct oracle_in in = base("frag");
	in.n_workloads = 2;
	in.frag_count = 512;
	in.frag_size_kb = 32;
	in.frag_pattern = "random";
	struct prediction p;
	oracle_predict(&in, &p);
	cr_expect(p.mb_min < 0, "frag random: %.0f..%.0f", p.mb_min, p.mb_max);
}

Test(oracle, unknown_workload_is_not_judged)
{
	struct oracle_in in = base("frobnicate");
	struct prediction p;
	oracle_predict(&in, &p);
	cr_expect(!p.known);
	char why[300];
	cr_expect(oracle_agrees(&p, "exit", 5, why, sizeof why));
	cr_expect_not_null(strstr(why, "no prediction"));
}

Test(oracle, disagreement_says_why)
{
	struct oracle_in in = base("touch");
	struct prediction p;
	oracle_predict(&in, &p);
	char why[600];
	cr_assert(!oracle_agrees(&p, "enomem", 50, why, sizeof why));
	cr_expect_not_null(strstr(why, "ended enomem, predicted oom_killed"), "%s", why);
	cr_assert(!oracle_agrees(&p, "oom_killed", 50, why, sizeof why));
	cr_expect_not_null(strstr(why, "at 50 MB, predicted"), "%s", why);
}

Test(oracle, sized_workloads_exit_at_their_size_or_meet_memory)
{
	struct oracle_in in = base("shm");
	in.size_mb = 64;
	struct prediction p;
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "exit");
	cr_expect(p.mb_min == 64 && p.mb_max == 65, "%.0f..%.0f", p.mb_min, p.mb_max);
	in.size_mb = 400; /* more than MemAvailable, no swap */
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "oom_killed");
	in.swap_total_kb = 512 * 1024; /* it fits with swap */
	oracle_predict(&in, &p);
	cr_assert_str_eq(p.endpoints[0], "exit");
}

Test(oracle, memory_held_by_earlier_workloads_lowers_the_memory_limit)
{
	struct oracle_in in = base("touch");
	struct prediction p, held;
	oracle_predict(&in, &p);
	in.held_kb = 64 * 1024;
	oracle_predict(&in, &held);
	cr_expect(held.mb_max < p.mb_max - 60, "%.0f vs %.0f", held.mb_max, p.mb_max);
	char why[400];
	/* measured: touch after a kept 64 MB shm, 256 MB swap, reached 361 MB
	 * (the range without the held memory, 371..472, failed it) */
	in.swap_total_kb = 262140;
	in.mem_available_kb = 185000;
	oracle_predict(&in, &held);
	cr_expect(oracle_agrees(&held, "oom_killed", 361, why, sizeof why), "%s", why);
}

/* frag's hole and lifo patterns make the same requests; glibc wastes a
 * quarter of the heap on hole's holes and almost nothing on lifo. The
 * figures the guest reported (examples/frag.json, Debian 6.1.0-57): each
 * must be accepted for its own pattern and refused for the other, both
 * the waste_ratio and the MB reached (given_bytes). */
static const struct {
	const char *what, *pattern;
	long long size_kb, count, mmap_threshold_kb;
	double waste_ratio, given_bytes;
} frag_seen[] = {
	{"frag.json hole", "hole", 32, 512, 0, 0.250789, 75571504},
	{"frag.json lifo", "lifo", 32, 512, 0, 0.002027, 56734000},
	{"frag.json hole, mmapped", "hole", 32, 512, 16, 0.053678, 59830576},
	{"frag.json lifo, mmapped", "lifo", 32, 512, 16, 0.053094, 59793712},
	{"frag-worst.json hole", "hole", 621, 22, 0, 0.24333, 55481360},
	{"together.json frag", "hole", 32, 64, 0, 0.261995, 8657456},
};

static void frag_predict(const char *pattern, long long size_kb, long long count, long long mmap_kb,
			 struct prediction *p)
{
	struct oracle_in in = base("frag");
	in.frag_pattern = pattern;
	in.frag_size_kb = size_kb;
	in.frag_count = count;
	in.frag_mmap_threshold_kb = mmap_kb;
	oracle_predict(&in, p);
}

Test(oracle, frag_waste_ratio_tells_hole_from_lifo)
{
	for (size_t i = 0; i < sizeof frag_seen / sizeof frag_seen[0]; i++) {
		struct prediction p;
		char why[600];
		frag_predict(frag_seen[i].pattern, frag_seen[i].size_kb, frag_seen[i].count,
			     frag_seen[i].mmap_threshold_kb, &p);
		cr_assert_geq(p.waste_min, 0, "%s: no waste predicted", frag_seen[i].what);
		cr_expect(oracle_agrees(&p, "exit", frag_seen[i].given_bytes / 1048576.0, why, sizeof why),
			  "%s: %s", frag_seen[i].what, why);
		cr_expect(oracle_agrees_waste(&p, frag_seen[i].waste_ratio, why, sizeof why), "%s: %s",
			  frag_seen[i].what, why);
	}
	/* hole's figures for lifo, and lifo's for hole: refused */
	struct prediction hole, lifo;
	char why[600];
	frag_predict("hole", 32, 512, 0, &hole);
	frag_predict("lifo", 32, 512, 0, &lifo);
	cr_expect(!oracle_agrees_waste(&lifo, frag_seen[0].waste_ratio, why, sizeof why), "%s", why);
	cr_expect_not_null(strstr(why, "waste_ratio 0.2508, predicted 0.0020..0.0022"), "%s", why);
	cr_expect(!oracle_agrees_waste(&hole, frag_seen[1].waste_ratio, why, sizeof why), "%s", why);
	cr_expect(!oracle_agrees(&lifo, "exit", frag_seen[0].given_bytes / 1048576.0, why, sizeof why));
	cr_expect(!oracle_agrees(&hole, "exit", frag_seen[1].given_bytes / 1048576.0, why, sizeof why));
	/* the model's figures: a quarter of the heap is holes, lifo's waste is
	 * chunk headers and the top chunk */
	cr_expect(hole.waste_min > 0.250 && hole.waste_max < 0.252, "%f..%f", hole.waste_min, hole.waste_max);
	cr_expect(lifo.waste_min > 0.0019 && lifo.waste_max < 0.0022, "%f..%f", lifo.waste_min, lifo.waste_max);
}

Test(oracle, frag_other_patterns_are_not_predicted)
{
	static const char *const others[] = {"random", "sawtooth", "file"};
	for (size_t i = 0; i < 3; i++) {
		struct prediction p;
		frag_predict(others[i], 32, 512, 0, &p);
		cr_expect(p.mb_min < 0, "%s: MB not predicted", others[i]);
		cr_expect(p.waste_min < 0, "%s: waste not predicted", others[i]);
		cr_expect_str_eq(p.endpoints[0], "exit");
		char why[300];
		cr_expect(oracle_agrees_waste(&p, 0.9, why, sizeof why), "%s", why);
	}
}

Test(oracle, complete_workloads_exit_and_mb_is_not_judged)
{
	static const char *const names[] = {"filecache", "pagefrag"};
	for (size_t i = 0; i < 2; i++) {
		struct oracle_in in = base(names[i]);
		struct prediction p;
		oracle_predict(&in, &p);
		cr_expect(p.known);
		cr_expect_str_eq(p.endpoints[0], "exit");
		cr_expect(p.mb_min < 0);
		char why[300];
		cr_expect(oracle_agrees(&p, "exit", 1234, why, sizeof why), "%s", why);
		cr_expect(!oracle_agrees(&p, "oom_killed", 10, why, sizeof why));
	}
}

/* Each row of the registry carries its memory model (workloads/wl.h):
 * every workload, alone in a 256 MiB VM without swap, gets the prediction
 * the oracle made when the models were its own table; once with a small
 * size (shm/tmpfs 64 MB, frag 512 x 32 KiB hole) and once with one bigger
 * than memory (400 MB, 2048 x 128 KiB), where writing every page decides. */
static const struct {
	const char *wl;
	int big;
	int known;
	const char *endpoints[ORACLE_MAX_ENDPOINTS];
	size_t n_endpoints;
	double mb_min, mb_max;
	const char *rule;
} by_row[] = {
	{"alloc", 0, 1, {"oom_killed"}, 1, 26208.050000, 33300.640000,
	 "writes one page per block, plus page tables:  MemAvailable 185000 kB + swap 0 kB: oom_killed at 30833 MB"},
	{"touch", 0, 1, {"oom_killed"}, 1, 153.564453, 196.117188,
	 "writes every page:  MemAvailable 185000 kB + swap 0 kB: oom_killed at 181 MB"},
	{"frag", 0, 1, {"exit"}, 1, 72.0305175781, 72.1552734375,
	 "hole of 512 x 32 KiB: glibc holds 72.0..72.2 MB for 54.0 MB, waste_ratio 0.2504..0.2517"},
	{"m32", 0, 1, {"enomem"}, 1, 3568.000000, 4080.000000,
	 "32-bit address space (4 GiB): ENOMEM before 4080 MB"},
	{"pagefrag", 0, 1, {"exit"}, 1, -1.000000, -1.000000,
	 "pagefrag does its job and exits (its memory is bounded by the zones' watermarks)"},
	{"shm", 0, 1, {"exit"}, 1, 64.000000, 65.000000,
	 "shm fills 64 MB and exits"},
	{"tmpfs", 0, 1, {"exit"}, 1, 64.000000, 65.000000,
	 "tmpfs fills 64 MB and exits"},
	{"filecache", 0, 1, {"exit"}, 1, -1.000000, -1.000000,
	 "filecache does its job and exits (its memory is reclaimable page cache)"},
	{"stress-ng", 0, 0, {NULL}, 0, -1.000000, 0.000000,
	 "no oracle rule for workload stress-ng"},
	{"earlyoom", 0, 1, {"exit"}, 1, -1.000000, -1.000000,
	 "earlyoom does its job and exits (its memory is earlyoom's own, under a MiB, locked; it only watches)"},
	{"hungtask", 0, 1, {"exit"}, 1, -1.000000, -1.000000,
	 "hungtask does its job and exits (its memory is one page and a pipe)"},
	{"hostile", 0, 0, {NULL}, 0, -1.000000, 0.000000,
	 "no oracle rule for workload hostile"},
	{"exec", 0, 1, {"exit"}, 1, -1.000000, -1.000000,
	 "exec does its job and exits (its memory is the program's own: not modelled, so declare "
	 "expect when it should end otherwise)"},
	{"kmem", 0, 1, {"oom_killed", "enomem", "vm_panic"}, 3, 117.431641, 189.697266,
	 "kernel memory, not reclaimable nor swappable: MemAvailable 185000 kB, swap 0 kB not counted: oom_killed at 181 MB; close to it: or the kernel refuses it with ENOMEM at 181 MB; close to it: or the kernel panics before the victim's exit frees it"},
	{"alloc", 1, 1, {"oom_killed"}, 1, 26208.050000, 33300.640000,
	 "writes one page per block, plus page tables:  MemAvailable 185000 kB + swap 0 kB: oom_killed at 30833 MB"},
	{"touch", 1, 1, {"oom_killed"}, 1, 153.564453, 196.117188,
	 "writes every page:  MemAvailable 185000 kB + swap 0 kB: oom_killed at 181 MB"},
	{"frag", 1, 1, {"oom_killed"}, 1, 153.564453, 196.117188,
	 "writes every page:  MemAvailable 185000 kB + swap 0 kB: oom_killed at 181 MB"},
	{"m32", 1, 1, {"enomem"}, 1, 3568.000000, 4080.000000,
	 "32-bit address space (4 GiB): ENOMEM before 4080 MB"},
	{"pagefrag", 1, 1, {"exit"}, 1, -1.000000, -1.000000,
	 "pagefrag does its job and exits (its memory is bounded by the zones' watermarks)"},
	{"shm", 1, 1, {"oom_killed"}, 1, 153.564453, 196.117188,
	 "writes every page:  MemAvailable 185000 kB + swap 0 kB: oom_killed at 181 MB"},
	{"tmpfs", 1, 1, {"oom_killed"}, 1, 153.564453, 196.117188,
	 "writes every page:  MemAvailable 185000 kB + swap 0 kB: oom_killed at 181 MB"},
	{"filecache", 1, 1, {"exit"}, 1, -1.000000, -1.000000,
	 "filecache does its job and exits (its memory is reclaimable page cache)"},
	{"stress-ng", 1, 0, {NULL}, 0, -1.000000, 0.000000,
	 "no oracle rule for workload stress-ng"},
	{"earlyoom", 1, 1, {"exit"}, 1, -1.000000, -1.000000,
	 "earlyoom does its job and exits (its memory is earlyoom's own, under a MiB, locked; it only watches)"},
	{"hungtask", 1, 1, {"exit"}, 1, -1.000000, -1.000000,
	 "hungtask does its job and exits (its memory is one page and a pipe)"},
	{"hostile", 1, 0, {NULL}, 0, -1.000000, 0.000000,
	 "no oracle rule for workload hostile"},
	{"exec", 1, 1, {"exit"}, 1, -1.000000, -1.000000,
	 "exec does its job and exits (its memory is the program's own: not modelled, so declare "
	 "expect when it should end otherwise)"},
	{"kmem", 1, 1, {"oom_killed", "enomem", "vm_panic"}, 3, 117.431641, 189.697266,
	 "kernel memory, not reclaimable nor swappable: MemAvailable 185000 kB, swap 0 kB not counted: oom_killed at 181 MB; close to it: or the kernel refuses it with ENOMEM at 181 MB; close to it: or the kernel panics before the victim's exit frees it"},
};

Test(oracle, each_workload_row_gives_its_model)
{
	size_t seen = 0;
	for (size_t i = 0; i < sizeof by_row / sizeof by_row[0]; i++) {
		const struct workload *w = wl_find(by_row[i].wl);
		cr_assert_not_null(w, "%s", by_row[i].wl);
		int big = by_row[i].big;
		struct oracle_in in = base(by_row[i].wl);
		in.size_mb = w->size_opt ? (big ? 400 : 64) : 0;
		in.frag_count = big ? 2048 : 512;
		in.frag_size_kb = big ? 128 : 32;
		in.frag_pattern = "hole";
		struct prediction p;
		oracle_predict(&in, &p);
		const char *what = by_row[i].wl;
		cr_expect_eq(p.known, by_row[i].known, "%s", what);
		cr_expect_str_eq(p.rule, by_row[i].rule, "%s big=%d", what, big);
		cr_expect_eq(p.n_endpoints, by_row[i].n_endpoints, "%s big=%d", what, big);
		for (size_t k = 0; k < p.n_endpoints && k < by_row[i].n_endpoints; k++)
			cr_expect_str_eq(p.endpoints[k], by_row[i].endpoints[k], "%s big=%d", what, big);
		cr_expect_float_eq(p.mb_min, by_row[i].mb_min, 1e-6, "%s big=%d: %f", what, big, p.mb_min);
		cr_expect_float_eq(p.mb_max, by_row[i].mb_max, 1e-6, "%s big=%d: %f", what, big, p.mb_max);
		seen++;
	}
	/* a workload added to the registry gets a row here too */
	cr_expect_eq(seen, 2 * wl_registry_n);
	for (size_t r = 0; r < wl_registry_n; r++) {
		size_t n = 0;
		for (size_t i = 0; i < sizeof by_row / sizeof by_row[0]; i++)
			n += !strcmp(by_row[i].wl, wl_registry[r]->name);
		cr_expect_eq(n, 2, "%s has no row in by_row", wl_registry[r]->name);
	}
}

/* The oracle's inputs from a cell: memory an earlier workload of a
 * sequence keeps after it exits (its row's keep_opt non-zero: size_opt
 * MiB) is taken off what a later one has; a workload that frees its
 * memory at exit, or one running together, holds none. */
Test(oracle, inputs_count_memory_kept_by_earlier_workloads)
{
	char path[] = "/tmp/oomlab-oracle-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	static const char text[] =
		"{\"cells\":[{\"name\":\"seq\",\"mode\":\"sequence\",\"workloads\":["
		"{\"name\":\"shm\",\"options\":{\"size_mb\":32}},"
		"{\"name\":\"tmpfs\",\"options\":{\"size_mb\":16,\"keep\":0}},"
		"{\"name\":\"filecache\",\"options\":{\"size_mb\":100}},"
		"{\"name\":\"tmpfs\",\"options\":{\"size_mb\":8}},\"touch\"]},"
		"{\"name\":\"together\",\"workloads\":["
		"{\"name\":\"shm\",\"options\":{\"size_mb\":32}},\"touch\"]}]}";
	cr_assert_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	struct matrix m;
	struct buf err = {0};
	int r = matrix_load(path, &m, &err);
	unlink(path);
	cr_assert_eq(r, 0, "%s", err.data);
	struct cell_obs o;
	memset(&o, 0, sizeof o);
	struct oracle_in in;
	const struct cell_spec *seq = &m.cells[0], *tog = &m.cells[1];
	static const long long held_mb[] = {0, 32, 32, 32, 40};
	static const long long size_mb[] = {32, 16, 0, 8, 0};
	for (size_t w = 0; w < seq->n_wl; w++) {
		oracle_inputs(seq, &o, w, &in);
		cr_expect_eq(in.wl, seq->wl[w].reg);
		cr_expect_eq(in.held_kb, held_mb[w] * 1024, "workload %zu: %lld", w, in.held_kb);
		cr_expect_eq(in.size_mb, size_mb[w], "workload %zu: %lld", w, in.size_mb);
	}
	cr_expect_eq(seq->wl[4].reg, &wl_touch);
	oracle_inputs(tog, &o, 1, &in);
	cr_expect_eq(in.held_kb, 0);
	matrix_free(&m);
	buf_free(&err);
}

/* memory.max as the oracle sees it (oracle_cg.max_kb, for rules 6 and 8):
 * the tightest over the workload's group and its ancestors, from the
 * values read back (bytes, or "max"); a group whose name merely starts
 * like an ancestor's is no ancestor. */
Test(oracle, inputs_take_the_tightest_memory_max_of_the_group_and_its_ancestors)
{
	char path[] = "/tmp/oomlab-oracle-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	static const char text[] =
		"{\"cells\":[{\"name\":\"g\",\"workloads\":["
		"{\"name\":\"kmem\",\"cgroup\":\"app/db\"},{\"name\":\"kmem\",\"cgroup\":\"web\"},"
		"{\"name\":\"kmem\",\"cgroup\":\"ap\"},\"kmem\"]}]}";
	cr_assert_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	struct matrix m;
	struct buf err = {0};
	int r = matrix_load(path, &m, &err);
	unlink(path);
	cr_assert_eq(r, 0, "%s", err.data);
	struct cell_obs o;
	memset(&o, 0, sizeof o);
	o.knobs = json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "name", "cgroup.app.memory.max", "got",
			    "100663296", "name", "cgroup.app/db.memory.max", "got", "67108864", "name",
			    "cgroup.ap.memory.max", "got", "max", "name", "cgroup.web.memory.high", "got", "1048576");
	static const long long want_kb[] = {65536, -1, -1, 0};
	struct oracle_cg cg;
	for (size_t w = 0; w < 4; w++) {
		memcg_oracle_inputs(&m.cells[0], &o, w, &cg);
		cr_expect_eq(cg.max_kb, want_kb[w], "workload %zu: %lld", w, cg.max_kb);
	}
	cr_expect_null(cg.group, "the root group: no group inputs");
	/* the parent's limit is the tighter one */
	json_object_set_new(json_array_get(o.knobs, 0), "got", json_string("33554432"));
	memcg_oracle_inputs(&m.cells[0], &o, 0, &cg);
	cr_expect_eq(cg.max_kb, 32768);
	json_decref(o.knobs);
	matrix_free(&m);
	buf_free(&err);
}

static const struct wl_opt *row_opt(const struct workload *w, const char *name)
{
	for (size_t i = 0; name && i < w->n_opts; i++)
		if (!strcmp(w->opts[i].name, name))
			return &w->opts[i];
	return NULL;
}

/* The options a row names for its memory are options it has: the size it
 * fills in MiB, the integer that keeps it, the size of its data disk. */
Test(oracle, each_row_names_options_it_has)
{
	size_t fills = 0, keeps = 0;
	for (size_t r = 0; r < wl_registry_n; r++) {
		const struct workload *w = wl_registry[r];
		const struct wl_opt *size = row_opt(w, w->size_opt), *keep = row_opt(w, w->keep_opt);
		if (w->mem == WL_MEM_FILL || w->keep_opt) {
			cr_assert_not_null(size, "%s: size_opt %s", w->name, w->size_opt);
			cr_expect_eq(size->type, OPT_SIZE_MB, "%s", w->name);
			fills++;
		}
		if (w->keep_opt) {
			cr_assert_not_null(keep, "%s: keep_opt %s", w->name, w->keep_opt);
			cr_expect_eq(keep->type, OPT_INT, "%s", w->name);
			keeps++;
		}
		cr_expect_eq(w->mem == WL_MEM_BOUNDED, w->mem_note != NULL, "%s", w->name);
		if (w->disk_size_opt) {
			const struct wl_opt *disk = row_opt(w, w->disk_size_opt);
			cr_assert_not_null(disk, "%s: disk_size_opt %s", w->name, w->disk_size_opt);
			cr_expect_eq(disk->type, OPT_SIZE_MB, "%s", w->name);
		}
	}
	cr_expect_eq(fills, 2); /* shm, tmpfs */
	cr_expect_eq(keeps, 2);
}
