"""The coding workspace: a keyboard-first Textual app over a qualcode project."""
