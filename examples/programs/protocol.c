// SPDX-License-Identifier: GPL-2.0-or-later
/* The smallest program that gives oomlab its figures (the workload
 * protocol, docs/workload-protocol.md): it takes 3 blocks of 4 MiB,
 * writes them, and says so. Run by the exec workload:
 *   {"name": "exec", "options": {"path": "protocol"}}
 * Its cell report then has mb_reached 12 and the metrics below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	size_t mb = 0;

	setvbuf(stdout, NULL, _IONBF, 0); /* each line out at once */
	for (int i = 0; i < 3; i++) {
		char *p = malloc(4 << 20);
		if (!p) {
			printf("oomlab-result workload=protocol reason=enomem bytes=%zu\n", mb << 20);
			return 0;
		}
		memset(p, 1, 4 << 20);
		mb += 4;
		printf("oomlab-progress mb=%zu\n", mb);
	}
	printf("oomlab-metric blocks=3 block_mb=4\n");
	printf("oomlab-metric speed_mb_s=12.5\n");
	printf("oomlab-result workload=protocol reason=done bytes=%zu\n", mb << 20);
	return 0;
}
