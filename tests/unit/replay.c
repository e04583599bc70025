// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden.h"
#include "replay.h"
#include "lib/util.h"

static const char *root(void)
{
	const char *r = getenv("OOMLAB_ROOT");
	return r && *r ? r : ".";
}

/* <dir>/<id><ext>, else the same compressed (<ext>.xz). */
static char *load(const char *dir, const char *id, const char *ext, size_t *len)
{
	char *p = xasprintf("%s/%s/%s%s", root(), dir, id, ext);
	char *text = NULL;
	if (access(p, F_OK) == 0) {
		cr_assert_eq(read_file(p, &text, len), 0, "%s", p);
	} else {
		char *xz = xasprintf("%s.xz", p);
		text = read_xz(xz, len);
		free(xz);
	}
	free(p);
	return text;
}

void replay_load(struct replay *r, const char *matrix, const char *dir, const char *id, size_t stream_len)
{
	memset(r, 0, sizeof *r);
	char *mp = xasprintf("%s/%s", root(), matrix);
	struct buf err = {0};
	cr_assert_eq(matrix_load(mp, &r->m, &err), 0, "%s", err.data);
	buf_free(&err);
	free(mp);
	for (size_t i = 0; i < r->m.n_cells; i++)
		if (!strcmp(r->m.cells[i].id, id))
			r->cs = &r->m.cells[i];
	cr_assert_not_null(r->cs, "no cell %s in %s", id, matrix);
	r->stream = load(dir, id, ".stream", &r->sl);
	r->console = load(dir, id, ".console.log", &r->cl);
	if (stream_len != (size_t)-1 && stream_len < r->sl)
		r->sl = stream_len;
	collect_cell(r->stream, r->sl, r->console, r->cl, r->cs->n_wl, &r->obs);
}

void replay_judge(struct replay *r)
{
	struct vm_result vr = {0};
	outcome_compute(r->cs, &r->obs, &vr, &r->oc);
}

void replay_cell(struct replay *r, const char *matrix, const char *dir, const char *id)
{
	replay_load(r, matrix, dir, id, (size_t)-1);
	replay_judge(r);
}

void replay_free(struct replay *r)
{
	cell_outcome_free(&r->oc);
	cell_obs_free(&r->obs);
	free(r->stream);
	free(r->console);
	matrix_free(&r->m);
}
