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

# The parsers and the fuzz targets (docs/fuzzing.md), before the VMs:
#   make bench-parsers  each parser of guest output on a 10 MB and a 100 MB
#                       input: MB/s, and the ratio of the times (linear: 10)
#   make bench-fuzz     each fuzz target 20 s on inputs of real sizes, without
#                       sanitizers (at least 100,000 inputs a second of CPU
#                       time) and with (at least 20,000); frag-search 20 s:
#                       replays a second
.PHONY: bench-parsers bench-fuzz
BENCH_PARSERS := $(B)/bench/parsers

$(BENCH_PARSERS): bench/parsers.c $(call objs,$(OBJ_HOST),$(LIB_SRC)) mk/bench.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ bench/parsers.c $(call objs,$(OBJ_HOST),$(LIB_SRC)) $(HOSTLIBS)

# both write their figures as JSON into build/bench/, which bench/run
# reads into the result file (its "fuzz" and "parsers" parts, and targets)
# Alone each fails on a miss; in make bench a miss is a MISS line of the
# result file, and the VMs still run (BENCH_GO: make's ignore-error prefix).
bench-parsers: $(BENCH_PARSERS)
	$(BENCH_GO)$(BENCH_PARSERS) . --json $(B)/bench/parsers.json

bench-fuzz: fuzz-build fuzz-rate-build
	$(BENCH_GO)RATE_JSON=$(B)/bench/fuzz.json fuzzers/smoke --rate

bench: BENCH_GO := -

bench: bench-parsers bench-fuzz

# make warm-stress: every snapshot of bench/warm-stress.json (or
# WARM_STRESS_MATRIX) restored at least 200 times, the crash rate of each
# (docs/warm-starts.md). Hundreds of VMs: a nightly job, not make test.
.PHONY: warm-stress
WARM_STRESS_MATRIX ?= bench/warm-stress.json
warm-stress: deps build
	bench/warm-stress $(WARM_STRESS_MATRIX) -j 2
