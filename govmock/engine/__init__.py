"""The asynchronous side of govmock: processing received messages, emitting and pushing receipts."""
