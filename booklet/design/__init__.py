"""From data to HTML: the context the layouts see, their templates, tokens, icons and charts."""
