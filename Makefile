# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# A Python 3.12+ interpreter: python3.13/python3.12/python3 on PATH if it works, else pyenv's.
FIND_PY = for p in python3.13 python3.12 python3; do \
    c=$$(command -v $$p 2>/dev/null) && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$c; exit 0; }; \
  done; \
  root=$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv); \
  for c in $$(ls -d $$root/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
    $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$c; exit 0; }; \
  done; exit 1

# Libraries Qt's xcb and offscreen platforms load (most images have them; a bare one may not).
QT_DEBS := libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 \
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
  libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1

.PHONY: run test lint sysdeps bench screenshots clean

$(STAMP): pyproject.toml
	@py=$$($(FIND_PY)) || { echo "error: Capacity Planner needs Python 3.12 or newer (python3.13, python3.12 or pyenv); none found." >&2; exit 1; }; \
	echo "Using $$py"; \
	[ -x $(VPY) ] && $(VPY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { rm -rf $(VENV); $$py -m venv $(VENV); }
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages the tests use as real, independent parts (LibreOffice as a second reader,
# Xvfb for screenshots, CBC as the alternative solver, pdftoppm to render PDFs).
sysdeps:
	@missing=""; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-calc-nogui"; \
	command -v Xvfb >/dev/null || missing="$$missing xvfb xauth"; \
	command -v cbc >/dev/null || missing="$$missing coinor-cbc"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	for lib in $(QT_DEBS); do dpkg -s $$lib >/dev/null 2>&1 || missing="$$missing $$lib"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "warning: missing Debian packages:$$missing (install them for the full suite)" >&2; fi; \
	fi

run: $(STAMP)
	$(VENV)/bin/capacity-planner

lint: $(STAMP)
	$(VENV)/bin/ruff check $(wildcard src tests bench)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

test: $(STAMP) sysdeps lint
	QT_QPA_PLATFORM=offscreen $(VPY) -m pytest -q

bench: $(STAMP)
	$(VPY) bench/run.py

screenshots: $(STAMP) sysdeps
	xvfb-run -a -s "-screen 0 1600x1000x24" $(VPY) -m capacity_planner.ui.screenshots docs/screenshots

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache
