# Cabin — build, run and test. Every dependency comes through pkg-config; outputs go
# under build/. Sources are found by wildcard, so adding a file needs no edit here.
# Targets: all (default), run, test, bench, check-mem, fuzz, soak, install, deb, clean.
# Honours CPPFLAGS, CFLAGS, LDFLAGS (e.g. from dpkg-buildflags); WERROR=0 drops -Werror.
# Every output, the sanitizer and fuzz builds included, goes under $(BUILD).

CC      ?= cc
BUILD   ?= build
PKGS    := sdl2 SDL2_ttf SDL2_image libusb-1.0 libudev openssl sqlite3 libwebsockets libcurl libqrencode \
           jansson inih libavdevice libavcodec libavformat libavfilter libavutil \
           libswscale libswresample libsystemd espeak-ng gstreamer-1.0 gstreamer-app-1.0 \
           gstreamer-sdp-1.0 gstreamer-webrtc-1.0
# Only checked when building, so `make install-deps` works before pkg-config exists.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(CUPS_LIBS)
# libcups has no .pc file in Debian 12: its own cups-config says how to link it.
CUPS_LIBS  = $(shell cups-config --libs 2>/dev/null)
TEST_PKGS  := cmocka umockdev-1.0
TEST_LIBS  = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)

# --- install directories (GNU names; `make install PREFIX=/usr DESTDIR=...`) ---------
# The data, configuration and state directories are compiled in (common/install_dirs.h);
# an installed binary also finds its data relative to itself, so a DESTDIR tree works.
PREFIX        ?= /usr/local
prefix        ?= $(PREFIX)
bindir        ?= $(prefix)/bin
pkglibexecdir ?= $(prefix)/lib/cabin
datadir       ?= $(prefix)/share
pkgdatadir    ?= $(datadir)/cabin
localedir     ?= $(datadir)/locale
docdir        ?= $(datadir)/doc/cabin
sysconfdir    ?= /etc
localstatedir ?= /var
unitdir       ?= $(or $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null),$(prefix)/lib/systemd/system)
udevrulesdir  ?= $(patsubst %/systemd/system,%/udev/rules.d,$(unitdir))
sysusersdir   ?= $(or $(shell pkg-config --variable=sysusersdir systemd 2>/dev/null),$(prefix)/lib/sysusers.d)
relpath = $(shell realpath -m --relative-to=$(1) $(2))

# `make V=1` shows whole command lines.
ifeq ($(V),1)
Q :=
else
Q := @
endif

WERROR  ?= 1
WARN    := -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) $(CPPFLAGS) $(CFLAGS) -I. -Icommon -Idevices/include \
             -I$(BUILD)/gen -DCABIN_VERSION=\"$(VERSION)\" $(PKG_CFLAGS) $(EXTRA_CFLAGS)
# `make DEBUG=1 BUILD=build/debug`: debug build with the kiosk escape keys (docs/service.md).
ALL_CFLAGS += $(if $(filter 1,$(DEBUG)),-DCABIN_DEBUG)
LDLIBS_ALL = $(LDFLAGS) $(PKG_LIBS) -lpthread -lm $(EXTRA_LDFLAGS)
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

.PHONY: all run test bench check-mem fuzz fuzz-smoke soak clean install-deps tests format \
        install deb check-pkgs check-test-pkgs
all: $(BINS) $(MO) $(HELPER_BIN) assets-gen

install-deps:
	@scripts/install-deps

# Stops with the names of the missing pkg-config packages (each build, not at parse
# time, so that `make install-deps` and `make test` can install them first).
check-pkgs:
	@missing=; for p in $(PKGS); do pkg-config --exists $$p || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "error: pkg-config cannot find:$$missing" \
	  "(run 'make install-deps', or install their -dev packages)" >&2; exit 1; fi
check-test-pkgs:
	@missing=; for p in $(TEST_PKGS); do pkg-config --exists $$p || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "error: pkg-config cannot find:$$missing" \
	  "(run 'make install-deps', or install their -dev packages)" >&2; exit 1; fi

# The compiled-in install directories; rewritten only when a value changes.
$(BUILD)/gen/install_dirs_gen.h: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '/* generated by the Makefile from the install directories */' \
	  '#define CAB_PKGDATADIR "$(pkgdatadir)"' '#define CAB_SYSCONFDIR "$(sysconfdir)"' \
	  '#define CAB_LOCALSTATEDIR "$(localstatedir)"' \
	  '#define CAB_BINDIR_TO_DATA "$(call relpath,$(bindir),$(pkgdatadir))"' \
	  '#define CAB_LIBEXECDIR_TO_DATA "$(call relpath,$(pkglibexecdir),$(pkgdatadir))"' >$@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi
$(BUILD)/obj/common/install_dirs.o: $(BUILD)/gen/install_dirs_gen.h
.PHONY: FORCE
FORCE:

# --- compile ---------------------------------------------------------------
$(BUILD)/obj/%.o: %.c | check-pkgs
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
$(BUILD)/tests/unit/%: tests/unit/%.c $(TESTLIB_OBJ) $(LIB) | check-test-pkgs
	@mkdir -p $(dir $@)
	@echo '  LD      $@'
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/lib -o $@ $< $(TESTLIB_OBJ) $(LIB) $(LDLIBS_ALL) $(TEST_LIBS)

$(BUILD)/tests/helpers/%: tests/helpers/%.c $(TESTLIB_OBJ) $(LIB) | check-test-pkgs
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
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined" tests
	@CABIN_SANITIZED=1 tests/run $(BUILD)/asan --unit-only
	@$(MAKE) --no-print-directory tests
	@tests/valgrind $(BUILD)

# --- fuzzing: one libFuzzer target per parser, tests/fuzz/fuzz_<name>.c -----
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
FUZZ_FLAGS := -g -O1 -fno-inline -fsanitize=fuzzer,address,undefined
.PHONY: fuzz-build
FUZZLIB   := $(BUILD)/fuzzlib/libcabin.a
fuzz-build:
	@if [ -n "$(FUZZ_SRC)" ]; then $(MAKE) --no-print-directory BUILD=$(BUILD)/fuzzlib CC=clang \
	    CFLAGS="-g -O1 -fno-inline -fsanitize=fuzzer-no-link,address,undefined" $(FUZZLIB) && \
	    $(MAKE) --no-print-directory $(FUZZ_BIN); fi
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZLIB)
	@mkdir -p $(dir $@)
	@echo '  FUZZ    $@'
	$(Q)clang -std=c17 -D_GNU_SOURCE $(FUZZ_FLAGS) $(CPPFLAGS) -I. -Icommon -Idevices/include $(PKG_CFLAGS) -o $@ $< $(FUZZLIB) $(LDLIBS_ALL)
fuzz: install-deps fuzz-build
	@tests/fuzz/run $(BUILD) $${FUZZ_SECONDS:-60}

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

# --- install (README "Install") ----------------------------------------------
# Binaries: cabin in $(pkglibexecdir) (started by its unit under cage, not by users),
# cabin-doctor and cabin-devices in $(bindir). Data in $(pkgdatadir): images, country
# list, communes, the console's web assets; translations in $(localedir). The unit,
# udev rules and the sysusers.d entry (the cabin user) where systemd looks for them;
# the example configurations in $(sysconfdir)/cabin (never over an existing file).
INSTALL ?= install
install: all
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(pkglibexecdir) $(DESTDIR)$(pkgdatadir) \
	  $(DESTDIR)$(unitdir) $(DESTDIR)$(udevrulesdir) $(DESTDIR)$(sysusersdir) $(DESTDIR)$(docdir)
	$(INSTALL) -m 0755 $(BUILD)/cabin $(DESTDIR)$(pkglibexecdir)/cabin
	$(INSTALL) -m 0755 $(BUILD)/cabin-doctor $(BUILD)/cabin-devices $(DESTDIR)$(bindir)/
	cp -R assets/images assets/identity $(DESTDIR)$(pkgdatadir)/
	for d in $(wildcard assets/console doctor/console); do \
	  $(INSTALL) -d $(DESTDIR)$(pkgdatadir)/console && cp -R $$d/. $(DESTDIR)$(pkgdatadir)/console/; done
	if [ -f $(BUILD)/assets/communes.tsv ]; then \
	  $(INSTALL) -m 0644 $(BUILD)/assets/communes.tsv $(DESTDIR)$(pkgdatadir)/; fi
	chmod -R u=rwX,go=rX $(DESTDIR)$(pkgdatadir)
	for mo in $(MO); do l=$${mo#$(BUILD)/locale/}; $(INSTALL) -D -m 0644 $$mo $(DESTDIR)$(localedir)/$$l; done
	sed 's|/usr/lib/cabin/cabin|$(pkglibexecdir)/cabin|' assets/systemd/cabin.service \
	  >$(DESTDIR)$(unitdir)/cabin.service && chmod 0644 $(DESTDIR)$(unitdir)/cabin.service
	sed -e 's|/usr/bin/cabin-doctor|$(bindir)/cabin-doctor|' -e 's|/etc/cabin-doctor|$(sysconfdir)/cabin-doctor|g' \
	  -e 's|/var/lib/cabin-doctor|$(localstatedir)/lib/cabin-doctor|' assets/systemd/cabin-doctor.service \
	  >$(DESTDIR)$(unitdir)/cabin-doctor.service && chmod 0644 $(DESTDIR)$(unitdir)/cabin-doctor.service
	$(INSTALL) -m 0644 assets/udev/70-cabin-instruments.rules $(DESTDIR)$(udevrulesdir)/
	$(INSTALL) -m 0644 assets/systemd/cabin.sysusers $(DESTDIR)$(sysusersdir)/cabin.conf
	$(INSTALL) -m 0644 docs/service.md $(DESTDIR)$(docdir)/
	$(INSTALL) -d $(DESTDIR)$(sysconfdir)/cabin
	[ -e $(DESTDIR)$(sysconfdir)/cabin/cabin.ini ] || { sed -e 's|build/certs/|$(sysconfdir)/cabin/|' \
	  -e 's|^data_dir = build/data  *;|; data_dir = $(localstatedir)/lib/cabin  ; default: the StateDirectory;|' \
	  assets/config/cabin.example.ini >$(DESTDIR)$(sysconfdir)/cabin/cabin.ini && \
	  chmod 0640 $(DESTDIR)$(sysconfdir)/cabin/cabin.ini; }

# `make deb`: the Debian package from this tree (debian/, README "Debian package").
# Built from a copy of the tracked files in $(BUILD)/deb/src: the .deb lands in $(BUILD)/deb.
deb:
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/src
	git ls-files -z | xargs -0 cp --parents -t $(BUILD)/deb/src
	cd $(BUILD)/deb/src && dpkg-buildpackage -us -uc -b
	lintian $(BUILD)/deb/*.changes || true

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
