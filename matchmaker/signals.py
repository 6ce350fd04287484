"""Events between features, so that postings need not know the matcher and the matcher need not
know notifications. Senders call `signal.send(current_app._get_current_object(), **kwargs)` after
their transaction has been committed."""

from blinker import Namespace

_signals = Namespace()

# posting=Posting: published, or edited while published; its suggestions must be brought up to date.
posting_changed = _signals.signal("posting-changed")
# posting=Posting: closed, expired, unpublished by an operator, or about to be deleted.
posting_withdrawn = _signals.signal("posting-withdrawn")
# suggestion_ids=list[int]: new suggestions were stored (the parties are to be told).
suggestions_created = _signals.signal("suggestions-created")
# enterprise=Enterprise: verified, suspended or rejected by an operator.
enterprise_status_changed = _signals.signal("enterprise-status-changed")
