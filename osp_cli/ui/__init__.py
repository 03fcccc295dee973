"""Everything that talks to the terminal: Rich output, safe text, prompts and views."""
