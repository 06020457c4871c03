# unkg: two commands on a fresh machine with nothing but Python 3.11+:
#   make demo   - install, load the sample corpus, validate, query, export, publish the site
#   make test   - install with test extras, type-check and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UNKG   := $(BIN)/unkg
DEMO   := demo-out
DSTORE := $(DEMO)/store

.PHONY: demo test typecheck pytest accuracy bench bench-validate clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(UNKG) --store $(DSTORE) load examples/texts/
	$(UNKG) --store $(DSTORE) validate --format json -o $(DEMO)/validation.json
	$(UNKG) --store $(DSTORE) query resolutions-per-session
	$(UNKG) --store $(DSTORE) query cited-by-resolution --param resolution=A/RES/61/54
	$(UNKG) --store $(DSTORE) export -o $(DEMO)/unkg.ttl
	$(UNKG) --store $(DSTORE) export -o $(DEMO)/unkg.jsonld
	$(UNKG) --store $(DSTORE) info
	$(UNKG) --store $(DSTORE) publish $(DEMO)/site
	@echo "demo: Turtle in $(DEMO)/unkg.ttl, JSON-LD in $(DEMO)/unkg.jsonld, SHACL report in $(DEMO)/validation.json,"
	@echo "      linked-data site in $(DEMO)/site (browse it: $(UNKG) --store $(DSTORE) serve --site $(DEMO)/site)"

typecheck: $(VENV)/.installed-test
	$(BIN)/python -m mypy

pytest: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

test: typecheck pytest

accuracy: $(VENV)/.installed
	$(BIN)/python bench/accuracy.py

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# plain pySHACL against unkg's SPARQL engine (cold, warm, after one change); COUNT documents
COUNT ?= 30000
bench-validate: $(VENV)/.installed-test
	$(BIN)/python bench/validate_bench.py --count $(COUNT)

clean:
	rm -rf $(DEMO) unkg-data .pytest_cache .mypy_cache
