"""The practice's own portal (`site/_practice/`): every client's status and anonymised
benchmarks across the practice, built from the same loaded models as the client portals,
protected for the practice's readers (`practice/readers.yml`) alone.

Its own package, not a branch inside the client pipeline: a client portal is one
engagement seen through one view; this one is many engagements seen whole (internal items
included), so it has its own render, its own leak scan (every client's markers) and its
own readers, and reuses the engine, protection and swap stages unchanged.
"""
