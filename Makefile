# r2_crm: Odoo 11.0 on Python 3.11.  `make run` serves it, `make test` tests it.
DB ?= r2crm
PORT ?= 8069
TEST_PORT ?= 8169
VENV ?= .venv
PY := $(VENV)/bin/python
export VENV

.PHONY: run cluster test test-file test-faults test-odoo-base bootstrap postgres lint bench load clean-test-dbs backup restore

bootstrap:
	@bash tools/bootstrap.sh

postgres: bootstrap
	@bash tools/pg_start.sh

## make run [WORKERS=4]: install or update r2_crm (with demo data) on $(DB) and
## serve it on $(PORT); WORKERS>0 serves with Odoo's prefork server
WORKERS ?= 0
run: postgres
	$(PY) -m tools.devtool run --db $(DB) --port $(PORT) --workers $(WORKERS)

## make cluster [NODES=2] [WORKERS=2]: r2_crm on $(DB) as make run installs it,
## served by NODES prefork servers behind HAProxy on $(PORT), until Ctrl-C;
## node i listens on PORT+10+10i (HTTP) and PORT+11+10i (gevent): tools/cluster.py
NODES ?= 2
cluster: postgres
	$(PY) -m tools.cluster --db $(DB) --port $(PORT) --nodes $(NODES) --workers $(WORKERS)

## make test: compat-layer pytest + r2_crm tests on a throw-away database
test: postgres
	$(PY) -m tools.testing test --port $(TEST_PORT)

## make test-file T=r2_crm/tests/test_rules.py [DB=r2crm]: one test file, on a
## database where r2_crm is installed (make run's)
T ?= r2_crm/tests
test-file: postgres
	$(PY) -m pytest -p no:cacheprovider -W ignore::DeprecationWarning --odoo-database=$(DB) --odoo-log-level=warn \
	    --odoo-addons-path=$$($(PY) -c 'from tools import devtool; print(devtool.ADDONS_PATH)') \
	    --odoo-extra=data-dir=$$($(PY) -c 'from tools import devtool; print(devtool.DATA_DIR)') $(T)

## make test-faults: Odoo processes killed (-9) in the customer-mail cron and
## in an import of 10,000 rows, both crons on two processes at once, and
## PostgreSQL stopped with -m immediate under clerks (faults/)
test-faults: postgres
	$(PY) -m tools.testing test-faults --port $(TEST_PORT)

## make test-odoo-base: Odoo's own base test suite under the compat layer
test-odoo-base: postgres
	$(PY) -m tools.testing test-odoo-base --port $(TEST_PORT)

## make lint: flake8, pylint-odoo (OCA checks for 11.0), r2_crm's
## README.rst and app page as tools/gen_readme.py makes them from readme/, and
## README.md's table of bench/cluster.json as bench/table.py prints it. The
## case and the entry are split by concern into files that extend them with
## _inherit (the style card, as Odoo core's larger models): pylint-odoo's advice to merge
## such classes is switched off here (an rc file cannot, after enabling all
## of odoolint).
lint: bootstrap
	$(VENV)/bin/flake8 r2_crm odoocompat tools e2e bench faults
	$(VENV)/bin/pylint --rcfile=.pylintrc --disable=consider-merging-classes-inherited r2_crm
	$(PY) tools/gen_readme.py --check
	$(PY) -m bench.table --check bench/cluster.json

## make backup [DB=r2crm] [BACKUP_DIR=backups]: a dated zip of the database
## and its filestore (click-odoo-backupdb); make restore FILE=... DB=...: a new
## database from such a zip (click-odoo-restoredb)
BACKUP_DIR ?= backups
backup: postgres
	$(PY) -m tools.devtool backup --db $(DB) --dir $(BACKUP_DIR)

restore: postgres
	@test -n "$(FILE)" || { echo "make restore FILE=backups/<db>-<date>.zip DB=<new database>"; exit 2; }
	$(PY) -m tools.devtool restore --file $(FILE) --db $(DB)

## make bench [SCALE=small]: ORM against SQL at 100,000 cases / 1,000,000 entries
SCALE ?= full
bench: postgres
	SCALE=$(SCALE) $(PY) -m bench.run_bench

## make load [LOAD_SECONDS=120] [LOAD_SMOKE=1]: a service counter day under
## locust: 20 clerks on the threaded server, on LOAD_WORKERS=2 prefork workers,
## 10 clerks on the workers; results in bench/load.json (bench/load/run_load.py).
## locust gets a virtualenv of its own, .venv-load: it needs a newer Werkzeug.
## make load CLUSTER=1: 20 clerks through HAProxy on 2 nodes (make cluster's),
## one node killed halfway and started again 20 s later; bench/cluster.json
## (bench/load/failover.py).
LOAD_VENV := .venv-load
CLUSTER ?=
load: postgres $(LOAD_VENV)/.requirements
	LOAD_CLUSTER=$(CLUSTER) $(PY) -m bench.load.run_load

$(LOAD_VENV)/.requirements: bench/load/requirements.txt
	[ -x $(LOAD_VENV)/bin/python ] || python3.11 -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install --disable-pip-version-check -q -r bench/load/requirements.txt
	cp bench/load/requirements.txt $@

## drop click-odoo-initdb's cached template databases (rebuilt on next use)
clean-test-dbs: postgres
	$(VENV)/bin/click-odoo-initdb --cache-prefix=$$($(PY) -c 'from tools import devtool; print(devtool.template_prefix())') --cache-max-size=0
