"""exocheck's version, in a module of its own so internal modules can name it without importing the
package's public face (`exocheck/__init__.py`), which imports them."""

__version__ = "0.1.0"
