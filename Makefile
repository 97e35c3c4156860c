# Cartograph build: bin/cartograph (the CLI), bin/shop.cgi (the shopper program), tests and
# benchmarks. Every src/**/*.c except the two mains goes into one static library that both
# programs and every test link against.
#
#   make                  build (release: -O2)
#   make SANITIZE=1       build with ASan + UBSan (objects kept apart in build/san)
#   make test             unit + end-to-end tests, ends with "N passed, N failed"
#   make valgrind         the same tests under valgrind: no memory error, no leak
#   make bench            benchmarks (not timed tests)
#   make demo             the whole job on data/sample; prints where the site is
#   make gallery          every chart type, 1x and 2x, in out/gallery/index.html
#   make deps             install the Debian packages the project needs
#   make install PREFIX=/usr/local

PREFIX ?= /usr/local
CC ?= cc
MODE := $(if $(FUZZ),fuzz,$(if $(SANITIZE),san,rel))
B := build/$(MODE)

PKGS := sqlite3 gdlib freetype2 libdeflate zlib libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
ifeq ($(MODE),san)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  LDOPT := -fsanitize=address,undefined
else ifeq ($(MODE),fuzz)
  CC := clang
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,fuzzer-no-link \
         -fno-sanitize-recover=all
  LDOPT := -fsanitize=fuzzer,address,undefined
else
  OPT := -O2 -g
  LDOPT :=
endif
CPPFLAGS += -D_DEFAULT_SOURCE -Isrc $(PKG_CFLAGS)
CFLAGS += $(WARN) $(OPT) -MMD -MP
LDLIBS += $(PKG_LIBS) -lcsv -lfcgi -lpthread -lm
# The programs take libgd and SQLite from their static archives when there are some.
# libgd: they use its drawing only, and the shared library brings some 45 others (the
# image formats it can read and write: HEIF, AVIF, TIFF, WebP, X11, ...) that took 14 ms
# to load and link at every start. SQLite: the millions of calls ingest and clean make
# go straight to it instead of through the shared library's table of addresses (3% off
# `cartograph run` on Online Retail), and shop.cgi, started for every request, has one
# library less to load (1.35 ms a request instead of 1.6). The tests keep the shared
# libraries: they decode PNGs with libgd.
archive_of = $(wildcard $(shell pkg-config --variable=libdir $(1) 2>/dev/null)/lib$(2).a)
static_if_found = $(if $(2),$(patsubst -l$(1),$(2),$(3)),$(3))
GD_ARCHIVE := $(call archive_of,gdlib,gd)
SQLITE_ARCHIVE := $(call archive_of,sqlite3,sqlite3)
PROGRAM_LDLIBS := $(call static_if_found,gd,$(GD_ARCHIVE),$(call static_if_found,sqlite3,$(SQLITE_ARCHIVE),$(LDLIBS)))

MAINS := src/cli/main.c src/web/shop_main.c
LIB_SRC := $(filter-out $(MAINS),$(shell find src -name '*.c' | LC_ALL=C sort))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
LIB := $(B)/libcartograph.a

TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
BENCH_SRC := $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(B)/bench/%)

# Switching between release and sanitizer builds relinks the programs in bin/.
$(shell mkdir -p build; echo $(MODE) | cmp -s - build/mode || echo $(MODE) > build/mode)

.PHONY: all test test-run bench bench-run demo deps deps-check install clean gallery fuzz fuzz-run
.PHONY: valgrind valgrind-run
all: bin/cartograph bin/shop.cgi

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcsP $@ $^

bin/cartograph: $(B)/src/cli/main.o $(LIB) build/mode
	$(CC) $(LDOPT) $(LDFLAGS) -o $@ $(B)/src/cli/main.o $(LIB) $(PROGRAM_LDLIBS)

bin/shop.cgi: $(B)/src/web/shop_main.o $(LIB) build/mode
	$(CC) $(LDOPT) $(LDFLAGS) -o $@ $(B)/src/web/shop_main.o $(LIB) $(PROGRAM_LDLIBS)

$(B)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(shell pkg-config --cflags json-c 2>/dev/null) $(CFLAGS) $(LDOPT) -o $@ $< $(LIB) $(LDLIBS) $(shell pkg-config --libs json-c 2>/dev/null)

# Benchmarks, fuzz harnesses and tools: one source file each, linked to the library.
define link_program
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDOPT) -o $@ $< $(LIB) $(LDLIBS)
endef

$(B)/bench/%: tests/bench/%.c $(LIB)
	$(link_program)

FUZZ_SECONDS ?= 30
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)

$(B)/fuzz/%: tests/fuzz/%.c $(LIB)
	$(link_program)

# libFuzzer harnesses, built with clang, each run for FUZZ_SECONDS.
fuzz: deps-check
	$(MAKE) FUZZ=1 fuzz-run

fuzz-run: $(FUZZ_BIN)
	sh tests/fuzz/run.sh $(B)/fuzz $(FUZZ_SECONDS)

# Tools, one source file each: the chart gallery (every chart type at 1x and 2x in
# out/gallery/index.html) and site_check (the end-to-end tests' check of a built site).
$(B)/tools/%: tests/tools/%.c $(LIB)
	$(link_program)

gallery: $(B)/tools/gallery
	@mkdir -p out/gallery
	$(B)/tools/gallery out/gallery

# The libraries and tools every target below needs; installed when one is missing.
deps-check:
	@pkg-config --exists $(PKGS) json-c && test -f /usr/include/csv.h \
	  && test -f /usr/include/fcgiapp.h && command -v lighttpd >/dev/null \
	  && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || $(MAKE) deps

deps:
	sh .ci/install-deps

test: deps-check
	$(MAKE) test-run

test-run: all $(TEST_BIN) $(B)/tools/site_check
	B=$(B) MODE=$(MODE) sh tests/run.sh

# The release build (-O2 -g) under valgrind's memcheck; logs in build/valgrind/.
valgrind: deps-check
	$(MAKE) SANITIZE= FUZZ= valgrind-run

valgrind-run: all $(TEST_BIN) $(B)/tools/site_check
	B=$(B) sh tests/valgrind.sh

bench: deps-check
	$(MAKE) bench-run

bench-run: all $(BENCH_BIN)
	B=$(B) sh tests/bench/run.sh

# The whole job on the bundled sample; idempotent (a file loaded before is skipped).
demo: deps-check
	$(MAKE) all
	bin/cartograph run data/sample/*.csv
	@echo "The site is in $(CURDIR)/out/index.html (preview it with the shop: bin/cartograph serve)"

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/cartograph/templates
	install -m 755 bin/cartograph bin/shop.cgi $(DESTDIR)$(PREFIX)/bin/
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/cartograph/templates/
	install -d $(DESTDIR)$(PREFIX)/share/cartograph/lighttpd
	install -m 644 src/web/lighttpd/*.conf $(DESTDIR)$(PREFIX)/share/cartograph/lighttpd/
	install -m 644 data/vader_lexicon.txt $(DESTDIR)$(PREFIX)/share/cartograph/

clean:
	rm -rf build bin/cartograph bin/shop.cgi

-include $(LIB_OBJ:.o=.d) $(B)/src/cli/main.d $(B)/src/web/shop_main.d
