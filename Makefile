# Two commands set Pledge up on a fresh machine with Python and make: `make demo` and `make test`.
# uv is bootstrapped with pip when missing and always called as `python3 -m uv`, because a
# `pip install --user` puts the uv binary off PATH.
PYTHON ?= python3
UV := $(PYTHON) -m uv
RUN := $(UV) run --locked

.PHONY: demo test lint check uv chromium

uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv \
		|| $(PYTHON) -m pip install --quiet --user uv \
		|| $(PYTHON) -m pip install --quiet --user --break-system-packages uv

demo: uv
	$(RUN) pledge demo

test: uv
	$(RUN) pytest -n auto -q

lint: uv
	$(RUN) ruff check .
	$(RUN) ruff format --check .

check: uv
	PLEDGE_ENV=test $(RUN) pledge check
	PLEDGE_ENV=test $(RUN) pledge policy check
	PLEDGE_ENV=test $(RUN) pledge privacy-lint

# Browser tests need Debian's Chromium (they are skipped, visibly, without it).
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
