// SPDX-License-Identifier: GPL-2.0-or-later
/* The host's watch on a running cell's stream (vm/streamwatch.h): when
 * the hello, the first spawn, the last exit and a whole bye record came,
 * whatever pieces the pipe cuts the stream into. The bye is what the host
 * stops the VM at (the end-of-cell handshake), so it must never be seen
 * before its last byte, nor in a damaged record. Fed a real recorded
 * stream (the 6.12 cell of tests/golden/cells/612-two-adj); the fake qemu
 * at the end checks that vm_run stops a VM at the bye. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golden.h"
#include "lib/util.h"
#include "proto/crc32.h"
#include "vm/streamwatch.h"
#include "vm/vm.h"

static char *stream;
static size_t stream_len;

static void load(void)
{
	char *p = golden_path("cells/612-two-adj.stream");
	cr_assert_eq(read_file(p, &stream, &stream_len), 0);
	free(p);
}

static void unload(void)
{
	free(stream);
}

TestSuite(streamwatch, .init = load, .fini = unload);

/* Feed len bytes of s in pieces of `piece` bytes, each "seen" at a time
 * equal to the offset of its last byte + 1 (so a mark's time says which
 * byte completed it). */
static void feed(struct stream_watch *w, const char *s, size_t len, size_t piece)
{
	streamwatch_init(w, 0);
	for (size_t at = 0; at < len; at += piece) {
		size_t n = len - at < piece ? len - at : piece;
		streamwatch_feed(w, s + at, n, (double)(at + n));
	}
}

Test(streamwatch, the_bye_is_seen_at_its_last_byte_in_any_pieces)
{
	/* the last record of the stream is the bye */
	const char *bye = memmem(stream, stream_len, "\n@OL1 bye ", 10);
	cr_assert_not_null(bye);
	cr_assert_null(memmem(bye + 1, stream_len - (size_t)(bye + 1 - stream), "\n@OL1 ", 6));
	/* the hello's header line ends at the first newline */
	size_t hello_end = (size_t)((const char *)memchr(stream, '\n', stream_len) - stream) + 1;
	const size_t pieces[] = {1, 2, 3, 7, 17, 64, 4096, 65536, 1 << 20};
	for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
		struct stream_watch w;
		feed(&w, stream, stream_len, pieces[i]);
		cr_expect_eq(w.bye, (double)stream_len, "pieces of %zu: bye at %g", pieces[i], w.bye);
		size_t hello = (hello_end + pieces[i] - 1) / pieces[i] * pieces[i];
		cr_expect_eq(w.hello, (double)(hello < stream_len ? hello : stream_len), "pieces of %zu: hello at %g",
			     pieces[i], w.hello);
		cr_expect_geq(w.first_spawn, 0, "pieces of %zu", pieces[i]);
		cr_expect_geq(w.last_exit, w.first_spawn, "pieces of %zu", pieces[i]);
		/* one byte short of the end: no bye yet */
		feed(&w, stream, stream_len - 1, pieces[i]);
		cr_expect_lt(w.bye, 0, "pieces of %zu: bye seen one byte early", pieces[i]);
	}
}

/* A framed record, as the agent writes it (stream.h). */
static char *rec(const char *kind, const char *payload)
{
	return xasprintf("@OL1 %s 1 2 %zu %08x\n%s\n", kind, strlen(payload),
			 (unsigned)crc32_ieee(payload, strlen(payload)), payload);
}

Test(streamwatch, only_a_whole_framed_bye_with_its_checksum_is_a_bye)
{
	char *hello = rec("hello", "agent=x\n"), *bye = rec("bye", "reason=done\n");
	/* a workload that prints a bye record: the payload of an out record */
	char *fake = xasprintf("id=0\npid=7\n\n%s", bye);
	char *out = rec("out", fake);
	static const char *const damaged[] = {
		"@OL1 bye 9 9 x ba6b44f2\nreason=done\n\n",
		"@OL1 bye 9 9 99999 ba6b44f2\nreason=done\n\n",
		"@OL1 bye 9 9 12 ba6b44f3\nreason=done\n\n", /* the checksum */
		"@OL1 bye 9 9 12 ba6b44f2 extra\nreason=done\n\n",
		"@OL1 bye 9 9 12 ba6b44f2\nreason=done\nX", /* no record newline */
	};
	struct stream_watch w;
	for (size_t i = 0; i < sizeof damaged / sizeof damaged[0]; i++) {
		char *s = xasprintf("%s%s", hello, damaged[i]);
		feed(&w, s, strlen(s), 5);
		cr_expect_lt(w.bye, 0, "%s", damaged[i]);
		free(s);
	}
	char *s = xasprintf("%s%s", hello, out);
	for (size_t piece = 1; piece < 40; piece += 3) {
		feed(&w, s, strlen(s), piece);
		cr_expect_lt(w.bye, 0, "a bye inside an out record's payload passed for one (pieces of %zu)", piece);
	}
	free(s);
	s = xasprintf("%s%s%s", hello, out, bye);
	feed(&w, s, strlen(s), 5);
	cr_expect_eq(w.bye, (double)strlen(s));
	free(s);
	/* after garbage the watch finds the next record */
	s = xasprintf("%sgarbage without a newline%s", hello, bye);
	char *t = xasprintf("%s\n%s", hello, bye);
	feed(&w, t, strlen(t), 4);
	cr_expect_eq(w.bye, (double)strlen(t), "after a blank line");
	free(t);
	free(s);
	free(hello);
	free(bye);
	free(fake);
	free(out);
}

/* A qemu that writes a stream ending in a bye, then does not power off. */
static const char fake_qemu[] =
	"#!/bin/sh\n"
	"for a; do\n"
	"  case $a in\n"
	"    file,id=agent,path=*) str=${a#file,id=agent,path=} ;;\n"
	"  esac\n"
	"done\n"
	"printf '@OL1 hello 0 1 2 00000000\\nab\\n' >\"$str\"\n"
	"sleep 0.2\n"
	"printf '@OL1 bye 1 2 12 ba6b44f2\\nreason=' >\"$str\"\n"
	"sleep 0.2\n"
	"printf 'done\\n\\n' >\"$str\"\n"
	"exec sleep 60\n";

Test(streamwatch, vm_run_stops_the_vm_at_the_bye, .timeout = 30)
{
	char dir[] = "/tmp/oomlab-swatch-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char *qemu = xasprintf("%s/qemu", dir), *con = xasprintf("%s/c.console.log", dir);
	char *str = xasprintf("%s/c.stream", dir);
	cr_assert_eq(write_file_atomic(qemu, fake_qemu, strlen(fake_qemu)), 0);
	cr_assert_eq(chmod(qemu, 0755), 0);
	struct vm_spec s = {
		.qemu = qemu, .accel = "tcg", .image = "/k", .initrd = "/i", .append = "x", .ram_mb = 64,
		.cpus = 1, .console_path = con, .stream_path = str, .stop_at_bye = 1,
	};
	struct vm_result r;
	struct buf err = {0};
	cr_assert_eq(vm_run(&s, 20, &r, &err), 0, "%s", err.data);
	cr_expect_eq(r.stopped_at_bye, 1);
	cr_expect_eq(r.timed_out, 0);
	cr_expect_lt(r.wall_s, 5.0, "the VM ran %.1f s", r.wall_s);
	cr_expect_geq(r.wall_s, 0.4);
	char *text = NULL;
	size_t len = 0;
	cr_assert_eq(read_file(str, &text, &len), 0);
	cr_expect_str_eq(text, "@OL1 hello 0 1 2 00000000\nab\n@OL1 bye 1 2 12 ba6b44f2\nreason=done\n\n");
	free(text);
	rm_rf(dir);
	free(qemu);
	free(con);
	free(str);
}
