# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of tests/scale/run (sourced): the counts, spare ports, daemons
# stopped by pid, and the cells of a run dir in one comparable line each.

passed=0 failed=0

# ok NAME / bad NAME WHY: one step counted.
ok() {
	echo "ok   $1"
	passed=$((passed + 1))
}
bad() {
	echo "FAIL $1: $2"
	failed=$((failed + 1))
}

# check NAME WANT GOT: ok when equal, else both shown.
check() {
	if [[ $2 == "$3" ]]; then
		ok "$1"
	else
		bad "$1" "want '$2', got '$3'"
	fi
}

# freeport: a TCP port no one listens on (any address), picked at random
# in 20000-60000 so two runs at once do not pick the same one.
freeport() {
	python3 -c '
import random, socket, sys
for _ in range(200):
    p = random.randint(20000, 60000)
    s = socket.socket()
    try:
        s.bind(("", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    sys.exit(0)
sys.exit(1)'
}

# stop_pid PID NAME: SIGTERM the process PID if it is still NAME (a pid
# file outlives its daemon, and a pid is reused), then wait for it to go
# (5 s, then SIGKILL). Never anything but that one process.
stop_pid() {
	local pid=$1 name=$2 i
	[[ $pid =~ ^[0-9]+$ ]] || return 0
	[[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$name" ]] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 50; i++)); do
		[[ -e /proc/$pid ]] || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

# stop_pidfile FILE NAME: stop_pid with the pid in FILE, if there is one.
stop_pidfile() {
	[[ -f $1 ]] && stop_pid "$(head -c 32 "$1" | tr -dc 0-9)" "$2"
	return 0
}

# cells DIR: one line a cell of DIR/run.json, sorted by id: id, status,
# verdict, and each workload's endpoint and verdict.
cells() {
	python3 - "$1/run.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for c in sorted(r["cells"], key=lambda c: c["id"]):
    w = " ".join("%s=%s/%s" % (x["name"], x["endpoint"], x["verdict"]) for x in c["workloads"])
    print(c["id"], c["status"], c["verdict"], w)
PY
}

# field DIR EXPR: a Python expression over run.json (r) of DIR, printed
# (a tuple's items separated by spaces).
field() {
	python3 - "$1/run.json" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(" ".join(map(str, v)) if isinstance(v, tuple) else v)
PY
}
