# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: the warm-start benchmark (bench/run), not part of make test.
# It runs ~100 VMs under TCG (~10 minutes on 2 cores) and writes
# bench/results/<time>-<host>.{json,txt}.
.PHONY: bench

BENCH_INIT := $(B)/bench/trivial-init

$(BENCH_INIT): bench/trivial-init.c mk/bench.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -O2 $(WARN) -Wno-unused-result -static -o $@ $<

bench: deps build $(BENCH_INIT)
	bench/run

# make warm-stress: every snapshot of bench/warm-stress.json (or
# WARM_STRESS_MATRIX) restored at least 200 times, the crash rate of each
# (docs/warm-starts.md). Hundreds of VMs: a nightly job, not make test.
.PHONY: warm-stress
WARM_STRESS_MATRIX ?= bench/warm-stress.json
warm-stress: deps build
	bench/warm-stress $(WARM_STRESS_MATRIX) -j 2
