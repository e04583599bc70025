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
 *   vmstat      <prefix> [<prefix>...]     vmstat keys to include in samples
 *                                          (none: every line)
 *   module      <path in initramfs>        load in order (finit_module)
 *   set         <knob> <path> <value>      write value to path, read back
 *   get         <knob> <path>              only read it (knob record with
 *                                          status=default, or absent)
 *   swap        <device path>              mkswap + swapon (waits for the device);
 *                                          at most one
 *   mode        together|sequence          how workloads run
 *   workload    <id> <name> <rlimit_as_bytes|-> <oom_score_adj|-> <argv0> [args...]
 *                                          "-" for oom_score_adj means 0 (the
 *                                          agent's own -1000 is never inherited)
 *   delay       <id> <ms>                  start workload <id> (an earlier line)
 *                                          ms after the run phase begins
 *
 * Paths are absolute. Knobs are applied in file order, all before swap is
 * enabled and before the first workload starts. Any bad line is reported
 * (a log record naming it) and is fatal: the agent says bye reason=error.
 */
#ifndef OOMLAB_CELLCONF_H
#define OOMLAB_CELLCONF_H

/* Warm start. An initramfs without /cell.conf boots the agent in warm
 * mode: it loads the modules of /warm.conf (only "module" lines), opens
 * the control port CTL_DEV (the third serial port, raw), writes the line
 * CTL_READY there and blocks reading it. The host then stops the VM and
 * saves it with QEMU migration. Each cell restores that state, resumes it,
 * and writes its cell.conf on the control port as one frame
 *
 *   @OLC <len> <crc32>\n<len bytes>
 *
 * (len in decimal, crc32 IEEE in 8 hex digits over the bytes, as the
 * stream's). The agent then carries on as a cold agent does after reading
 * /cell.conf (hello first: the stream of a warm cell starts at seq 0).
 * The control port is a QEMU socket chardev the host connects to only
 * after the VM runs again: no byte can reach the UART while the
 * migration state is loaded. */
#define WARM_CONF_PATH "/warm.conf"
#define CTL_DEV "/dev/ttyS2"
#define CTL_READY "OOMLAB-READY"
#define CTL_MAGIC "@OLC"
#define CTL_WAIT_MS 120000 /* the agent waits this long (guest time) for the frame */

#include <stddef.h>

#define CELLCONF_PATH "/cell.conf"
#define GUEST_WL_PATH "/bin/oomlab-wl"
#define GUEST_WL32_PATH "/bin/oomlab-wl32"
#define GUEST_MODULE_DIR "/lib/modules"
/* Where the guest's sysctls live (the host only names them; it never
 * writes its own). */
#define GUEST_SYSCTL_DIR "/proc/sys"

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
