# SPDX-License-Identifier: GPL-2.0-or-later
# A one-node Slurm cluster in a temp dir (sourced by tests/scale/run):
# its own munged (key, socket, pid and log in the dir), slurmctld and
# slurmd on spare ports with a slurm.conf of their own, state, spool, logs
# and pid files in the dir. Two 1-CPU jobs run at once on this 2-CPU
# machine; no cgroup plugin (proctrack/linuxproc, task/none): the host's
# cgroups are never touched.

# slurm_up DIR: start the cluster in DIR; SLURM_CONF is exported for the
# clients (sbatch, squeue, scontrol, scancel). Returns non-zero with the
# reason on stderr if the node is not idle within 60 s.
slurm_up() {
	local d=$1 cport dport mem i
	mkdir -p "$d/munge-key" "$d/munge-sock" "$d/state" "$d/spool" "$d/log"
	# munged wants its key private, and its socket's dir open to all
	chmod 0700 "$d/munge-key"
	chmod 0755 "$d" "$d/munge-sock"
	head -c 1024 /dev/urandom >"$d/munge-key/munge.key"
	chmod 0400 "$d/munge-key/munge.key"
	munged --socket="$d/munge-sock/munge.socket" --key-file="$d/munge-key/munge.key" \
		--pid-file="$d/munge-key/munged.pid" --log-file="$d/log/munged.log" \
		--seed-file="$d/munge-key/munged.seed" || return 1
	cport=$(freeport) && dport=$(freeport) || return 1
	[[ $cport != "$dport" ]] || dport=$(freeport)
	# what slurmd finds, less a margin: a node with less than it claims is drained
	mem=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
	cat >"$d/slurm.conf" <<CONF
ClusterName=oomlabtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$cport
SlurmdPort=$dport
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge-sock/munge.socket
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=3600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=oomlab Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
	export SLURM_CONF=$d/slurm.conf
	slurmctld -f "$SLURM_CONF" || return 1
	slurmd -f "$SLURM_CONF" -N localhost || return 1
	for ((i = 0; i < 600; i++)); do
		[[ $(sinfo -h -o %T 2>/dev/null) == idle ]] && return 0
		sleep 0.1
	done
	echo "slurm_up: the node is not idle after 60 s: $(sinfo -h -o '%T %E' 2>&1)" >&2
	return 1
}

# slurm_down DIR: cancel what is queued, then stop slurmd, slurmctld and
# munged by their pid files. Whatever got started; safe to call twice.
slurm_down() {
	local d=$1 i
	if [[ -f $d/slurmctld.pid && -n ${SLURM_CONF:-} ]]; then
		scancel --full --user=root >/dev/null 2>&1
		for ((i = 0; i < 300; i++)); do
			[[ -z $(squeue -h -o %i 2>/dev/null) ]] && break
			sleep 0.1
		done
	fi
	stop_pidfile "$d/slurmd.pid" slurmd
	stop_pidfile "$d/slurmctld.pid" slurmctld
	stop_pidfile "$d/munge-key/munged.pid" munged
	unset SLURM_CONF
}

# slurm_wait JOB: wait (up to 10 min) for JOB to end; prints its state and
# exit code, e.g. "COMPLETED 0:0".
slurm_wait() {
	local line st i
	for ((i = 0; i < 6000; i++)); do
		line=$(scontrol -o show job "$1" 2>/dev/null)
		st=
		[[ $line =~ JobState=([A-Z_]+) ]] && st=${BASH_REMATCH[1]}
		case $st in
		'' | PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED) ;;
		*)
			[[ $line =~ \ ExitCode=([0-9]+:[0-9]+) ]] && st="$st ${BASH_REMATCH[1]}"
			echo "$st"
			return 0
			;;
		esac
		sleep 0.1
	done
	echo "TIMEOUT"
}

# slurm_submit OUT [sbatch options]: ci/slurm-submit the scale matrix in 3
# shards of 1 CPU (two at a time on 2 CPUs); sets ARRAY and MERGE.
slurm_submit() {
	local out=$1 line
	shift
	line=$(ci/slurm-submit "$MATRIX" "$out" 3 --cpus-per-task=1 --mem=1G "$@" | tail -1)
	if [[ $line =~ ^queued\ shards\ as\ job\ ([0-9]+),\ merge\ as\ job\ ([0-9]+)\; ]]; then
		ARRAY=${BASH_REMATCH[1]} MERGE=${BASH_REMATCH[2]}
		return 0
	fi
	echo "ci/slurm-submit said: $line" >&2
	return 1
}

# test_slurm TMP SINGLE: the steps; SINGLE is a single run of the matrix.
test_slurm() {
	local d=$1/slurm single=$2 out st
	mkdir -p "$d"
	if ! slurm_up "$d"; then
		bad "slurm: one-node cluster up" "see $d/log"
		tail -5 "$d"/log/*.log
		return
	fi
	ok "slurm: one-node cluster up (sinfo: idle)"

	# 1. three shards and the merge, all ending well
	out=$1/slurm-all
	if slurm_submit "$out"; then
		st=$(slurm_wait "$MERGE")
		check "slurm: merge job ends, exit 0" "COMPLETED 0:0" "$st"
		check "slurm: the three shard tasks completed" "COMPLETED 0:0;COMPLETED 0:0;COMPLETED 0:0;" \
			"$(for k in 1 2 3; do slurm_wait "${ARRAY}_$k" | tr '\n' ';'; done)"
		if [[ -f $out/merged/run.json ]]; then
			check "slurm: merged run: 3 shards, nothing missing" "3 []" \
				"$(field "$out/merged" 'len(r["merged_from"]), r["missing"]')"
			check "slurm: merged cells = the single run's (id, status, verdict, endpoints)" \
				"$(cells "$single")" "$(cells "$out/merged")"
			# two 1-CPU shards at once on 2 CPUs: the first two overlap
			check "slurm: shards 1 and 2 ran at the same time" "True" \
				"$(python3 -c 'import json,sys
a, b = (json.load(open(sys.argv[i] + "/run.json")) for i in (1, 2))
print(a["started"] < b["ended"] and b["started"] < a["ended"])' "$out/shard-1" "$out/shard-2")"
		else
			bad "slurm: merged run" "no $out/merged/run.json; merge log: $(cat "$out"/logs.*/merge.log 2>&1)"
		fi
	else
		bad "slurm: ci/slurm-submit" "no job ids"
	fi

	# 2. shard 3 cancelled before it starts (queued held, cancelled, the
	# rest released): its cells are missing, the merge exits 3
	out=$1/slurm-cancel
	if slurm_submit "$out" --hold; then
		scancel "${ARRAY}_3"
		scontrol release "$ARRAY" "$MERGE"
		st=$(slurm_wait "$MERGE")
		check "slurm: a cancelled shard: merge job ends, exit 3" "FAILED 3:0" "$st"
		# a task cancelled while pending never becomes a job of its own
		check "slurm: only shards 1 and 2 ran, and left a run" "1 2;shard-1 shard-2" \
			"$(squeue -h -t all -j "$ARRAY" -o %K | sort | tr '\n' ' ' | sed 's/ $//');$(cd "$out" && echo shard-*)"
		if [[ -f $out/merged/run.json ]]; then
			# cell i is in shard (i mod 3) + 1: shard 3 holds cells 2 and 5
			check "slurm: the cancelled shard's cells are missing" \
				"['overcommit-memory-1-swap-mb-0', 'overcommit-memory-2-swap-mb-64'] 4 2" \
				"$(field "$out/merged" 'r["missing"], len(r["cells"]), len(r["merged_from"])')"
			check "slurm: the merge log names the shard" \
				"ci/slurm-merge: shard 3 left no run (its log: shard-3.log beside this one)" \
				"$(grep -h 'left no run' "$out"/logs.*/merge.log)"
		else
			bad "slurm: merged run with a cancelled shard" "no $out/merged/run.json"
		fi
	else
		bad "slurm: ci/slurm-submit --hold" "no job ids"
	fi
}
