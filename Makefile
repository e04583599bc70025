# SPDX-License-Identifier: GPL-2.0-or-later
# oomlab — see README.md. The two commands: `make demo` and `make test`.
# The layout (which folder owns which stage, and what each may include)
# is in docs/architecture.md.

# Build on every core unless make was given -j (or -j1 for a serial build).
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc)
endif

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wshadow -Wformat=2 -Wno-format-nonliteral -Werror=implicit-function-declaration
# Includes are rooted: "lib/util.h" (-Iharness), "reports/compare.h" and
# "workloads/wl.h" (-I.), or a header of the same folder.
CPPFLAGS += -D_GNU_SOURCE -Iharness -I.
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
DEPFLAGS = -MMD -MP
# GSL: the distributions of compare's tests (reports/stats.c).
HOSTLIBS := -ljansson -llzma -lzstd -lgsl -lgslcblas -lm

B := build

# Host stages (docs/architecture.md): the harness outside the guest
# agent, and the readers of a run dir.
HOST_DIRS := harness harness/lib harness/proto harness/parse harness/plan harness/boot \
	     harness/vm harness/judge reports reports/html reports/junit reports/kcidb
WL_SRC    := $(wildcard workloads/*.c)
# The host links the workload table (not main.c) to check matrix files.
HOST_SRC  := $(foreach d,$(HOST_DIRS),$(wildcard $(d)/*.c)) $(filter-out workloads/main.c,$(WL_SRC))
LIB_SRC   := $(filter-out harness/main.c,$(HOST_SRC))
AGENT_SRC := $(wildcard harness/guest/*.c)
UNIT_SRC  := $(wildcard tests/unit/*.c)
INT_SRC   := $(wildcard tests/integration/*.c)

OOMLAB      := $(B)/oomlab
OOMLAB_SAN  := $(B)/san/oomlab
AGENT       := $(B)/guest/oomlab-agent
WL          := $(B)/guest/oomlab-wl
WL32        := $(B)/guest/oomlab-wl32
UNIT_TESTS  := $(B)/tests/unit
INT_TESTS   := $(B)/tests/integration

# One object dir per way of compiling: the host tool (-O2), the sanitized
# host tool and tests (-O1, ASan/UBSan), the static guest side (64 and 32
# bit). Each object has its dependency file (-MMD), so a change rebuilds
# what includes it and nothing else.
OBJ_HOST := $(B)/obj/host
OBJ_SAN  := $(B)/obj/san
OBJ_GST  := $(B)/obj/guest
OBJ_G32  := $(B)/obj/guest32
objs = $(patsubst %.c,$(1)/%.o,$(2))

.PHONY: all build deps demo test test-unit test-integration clean help

all: build

help:
	@echo "make demo     install what is missing, build, run examples/article.json"
	@echo "make test     install what is missing, build, run every test suite"
	@echo "make build    build only (needs the dependencies)"
	@echo "make install  install oomlab under PREFIX (default /usr/local); DESTDIR for packagers"

# ci/install-deps --check exits 0 when nothing is missing, so a ready
# machine never calls apt-get.
deps:
	@ci/install-deps --check >/dev/null 2>&1 || ci/install-deps

build: $(OOMLAB) $(OOMLAB_SAN) $(AGENT) $(WL) $(WL32)

$(OBJ_HOST)/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(DEPFLAGS) -c -o $@ $<

$(OBJ_SAN)/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit -O1 -g $(SAN) $(WARN) $(DEPFLAGS) -c -o $@ $<

# The guest side is static: the initramfs has no libc of its own.
$(OBJ_GST)/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -O2 -g $(WARN) $(DEPFLAGS) -c -o $@ $<

# The workloads again as 32-bit code, for m32 (gcc-multilib).
$(OBJ_G32)/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -m32 -O2 -g $(WARN) $(DEPFLAGS) -c -o $@ $<

$(OOMLAB): $(call objs,$(OBJ_HOST),$(HOST_SRC))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(HOSTLIBS)

$(OOMLAB_SAN): $(call objs,$(OBJ_SAN),$(HOST_SRC))
	@mkdir -p $(@D)
	$(CC) -O1 -g $(SAN) -o $@ $^ $(HOSTLIBS)

$(AGENT): $(call objs,$(OBJ_GST),$(AGENT_SRC))
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^

$(WL): $(call objs,$(OBJ_GST),$(WL_SRC))
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^

$(WL32): $(call objs,$(OBJ_G32),$(WL_SRC))
	@mkdir -p $(@D)
	$(CC) -m32 -static -o $@ $^

$(UNIT_TESTS): $(call objs,$(OBJ_SAN),$(UNIT_SRC) $(LIB_SRC))
	@mkdir -p $(@D)
	$(CC) -O1 -g $(SAN) -o $@ $^ $(HOSTLIBS) -lcriterion

$(INT_TESTS): $(call objs,$(OBJ_SAN),$(INT_SRC) $(LIB_SRC))
	@mkdir -p $(@D)
	$(CC) -O1 -g $(SAN) -o $@ $^ $(HOSTLIBS) -lcriterion

demo: deps build
	$(OOMLAB) run examples/article.json

test: deps build $(UNIT_TESTS) $(INT_TESTS)
	tests/run

test-unit: build $(UNIT_TESTS)
	tests/run unit

test-integration: build $(INT_TESTS)
	tests/run integration

clean:
	rm -rf $(B)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# Further targets (fuzzers, benchmark, install, layout) live one file each in mk/.
include $(wildcard mk/*.mk)
