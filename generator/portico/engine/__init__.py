"""The only code that knows MkDocs: docs tree in, static site out."""
