/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Looking into an argv the host builds (vm_argv and the like). */
#ifndef OOMLAB_TEST_ARGVWORD_H
#define OOMLAB_TEST_ARGVWORD_H

/* The index of the first word of argv (NULL-ended) equal to w, or -1. */
int argv_word_at(char **argv, const char *w);

#endif
