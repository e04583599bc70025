// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fastpath.h"
#include "lib/util.h"
#include "plan/matrix.h"
#include "proto/cellconf.h"

Test(fastpath, names_are_the_words_of_the_variable)
{
	cr_assert_str_eq(fastpath_name(FAST_END), "end");
	cr_assert_str_eq(fastpath_name(FAST_RAM), "ram");
	cr_assert_str_eq(fastpath_name(FAST_STANDBY), "standby");
	cr_assert_str_eq(fastpath_name(FAST_SHM), "shm");
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
	cr_assert_eq(fastpath_parse(" end , standby", &off, bad, sizeof bad), 0);
	cr_assert_eq(off, (1u << FAST_END) | (1u << FAST_STANDBY));
	cr_assert_eq(fastpath_parse("all", &off, bad, sizeof bad), 0);
	cr_assert_eq(off, 0xfu);
	cr_assert_eq(fastpath_parse("shm", &off, bad, sizeof bad), 0);
	cr_assert_eq(off, 1u << FAST_SHM);
	cr_assert_eq(fastpath_parse("end,stream", &off, bad, sizeof bad), -1);
	cr_assert_str_eq(bad, "stream");
	cr_assert_eq(off, 1u << FAST_END);
	/* an unknown word is skipped, not the words after it */
	cr_assert_eq(fastpath_parse("strem,standby,x", &off, bad, sizeof bad), -1);
	cr_assert_str_eq(bad, "strem");
	cr_assert_eq(off, 1u << FAST_STANDBY);
}

/* end and standby are on unless switched off; ram is off unless switched
 * on (it slows guests that fill memory), and OOMLAB_NO_FAST wins. */
Test(fastpath, defaults_and_the_two_variables)
{
	unsetenv("OOMLAB_NO_FAST");
	unsetenv("OOMLAB_FAST");
	cr_assert_eq(fastpath_default(FAST_END), 1);
	cr_assert_eq(fastpath_default(FAST_RAM), 0);
	cr_assert_eq(fastpath_default(FAST_STANDBY), 1);
	cr_assert_eq(fastpath_default(FAST_SHM), 1);
	cr_assert_eq(fastpath_on(FAST_END), 1);
	cr_assert_eq(fastpath_on(FAST_RAM), 0);
	cr_assert_eq(fastpath_on(FAST_STANDBY), 1);
	setenv("OOMLAB_FAST", "ram", 1);
	cr_assert_eq(fastpath_on(FAST_RAM), 1);
	cr_assert_eq(fastpath_on(FAST_END), 1);
	setenv("OOMLAB_NO_FAST", "all", 1);
	cr_assert_eq(fastpath_on(FAST_RAM), 0, "OOMLAB_NO_FAST wins");
	cr_assert_eq(fastpath_on(FAST_END), 0);
	setenv("OOMLAB_NO_FAST", "standby", 1);
	setenv("OOMLAB_FAST", "all", 1);
	cr_assert_eq(fastpath_on(FAST_RAM), 1);
	cr_assert_eq(fastpath_on(FAST_STANDBY), 0);
	unsetenv("OOMLAB_NO_FAST");
	unsetenv("OOMLAB_FAST");
}

/* The end-of-cell handshake reaches the agent as "linger_ms 0" in the
 * cell description; switched off, the line is not there (the agent's
 * default linger, 300 ms). */
Test(fastpath, the_end_path_is_a_line_of_the_cell_description)
{
	static const char *const m = "{\"name\":\"p\",\"cells\":[{\"name\":\"a\",\"workloads\":[{\"name\":\"touch\"}]}]}";
	struct matrix mx;
	struct buf err = {0};
	cr_assert_eq(matrix_load_buf("m.json", m, strlen(m), ".", &mx, &err), 0, "%s", err.data);
	unsetenv("OOMLAB_NO_FAST");
	char *conf = cellconf_build(&mx.cells[0], NULL);
	cr_expect_not_null(strstr(conf, "\nlinger_ms\t0\n"), "%s", conf);
	free(conf);
	setenv("OOMLAB_NO_FAST", "ram,end", 1);
	conf = cellconf_build(&mx.cells[0], NULL);
	cr_expect_null(strstr(conf, "linger_ms"), "%s", conf);
	free(conf);
	unsetenv("OOMLAB_NO_FAST");
	matrix_free(&mx);
}
