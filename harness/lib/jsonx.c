// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/jsonx.h"
#include "lib/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

json_t *json_text(const char *p, size_t n)
{
	char *s = xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i])
			s[k++] = p[i];
	s[k] = 0;
	json_t *j = json_stringn(s, k);
	if (!j) {
		for (size_t i = 0; i < k; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c >= 0x80)
				s[i] = '?';
		}
		j = json_stringn(s, k);
	}
	free(s);
	return j ? j : json_string("");
}

int json_write_atomic(const char *path, json_t *root)
{
	char *text = json_dumps(root, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(6));
	if (!text) {
		errno = EINVAL;
		return -1;
	}
	size_t len = strlen(text);
	char *withnl = xmalloc(len + 2);
	memcpy(withnl, text, len);
	withnl[len] = '\n';
	int r = write_file_atomic(path, withnl, len + 1);
	int e = errno;
	free(withnl);
	free(text);
	errno = e;
	return r;
}

const char *json_str(json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : dflt;
}

void json_append_unique(json_t *arr, json_t *v)
{
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) {
		if (json_equal(x, v)) {
			json_decref(v);
			return;
		}
	}
	json_array_append_new(arr, v);
}
