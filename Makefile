# respite - build, run and test. `make` builds src/respite-server; `make run`
# starts it with server.conf; `make test` runs every test (see tests/README.md).

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
STD     := -std=c11 -D_GNU_SOURCE -pthread
PKGS    := libuv jemalloc hiredis lua5.1 lua5.1-cjson lua5.1-bitop
LUA_PKGS := lua5.1 lua5.1-cjson lua5.1-bitop
DEPS_OK := $(shell pkg-config --exists $(PKGS) 2>/dev/null && command -v tclsh >/dev/null && command -v clang-format >/dev/null && command -v clang >/dev/null && command -v redis-cli >/dev/null && command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null && test -f /usr/include/http_parser.h && command -v curl >/dev/null && test -d /usr/lib/python3/dist-packages/prometheus_client && command -v nutcracker >/dev/null && command -v podman >/dev/null && command -v runc >/dev/null && command -v catatonit >/dev/null && echo yes)

# src/ has one folder per layer (src/LAYERS lists them top to bottom);
# sources are found by folder, includes name their layer ("storage/db.h").
LAYER_DIRS := $(shell awk '/^[a-z]/ && $$1 != "private" { print $$1 }' src/LAYERS)
SRCS := $(filter-out src/server/server.c,$(wildcard $(LAYER_DIRS:%=src/%/*.c)))
HDRS := $(wildcard $(LAYER_DIRS:%=src/%/*.h))
OBJS := $(SRCS:src/%.c=build/obj/%.o)
SAN_OBJS := $(SRCS:src/%.c=build/san/%.o)
TSAN_OBJS := $(SRCS:src/%.c=build/tsan/%.o)
INC := -Isrc
TSAN := -fsanitize=thread -fno-omit-frame-pointer
SAN  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

BIN      := src/respite-server
SAN_BIN  := build/respite-server-asan
TEST_BINS := build/test-resp build/test-table build/test-expire build/test-evict build/test-sha1 \
	build/test-containers build/test-dump build/test-cgroup build/test-metrics build/test-prefixstat
SAN_TEST_BINS := $(TEST_BINS:build/%=build/san-%)

.PHONY: all deps image app-image run test test-cgroup test-image test-twemproxy test-diff test-layers test-c test-tcl test-tcl-redis test-asan test-tsan test-cli test-clients test-concurrency test-fuzz format format-check clean

all: deps $(BIN)

# Installs missing system packages (apt) once; see deps/install.sh.
deps:
ifneq ($(DEPS_OK),yes)
	@bash deps/install.sh
endif

LIBS = $(shell pkg-config --libs libuv jemalloc $(LUA_PKGS)) -lhttp_parser -lm
LUA_CFLAGS = $(shell pkg-config --cflags $(LUA_PKGS))

build/obj/%.o: src/%.c $(HDRS) | build/obj
	@mkdir -p $(@D); echo "CC $<"; $(CC) $(STD) $(CFLAGS) $(WARN) $(INC) $(LUA_CFLAGS) -c $< -o $@

build/san/%.o: src/%.c $(HDRS) | build/san
	@mkdir -p $(@D); echo "CC (asan) $<"; $(CC) $(STD) -O1 -g $(SAN) $(WARN) $(INC) $(LUA_CFLAGS) -c $< -o $@

build/tsan/%.o: src/%.c $(HDRS) | build/tsan
	@mkdir -p $(@D); echo "CC (tsan) $<"; $(CC) $(STD) -O1 -g $(TSAN) $(WARN) $(INC) $(LUA_CFLAGS) -c $< -o $@

# After deps: with `make -j` the packages must be in before anything compiles.
build/obj build/san build/tsan: | deps
	@mkdir -p $@

$(BIN): build/obj/server/server.o $(OBJS)
	$(CC) $(STD) $(CFLAGS) -o $@ $^ $(LIBS)

$(SAN_BIN): build/san/server/server.o $(SAN_OBJS)
	$(CC) $(STD) -O1 -g $(SAN) -o $@ $^ $(LIBS)

# The container image's server: statically linked from Debian's static
# archives, stripped. glibc warns that getaddrinfo/getpwuid_r in a static
# binary need its shared NSS libraries at run time: in the image there are
# none, so `bind` takes numeric addresses there (the image's config does).
STATIC_BIN := build/respite-server-static
STATIC_LIBS := -l:libuv_a.a -l:libjemalloc.a -l:liblua5.1-cjson.a -l:liblua5.1-bitop.a \
	-l:liblua5.1.a -l:libhttp_parser.a -lm -lpthread -ldl -lrt
$(STATIC_BIN): build/obj/server/server.o $(OBJS)
	@$(CC) $(STD) $(CFLAGS) -static -o $@ $^ $(STATIC_LIBS) 2>$@.log || { cat $@.log; exit 1; }
	strip $@

# The OCI image respite:latest (deploy/Containerfile, FROM scratch), built
# with podman (deploy/podman.sh: the project's containers.conf, storage in
# build/podman) and saved as build/respite-image.tar for any runtime.
image: $(STATIC_BIN)
	rm -rf build/image && mkdir -p build/image
	cp deploy/Containerfile deploy/respite.conf build/image/
	cp $(STATIC_BIN) build/image/respite-server
	deploy/podman.sh build -q -t respite:latest build/image
	rm -f build/respite-image.tar
	deploy/podman.sh save -q -o build/respite-image.tar respite:latest
	@ls -l build/respite-image.tar

# The demo application of deploy/pod.yaml, static with hiredis, FROM scratch.
build/cache_app: deploy/app/cache_app.c | build/obj
	@$(CC) $(STD) -O2 $(WARN) -static -o $@ $< -l:libhiredis.a 2>$@.log || { cat $@.log; exit 1; }
	strip $@
app-image: build/cache_app
	rm -rf build/app-image && mkdir -p build/app-image
	cp deploy/app/Containerfile build/cache_app build/app-image/
	deploy/podman.sh build -q -t respite-demo-app:latest build/app-image

TSAN_BIN := build/respite-server-tsan
$(TSAN_BIN): build/tsan/server/server.o $(TSAN_OBJS)
	$(CC) $(STD) -O1 -g $(TSAN) -o $@ $^ $(LIBS)

build/concurrency: tests/c/concurrency.c | build/obj
	$(CC) $(STD) -O2 -g $(WARN) -o $@ $< -pthread

# Each unit test links only the modules it tests (and what they use).
UNIT_resp   := base/resp base/mem base/util
UNIT_table  := storage/table storage/entry base/mem base/util
UNIT_expire := storage/expire storage/evict storage/db storage/access storage/lockset \
	storage/value storage/lazyfree storage/hash storage/set storage/list storage/zset storage/zindex storage/pack \
	storage/table storage/entry base/config base/prefixstat base/resp base/clock base/stats base/mem base/util
UNIT_evict  := $(UNIT_expire)
UNIT_sha1   := base/sha1
UNIT_dump   := base/dump base/mem
UNIT_cgroup := base/cgroup
UNIT_prefixstat := base/prefixstat base/mem
UNIT_metrics := server/metrics base/textbuf base/mem
UNIT_containers := storage/hash storage/set storage/list storage/zset storage/zindex storage/value storage/lazyfree \
	storage/pack storage/table storage/entry base/config base/prefixstat base/resp base/clock base/mem base/util

.SECONDEXPANSION:
build/test-%: tests/c/test_%.c tests/c/test.h $$(addprefix build/obj/,$$(addsuffix .o,$$(UNIT_$$*))) | build/obj
	$(CC) $(STD) $(CFLAGS) $(WARN) $(INC) -o $@ $< $(addprefix build/obj/,$(addsuffix .o,$(UNIT_$*))) $(LIBS)

build/san-test-%: tests/c/test_%.c tests/c/test.h $$(addprefix build/san/,$$(addsuffix .o,$$(UNIT_$$*))) | build/san
	$(CC) $(STD) -O1 -g $(SAN) $(WARN) $(INC) -o $@ $< $(addprefix build/san/,$(addsuffix .o,$(UNIT_$*))) $(LIBS)

build/hold-connections: tests/c/hold_connections.c | build/obj
	$(CC) $(STD) $(CFLAGS) $(WARN) -o $@ $<

run: all
	./$(BIN) server.conf

test: deps $(BIN) format-check test-layers test-c test-fuzz test-tcl test-cli test-clients test-concurrency \
	test-cgroup test-twemproxy test-image test-tcl-redis test-asan test-tsan
	@echo "make test: all suites passed"

# The layering of src/ (src/LAYERS): no upward include, no include cycle.
# The self-test first shows the check catches each kind of offence.
test-layers:
	@python3 tests/check_layers.py --selftest >/dev/null || python3 tests/check_layers.py --selftest
	python3 tests/check_layers.py

test-c: $(TEST_BINS)
	@for t in $(TEST_BINS); do ./$$t || exit 1; done

# The suite runs with the default thread count (the CPUs available) and
# again with one event-loop thread, the path without shard locks. Tests
# tagged needs-struct use Lua libraries respite does not ship (struct,
# cmsgpack); they run against redis-server only.
TCL_SKIP := --skip-tags needs-struct
test-tcl: $(BIN)
	tclsh tests/test_helper.tcl --server ./$(BIN) $(TCL_SKIP)
	@printf '#!/bin/sh\nexec "%s" "$$@" --io-threads 1\n' "$(CURDIR)/$(BIN)" > build/respite-server-1t
	@chmod +x build/respite-server-1t
	tclsh tests/test_helper.tcl --server ./build/respite-server-1t $(TCL_SKIP)

# The same suite against Debian's redis-server: proves the tests encode
# Redis's behaviour, not only ours.
test-tcl-redis:
	tclsh tests/test_helper.tcl --server $$(command -v redis-server)

test-cli: $(BIN) build/hold-connections
	bash tests/cli/run.sh $(CURDIR)/$(BIN)

# The image and the pod (tests/cli/image.sh), when podman can run
# containers here (as root).
test-image: $(BIN)
	@if [ "$$(id -u)" = 0 ] && command -v podman >/dev/null; then \
		$(MAKE) --no-print-directory image app-image && bash tests/cli/image.sh; \
	else echo "skip: the image checks need podman, as root"; fi

# Three servers behind twemproxy (deploy/twemproxy.yml).
test-twemproxy: $(BIN)
	bash tests/cli/twemproxy.sh $(CURDIR)/$(BIN)

# respite in a 256 MB cgroup with no maxmemory: derives one, survives ten
# times the limit written (skips without root or a memory controller).
test-cgroup: $(BIN)
	bash tests/cli/cgroup_memory.sh $(CURDIR)/$(BIN)

# Stock clients over the wire: redis-py, node-redis, ioredis and hiredis
# (tests/clients/README.md).
build/hiredis-test: tests/clients/c/hiredis_test.c | build/obj
	$(CC) $(STD) $(CFLAGS) $(WARN) $$(pkg-config --cflags hiredis) -o $@ $< $$(pkg-config --libs hiredis)

test-clients: $(BIN) build/hiredis-test
	bash tests/clients/run.sh $(CURDIR)/$(BIN)

# C unit tests and the whole Tcl suite under ASan + UBSan (leak checks at
# the server's clean shutdown). Tests tagged strict-timing (used_memory
# under maxmemory after every write: eviction has a time limit an ASan
# build can run past) run in the plain suites only.
test-asan: $(SAN_BIN) $(SAN_TEST_BINS)
	@for t in $(SAN_TEST_BINS); do ASAN_OPTIONS=detect_leaks=1 ./$$t || exit 1; done
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 tclsh tests/test_helper.tcl --server ./$(SAN_BIN) \
		$(TCL_SKIP),strict-timing

# Differential runs against a Redis 7.4 build (not in test: it needs one).
# make test-diff REDIS74=/path/to/redis-server [DIFF_SEEDS=5 DIFF_OPS=20000]
test-diff: $(BIN)
	@test -n "$(REDIS74)" || { echo "set REDIS74 to a Redis 7.4 redis-server (see tests/diff/run.sh)"; exit 2; }
	bash tests/diff/run.sh $(CURDIR)/$(BIN) $(REDIS74) $(or $(DIFF_SEEDS),5) $(or $(DIFF_OPS),20000)

# Concurrent clients against 4 event-loop threads (tests/cli/concurrency.sh).
test-concurrency: $(BIN) build/concurrency
	bash tests/cli/concurrency.sh $(CURDIR)/$(BIN) 4

# The same under ThreadSanitizer, plus the Tcl suite with several threads.
test-tsan: $(TSAN_BIN) build/concurrency
	TSAN_OPTIONS=halt_on_error=1:detect_deadlocks=0 bash tests/cli/concurrency.sh $(CURDIR)/$(TSAN_BIN) 4
	TSAN_OPTIONS=halt_on_error=1:detect_deadlocks=0 tclsh tests/test_helper.tcl --server ./$(TSAN_BIN) \
		--single unit/keyspace --single unit/connection --single unit/maxmemory --single unit/server \
		--single unit/multi --single unit/auth --single unit/pubsub --single unit/notify \
		--single unit/tracking --single unit/scripting --single unit/scripting_busy $(TCL_SKIP)

# libFuzzer (ASan+UBSan), bounded in time, on the request parser and on
# the hash and set encodings (random operations against a reference
# model); a crash leaves its input in build/fuzz/NAME/ for a regression
# test. FUZZ_SECONDS each.
FUZZ_SECONDS ?= 15
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined $(INC)
FUZZ_resp := src/base/resp.c src/base/mem.c src/base/util.c
FUZZ_containers := src/storage/hash.c src/storage/set.c src/storage/list.c src/storage/zset.c src/storage/zindex.c \
	src/storage/value.c src/storage/lazyfree.c \
	src/storage/pack.c src/storage/table.c src/storage/entry.c src/base/config.c src/base/prefixstat.c src/base/resp.c \
	src/base/clock.c src/base/mem.c src/base/util.c
FUZZ_metrics := src/server/metrics.c src/base/textbuf.c src/base/mem.c
build/fuzz-%: tests/c/fuzz_%.c $$(FUZZ_$$*) $(HDRS) | build/obj
	clang $(FUZZ_FLAGS) -o $@ $< $(FUZZ_$*) $(LIBS)

test-fuzz: build/fuzz-resp build/fuzz-containers build/fuzz-metrics
	@for f in resp containers metrics; do mkdir -p build/fuzz/$$f/corpus; \
		( cd build/fuzz/$$f && ../../fuzz-$$f -max_total_time=$(FUZZ_SECONDS) -max_len=1024 \
		-print_final_stats=1 corpus > fuzz.log 2>&1; rc=$$?; echo "fuzz-$$f:"; \
		grep -E "^Done|stat::number_of_executed_units" fuzz.log; \
		[ $$rc -eq 0 ] || tail -40 fuzz.log; exit $$rc ) || exit 1; done

FORMAT_FILES = $(SRCS) src/server/server.c $(HDRS) $(wildcard tests/c/*.c tests/c/*.h)
format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf build $(BIN)

build/hitratio: bench/hitratio.c | build/obj
	$(CC) $(STD) -O2 -g $(WARN) -o $@ $< -lm
