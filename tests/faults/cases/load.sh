# SPDX-License-Identifier: GPL-2.0-or-later
# Case: load. 30 tiny cells with -j 2 in one run. The harness's memory stays
# bounded (VmHWM reported; its heap grows less than 32 KB a cell), its open
# fds do not grow, it leaves no zombie child, and every cell is reported
# once.
#
# This case runs the plain build (build/oomlab, what users run; every other
# case runs the sanitized one and checks for sanitizer reports). Its memory is the run's own state: the
# run report's rows, measured at 4.8 KB a cell over 300 cells (RssAnon
# 0.6 -> 2.0 MB), then ~27 MB more at the very end while the report views
# read every cell report. The ASan build showed ~13 MB more by cell 10 and
# ~0.1 MB a cell after (its allocator's quarantine and size classes), so
# "VmRSS at the end minus at cell 10 < 16 MB" passed or failed depending on
# whether the last sample fell in the views (13 -> 21, then 14 -> 34 MB).
# Now: RssAnon (the heap; VmRSS also counts code paged in once) against
# cells done, fitted over the cells from 10 until the last one ends (the
# views are not per-cell growth), must grow less than 32 KB a cell (a
# 10,000-cell sweep: under 320 MB). 30 cells: 20 in the fit, enough for a
# slope of 6 KB a cell against the 32 KB limit, and an fd leaked every few
# cells shows in the last third (50 cells took 84 s of make test's time).
. "$OOMLAB_ROOT/tests/faults/lib.sh"
d=$(new_dir load)
N=30
PLAIN=${OOMLAB_PLAIN:-$OOMLAB_ROOT/build/oomlab}

# load_slope FROM N < samples: kB a cell, the least-squares slope of column
# 2 on column 1 (cells done) over the lines with FROM <= done < N; empty
# with fewer than two distinct counts
load_slope() {
	awk -v from="$1" -v n="$2" '
		$1 >= from && $1 < n { k++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2 }
		END { d = k * sxx - sx * sx; if (k > 1 && d > 0) printf "%.1f\n", (k * sxy - sx * sy) / d }'
}
# own_fds PID: the fds PID has open, but a pipe a live child of it also
# holds (the gate of a worker forked ahead of its turn, which waits with
# the other end: one per waiting worker, up to -j of them, not a leak).
# The parent's fds are read first, then its children: a worker forked
# between the two reads is still seen holding its gate. One find a
# process, not a readlink an fd: a sample that took seconds (under load)
# saw gates of workers forked after its list of children was taken.
own_fds() {
	local mine kids theirs
	mine=$(find /proc/"$1"/fd -mindepth 1 -printf '%l\n' 2>/dev/null)
	kids=$(cat /proc/"$1"/task/*/children 2>/dev/null)
	theirs=$(for c in $kids; do find /proc/"$c"/fd -mindepth 1 -printf '%l\n' 2>/dev/null; done | grep '^pipe:' | sort -u)
	{ echo "$theirs"; echo --; echo "$mine"; } |
		awk '$0 == "--" { own = 1; next } !own { shared[$0] = 1; next } $0 != "" && !($0 in shared) { n++ } END { print n + 0 }'
}
{
	printf '{"name":"load","timeout_s":30,"sample_ms":1000,"base":{"ram_mb":96},'
	printf '"axes":{"swappiness":[%s]},' "$(seq -s, 0 $((N - 1)))"
	printf '"workloads":[{"name":"alloc","options":{"max_mb":1}}]}\n'
} >"$d/m.json"
OOMLAB=$PLAIN start_oomlab "$d" run "$d/m.json" -o "$d/o" -j 2 --accel tcg
pid=$OOMLAB_PID
t0=$SECONDS
: >"$d/samples"
# every 0.5 s: cells done, RssAnon, VmHWM (kB), open fds (own_fds), zombie children
while kill -0 "$pid" 2>/dev/null; do
	st=$(cat "/proc/$pid/status" 2>/dev/null) || break
	rss=$(awk '/^RssAnon/ {print $2}' <<<"$st")
	hwm=$(awk '/^VmHWM/ {print $2}' <<<"$st")
	fds=$(own_fds "$pid")
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
rss10=$(awk '$1 >= 10 {print $2; exit}' "$d/samples")
rss_last=$(awk -v n=$N '$1 < n {r = $2} END {print r}' "$d/samples")
# the heap's growth a cell: least squares of RssAnon (kB) on cells done,
# over the samples from 10 cells done until the last cell ends
slope=$(load_slope 10 $N <"$d/samples")
echo "     load: $N cells in $wall s; plain build: VmHWM $((hwm / 1024)) MB, RssAnon $rss10 kB at 10 cells, $rss_last kB at $((N - 1)), ${slope:-?} kB a cell; $(wc -l <"$d/samples") samples"
check "harness VmHWM under 300 MB" eval '[[ $hwm -lt 307200 ]]'
check "harness heap grows less than 32 KB a cell (RssAnon fitted from cell 10 to $N)" \
	eval '[[ -n $slope ]] && awk -v s="$slope" "BEGIN { exit !(s < 32) }"'
# fds: the fewest open in the first and in the last third of the run (a
# sample taken while the process exits sees none: not a count)
n=$(wc -l <"$d/samples")
fd_first=$(head -n $((n / 3)) "$d/samples" | awk '$4 > 0 {print $4}' | sort -n | head -1)
fd_last=$(tail -n $((n / 3)) "$d/samples" | awk '$4 > 0 {print $4}' | sort -n | head -1)
echo "     open fds: $fd_first early in the run, $fd_last late"
check "no fd leak (fewest open fds late <= early)" eval '[[ -n $fd_first && -n $fd_last && $fd_last -le $fd_first ]]'
# a zombie seen in two samples in a row (1 s apart) is not being reaped
check "no zombie child left unreaped for a second" \
	eval '! awk '"'"'{ split($5, z, ","); for (i in z) if (z[i] != "" && z[i] != "-" && (z[i] in prev)) bad = 1; delete prev; for (i in z) prev[z[i]] = 1 } END { exit !bad }'"'"' "$d/samples"'
check "reports valid" valid_run "$d/o"
check "no qemu, no temp dir, no worker left" eval 'no_orphans "$d" && no_temp_dirs "$d" && [[ -z $(procs_in "$d") ]]'
fault_end
