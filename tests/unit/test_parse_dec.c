// SPDX-License-Identifier: GPL-2.0-or-later
/* The decimal reader of the parsers (harness/parse/dec.h): its bounds, and
 * that a failed read moves nothing. */
#include <criterion/criterion.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "parse/dec.h"

/* dec_ull on a copy of exactly s (no NUL after it): rc, value, digits read */
static int ull(const char *s, unsigned long long max, unsigned digits, unsigned long long *v, size_t *used)
{
	size_t n = strlen(s);
	char *d = dup_exact(s, n);
	const char *p = d;
	*v = 12345;
	int rc = dec_ull(&p, d + n, max, digits, v);
	*used = (size_t)(p - d);
	free(d);
	return rc;
}

static int sll(const char *s, long long min, long long max, int plus, long long *v, size_t *used)
{
	size_t n = strlen(s);
	char *d = dup_exact(s, n);
	const char *p = d;
	*v = 12345;
	int rc = dec_ll(&p, d + n, min, max, plus, v);
	*used = (size_t)(p - d);
	free(d);
	return rc;
}

Test(dec, unsigned_bounds)
{
	static const struct {
		const char *in;
		unsigned long long max;
		unsigned digits;
		int rc;
		unsigned long long v;
		size_t used;
	} t[] = {
		{"0", ULLONG_MAX, DEC_DIGITS_ANY, 0, 0, 1},
		{"007 kB", ULLONG_MAX, DEC_DIGITS_ANY, 0, 7, 3},
		{"18446744073709551615", ULLONG_MAX, DEC_DIGITS_ANY, 0, ULLONG_MAX, 20},
		{"18446744073709551616", ULLONG_MAX, DEC_DIGITS_ANY, -1, 12345, 0},
		{"99999999999999999999", ULLONG_MAX, DEC_DIGITS_ANY, -1, 12345, 0},
		{"9223372036854775807", LLONG_MAX, DEC_DIGITS_ANY, 0, LLONG_MAX, 19},
		{"9223372036854775808", LLONG_MAX, DEC_DIGITS_ANY, -1, 12345, 0},
		{"2147483647,", INT_MAX, DEC_DIGITS_ANY, 0, INT_MAX, 10},
		{"2147483648,", INT_MAX, DEC_DIGITS_ANY, -1, 12345, 0},
		{"100", 100, DEC_DIGITS_ANY, 0, 100, 3},
		{"101", 100, DEC_DIGITS_ANY, -1, 12345, 0},
		{"0000000000000000000000000001", 1, DEC_DIGITS_ANY, 0, 1, 28},
		/* a digit limit counts leading zeros */
		{"999999999999999999", ULLONG_MAX, 18, 0, 999999999999999999ULL, 18},
		{"0000000000000000001", ULLONG_MAX, 18, -1, 12345, 0},
		{"123456789012.5", ULLONG_MAX, 12, 0, 123456789012ULL, 12},
		{"1234567890123.5", ULLONG_MAX, 12, -1, 12345, 0},
		/* no digit */
		{"", ULLONG_MAX, DEC_DIGITS_ANY, -1, 12345, 0},
		{"-1", ULLONG_MAX, DEC_DIGITS_ANY, -1, 12345, 0},
		{"+1", ULLONG_MAX, DEC_DIGITS_ANY, -1, 12345, 0},
		{" 1", ULLONG_MAX, DEC_DIGITS_ANY, -1, 12345, 0},
		{"x1", ULLONG_MAX, DEC_DIGITS_ANY, -1, 12345, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		unsigned long long v;
		size_t used;
		int rc = ull(t[i].in, t[i].max, t[i].digits, &v, &used);
		cr_expect_eq(rc, t[i].rc, "\"%s\": rc %d", t[i].in, rc);
		cr_expect_eq(v, t[i].v, "\"%s\": %llu", t[i].in, v);
		cr_expect_eq(used, t[i].used, "\"%s\": %zu bytes read", t[i].in, used);
	}
}

Test(dec, stops_at_the_end_given)
{
	static const char s[] = "12345";
	const char *p = s;
	unsigned long long v;
	cr_assert_eq(dec_ull(&p, s + 2, ULLONG_MAX, DEC_DIGITS_ANY, &v), 0);
	cr_assert_eq(v, 12);
	cr_assert_eq(p, s + 2);
	p = s;
	cr_assert_eq(dec_ull(&p, s, ULLONG_MAX, DEC_DIGITS_ANY, &v), -1);
	cr_assert_eq(p, s);
}

Test(dec, signed_bounds)
{
	static const struct {
		const char *in;
		long long min, max;
		int plus;
		int rc;
		long long v;
		size_t used;
	} t[] = {
		{"-5", LLONG_MIN, LLONG_MAX, 0, 0, -5, 2},
		{"+5", LLONG_MIN, LLONG_MAX, 0, -1, 12345, 0},
		{"+5", LLONG_MIN, LLONG_MAX, 1, 0, 5, 2},
		{"-0", LLONG_MIN, LLONG_MAX, 0, 0, 0, 2},
		{"-", LLONG_MIN, LLONG_MAX, 1, -1, 12345, 0},
		{"+", LLONG_MIN, LLONG_MAX, 1, -1, 12345, 0},
		{"--1", LLONG_MIN, LLONG_MAX, 1, -1, 12345, 0},
		{"-9223372036854775808", LLONG_MIN, LLONG_MAX, 0, 0, LLONG_MIN, 20},
		{"-9223372036854775809", LLONG_MIN, LLONG_MAX, 0, -1, 12345, 0},
		{"9223372036854775807", LLONG_MIN, LLONG_MAX, 0, 0, LLONG_MAX, 19},
		{"9223372036854775808", LLONG_MIN, LLONG_MAX, 0, -1, 12345, 0},
		/* the kernel log's bounds: no LLONG_MIN */
		{"-9223372036854775808", -LLONG_MAX, LLONG_MAX, 0, -1, 12345, 0},
		{"-9223372036854775807", -LLONG_MAX, LLONG_MAX, 0, 0, -LLONG_MAX, 20},
		/* an int */
		{"-2147483648)", INT_MIN, INT_MAX, 0, 0, INT_MIN, 11},
		{"-2147483649)", INT_MIN, INT_MAX, 0, -1, 12345, 0},
		{"2147483648", INT_MIN, INT_MAX, 0, -1, 12345, 0},
		{"062 (touch)", INT_MIN, INT_MAX, 0, 0, 62, 3},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		long long v;
		size_t used;
		int rc = sll(t[i].in, t[i].min, t[i].max, t[i].plus, &v, &used);
		cr_expect_eq(rc, t[i].rc, "\"%s\": rc %d", t[i].in, rc);
		cr_expect_eq(v, t[i].v, "\"%s\": %lld", t[i].in, v);
		cr_expect_eq(used, t[i].used, "\"%s\": %zu bytes read", t[i].in, used);
	}
}
