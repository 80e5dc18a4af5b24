"""Stage 2, graph: takes ingested records and the reference data; gives triples, one named
graph per report plus the shared, reference and curation graphs (`quads.Quads`)."""
