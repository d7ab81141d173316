# Cabin — build, run and test. Every dependency comes through pkg-config; outputs go
# under build/. Sources are found by wildcard, so adding a file needs no edit here.
# Targets: all (default), run, test, bench, check-mem, fuzz, soak, clean.

CC      ?= cc
BUILD   ?= build
PKGS    := sdl2 SDL2_ttf SDL2_image libusb-1.0 libudev openssl sqlite3 libwebsockets \
           jansson inih libavdevice libavcodec libavformat libavfilter libavutil \
           libswscale libswresample libsystemd gstreamer-1.0 gstreamer-app-1.0 \
           gstreamer-sdp-1.0 gstreamer-webrtc-1.0
# Only checked when building, so `make install-deps` works before pkg-config exists.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS  = $(shell pkg-config --libs cmocka umockdev-1.0 2>/dev/null)
TEST_CFLAGS = $(shell pkg-config --cflags cmocka umockdev-1.0 2>/dev/null)

# `make V=1` shows whole command lines.
ifeq ($(V),1)
Q :=
else
Q := @
endif

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) -I. -Icommon -Idevices/include \
             -I$(BUILD)/gen -DCABIN_VERSION=\"$(VERSION)\" $(PKG_CFLAGS) $(EXTRA_CFLAGS)
# `make DEBUG=1 BUILD=build/debug`: debug build with the kiosk escape keys (docs/service.md).
ALL_CFLAGS += $(if $(filter 1,$(DEBUG)),-DCABIN_DEBUG)
LDLIBS_ALL = $(PKG_LIBS) -lpthread -lm $(EXTRA_LDFLAGS)
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)

# --- sources ---------------------------------------------------------------
MAINS        := kiosk/main.c doctor/main.c devices/cli/main.c
LIB_SRC      := $(filter-out $(MAINS),$(sort $(wildcard common/*.c devices/*/*.c \
                 devices/*/*/*.c kiosk/*/*.c kiosk/*/*/*.c doctor/*.c devices/cli/*.c)))
LIB_SRC      := $(filter-out devices/cli/%,$(LIB_SRC))
CLI_SRC      := $(filter-out devices/cli/main.c,$(wildcard devices/cli/*.c))
GEN_SRC      := $(BUILD)/gen/driver_registry.c
LIB_OBJ      := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/driver_registry.o
CLI_OBJ      := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRC))
LIB          := $(BUILD)/libcabin.a
UNIT_SRC     := $(sort $(wildcard tests/unit/test_*.c tests/unit/*/test_*.c))
UNIT_BIN     := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRC))
TESTLIB_SRC  := $(wildcard tests/lib/*.c)
TESTLIB_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(TESTLIB_SRC))
BENCH_SRC    := $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BIN    := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
HELPER_SRC   := $(sort $(wildcard tests/helpers/*.c))
HELPER_BIN   := $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(HELPER_SRC))
PO           := $(wildcard assets/locale/*.po)
MO           := $(patsubst assets/locale/%.po,$(BUILD)/locale/%/LC_MESSAGES/cabin.mo,$(PO))
BINS         := $(BUILD)/cabin $(BUILD)/cabin-doctor $(BUILD)/cabin-devices

.PHONY: all run test bench check-mem fuzz fuzz-smoke soak clean install-deps tests format
all: $(BINS) $(MO) $(HELPER_BIN) assets-gen

install-deps:
	@scripts/install-deps

# --- compile ---------------------------------------------------------------
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo '  CC      $<'
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	@echo '  CC      $<'
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The driver registry is generated from the list of driver files (STYLE.md #1).
$(BUILD)/gen/driver_registry.c: scripts/gen-driver-registry $(wildcard devices/drivers/*.c)
	@mkdir -p $(dir $@)
	$(Q)scripts/gen-driver-registry $(sort $(wildcard devices/drivers/*.c)) > $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@echo '  AR      $@'
	$(Q)ar rcs $@ $^

$(BUILD)/cabin: $(BUILD)/obj/kiosk/main.o $(LIB)
	@echo '  LD      $@'
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_ALL)
$(BUILD)/cabin-doctor: $(BUILD)/obj/doctor/main.o $(LIB)
	@echo '  LD      $@'
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_ALL)
$(BUILD)/cabin-devices: $(BUILD)/obj/devices/cli/main.o $(CLI_OBJ) $(LIB)
	@echo '  LD      $@'
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/locale/%/LC_MESSAGES/cabin.mo: assets/locale/%.po
	@mkdir -p $(dir $@)
	$(Q)msgfmt --check -o $@ $<

# Generated assets (e.g. the INSEE commune list) are made by scripts/gen-assets.
.PHONY: assets-gen
assets-gen:
	@if [ -x scripts/gen-assets ]; then scripts/gen-assets $(BUILD); fi

# --- tests -----------------------------------------------------------------
$(BUILD)/tests/unit/%: tests/unit/%.c $(TESTLIB_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@echo '  LD      $@'
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/lib -o $@ $< $(TESTLIB_OBJ) $(LIB) $(LDLIBS_ALL) $(TEST_LIBS)

$(BUILD)/tests/helpers/%: tests/helpers/%.c $(TESTLIB_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@echo '  LD      $@'
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/lib -o $@ $< $(TESTLIB_OBJ) $(LIB) $(LDLIBS_ALL) $(TEST_LIBS)

$(BUILD)/bench/%: tests/bench/%.c $(TESTLIB_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@echo '  LD      $@'
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/lib -o $@ $< $(TESTLIB_OBJ) $(LIB) $(LDLIBS_ALL) $(TEST_LIBS)

tests: all $(UNIT_BIN) $(HELPER_BIN)

# `make test`: install what is missing, build, run every suite; last line "N passed, N failed".
test: install-deps
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory fuzz-build
	@tests/run $(BUILD)

# `make run`: the demo — cabin-doctor on 127.0.0.1 and the cabin with simulated instruments.
run: install-deps
	@$(MAKE) --no-print-directory all
	@scripts/run-demo $(BUILD)

bench: install-deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@tests/bench/run $(BUILD)

soak: install-deps
	@$(MAKE) --no-print-directory tests
	@tests/e2e/soak $(BUILD)

# --- sanitizers and valgrind -------------------------------------------------
check-mem: install-deps
	@$(MAKE) --no-print-directory BUILD=build/asan CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined" tests
	@CABIN_SANITIZED=1 tests/run build/asan --unit-only
	@$(MAKE) --no-print-directory tests
	@tests/valgrind $(BUILD)

# --- fuzzing: one libFuzzer target per parser, tests/fuzz/fuzz_<name>.c -----
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
FUZZ_FLAGS := -g -O1 -fno-inline -fsanitize=fuzzer,address,undefined
.PHONY: fuzz-build
fuzz-build:
	@if [ -n "$(FUZZ_SRC)" ]; then $(MAKE) --no-print-directory BUILD=build/fuzzlib CC=clang \
	    CFLAGS="-g -O1 -fno-inline -fsanitize=fuzzer-no-link,address,undefined" build/fuzzlib/libcabin.a && \
	    $(MAKE) --no-print-directory $(FUZZ_BIN); fi
$(BUILD)/fuzz/%: tests/fuzz/%.c build/fuzzlib/libcabin.a
	@mkdir -p $(dir $@)
	@echo '  FUZZ    $@'
	$(Q)clang -std=c17 -D_GNU_SOURCE $(FUZZ_FLAGS) -I. -Icommon -Idevices/include $(PKG_CFLAGS) -o $@ $< build/fuzzlib/libcabin.a $(LDLIBS_ALL)
fuzz: install-deps fuzz-build
	@tests/fuzz/run $(BUILD) $${FUZZ_SECONDS:-60}

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
