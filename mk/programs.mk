# SPDX-License-Identifier: GPL-2.0-or-later
# The example programs the exec workload runs (examples/programs/, the
# matrices examples/leak.json and examples/protocol.json, the VM tests of
# tests/integration/test_wl_exec.c): ordinary host programs, dynamically
# linked on purpose, so that running them in a guest carries libc and the
# loader (boot/carry.h). examples/programs/<name> from <name>.c, beside
# its source and its matrix: a matrix names what is in its own dir or
# below without --allow-file, in the checkout and installed alike
# (mk/install.mk). Not tracked (.gitignore); make clean removes them.
PROG_SRC := $(wildcard examples/programs/*.c)
PROGRAMS := $(patsubst %.c,%,$(PROG_SRC))

build: $(PROGRAMS)

examples/programs/%: examples/programs/%.c mk/programs.mk
	$(CC) -O2 -g $(WARN) -o $@ $<

clean: clean-programs
clean-programs:
	rm -f $(PROGRAMS)
