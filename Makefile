# The two commands of the README. Both set up whatever is missing first (scripts/setup.sh).
.PHONY: run test setup ci benchmark

run:  ## Serve the app on http://127.0.0.1:8000 with the 2023 plan and demo accounts
	./scripts/run.sh

test:  ## ruff, makemigrations --check and the whole pytest suite (ARGS="tests/core -x")
	./scripts/test.sh $(ARGS)

setup:  ## Debian packages and .venv only
	./scripts/setup.sh

ci:  ## What CI runs: the tests on the local PostgreSQL server
	./.ci/run

benchmark:  ## National-size data on local PostgreSQL (cchc_bench), gunicorn, the README's table
	.venv/bin/python scripts/benchmark.py $(ARGS)
