"""Cross-validate the NLU model on all of its training data.

    .venv/bin/python eval/cross_validate.py [--folds 5] [--out results/cross-validation]

``rasa test nlu --cross-validation`` reads training files directly and so
skips the importers listed in config.yml, which would leave out every
knowledge-base question. This script collects the training data the way
training does (Rasa's files plus the KnowledgeImporter), writes it to a
temporary file, and runs Rasa's cross-validation on that. The report lands in
``--out`` (intent_report.json with per-intent precision, recall and F1).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from rasa.shared.importers.importer import TrainingDataImporter

PROJECT_DIR = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", default=str(PROJECT_DIR / "results" / "cross-validation"))
    args = parser.parse_args()

    importer = TrainingDataImporter.load_nlu_importer_from_config(
        str(PROJECT_DIR / "config.yml"), training_data_paths=[str(PROJECT_DIR / "data")]
    )
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "nlu.yml"
        data.write_text(importer.get_nlu_data().nlu_as_yaml(), encoding="utf-8")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "rasa",
                "test",
                "nlu",
                "--cross-validation",
                "--folds",
                str(args.folds),
                "--config",
                str(PROJECT_DIR / "config.yml"),
                "--nlu",
                str(data),
                "--out",
                args.out,
            ],
            cwd=PROJECT_DIR,
            check=True,
        )


if __name__ == "__main__":
    main()
