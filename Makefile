# A thin wrapper around meson, for the commands in the README.
#
#   make          build (installs the Debian packages it needs first)
#   make check    build, then run every test: unit, integration, the unit
#                 tests again under ASan+UBSan, and each fuzz corpus replayed
#   make bench    build and run the benchmarks in bench/
#   make demo     build, import the example posts into ./horch.db, say what to try
#   make fuzz     fuzz each parser for FUZZ_SECONDS (default 60) seconds
#   make clean    remove the build directories
BUILD ?= build
ASAN ?= build-asan
FUZZ_SECONDS ?= 60

.PHONY: all bootstrap check asan bench demo fuzz clean install

all: bootstrap $(BUILD)/build.ninja
	ninja -C $(BUILD)

bootstrap:
	@scripts/bootstrap
	@scripts/web-deps

# web/meson.build names files that scripts/web-deps installs: setting up
# needs them (order-only: bootstrap does not make the setup stale).
$(BUILD)/build.ninja: | bootstrap
	meson setup $(BUILD)

$(ASAN)/build.ninja: | bootstrap
	CC=clang meson setup $(ASAN) -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false

asan: bootstrap $(ASAN)/build.ninja
	ninja -C $(ASAN)

check: all asan
	tests/run $(BUILD) $(ASAN)

bench: all
	scripts/bench $(BUILD)

demo: all
	scripts/demo $(BUILD)

fuzz: asan
	@for t in $(ASAN)/tests/fuzz/fuzz_*; do \
	  [ -f $$t ] && [ -x $$t ] || continue; \
	  name=$${t##*/fuzz_}; \
	  echo "fuzzing $$name for $(FUZZ_SECONDS) s"; \
	  mkdir -p $(ASAN)/fuzz-corpus/$$name; \
	  dict=tests/fuzz/$$name.dict; \
	  $$t -max_total_time=$(FUZZ_SECONDS) $$( [ -f $$dict ] && echo -dict=$$dict ) \
	    $(ASAN)/fuzz-corpus/$$name tests/fuzz/corpus/$$name || exit 1; \
	done

install: all
	meson install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN)
