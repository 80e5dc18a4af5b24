"""Stage 5, query: takes a published dataset and a saved or ad-hoc SPARQL query; gives results.
Saved queries and their typed parameters, the read-only check on the parse tree, the engines,
result formats, and the worker processes that run queries with limits and no network.
`edugraph.query.service.QueryService.run` is the one entry point: the CLI, every HTTP route
and the resource pages run their queries through it."""
