# 创城 — the README's commands. `make demo` serves the demo district; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
CC := $(BIN)/chuangcheng
# The first Python >= 3.12 found: on PATH, then pyenv's installs (whose shims may be inactive).
PY_CANDIDATES := python3.13 python3.12 python3 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3) $(wildcard /usr/local/bin/python3.1[2-9])
PY := $(firstword $(foreach p,$(PY_CANDIDATES),$(shell $(p) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && echo $(p))))
# Packages the browser tests and documents need from Debian.
APT_PACKAGES := chromium fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai poppler-utils gettext
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)
export SECRET_KEY_FILE ?= $(CURDIR)/var/secret.key

.PHONY: help demo test lint typecheck unit e2e messages check-messages bench worker clean system-deps

help:
	@echo "make demo   set up and serve the demo district at http://127.0.0.1:$(PORT)"
	@echo "make test   set up and run every check: lint, types, layers, migrations, translations, tests"
	@echo "make bench  print performance figures (bench/; BENCH_DATABASE_URL=postgres://…/bench_x adds 1M cases)"

$(STAMP): pyproject.toml
	@test -n "$(PY)" || { echo "error: Python >= 3.12 is needed (python3.12 or python3.13 on PATH)"; exit 1; }
	@echo "Using $(PY) ($$($(PY) --version))"
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

var/secret.key:
	@mkdir -p var
	@$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

messages: $(STAMP)
	@$(BIN)/python -m chuangcheng.core.i18n compile

check-messages: $(STAMP)
	@$(BIN)/python -m chuangcheng.core.i18n check

demo: $(STAMP) var/secret.key messages
	$(CC) migrate --noinput
	$(CC) demo load
	@echo "Serving http://127.0.0.1:$(PORT)  (Ctrl-C stops the server and the worker; its log: var/worker.log)"
	@$(CC) worker >var/worker.log 2>&1 & WORKER=$$!; \
	 trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	 $(CC) runserver --insecure 127.0.0.1:$(PORT)

worker: $(STAMP) var/secret.key
	$(CC) worker

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing with apt"; \
	    (apt-get install -y --no-install-recommends $$missing || (apt-get update && apt-get install -y --no-install-recommends $$missing)) >/dev/null; \
	  else \
	    echo "error: the browser tests need the Debian packages:$$missing"; \
	    echo "       run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) system-deps var/secret.key messages lint typecheck check-messages
	$(CC) makemigrations --check --dry-run
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q

unit: $(STAMP) var/secret.key messages
	$(BIN)/pytest -q -m 'not e2e'

e2e: $(STAMP) system-deps var/secret.key messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q -m e2e

bench: $(STAMP) var/secret.key
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/static
