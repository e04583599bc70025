// SPDX-License-Identifier: GPL-2.0-or-later
/* What the fuzzers (fuzzers/, docs/fuzzing.md) found in the parsers, one
 * test per fix; the inputs they found are in tests/fuzz/<target>/ and are
 * replayed by fuzzers/smoke. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden.h"
#include "plan/matrix.h"
#include "parse/earlyoom.h"
#include "parse/parse.h"



/* "MemAvailable\0junk: 1" read as MemAvailable = 1 before. */
Test(fuzzfound, kv_key_with_nul_is_skipped)
{
	static const char mi[] = "MemAvailable\0junk:   1 kB\nMemAvailable:  200 kB\n";
	static const char vs[] = "oom\0_kill 7\noom 3\n";
	char *m = dup_exact(mi, sizeof mi - 1), *v = dup_exact(vs, sizeof vs - 1);
	struct kvlist l = {0};
	cr_assert_eq(parse_meminfo(m, sizeof mi - 1, &l), 1);
	cr_assert_eq(kv_get(&l, "MemAvailable", -1), 200);
	cr_assert_eq(parse_vmstat(v, sizeof vs - 1, &l), 1);
	cr_assert_eq(kv_get(&l, "oom", -1), 3);
	kvlist_free(&l);
	free(m);
	free(v);
}

/* An average of 10^20 lost precision (and 10^400 became inf, which
 * jansson cannot store): averages are percentages, at most 100. */
Test(fuzzfound, psi_average_above_100_is_damage)
{
	struct psi p;
	char *a = NULL;
	size_t n;
	static const char t[] = "some avg10=184467470503497516150.00 avg60=0.00 avg300=0.00 total=1\n"
				"full avg10=100.00 avg60=99.99 avg300=0.00 total=2\n";
	a = dup_exact(t, n = sizeof t - 1);
	cr_assert_eq(parse_psi(a, n, &p), -1, "the some line is damaged");
	cr_assert(p.full.present);
	cr_assert_float_eq(p.full.avg10, 100.0, 1e-9);
	cr_assert_float_eq(p.full.avg60, 99.99, 1e-9);
	free(a);
}

/* "Killed process -127 (comm) total-vm:..." gave a killed event with pid
 * -127: the kernel prints a pid as a positive %d, so a sign is damage and
 * the line is no kill (tests/fuzz/kernlog/killed-pid-negative). */
Test(fuzzfound, kernlog_killed_pid_with_a_sign_is_no_kill)
{
	static const char t[] = "[    2.980000] Out of memory: Killed process -127 (oomlab-wl) total-vm:325836kB, "
				"anon-rss:193792kB, file-rss:0kB, shmem-rss:648kB, UID:0 pgtables:220kB oom_score_adj:0\n"
				"[    2.990000] Out of memory: Killed process 128 (oomlab-wl) total-vm:325836kB, "
				"anon-rss:193792kB, file-rss:0kB, shmem-rss:648kB, UID:0 pgtables:220kB oom_score_adj:0\n";
	char *a = dup_exact(t, sizeof t - 1);
	struct kernlog kl;
	kernlog_init(&kl);
	kernlog_feed_console(&kl, a, sizeof t - 1);
	cr_assert_eq(kl.n_oom, 1);
	cr_assert(kl.oom[0].killed);
	cr_assert_eq(kl.oom[0].victim_pid, 128);
	kernlog_free(&kl);
	free(a);
}

/* "Name:\tto\r\r\n" kept one CR of two; the kernel escapes a CR in a
 * name, so trailing CRs are line ends. */
Test(fuzzfound, status_name_loses_every_trailing_cr)
{
	struct proc_status s;
	static const char t[] = "Name:\tto\r\r\r\nPid:\t5\r\n";
	char *a = dup_exact(t, sizeof t - 1);
	cr_assert_eq(parse_status(a, sizeof t - 1, &s), 0);
	cr_assert_str_eq(s.name, "to");
	cr_assert_eq(s.pid, 5);
	free(a);
	static const char t2[] = "Name:\tto\r\r\0\0\r\n";
	a = dup_exact(t2, sizeof t2 - 1);
	cr_assert_eq(parse_status(a, sizeof t2 - 1, &s), 0);
	cr_assert_str_eq(s.name, "to", "a NUL ends the name, and the CRs before it go too");
	free(a);
}

/* A zone name with a NUL byte printed (and compared) as a shorter name. */
Test(fuzzfound, buddyinfo_zone_name_with_control_bytes_is_skipped)
{
	struct buddyinfo b;
	static const char t[] = "Node 0, zone   DM\0A 1 2 3\nNode 0, zone   DMA\x01 1\nNode 0, zone DMA32 4 5\n";
	char *a = dup_exact(t, sizeof t - 1);
	cr_assert_eq(parse_buddyinfo(a, sizeof t - 1, &b), 1);
	cr_assert_str_eq(b.z[0].zone, "DMA32");
	cr_assert_eq(b.z[0].free[1], 5);
	free(a);
}

/* A matrix error quoted the user's file raw: jansson's "near '...'" and a
 * key holding "\n" made a message of several lines (or terminal escape
 * sequences). Control bytes are now written as \xNN. */
Test(fuzzfound, matrix_errors_are_one_printable_line)
{
	static const char *const bad[] = {
		"{\"name\": \"a\\\n\"}",              /* invalid escape, then a raw newline */
		"{\"base\": {\"x\\u000ay\\u001b\": 1}}", /* a key with a newline and ESC */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char path[] = "/tmp/oomlab-fuzzfound-XXXXXX";
		int fd = mkstemp(path);
		cr_assert_geq(fd, 0);
		cr_assert_eq(write(fd, bad[i], strlen(bad[i])), (ssize_t)strlen(bad[i]));
		close(fd);
		struct matrix m;
		struct buf err = {0};
		cr_assert_eq(matrix_load(path, &m, &err), -1);
		unlink(path);
		cr_assert(!strncmp(err.data, path, strlen(path)), "names the file: %s", err.data);
		for (const char *p = err.data; *p; p++)
			cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f, "control byte 0x%02x in: %s", *p, err.data);
		cr_assert(strstr(err.data, "\\x"), "the control byte shows as \\xNN: %s", err.data);
		buf_free(&err);
	}
}

/* sscanf's %lf took "nan" and "inf" in earlyoom's lines (the target's
 * "finite" property; tests/fuzz/earlyoom/nan-and-inf): earlyoom prints
 * neither, and a report cannot hold them, so such a line is damage; the
 * same line with numbers still parses. */
Test(fuzzfound, earlyoom_nan_or_inf_is_damage)
{
	static const char *const bad[] = {
		"process exited after nan seconds",
		"escalating to SIGKILL after inf seconds",
		"mem avail:    11 of   205 MiB (inf%), swap free:    0 of    0 MiB ( 0.00%)",
		"sending SIGTERM when mem <= -nan% and swap <= 10.00%,",
		"        SIGKILL when mem <=  5.00% and swap <= NAN%",
		"low memory! at or below SIGTERM limits: mem infinity%, swap 10.00%",
	};
	struct eo_line e;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *a = dup_exact(bad[i], strlen(bad[i]));
		cr_expect_eq(eo_parse_line(a, strlen(bad[i]), &e), EO_NONE, "%s", bad[i]);
		cr_expect_eq(e.secs, 0);
		cr_expect_eq(e.mem_pct, 0);
		free(a);
	}
	static const char good[] = "mem avail:    11 of   205 MiB ( 5.47%), swap free:    0 of    0 MiB ( 0.00%)";
	char *a = dup_exact(good, sizeof good - 1);
	cr_assert_eq(eo_parse_line(a, sizeof good - 1, &e), EO_MEM);
	cr_expect_float_eq(e.mem_pct, 5.47, 1e-9);
	cr_expect_eq(e.mem_avail_mib, 11);
	free(a);
	a = dup_exact("process exited after 1.2 seconds", 32);
	cr_assert_eq(eo_parse_line(a, 32, &e), EO_EXITED);
	cr_expect_float_eq(e.secs, 1.2, 1e-9);
	free(a);
}
