/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Definitions every side compiles with: the host, the guest agent and
 * the workloads. */
#ifndef OOMLAB_MACROS_H
#define OOMLAB_MACROS_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
