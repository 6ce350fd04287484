"""Postings: what lead firms open and need, what SMEs can do and need. The matcher pairs them.

`services` owns the lifecycle (draft → published → closed/expired, review, moderation), `search`
the browse query and the stored search text, `importing` the JSON Lines rows of bulk onboarding."""
