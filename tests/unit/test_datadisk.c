// SPDX-License-Identifier: GPL-2.0-or-later
/* Data disks: a workload whose registry entry names disk_size_opt
 * (filecache) gets a sparse virtio-blk disk of that size, attached after
 * the swap disk, and "--dev /dev/vdX" appended to its arguments. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/cellconf.h"
#include "plan/matrix.h"
#include "lib/util.h"
#include "vm/vm.h"

static char ddir[128];

static void setup(void)
{
	snprintf(ddir, sizeof ddir, "/tmp/oomlab-ddtest-XXXXXX");
	cr_assert_not_null(mkdtemp(ddir));
}

static void teardown(void)
{
	rm_rf(ddir);
}

TestSuite(datadisk, .init = setup, .fini = teardown);

static void load(const char *text, struct matrix *m)
{
	struct buf err = {0};
	char *p = xasprintf("%s/m.json", ddir);
	cr_assert_eq(write_file_atomic(p, text, strlen(text)), 0);
	cr_assert_eq(matrix_load(p, m, &err), 0, "%s", err.data);
	free(p);
	buf_free(&err);
}

Test(datadisk, none_without_a_disk_workload)
{
	struct matrix m;
	load("{\"cells\":[{\"name\":\"a\",\"swap_mb\":64,\"workloads\":[\"touch\",\"shm\"]}]}", &m);
	struct data_disk d[CELL_DATA_DISKS_MAX];
	cr_expect_eq(cell_data_disks(&m.cells[0], d), 0);
	char *conf = cellconf_build(&m.cells[0], NULL);
	cr_expect_null(strstr(conf, "--dev"), "%s", conf);
	free(conf);
	matrix_free(&m);
}

Test(datadisk, after_the_swap_disk_in_workload_order)
{
	struct matrix m;
	load("{\"cells\":[{\"name\":\"a\",\"swap_mb\":64,\"workloads\":["
	     "\"touch\",{\"name\":\"filecache\",\"options\":{\"size_mb\":32,\"passes\":2}},"
	     "\"filecache\"]}]}",
	     &m);
	struct data_disk d[CELL_DATA_DISKS_MAX];
	cr_assert_eq(cell_data_disks(&m.cells[0], d), 2);
	cr_expect_eq(d[0].wl, 1);
	cr_expect_eq(d[0].mb, 32);
	cr_expect_str_eq(d[0].dev, "/dev/vdb");
	cr_expect_eq(d[1].wl, 2);
	cr_expect_eq(d[1].mb, 128, "the option's default");
	cr_expect_str_eq(d[1].dev, "/dev/vdc");
	char *conf = cellconf_build(&m.cells[0], NULL);
	cr_expect_not_null(strstr(conf, "swap\t/dev/vda\n"), "%s", conf);
	cr_expect_not_null(strstr(conf, "\tfilecache\t--size-mb\t32\t--passes\t2\t--dev\t/dev/vdb\n"),
			   "%s", conf);
	cr_expect_not_null(strstr(conf, "\tfilecache\t--dev\t/dev/vdc\n"), "%s", conf);
	free(conf);
	matrix_free(&m);
}

Test(datadisk, first_disk_is_vda_without_disk_swap)
{
	struct matrix m;
	load("{\"cells\":[{\"name\":\"a\",\"workloads\":[\"filecache\"]},"
	     "{\"name\":\"z\",\"swap_mb\":64,\"swap_type\":\"zram\",\"workloads\":[\"filecache\"]}]}",
	     &m);
	struct data_disk d[CELL_DATA_DISKS_MAX];
	for (size_t c = 0; c < 2; c++) {
		cr_assert_eq(cell_data_disks(&m.cells[c], d), 1);
		cr_expect_str_eq(d[0].dev, "/dev/vda");
	}
	matrix_free(&m);
}

Test(datadisk, qemu_gets_them_after_the_swap_disk)
{
	const char *disks[] = {"/t/data0.img", "/t/da,ta1.img"};
	struct vm_spec s = {
		.accel = "tcg", .image = "/k", .initrd = "/i", .append = "x", .ram_mb = 256, .cpus = 1,
		.console_path = "/c", .stream_path = "/s", .swap_disk = "/t/swap.img",
		.data_disks = disks, .n_data_disks = 2,
	};
	char **argv = vm_argv(&s);
	int swap = -1, d0 = -1, d1 = -1;
	for (int i = 0; argv[i]; i++) {
		if (strstr(argv[i], "file=/t/swap.img,"))
			swap = i;
		if (strstr(argv[i], "file=/t/data0.img,format=raw,if=virtio"))
			d0 = i;
		if (strstr(argv[i], "file=/t/da,,ta1.img,"))
			d1 = i;
	}
	cr_expect(swap > 0 && d0 > swap && d1 > d0, "swap %d, data %d %d", swap, d0, d1);
	vm_argv_free(argv);
}
