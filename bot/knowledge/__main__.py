"""Check the knowledge base: ``python -m bot.knowledge [FOLDER]``.

Prints every problem with file, line and field, and exits with status 1 if
there is any; otherwise prints a one-line summary.
"""

import argparse
import sys

from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, KnowledgeError, load_knowledge
from bot.language import SUPPORTED_LANGUAGES


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.knowledge", description=__doc__)
    parser.add_argument("folder", nargs="?", default=DEFAULT_KNOWLEDGE_DIR,
                        help="the knowledge folder (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        knowledge = load_knowledge(args.folder)
    except KnowledgeError as error:
        print(error.report(), file=sys.stderr)
        return 1
    questions = sum(len(t.questions(lang)) for t in knowledge.topics for lang in SUPPORTED_LANGUAGES)
    print(f"knowledge ok: {len(knowledge)} topics in {len(SUPPORTED_LANGUAGES)} languages, "
          f"{questions} training questions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
