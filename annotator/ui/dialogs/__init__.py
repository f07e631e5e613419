"""The window's dialogs: export and help, connecting to a server, the knowledge base, the team."""
