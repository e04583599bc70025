// SPDX-License-Identifier: GPL-2.0-or-later
/* A warm-start snapshot whose guest RAM is a file of its own
 * (docs/warm-starts.md#the-snapshots-ram): the QEMU words that map it
 * (shared while the snapshot is built, private in a restore), its own
 * key, and its files handled as one with their state: found together,
 * quarantined together, counted and removed together by the cache's
 * prune. */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argvword.h"
#include "lib/util.h"
#include "vm/snapshot.h"
#include "vm/vm.h"

/* ---- the argv ---- */

static int has_substr(char **argv, const char *s)
{
	for (int i = 0; argv[i]; i++)
		if (strstr(argv[i], s))
			return 1;
	return 0;
}

Test(snapshot_ram, argv_maps_the_file_private_in_a_restore_shared_in_a_build)
{
	struct vm_spec s = {
		.accel = "tcg", .image = "/k", .initrd = "/i", .append = "x", .ram_mb = 256, .cpus = 1,
		.console_path = "/c", .stream_path = "/s", .incoming = 1, .ram_path = "/dev/fd/7",
	};
	char **argv = vm_argv(&s);
	int o = argv_word_at(argv, "-object"), m = argv_word_at(argv, "-machine");
	cr_assert_geq(o, 0);
	cr_assert_str_eq(argv[o + 1], "memory-backend-file,id=ram0,size=256M,mem-path=/dev/fd/7,share=off");
	cr_assert_geq(m, 0);
	cr_assert_str_eq(argv[m + 1], "memory-backend=ram0");
	/* -m stays: QEMU wants it equal to the backend's size */
	int mm = argv_word_at(argv, "-m");
	cr_assert_str_eq(argv[mm + 1], "256");
	vm_argv_free(argv);

	s.ram_share = 1;
	s.incoming = 0;
	s.ram_mb = 512;
	s.ram_path = "/cache/a,b.ram"; /* a comma in a QEMU option value is doubled */
	argv = vm_argv(&s);
	o = argv_word_at(argv, "-object");
	cr_assert_str_eq(argv[o + 1], "memory-backend-file,id=ram0,size=512M,mem-path=/cache/a,,b.ram,share=on");
	cr_assert_str_eq(argv[argv_word_at(argv, "-machine") + 1], "memory-backend=ram0");
	vm_argv_free(argv);

	/* no file: anonymous RAM, the words of before */
	s.ram_path = NULL;
	argv = vm_argv(&s);
	cr_assert_eq(argv_word_at(argv, "-object"), -1);
	cr_assert_eq(argv_word_at(argv, "-machine"), -1);
	cr_assert(!has_substr(argv, "memory-backend"));
	vm_argv_free(argv);
}

/* ---- the key and the names ---- */

static char tmp[64];

static void setup(void)
{
	strcpy(tmp, "/tmp/oomlab-test-snapram-XXXXXX");
	cr_assert_not_null(mkdtemp(tmp));
	setenv("OOMLAB_SNAPSHOTS", tmp, 1);
}

static void teardown(void)
{
	unsetenv("OOMLAB_SNAPSHOTS");
	unsetenv("OOMLAB_SNAPSHOT_CACHE_MB");
	unsetenv("OOMLAB_SNAPSHOT_CRASH_LIMIT");
	rm_rf(tmp);
}

static char *path_of(const char *name)
{
	return xasprintf("%s/%s", tmp, name);
}

/* A file of kib KiB of non-zero bytes (so that it takes that much disk). */
static void put(const char *name, int kib, time_t mtime)
{
	char *p = path_of(name);
	char *b = xmalloc((size_t)kib * 1024);
	memset(b, 'x', (size_t)kib * 1024);
	cr_assert_eq(write_file_atomic(p, b, (size_t)kib * 1024), 0, "%s", p);
	struct timespec t[2] = {{mtime, 0}, {mtime, 0}};
	cr_assert_eq(utimensat(AT_FDCWD, p, t, 0), 0);
	free(b);
	free(p);
}

static int exists(const char *name)
{
	char *p = path_of(name);
	int r = path_exists(p);
	free(p);
	return r;
}

Test(snapshot_ram, the_ram_kind_has_a_key_of_its_own, .init = setup, .fini = teardown)
{
	put("bzImage", 1, 1000);
	put("initrd", 1, 1000);
	char *img = path_of("bzImage"), *rd = path_of("initrd");
	struct snap_inputs in = {.image = img, .initrd = rd, .append = "console=ttyS0", .accel = "tcg",
				 .ram_mb = 256, .cpus = 1};
	struct buf err = {0};
	char copied[65], file[65], again[65];
	cr_assert_eq(snapshot_key(&in, copied, &err), 0, "%s", err.data);
	in.ram_file = 1;
	cr_assert_eq(snapshot_key(&in, file, &err), 0);
	cr_assert_eq(snapshot_key(&in, again, &err), 0);
	cr_assert_str_neq(file, copied, "both kinds sit in the cache side by side");
	cr_assert_str_eq(file, again);
	buf_free(&err);
	free(img);
	free(rd);
}

Test(snapshot_ram, ram_name_follows_the_state_name)
{
	char *n = snapshot_ram_name("/c/abc.state");
	cr_assert_str_eq(n, "/c/abc.ram");
	free(n);
	n = snapshot_ram_name("/c/abc.quarantined");
	cr_assert_str_eq(n, "/c/abc.quarantined.ram");
	free(n);
	n = snapshot_ram_name("/c/abc.state.tmp.12.xyz");
	cr_assert_str_eq(n, "/c/abc.state.tmp.12.xyz.ram");
	free(n);
}

/* ---- quarantine, prune, open ---- */

#define K1 "1111111111111111111111111111111111111111111111111111111111111111"
#define K2 "2222222222222222222222222222222222222222222222222222222222222222"
#define K3 "3333333333333333333333333333333333333333333333333333333333333333"

Test(snapshot_ram, a_quarantine_moves_the_ram_with_its_state, .init = setup, .fini = teardown)
{
	setenv("OOMLAB_SNAPSHOT_CRASH_LIMIT", "1", 1);
	put(K1 ".state", 1, 1000);
	put(K1 ".ram", 2, 1000);
	cr_assert_eq(snapshot_restore_crashed(K1, "the kernel panicked after the restore"), 1);
	cr_assert(!exists(K1 ".state"));
	cr_assert(!exists(K1 ".ram"));
	cr_assert(exists(K1 ".quarantined"));
	cr_assert(exists(K1 ".quarantined.ram"), "the RAM of the state that crashed, to replay it");
	struct stat st;
	char *qr = path_of(K1 ".quarantined.ram");
	cr_assert_eq(stat(qr, &st), 0);
	cr_assert_eq(st.st_size, 2048, "the RAM file itself, moved");
	/* a later quarantine of a state without RAM leaves no older RAM beside it */
	put(K1 ".state", 1, 1000);
	cr_assert_eq(snapshot_quarantine(tmp, K1, "again"), 0);
	cr_assert(exists(K1 ".quarantined"));
	cr_assert(!exists(K1 ".quarantined.ram"));
	/* no state: nothing moves, not even a RAM file */
	put(K1 ".ram", 2, 1000);
	cr_assert_eq(snapshot_quarantine(tmp, K1, "none"), -1);
	cr_assert(exists(K1 ".ram"));
	free(qr);
}

Test(snapshot_ram, prune_counts_and_removes_the_ram_with_its_state, .init = setup, .fini = teardown)
{
	/* K1: state + RAM, 3 MiB, used first; K3: a RAM file whose state
	 * went (a removal killed half way), 1 MiB; K2: 1 MiB, the one kept */
	put(K1 ".state", 1024, 1000);
	put(K1 ".ram", 2048, 1000);
	put(K1 ".json", 1, 1000);
	put(K3 ".ram", 1024, 2000);
	put(K2 ".state", 1024, 3000);
	/* 5 MiB in 3: K1 goes, both its files (without the RAM it was 3 MiB:
	 * nothing would go) */
	setenv("OOMLAB_SNAPSHOT_CACHE_MB", "3", 1);
	snapshot_prune(tmp, K2);
	cr_assert(!exists(K1 ".state"));
	cr_assert(!exists(K1 ".ram"));
	cr_assert(!exists(K1 ".json"));
	cr_assert(exists(K3 ".ram"));
	cr_assert(exists(K2 ".state"));
	/* the lone RAM file counts and goes too */
	setenv("OOMLAB_SNAPSHOT_CACHE_MB", "1", 1);
	snapshot_prune(tmp, K2);
	cr_assert(!exists(K3 ".ram"));
	cr_assert(exists(K2 ".state"));
	/* a quarantined state and its RAM count as one as well */
	put(K1 ".quarantined", 1024, 500);
	put(K1 ".quarantined.ram", 1024, 500);
	setenv("OOMLAB_SNAPSHOT_CACHE_MB", "2", 1);
	snapshot_prune(tmp, K2);
	cr_assert(!exists(K1 ".quarantined"));
	cr_assert(!exists(K1 ".quarantined.ram"));
	cr_assert(exists(K2 ".state"));
}

Test(snapshot_ram, open_gives_both_files_or_none, .init = setup, .fini = teardown)
{
	put(K1 ".state", 1, 1000);
	put(K1 ".ram", 4, 1000);
	struct snapshot s = {.state = path_of(K1 ".state"), .ram = path_of(K1 ".ram")};
	struct buf err = {0};
	int sfd, rfd;
	cr_assert_eq(snapshot_open(&s, &sfd, &rfd, &err), 0, "%s", err.data);
	cr_assert_geq(sfd, 0);
	cr_assert_geq(rfd, 0);
	cr_assert_eq(fcntl(rfd, F_GETFD) & FD_CLOEXEC, 0, "QEMU inherits the RAM's fd");
	cr_assert_neq(fcntl(sfd, F_GETFD) & FD_CLOEXEC, 0);
	struct stat st;
	cr_assert_eq(fstat(rfd, &st), 0);
	cr_assert_eq(st.st_size, 4096);
	close(sfd);
	close(rfd);
	/* the RAM went: no restore (and no fd left open) */
	char *ram = xstrdup(s.ram);
	unlink(ram);
	int before = open("/dev/null", O_RDONLY);
	close(before);
	cr_assert_eq(snapshot_open(&s, &sfd, &rfd, &err), -1);
	cr_assert_eq(sfd, -1);
	cr_assert_eq(rfd, -1);
	cr_assert_not_null(strstr(err.data, K1 ".ram"), "%s", err.data);
	int after = open("/dev/null", O_RDONLY);
	cr_assert_eq(after, before, "an fd was left open");
	close(after);
	/* the copying kind: the state alone */
	free(s.ram);
	s.ram = NULL;
	cr_assert_eq(snapshot_open(&s, &sfd, &rfd, &err), 0);
	cr_assert_geq(sfd, 0);
	cr_assert_eq(rfd, -1);
	close(sfd);
	free(ram);
	free(s.state);
	buf_free(&err);
}
