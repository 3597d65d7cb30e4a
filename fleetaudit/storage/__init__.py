"""The history store's database: one schema (:mod:`.schema`), its Alembic migrations
(``migrations/``, shipped in the package and run on open: :mod:`.migrate`), and where the
store lives, SQLite or PostgreSQL (:mod:`.location`, :mod:`.engine`)."""
