// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/PID/status: "Key:\tvalue" lines. A zombie, a dying task whose mm is
 * already gone, and a kernel thread have no Vm and Rss lines: those stay -1. */
#include "parse/parse.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "parse/dec.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* "   123 kB" (or "123") filling the rest of the line -> value. */
static int value_ll(const char *p, const char *end, long long *out)
{
	while (p < end && is_blank(*p))
		p++;
	unsigned long long v;
	if (dec_ull(&p, end, LLONG_MAX, DEC_DIGITS_ANY, &v) < 0)
		return -1;
	while (p < end && is_blank(*p))
		p++;
	if (end - p == 2 && p[0] == 'k' && p[1] == 'B')
		p += 2;
	while (p < end && is_blank(*p))
		p++;
	if (p != end)
		return -1;
	*out = (long long)v;
	return 0;
}

static const struct {
	const char *key;
	size_t off;
} kb_fields[] = {
	{"VmPeak", offsetof(struct proc_status, vm_peak_kb)},
	{"VmSize", offsetof(struct proc_status, vm_size_kb)},
	{"VmHWM", offsetof(struct proc_status, vm_hwm_kb)},
	{"VmRSS", offsetof(struct proc_status, vm_rss_kb)},
	{"RssAnon", offsetof(struct proc_status, rss_anon_kb)},
	{"RssFile", offsetof(struct proc_status, rss_file_kb)},
	{"RssShmem", offsetof(struct proc_status, rss_shmem_kb)},
	{"VmData", offsetof(struct proc_status, vm_data_kb)},
	{"VmPTE", offsetof(struct proc_status, vm_pte_kb)},
	{"VmSwap", offsetof(struct proc_status, vm_swap_kb)},
};

static int key_is(const char *p, size_t klen, const char *key)
{
	return strlen(key) == klen && memcmp(p, key, klen) == 0;
}

int parse_status(const char *buf, size_t len, struct proc_status *out)
{
	memset(out, 0, sizeof *out);
	out->pid = -1;
	for (size_t i = 0; i < sizeof kb_fields / sizeof kb_fields[0]; i++)
		*(long long *)((char *)out + kb_fields[i].off) = -1;
	if (!buf)
		return -1;
	int got_name = 0, got_pid = 0;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(le - p));
		if (colon) {
			size_t klen = (size_t)(colon - p);
			const char *v = colon + 1;
			long long n;
			if (key_is(p, klen, "Name") && !got_name) {
				/* value is everything after the tab, the name may hold spaces */
				if (v < le && *v == '\t')
					v++;
				const char *ve = le;
				while (ve > v && ve[-1] == '\r')
					ve--;
				size_t nlen = (size_t)(ve - v);
				const char *nul = memchr(v, '\0', nlen);
				if (nul)
					nlen = (size_t)(nul - v); /* the C string ends there */
				if (nlen >= sizeof out->name)
					nlen = sizeof out->name - 1;
				/* no trailing CR, after the cuts too (the kernel
				 * escapes a CR in a name as "\r") */
				while (nlen > 0 && v[nlen - 1] == '\r')
					nlen--;
				memcpy(out->name, v, nlen);
				out->name[nlen] = '\0';
				got_name = 1;
			} else if (key_is(p, klen, "Pid") && !got_pid) {
				if (value_ll(v, le, &n) == 0 && n <= INT_MAX) {
					out->pid = (int)n;
					got_pid = 1;
				}
			} else if (key_is(p, klen, "State") && !out->state) {
				while (v < le && is_blank(*v))
					v++;
				if (v < le && *v >= 'A' && *v <= 'z')
					out->state = *v;
			} else {
				for (size_t i = 0; i < sizeof kb_fields / sizeof kb_fields[0]; i++) {
					if (key_is(p, klen, kb_fields[i].key)) {
						if (value_ll(v, le, &n) == 0)
							*(long long *)((char *)out + kb_fields[i].off) = n;
						break;
					}
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
	return got_name || got_pid ? 0 : -1;
}
