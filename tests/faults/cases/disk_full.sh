# SPDX-License-Identifier: GPL-2.0-or-later
# Case: the output cannot be written. (a) RLIMIT_FSIZE below a cell
# report's size (EFBIG); (b) a tmpfs that another writer fills during the
# second cell (ENOSPC; mounted in a private mount namespace, so the host
# never sees it), then grown and the run resumed; (c) a read-only output
# dir. Each: a clear message, exit 3, earlier reports intact, no
# half-written JSON, nothing left behind. And (d) a temp dir too small for
# the disks the cells can fill: refused before the first cell, exit 2 with
# the arithmetic.
. "$OOMLAB_ROOT/tests/faults/lib.sh"

fault_begin "RLIMIT_FSIZE of 8 KiB (EFBIG), then --resume without it"
d=$(new_dir fsize)
tiny_matrix fsize 2 >"$d/m.json"
(
	ulimit -f 8
	run_oomlab "$d" run "$d/m.json" -o "$d/o" -j 2 --accel tcg
)
rc=$?
check "exit 3" rc_is $rc 3
# the first file over 8 KiB is a cell's initramfs, in its temp dir
check "the message names the file and the error" has "$d/out.txt" "initrd.cpio: .*File too large"
check "the run stops with one clear message" has "$d/out.txt" "oomlab: stopped: a file could not be written"
check "the message says how to resume" has "$d/out.txt" "oomlab run --resume $d/o"
check "every JSON file whole, no temp file" every_json_whole "$d/o"
check "no qemu, no temp dir left" eval 'no_orphans "$d" && no_temp_dirs "$d"'
run_oomlab "$d" run --resume "$d/o" -j 2
check "--resume exits 0" rc_is $? 0
check "every cell exactly once" eval '[[ $(jq -r ".cells[].id" "$d/o/run.json" | sort | tr "\n" " ") == "c0 c1 " ]]'
check "reports valid" valid_run "$d/o"
check "no sanitizer report" no_sanitizer_report "$d/out.txt"
fault_end

fault_begin "the results fill up in the second cell (ENOSPC), then --resume"
d=$(new_dir enospc)
cat >"$d/m.json" <<'JSON'
{"name": "enospc", "timeout_s": 60, "sample_ms": 1000, "base": {"ram_mb": 128}, "cells": [
 {"name": "small", "workloads": [{"name": "alloc", "options": {"max_mb": 4}}]},
 {"name": "big", "workloads": [{"name": "hostile", "options": {"line_kb": 1024, "kmsg": 0}, "expect": "exit"}]},
 {"name": "third", "workloads": [{"name": "alloc", "options": {"max_mb": 4}}]}]}
JSON
mkdir -p "$d/o"
# a 100 MiB tmpfs holds what one running cell can write (the run checks
# that first); once the first cell is done another writer takes all but
# 300 KiB of it. Everything on it is inspected (copied out) inside the
# namespace; the mount goes away with it
unshare -m --propagation private bash -c '
	d=$1 oomlab=$2
	mount -t tmpfs -o size=100m oomlab-faults "$d/o" || exit 90
	TMPDIR=$d/tmp "$oomlab" run "$d/m.json" -o "$d/o" -j 1 --accel tcg >"$d/out.txt" 2>&1 &
	pid=$!
	for ((i = 0; i < 1800; i++)); do [[ -f $d/o/cells/small.json ]] && break; sleep 0.1; done
	avail=$(df -k --output=avail "$d/o" | tail -1)
	fallocate -l $(((avail - 300) * 1024)) "$d/o/filler"
	wait $pid
	echo $? >"$d/rc1"
	rm -f "$d/o/filler"
	cp -a "$d/o" "$d/full"
	mount -o remount,size=256m "$d/o"
	TMPDIR=$d/tmp "$oomlab" run --resume "$d/o" -j 2 >"$d/out2.txt" 2>&1
	echo $? >"$d/rc2"
	cp -a "$d/o" "$d/resumed"
' _ "$d" "$OOMLAB"
check "the namespace ran (mount worked)" eval '[[ -f $d/rc1 ]]'
check "exit 3" rc_is "$(cat "$d/rc1" 2>/dev/null)" 3
check "the message names the error" has "$d/out.txt" "No space left on device"
check "the message says what is kept and how to resume" has "$d/out.txt" "Every report in .* is whole.*--resume"
check "the first cell's report is intact and PASS" jqe "$d/full/cells/small.json" '.status == "ok" and .verdict == "PASS"'
check "the run report lists the first cell" jqe "$d/full/run.json" '[.cells[].id] | index("small") != null'
check "every JSON file whole, no temp file" every_json_whole "$d/full"
check "--resume after freeing space exits 0" rc_is "$(cat "$d/rc2" 2>/dev/null)" 0
check "every cell exactly once" \
	eval '[[ $(jq -r ".cells[].id" "$d/resumed/run.json" | sort | tr "\n" " ") == "big small third " ]]'
check "the first cell was not run again" \
	eval 'cmp -s "$d/full/cells/small.json" "$d/resumed/cells/small.json"'
check "reports valid" valid_run "$d/resumed"
check "no qemu, no temp dir left" eval 'no_orphans "$d" && no_temp_dirs "$d"'
check "no sanitizer report" eval 'no_sanitizer_report "$d/out.txt" && no_sanitizer_report "$d/out2.txt"'
fault_end

fault_begin "the cells' disks do not fit in the temp dir: exit 2 with the arithmetic"
d=$(new_dir nospace)
cat >"$d/m.json" <<'JSON'
{"name": "nospace", "timeout_s": 60, "base": {"ram_mb": 128, "swap_mb": 512}, "cells": [
 {"name": "a", "workloads": [{"name": "alloc", "options": {"max_mb": 4}}]},
 {"name": "b", "workloads": [{"name": "filecache", "options": {"size_mb": 256}}]}]}
JSON
unshare -m --propagation private bash -c '
	d=$1 oomlab=$2
	mount -t tmpfs -o size=1200m oomlab-faults "$d/tmp" || exit 90
	TMPDIR=$d/tmp "$oomlab" run "$d/m.json" -o "$d/o" -j 2 --accel tcg >"$d/out.txt" 2>&1
	echo $? >"$d/rc1"
	TMPDIR=$d/tmp "$oomlab" run "$d/m.json" -o "$d/o1" -j 1 --accel tcg >"$d/out1.txt" 2>&1
	echo $? >"$d/rc2"
' _ "$d" "$OOMLAB"
check "the namespace ran (mount worked)" eval '[[ -f $d/rc1 ]]'
check "-j 2: exit 2" rc_is "$(cat "$d/rc1" 2>/dev/null)" 2
check "-j 2: the message has the arithmetic" \
	has "$d/out.txt" "^oomlab: not enough disk space: $d/tmp needs [0-9]+ MiB \(-j 2 x \(initramfs [0-9]+ \+ swap 512 \+ data 256 MiB\)\) and has [0-9]+ MiB free"
check "-j 2: no cell started" eval '[[ -z $(ls "$d/o/cells" 2>/dev/null) && ! -e $d/o/run.json ]]'
check "-j 1 fits: exit 0" rc_is "$(cat "$d/rc2" 2>/dev/null)" 0
check "no qemu, no temp dir left" eval 'no_orphans "$d" && no_temp_dirs "$d"'
check "no sanitizer report" eval 'no_sanitizer_report "$d/out.txt" && no_sanitizer_report "$d/out1.txt"'
fault_end

fault_begin "read-only results dir"
d=$(new_dir rofs)
tiny_matrix rofs 1 >"$d/m.json"
mkdir -p "$d/ro"
unshare -m --propagation private bash -c '
	d=$1 oomlab=$2
	mount -t tmpfs -o ro,size=64k oomlab-faults "$d/ro" || exit 90
	TMPDIR=$d/tmp "$oomlab" run "$d/m.json" -o "$d/ro/out" --accel tcg >"$d/out.txt" 2>&1
	echo $? >"$d/rc1"
' _ "$d" "$OOMLAB"
check "exit 3" rc_is "$(cat "$d/rc1" 2>/dev/null)" 3
check "the message names the dir and the error" has "$d/out.txt" "cannot create $d/ro/out/cells: Read-only file system"
check "no qemu, no temp dir left" eval 'no_orphans "$d" && no_temp_dirs "$d"'
fault_end
