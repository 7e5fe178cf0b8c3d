"""Constants shared by the live-site quality checks and their conftest."""

# A comment approved in the live site's store before the pages are checked,
# so that published comments are part of what axe and vnu see.
COMMENTED = "/2014/04/15/budget-2014-les-priorites-du-departement/"
COMMENTED_THREAD = "budget-2014-les-priorites-du-departement"
COMMENT_TEXT = "Merci pour ces chiffres clairs.\nUne question : où trouver le détail par canton ?"
