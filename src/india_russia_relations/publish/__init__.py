"""The commands that write: formatting the data, building the generated files."""
