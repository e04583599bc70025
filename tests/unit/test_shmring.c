// SPDX-License-Identifier: GPL-2.0-or-later
/* The host's reader of the stream's shared-memory ring (vm/shmring.c):
 * the bytes come out in order, in at most two pieces when they wrap, the
 * read index is published; an index the agent got wrong (torn, going
 * backwards, past a full ring) stops the reader and takes nothing. The
 * VM's words for the device (vm_argv). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argvword.h"
#include "lib/util.h"
#include "proto/shmring.h"
#include "vm/shmring.h"
#include "vm/vm.h"

#define CAP 64 /* a small ring: region = DATA_OFF + CAP */

struct sink {
	char got[4 * CAP];
	size_t len;
	int pieces;
};

static void seen(void *ctx, const char *data, size_t n)
{
	struct sink *k = ctx;
	cr_assert_leq(k->len + n, sizeof k->got);
	memcpy(k->got + k->len, data, n);
	k->len += n;
	k->pieces++;
}

static unsigned char *region(struct shmring *r)
{
	unsigned char *b = calloc(1, SHMRING_DATA_OFF + CAP);
	*r = (struct shmring){.base = b, .size = SHMRING_DATA_OFF + CAP};
	return b;
}

/* What the agent does: bytes at wpos % CAP, then the index. */
static void agent_write(unsigned char *b, uint64_t *wpos, const char *s)
{
	for (size_t i = 0; s[i]; i++)
		b[SHMRING_DATA_OFF + (*wpos + i) % CAP] = (unsigned char)s[i];
	*wpos += strlen(s);
	memcpy(b + SHMRING_WPOS_OFF, wpos, 8);
}

static uint64_t rpos_of(const unsigned char *b)
{
	uint64_t v;
	memcpy(&v, b + SHMRING_RPOS_OFF, 8);
	return v;
}

Test(shmring, bytes_in_order_across_the_wrap)
{
	struct shmring r;
	unsigned char *b = region(&r);
	struct sink k = {0};
	uint64_t w = 0;

	cr_assert_eq(shmring_take(&r, seen, &k), 0);
	cr_assert_eq(k.pieces, 0);
	agent_write(b, &w, "@OL1 hello 0 1 5 00000000\nhello\n"); /* 32 bytes */
	agent_write(b, &w, "0123456789abcdefghij");                /* 52 */
	cr_assert_eq(shmring_take(&r, seen, &k), 52);
	cr_assert_eq(k.pieces, 1);
	cr_assert_eq(rpos_of(b), 52);
	/* 40 more: 12 to the end of the ring, 28 from its start */
	agent_write(b, &w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ..........!!!!");
	cr_assert_eq(shmring_take(&r, seen, &k), 40);
	cr_assert_eq(k.pieces, 3, "the wrapped bytes come in two pieces");
	cr_assert_eq(k.len, 92);
	cr_assert_eq(memcmp(k.got, "@OL1 hello 0 1 5 00000000\nhello\n0123456789abcdefghij"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ..........!!!!", 92), 0);
	cr_assert_eq(rpos_of(b), 92);
	cr_assert_eq(r.rpos, 92);
	/* a full ring exactly: CAP bytes, taken whole */
	char full[CAP + 1];
	memset(full, 'x', CAP);
	full[CAP] = 0;
	agent_write(b, &w, full);
	cr_assert_eq(shmring_take(&r, seen, &k), CAP);
	cr_assert_eq(k.len, 92 + CAP);
	cr_assert_eq(r.broken, 0);
	free(b);
}

Test(shmring, a_wrong_index_stops_the_reader)
{
	struct shmring r;
	unsigned char *b = region(&r);
	struct sink k = {0};
	uint64_t w = 0;

	agent_write(b, &w, "abcdef");
	cr_assert_eq(shmring_take(&r, seen, &k), 6);
	/* torn: the write index's high half written, its low half not yet
	 * (or garbage): more than a full ring ahead of what was taken */
	uint64_t torn = ((uint64_t)1 << 32) | 6;
	memcpy(b + SHMRING_WPOS_OFF, &torn, 8);
	cr_assert_eq(shmring_take(&r, seen, &k), -1);
	cr_assert_eq(r.broken, 1);
	cr_assert_eq(k.len, 6, "nothing taken from a wrong index");
	cr_assert_eq(rpos_of(b), 6, "the read index stays where it was");
	/* and no more, whatever the index says next */
	w = 10;
	memcpy(b + SHMRING_WPOS_OFF, &w, 8);
	cr_assert_eq(shmring_take(&r, seen, &k), -1);
	cr_assert_eq(k.len, 6);
	free(b);

	/* backwards */
	b = region(&r);
	w = 0;
	agent_write(b, &w, "abcdef");
	cr_assert_eq(shmring_take(&r, NULL, NULL), 6);
	w = 5;
	memcpy(b + SHMRING_WPOS_OFF, &w, 8);
	cr_assert_eq(shmring_take(&r, NULL, NULL), -1);
	free(b);

	/* one byte past a full ring */
	b = region(&r);
	w = CAP + 1;
	memcpy(b + SHMRING_WPOS_OFF, &w, 8);
	cr_assert_eq(shmring_take(&r, NULL, NULL), -1);
	free(b);

	/* no region: nothing, no error */
	r = (struct shmring){0};
	cr_assert_eq(shmring_take(&r, NULL, NULL), 0);
}

Test(shmring, a_region_the_host_maps)
{
	int fd = shmring_create();
	struct shmring r;
	cr_assert_geq(fd, 0);
	cr_assert_eq(shmring_map(&r, fd), 0);
	cr_assert_eq(r.size, SHMRING_SIZE);
	uint64_t w = 3;
	memcpy(r.base + SHMRING_DATA_OFF, "abc", 3);
	memcpy(r.base + SHMRING_WPOS_OFF, &w, 8);
	cr_assert_eq(shmring_take(&r, NULL, NULL), 3);
	shmring_unmap(&r);
	cr_assert_null(r.base);
	close(fd);
}

Test(shmring, the_vm_gets_the_device)
{
	struct vm_spec s = {
		.accel = "tcg", .image = "/k", .initrd = "/i", .append = "x", .ram_mb = 256, .cpus = 1,
		.console_path = "/c", .stream_path = "/s", .shm_path = "/dev/fd/9",
	};
	char **argv = vm_argv(&s);
	int o = argv_word_at(argv, "-object"), d = argv_word_at(argv, "-device");
	cr_assert_geq(o, 0);
	cr_assert_str_eq(argv[o + 1], "memory-backend-file,id=shm0,size=1048576,mem-path=/dev/fd/9,share=on");
	cr_assert_geq(d, 0);
	cr_assert_str_eq(argv[d + 1], "ivshmem-plain,memdev=shm0,master=on");
	vm_argv_free(argv);
	s.shm_path = NULL;
	argv = vm_argv(&s);
	cr_assert_eq(argv_word_at(argv, "-object"), -1);
	cr_assert_eq(argv_word_at(argv, "-device"), -1);
	vm_argv_free(argv);
}
