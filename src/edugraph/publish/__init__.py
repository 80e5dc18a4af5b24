"""Stage 4, publish: runs the stages below on a folder of sources (`build`) and writes, once per
dataset version, everything that is served (`site`): the TriG, dumps in every format (export,
jsonld, rdfxml), the VoID/DCAT description (void, provenance), the ontology and shapes pages
(docs, doc_terms, doc_templates) and a manifest; the server only reads them."""
