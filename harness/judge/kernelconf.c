// SPDX-License-Identifier: GPL-2.0-or-later
/* A guest kernel's build configuration as reports record it (kernelconf.h). */
#include "judge/kernelconf.h"
#include "lib/sha256.h"
#include "lib/util.h"
#include "parse/kconfig.h"

#include <stdlib.h>

json_t *kernelconf_json(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	if (!path || read_file(path, &text, &len) < 0) {
		if (path)
			log_warn("kernel config %s: cannot read it; the report records none", path);
		return json_null();
	}
	struct sha256 h;
	char hex[65];
	sha256_init(&h);
	sha256_update(&h, text, len);
	sha256_hex(&h, hex);
	struct kconfig k = {0};
	kconfig_parse_mm(text, len, &k);
	json_t *mm = json_object();
	for (size_t i = 0; i < k.n; i++)
		json_object_set_new(mm, k.v[i].name, json_string(k.v[i].value));
	kconfig_free(&k);
	free(text);
	return json_pack("{s:s,s:s,s:o}", "file", path, "sha256", hex, "mm", mm);
}
