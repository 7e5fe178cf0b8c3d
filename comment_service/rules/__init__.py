"""What a comment may be: validation, the French messages, spam signals, the charter's reasons."""
