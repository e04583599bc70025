# SPDX-License-Identifier: GPL-2.0-or-later
# Case: the host is untouched. The runner recorded every readable
# /proc/sys/vm value, the kernel knobs the cells set in their guests and
# /proc/swaps before the first case; after the last one they must be the
# same, and no mount the cases made (private namespaces) may be visible.
. "$OOMLAB_ROOT/tests/faults/lib.sh"

fault_begin "the whole suite: host /proc/sys/vm, swap, mounts"
host_state >"$CASE_DIR/host-after"
check "/proc/sys/vm and /proc/swaps as before the suite" \
	diff "$FAULTS_ROOT/host-before" "$CASE_DIR/host-after"
check "$(grep -c '^/proc/sys/vm/' "$CASE_DIR/host-after") /proc/sys/vm values were compared" \
	eval '[[ $(grep -c "^/proc/sys/vm/" "$CASE_DIR/host-after") -ge 20 ]]'
check "no mount of the suite is visible on the host" \
	eval '! grep -qF "$FAULTS_ROOT" /proc/self/mountinfo'
check "no qemu of the suite is left" no_orphans "$FAULTS_ROOT"
fault_end
