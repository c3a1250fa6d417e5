"""armtrace: trace recovered weapons to the companies and countries that made their parts."""

__version__ = "0.1.0"
