/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Launch one throwaway QEMU VM and wait for it, with a wall-clock limit. */
#ifndef OOMLAB_VM_H
#define OOMLAB_VM_H

#include "lib/util.h"

struct vm_spec {
	const char *qemu;         /* NULL: qemu-system-x86_64 from PATH */
	const char *accel;        /* "kvm" or "tcg" */
	const char *image;        /* bzImage */
	const char *initrd;
	const char *append;       /* kernel command line */
	long long ram_mb;
	long long cpus;
	const char *console_path; /* ttyS0 goes here (vm_run: capped, vm/capture.h) */
	const char *stream_path;  /* ttyS1 (agent stream) goes here (the same) */
	/* the stream's shared-memory ring (proto/shmring.h): a file of
	 * SHMRING_SIZE bytes (an inherited memfd's /dev/fd/N), given to the
	 * guest as an ivshmem-plain device; vm_run maps it and reads it
	 * beside ttyS1. NULL: none */
	const char *shm_path;
	const char *swap_disk;    /* raw image for virtio-blk, or NULL */
	const char *const *data_disks; /* more raw images, attached after it */
	size_t n_data_disks;
	const char *qemu_log;     /* qemu's own stdout and stderr (vm_run: capped), or NULL */
	/* warm start (snapshot.c, warm.c) */
	const char *ctl_sock;     /* third serial port (CTL_DEV): a socket qemu listens on */
	const char *qmp_sock;     /* QMP socket qemu listens on */
	int incoming;             /* -incoming defer: the state comes over QMP */
	/* The guest's RAM in a file (docs/warm-starts.md#the-snapshots-ram):
	 * -object memory-backend-file,id=ram0,size=<ram_mb>M,mem-path=ram_path,
	 * share=on|off and -machine memory-backend=ram0. share=on: the
	 * guest writes the file (a snapshot's build); off: a private
	 * copy-on-write mapping of it (a restore). NULL: anonymous RAM. */
	const char *ram_path;
	int ram_share;
	/* Called once qemu runs (vm_run): restore and resume a warm cell.
	 * Returns 0, or -1 with err (qemu is then killed). */
	int (*on_start)(void *ctx, pid_t pid, struct buf *err);
	void *on_start_ctx;
	/* where on_start says when (now_s()) the cell's turn came, when its
	 * VM was restored ahead of it and waited (0: it did not): the cell's
	 * time starts then, the timeout and the timings count from there,
	 * as if the VM had been started at that moment (NULL: never) */
	const double *on_start_turn_s;
	/* > 0: kill the VM when the agent has not said hello this long
	 * after it started (a restore that went wrong; vm_result.no_hello) */
	int hello_timeout_s;
	/* kill the VM as soon as the agent's bye record has come whole (the
	 * end-of-cell handshake: the agent said bye once the kernel log was
	 * drained; what it does after, power off, is no result) */
	int stop_at_bye;
};

struct vm_result {
	int status;       /* wait status of qemu */
	int timed_out;    /* killed at the wall-clock limit */
	int interrupted;  /* killed because the user interrupted (SIGINT/SIGTERM) */
	int no_hello;     /* killed at vm_spec.hello_timeout_s without a hello */
	int stopped_at_bye; /* killed at the agent's bye (vm_spec.stop_at_bye) */
	double wall_s;
	/* host seconds after qemu started when the stream showed the first
	 * workload spawn and the last workload exit; < 0: not seen */
	double t_first_spawn_s, t_last_exit_s;
	double t_hello_s;         /* the agent's hello, likewise; < 0: not seen */
	double t_started_s;       /* on_start returned (the guest runs); < 0: none */
	/* what each port printed, and what its file does not keep (the
	 * middle, between the capture's head and tail: vm/capture.h) */
	long long console_bytes, stream_bytes;
	long long console_dropped, stream_dropped;
	int capture_errno;        /* a port's file could not be written (ENOSPC...) */
};

/* How the VM ended, a word of the cell report's timings.vm_end: "bye"
 * (stopped at the agent's bye), "qemu_exit" (qemu ended by itself: the
 * guest powered off, or its kernel panicked), "timeout", "interrupted",
 * "no_hello". */
const char *vm_end_word(const struct vm_result *r);

/* Build the argv (NULL-terminated; free with vm_argv_free). */
char **vm_argv(const struct vm_spec *s);
void vm_argv_free(char **argv);

/* A sparse raw disk image of mb MiB (what a swap or data disk starts as).
 * 0 or -1 (err). */
int vm_make_disk(const char *path, long long mb, struct buf *err);

/* Start qemu (argv from s); its stderr goes to s->qemu_log. 0 or -1 (err). */
int vm_spawn(const struct vm_spec *s, pid_t *pid, struct buf *err);
/* SIGKILL our qemu (by pid) and reap it; *status if not NULL. */
void vm_kill(pid_t pid, int *status);

/* Run the VM; kill it (SIGKILL, by pid) after timeout_s. Its serial ports
 * and its own log go through a capture each (pipes read while it runs)
 * into console_path, stream_path and qemu_log, at most CAPTURE_*_HEAD +
 * CAPTURE_*_TAIL bytes each.
 * Returns 0 when qemu ran (whatever its exit), -1 when it could not be
 * started (err says why). */
int vm_run(const struct vm_spec *s, int timeout_s, struct vm_result *r, struct buf *err);

/* 1 when qemu (NULL: qemu-system-x86_64) is an executable in PATH (or at
 * that path), else 0. */
int vm_qemu_found(const char *qemu);

/* "kvm" when /dev/kvm opens and a probe VM really starts the kernel, else
 * "tcg". Probes once per process. */
const char *vm_detect_accel(const char *image);

/* Set by the SIGINT/SIGTERM handler that vm_install_signals() installs. */
extern volatile int vm_stop_requested;
void vm_install_signals(void);

#endif
