"""Stage 3, validate: takes the quads and ontology/shapes.ttl; gives findings per report (SHACL
Core compiled to Oxigraph queries, the SPARQL rules, pySHACL as the oracle) and their graph."""
