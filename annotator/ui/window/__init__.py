"""The main window and the helpers it delegates to: files, menus, layout, editing, suggestions,
live refresh, the team and knowledge-base controllers."""
