"""The data model and what is generated from it: models, partial dates, columns, schemas."""
