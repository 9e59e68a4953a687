# Sluice: build, test and run on Debian 12 as root.
#
#   make run    install packages, build, start Sluice with a private Postfix on loopback
#   make test   install packages, build with warnings as errors, lint, run every test
#   make bench  mail path against Postfix alone and a do-nothing C milter (PEERS=1: also
#               rspamd and MIMEDefang), engine and detection speed; bench/results/bench.md
#   make soak   20 minutes at 80% of capacity: RSS growth, descriptors, latency
#   make fuzz   libFuzzer on the parsers, FUZZ_SECONDS each (default 120)
#   make install  install Sluice on this host (deploy/install.sh; DESTDIR= supported)
#
# Everything the build and tests need from Debian is listed in PACKAGES; `make deps`
# installs what is missing and does nothing (quickly) when all is there.

SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

SWIFT ?= swift
SWIFT_FLAGS := -Xswiftc -warnings-as-errors -Xcc -Werror
PACKAGES := pkg-config libmilter-dev libmagic-dev libhyperscan-dev libarchive-dev \
	libopencc-dev opencc libpoppler-glib-dev postfix miltertest swaks python3 procps poppler-utils p7zip-full \
	zip unzip catdoc libssl-dev libsqlite3-dev zstd lz4 cpio binutils xz-utils \
	bzip2 rsync systemd man-db groff-base logrotate shellcheck iproute2 bash-completion
DEB_PACKAGES := $(PACKAGES)

.PHONY: all deps build release test lint format run stop bench soak fuzz clean install

all: build

deps:
	@missing=$$(dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(DEB_PACKAGES) \
		2>/dev/null | awk '$$1 == "ii" { print $$2 }' | sort | comm -13 - \
		<(printf '%s\n' $(DEB_PACKAGES) | sort)); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		echo "postfix postfix/main_mailer_type select No configuration" \
			| debconf-set-selections; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

release: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS)

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests bench/detect Package.swift

format:
	$(SWIFT) format format --in-place --recursive Sources Tests bench/detect Package.swift

test: deps lint
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build
	SLUICE_BINARY=$(CURDIR)/.build/debug/sluice deploy/test-deploy.sh

run: release
	deploy/run-local.sh start

stop:
	deploy/run-local.sh stop

bench: release
	PEERS=$(PEERS) bench/mailpath.sh
	bench/engine.sh
	python3 bench/report.py combine bench/results

soak: release
	bench/soak.sh

fuzz: deps
	fuzz/run.sh

clean:
	rm -rf .build run

install: release
	deploy/install.sh
