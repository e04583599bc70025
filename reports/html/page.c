// SPDX-License-Identifier: GPL-2.0-or-later
#include "reports/html/page.h"
#include "lib/buildid.h"
#include "lib/vocab.h"
#include "reports/markup.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The style sheet: these three parts, with the rules of the verdict
 * badges after the first and those of the endpoint chips after the
 * second, made from their tables (html_style). */
static const char css_head[] =
	"body{font:14px/1.4 'DejaVu Sans',sans-serif;margin:1.5em;color:#222;max-width:1200px}"
	"h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ccc}"
	"h3{font-size:1.1em;margin:.4em 0}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 6px;"
	"text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}"
	".badge{display:inline-block;padding:0 6px;border-radius:3px;font-weight:bold;color:#fff}";
static const char css_chip[] =
	".v-unknown{background:#777}"
	".chip{display:inline-block;padding:1px 5px;margin:1px;border-radius:3px;border:1px solid #0002;"
	"white-space:nowrap}";
static const char css_tail[] =
	".ep-none{background:#fff}"
	"table.grid td{min-width:12em}table.grid td.fail{outline:3px solid #c62828}"
	".cellref{display:block;font-size:.85em;color:#333;margin-top:3px}"
	"section.cell{border-top:2px solid #999;margin-top:2em;padding-top:.5em}"
	"svg.plot{display:inline-block;margin:4px 8px 4px 0;background:#fff;border:1px solid #eee}"
	"svg .title{font-weight:bold;font-size:13px}svg .tick{font-size:10px;fill:#555}"
	"svg .axis{font-size:11px;fill:#333}svg .key{font-size:11px}"
	"svg .grid line{stroke:#eee}svg .frame{fill:none;stroke:#999}svg .empty{fill:#999}"
	"svg path.series{stroke-width:1.6}svg line.key{stroke-width:2}"
	"svg .marker line{stroke:#c62828;stroke-width:1.2;stroke-dasharray:3 2}"
	"svg .marker text{font-size:10px;fill:#c62828}"
	"svg .allocfail line{stroke:#ef6c00}svg .allocfail text{fill:#ef6c00}"
	"svg .uoom line{stroke:#6a1b9a}svg .uoom text{fill:#6a1b9a}"
	"svg .psi line{stroke:#1565c0;stroke-dasharray:1 2}svg .psi text{fill:#1565c0}"
	"svg.range .axis{stroke:#bbb}svg.range .accepted{fill:#90caf9}"
	"svg.range .obs-ok{fill:#2a7d2a}svg.range .obs-bad{fill:#c62828}"
	"pre{background:#f7f7f7;padding:.5em;overflow-x:auto;max-height:24em;font-size:12px}"
	".note{color:#555}.warn{color:#c62828;font-weight:bold}"
	"tr.regressed td{background:#fdecea}tr.changed td{background:#fff8e1}"
	"svg.effect .ci{fill:none;stroke-width:1.2}svg.effect circle{stroke-width:1.5}"
	".swatch{display:inline-block;width:10px;height:10px;border-radius:2px}"
	"table.oom{font-size:12px}table.oom td.gfp{word-break:break-all;max-width:16em}";

static void html_style(struct buf *b)
{
	buf_printf(b, "%s", css_head);
	for (size_t i = 0; i < VERDICT_COUNT; i++) {
		const struct verdict_row *v = &verdict_table[verdict_shown[i]];
		buf_printf(b, ".%s{background:%s}", v->css, v->html_bg);
	}
	buf_printf(b, "%s", css_chip);
	for (size_t i = 0; i < ENDPOINT_COUNT; i++) {
		const struct endpoint_row *e = &endpoint_table[endpoint_legend[i]];
		buf_printf(b, ".%s{background:%s}", e->css, e->html_bg);
	}
	buf_printf(b, "%s", css_tail);
}

void html_begin(struct buf *b, const char *title)
{
	buf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		      "style-src 'unsafe-inline'; img-src data:\">"
		      "<meta name=\"viewport\" content=\"width=device-width\"><title>");
	markup_esc(b, title);
	buf_printf(b, "</title><style>");
	html_style(b);
	buf_printf(b, "</style></head>\n<body>\n");
}

void html_end(struct buf *b)
{
	buf_printf(b, "\n<p class=\"note\">Written by oomlab %s.</p>\n</body></html>\n", buildid_string());
}

void html_val(struct buf *b, json_t *v)
{
	if (json_is_string(v))
		markup_esc(b, json_string_value(v));
	else if (json_is_integer(v))
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		buf_printf(b, "%.6g", json_real_value(v));
	else if (json_is_boolean(v))
		buf_printf(b, "%s", json_is_true(v) ? "yes" : "no");
	else if (!v || json_is_null(v))
		buf_printf(b, "-");
	else {
		char *t = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		markup_esc(b, t);
		free(t);
	}
}

void html_verdict(struct buf *b, const char *v)
{
	const struct verdict_row *r = verdict_find(v);
	if (r)
		buf_printf(b, "<span class=\"badge %s\">%s</span>", r->css, r->word);
	else
		buf_printf(b, "<span class=\"badge v-unknown\">?</span>");
}

const char *html_endpoint_class(const char *e)
{
	const struct endpoint_row *r = endpoint_find(e);
	return r ? r->css : "ep-none";
}

const char *html_endpoint_label(const char *e)
{
	const struct endpoint_row *r = endpoint_find(e);
	return r ? r->label : "-";
}

void html_endpoint_legend(struct buf *b)
{
	buf_printf(b, "<p class=\"legend\">Endpoints: ");
	for (size_t i = 0; i < ENDPOINT_COUNT; i++) {
		const struct endpoint_row *e = &endpoint_table[endpoint_legend[i]];
		buf_printf(b, "<span class=\"chip %s\" title=\"%s\">%s</span> ", e->css, e->meaning, e->label);
	}
	buf_printf(b, "</p>\n");
}

void html_href(struct buf *b, const char *base, const char *rel)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf u = {0};
	for (int part = 0; part < 2; part++) {
		const unsigned char *p = (const unsigned char *)(part ? rel : base);
		for (; p && *p; p++) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    strchr("-._~/", *p)) {
				buf_append(&u, p, 1);
			} else {
				char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
				buf_append(&u, e, 3);
			}
		}
	}
	markup_esc(b, u.data ? u.data : "");
	buf_free(&u);
}

char *html_link_base(const char *from_dir, const char *to_dir)
{
	char a[PATH_MAX], t[PATH_MAX];
	if (!realpath(to_dir, t))
		return xasprintf("%s/", to_dir);
	if (!realpath(from_dir, a))
		return xasprintf("%s/", t);
	/* common leading components */
	size_t i = 0, common = 0;
	while (a[i] && a[i] == t[i]) {
		if (a[i] == '/')
			common = i;
		i++;
	}
	if (!a[i] && !t[i])
		return xstrdup("");
	if (!a[i] && t[i] == '/')
		common = i;
	else if (!t[i] && a[i] == '/')
		common = i;
	struct buf r = {0};
	/* one ".." per component of from_dir below the common part */
	for (const char *p = a + common; *p; p++)
		if (*p == '/' && p[1])
			buf_printf(&r, "../");
	const char *rest = t + common;
	while (*rest == '/')
		rest++;
	if (*rest)
		buf_printf(&r, "%s/", rest);
	return r.data ? r.data : xstrdup("");
}
