// SPDX-License-Identifier: GPL-2.0-or-later
/* Allocation schedules: parser, checker, formatter and generators (the
 * format is described in schedule.h). Pure: libc only, no globals but the
 * constant table of pattern names.
 *
 * Patterns (R = request_size bytes, i = round 0..count-1):
 *
 *   hole      the article's fragmented1.c. Round i, z = R + 16*i:
 *               m a z; m b z; m c z; f b; m b z+16
 *             (slots a, b, c = 3i, 3i+1, 3i+2). b's block is freed between
 *             two live blocks and the "bigger b" does not fit in its hole;
 *             as every later request is larger than every earlier hole
 *             (the 16-byte growth: glibc chunks are 16-byte aligned), no
 *             hole is ever reused: about a quarter of the heap is holes.
 *   lifo      fragmented2.c: the same requests (the same multiset of malloc
 *             sizes, round by round), in last-in-first-out order:
 *               m a z; m c z; m b z; f b; m b z+16
 *             b is the newest block when it is freed, so it goes back to
 *             the top of the heap and the bigger b takes its place.
 *   random    round i: m i s (s uniform in R/2..2R); then with probability
 *             1/2 free a random live slot, and with probability 1/8 realloc
 *             a random live slot to a new size s. splitmix64 seeded with
 *             seed: the same seed gives the same schedule.
 *   sawtooth  round (tooth) i: m 0..14 R (the burst), m 15+i R (a pin
 *             above it), f 0..14: the heap grows by 16 blocks and drops
 *             back by 15 in one burst; the next tooth refills the hole. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"

const char *const sched_pattern_names[] = {"hole", "lifo", "random", "sawtooth", NULL};

static void seterr(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errsz)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* ---- slot states: one bit per slot ---- */

static unsigned char *bits_new(void)
{
	return calloc(SCHED_MAX_SLOT / 8 + 1, 1);
}

static int bit_get(const unsigned char *b, uint32_t i)
{
	return b[i / 8] >> (i % 8) & 1;
}

static void bit_set(unsigned char *b, uint32_t i, int v)
{
	if (v)
		b[i / 8] |= (unsigned char)(1u << (i % 8));
	else
		b[i / 8] &= (unsigned char)~(1u << (i % 8));
}

/* The state rules shared by the parser and the checker: NULL or a message
 * (without the line prefix) in msg. */
static int apply(unsigned char *live, const struct sched_op *op, char *msg, size_t msgsz)
{
	int held = bit_get(live, op->slot);

	if (op->kind == SCHED_MALLOC && held) {
		seterr(msg, msgsz, "m: slot %u is in use (free it first)", (unsigned)op->slot);
		return -1;
	}
	if (op->kind != SCHED_MALLOC && !held) {
		seterr(msg, msgsz, "%c: slot %u is empty", op->kind, (unsigned)op->slot);
		return -1;
	}
	bit_set(live, op->slot, op->kind != SCHED_FREE);
	return 0;
}

/* ---- parser ---- */

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Copy a token for a message: at most 24 bytes, unprintable bytes as '?'. */
static void show(char *dst, size_t dstsz, const char *p, size_t n)
{
	size_t k = 0;

	for (; k < n && k < 24 && k + 1 < dstsz; k++)
		dst[k] = p[k] >= 0x21 && p[k] <= 0x7e ? p[k] : '?';
	if (n > 24 && k + 4 < dstsz) {
		memcpy(dst + k, "...", 3);
		k += 3;
	}
	dst[k] = 0;
}

/* A field: the token at *p (blanks skipped). 0 when the line ends (or a
 * comment starts) first. */
static size_t token(const char **p, const char *end)
{
	const char *q;

	while (*p < end && blank(**p))
		(*p)++;
	if (*p == end || **p == '#')
		return 0;
	for (q = *p; q < end && !blank(*q); q++)
		;
	return (size_t)(q - *p);
}

/* Decimal digits into *v; -1 not digits, -2 more than max. */
static int number(const char *p, size_t n, uint32_t max, uint32_t *v)
{
	uint64_t x = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		if (x <= max)
			x = x * 10 + (uint64_t)(p[i] - '0');
	}
	if (x > max)
		return -2;
	*v = (uint32_t)x;
	return 0;
}

static int field(const char **p, const char *end, char kind, const char *what, uint32_t min, uint32_t max,
		 uint32_t *v, char *msg, size_t msgsz)
{
	char t[32];
	size_t n = token(p, end);

	if (!n) {
		seterr(msg, msgsz, "%c: missing %s", kind, what);
		return -1;
	}
	int r = number(*p, n, max, v);
	show(t, sizeof t, *p, n);
	*p += n;
	if (r == -1) {
		seterr(msg, msgsz, "%c: bad %s '%s' (allowed %u..%u)", kind, what, t, (unsigned)min,
		       (unsigned)max);
		return -1;
	}
	if (r == -2 || *v < min) {
		seterr(msg, msgsz, "%c: %s %s is out of range (allowed %u..%u)", kind, what, t, (unsigned)min,
		       (unsigned)max);
		return -1;
	}
	return 0;
}

/* One line (without its newline) into *op. 1 an operation, 0 nothing
 * (blank or comment), -1 an error in msg. */
static int parse_line(const char *p, size_t n, struct sched_op *op, char *msg, size_t msgsz)
{
	const char *end = p + n;
	char t[32];
	size_t k;

	if (n > SCHED_MAX_LINE) {
		seterr(msg, msgsz, "longer than %d bytes", SCHED_MAX_LINE);
		return -1;
	}
	if (memchr(p, 0, n)) {
		seterr(msg, msgsz, "NUL byte");
		return -1;
	}
	if (n && end[-1] == '\r')
		end--;
	k = token(&p, end);
	if (!k)
		return 0;
	if (k != 1 || (*p != 'm' && *p != 'f' && *p != 'r')) {
		show(t, sizeof t, p, k);
		seterr(msg, msgsz, "unknown operation '%s' (allowed: m, f, r)", t);
		return -1;
	}
	memset(op, 0, sizeof *op);
	op->kind = (uint8_t)*p++;
	if (field(&p, end, (char)op->kind, "slot", 0, SCHED_MAX_SLOT, &op->slot, msg, msgsz))
		return -1;
	if (op->kind != SCHED_FREE &&
	    field(&p, end, (char)op->kind, "size", 1, SCHED_MAX_SIZE, &op->size, msg, msgsz))
		return -1;
	k = token(&p, end);
	if (k) {
		show(t, sizeof t, p, (size_t)(end - p));
		seterr(msg, msgsz, "%c: trailing garbage '%s'", op->kind, t);
		return -1;
	}
	return 1;
}

int sched_parse(const char *buf, size_t len, struct sched *out, char *err, size_t errsz)
{
	struct sched s = {0};
	unsigned char *live = NULL;
	char msg[160];
	size_t lines = 0, cap = 0, lineno = 0;

	memset(out, 0, sizeof *out);
	if (!buf && len)
		len = 0;
	/* pass 1: lines, and an upper bound of the operations */
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - buf) : len;
		size_t j = i;

		if (++lines > SCHED_MAX_LINES) {
			seterr(err, errsz, "line %zu: more than %u lines", lines, SCHED_MAX_LINES);
			return -1;
		}
		while (j < e && blank(buf[j]))
			j++;
		if (j < e && buf[j] != '#' && buf[j] != '\r')
			cap++;
		i = e + 1;
	}
	if (cap) {
		s.ops = malloc(cap * sizeof *s.ops);
		live = bits_new();
		if (!s.ops || !live) {
			free(s.ops);
			free(live);
			seterr(err, errsz, "out of memory for %zu operations", cap);
			return -1;
		}
	}
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - buf) : len;
		struct sched_op op;
		int r;

		lineno++;
		r = parse_line(buf + i, e - i, &op, msg, sizeof msg);
		if (r > 0 && s.n >= cap) { /* cannot happen: pass 1 counted */
			seterr(msg, sizeof msg, "internal: more operations than counted");
			r = -1;
		}
		if (r > 0 && apply(live, &op, msg, sizeof msg))
			r = -1;
		if (r < 0) {
			seterr(err, errsz, "line %zu: %s", lineno, msg);
			free(live);
			free(s.ops);
			return -1;
		}
		if (r > 0) {
			s.ops[s.n++] = op;
			if (op.slot + 1 > s.n_slots)
				s.n_slots = op.slot + 1;
		}
		i = e + 1;
	}
	free(live);
	*out = s;
	return 0;
}

int sched_check(const struct sched *s, char *err, size_t errsz)
{
	unsigned char *live;
	char msg[160];

	if (s->n > SCHED_MAX_LINES) {
		seterr(err, errsz, "%zu operations (allowed at most %u)", s->n, SCHED_MAX_LINES);
		return -1;
	}
	if (!s->n)
		return 0;
	live = bits_new();
	if (!live) {
		seterr(err, errsz, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct sched_op *op = &s->ops[i];
		int bad = 0;

		if (op->kind != SCHED_MALLOC && op->kind != SCHED_FREE && op->kind != SCHED_REALLOC) {
			seterr(msg, sizeof msg, "unknown operation %u", (unsigned)op->kind);
			bad = 1;
		} else if (op->slot > SCHED_MAX_SLOT || op->slot >= s->n_slots) {
			seterr(msg, sizeof msg, "%c: slot %u is out of range (allowed 0..%u, n_slots %u)",
			       op->kind, (unsigned)op->slot, SCHED_MAX_SLOT, (unsigned)s->n_slots);
			bad = 1;
		} else if (op->kind == SCHED_FREE ? op->size != 0
						  : op->size < 1 || op->size > SCHED_MAX_SIZE) {
			seterr(msg, sizeof msg, "%c: size %u is out of range", op->kind, (unsigned)op->size);
			bad = 1;
		} else if (apply(live, op, msg, sizeof msg)) {
			bad = 1;
		}
		if (bad) {
			seterr(err, errsz, "op %zu: %s", i + 1, msg);
			free(live);
			return -1;
		}
	}
	free(live);
	return 0;
}

/* ---- formatter ---- */

size_t sched_format(const struct sched *s, char *buf, size_t bufsz)
{
	size_t len = 0;

	if (bufsz)
		buf[0] = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct sched_op *op = &s->ops[i];
		char line[48];
		int n = op->kind == SCHED_FREE
				? snprintf(line, sizeof line, "f %u\n", (unsigned)op->slot)
				: snprintf(line, sizeof line, "%c %u %u\n", op->kind, (unsigned)op->slot,
					   (unsigned)op->size);

		if (n < 0)
			continue;
		if (bufsz && len + (size_t)n < bufsz) {
			memcpy(buf + len, line, (size_t)n + 1);
		} else if (bufsz && len < bufsz) {
			memcpy(buf + len, line, bufsz - 1 - len);
			buf[bufsz - 1] = 0;
		}
		len += (size_t)n;
	}
	return len;
}

int sched_equal(const struct sched *a, const struct sched *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->ops[i].kind != b->ops[i].kind || a->ops[i].slot != b->ops[i].slot ||
		    a->ops[i].size != b->ops[i].size)
			return 0;
	return 1;
}

void sched_free(struct sched *s)
{
	if (!s)
		return;
	free(s->ops);
	memset(s, 0, sizeof *s);
}

/* ---- generators ---- */

/* splitmix64 (Steele, Lea, Flood 2014): the state is the caller's. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in 0..n-1 (1 <= n <= 2^32): the top 32 bits scaled (Lemire's
 * multiply-shift without the rejection step; the bias is below 2^-32 * n). */
static uint64_t below(uint64_t *x, uint64_t n)
{
	return ((splitmix64(x) >> 32) * n) >> 32;
}

static void push(struct sched *s, int kind, uint32_t slot, uint32_t size)
{
	struct sched_op *op = &s->ops[s->n++];

	op->kind = (uint8_t)kind;
	op->slot = slot;
	op->size = kind == SCHED_FREE ? 0 : size;
	if (slot + 1 > s->n_slots)
		s->n_slots = slot + 1;
}

#define SAW_BURST 15u

int sched_generate(enum sched_pattern pattern, uint64_t request_size, uint64_t count, uint64_t seed,
		   struct sched *out)
{
	struct sched s = {0};
	uint64_t per_round, slots, max_size;
	uint64_t R = request_size;

	memset(out, 0, sizeof *out);
	if (R < 1 || R > SCHED_MAX_SIZE || (unsigned)pattern >= SCHED_N_PATTERNS) {
		errno = EINVAL;
		return -1;
	}
	switch (pattern) {
	case SCHED_HOLE:
	case SCHED_LIFO:
		per_round = 5, slots = 3 * count, max_size = R + 16 * count;
		break;
	case SCHED_RANDOM:
		per_round = 3, slots = count, max_size = 2 * R;
		break;
	default: /* SCHED_SAWTOOTH */
		per_round = 2 * SAW_BURST + 1, slots = SAW_BURST + count, max_size = R;
		break;
	}
	if (count > SCHED_MAX_LINES || count * per_round > SCHED_MAX_LINES || slots > SCHED_MAX_SLOT + 1ull ||
	    max_size > SCHED_MAX_SIZE) {
		errno = E2BIG;
		return -1;
	}
	if (!count) {
		*out = s;
		return 0;
	}
	s.ops = malloc(count * per_round * sizeof *s.ops);
	if (!s.ops) {
		errno = ENOMEM;
		return -1;
	}
	if (pattern == SCHED_HOLE || pattern == SCHED_LIFO) {
		for (uint32_t i = 0; i < count; i++) {
			uint32_t z = (uint32_t)(R + 16ull * i), a = 3 * i, b = a + 1, c = a + 2;

			push(&s, SCHED_MALLOC, a, z);
			push(&s, SCHED_MALLOC, pattern == SCHED_HOLE ? b : c, z);
			push(&s, SCHED_MALLOC, pattern == SCHED_HOLE ? c : b, z);
			push(&s, SCHED_FREE, b, 0);
			push(&s, SCHED_MALLOC, b, z + 16);
		}
	} else if (pattern == SCHED_RANDOM) {
		uint32_t *live = malloc(count * sizeof *live);
		uint64_t x = seed, lo = R / 2 ? R / 2 : 1, span = 2 * R - lo + 1;
		size_t n_live = 0;

		if (!live) {
			free(s.ops);
			errno = ENOMEM;
			return -1;
		}
		for (uint32_t i = 0; i < count; i++) {
			uint64_t coin;

			push(&s, SCHED_MALLOC, i, (uint32_t)(lo + below(&x, span)));
			live[n_live++] = i;
			coin = splitmix64(&x);
			if (coin & 1) {
				size_t k = (size_t)below(&x, n_live);

				push(&s, SCHED_FREE, live[k], 0);
				live[k] = live[--n_live];
			}
			if ((coin >> 1 & 7) == 0 && n_live)
				push(&s, SCHED_REALLOC, live[below(&x, n_live)],
				     (uint32_t)(lo + below(&x, span)));
		}
		free(live);
	} else {
		for (uint32_t i = 0; i < count; i++) {
			for (uint32_t k = 0; k < SAW_BURST; k++)
				push(&s, SCHED_MALLOC, k, (uint32_t)R);
			push(&s, SCHED_MALLOC, SAW_BURST + i, (uint32_t)R);
			for (uint32_t k = 0; k < SAW_BURST; k++)
				push(&s, SCHED_FREE, k, 0);
		}
	}
	*out = s;
	return 0;
}
