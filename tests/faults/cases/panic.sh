# SPDX-License-Identifier: GPL-2.0-or-later
# Case: kernel panic. `touch` with vm.panic_on_oom=1: the first OOM panics
# the guest. The cell ends `vm_panic`, the panic text is in the report and
# the samples taken before the panic are kept.
. "$OOMLAB_ROOT/tests/faults/lib.sh"
d=$(new_dir panic)
cat >"$d/m.json" <<'JSON'
{"name": "panic", "timeout_s": 60, "sample_ms": 50,
 "base": {"ram_mb": 128, "panic_on_oom": 1}, "cells": [{"name": "panic", "workloads": ["touch"]}]}
JSON
run_oomlab "$d" run "$d/m.json" -o "$d/o" -j 1 --accel tcg
rc=$?
r=$d/o/cells/panic.json
fault_begin "panic_on_oom=1 with touch"
check "exit 0 (the panic was predicted)" rc_is $rc 0
check "cell status vm_panic" jq_is "$r" .status vm_panic
check "workload endpoint vm_panic" jq_is "$r" '.workloads[0].endpoint' vm_panic
check "the panic message is in kernel_log" jq_is "$r" .kernel_log.panic_msg \
	"Out of memory: system-wide panic_on_oom is enabled"
check "the panic line is in the console tail" \
	jqe "$r" '.console_tail | contains("Kernel panic - not syncing: Out of memory")'
check "samples before the panic are kept (meminfo series)" \
	jqe "$r" '(.series.t_ms | length) >= 1 and (.series.meminfo.MemFree | length) == (.series.t_ms | length)'
check "the workload's progress before the panic is kept (MB reached > 0)" \
	jqe "$r" '.workloads[0].mb_reached > 0'
check "the console log file is kept" has "$d/o/cells/panic.console.log" "Kernel panic - not syncing"
check "reports valid" valid_run "$d/o"
check "no qemu, no temp dir left" eval 'no_orphans "$d" && no_temp_dirs "$d"'
check "no sanitizer report" no_sanitizer_report "$d/out.txt"
fault_end
