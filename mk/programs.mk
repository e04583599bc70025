# SPDX-License-Identifier: GPL-2.0-or-later
# The example programs the exec workload runs (examples/programs/, the
# matrices examples/leak.json and examples/protocol.json, the VM tests of
# tests/integration/test_wl_exec.c): ordinary host programs, dynamically
# linked on purpose, so that running them in a guest carries libc and the
# loader (boot/carry.h). build/programs/<name> from examples/programs/<name>.c.
PROG_SRC := $(wildcard examples/programs/*.c)
PROGRAMS := $(patsubst examples/programs/%.c,$(B)/programs/%,$(PROG_SRC))

build: $(PROGRAMS)

$(B)/programs/%: examples/programs/%.c mk/programs.mk
	@mkdir -p $(@D)
	$(CC) -O2 -g $(WARN) -o $@ $<
