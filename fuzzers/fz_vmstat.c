// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/vmstat: entries come from the input; format + re-parse is equal. */
#include "kv_props.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kv_props(data, size, parse_vmstat, " ", " \t\r");
	return 0;
}
