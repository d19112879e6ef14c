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
TRAINING_INPUTS := config.yml domain.yml $(shell find knowledge data bot/nlu bot/training \
                     -name '*.yml' -o -name '*.py' 2>/dev/null)

.PHONY: help install run train test test-fast check-content eval bench clean

help:
	@echo "make run            install, train if needed, start the guide on http://localhost:5005"
	@echo "make test           install and run the whole test suite"
	@echo "make check-content  check the knowledge base"
	@echo "make eval           score the held-out questions against a running guide"
	@echo "make bench          measure latency, memory, training and start-up time"

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 is needed (Rasa 3.6 does not run on 3.11) and none was found." >&2; \
	  echo "Install it, e.g. 'pyenv install 3.10' or your system's python3.10 package." >&2; exit 1; fi
	$(PYTHON310) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

check-content: $(STAMP)
	$(PY) -m bot.knowledge

train: $(MODEL)

$(MODEL): $(STAMP) $(TRAINING_INPUTS)
	$(PY) -m bot.knowledge
	$(VENV)/bin/rasa train --fixed-model-name guide --out models
	@touch $@

run: $(MODEL)
	$(PY) -m bot.serve --model $(MODEL)

test: $(STAMP)
	$(PY) -m pytest -ra

test-fast: $(STAMP)
	$(PY) -m pytest -ra -m "not e2e"

eval: $(STAMP)
	$(PY) ../shared/tools/ask_eval.py --url http://localhost:5005 eval/test/*.jsonl

bench: $(MODEL)
	$(PY) -m benchmarks.run --model $(MODEL)

clean:
	rm -rf models .rasa results var
