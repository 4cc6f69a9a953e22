# Two commands for a fresh machine: `make run` (the dashboard on data/) and `make test` (every test);
# `make serve WORKERS=N` runs N dashboard processes behind nginx when one process is not enough.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
WORKERS ?= 2

.PHONY: run serve test install install-dev browser nginx validate ucdp clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# A stamp per requirements file, so editing a pin reinstalls and nothing else does.
$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# components/serve.py imports the app's code before the server opens, so the first reader does not wait for it.
run: install
	$(PY) -m components.serve --server.port $(PORT)

# N processes on ports PORT+1 to PORT+N, nginx on PORT in front of them; Ctrl-C stops all (deploy/serve.py).
serve: install nginx
	$(PY) deploy/serve.py --workers $(WORKERS) --port $(PORT)

# Debian's nginx for `make serve` and its test. deploy/serve.py runs it on a config of its own, outside /etc/nginx.
nginx:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) \
		|| echo "make: could not install nginx; make serve and its test need it"; \
	else echo "make: nginx is missing and apt-get is not available as root; install nginx for make serve (its test is skipped)"; fi

# Debian's Chromium for the browser tests; Playwright cannot download its own browser here.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "make: could not install chromium; browser tests will be skipped"; \
	else echo "make: /usr/bin/chromium is missing and apt-get is not available as root; browser tests will be skipped"; fi

# axe-core for the accessibility test, pinned in tests/browser/package-lock.json.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --silent; \
	else echo "make: npm is missing; the accessibility test will be skipped"; fi

test: install-dev browser nginx $(AXE)
	$(PY) -m pytest $(PYTEST_ARGS)

validate: install
	$(PY) -m trends validate

# Complete event data for Afghanistan from UCDP's public GED archive (needs internet; no account).
UCDP_RELEASE ?= 25.1
ucdp: install
	$(PY) -m trends fetch ucdp --release $(UCDP_RELEASE) --country Afghanistan --out datasets/ucdp-afg

clean:
	rm -rf $(VENV) artifacts .pytest_cache
