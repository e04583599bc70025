# SPDX-License-Identifier: GPL-2.0-or-later
# Two "hosts" that are this machine over ssh (sourced by tests/scale/run):
# Debian's sshd on a spare port of 127.0.0.1 with a throwaway host key and
# a throwaway user key, its config, authorized_keys, pid file and log in a
# temp dir. Nothing under /root/.ssh or /etc/ssh is read or written; the
# client gets every file by option.

# ssh_up DIR: start sshd; sets SSH_CMD, the ssh command line that reaches
# it (host key checked against the throwaway known_hosts).
ssh_up() {
	local d=$1 port i
	mkdir -p "$d" && chmod 0700 "$d"
	ssh-keygen -q -t ed25519 -N '' -C oomlab-test-host -f "$d/host_key" || return 1
	ssh-keygen -q -t ed25519 -N '' -C oomlab-test-user -f "$d/user_key" || return 1
	cp "$d/user_key.pub" "$d/authorized_keys"
	port=$(freeport) || return 1
	# the two names the test logs in by
	echo "[127.0.0.1]:$port,[localhost]:$port $(cut -d' ' -f1,2 "$d/host_key.pub")" >"$d/known_hosts"
	cat >"$d/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
CONF
	# sshd's privilege separation dir (the package makes it at boot only)
	if [[ ! -d /run/sshd ]]; then
		mkdir -m 0755 /run/sshd && SSH_MADE_RUN_DIR=1
	fi
	/usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log" || return 1
	SSH_CMD="ssh -p $port -o UserKnownHostsFile=$d/known_hosts -o StrictHostKeyChecking=yes -o IdentityFile=$d/user_key -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=10"
	for ((i = 0; i < 50; i++)); do
		$SSH_CMD root@127.0.0.1 true 2>/dev/null && return 0
		sleep 0.1
	done
	echo "ssh_up: cannot log in: $($SSH_CMD root@127.0.0.1 true 2>&1)" >&2
	return 1
}

# ssh_down DIR: stop sshd by its pid file (the sessions end with their
# connections); remove /run/sshd if ssh_up made it.
ssh_down() {
	stop_pidfile "$1/sshd.pid" sshd
	if [[ -n ${SSH_MADE_RUN_DIR:-} ]]; then
		rmdir /run/sshd 2>/dev/null
		SSH_MADE_RUN_DIR=
	fi
	return 0
}

# test_ssh TMP SINGLE: the steps; SINGLE is a single run of the matrix.
test_ssh() {
	local d=$1/ssh single=$2 out rc log k
	if ! ssh_up "$d"; then
		bad "ssh: sshd up" "see $d/sshd.log"
		tail -5 "$d/sshd.log"
		return
	fi
	ok "ssh: sshd up, key login works"

	# three shards over two hosts, one at a time on each; each shard runs
	# in a dir of its own under ~/.parallel/tmp there and comes back by
	# rsync (--return). Each host's ssh is a wrapper that notes its calls.
	for k in a b; do
		printf '#!/bin/sh\necho "$*" >>%q\nexec %s "$@"\n' "$d/calls-$k" "$SSH_CMD" >"$d/ssh-$k"
		chmod +x "$d/ssh-$k"
	done
	out=$1/ssh-out log=$1/ssh.log
	ci/shard-parallel "$MATRIX" "$out" 3 "1/$d/ssh-a root@127.0.0.1,1/$d/ssh-b root@localhost" -- -j 1 \
		>"$log" 2>&1
	rc=$?
	check "ssh: ci/shard-parallel over two ssh hosts, exit 0" 0 "$rc"
	if [[ -f $out/merged/run.json ]]; then
		check "ssh: merged run: 3 shards, nothing missing" "3 []" \
			"$(field "$out/merged" 'len(r["merged_from"]), r["missing"]')"
		check "ssh: merged cells = the single run's (id, status, verdict, endpoints)" \
			"$(cells "$single")" "$(cells "$out/merged")"
	else
		bad "ssh: merged run" "no $out/merged/run.json: $(tail -20 "$log")"
	fi
	# the remote side: each shard ran in its own remote working dir (it
	# names its results dir relative to it), found the kernels where
	# OOMLAB_CACHE points here, and came back
	check "ssh: each shard wrote shard-K in its remote working dir" \
		"shard 1	run report:   shard-1/run.json;shard 2	run report:   shard-2/run.json;shard 3	run report:   shard-3/run.json;" \
		"$(grep -h '	run report:' "$log" | sort | tr '\n' ';')"
	check "ssh: each shard booted the kernel from OOMLAB_CACHE" "$OOMLAB_CACHE;$OOMLAB_CACHE;$OOMLAB_CACHE;" \
		"$(for k in 1 2 3; do field "$out/shard-$k" 'r["kernels"][0]["config"]["file"].split("/kernels/")[0]'; done | tr '\n' ';')"
	# parallel's --return: rsync on this side, "rsync --server --sender" there
	check "ssh: results came back by rsync from both hosts" "yes yes" \
		"$(for k in a b; do grep -q ' rsync --server --sender .* \./shard-[123]$' "$d/calls-$k" && echo -n yes || echo -n no; [[ $k == a ]] && echo -n ' '; done)"
}
