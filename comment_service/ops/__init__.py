"""The operators' commands and the moderators' mail: accounts, backups, personal data, audit log, notification."""
