// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/buddyinfo: zones come from "Node N, zone NAME" lines of the input;
 * mm/vmstat.c's format of the parsed zones parses back to the same zones;
 * buddy_free_pages saturates instead of overflowing. */
#include <limits.h>
#include <string.h>

#include "fuzz.h"
#include "parse/parse.h"
#include "lib/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buddyinfo a, b;
	size_t n = parse_buddyinfo((const char *)data, size, &a);
	FUZZ_CHECK(n == a.n && n <= BUDDY_ZONES_MAX, "n %zu", n);
	struct buf t = {0};
	for (size_t i = 0; i < n; i++) {
		const struct buddy_zone *z = &a.z[i];
		FUZZ_CHECK(z->n_orders >= 1 && z->n_orders <= BUDDY_ORDERS_MAX, "zone %zu: %d orders", i, z->n_orders);
		FUZZ_CHECK(z->zone[0] && memchr(z->zone, '\0', sizeof z->zone), "zone %zu: name", i);
		FUZZ_CHECK(memmem(data, size, z->zone, strlen(z->zone)), "zone %zu: '%s' not in input", i, z->zone);
		long long pages = buddy_free_pages(z);
		FUZZ_CHECK(pages >= 0, "zone %zu: negative free pages", i);
		for (int o = 0; o < z->n_orders; o++)
			FUZZ_CHECK(z->free[o] >= 0 && (pages == LLONG_MAX || z->free[o] <= pages), "order %d", o);
		buf_printf(&t, "Node %d, zone %8s ", z->node, z->zone);
		for (int o = 0; o < z->n_orders; o++)
			buf_printf(&t, "%6lld ", z->free[o]);
		buf_printf(&t, "\n");
	}
	char *d = fuzz_dup(t.data ? t.data : "", t.len);
	parse_buddyinfo(d, t.len, &b);
	free(d);
	FUZZ_CHECK(b.n == a.n, "re-parse: %zu zones, first parse %zu: '%s'", b.n, a.n, t.data ? t.data : "");
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(!memcmp(&a.z[i], &b.z[i], sizeof a.z[i]), "zone %zu changed: '%s'", i, t.data);
	buf_free(&t);
	return 0;
}
