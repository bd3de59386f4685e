"""Messages to people by the channel they chose: email or text, through the outbox.

A caller names a template (a prefix: `<prefix>_subject.txt` and `<prefix>_message.txt` for email,
`<prefix>_sms.txt` for a text), a Recipient and the channels the message may use; `notify` renders
it and writes one outbox row per channel in the caller's transaction (academy.outbox sends them).
Who may be texted is the higher apps' business (candidates.selectors.contact reads the learner's
consent): this package knows addresses and channels, never a person's record.

Delivery goes through academy.notifications.backends: GOV.UK Notify for both channels when
NOTIFICATIONS_BACKEND is "notify", else Django's mail for email and the log for texts. Notify's
delivery receipts come to academy.notifications.views.NotifyCallbackView.

Import from the modules (`services.notify`, `recipients.Recipient`): the outbox imports `backends`,
so this package's __init__ imports nothing.
"""
