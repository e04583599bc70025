/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The cell description the host writes into the initramfs as /cell.conf and
 * the agent reads. Line based so the static agent needs no JSON parser:
 * each line is TAB-separated fields, the first one the directive. Empty
 * lines and lines starting with '#' are ignored. Fields never contain TAB
 * or newline (the host refuses such values).
 *
 *   sample_ms   <ms>                       sampling period, 10..600000 (default 100)
 *   deadline_s  <s>                        1..86400 (default 300), counted from the
 *                                          start of the first workload: the agent
 *                                          SIGKILLs what still runs and says
 *                                          bye reason=deadline
 *   linger_ms   <ms>                       0..10000 (default 300): how long the agent
 *                                          goes on forwarding kernel messages after
 *                                          the last workload ended; 0: it drains
 *                                          /dev/kmsg until it is empty and says
 *                                          bye at once (the host stops the VM at
 *                                          the bye)
 *   stall       <ms> <psi_full x 100>      a workload that makes no progress for
 *                                          <ms> while PSI full avg10 is at or
 *                                          above the threshold (hundredths of
 *                                          a percent, 0..10000) is stalled: a
 *                                          "stall" record, then SIGKILL
 *                                          (stream.h). No line: no detection
 *   vmstat      <prefix> [<prefix>...]     vmstat keys to include in samples
 *                                          (none: every line)
 *   module      <path in initramfs>        load in order (finit_module)
 *   set         <knob> <path> <value>      write value to path, read back
 *   get         <knob> <path>              only read it (knob record with
 *                                          status=default, or absent)
 *   swap        <device path>              mkswap + swapon (waits for the device);
 *                                          at most one
 *   psi         some|full <stall_us> <window_us> [<group>]
 *                                          a PSI trigger on /proc/pressure/memory,
 *                                          or with <group> (a cgroup line before
 *                                          it) on GUEST_CGROUP_DIR/<group>/
 *                                          memory.pressure (at most 8; numbered
 *                                          from 0 in file order): registered
 *                                          before the first workload starts,
 *                                          each firing is a "trigger" record
 *                                          (stream.h)
 *   mode        together|sequence          how workloads run
 *   workload    <id> <name> <rlimit_as_bytes|-> <oom_score_adj|-> <argv0> [args...]
 *                                          "-" for oom_score_adj means 0 (the
 *                                          agent's own -1000 is never inherited)
 *   delay       <id> <ms>                  start workload <id> (an earlier line)
 *                                          ms after the run phase begins
 *   cgroup      <group>                    a memory cgroup (cgroup v2) to create
 *                                          under GUEST_CGROUP_DIR: "app", "app/db"
 *                                          (a parent on an earlier line); the
 *                                          first one mounts cgroup2 there and
 *                                          enables +memory in the root's
 *                                          cgroup.subtree_control, a group with
 *                                          children gets +memory in its own.
 *                                          Its files are set/get lines named
 *                                          cgroup.<group>.<file>, path
 *                                          GUEST_CGROUP_DIR/<group>/<file>
 *   cgroup_stat <key> [<key>...]           memory.stat keys (exact) to keep in
 *                                          the groups' sample sections (none:
 *                                          every line)
 *   wl_cgroup   <id> <group>               workload <id> (an earlier line) runs in
 *                                          <group> (a cgroup line): the child
 *                                          writes itself to its cgroup.procs
 *                                          between fork and exec. Without it a
 *                                          workload stays in the root group, as
 *                                          the agent does.
 *   watch       <id>                       workload <id> (an earlier line) watches
 *                                          the others (earlyoom): once no other
 *                                          workload runs or is pending, the agent
 *                                          sends it SIGTERM and waits for it
 *
 * Paths are absolute. Groups are created before any knob is written;
 * knobs are applied in file order, all before swap is
 * enabled and before the first workload starts. Any bad line is reported
 * (a log record naming it) and is fatal: the agent says bye reason=error.
 */
#ifndef OOMLAB_CELLCONF_H
#define OOMLAB_CELLCONF_H

/* Warm start (docs/warm-starts.md). An initramfs without /cell.conf
 * boots the agent in warm mode: it loads the modules of /warm.conf (only
 * "module" lines) and opens the control port CTL_DEV (the third serial
 * port, raw). Then, on that port:
 *
 *   agent: CTL_PRIME "\n"           the port is open
 *   host:  a probe frame CTL_PROBE_WARMUP: the bytes take the way a cell
 *          description will take after a restore, so what the kernel sets
 *          up on first use (tty buffers, workqueue workers) is set up
 *          before the snapshot, not while the restored guest reads it
 *   agent: sync(), then waits until no task but itself ran for
 *          CTL_QUIET_MS (guest/quiet.c; at most CTL_QUIET_MAX_MS), then
 *          CTL_READY " quiet_ms=<ms> others_us=<us>\n" (the window it saw
 *          and how long other tasks ran in it), or
 *          CTL_READY " busy=<tasks>\n" when it never got quiet
 *   host:  stops the VM at a moment its vCPU is halted (idle), saves it
 *          with QEMU migration and checks the file (several restores that
 *          each must answer a CTL_PROBE_ALIVE probe)
 *
 * Each cell restores that state, resumes it, and writes its cell.conf on
 * the control port as one frame
 *
 *   @OLC <len> <crc32>\n<len bytes>
 *
 * (len in decimal, crc32 IEEE in 8 hex digits over the bytes, as the
 * stream's). The agent then carries on as a cold agent does after reading
 * /cell.conf (hello first: the stream of a warm cell starts at seq 0).
 * A probe frame has the same shape with CTL_PROBE_MAGIC; its bytes are a
 * command line and padding up to CTL_PROBE_BYTES (a cell description's
 * size):
 *
 *   warmup  (before the snapshot) as above
 *   alive   the agent answers CTL_ALIVE " tasks=<n>\n" (n: tasks started
 *           since CTL_READY) and waits for the next frame
 *   panic   the agent crashes the kernel (sysrq c): a restore that fails,
 *           for the tests (OOMLAB_FAULT_WARM_PANIC)
 *
 * After a restore the host connects to the control port only once the VM
 * runs again: no byte can reach the UART while the migration state is
 * loaded. */
#define WARM_CONF_PATH "/warm.conf"
#define CTL_DEV "/dev/ttyS2"
#define CTL_PRIME "OOMLAB-PRIME"
#define CTL_READY "OOMLAB-READY"
#define CTL_ALIVE "OOMLAB-ALIVE"
#define CTL_MAGIC "@OLC"
#define CTL_PROBE_MAGIC "@OLP"
#define CTL_PROBE_WARMUP "warmup"
#define CTL_PROBE_ALIVE "alive"
#define CTL_PROBE_PANIC "panic"
#define CTL_PROBE_BYTES 2048
#define CTL_QUIET_MS 300
#define CTL_QUIET_MAX_MS 20000
#define CTL_WAIT_MS 120000 /* the agent waits this long (guest time) for the frame */

#include <stddef.h>

#define CELLCONF_PATH "/cell.conf"
#define GUEST_WL_PATH "/bin/oomlab-wl"
#define GUEST_WL32_PATH "/bin/oomlab-wl32"
#define GUEST_MODULE_DIR "/lib/modules"
/* Where the guest's sysctls live (the host only names them; it never
 * writes its own). */
#define GUEST_SYSCTL_DIR "/proc/sys"
/* Where the agent mounts cgroup2 when a cell has memory cgroups. */
#define GUEST_CGROUP_DIR "/sys/fs/cgroup"

struct cell_spec;
struct modset;

/* Data disks: one sparse virtio-blk disk for each workload whose registry
 * entry names a disk_size_opt, in workload order, attached after the swap
 * disk (so /dev/vda, or /dev/vdb when the cell swaps on a disk). The
 * workload gets "--<disk_dev_opt> <dev>" appended to its arguments. */
#define CELL_DATA_DISKS_MAX 8
struct data_disk {
	size_t wl;       /* index of the workload in the cell */
	long long mb;    /* size */
	char dev[16];    /* /dev/vdX in the guest */
};
/* Fills out (up to CELL_DATA_DISKS_MAX) and returns how many. Pure. */
size_t cell_data_disks(const struct cell_spec *cs, struct data_disk *out);
/* The /cell.conf text of a cell (host side; caller frees). Pure. */
char *cellconf_build(const struct cell_spec *cs, const struct modset *mods);
/* The /warm.conf text: the module lines only (caller frees). Pure. */
char *cellconf_build_warm(const struct modset *mods);
/* The control-port frame carrying conf (caller frees; *len its size). */
char *cellconf_frame(const char *conf, size_t *len);

#endif
