# The README's two commands are `scripts/demo.sh` (install, start the simulated lab,
# audit office1, stop the lab; exit 1 when findings exist) and `make test` (install,
# lint and type-check, run the tests). `make demo` runs the first (make reports exit 2).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SITE ?= office1

.PHONY: install bytecode demo test lint bench clean browser siptools

install: $(VENV)/.installed bytecode

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# An editable install gets no bytecode from pip, and where PYTHONDONTWRITEBYTECODE is set
# every run compiles fleetaudit's ~120 modules again (~0.15 s of CPU): compile them here,
# as pip does for an installed wheel (a module edited since is compiled from source, as
# always; only the ones out of date are rewritten).
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q fleetaudit checks > /dev/null

demo:
	@bash scripts/demo.sh $(SITE)

lint: install
	$(BIN)/ruff check fleetaudit checks tests bench
	$(BIN)/ruff format --check fleetaudit checks tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint browser siptools
	$(BIN)/pytest -q

# the HTML report test opens the report in headless Chromium (Debian's package)
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get update -qq && \
		  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# sip-trace tests record real SIP traffic: sipp (Debian's sip-tester) and tcpdump on lo
siptools:
	@command -v sipp >/dev/null 2>&1 && command -v tcpdump >/dev/null 2>&1 || \
		{ SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get update -qq && \
		  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq sip-tester tcpdump >/dev/null; }

# bench_compare: the CLI vs the bare-SSH floor, bare TTP and (with `pip install -e '.[bench]'`)
# Ansible network_cli, in one run; BENCH_ARGS=--quick for a smoke run
bench: install
	$(BIN)/python bench/bench_compare.py $(BENCH_ARGS)
	$(BIN)/python bench/bench_rules.py
	$(BIN)/python bench/bench_phones.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
