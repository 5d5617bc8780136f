# The two commands: `make run` and `make test`. Everything else is set-up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check --quiet
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 7860
# where the CPU build of torch lies
WHEELS ?= /opt/wheels

AXE    := tests/browser/node_modules/axe-core/axe.min.js
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast eval bench index key lock clean chromium nginx strace

KEY    := .learned/safety-key.npz .learned/safety-reader.npz .learned/answerable.npz

# The app builds the index first when it is missing, saying so.
run: $(STAMP) $(KEY)
	$(PY) app.py --host $(HOST) --port $(PORT)

test: $(STAMP) $(KEY) chromium nginx strace $(AXE)
	$(PY) -m pytest

test-fast: $(STAMP) $(KEY)
	$(PY) -m pytest -m "not slow"

# The safety layer's learned key and context reader, trained from its examples table
# (about a minute and three quarters with AMX, up to three and a half minutes without).
# The rules decide which words the reader is taught about, so a change to them rebuilds it too;
# the key reads a message with its lay words added (bot/lay_terms.py), so a change to those does.
SAFETY := .learned/safety-key.npz .learned/safety-reader.npz
key: $(KEY)
$(SAFETY) &: $(STAMP) bot/safety/examples.csv bot/safety/rules.yaml bot/safety/train.py \
		bot/safety/learned.py bot/safety/teach.py bot/safety/reader.py bot/lay_terms.py
	$(PY) -m bot.safety.train

# The answer path's question check, from its table of questions (seconds).
.learned/answerable.npz: $(STAMP) bot/answerable.jsonl bot/answerable.py bot/answerable_train.py bot/lay_terms.py
	$(PY) -m bot.answerable_train

# The evaluation report and the benchmarks, written to evals/out/.
eval: $(STAMP) $(KEY)
	$(PY) -m evals

bench: $(STAMP) $(KEY)
	$(PY) -m evals bench

index: $(STAMP)
	$(PY) -m ingest

# Everything is installed from requirements.lock, each file checked against its
# pinned SHA-256 and nothing else pulled in (--no-deps). torch is locked as the
# CPU build (the wheel in $(WHEELS)), so the CUDA build (several GB) cannot come.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is needed, found " + sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps --find-links $(WHEELS) -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

# The browser tests drive Debian's chromium (never a downloaded one) and
# inject axe-core, pinned in tests/browser/package-lock.json.
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }

# The README's reverse-proxy configuration is tested with Debian's nginx.
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
	  echo "Installing Debian's nginx for the reverse-proxy test..."; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends nginx; }

# The privacy test traces every socket call in a network namespace of its own.
strace:
	@command -v strace >/dev/null && command -v unshare >/dev/null && command -v ip >/dev/null || { \
	  echo "Installing Debian's strace, util-linux and iproute2 for the privacy test..."; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends strace util-linux iproute2; }

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	@touch $@

# Re-pin the full dependency set, with hashes, after changing pyproject.toml.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools==7.6.2
	.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra test --extra evals \
	  --strip-extras --no-emit-index-url --no-emit-find-links --find-links $(WHEELS) \
	  -o requirements.lock pyproject.toml
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .index .chroma .learned tests/browser/node_modules
