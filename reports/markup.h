/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Escaping untrusted text (process names, kernel messages, knob values read
 * back from the guest) for HTML, SVG and XML reports. */
#ifndef OOMLAB_MARKUP_H
#define OOMLAB_MARKUP_H

#include <stddef.h>

#include "lib/util.h"

/* Append s escaped so that it is inert as HTML/SVG text, inside a quoted
 * attribute value, and is valid XML 1.0 character data: & < > " ' become
 * entities; tab, newline and carriage return stay; every other control
 * character (C0, DEL, C1), U+FFFE/U+FFFF and every byte that is not part
 * of well-formed UTF-8 becomes the visible text "\xNN" per byte. NULL
 * appends nothing. */
void markup_esc(struct buf *b, const char *s);
void markup_escn(struct buf *b, const char *s, size_t n);

#endif
