# SPDX-License-Identifier: GPL-2.0-or-later
# Case: hostile guest output. The `hostile` workload writes garbage, NUL
# bytes, invalid UTF-8, fake stream frame headers, a 10 MB line and HTML /
# quotes / control characters into its output (forwarded as stream records)
# and /dev/kmsg, under a comm of "<b>\"'&\e[1m\x01"; a second cell gets it
# OOM-killed so that name lands in the kernel's OOM report. The sanitized
# host must stay in bounds, and the reports must be valid JSON that keeps
# the hostile text as text.
. "$OOMLAB_ROOT/tests/faults/lib.sh"
d=$(new_dir hostile)
cat >"$d/m.json" <<'JSON'
{"name": "hostile", "timeout_s": 90, "base": {"ram_mb": 128}, "cells": [
 {"name": "garbage", "workloads": [{"name": "hostile", "options": {"line_kb": 10240}, "expect": "exit"}]},
 {"name": "oom", "workloads": [{"name": "hostile", "options": {"line_kb": 64, "then": "oom"}, "expect": "oom_killed"}]}]}
JSON
run_oomlab "$d" run "$d/m.json" -o "$d/o" -j 2 --accel tcg
rc=$?
g=$d/o/cells/garbage.json
o=$d/o/cells/oom.json

# strict_json FILE: parses with Python's strict parser, no raw control byte.
strict_json() {
	python3 - "$1" <<'PY'
import json, sys
raw = open(sys.argv[1], 'rb').read()
bad = [b for b in raw if b < 0x20 and b not in (0x0a,)]
if bad:
    sys.exit("raw control bytes in the file: %r" % bad[:5])
json.loads(raw.decode('utf-8', errors='strict'))
PY
}

fault_begin "garbage, NULs, fake frames, a 10 MB line, hostile kmsg"
check "exit 0" rc_is $rc 0
check "the cell ran as usual (status ok, endpoint exit, PASS)" \
	jqe "$g" '.status == "ok" and .workloads[0].endpoint == "exit" and .verdict == "PASS"'
check "the 10 MB line really went through (stream > 10 MB)" \
	eval '[[ $(stat -c %s "$d/o/cells/garbage.stream") -gt 10485760 ]]'
check "fake frames in the payload did not end or break the stream" \
	jqe "$g" '.stream.bye == "done" and .stream.bad == 0 and .stream.seq_gaps == 0 and .stream.truncated == false'
check "HTML kept as text" jqe "$g" '.workloads[0].metrics.html == "<img/src=x/onerror=alert(1)>"'
check "quotes kept as text" jqe "$g" ".workloads[0].metrics.quote == \"\\\"'\\\"'\""
check "control characters kept, escaped" jqe "$g" '.workloads[0].metrics.ctl == "\u0001\u0002\u001b[31m\u007f"'
check "invalid UTF-8 replaced, not passed on" jqe "$g" '.workloads[0].metrics.utf8 | test("^[?]+$")'
check "a hostile metric key is dropped" jqe "$g" '.workloads[0].metrics | keys | map(select(test("[<>]"))) | length == 0'
check "the kmsg garbage is in the report as text" \
	jqe "$g" '.console_tail | contains("hostile: <script>alert(")'
check "strict JSON, no raw control byte (cell report)" strict_json "$g"
fault_end

fault_begin "OOM-killed under a hostile comm"
check "the cell ends oom_killed" jqe "$o" '.workloads[0].endpoint == "oom_killed" and .verdict == "PASS"'
# (/dev/kmsg escapes the control bytes as \x1b, \x01)
check "the OOM event names the victim by its hostile comm" \
	jqe "$o" "[.oom_events[].victim_comm | select(startswith(\"<b>\\\"'&\"))] | length >= 1"
check "strict JSON, no raw control byte (cell report)" strict_json "$o"
fault_end

fault_begin "the whole run with hostile output"
check "reports valid (schemas)" valid_run "$d/o"
check "strict JSON (run report)" strict_json "$d/o/run.json"
run_oomlab "$d" report "$d/o"
check "oomlab report reads it (exit 0)" rc_is $? 0
# the page oomlab run wrote, and one oomlab report writes again
run_oomlab "$d" report "$d/o" --html -o "$d/report.html"
check "report --html exits 0" rc_is $? 0
for page in "$d/o/report.html" "$d/report.html"; do
	check "no guest HTML gets through unescaped (${page#"$d"/})" eval \
		'! grep -qaF "<img/src=x/onerror" "$page" && ! grep -qaF "<script>alert(" "$page" && ! grep -qaF "<b>\"'"'"'&" "$page"'
	check "no raw control byte (${page#"$d"/})" eval '! grep -qaP "[\x01\x1b]" "$page"'
	check "the escaped text is there (${page#"$d"/})" grep -qaF "&lt;img/src=x/onerror=alert(1)&gt;" "$page"
done
check "junit.xml valid against the JUnit schema" "$OOMLAB_ROOT/tests/validate-ci" junit "$d/o/junit.xml"
check "no sanitizer report (the parsers stayed in bounds)" \
	eval 'no_sanitizer_report "$d/out.txt" && [[ $(grep -c . "$d/out.txt") -gt 0 ]]'
check "no qemu, no temp dir left" eval 'no_orphans "$d" && no_temp_dirs "$d"'
fault_end
