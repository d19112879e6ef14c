# Welcome Guide: `make run` starts the guide, `make test` runs every test.
# Both create the virtual environment and install what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
MODEL   := models/guide.tar.gz
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONHASHSEED ?= 0

# Python 3.10 (Rasa 3.6 does not run on 3.11): pyenv's install if present, else any python3.10.
PYTHON310 := $(firstword $(wildcard $(shell pyenv root 2>/dev/null)/versions/3.10.*/bin/python3.10) \
                         $(shell command -v python3.10 2>/dev/null))

# Everything the trained model depends on. Answer texts are among these files
# but do not change the NLU data, so Rasa's training cache makes such a
# "retraining" take seconds.
# TRAINING_CODE is what it depends on besides the knowledge base; `make publish`
# reads it (make training-code) to tell whether new questions need a new model.
TRAINING_CODE   := config.yml domain.yml $(sort $(shell find data bot/nlu bot/training bot/language \
                     -name '*.yml' -o -name '*.py' 2>/dev/null))
TRAINING_INPUTS := $(TRAINING_CODE) $(shell find knowledge -name '*.yml' 2>/dev/null)

# The web chat widget's npm packages (npm ci writes this file last), and the
# browser its tests drive: Debian's Chromium, never a downloaded one.
WIDGET_DEPS := widget/node_modules/.package-lock.json
CHROMIUM    ?= /usr/bin/chromium
SUDO        := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: help install run train training-code lint test test-fast test-midnight check-content eval bench clean browser screenshots

help:
	@echo "make run            install, train if needed, start the guide on http://localhost:5005"
	@echo "make test           install and run the whole test suite (lint first)"
	@echo "make lint           ruff, mypy and the layer contracts"
	@echo "make check-content  check the knowledge base"
	@echo "make content-report write var/content-report.html: translations, stale reviews, unanswered questions"
	@echo "make export-translations TO=tr   PO file of what to translate (var/translations/tr.po)"
	@echo "make import-translations FILE=x.po   take translators' finished PO file"
	@echo "make minor-change TOPIC=id   keep a topic's translations after a minor change"
	@echo "make publish        check, retrain if questions changed, load into the running guide"
	@echo "make eval           score the held-out questions against a running guide"
	@echo "make bench          measure latency, memory, training and start-up time"
	@echo "make screenshots    redo the web chat screenshots in docs/screenshots/"

install: $(STAMP) $(WIDGET_DEPS)

$(STAMP): pyproject.toml requirements.lock
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 is needed (Rasa 3.6 does not run on 3.11) and none was found." >&2; \
	  echo "Install it, e.g. 'pyenv install 3.10' or your system's python3.10 package." >&2; exit 1; fi
	$(PYTHON310) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

# marked, DOMPurify and socket.io-client, exactly as widget/package-lock.json has them.
$(WIDGET_DEPS): widget/package.json widget/package-lock.json
	cd widget && npm ci --no-audit --no-fund
	@touch $@

# Debian's Chromium for the widget's browser tests (CI runs as root; elsewhere sudo asks).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "Installing Debian's chromium for the web chat tests ..."; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; fi

check-content: $(STAMP)
	$(PY) -m bot.editorial check --review-months $(REVIEW_MONTHS)

# Editors' commands (docs/editing.md); the knowledge base is ./knowledge.
REVIEW_MONTHS ?= 12
.PHONY: content-report export-translations import-translations minor-change publish

content-report: $(STAMP)
	$(PY) -m bot.editorial report --review-months $(REVIEW_MONTHS)

export-translations: $(STAMP)
	@test -n "$(TO)" || { echo "Say which language, e.g.: make export-translations TO=tr" >&2; exit 2; }
	$(PY) -m bot.editorial export $(TO)

import-translations: $(STAMP)
	@test -n "$(FILE)" || { echo "Say which file, e.g.: make import-translations FILE=var/translations/tr.po" >&2; exit 2; }
	$(PY) -m bot.editorial import "$(FILE)"

minor-change: $(STAMP)
	@test -n "$(TOPIC)" || { echo "Say which topic, e.g.: make minor-change TOPIC=housing_deposit" >&2; exit 2; }
	$(PY) -m bot.editorial minor $(TOPIC) $(if $(LANGUAGES),--languages $(LANGUAGES))

publish: $(STAMP)
	$(PY) -m bot.editorial publish $(if $(GUIDE_URL),--url $(GUIDE_URL))

train: $(MODEL)

training-code:
	@echo $(TRAINING_CODE)

$(MODEL): $(STAMP) $(TRAINING_INPUTS)
	$(PY) -m bot.editorial check --review-months $(REVIEW_MONTHS)
	$(VENV)/bin/rasa train --fixed-model-name guide --out models
	@touch $@

run: $(MODEL) $(WIDGET_DEPS)
	$(PY) -m bot.serve --model $(MODEL)

test: $(STAMP) $(WIDGET_DEPS) browser lint check-content
	$(PY) -m pytest -ra

# Style, types and the layers of docs/architecture.md (import-linter's contracts in pyproject.toml).
lint: $(STAMP)
	$(VENV)/bin/ruff check bot actions tests benchmarks eval
	$(VENV)/bin/ruff format --check bot actions tests benchmarks eval
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test-fast: $(STAMP) lint check-content
	$(PY) -m pytest -ra -m "not e2e"

# No test may depend on the day it runs: the unit tests with the clock started one
# second before and after midnight, in UTC and in Europe/Berlin, and left ticking.
MIDNIGHTS := 2026-12-08T23:59:59+00:00 2026-12-09T00:00:01+00:00 2026-12-08T23:59:59+01:00 2026-12-09T00:00:01+01:00
test-midnight: $(STAMP)
	@for moment in $(MIDNIGHTS); do echo "== clock at $$moment"; \
	  $(PY) -m pytest -q -p no:cacheprovider -m "not e2e" --clock=$$moment || exit 1; done

# The held-out sets (never trained or tuned on): the first 48 topics, the topics added next,
# and questions next to the topics that the guide must decline. GUIDE_URL: a running guide.
GUIDE_URL ?= http://localhost:5005
eval: $(STAMP)
	$(PY) eval/ask_eval.py --url $(GUIDE_URL) eval/test/*.jsonl
	$(PY) eval/ask_eval.py --url $(GUIDE_URL) eval/test_next/*.jsonl
	$(PY) eval/ask_eval.py --url $(GUIDE_URL) eval/test_near/*.jsonl

# The README's pictures of the widget: German and Arabic, phone and desktop (fonts for both scripts and emoji).
screenshots: $(MODEL) $(WIDGET_DEPS) browser
	@dpkg -s fonts-noto-core fonts-noto-color-emoji >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-noto-core fonts-noto-color-emoji; }
	WIDGET_SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest -q tests/widget -k "german_question or arabic_question or takes_over_an_arabic_web_chat"

bench: $(MODEL)
	$(PY) -m benchmarks.run --model $(MODEL)

clean:
	rm -rf models .rasa results var
