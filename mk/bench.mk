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
