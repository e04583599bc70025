# SPDX-License-Identifier: GPL-2.0-or-later
# Case: the harness is interrupted at a random point of a matrix run:
# SIGINT; SIGINT then SIGTERM; SIGTERM; SIGKILL (no chance to clean up: the
# workers get SIGTERM through PR_SET_PDEATHSIG, their qemu SIGKILL). After
# each: no orphan qemu or worker, no temp dir, every JSON file whole; then
# `--resume` finishes the run with every cell exactly once.
# FAULTS_SEED=N repeats the same signal times.
. "$OOMLAB_ROOT/tests/faults/lib.sh"
seed=${FAULTS_SEED:-$((RANDOM))}
RANDOM=$seed
echo "     seed $seed (FAULTS_SEED=$seed repeats these signal times)"
N=4

interrupt() {
	local label=$1 sigs=$2 d delay rc ids
	d=$(new_dir "int-$label")
	tiny_matrix "int" $N ', "hold_ms": 3000' >"$d/m.json"
	# 0.0 .. 3.9 s after the first workload started, in a run of two rounds
	# of 3 s cells at least (warm or cold): during the first round, between
	# rounds or in the second, never after the end
	delay=$((RANDOM % 4)).$((RANDOM % 10))
	fault_begin "$label $delay s after the first workload started, then --resume"
	start_oomlab "$d" run "$d/m.json" -o "$d/o" -j 2 --accel tcg
	if ! wait_for 120 eval 'grep -qa "^@OL1 spawn " "$d"/o/cells/c*.stream 2>/dev/null'; then
		check "a workload started within 120 s" false
	fi
	sleep "$delay"
	local s
	for s in $sigs; do
		kill "-$s" "$OOMLAB_PID" 2>/dev/null
		sleep 0.3
	done
	{ wait "$OOMLAB_PID"; } 2>/dev/null
	rc=$?
	if [[ $sigs == KILL ]]; then
		check "killed (exit 137)" rc_is $rc 137
		# the workers notice through PR_SET_PDEATHSIG and clean up
		check "the orphaned workers end by themselves within 20 s" \
			wait_for 20 eval '[[ -z $(procs_in "$d") ]]'
	else
		check "exit 3 (interrupted)" rc_is $rc 3
		check "no worker left" eval '[[ -z $(procs_in "$d") ]]'
		check "the run report says interrupted" jq_is "$d/o/run.json" .interrupted true
	fi
	check "no orphan qemu" no_orphans "$d"
	check "no temp dir left" no_temp_dirs "$d"
	check "every JSON file whole, no temp file" every_json_whole "$d/o"
	check "no sanitizer report" no_sanitizer_report "$d/out.txt"
	cp "$d/out.txt" "$d/out1.txt"
	run_oomlab "$d" run --resume "$d/o" -j 2
	rc=$?
	check "--resume exits 0" rc_is $rc 0
	ids=$(jq -r '.cells[].id' "$d/o/run.json" | sort | tr '\n' ' ')
	check "every cell exactly once in run.json" eval '[[ "$ids" == "c0 c1 c2 c3 " ]] || { echo "       cells: $ids"; false; }'
	check "every cell report finished (status ok, PASS)" \
		eval '[[ $(cat "$d"/o/cells/c*.json | jq -s "map(select(.status == \"ok\" and .verdict == \"PASS\")) | length") == $N ]]'
	check "reports valid" valid_run "$d/o"
	check "no qemu, no temp dir left" eval 'no_orphans "$d" && no_temp_dirs "$d"'
	check "no sanitizer report" no_sanitizer_report "$d/out.txt"
	fault_end
}

interrupt SIGINT INT
interrupt "SIGINT+SIGTERM" "INT TERM"
interrupt SIGTERM TERM
interrupt SIGKILL KILL
