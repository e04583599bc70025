/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jansson helpers for untrusted text. */
#ifndef OOMLAB_JSONX_H
#define OOMLAB_JSONX_H

#include <jansson.h>
#include <stddef.h>

/* A JSON string from bytes the guest sent: kept as is when valid UTF-8,
 * else every byte that is not printable ASCII becomes '?'. NUL bytes are
 * dropped either way. Never NULL. */
json_t *json_text(const char *p, size_t n);

/* The string member key of o, or dflt when o is not an object, key is
 * missing or its value is not a string. */
const char *json_str(json_t *o, const char *key, const char *dflt);

/* Append v (a new reference, stolen) to the array arr unless an equal
 * value is there already (then v is released). */
void json_append_unique(json_t *arr, json_t *v);

/* Serialise with sorted keys and write atomically (temp file + rename).
 * Returns 0 or -1 with errno set. */
int json_write_atomic(const char *path, json_t *root);

#endif
