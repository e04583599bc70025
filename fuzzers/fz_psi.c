// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/pressure/memory: the result says whether "some" parsed; averages
 * are finite and within 0..100 (percentages); printing them as the kernel
 * does ("%.2f") and parsing again is a fixed point
 * (print(parse(print(x))) == print(x)). */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "parse/parse.h"

static int print_psi(const struct psi *p, char *out, size_t outsz)
{
	size_t n = 0;
	const struct psi_line *l[2] = {&p->some, &p->full};
	const char *name[2] = {"some", "full"};
	out[0] = '\0';
	for (int i = 0; i < 2; i++) {
		if (!l[i]->present)
			continue;
		int w = snprintf(out + n, outsz - n, "%s avg10=%.2f avg60=%.2f avg300=%.2f total=%llu\n", name[i],
				 l[i]->avg10, l[i]->avg60, l[i]->avg300, l[i]->total_us);
		if (w < 0 || (size_t)w >= outsz - n)
			return -1;
		n += (size_t)w;
	}
	return (int)n;
}

static void line_ok(const struct psi_line *l, const char *which)
{
	if (!l->present)
		return;
	FUZZ_CHECK(isfinite(l->avg10) && isfinite(l->avg60) && isfinite(l->avg300), "%s: not finite", which);
	/* an average is a percentage: the kernel prints 0.00..100.00 */
	FUZZ_CHECK(l->avg10 >= 0 && l->avg10 <= 100 && l->avg60 >= 0 && l->avg60 <= 100 && l->avg300 >= 0 &&
			   l->avg300 <= 100,
		   "%s: an average outside 0..100: %g %g %g", which, l->avg10, l->avg60, l->avg300);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct psi a, b, c;
	int r = parse_psi((const char *)data, size, &a);
	FUZZ_CHECK((r == 0) == (a.some.present == 1), "rc %d, some.present %d", r, a.some.present);
	if (a.some.present || a.full.present)
		FUZZ_CHECK(memmem(data, size, a.some.present ? "some " : "full ", 5), "a line without its name");
	line_ok(&a.some, "some");
	line_ok(&a.full, "full");
	static char t1[4096], t2[4096];
	int n1 = print_psi(&a, t1, sizeof t1);
	if (n1 < 0)
		return 0; /* absurdly large values: not printable in 4 KiB */
	char *d1 = fuzz_dup(t1, (size_t)n1);
	parse_psi(d1, (size_t)n1, &b);
	free(d1);
	FUZZ_CHECK(b.some.present == a.some.present && b.full.present == a.full.present, "lines lost in '%s'", t1);
	FUZZ_CHECK(b.some.total_us == a.some.total_us && b.full.total_us == a.full.total_us, "total changed");
	int n2 = print_psi(&b, t2, sizeof t2);
	FUZZ_CHECK(n2 == n1 && !memcmp(t1, t2, (size_t)n1), "not a fixed point: '%s' then '%s'", t1, t2);
	(void)c;
	return 0;
}
