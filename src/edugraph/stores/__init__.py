"""Stage 6, stores: remote SPARQL 1.1 stores. Takes a dataset and a store URL; gives the
dataset pushed to the store, and the query engine interface over it."""
