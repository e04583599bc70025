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
# Debian's memtester (ci/install-deps installs it), copied beside the
# example that runs it (examples/memtester.json), so that the matrix names
# a file of its own dir and needs no --allow-file; nothing when it is not
# installed (that example then says which file is missing).
MEMTESTER_HOST := $(wildcard /usr/sbin/memtester)
ifneq ($(MEMTESTER_HOST),)
PROGRAMS += examples/programs/memtester
examples/programs/memtester: $(MEMTESTER_HOST)
	cp $< $@
endif

.PHONY: programs clean-programs
programs: $(PROGRAMS)
build: programs

examples/programs/%: examples/programs/%.c mk/programs.mk
	$(CC) -O2 -g $(WARN) -o $@ $<

clean: clean-programs
clean-programs:
	rm -f $(PROGRAMS)
