# SPDX-License-Identifier: GPL-2.0-or-later
# make install: oomlab as a tool (docs/install.md).
#   make install PREFIX=/usr/local          (the default PREFIX)
#   make install DESTDIR=/tmp/pkg PREFIX=/usr   (a package's tree)
#   make uninstall PREFIX=...                removes what install put there
# The layout under PREFIX is fixed: the installed oomlab finds its parts
# from its own place (harness/lib/paths.h), PREFIX/bin/oomlab ->
# PREFIX/libexec/oomlab/. So only PREFIX and DESTDIR are settings.
.PHONY: install uninstall man

PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL ?= install

MAN1     := $(B)/man/oomlab.1
SCHEMAS  := reports/run.schema.json reports/cell.schema.json reports/cli.schema.json reports/junit/junit-10.xsd \
	    reports/kcidb/kcidb-io.schema.v5.3.json
EXAMPLES := $(wildcard examples/*.json examples/*.sched)
# the programs examples/*.json run: sources, and what mk/programs.mk built
PROG_TEXT := $(wildcard examples/programs/*.c examples/programs/*.sh)
GUEST    := $(AGENT) $(WL) $(WL32)

I_BIN     = $(DESTDIR)$(PREFIX)/bin
I_LIBEXEC = $(DESTDIR)$(PREFIX)/libexec/oomlab
I_SHARE   = $(DESTDIR)$(PREFIX)/share/oomlab
I_MAN1    = $(DESTDIR)$(PREFIX)/share/man/man1
I_BASHCMP = $(DESTDIR)$(PREFIX)/share/bash-completion/completions

# The man page is printed by the oomlab it documents (from its command
# table), so --help and the page come from the same build.
man: $(MAN1)

$(MAN1): $(OOMLAB)
	@mkdir -p $(@D)
	$(OOMLAB) help --man >$@.tmp && mv $@.tmp $@

install: $(OOMLAB) $(GUEST) $(MAN1) programs
	$(INSTALL) -d $(I_BIN) $(I_LIBEXEC) $(I_SHARE)/examples/programs $(I_SHARE)/schemas $(I_MAN1)
	$(INSTALL) -m 0755 $(OOMLAB) $(I_BIN)/oomlab
	$(INSTALL) -m 0755 $(GUEST) $(I_LIBEXEC)/
	$(INSTALL) -m 0644 $(EXAMPLES) $(I_SHARE)/examples/
	$(INSTALL) -m 0644 $(PROG_TEXT) $(I_SHARE)/examples/programs/
	$(INSTALL) -m 0755 $(PROGRAMS) $(I_SHARE)/examples/programs/
	$(INSTALL) -m 0644 $(SCHEMAS) $(I_SHARE)/schemas/
	$(INSTALL) -m 0644 $(MAN1) $(I_MAN1)/oomlab.1
	$(INSTALL) -d $(I_BASHCMP)
	$(INSTALL) -m 0644 harness/oomlab.bash $(I_BASHCMP)/oomlab

# Only what install put there; a directory goes if it is left empty.
uninstall:
	rm -f $(I_BIN)/oomlab $(I_MAN1)/oomlab.1 $(I_BASHCMP)/oomlab $(addprefix $(I_LIBEXEC)/,$(notdir $(GUEST))) \
	      $(addprefix $(I_SHARE)/examples/,$(notdir $(EXAMPLES))) \
	      $(addprefix $(I_SHARE)/examples/programs/,$(notdir $(PROG_TEXT) $(PROGRAMS))) \
	      $(addprefix $(I_SHARE)/schemas/,$(notdir $(SCHEMAS)))
	-rmdir $(I_LIBEXEC) $(I_SHARE)/examples/programs $(I_SHARE)/examples $(I_SHARE)/schemas $(I_SHARE) $(I_BASHCMP) \
	       $(DESTDIR)$(PREFIX)/share/bash-completion 2>/dev/null
