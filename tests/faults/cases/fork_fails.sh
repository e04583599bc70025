# SPDX-License-Identifier: GPL-2.0-or-later
# Case: the harness cannot start its workers: every fork(2) fails with
# EAGAIN (an LD_PRELOAD of tests/faults/failfork.c; RLIMIT_NPROC does not
# hold for root). No cell runs, so none may pass: each is BROK with the
# reason, the run exits 3, and --resume (fork works again) runs them.
. "$OOMLAB_ROOT/tests/faults/lib.sh"

fault_begin "every fork of a worker fails (EAGAIN), then --resume"
d=$(new_dir forkfail)
tiny_matrix forkfail 2 >"$d/m.json"
if ! cc -shared -fPIC -o "$d/failfork.so" "$OOMLAB_ROOT/tests/faults/failfork.c" 2>"$d/cc.txt"; then
	check "the fork failure builds (cc)" false
fi
# ASan wants to be first in the library list; the preload comes first here
LD_PRELOAD=$d/failfork.so ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0 \
	run_oomlab "$d" run "$d/m.json" -o "$d/o" -j 2 --accel tcg
rc=$?
check "exit 3" rc_is $rc 3
check "the message names the error" has "$d/out.txt" "cannot start a worker: Resource temporarily unavailable"
check "the summary line counts the cells BROK" has "$d/out.txt" "^0 PASS, 0 FAIL, 2 BROK, 0 SKIP"
check "every cell is in run.json, BROK, not_started" \
	jqe "$d/o/run.json" '[.cells[] | select(.verdict == "BROK" and .status == "not_started")] | length == 2'
check "each says why" \
	jqe "$d/o/run.json" '(.cells | length) == 2 and all(.cells[]; .verdict_reason | test("could not start a worker .*fork: Resource temporarily unavailable"))'
check "run.json: exit_code 3" jq_is "$d/o/run.json" .exit_code 3
check "reports valid" valid_run "$d/o"
check "no sanitizer report" no_sanitizer_report "$d/out.txt"
run_oomlab "$d" run --resume "$d/o" -j 2
check "--resume runs them: exit 0" rc_is $? 0
check "every cell exactly once, PASS" \
	jqe "$d/o/run.json" '([.cells[].id] | sort) == ["c0", "c1"] and all(.cells[]; .verdict == "PASS")'
check "reports valid" valid_run "$d/o"
check "no qemu, no temp dir left" eval 'no_orphans "$d" && no_temp_dirs "$d"'
check "no sanitizer report" no_sanitizer_report "$d/out.txt"
fault_end
