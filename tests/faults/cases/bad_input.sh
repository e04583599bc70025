# SPDX-License-Identifier: GPL-2.0-or-later
# Case: bad input. Every malformed matrix file (the table in
# tests/faults/bad-matrices.tsv, plus generated ones: invalid UTF-8, a
# 100 MB file, deep nesting, binary noise, empty, a directory) makes both
# `oomlab plan` and `oomlab run` exit 2 with a message naming the file and
# the JSON path, given as a file and on standard input (`-`, named
# <stdin>); a bad --cell or --workload is refused the same way; a missing kernel, a kernel that is not a bzImage and a
# missing qemu give one clear message and exit 2 or 3. No VM boots.
. "$OOMLAB_ROOT/tests/faults/lib.sh"
d=$(new_dir bad)

# bad_matrix LABEL FILE EXPECT: plan and run exit 2, naming FILE and EXPECT
# (a JSON path, or ":LINE:" for a syntax error); run also with FILE on
# standard input (run -: plan - loads it the same way), naming <stdin>.
bad_matrix() {
	local label=$1 f=$2 exp=$3 want rc name src cmds
	fault_begin "matrix: $label"
	for src in file stdin; do
		[[ $src == stdin && ! -e $f ]] && continue # nothing to redirect from
		local e=$exp
		name=$f cmds=(plan run)
		# a matrix from stdin has no dir: its files start at the current one
		[[ $src == stdin ]] && name='<stdin>' cmds=(run) \
			e=${exp//"outside the matrix file's dir"/"outside the current dir (a matrix from stdin or --cell has no dir of its own)"}
		if [[ $e == :* ]]; then want="$name$e"; else want="$name: $e"; fi
		for cmd in "${cmds[@]}"; do
			rm -rf "$d/o"
			local args=("$cmd" "$f")
			[[ $src == stdin ]] && args=("$cmd" -)
			[[ $cmd == run ]] && args+=(-o "$d/o" --accel tcg)
			if [[ $src == stdin ]]; then
				run_oomlab "$d" "${args[@]}" <"$f"
			else
				run_oomlab "$d" "${args[@]}" </dev/null
			fi
			rc=$?
			check "$cmd ($src) exits 2" rc_is $rc 2
			check "$cmd ($src) names the file and '$exp'" grep -qaF -- "oomlab: $want" "$d/out.txt"
			check "$cmd ($src): one short message, no sanitizer report" \
				eval '[[ $(wc -l <"$d/out.txt") -le 2 && $(wc -c <"$d/out.txt") -le 600 ]] && no_sanitizer_report "$d/out.txt"'
		done
		check "run ($src) made no results dir" eval '[[ ! -e $d/o/run.json ]]'
	done
	fault_end
}

# bad_cell LABEL LINE ARG...: `oomlab run ARG... -o DIR` exits 2 with the
# one line LINE and makes no run dir.
bad_cell() {
	local label=$1 line=$2
	shift 2
	fault_begin "--cell: $label"
	rm -rf "$d/o"
	run_oomlab "$d" run "$@" -o "$d/o" --accel tcg </dev/null
	check "exits 2" rc_is $? 2
	check "says it in one line" eval '[[ $(cat "$d/out.txt") == "$line" ]] && no_sanitizer_report "$d/out.txt"'
	check "made no run dir" eval '[[ ! -e $d/o ]]'
	fault_end
}

n=0
while IFS=$'\t' read -r exp text; do
	[[ -z $exp || $exp == \#* ]] && continue
	n=$((n + 1))
	f=$d/m$n.json
	printf '%s' "$text" >"$f"
	bad_matrix "$(printf '%.70s' "$text")" "$f" "$exp"
done <"$OOMLAB_ROOT/tests/faults/bad-matrices.tsv"

# generated ones
printf '{"name":"\xff\xfe\xc0\x80","cells":[{"workloads":["alloc"]}]}' >"$d/utf8.json"
bad_matrix "invalid UTF-8 in a string" "$d/utf8.json" ":1:"
printf '{"name":"x","cells":[{"workloads":["alloc"],"sysctl":{"vm.\xed\xa0\x80":1}}]}' >"$d/utf8key.json"
bad_matrix "invalid UTF-8 (a surrogate) in a key" "$d/utf8key.json" ":1:"
python3 -c "print('['*100000 + ']'*100000)" >"$d/deep.json"
bad_matrix "100000 nested lists" "$d/deep.json" ":1:"
python3 -c "import json; print('{\"name\":\"x\",\"cells\":[{\"workloads\":[\"alloc\"]}],\"base\":' + '{\"a\":'*3000 + '1' + '}'*3000 + '}')" >"$d/deepobj.json"
bad_matrix "3000 nested objects in base" "$d/deepobj.json" ":1:"
python3 -c "
import sys
sys.stdout.write('{\"name\":\"x\",\"cells\":[{\"workloads\":[\"alloc\"]}],\"description\":\"')
chunk = 'a' * (1 << 20)
for _ in range(100): sys.stdout.write(chunk)
sys.stdout.write('\"}')" >"$d/huge.json"
bad_matrix "a valid 100 MB file" "$d/huge.json" '$'
rm -f "$d/huge.json"
head -c 65536 /dev/urandom >"$d/noise.json"
bad_matrix "64 KiB of random bytes" "$d/noise.json" ":"
: >"$d/empty.json"
bad_matrix "an empty file" "$d/empty.json" ":1:"
printf '\0\0\0\0' >"$d/nul.json"
bad_matrix "NUL bytes only" "$d/nul.json" ":1:"
mkdir -p "$d/adir.json"
bad_matrix "a directory" "$d/adir.json" "cannot read"
bad_matrix "a file that does not exist" "$d/nonexistent.json" "cannot read"

# cells from the command line
bad_cell "a word that is not KEY=VALUE" "oomlab: --cell 'ram_mb': ram_mb: not KEY=VALUE (e.g. ram_mb=256)" \
	--cell ram_mb --workload touch
bad_cell "no key" "oomlab: --cell '=5': =5: no key before \"=\"" --cell =5 --workload touch
bad_cell "a value the knob does not take" "oomlab: --cell: cells[0].ram_mb: must be an integer in 64..65536" \
	--cell ram_mb=abc --workload touch
bad_cell "control bytes and quotes in the text" \
	"oomlab: --cell 'x'\\''\\x1b[2J=1': x'\\x1b[2J: unknown key (allowed: a knob (oomlab knobs lists them), cgroup.<group>.<file>, name, mode, timeout_s, sample_ms, psi_triggers, stall, allow)" \
	--cell "x'"$'\x1b'"[2J=1" --workload touch
bad_cell "a workload file outside the current dir" \
	"oomlab: --cell: cells[0].workloads[0].options.schedule: /etc/passwd is /etc/passwd, outside the current dir (a matrix from stdin or --cell has no dir of its own) (allowed: a regular file in that dir or below it, or a file or dir given with --allow-file PATH)" \
	--cell '' --workload 'frag pattern=file schedule=/etc/passwd'

# the environment
good=$d/good.json
tiny_matrix env 1 >"$good"

fault_begin "kernel: --kernel names a missing file"
rm -rf "$d/o"
run_oomlab "$d" run "$good" -o "$d/o" --accel tcg --kernel "$d/no/bzImage"
check "exit 2" rc_is $? 2
check "the message names the file" grep -qaF "$d/no/bzImage: No such file" "$d/out.txt"
check "no VM started, no temp dir" no_temp_dirs "$d"
fault_end

fault_begin "kernel: --kernel names a file that is not a bzImage"
head -c 100000 /dev/urandom >"$d/notk"
rm -rf "$d/o"
run_oomlab "$d" run "$good" -o "$d/o" --accel tcg --kernel "$d/notk"
check "exit 2" rc_is $? 2
check "the message says it is not a bzImage" grep -qaF "$d/notk: not a bzImage" "$d/out.txt"
check "no VM started, no temp dir" no_temp_dirs "$d"
fault_end

fault_begin "qemu: qemu-system-x86_64 is not in PATH"
rm -rf "$d/o"
PATH=$d/empty-path run_oomlab "$d" run "$good" -o "$d/o" --accel tcg
check "exit 3" rc_is $? 3
check "the message names qemu and the package" grep -qaF "qemu-system-x86_64 is not in PATH" "$d/out.txt"
check "no cell report, no temp dir" eval '[[ -z $(ls "$d/o/cells" 2>/dev/null) ]] && no_temp_dirs "$d"'
fault_end
