"""Small modal dialogs any screen may use: a line of text, a choice, the code picker, help."""
