"""Who is asking: accounts, API tokens, studio sessions, CSRF defences, preview links, role guards, the audit log."""
