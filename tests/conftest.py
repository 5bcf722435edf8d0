"""Settings the suite needs before any test module is imported.

pytest rewrites the asserts of every test module as it imports it (about 10 s of a worker's
collection here); where PYTHONDONTWRITEBYTECODE is set, as on these machines, it rewrites them again
on every run. Caching the rewritten modules in __pycache__ (git ignores it) leaves that cost to the
first run only: `.ci/run`'s slow tests and every later local run skip it.
"""

import sys

sys.dont_write_bytecode = False
