"""In-app notices, e-mail and pluggable channels (SMS, 政务微信) for the people who do the work.

The apps above (workflow, publishing, disclosure) call notices.events.notify() with plain data (recipient
ids, a kind, a title, a link) inside their actions; nothing is stored or sent before the action commits."""
