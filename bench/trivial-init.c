// SPDX-License-Identifier: GPL-2.0-or-later
/* The benchmark's floor: the smallest PID 1 there is. It powers the VM
 * off at once, so a boot-to-poweroff of the kernel with it is what a VM
 * costs before oomlab does anything. */
#include <sys/reboot.h>
#include <unistd.h>

int main(void)
{
	static const char msg[] = "trivial-init: up\n";

	write(1, msg, sizeof(msg) - 1);
	sync();
	reboot(RB_POWER_OFF);
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}
