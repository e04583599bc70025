// SPDX-License-Identifier: GPL-2.0-or-later
/* Welch's t-test, Mann-Whitney U, Fisher's exact test and Holm's
 * correction (reports/stats.h). Pure: samples in, numbers out. */
#include "reports/stats.h"
#include "lib/util.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void mean_var(const double *x, size_t n, double *mean, double *var)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	*mean = s / (double)n;
	double q = 0;
	for (size_t i = 0; i < n; i++)
		q += (x[i] - *mean) * (x[i] - *mean);
	*var = n > 1 ? q / (double)(n - 1) : 0;
}

int stats_welch(const double *a, size_t na, const double *b, size_t nb, struct welch *w)
{
	memset(w, 0, sizeof *w);
	if (na < 2 || nb < 2)
		return -1;
	double va, vb;
	mean_var(a, na, &w->mean_a, &va);
	mean_var(b, nb, &w->mean_b, &vb);
	w->sd_a = sqrt(va);
	w->sd_b = sqrt(vb);
	w->diff = w->mean_b - w->mean_a;
	double ea = va / (double)na, eb = vb / (double)nb, se = sqrt(ea + eb);
	if (se == 0) {
		w->t = w->df = NAN;
		w->p = w->diff == 0 ? 1 : 0;
		w->ci_lo = w->ci_hi = w->diff;
		return 0;
	}
	w->t = w->diff / se;
	w->df = (ea + eb) * (ea + eb) / (ea * ea / (double)(na - 1) + eb * eb / (double)(nb - 1));
	double p = 2 * gsl_cdf_tdist_Q(fabs(w->t), w->df);
	w->p = p > 1 ? 1 : p;
	double q = gsl_cdf_tdist_Pinv(0.975, w->df);
	w->ci_lo = w->diff - q * se;
	w->ci_hi = w->diff + q * se;
	return 0;
}

/* ---- Mann-Whitney ---- */

struct rv {
	double v;
	int side;
};

static int rv_cmp(const void *x, const void *y)
{
	double a = ((const struct rv *)x)->v, b = ((const struct rv *)y)->v;
	return (a > b) - (a < b);
}

/* The number of arrangements of m values of a and n of b for each U
 * (0..m*n), by f(m, n, k) = f(m-1, n, k-n) + f(m, n-1, k): out has
 * m*n + 1 entries. Only additions: exact up to 2^53. */
static void u_counts(size_t m, size_t n, double *out)
{
	size_t K = m * n + 1;
	double *prev = xcalloc((n + 1) * K, sizeof *prev), *cur = xcalloc((n + 1) * K, sizeof *cur);
	for (size_t j = 0; j <= n; j++)
		prev[j * K] = 1; /* m = 0: U = 0 */
	for (size_t i = 1; i <= m; i++) {
		memset(cur, 0, (n + 1) * K * sizeof *cur);
		cur[0] = 1; /* n = 0 */
		for (size_t j = 1; j <= n; j++)
			for (size_t k = 0; k <= i * j; k++)
				cur[j * K + k] = (k >= j ? prev[j * K + k - j] : 0) + cur[(j - 1) * K + k];
		double *t = prev;
		prev = cur;
		cur = t;
	}
	memcpy(out, prev + n * K, K * sizeof *out);
	free(prev);
	free(cur);
}

int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct mannwhitney *m)
{
	memset(m, 0, sizeof *m);
	if (!na || !nb)
		return -1;
	size_t n = na + nb;
	struct rv *r = xcalloc(n, sizeof *r);
	for (size_t i = 0; i < na; i++)
		r[i] = (struct rv){a[i], 0};
	for (size_t i = 0; i < nb; i++)
		r[na + i] = (struct rv){b[i], 1};
	qsort(r, n, sizeof *r, rv_cmp);
	/* midranks; the tie term sum(t^3 - t) */
	double ranksum_a = 0, ties = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && r[j].v == r[i].v)
			j++;
		double t = (double)(j - i), rank = (double)(i + j + 1) / 2.0;
		ties += t * t * t - t;
		for (size_t k = i; k < j; k++)
			if (!r[k].side)
				ranksum_a += rank;
		i = j;
	}
	free(r);
	double mn = (double)na * (double)nb;
	m->u = ranksum_a - (double)na * ((double)na + 1) / 2.0;
	if (ties == 0 && na < STATS_MW_EXACT_MAX && nb < STATS_MW_EXACT_MAX) {
		size_t K = na * nb + 1;
		double *f = xcalloc(K, sizeof *f), total = 0, le = 0, ge = 0;
		u_counts(na, nb, f);
		for (size_t k = 0; k < K; k++) {
			total += f[k];
			if ((double)k <= m->u)
				le += f[k];
			if ((double)k >= m->u)
				ge += f[k];
		}
		free(f);
		double p = 2 * (le < ge ? le : ge) / total;
		m->p = p > 1 ? 1 : p;
		m->exact = 1;
		return 0;
	}
	double z = m->u - mn / 2;
	double sigma = sqrt(mn / 12.0 * ((double)n + 1 - ties / ((double)n * ((double)n - 1))));
	if (sigma == 0) {
		m->p = 1;
		return 0;
	}
	z = (z - (z > 0 ? 0.5 : z < 0 ? -0.5 : 0)) / sigma;
	double p = 2 * gsl_cdf_ugaussian_Q(fabs(z));
	m->p = p > 1 ? 1 : p;
	return 0;
}

/* ---- Fisher ---- */

double stats_fisher_2x2(unsigned a, unsigned b, unsigned c, unsigned d)
{
	unsigned n1 = a + c, n2 = b + d, t = a + b; /* column 1, column 2, row 1 */
	unsigned lo = t > n2 ? t - n2 : 0, hi = t < n1 ? t : n1;
	double p0 = gsl_ran_hypergeometric_pdf(a, n1, n2, t), p = 0;
	for (unsigned x = lo; x <= hi; x++) {
		double px = gsl_ran_hypergeometric_pdf(x, n1, n2, t);
		if (px <= p0 * (1 + 1e-7))
			p += px;
	}
	return p > 1 ? 1 : p;
}

/* ---- Holm ---- */

static int idx_cmp(const void *x, const void *y, void *p)
{
	double a = ((const double *)p)[*(const size_t *)x], b = ((const double *)p)[*(const size_t *)y];
	return (a > b) - (a < b);
}

void stats_holm(const double *p, size_t n, double *adj)
{
	size_t *idx = xcalloc(n + 1, sizeof *idx), m = 0;
	for (size_t i = 0; i < n; i++) {
		adj[i] = NAN;
		if (!isnan(p[i]))
			idx[m++] = i;
	}
	qsort_r(idx, m, sizeof *idx, idx_cmp, (void *)p);
	double run = 0;
	for (size_t i = 0; i < m; i++) {
		double v = (double)(m - i) * p[idx[i]];
		if (v > run)
			run = v;
		adj[idx[i]] = run > 1 ? 1 : run;
	}
	free(idx);
}
