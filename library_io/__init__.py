"""The library in an open, documented folder, so that it outlives its host.

`export_library` writes every story, account, lesson and collection to a folder
(`library.json`, one Markdown file per story body, the original image files);
`import_library` brings such a folder into an empty database. With
`public_only`, the export holds only what a visitor may read, as open data.
The format is described in docs/export.md; `FORMAT_VERSION` goes up whenever
it changes in a way an older importer would misread.
"""
