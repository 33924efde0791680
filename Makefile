# SPDX-License-Identifier: GPL-2.0-only
#
# mshv-dkms top-level Makefile.  Kbuild reads ./Kbuild, not this file.
#
#   make              build the modules (and userspace, when present)
#   make check        install missing packages, build, run every test
#   make demo         boot a VM with mshv_root + hvsim and run a guest
#   make install      DKMS install of mshv_root for KVER (root)
#   make uninstall    undo make install
#
# KDIR picks the kernel tree; KVER its release.  Default (scripts/pick-kernel.sh):
# the running kernel's headers if installed, else those of the kernel the VM
# tests boot, else the newest /lib/modules/*/build.

VERSION := $(shell cat $(CURDIR)/VERSION)

ifeq ($(KDIR),)
KVER ?= $(shell $(CURDIR)/scripts/pick-kernel.sh)
KDIR := /lib/modules/$(KVER)/build
else
KVER ?= $(shell $(CURDIR)/scripts/pick-kernel.sh $(KDIR))
endif

BUILD ?= $(CURDIR)/build
KBUILD_ARGS := -C $(KDIR) M=$(CURDIR) MSHV_DKMS_VERSION=$(VERSION)

.PHONY: all modules dkms-build user clean modules-clean distclean check demo \
	install uninstall checkpatch kdir

all: modules user

kdir:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "mshv-dkms: no kernel tree at '$(KDIR)'; install headers" \
		     "(scripts/install-deps.sh build) or pass KDIR=" >&2; \
		exit 1; \
	fi
	@echo "mshv-dkms: building against $(KDIR) ($(KVER))"

modules: kdir
	$(MAKE) $(KBUILD_ARGS) modules

# What dkms.conf runs: mshv_root only, never the simulator.
dkms-build: kdir
	$(MAKE) $(KBUILD_ARGS) MSHV_HVSIM=n modules

# libmshv, mshv-run, hello-guest, unit tests (user/Makefile), the selftests
# (selftests/mshv/Makefile), and the uapi ABI test.
user:
	@mkdir -p $(BUILD)/user
	$(CC) -O2 -Wall -Wextra -Werror -I$(CURDIR)/uapi \
		-o $(BUILD)/user/uapi_abi_test user/tests/uapi_abi_test.c
	$(MAKE) -C user O=$(BUILD)/user
	$(MAKE) -C selftests/mshv O=$(BUILD)/selftests

# Build outputs only; build/tools, build/vm and build/kernels (the kernel
# matrix's unpacked Debian kernels) are download caches that "make distclean"
# removes as well.
clean: modules-clean
	rm -rf $(BUILD)/user $(BUILD)/selftests $(BUILD)/x86 $(BUILD)/check

# The kbuild objects.  Kbuild's external-module clean deletes every *.o, *.ko,
# modules.order, .*.cmd, ... anywhere under M=, so it must not run on this
# directory: that would empty build/kernels/*/root/lib/modules.  All objects
# are under driver/ (./Kbuild is only "obj-m += driver/"), so the clean runs
# there, and the few files kbuild writes here (modpost's; 6.10+ also
# .module-common.o) are removed by name.
KBUILD_TOP_OUTPUTS := Module.symvers modules.order modules.nsdeps \
	compile_commands.json .module-common.o .*.cmd
modules-clean:
	-[ -d "$(KDIR)" ] && $(MAKE) -C $(KDIR) M=$(CURDIR)/driver clean
	cd $(CURDIR) && rm -f $(KBUILD_TOP_OUTPUTS)

distclean: clean
	rm -rf $(BUILD)

check:
	scripts/check.sh

demo:
	scripts/demo.sh

install:
	scripts/dkms-install.sh install $(KVER)

uninstall:
	scripts/dkms-install.sh uninstall $(KVER)

checkpatch:
	scripts/checkpatch.sh
