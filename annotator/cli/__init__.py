"""The command line: ``main.main`` parses and dispatches; one module per command group."""
