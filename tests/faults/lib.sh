# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of the fault suite (sourced by tests/faults/run and each case).
# A case provokes faults; each fault is a block
#   fault_begin "what is provoked"
#   check "what must hold" COMMAND...      (any number)
#   fault_end
# and survives when every check of it holds. Results go to $FAULTS_RESULTS
# as "case<TAB>fault<TAB>ok|FAIL" lines; the runner prints the table.

: "${OOMLAB:=$OOMLAB_ROOT/build/san/oomlab}"
VALIDATE=$OOMLAB_ROOT/tests/validate-report

fault_begin() {
	FAULT=$1
	FAULT_OK=1
	echo "  -- $FAULT"
}

# check DESC COMMAND...: run COMMAND; a failure fails the current fault.
check() {
	local desc=$1
	shift
	if "$@"; then
		echo "     ok   $desc"
	else
		echo "     FAIL $desc"
		FAULT_OK=0
	fi
}

fault_end() {
	printf '%s\t%s\t%s\n' "$CASE" "$FAULT" "$([[ $FAULT_OK == 1 ]] && echo ok || echo FAIL)" \
		>>"$FAULTS_RESULTS"
}

# A fresh dir for one fault under the case's dir; TMPDIR points into it so
# every cell temp dir the harness makes is ours to check.
new_dir() {
	local d
	d=$(mktemp -d "$CASE_DIR/$1.XXXXXX")
	mkdir -p "$d/tmp"
	echo "$d"
}

# run_oomlab DIR ARGS...: the sanitized oomlab, TMPDIR=DIR/tmp, stdout and
# stderr to DIR/out.txt; returns its exit code.
run_oomlab() {
	local d=$1
	shift
	TMPDIR=$d/tmp "$OOMLAB" "$@" >"$d/out.txt" 2>&1
}

# Start oomlab in the background (same conventions); sets OOMLAB_PID.
start_oomlab() {
	local d=$1
	shift
	TMPDIR=$d/tmp "$OOMLAB" "$@" >"$d/out.txt" 2>&1 &
	OOMLAB_PID=$!
	echo "$OOMLAB_PID" >>"$CASE_DIR/pids"
}

# Pids of qemu processes whose command line names dir (ours only).
qemu_pids() {
	local dir=$1 p cmd
	for p in /proc/[0-9]*; do
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		[[ $cmd == *qemu-system* && $cmd == *"$dir"* ]] && echo "${p#/proc/}"
	done
	return 0
}

# Pids of any process (oomlab workers included) whose command line or cwd
# names dir, other than this shell and its children.
procs_in() {
	local dir=$1 p cmd
	for p in /proc/[0-9]*; do
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		[[ $cmd == *"$dir"* ]] || continue
		[[ ${p#/proc/} == "$$" || ${p#/proc/} == "$BASHPID" ]] && continue
		echo "${p#/proc/}"
	done
	return 0
}

# no_orphans DIR [WAIT_S]: no qemu naming DIR is left (waits up to WAIT_S
# for processes that are exiting).
no_orphans() {
	local dir=$1 wait=${2:-0} i
	for ((i = 0; i <= wait * 10; i++)); do
		[[ -z $(qemu_pids "$dir") ]] && return 0
		sleep 0.1
	done
	echo "       orphan qemu: $(qemu_pids "$dir")"
	return 1
}

# no_temp_dirs DIR: DIR/tmp holds no cell temp dir (oomlab-*).
no_temp_dirs() {
	local left
	left=$(find "$1/tmp" -mindepth 1 -maxdepth 1 2>/dev/null)
	[[ -z $left ]] && return 0
	echo "       left behind: $left"
	return 1
}

# valid_run DIR: run.json and every cell report match the schemas.
valid_run() {
	"$VALIDATE" "$1" >"$1/validate.txt" 2>&1 && return 0
	sed 's/^/       /' "$1/validate.txt" | head -5
	return 1
}

# every_json_whole DIR: every *.json under DIR parses, no temp file of an
# atomic write is left.
every_json_whole() {
	local f bad=0
	while IFS= read -r f; do
		if ! jq -e . "$f" >/dev/null 2>&1; then
			echo "       not whole JSON: $f"
			bad=1
		fi
	done < <(find "$1" -name '*.json')
	if [[ -n $(find "$1" -name '*.tmp.*') ]]; then
		echo "       temp files left: $(find "$1" -name '*.tmp.*')"
		bad=1
	fi
	return $bad
}

# no_sanitizer_report FILE: ASan/UBSan/LSan said nothing.
no_sanitizer_report() {
	if grep -qaE 'AddressSanitizer|LeakSanitizer|runtime error:' "$1"; then
		grep -aE 'AddressSanitizer|LeakSanitizer|runtime error:' "$1" | head -3 | sed 's/^/       /'
		return 1
	fi
	return 0
}

# jq_is FILE FILTER WANT: jq -r FILTER on FILE prints WANT.
jq_is() {
	local got
	got=$(jq -r "$2" "$1" 2>/dev/null)
	[[ $got == "$3" ]] && return 0
	echo "       $2 of ${1##*/} is '$got', want '$3'"
	return 1
}

# rc_is GOT WANT...: GOT is one of WANT.
rc_is() {
	local got=$1 w
	shift
	for w; do [[ $got == "$w" ]] && return 0; done
	echo "       exit code $got, want $*"
	return 1
}

# has FILE REGEX: FILE contains a line matching REGEX (grep -E).
has() {
	grep -qaE -- "$2" "$1" && return 0
	echo "       ${1##*/} has no line matching /$2/; it ends:"
	tail -3 "$1" | cut -c1-200 | sed 's/^/         /'
	return 1
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
	local s=$1 i
	shift
	for ((i = 0; i < s * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# A one-workload tiny cell matrix body: n cells named c0.., alloc 4 MB.
tiny_matrix() {
	local name=$1 n=$2 extra=${3:-} i sep=
	printf '{"name":"%s","timeout_s":30,"sample_ms":500,"base":{"ram_mb":128},"cells":[' "$name"
	for ((i = 0; i < n; i++)); do
		printf '%s{"name":"c%d","workloads":[{"name":"alloc","options":{"max_mb":4%s}}]}' \
			"$sep" "$i" "$extra"
		sep=,
	done
	printf ']}\n'
}

# The host state the suite must leave as it found it: every readable
# /proc/sys/vm value, the swap areas, and the kernel knobs the cells set
# inside their guests.
host_state() {
	local f
	for f in /proc/sys/vm/* /proc/sys/kernel/sched_rt_runtime_us /proc/sys/kernel/panic \
		/proc/sys/kernel/panic_on_oops; do
		[[ -r $f && -f $f ]] || continue
		printf '%s=%s\n' "$f" "$(tr '\n' ' ' <"$f" 2>/dev/null)"
	done
	echo "swaps:"
	cat /proc/swaps
}

# jqe FILE FILTER: jq -e FILTER on FILE is true.
jqe() {
	jq -e "$2" "$1" >/dev/null 2>&1 && return 0
	echo "       not true of ${1##*/}: $2"
	[[ $2 == *.timings* ]] && echo "       its timings: $(jq -c .timings "$1" 2>/dev/null)"
	return 1
}
