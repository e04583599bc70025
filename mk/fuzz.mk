# SPDX-License-Identifier: GPL-2.0-or-later
# Fuzzers (fuzzers/, docs/fuzzing.md): every parser under libFuzzer with
# its properties, an ASan/UBSan "onefile" replay build of each, and
# frag-search (the worst allocation schedules for glibc malloc).
#   make fuzz-build    the targets (build/fuzz/<t>, build/fuzz/<t>-onefile)
#   make fuzz-rate-build  the targets without ASan/UBSan, -O2 (build/fuzz/rate/<t>):
#                      their inputs a second are the benchmark's (make bench-fuzz)
#   make fuzz-smoke    replay every corpus, then each target ~10 s (make test runs it)
#   make fuzz          each target FUZZ_SECONDS (default 600) with a kept corpus
#   make frag-search   search schedules for FRAG_SECONDS (default 600)

FUZZ_CC      := clang
FUZZ_TARGETS := kernlog meminfo vmstat psi status buddyinfo stream matrix schedule earlyoom
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_FLAGS   := $(CPPFLAGS) -O1 -g $(WARN) -Wno-missing-field-initializers
FZ           := $(B)/fuzz

# The library twice: with libFuzzer's coverage hooks, and plain sanitized.
FUZZ_LIB_FZ  := $(FZ)/libfz.a
FUZZ_LIB_1F  := $(FZ)/lib1f.a
FUZZ_OBJ_FZ  := $(patsubst %.c,$(FZ)/obj-fz/%.o,$(LIB_SRC))
FUZZ_OBJ_1F  := $(patsubst %.c,$(FZ)/obj-1f/%.o,$(LIB_SRC))
FUZZ_BINS    := $(foreach t,$(FUZZ_TARGETS),$(FZ)/$(t) $(FZ)/$(t)-onefile)
# A mutant (fuzzers/mutants/<target>-<bug>.h) is a target's onefile build
# against a parser with one known bug; fuzzers/smoke checks that the
# target's properties catch it on <target>-<bug>.input.
FUZZ_MUTANTS := $(patsubst fuzzers/mutants/%.h,%,$(wildcard fuzzers/mutants/*.h))
FUZZ_MUT_BINS:= $(foreach m,$(FUZZ_MUTANTS),$(FZ)/mutants/$(m)-onefile)
FRAG_SEARCH  := $(FZ)/frag-search $(FZ)/frag-replay
FRAG_TESTS   := $(B)/tests/frag-search

.PHONY: fuzz-build fuzz-smoke fuzz frag-search

fuzz-build: $(FUZZ_BINS) $(FUZZ_MUT_BINS) $(FRAG_SEARCH) $(FRAG_TESTS)

$(FZ)/obj-fz/%.o: %.c mk/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) -MMD -MP -c -o $@ $<

$(FZ)/obj-1f/%.o: %.c mk/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_SAN) -MMD -MP -c -o $@ $<

$(FUZZ_LIB_FZ): $(FUZZ_OBJ_FZ)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_LIB_1F): $(FUZZ_OBJ_1F)
	rm -f $@ && ar rcs $@ $^

# stream's re-reads (the records written again, the input cut) go through
# a second copy of the reader, the same source built with the sanitizers
# but without coverage tracing, its functions renamed <name>_plain: they
# run the same code the first read traced, and their comparison hooks
# were a fifth of the target's time (docs/fuzzing.md).
FUZZ_PLAIN_FNS := stream_next stream_format sample_next_section payload_get payload_get_ll dec_ull dec_ll
FUZZ_PLAIN_OBJ := $(FZ)/obj-plain/stream.o $(FZ)/obj-plain/dec.o
$(FZ)/obj-plain/%.o: harness/parse/%.c mk/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_SAN) $(foreach f,$(FUZZ_PLAIN_FNS),-D$(f)=$(f)_plain) -MMD -MP -c -o $@ $<
$(FZ)/stream $(FZ)/stream-onefile: $(FUZZ_PLAIN_OBJ)
$(FZ)/stream $(FZ)/stream-onefile: FUZZ_EXTRA := $(FUZZ_PLAIN_OBJ)

$(FZ)/%-onefile: fuzzers/fz_%.c fuzzers/onefile.c $(wildcard fuzzers/*.h) $(FUZZ_LIB_1F)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_SAN) -o $@ fuzzers/fz_$*.c fuzzers/onefile.c $(FUZZ_EXTRA) $(FUZZ_LIB_1F) $(HOSTLIBS) -lm

$(FZ)/%: fuzzers/fz_%.c $(wildcard fuzzers/*.h) $(FUZZ_LIB_FZ)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ fuzzers/fz_$*.c $(FUZZ_EXTRA) $(FUZZ_LIB_FZ) $(HOSTLIBS) -lm

# the mutant's header comes first (-include): it wraps the parser and
# renames the target's calls to the wrapper
define fuzz_mutant
$(FZ)/mutants/$(1)-onefile: $(if $(filter stream,$(firstword $(subst -, ,$(1)))),$(FUZZ_PLAIN_OBJ)) fuzzers/mutants/$(1).h fuzzers/fz_$(firstword $(subst -, ,$(1))).c fuzzers/onefile.c $(wildcard fuzzers/*.h) $(FUZZ_LIB_1F)
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_SAN) -include fuzzers/mutants/$(1).h -o $$@ fuzzers/fz_$(firstword $(subst -, ,$(1))).c fuzzers/onefile.c $(if $(filter stream,$(firstword $(subst -, ,$(1)))),$(FUZZ_PLAIN_OBJ)) $(FUZZ_LIB_1F) $(HOSTLIBS) -lm
endef
$(foreach m,$(FUZZ_MUTANTS),$(eval $(call fuzz_mutant,$(m))))

# The rate build (make bench-fuzz): the same targets with libFuzzer and
# its coverage hooks at -O2, without ASan/UBSan, so that inputs a second
# are the parsers' and the properties' own cost, not the sanitizers'.
# Not in fuzz-build (make test does not need it).
FUZZ_RATE_FLAGS := $(CPPFLAGS) -O2 -g $(WARN) -Wno-missing-field-initializers
FUZZ_OBJ_RATE   := $(patsubst %.c,$(FZ)/obj-rate/%.o,$(LIB_SRC))
FUZZ_LIB_RATE   := $(FZ)/librate.a
FUZZ_RATE_PLAIN := $(FZ)/obj-rate-plain/stream.o $(FZ)/obj-rate-plain/dec.o
FUZZ_RATE_BINS  := $(foreach t,$(FUZZ_TARGETS),$(FZ)/rate/$(t))
.PHONY: fuzz-rate-build
fuzz-rate-build: $(FUZZ_RATE_BINS)

$(FZ)/obj-rate/%.o: %.c mk/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_RATE_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FZ)/obj-rate-plain/%.o: harness/parse/%.c mk/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_RATE_FLAGS) $(foreach f,$(FUZZ_PLAIN_FNS),-D$(f)=$(f)_plain) -MMD -MP -c -o $@ $<

$(FUZZ_LIB_RATE): $(FUZZ_OBJ_RATE)
	rm -f $@ && ar rcs $@ $^

$(FZ)/rate/stream: $(FUZZ_RATE_PLAIN)
$(FZ)/rate/stream: FUZZ_RATE_EXTRA := $(FUZZ_RATE_PLAIN)
$(FZ)/rate/%: fuzzers/fz_%.c $(wildcard fuzzers/*.h) $(FUZZ_LIB_RATE)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_RATE_FLAGS) -fsanitize=fuzzer -o $@ fuzzers/fz_$*.c $(FUZZ_RATE_EXTRA) $(FUZZ_LIB_RATE) $(HOSTLIBS) -lm

# frag-search runs glibc's malloc natively: no ASan (it would replace
# malloc); the replays happen in frag-replay, a static fork server.
FRAG_SRC := fuzzers/frag_search_codec.c workloads/schedule.c
$(FZ)/frag-search: fuzzers/frag_search.c $(FRAG_SRC) fuzzers/frag_search_codec.h workloads/schedule.h mk/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -O2 -g $(WARN) -fsanitize=fuzzer -o $@ fuzzers/frag_search.c $(FRAG_SRC)

$(FZ)/frag-replay: fuzzers/frag_replay.c $(FRAG_SRC) workloads/frag.c workloads/common.c workloads/wlmem.c fuzzers/frag_search_codec.h workloads/schedule.h mk/fuzz.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -O2 -g $(WARN) -static -o $@ fuzzers/frag_replay.c $(FRAG_SRC) workloads/frag.c workloads/common.c workloads/wlmem.c

$(FRAG_TESTS): tests/fuzz/test_frag_search.c $(FRAG_SRC) workloads/frag.c workloads/common.c workloads/wlmem.c fuzzers/frag_search_codec.h mk/fuzz.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit -O1 -g $(SAN) $(WARN) -o $@ tests/fuzz/test_frag_search.c $(FRAG_SRC) workloads/frag.c workloads/common.c workloads/wlmem.c -lcriterion

test: fuzz-build

fuzz-smoke: fuzz-build
	fuzzers/smoke

FUZZ_SECONDS ?= 600
fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_CORPUS=$(FZ)/corpus fuzzers/smoke --long

FRAG_SECONDS ?= 600
frag-search: $(FRAG_SEARCH)
	fuzzers/frag-search-run $(FRAG_SECONDS) $(FZ)/frag-out
-include $(shell find $(FZ) -name "*.d" 2>/dev/null)
