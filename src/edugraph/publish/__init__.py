"""Stage 4, publish: runs the stages below on a folder of sources (`build`) and writes what is
served: the TriG, dumps in every format, the VoID/DCAT description and the ontology pages."""
