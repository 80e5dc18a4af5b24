"""Stage 1, ingest: takes a report's text and its metadata file; gives plain records
(`edugraph.records.Report`: parts, elements, figures, bodies, links, text spans)."""
