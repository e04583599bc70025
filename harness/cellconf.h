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

#define CELLCONF_PATH "/cell.conf"
#define GUEST_WL_PATH "/bin/oomlab-wl"
#define GUEST_WL32_PATH "/bin/oomlab-wl32"
#define GUEST_MODULE_DIR "/lib/modules"

struct cell_spec;
struct modset;
/* The /cell.conf text of a cell (host side; caller frees). Pure. */
char *cellconf_build(const struct cell_spec *cs, const struct modset *mods);

#endif
