# SPDX-License-Identifier: GPL-2.0-or-later
# Case: the guest hangs. (a) A workload spins at SCHED_FIFO with realtime
# throttling off on a 1-CPU guest: the agent never runs again and the stream
# stops. (b) A workload blocks forever: the agent is alive and kills it at
# its deadline. Either way the cell ends `timeout` at its limit, the VM is
# killed, the report is valid and nothing is left behind.
. "$OOMLAB_ROOT/tests/faults/lib.sh"
d=$(new_dir hang)
T=15
cat >"$d/m.json" <<JSON
{"name": "hang", "timeout_s": $T, "base": {"ram_mb": 128, "cpus": 1}, "cells": [
 {"name": "spin", "sysctl": {"kernel.sched_rt_runtime_us": -1},
  "workloads": [{"name": "hostile", "options": {"line_kb": 1, "kmsg": 0, "then": "spin"}, "expect": "timeout"}]},
 {"name": "block",
  "workloads": [{"name": "hostile", "options": {"line_kb": 1, "kmsg": 0, "then": "block"}, "expect": "timeout"}]}]}
JSON
t0=$SECONDS
run_oomlab "$d" run "$d/m.json" -o "$d/o" -j 2 --accel tcg
rc=$?
wall=$((SECONDS - t0))

for c in spin block; do
	r=$d/o/cells/$c.json
	if [[ $c == spin ]]; then
		fault_begin "agent starved (SCHED_FIFO spin, no RT throttling)"
	else
		fault_begin "workload blocks forever"
	fi
	check "exit 0 (the timeout was expected)" rc_is $rc 0
	check "cell status timeout" jq_is "$r" .status timeout
	check "workload endpoint timeout" jq_is "$r" '.workloads[0].endpoint' timeout
	if [[ $c == spin ]]; then
		# nobody in the guest can act: the host kills the VM at timeout_s
		# (vm_s, the VM's own time: the cell's wall_s also holds what came
		# before this VM, e.g. a restore that failed under load and was
		# tried again)
		check "the VM ran to its limit of $T s, no longer than $((T + 6)) s" \
			jqe "$r" ".timings.vm_s >= $T - 0.5 and .timings.vm_s <= $T + 6 and .timings.vm_end == \"timeout\""
	else
		# the agent kills the workload at its deadline (timeout_s - 15 s,
		# at least 2/3 of timeout_s, from the agent's start: after the boot
		# of a cold cell, after the restore of a warm one)
		check "the agent ended it at its deadline ($((T * 2 / 3)) s), within the $T s limit" \
			jqe "$r" ".timings.wall_s >= $T * 2 / 3 - 0.5 and .timings.wall_s <= $T + 6"
	fi
	check "samples taken before the hang are kept" jqe "$r" '.series.t_ms | length >= 1'
	[[ $c == spin ]] && check "the agent really stopped (fewer than 5 samples in $T s)" \
		jqe "$r" '.series.t_ms | length < 5'
	check "reports valid" valid_run "$d/o"
	check "VM killed: no qemu left" no_orphans "$d"
	check "no temp dir left" no_temp_dirs "$d"
	check "no sanitizer report" no_sanitizer_report "$d/out.txt"
	fault_end
done
echo "     (run of 2 hanging cells, -j 2: $wall s)"
