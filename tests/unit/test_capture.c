// SPDX-License-Identifier: GPL-2.0-or-later
/* The capture of a serial port (harness/vm/capture.c): the first head_max
 * and the last tail_max bytes are kept, byte for byte, with one line
 * between them that counts what was dropped; a port that printed at most
 * head_max + tail_max bytes is kept whole. Exact bytes, whatever the
 * chunks the pipe gives. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "vm/capture.h"

static char cdir[128];

static void setup(void)
{
	snprintf(cdir, sizeof cdir, "/tmp/oomlab-capture-XXXXXX");
	cr_assert_not_null(mkdtemp(cdir));
}

static void teardown(void)
{
	rm_rf(cdir);
}

TestSuite(capture, .init = setup, .fini = teardown);

static const char abc[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"; /* 46 bytes */

/* Write len bytes of text into a capture (head, tail) in pieces of piece
 * bytes, pumping after each; close; the file's text and c->dropped. */
static char *capture_text(const char *text, size_t len, long long head, long long tail, size_t piece,
			  long long *dropped)
{
	struct capture c;
	struct buf err = {0};
	char *path = xasprintf("%s/port", cdir);
	cr_assert_eq(capture_open(&c, path, head, tail, &err), 0, "%s", err.data);
	for (size_t at = 0; at < len; at += piece) {
		size_t n = len - at < piece ? len - at : piece;
		cr_assert_eq(write_full(c.wfd, text + at, n), 0);
		capture_pump(&c, NULL, NULL);
	}
	cr_assert_eq(capture_close(&c), 0);
	cr_expect_eq(c.total, (long long)len);
	*dropped = c.dropped;
	char *got = NULL;
	size_t gl = 0;
	cr_assert_eq(read_file(path, &got, &gl), 0);
	cr_expect_eq(strlen(got), gl, "no NUL in the file");
	free(path);
	return got;
}

Test(capture, head_and_tail_with_the_count_between)
{
	/* 46 bytes, head 10, tail 8: 28 dropped; the ring went round 4 times
	 * and starts at 36 % 8 = 4 */
	static const size_t pieces[] = {1, 3, 7, 8, 10, 46};
	for (size_t i = 0; i < ARRAY_SIZE(pieces); i++) {
		long long dropped;
		char *got = capture_text(abc, 46, 10, 8, pieces[i], &dropped);
		cr_expect_str_eq(got,
				 "0123456789"
				 "\n@oomlab capture: 28 bytes dropped here, the first 10 and the last 8 are kept\n"
				 "CDEFGHIJ",
				 "pieces of %zu", pieces[i]);
		cr_expect_eq(dropped, 28);
		free(got);
	}
}

Test(capture, whole_up_to_head_plus_tail)
{
	long long dropped;
	/* exactly head + tail: no line, nothing dropped (the ring is full) */
	char *got = capture_text(abc, 18, 10, 8, 5, &dropped);
	cr_expect_str_eq(got, "0123456789abcdefgh");
	cr_expect_eq(dropped, 0);
	free(got);
	/* one byte more drops the tail's first byte */
	got = capture_text(abc, 19, 10, 8, 5, &dropped);
	cr_expect_str_eq(got,
			 "0123456789"
			 "\n@oomlab capture: 1 bytes dropped here, the first 10 and the last 8 are kept\n"
			 "bcdefghi");
	cr_expect_eq(dropped, 1);
	free(got);
	/* within the head, and the ring part-filled */
	got = capture_text(abc, 7, 10, 8, 2, &dropped);
	cr_expect_str_eq(got, "0123456");
	free(got);
	got = capture_text(abc, 13, 10, 8, 13, &dropped);
	cr_expect_str_eq(got, "0123456789abc");
	cr_expect_eq(dropped, 0);
	free(got);
}

Test(capture, no_tail)
{
	long long dropped;
	char *got = capture_text(abc, 46, 4, 0, 6, &dropped);
	cr_expect_str_eq(got, "0123\n@oomlab capture: 42 bytes dropped here, the first 4 and the last 0 are kept\n");
	cr_expect_eq(dropped, 42);
	free(got);
}

/* The pipe is drained in bounded steps: a port that has more than
 * CAPTURE_PUMP_MAX waiting gives it over several pumps, and the seen
 * callback gets every byte once, in order. */
static void count_seen(void *ctx, const char *data, size_t n)
{
	struct buf *b = ctx;
	buf_append(b, data, n);
}

Test(capture, pumps_are_bounded_and_seen_gets_every_byte)
{
	struct capture c;
	struct buf err = {0}, seen = {0};
	char *path = xasprintf("%s/port", cdir);
	cr_assert_eq(capture_open(&c, path, 100, 100, &err), 0, "%s", err.data);
	/* the pipe holds 1 MiB where the host lets it, 64 KiB at least */
	char *big = xmalloc(60000);
	for (size_t i = 0; i < 60000; i++)
		big[i] = (char)('a' + i % 26);
	cr_assert_eq(write_full(c.wfd, big, 60000), 0);
	capture_started(&c);
	cr_expect_eq(capture_pump(&c, count_seen, &seen), 60000);
	cr_expect_eq(capture_pump(&c, count_seen, &seen), 0, "ended");
	cr_assert_eq(seen.len, 60000);
	cr_expect_eq(memcmp(seen.data, big, 60000), 0);
	cr_assert_eq(capture_close(&c), 0);
	cr_expect_eq(c.dropped, 60000 - 200);
	cr_expect_leq(CAPTURE_PUMP_MAX, 4 << 20, "a pump returns within a few MiB");
	free(big);
	free(path);
	buf_free(&seen);
}

Test(capture, the_caps_of_a_cell)
{
	cr_expect_eq(CAPTURE_CONSOLE_HEAD, 4 << 20);
	cr_expect_eq(CAPTURE_CONSOLE_TAIL, 4 << 20);
	cr_expect_eq(CAPTURE_STREAM_HEAD, 16 << 20);
	cr_expect_eq(CAPTURE_STREAM_TAIL, 16 << 20);
}

Test(capture, a_file_that_cannot_be_made)
{
	struct capture c;
	struct buf err = {0};
	char *path = xasprintf("%s/no/such/dir/port", cdir);
	cr_expect_eq(capture_open(&c, path, 10, 10, &err), -1);
	cr_expect_not_null(strstr(err.data, "cannot create "), "%s", err.data);
	cr_expect_eq(c.rfd, -1);
	cr_expect_eq(c.wfd, -1);
	cr_expect_eq(capture_close(&c), 0, "nothing open, nothing to undo");
	buf_free(&err);
	free(path);
}
