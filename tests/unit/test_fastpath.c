// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>

#include "lib/fastpath.h"

Test(fastpath, names_are_the_words_of_the_variable)
{
	cr_assert_str_eq(fastpath_name(FAST_END), "end");
	cr_assert_str_eq(fastpath_name(FAST_RAM), "ram");
	cr_assert_str_eq(fastpath_name(FAST_STREAM), "stream");
	cr_assert_str_eq(fastpath_name(FAST_STANDBY), "standby");
	cr_assert_null(fastpath_name(FAST_COUNT));
}

Test(fastpath, parse)
{
	unsigned off = 99;
	char bad[16] = "";
	cr_assert_eq(fastpath_parse(NULL, &off, bad, sizeof bad), 0);
	cr_assert_eq(off, 0);
	cr_assert_eq(fastpath_parse("ram,end", &off, bad, sizeof bad), 0);
	cr_assert_eq(off, (1u << FAST_RAM) | (1u << FAST_END));
	cr_assert_eq(fastpath_parse(" stream , standby", &off, bad, sizeof bad), 0);
	cr_assert_eq(off, (1u << FAST_STREAM) | (1u << FAST_STANDBY));
	cr_assert_eq(fastpath_parse("all", &off, bad, sizeof bad), 0);
	cr_assert_eq(off, 0xfu);
	cr_assert_eq(fastpath_parse("end,rams", &off, bad, sizeof bad), -1);
	cr_assert_str_eq(bad, "rams");
}
