"""Every check of a data package, as located problems; nothing here writes a file."""
