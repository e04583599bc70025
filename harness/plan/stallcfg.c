// SPDX-License-Identifier: GPL-2.0-or-later
#include "plan/stallcfg.h"

#include <string.h>

static const char *const stall_keys[] = {"seconds", "psi_full", NULL};

struct stall_cfg stall_cfg_default(void)
{
	return (struct stall_cfg){.seconds = STALL_DEFAULT_S, .psi_full = STALL_DEFAULT_PSI_FULL};
}

static int bad(char **where, const char *w, struct buf *why, const char *msg)
{
	*where = xstrdup(w);
	buf_printf(why, "%s", msg);
	return -1;
}

int stall_cfg_parse(json_t *v, struct stall_cfg *cfg, char **where, struct buf *why)
{
	struct stall_cfg c = *cfg;
	const char *key;
	json_t *x;

	*where = NULL;
	if (!json_is_object(v))
		return bad(where, "", why,
			   "must be an object {\"seconds\": N, \"psi_full\": P} (seconds 0..86400, 0: off; "
			   "psi_full 0..100)");
	json_object_foreach(v, key, x) {
		int known = 0;
		for (const char *const *k = stall_keys; *k; k++)
			known |= !strcmp(key, *k);
		if (!known) {
			*where = xasprintf(".%s", key);
			buf_printf(why, "unknown key (allowed: seconds, psi_full)");
			return -1;
		}
	}
	if ((x = json_object_get(v, "seconds"))) {
		if (!json_is_integer(x) || json_integer_value(x) < 0 ||
		    json_integer_value(x) > STALL_MAX_S)
			return bad(where, ".seconds", why,
				   "must be an integer in 0..86400 (seconds without progress; 0: no stall detection)");
		c.seconds = json_integer_value(x);
	}
	if ((x = json_object_get(v, "psi_full"))) {
		if (!json_is_number(x) || json_number_value(x) < 0 || json_number_value(x) > 100)
			return bad(where, ".psi_full", why,
				   "must be a number in 0..100 (PSI full avg10 of /proc/pressure/memory, percent)");
		c.psi_full = json_number_value(x);
	}
	*cfg = c;
	return 0;
}
