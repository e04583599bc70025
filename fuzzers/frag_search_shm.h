/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The page frag-search shares with its fork server (frag-replay --server):
 * the schedule to replay, and what the replay measured. */
#ifndef OOMLAB_FRAGSHM_H
#define OOMLAB_FRAGSHM_H

#include "frag_search_codec.h"

struct fs_shm {
	uint32_t n_ops, n_slots;
	struct fs_result res;
	struct sched_op ops[FS_MAX_OPS];
};

#endif
