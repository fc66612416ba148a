# A thin front door to meson: `make run` and `make test` work on a fresh Debian 12.
BUILDDIR ?= build
MESON_FLAGS ?=
SHARED_DATA ?= ../shared/data

export GSETTINGS_SCHEMA_DIR := $(CURDIR)/$(BUILDDIR)/data

.PHONY: all deps configure build run test bench clean

all: build

deps:
	@build-aux/install-deps.sh

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR) -Dshared_data=$(SHARED_DATA) $(MESON_FLAGS)

configure: deps $(BUILDDIR)/build.ninja

build: configure
	meson compile -C $(BUILDDIR)

run: build
	$(BUILDDIR)/app/clipscope --demo

test: build
	build-aux/run-tests.sh $(BUILDDIR)

# Benchmarks need a display; use a private X server when there is none.
XRUN := $(if $(DISPLAY)$(WAYLAND_DISPLAY),,dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24")

bench: build
	$(XRUN) $(BUILDDIR)/tests/bench/bench-mainloop
	$(XRUN) $(BUILDDIR)/tests/bench/bench-startup
	$(BUILDDIR)/tests/bench/bench-charts
	CS_SHARED_DATA=$(SHARED_DATA) $(BUILDDIR)/tests/bench/bench-ease
	$(BUILDDIR)/tests/bench/bench-audience
	$(BUILDDIR)/tests/bench/bench-import
	$(BUILDDIR)/tests/bench/bench-table-reader
	CS_SHARED_DATA=$(SHARED_DATA) $(BUILDDIR)/tests/bench/bench-clips
	CS_SHARED_DATA=$(abspath $(SHARED_DATA)) $(BUILDDIR)/tests/bench/bench-predict
	$(BUILDDIR)/tests/bench/bench-generate
	$(BUILDDIR)/tests/bench/bench-ials-10m --numpy

clean:
	rm -rf $(BUILDDIR)
