# For scrapyd-deploy only, which builds its egg with `python setup.py bdist_egg` and writes a setup.py of
# its own when there is none (left in the tree afterwards). Everything is declared in pyproject.toml.
from setuptools import setup

setup()
