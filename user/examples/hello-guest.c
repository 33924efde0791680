// SPDX-License-Identifier: GPL-2.0-only
/*
 * hello-guest - the smallest useful VMM on /dev/mshv.
 *
 * Creates a partition with 64 KiB of RAM, loads a 16-bit real-mode guest at
 * 0000:1000 and runs it.  The guest prints a line through a 16550-style
 * UART: for each character it polls the line status register (port 0x3fd)
 * until "transmitter holding register empty" (bit 5) is set, then writes the
 * character to the data register (port 0x3f8); at the end it halts.
 *
 * The VMM emulates those two ports: it answers IN 0x3fd with 0x60 (THRE and
 * TEMT), prints what the guest OUTs to 0x3f8, and - as with every intercept
 * in this API - advances RIP past the instruction itself.  Each exit is
 * printed (unless -q), then the guest's text.
 *
 * Exit status: 0 when the guest halted after printing its line, 4 when
 * /dev/mshv is not available, 1 on any other error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mshv/mshv.h>

#define GUEST_IP	0x1000
#define RAM_SIZE	0x10000
#define UART_DATA	0x3f8
#define UART_LSR	0x3fd
#define LSR_THRE_TEMT	0x60

/* Hand-assembled; the offsets in the comments are guest addresses. */
static const unsigned char guest[] = {
	0xbe, 0x1b, 0x10,	/* 1000: mov si, msg		*/
	0xac,			/* 1003: next: lodsb		*/
	0x84, 0xc0,		/* 1004: test al, al		*/
	0x74, 0x12,		/* 1006: jz done		*/
	0x88, 0xc4,		/* 1008: mov ah, al		*/
	0xba, 0xfd, 0x03,	/* 100a: wait: mov dx, 0x3fd	*/
	0xec,			/* 100d: in al, dx		*/
	0xa8, 0x20,		/* 100e: test al, 0x20 (THRE)	*/
	0x74, 0xf8,		/* 1010: jz wait		*/
	0xba, 0xf8, 0x03,	/* 1012: mov dx, 0x3f8		*/
	0x88, 0xe0,		/* 1015: mov al, ah		*/
	0xee,			/* 1017: out dx, al		*/
	0xeb, 0xe9,		/* 1018: jmp next		*/
	0xf4,			/* 101a: done: hlt		*/
	/* 101b: msg */
	'H', 'e', 'l', 'l', 'o', ',', ' ', 'w', 'o', 'r', 'l', 'd', ' ', 'f', 'r',
	'o', 'm', ' ', 'a', ' ', 'r', 'e', 'a', 'l', '-', 'm', 'o', 'd', 'e', ' ',
	'g', 'u', 'e', 's', 't', ' ', 'o', 'n', ' ', '/', 'd', 'e', 'v', '/', 'm',
	's', 'h', 'v', '!', '\n', 0,
};

static int fail(const char *what, int err)
{
	fprintf(stderr, "hello-guest: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(int argc, char **argv)
{
	bool quiet = argc > 1 && !strcmp(argv[1], "-q");
	char text[256], desc[256];
	unsigned int len = 0, exits = 0;
	struct mshv_exit e;
	struct mshv_vm *vm;
	struct mshv_vp *vp;
	void *ram;
	int ret;

	ret = mshv_vm_create(NULL, &vm);
	if (ret == -ENOENT || ret == -EACCES || ret == -ENODEV || ret == -ENXIO) {
		printf("hello-guest: %s unavailable (%s): skipped\n", MSHV_DEV_PATH,
		       strerror(-ret));
		return 4;
	}
	if (ret)
		return fail("creating and initializing the partition", ret);
	ret = mshv_vm_add_memory(vm, 0, RAM_SIZE,
				 (1 << MSHV_SET_MEM_BIT_WRITABLE) |
				 (1 << MSHV_SET_MEM_BIT_EXECUTABLE), 0, &ram);
	if (ret)
		return fail("mapping guest RAM", ret);
	memcpy((char *)ram + GUEST_IP, guest, sizeof(guest));
	ret = mshv_vp_create(vm, 0, &vp);
	if (ret)
		return fail("creating VP 0", ret);
	ret = mshv_vp_setup_real_mode(vp, 0, GUEST_IP, 0x8000);
	if (ret)
		return fail("setting the real-mode registers", ret);

	for (;;) {
		ret = mshv_vp_run(vp, &e);
		if (ret == -EINTR)	/* a signal or pending kernel work: re-enter */
			continue;
		if (ret)
			return fail("MSHV_RUN_VP", ret);
		exits++;
		if (!quiet)
			printf("exit %u: %s\n", exits, mshv_exit_describe(&e, desc, sizeof(desc)));
		if (e.reason == MSHV_EXIT_HALT)
			break;
		if (e.reason != MSHV_EXIT_IO) {
			fprintf(stderr, "hello-guest: unexpected exit: %s\n", desc);
			return 1;
		}
		if (!e.io.is_write && e.io.port == UART_LSR) {
			ret = mshv_vp_set_reg(vp, HV_X64_REGISTER_RAX,
					      (e.io.rax & ~0xffULL) | LSR_THRE_TEMT);
			if (ret)
				return fail("setting RAX for IN", ret);
		} else if (e.io.is_write && e.io.port == UART_DATA) {
			if (len < sizeof(text) - 1)
				text[len++] = (char)e.io.rax;
		} else {
			fprintf(stderr, "hello-guest: access to unemulated port: %s\n", desc);
			return 1;
		}
		ret = mshv_vp_skip_insn(vp, &e);
		if (ret)
			return fail("advancing RIP", ret);
	}
	text[len] = '\0';
	printf("guest printed: %s", text);
	printf("guest halted after %u exits\n", exits);
	mshv_vm_free(vm);
	return strcmp(text, (const char *)guest + 0x1b) ? 1 : 0;
}
