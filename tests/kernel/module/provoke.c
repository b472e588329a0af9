// SPDX-License-Identifier: GPL-2.0
/*
 * provoke: crashes a test guest on request, so that netoops' end-to-end tests
 * see real kernel reports (the Debian cloud kernel has no LKDTM).
 *
 *   echo warn  > /proc/provoke   WARNING in provoke_warn, the kernel carries on
 *   echo oops  > /proc/provoke   NULL-pointer write in provoke_oops, the writer dies
 *   echo bug   > /proc/provoke   BUG() in provoke_bug, the writer dies
 *   echo panic > /proc/provoke   panic() in provoke_panic
 *
 * Each crash lives in its own noinline function so that the RIP line and the
 * call trace name it, which is what the collector titles the crash after.
 */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define PROVOKE_MAX_COMMAND 16

static noinline void provoke_warn(void)
{
	WARN(1, "provoke: requested warning\n");
}

static noinline void provoke_oops(void)
{
	/* volatile: the store must happen, not be proven undefined and dropped. */
	volatile int *nowhere = NULL;

	*nowhere = 0x2a;
}

static noinline void provoke_bug(void)
{
	BUG();
}

static noinline void provoke_panic(void)
{
	panic("provoke: requested panic");
}

struct provoke_action {
	const char *name;
	void (*run)(void);
};

static const struct provoke_action provoke_actions[] = {
	{ "warn", provoke_warn },
	{ "oops", provoke_oops },
	{ "bug", provoke_bug },
	{ "panic", provoke_panic },
};

static ssize_t provoke_write(struct file *file, const char __user *buffer,
			     size_t count, loff_t *position)
{
	char command[PROVOKE_MAX_COMMAND];
	size_t i;

	if (count == 0 || count >= sizeof(command))
		return -EINVAL;
	if (copy_from_user(command, buffer, count))
		return -EFAULT;
	command[count] = '\0';
	strim(command);

	for (i = 0; i < ARRAY_SIZE(provoke_actions); i++) {
		if (strcmp(command, provoke_actions[i].name) == 0) {
			pr_info("provoke: %s requested by %s\n", command, current->comm);
			provoke_actions[i].run();
			return count;
		}
	}
	pr_warn("provoke: unknown command '%s' (want warn, oops, bug or panic)\n", command);
	return -EINVAL;
}

static const struct proc_ops provoke_proc_ops = {
	.proc_write = provoke_write,
	.proc_lseek = noop_llseek,
};

static struct proc_dir_entry *provoke_entry;

static int __init provoke_init(void)
{
	provoke_entry = proc_create("provoke", 0200, NULL, &provoke_proc_ops);
	return provoke_entry ? 0 : -ENOMEM;
}

static void __exit provoke_exit(void)
{
	proc_remove(provoke_entry);
}

module_init(provoke_init);
module_exit(provoke_exit);
MODULE_DESCRIPTION("Provokes a WARN, an oops, a BUG or a panic on request, for end-to-end tests");
MODULE_LICENSE("GPL");
