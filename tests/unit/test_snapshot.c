// SPDX-License-Identifier: GPL-2.0-or-later
/* sha256.c against the FIPS 180-4 examples; the warm-start snapshot key
 * (the same inputs give the same key, a change of any input another, the
 * CPU KVM passes through included); stopping only while the vCPU idles;
 * the quarantine of a snapshot whose restores crash; the control port's
 * probe frames and lines. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proto/cellconf.h"
#include "proto/crc32.h"
#include "lib/sha256.h"
#include "vm/snapshot.h"
#include "vm/warm.h"
#include "lib/util.h"

static void hex_of(const char *s, size_t n, char out[65])
{
	struct sha256 h;
	sha256_init(&h);
	sha256_update(&h, s, n);
	sha256_hex(&h, out);
}

Test(sha256, fips_examples)
{
	char d[65];
	hex_of("abc", 3, d);
	cr_assert_str_eq(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of("", 0, d);
	cr_assert_str_eq(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hex_of(two, strlen(two), d);
	cr_assert_str_eq(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a' fed in uneven pieces: block boundaries */
	struct sha256 h;
	sha256_init(&h);
	char a[997];
	memset(a, 'a', sizeof a);
	size_t left = 1000000;
	while (left) {
		size_t n = left < sizeof a ? left : (left % 7) + 1;
		sha256_update(&h, a, n);
		left -= n;
	}
	sha256_hex(&h, d);
	cr_assert_str_eq(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static char snap_tmp[64];

static void snap_setup(void)
{
	strcpy(snap_tmp, "/tmp/oomlab-test-snap-XXXXXX");
	cr_assert_not_null(mkdtemp(snap_tmp));
}

static void snap_teardown(void)
{
	rm_rf(snap_tmp);
}

static char *put(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", snap_tmp, name);
	cr_assert_eq(write_file_atomic(p, text, strlen(text)), 0);
	return p;
}

Test(snapshot, key_changes_with_every_input, .init = snap_setup, .fini = snap_teardown)
{
	char *img = put("bzImage", "kernel"), *rd = put("initrd", "initramfs");
	struct snap_inputs base = {.image = img, .initrd = rd, .append = "console=ttyS0", .accel = "tcg",
				   .ram_mb = 256, .cpus = 1, .disk_mb = {128}, .n_disks = 1};
	struct buf err = {0};
	char k0[65], k[65];
	cr_assert_eq(snapshot_key(&base, k0, &err), 0, "%s", err.data);
	cr_assert_eq(strlen(k0), 64);
	cr_assert_eq(snapshot_key(&base, k, &err), 0);
	cr_assert_str_eq(k, k0, "the same inputs must give the same key");

	struct snap_inputs v;
	v = base; v.ram_mb = 512;
	cr_assert_eq(snapshot_key(&v, k, &err), 0); cr_assert_str_neq(k, k0, "ram");
	v = base; v.cpus = 2;
	cr_assert_eq(snapshot_key(&v, k, &err), 0); cr_assert_str_neq(k, k0, "cpus");
	v = base; v.accel = "kvm";
	cr_assert_eq(snapshot_key(&v, k, &err), 0); cr_assert_str_neq(k, k0, "accel");
	v = base; v.append = "console=ttyS0 quiet";
	cr_assert_eq(snapshot_key(&v, k, &err), 0); cr_assert_str_neq(k, k0, "append");
	v = base; v.disk_mb[0] = 256;
	cr_assert_eq(snapshot_key(&v, k, &err), 0); cr_assert_str_neq(k, k0, "disk size");
	v = base; v.n_disks = 0;
	cr_assert_eq(snapshot_key(&v, k, &err), 0); cr_assert_str_neq(k, k0, "disk count");
	v = base; v.shm = 1;
	cr_assert_eq(snapshot_key(&v, k, &err), 0); cr_assert_str_neq(k, k0, "the stream's ring device");
	/* the files by content, not by name */
	char *rd2 = put("initrd2", "initramfs");
	v = base; v.initrd = rd2;
	cr_assert_eq(snapshot_key(&v, k, &err), 0); cr_assert_str_eq(k, k0, "same bytes, other path");
	free(put("initrd2", "initramfS"));
	cr_assert_eq(snapshot_key(&v, k, &err), 0); cr_assert_str_neq(k, k0, "initrd bytes");
	free(put("bzImage", "kernel2"));
	cr_assert_eq(snapshot_key(&base, k, &err), 0); cr_assert_str_neq(k, k0, "kernel bytes");
	/* an input that cannot be read is an error naming it */
	v = base; v.image = "/nonexistent/bzImage";
	cr_assert_eq(snapshot_key(&v, k, &err), -1);
	cr_assert_not_null(strstr(err.data, "/nonexistent/bzImage"), "%s", err.data);
	buf_free(&err);
	free(img);
	free(rd);
	free(rd2);
}

Test(snapshot, dir_follows_the_environment)
{
	setenv("OOMLAB_SNAPSHOTS", "/some/where", 1);
	char *d = snapshot_dir();
	cr_assert_str_eq(d, "/some/where");
	free(d);
	unsetenv("OOMLAB_SNAPSHOTS");
	setenv("OOMLAB_CACHE", "/cache/x", 1);
	d = snapshot_dir();
	cr_assert_str_eq(d, "/cache/x/snapshots");
	free(d);
}

Test(snapshot, frame_carries_the_description_with_its_crc)
{
	size_t len;
	char *f = cellconf_frame("sample_ms\t100\n", &len);
	cr_assert_eq(len, strlen(f));
	cr_assert_str_eq(f, CTL_MAGIC " 14 b48e876a\nsample_ms\t100\n");
	free(f);
}

Test(snapshot, prune_removes_least_recently_used_beyond_the_cap)
{
	/* four snapshots of 100 MB: a (oldest use) .. d (newest) */
	struct snap_entry e[4] = {{"a", 100 << 20, 10}, {"b", 100 << 20, 40}, {"c", 100 << 20, 20},
				  {"d", 100 << 20, 30}};
	size_t v[4];
	/* 400 MB in a 250 MB cap: the two oldest go, oldest first */
	size_t n = snapshot_prune_pick(e, 4, 250LL << 20, "b", v);
	cr_assert_eq(n, 2);
	cr_assert_eq(v[0], 0);
	cr_assert_eq(v[1], 2);
	/* the one just built or used stays, even when it is the oldest */
	n = snapshot_prune_pick(e, 4, 250LL << 20, "a", v);
	cr_assert_eq(n, 2);
	cr_assert_eq(v[0], 2);
	cr_assert_eq(v[1], 3);
	/* under the cap nothing goes; a cap of 0 leaves only the kept one */
	cr_assert_eq(snapshot_prune_pick(e, 4, 400LL << 20, "a", v), 0);
	cr_assert_eq(snapshot_prune_pick(e, 4, 0, "d", v), 3);
	cr_assert_eq(snapshot_prune_pick(e, 0, 0, "d", v), 0);
}

/* ---- the CPU in the key (issue: a CI cache shared between hosts) ---- */

Test(snapshot, key_changes_with_the_cpu_kvm_passes_through, .init = snap_setup, .fini = snap_teardown)
{
	char *img = put("bzImage", "kernel"), *rd = put("initrd", "initramfs");
	struct snap_inputs a = {.image = img, .initrd = rd, .append = "console=ttyS0", .accel = "kvm",
				.cpu = "qemu: vendor=AuthenticAMD family=26 model=2 flags=avx2,sse4_2",
				.ram_mb = 256, .cpus = 1};
	struct snap_inputs b = a, none = a;
	b.cpu = "qemu: vendor=AuthenticAMD family=26 model=2 flags=avx2,avx512f,sse4_2";
	none.cpu = NULL;
	struct buf err = {0};
	char ka[65], kb[65], kn[65], ka2[65];
	cr_assert_eq(snapshot_key(&a, ka, &err), 0, "%s", err.data);
	cr_assert_eq(snapshot_key(&b, kb, &err), 0);
	cr_assert_eq(snapshot_key(&none, kn, &err), 0);
	cr_assert_eq(snapshot_key(&a, ka2, &err), 0);
	cr_assert_str_eq(ka, ka2, "the same CPU gives the same key");
	cr_assert_str_neq(ka, kb, "one more flag is another CPU");
	cr_assert_str_neq(ka, kn, "a CPU named or not");
	buf_free(&err);
	free(img);
	free(rd);
}

/* ---- stopping while the vCPU idles ---- */

static char *golden_text(const char *rel)
{
	const char *r = getenv("OOMLAB_ROOT");
	char *p = xasprintf("%s/tests/golden/%s", r && *r ? r : ".", rel), *text = NULL;
	cr_assert_eq(read_file(p, &text, NULL), 0, "%s", p);
	free(p);
	return text;
}

Test(snapshot, halted_only_when_every_vcpu_shows_hlt)
{
	char *run = golden_text("qemu/info-registers-running.txt");
	char *halt = golden_text("qemu/info-registers-halted.txt");
	cr_assert_eq(snapshot_all_halted(run), 0, "the repro snapshot was saved while its agent ran");
	cr_assert_eq(snapshot_all_halted(halt), 1);
	/* two vCPUs: both must be halted */
	char *two = xasprintf("%s%s", halt, run);
	cr_assert_eq(snapshot_all_halted(two), 0);
	free(two);
	two = xasprintf("%s%s", halt, halt);
	cr_assert_eq(snapshot_all_halted(two), 1);
	free(two);
	cr_assert_eq(snapshot_all_halted(""), 0, "no register dump is no proof");
	cr_assert_eq(snapshot_all_halted("Error: no CPU"), 0);
	free(run);
	free(halt);
}

/* ---- quarantine: a snapshot whose restores crash the guest ---- */

static const char key1[] = "1111111111111111111111111111111111111111111111111111111111111111";

static int exists(const char *name)
{
	char *p = xasprintf("%s/%s", snap_tmp, name);
	int r = path_exists(p);
	free(p);
	return r;
}

Test(snapshot, crashes_up_to_the_limit_quarantine_it, .init = snap_setup, .fini = snap_teardown)
{
	setenv("OOMLAB_SNAPSHOTS", snap_tmp, 1);
	unsetenv("OOMLAB_SNAPSHOT_CRASH_LIMIT");
	char *st = xasprintf("%s.state", key1);
	free(put(st, "state"));
	/* the first crash is counted, the snapshot stays */
	cr_assert_eq(snapshot_restore_crashed(key1, "the kernel panicked after the restore: x"), 0);
	cr_assert(exists(st));
	cr_assert_eq(snapshot_quarantines(snap_tmp, key1), 0);
	/* the second (SNAP_CRASH_LIMIT_DEFAULT) moves it aside: the next cell builds anew */
	cr_assert_eq(SNAP_CRASH_LIMIT_DEFAULT, 2);
	cr_assert_eq(snapshot_restore_crashed(key1, "the kernel panicked after the restore: y"), 1);
	cr_assert(!exists(st));
	char *q = xasprintf("%s.quarantined", key1), *c = xasprintf("%s.crashes", key1);
	cr_assert(exists(q), "the state that crashed is kept to replay it");
	cr_assert(!exists(c), "the next snapshot starts with no crash");
	cr_assert_eq(snapshot_quarantines(snap_tmp, key1), 1);
	char *qp = xasprintf("%s/%s.quarantines", snap_tmp, key1), *text = NULL;
	cr_assert_eq(read_file(qp, &text, NULL), 0);
	cr_assert_not_null(strstr(text, "2 restores crashed the guest, the last: the kernel panicked after the restore: y"),
			   "%s", text);
	/* a crash with no state left (another worker moved it) changes nothing */
	cr_assert_eq(snapshot_restore_crashed(key1, "z"), 0);
	cr_assert_eq(snapshot_restore_crashed(key1, "z"), 0);
	cr_assert_eq(snapshot_quarantines(snap_tmp, key1), 1);
	/* the limit comes from the environment */
	char *cp = xasprintf("%s/%s", snap_tmp, c);
	unlink(cp);
	free(put(st, "state"));
	setenv("OOMLAB_SNAPSHOT_CRASH_LIMIT", "1", 1);
	cr_assert_eq(snapshot_restore_crashed(key1, "w"), 1);
	cr_assert_eq(snapshot_quarantines(snap_tmp, key1), 2);
	unsetenv("OOMLAB_SNAPSHOT_CRASH_LIMIT");
	free(cp);
	free(text);
	free(qp);
	free(q);
	free(c);
	free(st);
	unsetenv("OOMLAB_SNAPSHOTS");
}

/* ---- the control port: probe frames and lines ---- */

Test(snapshot, probe_frame_is_a_command_padded_to_a_description_size)
{
	size_t len;
	char *f = warm_probe_frame(CTL_PROBE_ALIVE, &len);
	char hdr[64];
	size_t hl = strcspn(f, "\n");
	cr_assert_lt(hl, sizeof hdr);
	memcpy(hdr, f, hl);
	hdr[hl] = 0;
	unsigned long long n;
	unsigned crc;
	cr_assert_eq(sscanf(hdr, CTL_PROBE_MAGIC " %llu %8x", &n, &crc), 2, "%s", hdr);
	cr_assert_eq(n, CTL_PROBE_BYTES);
	cr_assert_eq(len, hl + 1 + n);
	const char *body = f + hl + 1;
	cr_assert_eq(crc, crc32_ieee(body, n));
	cr_assert(!strncmp(body, "alive\n", 6));
	cr_assert_null(memchr(body, 0, n));
	free(f);
}

Test(snapshot, wait_line_finds_its_line_among_noise)
{
	int sv[2];
	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	const char *in = "noise\x01\xff\nOOMLAB-READYX no\nOOMLAB-PRIME\nOOMLAB-READY quiet_ms=306 others_us=501\n";
	cr_assert_eq(write(sv[1], in, strlen(in)), (ssize_t)strlen(in));
	struct buf err = {0};
	char *line = NULL;
	cr_assert_eq(warm_wait_line(sv[0], now_s() + 5, CTL_READY, &line, &err), 0, "%s", err.data);
	cr_assert_str_eq(line, "OOMLAB-READY quiet_ms=306 others_us=501");
	char *q = warm_line_value(line, "quiet_ms"), *o = warm_line_value(line, "others_us");
	cr_assert_str_eq(q, "306");
	cr_assert_str_eq(o, "501");
	cr_assert_null(warm_line_value(line, "busy"));
	cr_assert_null(warm_line_value(line, "quiet"));
	free(q);
	free(o);
	free(line);
	line = NULL;
	/* a closed port is an error naming the line it waited for */
	close(sv[1]);
	cr_assert_eq(warm_wait_line(sv[0], now_s() + 5, CTL_ALIVE, &line, &err), -1);
	cr_assert_not_null(strstr(err.data, "OOMLAB-ALIVE"), "%s", err.data);
	cr_assert_null(line);
	close(sv[0]);
	buf_free(&err);
}
