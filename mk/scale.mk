# SPDX-License-Identifier: GPL-2.0-or-later
# make test-scale: the scale-out drivers on real engines (tests/scale/run,
# docs/scale-out.md): ci/slurm-submit on a one-node Slurm cluster and
# ci/shard-parallel over ssh to this machine, each merged run compared with
# a single run. Root only (it starts munged, slurmctld, slurmd and sshd in a
# temp dir); ~3 minutes on 2 cores. .ci/run runs it after make test, whose
# kernels it uses (it downloads nothing).
.PHONY: test-scale

test-scale: deps build
	tests/scale/run
