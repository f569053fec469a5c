"""Reading and writing files: the CSV form, safe paths, atomic writes, tables as models."""
