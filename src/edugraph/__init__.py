"""edugraph: a knowledge graph of education-duty self-evaluation reports."""

__version__ = "0.1.0"
