# SPDX-License-Identifier: GPL-2.0-or-later
# Case: a matrix reaching outside its run. A file a workload option names
# (frag's schedule) is copied into the guest, so it must resolve, after
# `..` and symlinks, inside the matrix file's dir: a symlink that leads
# out, `..`, an absolute path and /proc are refused by plan, run and
# fuzz-knobs (exit 2, one line naming the key), and nothing starts. Only
# --allow-file on the command line lets a file in: the cell then runs with
# it; --resume of that run checks its files again (the allowance is not
# kept in the run dir); fuzz-knobs copies the file beside the matrices it
# writes, so its batch runs without --allow-file.
. "$OOMLAB_ROOT/tests/faults/lib.sh"
d=$(new_dir reach)
mkdir -p "$d/m" "$d/outside"
cp "$OOMLAB_ROOT/examples/frag-worst.sched" "$d/outside/w.sched"
ln -s /etc/passwd "$d/m/passwd.sched"
ln -s ../outside "$d/m/out"

# matrix SCHEDULE: one frag cell replaying SCHEDULE (a sweep of one value,
# so fuzz-knobs takes it too)
matrix() {
	printf '{"name":"reach","timeout_s":90,"base":{"ram_mb":256},"axes":{"swappiness":[60]},'
	printf '"workloads":[{"name":"frag","options":{"pattern":"file","schedule":"%s"}}]}\n' "$1"
}
key='axes (cell swappiness=60).workloads[0].options.schedule'

for sched in passwd.sched out/w.sched ../outside/w.sched "$d/outside/w.sched" /proc/self/environ; do
	fault_begin "schedule \"${sched#"$d"/}\": leads out of the matrix's dir"
	matrix "$sched" >"$d/m/m.json"
	for cmd in plan run fuzz-knobs; do
		rm -rf "$d/o"
		args=("$cmd" "$d/m/m.json")
		[[ $cmd == run ]] && args+=(-o "$d/o" --accel tcg)
		[[ $cmd == fuzz-knobs ]] && args+=(-o "$d/o" --cells 1 --budget 1s)
		run_oomlab "$d" "${args[@]}"
		check "$cmd exits 2" rc_is $? 2
		check "$cmd names the key and where the path leads" \
			grep -qaF -- "oomlab: $d/m/m.json: $key: $sched is /" "$d/out.txt"
		check "$cmd: one line, no sanitizer report" \
			eval '[[ $(wc -l <"$d/out.txt") -eq 1 ]] && no_sanitizer_report "$d/out.txt"'
	done
	check "no run, no VM, no temp dir" eval '[[ ! -e $d/o/run.json ]] && no_orphans "$d" && no_temp_dirs "$d"'
	fault_end
done

fault_begin "--allow-file lets one file in; --resume checks the files again"
matrix ../outside/w.sched >"$d/m/m.json"
rm -rf "$d/o"
run_oomlab "$d" run "$d/m/m.json" -o "$d/o" --accel tcg --allow-file "$d/outside/w.sched"
check "run --allow-file FILE: the cell ran and passed (exit 0)" rc_is $? 0
check "the cell replayed the schedule: ok, exit, PASS" \
	jqe "$d/o/cells/swappiness-60.json" '.status == "ok" and .workloads[0].endpoint == "exit" and .verdict == "PASS"'
run_oomlab "$d" run --resume "$d/o"
check "--resume without --allow-file exits 2" rc_is $? 2
check "--resume names the key and the original matrix's dir" \
	grep -qaF -- "oomlab: $d/o/matrix.json: $key: ../outside/w.sched is $d/outside/w.sched, outside the matrix file's dir $d/m (allowed" "$d/out.txt"
run_oomlab "$d" run --resume "$d/o" --allow-file "$d/outside"
check "--resume --allow-file DIR: nothing left to run (the run's exit code, 0)" rc_is $? 0
mv "$d/outside/w.sched" "$d/outside/w.real"
ln -s /etc/passwd "$d/outside/w.sched"
run_oomlab "$d" run --resume "$d/o" --allow-file "$d/outside"
check "--resume --allow-file DIR after the file became a symlink out of DIR: exit 2" rc_is $? 2
check "... naming the key and /etc/passwd" grep -qaF -- "$key: ../outside/w.sched is /etc/passwd" "$d/out.txt"
rm "$d/outside/w.sched"
mv "$d/outside/w.real" "$d/outside/w.sched"
check "no sanitizer report, no VM, no temp dir" \
	eval 'no_sanitizer_report "$d/out.txt" && no_orphans "$d" && no_temp_dirs "$d"'
fault_end

fault_begin "fuzz-knobs --allow-file: its matrices name copies in their own dirs"
rm -rf "$d/fk"
run_oomlab "$d" fuzz-knobs "$d/m/m.json" -o "$d/fk" --cells 1 --budget 1s -j 1 --allow-file "$d/outside/w.sched"
check "fuzz-knobs exits 0 (its one cell ran and passed)" rc_is $? 0
check "the file is copied beside the batch matrix and the repros" \
	eval 'cmp -s "$d/outside/w.sched" "$d/fk/files/w0-schedule-w.sched" && cmp -s "$d/outside/w.sched" "$d/fk/repro/files/w0-schedule-w.sched"'
check "the batch matrix names the copy" \
	jqe "$d/fk/batch-0.json" '.cells[0].workloads[0].options.schedule == "files/w0-schedule-w.sched"'
check "the batch cell ran (without --allow-file)" \
	jqe "$d/fk/batch-0/cells/fuzz-0-swappiness-60.json" '.status == "ok" and .workloads[0].endpoint == "exit"'
check "no sanitizer report, no VM, no temp dir" \
	eval 'no_sanitizer_report "$d/out.txt" && no_orphans "$d" && no_temp_dirs "$d"'
fault_end
