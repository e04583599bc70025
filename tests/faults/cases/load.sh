# SPDX-License-Identifier: GPL-2.0-or-later
# Case: load. 50 tiny cells with -j 2 in one run. The harness's memory stays
# bounded (VmHWM reported; no growth from cell 10 to the end beyond a few
# MB), its open fds do not grow, it leaves no zombie child, and every cell
# is reported once.
. "$OOMLAB_ROOT/tests/faults/lib.sh"
d=$(new_dir load)
N=50
{
	printf '{"name":"load","timeout_s":30,"sample_ms":1000,"base":{"ram_mb":96},'
	printf '"axes":{"swappiness":[%s]},' "$(seq -s, 0 $((N - 1)))"
	printf '"workloads":[{"name":"alloc","options":{"max_mb":1}}]}\n'
} >"$d/m.json"
# ASan's quarantine would hold freed memory and hide what the harness keeps
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=4 \
	start_oomlab "$d" run "$d/m.json" -o "$d/o" -j 2 --accel tcg
pid=$OOMLAB_PID
t0=$SECONDS
: >"$d/samples"
# every 0.5 s: cells done, VmRSS, VmHWM (kB), open fds, zombie children
while kill -0 "$pid" 2>/dev/null; do
	st=$(cat "/proc/$pid/status" 2>/dev/null) || break
	rss=$(awk '/^VmRSS/ {print $2}' <<<"$st")
	hwm=$(awk '/^VmHWM/ {print $2}' <<<"$st")
	fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
	zomb=
	for c in $(cat /proc/$pid/task/*/children 2>/dev/null); do
		[[ $(awk '{print $3}' "/proc/$c/stat" 2>/dev/null) == Z ]] && zomb+="$c,"
	done
	done_n=$(ls "$d/o/cells" 2>/dev/null | grep -c '\.json$')
	[[ -n $rss ]] && echo "$done_n $rss $hwm $fds ${zomb:--}" >>"$d/samples"
	sleep 0.5
done
{ wait "$pid"; } 2>/dev/null
rc=$?
wall=$((SECONDS - t0))

fault_begin "$N cells, -j 2, in one run"
check "exit 0" rc_is $rc 0
check "all $N cells reported once, all PASS" \
	jqe "$d/o/run.json" "(.cells | length) == $N and ([.cells[].id] | unique | length) == $N and .summary.PASS == $N"
hwm=$(awk '{print $3}' "$d/samples" | sort -n | tail -1)
# RSS at ~10 cells done, and at the end
rss10=$(awk '$1 >= 10 {print $2; exit}' "$d/samples")
rss_end=$(awk '{r = $2} END {print r}' "$d/samples")
echo "     load: $N cells in $wall s; harness VmHWM $((hwm / 1024)) MB (ASan build), VmRSS $((rss10 / 1024)) MB at 10 cells, $((rss_end / 1024)) MB at the end; $(wc -l <"$d/samples") samples"
check "harness VmHWM under 300 MB" eval '[[ $hwm -lt 307200 ]]'
check "harness RSS grew less than 16 MB from cell 10 to the end" eval '[[ $((rss_end - rss10)) -lt 16384 ]]'
# fds: the fewest open in the first and in the last third of the run
n=$(wc -l <"$d/samples")
fd_first=$(head -n $((n / 3)) "$d/samples" | awk '{print $4}' | sort -n | head -1)
fd_last=$(tail -n $((n / 3)) "$d/samples" | awk '{print $4}' | sort -n | head -1)
echo "     open fds: $fd_first early in the run, $fd_last late"
check "no fd leak (fewest open fds late <= early)" eval '[[ -n $fd_first && $fd_last -le $fd_first ]]'
# a zombie seen in two samples in a row (1 s apart) is not being reaped
check "no zombie child left unreaped for a second" \
	eval '! awk '"'"'{ split($5, z, ","); for (i in z) if (z[i] != "" && z[i] != "-" && (z[i] in prev)) bad = 1; delete prev; for (i in z) prev[z[i]] = 1 } END { exit !bad }'"'"' "$d/samples"'
check "reports valid" valid_run "$d/o"
check "no qemu, no temp dir, no worker left" eval 'no_orphans "$d" && no_temp_dirs "$d" && [[ -z $(procs_in "$d") ]]'
check "no sanitizer report (leaks included)" no_sanitizer_report "$d/out.txt"
fault_end
