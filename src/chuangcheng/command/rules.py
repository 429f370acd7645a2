"""Permissions on the office's pages of this app."""

import rules

from chuangcheng.accounts.predicates import is_office_over

# The text messages and e-mails the platform sent (or keeps in its outbox) about the region.
rules.add_perm("command.view_outbound_messages", is_office_over)
