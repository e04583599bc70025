// SPDX-License-Identifier: GPL-2.0-or-later
/* reports/stats.c against values computed independently of GSL: published
 * worked examples (R's documentation, with the precision R printed as the
 * tolerance) and, where noted, exact enumeration with Python's fractions. */
#include <criterion/criterion.h>
#include <math.h>

#include "reports/stats.h"

#define ARRAY_N(a) (sizeof(a) / sizeof((a)[0]))

/* R's `sleep` data (Cushny and Peebles), the example of ?t.test:
 * t.test(extra ~ group, data = sleep) prints
 *   t = -1.8608, df = 17.776, p-value = 0.07939
 *   95 percent confidence interval: -3.3654832  0.2054832
 *   mean in group 1 0.75, mean in group 2 2.33
 * R subtracts group 2 from group 1; stats_welch takes b - a (new - base),
 * so t and the interval change sign. */
static const double sleep1[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
static const double sleep2[] = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

Test(stats, welch_sleep)
{
	struct welch w;
	cr_assert_eq(stats_welch(sleep1, 10, sleep2, 10, &w), 0);
	cr_assert_float_eq(w.mean_a, 0.75, 1e-12);
	cr_assert_float_eq(w.mean_b, 2.33, 1e-12);
	cr_assert_float_eq(w.diff, 1.58, 1e-12);
	cr_assert_float_eq(w.t, 1.8608, 0.5e-4);
	cr_assert_float_eq(w.df, 17.776, 0.5e-3);
	cr_assert_float_eq(w.p, 0.07939, 0.5e-5);
	cr_assert_float_eq(w.ci_lo, -0.2054832, 0.5e-7);
	cr_assert_float_eq(w.ci_hi, 3.3654832, 0.5e-7);
}

/* The degenerate cases: too few values; no spread on either side. */
Test(stats, welch_edges)
{
	struct welch w;
	const double one[] = {1}, c3[] = {3, 3, 3}, c4[] = {4, 4, 4};
	cr_assert_eq(stats_welch(one, 1, c3, 3, &w), -1);
	cr_assert_eq(stats_welch(c3, 3, c3, 3, &w), 0);
	cr_assert_eq(w.p, 1);
	cr_assert(isnan(w.t) && isnan(w.df));
	cr_assert_eq(stats_welch(c3, 3, c4, 3, &w), 0);
	cr_assert_eq(w.p, 0);
	cr_assert_eq(w.ci_lo, 1);
	cr_assert_eq(w.ci_hi, 1);
}

/* The two-sample example of R's ?wilcox.test:
 *   x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
 *   y <- c(1.15, 0.88, 0.90, 0.74, 1.21)
 *   wilcox.test(x, y, alternative = "g")  ->  W = 35, p-value = 0.1272
 * No ties: the exact distribution. Two-sided is twice the upper tail,
 * 764/3003 = 0.2544122544 by enumerating the 3003 ways to choose 5 of the
 * 15 values (Python, itertools.combinations and fractions). */
Test(stats, mann_whitney_exact)
{
	const double x[] = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
	const double y[] = {1.15, 0.88, 0.90, 0.74, 1.21};
	struct mannwhitney m;
	cr_assert_eq(stats_mann_whitney(x, ARRAY_N(x), y, ARRAY_N(y), &m), 0);
	cr_assert_eq(m.u, 35);
	cr_assert(m.exact);
	cr_assert_float_eq(m.p, 2 * 0.1272, 2 * 0.5e-4);
	cr_assert_float_eq(m.p, 764.0 / 3003.0, 1e-12);
	/* the other way round: U = 50 - 35, the same p */
	cr_assert_eq(stats_mann_whitney(y, ARRAY_N(y), x, ARRAY_N(x), &m), 0);
	cr_assert_eq(m.u, 15);
	cr_assert_float_eq(m.p, 764.0 / 3003.0, 1e-12);
	/* complete separation of 5 and 5: 2 of C(10,5) = 252 arrangements */
	const double lo[] = {1, 2, 3, 4, 5}, hi[] = {6, 7, 8, 9, 10};
	cr_assert_eq(stats_mann_whitney(lo, 5, hi, 5, &m), 0);
	cr_assert_eq(m.u, 0);
	cr_assert_float_eq(m.p, 2.0 / 252.0, 1e-12);
}

/* Ties: the normal approximation, the variance corrected for ties and a
 * continuity correction of 1/2 (R's wilcox.test with ties, correct = TRUE).
 * Expected: U = 1.5, z = -2.6223, p = 0.00873276851 computed in Python
 * with math.erfc from the formula (not GSL), so this checks the ranks, the
 * tie term and the corrections, not a published output. */
Test(stats, mann_whitney_ties)
{
	const double a[] = {1, 2, 2, 3, 3, 3}, b[] = {3, 4, 4, 5, 5, 6};
	struct mannwhitney m;
	cr_assert_eq(stats_mann_whitney(a, 6, b, 6, &m), 0);
	cr_assert_eq(m.u, 1.5);
	cr_assert(!m.exact);
	cr_assert_float_eq(m.p, 0.00873276851, 1e-10);
	/* every value equal: nothing to rank */
	const double c[] = {7, 7, 7};
	cr_assert_eq(stats_mann_whitney(c, 3, c, 3, &m), 0);
	cr_assert_eq(m.p, 1);
}

/* R's ?fisher.test: TeaTasting, matrix(c(3, 1, 1, 3), nrow = 2):
 * p-value = 0.4857 two-sided (0.2429 for alternative "greater"); 17/35.
 * Convictions, matrix(c(2, 10, 15, 3), nrow = 2) (by column: {{2, 15},
 * {10, 3}}): p-value = 0.0005367 two-sided; 3571/6653325 by enumerating
 * the tables with its margins (Python fractions). */
Test(stats, fisher)
{
	cr_assert_float_eq(stats_fisher_2x2(3, 1, 1, 3), 0.4857, 0.5e-4);
	cr_assert_float_eq(stats_fisher_2x2(3, 1, 1, 3), 17.0 / 35.0, 1e-12);
	cr_assert_float_eq(stats_fisher_2x2(2, 15, 10, 3), 0.0005367, 0.5e-7);
	cr_assert_float_eq(stats_fisher_2x2(2, 15, 10, 3), 3571.0 / 6653325.0, 1e-15);
	/* 5 of 5 against 0 of 5: 2 / C(10,5) = 1/126 (enumeration) */
	cr_assert_float_eq(stats_fisher_2x2(5, 0, 0, 5), 1.0 / 126.0, 1e-15);
	cr_assert_float_eq(stats_fisher_2x2(3, 2, 5, 0), 4.0 / 9.0, 1e-12);
	cr_assert_float_eq(stats_fisher_2x2(5, 0, 5, 0), 1.0, 1e-12);
}

/* Holm: sorted 0.005 0.01 0.03 0.04 times 4 3 2 1 = 0.02 0.03 0.06 0.04,
 * made non-decreasing: 0.02 0.03 0.06 0.06 (by hand; R's
 * p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") gives the same). A NAN is
 * no test and does not count. */
Test(stats, holm)
{
	const double p[] = {0.01, 0.04, NAN, 0.03, 0.005};
	double adj[5];
	stats_holm(p, 5, adj);
	cr_assert_float_eq(adj[0], 0.03, 1e-15);
	cr_assert_float_eq(adj[1], 0.06, 1e-15);
	cr_assert(isnan(adj[2]));
	cr_assert_float_eq(adj[3], 0.06, 1e-15);
	cr_assert_float_eq(adj[4], 0.02, 1e-15);
	const double big[] = {0.5, 0.6};
	stats_holm(big, 2, adj);
	cr_assert_eq(adj[0], 1);
	cr_assert_eq(adj[1], 1);
}
