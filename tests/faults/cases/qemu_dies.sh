# SPDX-License-Identifier: GPL-2.0-or-later
# Case: QEMU dies mid-cell. The test SIGKILLs the qemu of one cell (found by
# its command line: the cell's temp dir, where its initramfs is; a restored
# (warm) cell's kernel command line does not name the cell, and qemu writes
# its serial ports into pipes, /dev/fd/N) once its
# workload has started; that cell ends `vm_lost` (BROK) and the other cells of the run
# are unaffected.
. "$OOMLAB_ROOT/tests/faults/lib.sh"
d=$(new_dir qemu)
cat >"$d/m.json" <<'JSON'
{"name": "qemu-dies", "timeout_s": 60, "sample_ms": 200, "base": {"ram_mb": 128}, "cells": [
 {"name": "before", "workloads": [{"name": "alloc", "options": {"max_mb": 4}}]},
 {"name": "victim", "workloads": [{"name": "alloc", "options": {"max_mb": 4, "hold_ms": 60000}}]},
 {"name": "after", "workloads": [{"name": "alloc", "options": {"max_mb": 4}}]}]}
JSON
start_oomlab "$d" run "$d/m.json" -o "$d/o" -j 2 --accel tcg

victim_qemu() {
	local p
	for p in $(qemu_pids "$d"); do
		tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -qF "$d/tmp/oomlab-victim-" && echo "$p"
	done
	return 0
}
# the workload has started once its spawn record is in the stream
started() { grep -qa '^@OL1 spawn ' "$d/o/cells/victim.stream" 2>/dev/null && [[ -n $(victim_qemu) ]]; }
fault_begin "SIGKILL of one cell's qemu"
if wait_for 60 started; then
	q=$(victim_qemu)
	echo "     killing qemu $q of cell victim"
	kill -KILL $q
else
	check "the victim cell started" false
fi
wait "$OOMLAB_PID"
rc=$?
r=$d/o/cells/victim.json
check "exit 3 (BROK)" rc_is $rc 3
check "victim: status vm_lost" jq_is "$r" .status vm_lost
check "victim: verdict BROK" jq_is "$r" .verdict BROK
check "victim: endpoint vm_lost" jq_is "$r" '.workloads[0].endpoint' vm_lost
check "victim: killed long before its 60 s hold" jqe "$r" '.timings.wall_s < 50'
for c in before after; do
	check "$c: unaffected (status ok, PASS, endpoint exit)" \
		jqe "$d/o/cells/$c.json" '.status == "ok" and .verdict == "PASS" and .workloads[0].endpoint == "exit"'
done
check "run.json: 3 cells, 2 PASS 1 BROK" jqe "$d/o/run.json" \
	'(.cells | length) == 3 and .summary.PASS == 2 and .summary.BROK == 1'
check "reports valid" valid_run "$d/o"
check "no qemu, no temp dir left" eval 'no_orphans "$d" && no_temp_dirs "$d"'
check "no sanitizer report" no_sanitizer_report "$d/out.txt"
fault_end
