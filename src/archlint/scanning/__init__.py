"""Reading one Python file without running it: its module name, its imports, its string
references to modules."""
