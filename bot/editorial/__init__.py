"""Tools for the Welcome Center's editors, who keep the knowledge base correct and translated.

One module, one job:

- :mod:`~bot.editorial.check`: every problem, outdated translation and stale review, with file and line;
- :mod:`~bot.editorial.translations`: PO files out to translators and back in; minor changes;
- :mod:`~bot.editorial.topic_files`: writing topic files without disturbing their layout;
- :mod:`~bot.editorial.grouping`: the questions the guide could not answer (kept, masked, in
  :mod:`bot.storage.unanswered`), grouped into similar ones;
- :mod:`~bot.editorial.report` and :mod:`~bot.editorial.charts`: the HTML content report;
- :mod:`~bot.editorial.publish`: content into the running guide, retraining only when needed.

``python -m bot.editorial`` runs them; ``docs/editing.md`` is the editors' guide.
"""
