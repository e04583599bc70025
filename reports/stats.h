/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tests oomlab compare draws its verdicts from: pure functions of the
 * samples, the distributions from GSL. Two samples a (base) and b (new);
 * every p-value is two-sided. */
#ifndef OOMLAB_STATS_H
#define OOMLAB_STATS_H

#include <stddef.h>

/* Welch's t-test of mean(b) - mean(a), with the Welch-Satterthwaite
 * degrees of freedom and the 95% confidence interval of the difference. */
struct welch {
	double mean_a, mean_b;
	double sd_a, sd_b; /* sample standard deviations (n - 1) */
	double diff;       /* mean_b - mean_a */
	double t, df, p;
	double ci_lo, ci_hi;
};

/* 0, or -1 when a side has fewer than 2 values. When neither side varies,
 * t and df are NAN, the interval is [diff, diff] and p is 1 for equal
 * means, 0 for different ones. */
int stats_welch(const double *a, size_t na, const double *b, size_t nb, struct welch *w);

/* Mann-Whitney U (Wilcoxon rank-sum) of a against b: U is the number of
 * pairs (x in a, y in b) with x > y, ties counting one half. The p-value
 * is exact (the distribution of U counted over all arrangements) when there
 * are no ties and both sides have fewer than STATS_MW_EXACT_MAX values,
 * else the normal approximation with the tie correction of the variance
 * and a continuity correction of 1/2 (as R's wilcox.test). */
#define STATS_MW_EXACT_MAX 50
struct mannwhitney {
	double u, p;
	int exact;
};
int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct mannwhitney *m);

/* Fisher's exact test of the 2x2 table {{a, b}, {c, d}}: the sum of the
 * hypergeometric probabilities of the tables with the same margins that
 * are no more likely than this one (relative tolerance 1e-7, as R). */
double stats_fisher_2x2(unsigned a, unsigned b, unsigned c, unsigned d);

/* Holm-Bonferroni: the adjusted p-values of n tests, each
 * max over the i-th smallest and those before it of (n - i) p, capped at 1;
 * a test is significant at alpha when its adjusted p is <= alpha. NAN
 * entries are no test: left NAN and not counted in n. */
void stats_holm(const double *p, size_t n, double *adj);

#endif
