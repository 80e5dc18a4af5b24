"""edugraph: a knowledge graph of education-duty self-evaluation reports.

The packages are the pipeline's stages, in order: `ingest`, `graph`, `validate`, `publish`,
`query`, `stores`, `web`, then `cli`. A stage imports only earlier ones. The modules at this
level (errors, vocab, rdf, records, reference, settings, resources) are the foundation: any
stage may import them, and they import nothing from a stage.
"""

__version__ = "0.1.0"
