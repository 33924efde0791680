# SPDX-License-Identifier: GPL-2.0-only
#
# The part of tools/testing/selftests/lib.mk the mshv selftests need, for
# building outside a kernel tree: all, run_tests, install, clean,
# emit_tests, with OUTPUT-prefixed TEST_GEN_PROGS.  Used only when ../lib.mk
# does not exist.

TEST_GEN_PROGS := $(patsubst %,$(OUTPUT)/%,$(TEST_GEN_PROGS))
INSTALL_PATH ?= $(OUTPUT)/install

.PHONY: all run_tests install clean emit_tests
all: $(TEST_GEN_PROGS)

# Like kselftest/runner.sh: a TAP plan over the binaries, each one's own
# TAP nested (indented by "# "), exit 4 reported as a skip.
run_tests: all
	@cd $(OUTPUT) && n=0; fail=0; \
	echo "TAP version 13"; \
	echo "1..$(words $(TEST_GEN_PROGS))"; \
	for t in $(patsubst $(OUTPUT)/%,%,$(TEST_GEN_PROGS)); do \
		n=$$((n + 1)); \
		echo "# selftests: mshv: $$t"; \
		timeout $${MSHV_TEST_TIMEOUT:-300} ./$$t 2>&1 | sed 's/^/# /'; \
		rc=$${PIPESTATUS[0]}; \
		if [ $$rc -eq 0 ]; then echo "ok $$n selftests: mshv: $$t"; \
		elif [ $$rc -eq 4 ]; then echo "ok $$n selftests: mshv: $$t # SKIP"; \
		else echo "not ok $$n selftests: mshv: $$t # exit=$$rc"; fail=1; fi; \
	done; exit $$fail

SHELL := /bin/bash

install: all
	mkdir -p $(INSTALL_PATH)
	cd $(OUTPUT) && cp --parents $(patsubst $(OUTPUT)/%,%,$(TEST_GEN_PROGS)) $(INSTALL_PATH)/

emit_tests:
	@for t in $(patsubst $(OUTPUT)/%,%,$(TEST_GEN_PROGS)); do echo "mshv:$$t"; done

clean:
	rm -rf $(TEST_GEN_PROGS) $(EXTRA_CLEAN)
