// SPDX-License-Identifier: GPL-2.0-or-later
/* A guest that prints without end cannot take the host's disk nor its
 * memory: vm_run keeps the first and the last bytes of each serial port
 * (vm/capture.h: 4 + 4 MiB of the console, 16 + 16 MiB of the stream)
 * and says how much it dropped between them. A fake qemu (a shell script
 * that opens its two file chardevs as qemu does) prints 12 MiB on the
 * console, 40 MiB on the stream and 300,000 bytes on its stderr (qemu's
 * log: 64 + 64 KiB kept), each between a HEAD and a TAIL mark. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/util.h"
#include "vm/vm.h"

static char qdir[128];

static void setup(void)
{
	snprintf(qdir, sizeof qdir, "/tmp/oomlab-vmcap-XXXXXX");
	cr_assert_not_null(mkdtemp(qdir));
}

static void teardown(void)
{
	rm_rf(qdir);
}

TestSuite(vm_capture, .init = setup, .fini = teardown);

static const char fake_qemu[] =
	"#!/bin/sh\n"
	"for a; do\n"
	"  case $a in\n"
	"    file,id=con,path=*) con=${a#file,id=con,path=} ;;\n"
	"    file,id=agent,path=*) str=${a#file,id=agent,path=} ;;\n"
	"  esac\n"
	"done\n"
	"{ printf HEAD; head -c 12582912 /dev/zero | tr '\\0' c; printf TAIL; } >\"$con\"\n"
	"{ printf HEAD; head -c 41943040 /dev/zero | tr '\\0' s; printf TAIL; } >\"$str\"\n"
	"{ printf HEAD; head -c 300000 /dev/zero | tr '\\0' q; printf TAIL; } >&2\n";

static long long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* The file's bytes [at, at + n) (a negative at counts from the end). */
static char *file_part(const char *path, long long at, size_t n)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fseek(f, at, at < 0 ? SEEK_END : SEEK_SET), 0);
	char *b = xcalloc(1, n + 1);
	cr_assert_eq(fread(b, 1, n, f), n);
	fclose(f);
	return b;
}

static void expect_capped(const char *path, long long head, long long tail, long long printed)
{
	char *line = xasprintf("\n@oomlab capture: %lld bytes dropped here, the first %lld and the last %lld "
			       "are kept\n",
			       printed - head - tail, head, tail);
	cr_expect_eq(file_size(path), head + (long long)strlen(line) + tail, "%s: %lld bytes", path,
		     file_size(path));
	char *b = file_part(path, 0, 4);
	cr_expect_str_eq(b, "HEAD");
	free(b);
	b = file_part(path, head, strlen(line));
	cr_expect_str_eq(b, line);
	free(b);
	b = file_part(path, -4, 4);
	cr_expect_str_eq(b, "TAIL");
	free(b);
	free(line);
}

Test(vm_capture, a_port_that_prints_too_much_keeps_its_head_and_tail, .timeout = 120)
{
	char *qemu = xasprintf("%s/qemu", qdir), *con = xasprintf("%s/c.console.log", qdir);
	char *str = xasprintf("%s/c.stream", qdir), *qlog = xasprintf("%s/qemu.log", qdir);
	cr_assert_eq(write_file_atomic(qemu, fake_qemu, strlen(fake_qemu)), 0);
	cr_assert_eq(chmod(qemu, 0755), 0);
	struct vm_spec s = {
		.qemu = qemu, .accel = "tcg", .image = "/k", .initrd = "/i", .append = "x", .ram_mb = 64,
		.cpus = 1, .console_path = con, .stream_path = str, .qemu_log = qlog,
	};
	struct vm_result r;
	struct buf err = {0};
	cr_assert_eq(vm_run(&s, 100, &r, &err), 0, "%s", err.data);
	cr_expect_eq(r.timed_out, 0);
	expect_capped(con, 4 << 20, 4 << 20, (12 << 20) + 8);
	expect_capped(str, 16 << 20, 16 << 20, (40 << 20) + 8);
	expect_capped(qlog, 64 << 10, 64 << 10, 300008);
	free(qlog);
	/* nothing else left beside them (the rings are unnamed) */
	char *ls = xasprintf("%s/.capture-", qdir);
	cr_expect_eq(file_size(ls), -1);
	free(ls);
	free(qemu);
	free(con);
	free(str);
}

Test(vm_capture, the_result_counts_what_was_dropped, .timeout = 120)
{
	char *qemu = xasprintf("%s/qemu", qdir), *con = xasprintf("%s/c.console.log", qdir);
	char *str = xasprintf("%s/c.stream", qdir);
	cr_assert_eq(write_file_atomic(qemu, fake_qemu, strlen(fake_qemu)), 0);
	cr_assert_eq(chmod(qemu, 0755), 0);
	struct vm_spec s = {
		.qemu = qemu, .accel = "tcg", .image = "/k", .initrd = "/i", .append = "x", .ram_mb = 64,
		.cpus = 1, .console_path = con, .stream_path = str,
	};
	struct vm_result r;
	struct buf err = {0};
	cr_assert_eq(vm_run(&s, 100, &r, &err), 0, "%s", err.data);
	cr_expect_eq(r.console_bytes, (12 << 20) + 8);
	cr_expect_eq(r.stream_bytes, (40 << 20) + 8);
	cr_expect_eq(r.console_dropped, (4 << 20) + 8);
	cr_expect_eq(r.stream_dropped, (8 << 20) + 8);
	cr_expect_eq(r.capture_errno, 0);
	free(qemu);
	free(con);
	free(str);
}
