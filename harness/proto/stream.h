/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The agent stream: what oomlab-agent (PID 1 in the guest) writes on ttyS1
 * and the host reads back from a file. Shared by the writer (guest) and the
 * parser (host, harness/parse/stream.c).
 *
 * A stream is a sequence of records. Each record is
 *
 *     "@OL1 <kind> <seq> <t_us> <len> <crc>\n" <len payload bytes> "\n"
 *
 * - kind: one of the STREAM_KIND_* words below ([a-z]+, at most 15 chars)
 * - seq: record number, from 0, +1 per record (gaps reveal lost records)
 * - t_us: CLOCK_MONOTONIC of the guest in microseconds (same clock base as
 *   the kernel's printk timestamps, close enough to line them up)
 * - len: payload length in bytes, decimal, at most STREAM_MAX_PAYLOAD
 * - crc: CRC-32 (IEEE, zlib's) of the payload, 8 lowercase hex digits
 *
 * The payload is raw bytes (usually text); the trailing "\n" is not part of
 * it. A truncated stream (panic, killed VM) loses only the record being
 * written: every earlier record is complete and verifiable. A reader that
 * meets a bad header or a CRC mismatch searches for the next "\n@OL1 "
 * and goes on (counting the damage).
 *
 * Payloads by kind (text; one "k=v" per line unless said otherwise):
 *   hello   agent=<version> release=<uname -r> version=<uname -v> machine=
 *           cpus=<online> page_size=<bytes> cmdline=<kernel cmdline>
 *   log     free text from the agent (module loads, swap setup, errors;
 *           "deadline: SIGKILL id= pid=" when it stops a workload, and a
 *           "stats ..." line just before bye)
 *   knob    name=<knob> path=<file> want=<requested> got=<read back>
 *           status=ok|skip|error err=<strerror text, when not ok> (skip: the
 *           file is not there to open; error: the kernel refused the write,
 *           whatever its errno, zswap's ENOENT included); for a
 *           "get" line (read only): want= empty, status=default|absent
 *   swap    dev=<path> size_kb=<n> status=ok|error err=<text>
 *   spawn   id=<workload index> pid=<pid> name=<workload>
 *   out     id=<index> pid=<pid>, then a line "--", then one line (or a
 *           chunk of a long one) the workload wrote on stdout or stderr
 *           (both go to the same pipe)
 *   exit    id=<index> pid=<pid> how=exited|signaled code=<exit code, 0
 *           when signaled> signal=<signo, 0 when exited> maxrss_kb=<ru_maxrss>
 *           utime_us= stime_us=
 *   sample  sections, each "<name> <len>\n" <len bytes> "\n"; names:
 *           meminfo, vmstat (only the lines whose key starts with one of
 *           the prefixes the host asked for), psi (/proc/pressure/memory),
 *           status.<id>.<pid> (/proc/<pid>/status of a live workload),
 *           cgroup.<group> (a memory cgroup of the cell, cellconf.h: its
 *           files, each a section of the same form inside it, named
 *           memory.current, memory.peak, memory.swap.current,
 *           memory.events, memory.stat (only the keys of the cgroup_stat
 *           line) and memory.pressure; a file the kernel lacks is left
 *           out), zswap ("<file> <value>" lines of /sys/kernel/debug/zswap,
 *           when zswap is enabled). t_us is when the sample was taken.
 *   kmsg    one raw /dev/kmsg record ("prio,seq,ts_us,flags;text\n" plus
 *           continuation lines), as read; the record's own ts_us is the
 *           kernel's time. The boot log is forwarded after hello.
 *   trigger id=<index of the cell's PSI trigger> kind=some|full
 *           stall_us=<n> window_us=<n>, and cgroup=<group> for a trigger
 *           on a memory cgroup: the kernel signalled it (POLLPRI on
 *           /proc/pressure/memory or the group's memory.pressure); t_us is
 *           when the agent saw it. One at registration failure:
 *           error=<errno> instead.
 *   stall   id=<index> pid=<pid> start_us=<t> end_us=<t> limit=0|1
 *           psi_full=<full avg10 at the last sample, "12.34">: the workload
 *           made no progress (no oomlab-progress line, its VmRSS + VmSwap
 *           not above its high-water mark by STALL_GROW_KB, not sleeping)
 *           while PSI full avg10 was at or above the cell's threshold,
 *           from start_us (the first such sample) to end_us. limit=1: for
 *           the cell's stall seconds, the agent then SIGKILLs its process
 *           group (its exit record follows); limit=0: the workload ended
 *           (or the deadline came) first, after at least STALL_REPORT_MS
 *           of it. At most one per workload, before its exit record.
 *   bye     reason=done|deadline|error
 */
#ifndef OOMLAB_STREAM_H
#define OOMLAB_STREAM_H

#define STREAM_MAGIC "@OL1 "
#define STREAM_MAX_PAYLOAD (1u << 20)
#define STREAM_MAX_HEADER 96

#define STREAM_KIND_HELLO "hello"
#define STREAM_KIND_LOG "log"
#define STREAM_KIND_KNOB "knob"
#define STREAM_KIND_SWAP "swap"
#define STREAM_KIND_SPAWN "spawn"
#define STREAM_KIND_OUT "out"
#define STREAM_KIND_EXIT "exit"
#define STREAM_KIND_SAMPLE "sample"
#define STREAM_KIND_KMSG "kmsg"
#define STREAM_KIND_BYE "bye"
#define STREAM_KIND_TRIGGER "trigger"
#define STREAM_KIND_STALL "stall"

/* The stall record's rules (guest/stall.c): growth of VmRSS + VmSwap
 * over its high-water mark that counts as progress, and the shortest
 * stall reported when the limit was not reached. */
#define STALL_GROW_KB 1024
#define STALL_REPORT_MS 1000

#endif
