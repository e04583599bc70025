# SPDX-License-Identifier: GPL-2.0-or-later
# oomlab — see README.md. The two commands: `make demo` and `make test`.

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wshadow -Wformat=2 -Wno-format-nonliteral -Werror=implicit-function-declaration
CPPFLAGS += -D_GNU_SOURCE -Iharness
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
HOSTLIBS := -ljansson -llzma -lzstd -lm

B := build

WL_SRC    := $(wildcard workloads/*.c)
# The host links the workload table (not main.c) to check matrix files.
HOST_SRC  := $(wildcard harness/*.c harness/parse/*.c) $(filter-out workloads/main.c,$(WL_SRC))
LIB_SRC   := $(filter-out harness/main.c,$(HOST_SRC))
HOST_HDR  := $(wildcard harness/*.h harness/parse/*.h workloads/*.h)
AGENT_SRC := $(wildcard harness/guest/*.c)
AGENT_HDR := $(wildcard harness/guest/*.h) harness/stream.h harness/cellconf.h harness/crc32.h
UNIT_SRC  := $(wildcard tests/unit/*.c)
INT_SRC   := $(wildcard tests/integration/*.c)

OOMLAB      := $(B)/oomlab
OOMLAB_SAN  := $(B)/san/oomlab
AGENT       := $(B)/guest/oomlab-agent
WL          := $(B)/guest/oomlab-wl
WL32        := $(B)/guest/oomlab-wl32
UNIT_TESTS  := $(B)/tests/unit
INT_TESTS   := $(B)/tests/integration

.PHONY: all build deps demo test test-unit test-integration clean help

all: build

help:
	@echo "make demo   install what is missing, build, run examples/article.json"
	@echo "make test   install what is missing, build, run every test suite"
	@echo "make build  build only (needs the dependencies)"

# ci/install-deps --check exits 0 when nothing is missing, so a ready
# machine never calls apt-get.
deps:
	@ci/install-deps --check >/dev/null 2>&1 || ci/install-deps

build: $(OOMLAB) $(OOMLAB_SAN) $(AGENT) $(WL) $(WL32)

$(OOMLAB): $(HOST_SRC) $(HOST_HDR) Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $(HOST_SRC) $(HOSTLIBS)

$(OOMLAB_SAN): $(HOST_SRC) $(HOST_HDR) Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -O1 -g $(SAN) $(WARN) -o $@ $(HOST_SRC) $(HOSTLIBS)

# The guest side is static: the initramfs has no libc of its own.
$(AGENT): $(AGENT_SRC) $(AGENT_HDR) Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -O2 -g $(WARN) -static -o $@ $(AGENT_SRC)

$(WL): $(WL_SRC) $(wildcard workloads/*.h) Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -O2 -g $(WARN) -static -o $@ $(WL_SRC)

# The same workloads as a 32-bit static binary, for m32 (gcc-multilib).
$(WL32): $(WL_SRC) $(wildcard workloads/*.h) Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -m32 -O2 -g $(WARN) -static -o $@ $(WL_SRC)

$(UNIT_TESTS): $(UNIT_SRC) $(LIB_SRC) $(HOST_HDR) $(wildcard tests/unit/*.h) Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit -O1 -g $(SAN) $(WARN) -o $@ $(UNIT_SRC) $(LIB_SRC) $(HOSTLIBS) -lcriterion

$(INT_TESTS): $(INT_SRC) $(LIB_SRC) $(HOST_HDR) Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit -O1 -g $(SAN) $(WARN) -o $@ $(INT_SRC) $(LIB_SRC) $(HOSTLIBS) -lcriterion

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

# Further targets (fuzzers, fault suite, benchmark) live one file each in mk/.
include $(wildcard mk/*.mk)
