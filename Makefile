# Everything a fresh machine needs: `make run` opens the app, `make test` runs the whole suite headless.
# One venv; each use installs only what it needs: the app alone for `run`, the `test` extra for the suite
# and lint, the `bundle` extra (PyInstaller) for `make bundle`. A stamp per extra, redone when pyproject changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
STAMP := $(VENV)/.installed-test
BUNDLE_STAMP := $(VENV)/.installed-bundle
BUNDLE := dist/drug-viewer

.PHONY: run test test-slow lint bench screenshot bundle bundle-smoke wheel clean bench-registry

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(APP_STAMP)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP) $(APP_STAMP)

$(BUNDLE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bundle]'
	touch $(BUNDLE_STAMP) $(APP_STAMP)

run: $(APP_STAMP)
	$(BIN)/drug-viewer

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest --cov=viewer --cov-report= $(PYTEST_ARGS)
	$(BIN)/python scripts/coverage_by_package.py

test-slow: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m slow $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: $(STAMP)
	$(BIN)/ruff check viewer tests bench scripts packaging
	$(BIN)/ruff format --check viewer tests bench scripts packaging
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/mypy --strict viewer/domain viewer/charts viewer/session.py viewer/query_rules.py viewer/gc_policy.py viewer/session_file.py viewer/desktop.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

# Optional and long (500,000 AACT-shaped studies in DuckDB and PostgreSQL); smaller: REGISTRY_STUDIES=20000
REGISTRY_STUDIES ?= 500000
bench-registry: $(STAMP)
	$(BIN)/python -m bench.registry_bench --studies $(REGISTRY_STUDIES)

screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot.py

# A single-folder app that runs without Python: dist/drug-viewer/drug-viewer (see packaging/).
bundle: $(BUNDLE_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/drug-viewer.spec
	$(BIN)/python scripts/smoke_bundle.py $(BUNDLE)

bundle-smoke:
	$(BIN)/python scripts/smoke_bundle.py $(BUNDLE)

# The wheel pipx installs: dist/drug_viewer-VERSION-py3-none-any.whl
wheel: | $(BIN)/python
	$(BIN)/python -m pip wheel --no-deps --quiet -w dist .

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
