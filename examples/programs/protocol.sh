#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The workload protocol from a shell script (docs/workload-protocol.md):
# the guest has no shell of its own, so the exec workload runs the host's
# /bin/sh (allowed with --allow-file /bin/sh) with this script as its
# argument, carried along in "files":
#   {"name": "exec", "options": {"path": "/bin/sh", "args": ["protocol.sh"],
#                                "files": ["protocol.sh"]}}
echo "oomlab-progress mb=1"
echo "oomlab-progress mb=2"
echo "oomlab-metric lines=4 shell=1"
echo "oomlab-result workload=protocol-sh reason=done bytes=2097152"
