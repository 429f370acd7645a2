"""Notifications once per event, outbound messages with retries, and the three SMS gateways."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail

from chuangcheng.core import messaging, notify
from chuangcheng.core.models import AuditAction, AuditEntry
from chuangcheng.core.models_messages import (
    Channel,
    Delivery,
    Level,
    Notification,
    OutboundMessage,
    mask_address,
)
from tests.factories import UserFactory

T0 = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


def sms(key: str = "case:1:overdue:head", phone: str = "13911112222") -> messaging.Outgoing:
    return messaging.Outgoing(
        key=key,
        channel=Channel.SMS,
        to=phone,
        to_name="李主任",
        to_role="主要负责人",
        template="CC_OVERDUE",
        params={"number": "2026-000001"},
        text="【创城】案件2026-000001已超期",
        about="2026-000001",
        scope_path="110101/110101001/",
    )


@pytest.mark.django_db
def test_notify_once_per_user_and_key() -> None:
    a, b = UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    notice = notify.Notice(
        key="case:7:overdue", title="案件超期", body="请处理", level=Level.DANGER
    )
    created = notify.notify([(notice, [a, b, gone, a])], now=T0)
    assert sorted(n.recipient_id for n in created) == sorted([a.pk, b.pk])
    assert notify.notify([(notice, [a, b])], now=T0 + MIN) == []
    # A new recipient of the same event still gets it; the others do not get it again.
    c = UserFactory()
    assert [n.recipient_id for n in notify.notify([(notice, [a, c])], now=T0)] == [c.pk]
    assert Notification.objects.filter(key="case:7:overdue").count() == 3
    assert notify.unread_count(a) == 1 and notify.unread_count(gone) == 0
    entries = AuditEntry.objects.filter(object_type="core.notification")
    assert entries.count() == 2  # one per call that created something


@pytest.mark.django_db
def test_mark_read_touches_only_own_notifications() -> None:
    a, b = UserFactory(), UserFactory()
    n1 = notify.Notice(key="k1", title="一")
    n2 = notify.Notice(key="k2", title="二")
    notify.notify([(n1, [a, b]), (n2, [a])], now=T0)
    theirs = Notification.objects.get(recipient=b, key="k1")
    assert notify.mark_read(a, [theirs.pk], now=T0) == 0
    assert notify.unread_count(b) == 1
    mine = Notification.objects.get(recipient=a, key="k1")
    assert notify.mark_read(a, [mine.pk], now=T0) == 1
    assert notify.unread_count(a) == 1
    assert notify.mark_read(a, now=T0) == 1 and notify.unread_count(a) == 0
    assert notify.mark_read(a, now=T0) == 0
    assert AuditEntry.objects.filter(object_type="core.notification", actor=a).count() == 2


@pytest.mark.django_db
def test_queue_stores_each_key_once_and_skips_empty_numbers() -> None:
    ids = messaging.queue([sms(), sms("case:1:overdue:contact", ""), sms()], now=T0, send=False)
    assert len(ids) == 1
    assert messaging.queue([sms()], now=T0, send=False) == []
    msg = OutboundMessage.objects.get()
    assert (msg.status, msg.attempts, msg.next_attempt_at) == (Delivery.QUEUED, 0, T0)
    assert msg.to == "13911112222" and msg.to_masked == "139****2222"
    # Encrypted at rest: the number is not in the table.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute('SELECT "to" FROM core_outboundmessage')
        (stored,) = cursor.fetchone()
    assert "13911112222" not in stored


def test_mask_address() -> None:
    assert mask_address("zhangwei@dc.gov.cn") == "zh***@dc.gov.cn"
    assert mask_address("nonsense") == "********"


@pytest.mark.django_db
def test_outbox_gateway_keeps_the_message(settings) -> None:
    settings.SMS_BACKEND = "outbox"
    (pk,) = messaging.queue([sms()], now=T0, send=False)
    assert messaging.deliver(pk, now=T0) == Delivery.STORED
    msg = OutboundMessage.objects.get(pk=pk)
    assert (msg.attempts, msg.sent_at, msg.backend) == (1, None, "outbox")
    assert messaging.deliver(pk, now=T0 + 10 * MIN) == Delivery.STORED  # not attempted again
    assert OutboundMessage.objects.get(pk=pk).attempts == 1
    entry = AuditEntry.objects.get(action=AuditAction.SEND)
    assert entry.after == {"attempts": 1, "status": "stored"}
    assert "13911112222" not in json.dumps(
        [entry.before, entry.after, entry.note, entry.object_repr]
    )


@pytest.mark.django_db
def test_log_gateway_logs_the_number_masked(settings, caplog) -> None:
    settings.SMS_BACKEND = "log"
    (pk,) = messaging.queue([sms()], now=T0, send=False)
    with caplog.at_level(logging.INFO, logger="chuangcheng.sms"):
        assert messaging.deliver(pk, now=T0) == Delivery.SENT
    assert "139****2222" in caplog.text and "13911112222" not in caplog.text
    msg = OutboundMessage.objects.get(pk=pk)
    assert (msg.status, msg.sent_at, msg.backend) == (Delivery.SENT, T0, "log")


@pytest.mark.django_db
def test_enqueued_after_commit_and_delivered_by_the_worker(
    settings, django_capture_on_commit_callbacks
) -> None:
    settings.SMS_BACKEND = "log"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (pk,) = messaging.queue([sms()], send=True)
        assert OutboundMessage.objects.get(pk=pk).status == Delivery.QUEUED
    assert len(callbacks) == 1
    assert OutboundMessage.objects.get(pk=pk).status == Delivery.SENT


class Gateway(BaseHTTPRequestHandler):
    """A local stand-in for an SMS gateway: records requests, answers with ``answers``."""

    received: list[dict[str, Any]] = []
    answers: list[tuple[int, bytes]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Gateway.received.append(
            {
                "path": self.path,
                "auth": self.headers["Authorization"],
                "type": self.headers["Content-Type"],
                "json": json.loads(self.rfile.read(length).decode("utf-8")),
            }
        )
        status, body = Gateway.answers.pop(0) if Gateway.answers else (200, b"{}")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway(settings) -> Iterator[type[Gateway]]:
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.received, Gateway.answers = [], []
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    settings.SMS_GATEWAY_TOKEN = "tok-123"
    settings.SMS_SIGN_NAME = "东城创城"
    yield Gateway
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_http_gateway_posts_the_generic_shape(gateway) -> None:
    gateway.answers = [(200, b'{"code": "OK", "biz_id": "B-778"}')]
    (pk,) = messaging.queue([sms()], now=T0, send=False)
    assert messaging.deliver(pk, now=T0) == Delivery.SENT
    assert gateway.received == [
        {
            "path": "/sms/send",
            "auth": "Bearer tok-123",
            "type": "application/json; charset=utf-8",
            "json": {
                "phone": "13911112222",
                "template": "CC_OVERDUE",
                "params": {"number": "2026-000001"},
                "sign": "东城创城",
                "text": "【创城】案件2026-000001已超期",
            },
        }
    ]
    msg = OutboundMessage.objects.get(pk=pk)
    assert (msg.status, msg.provider_ref, msg.backend, msg.sent_at) == (
        Delivery.SENT,
        "B-778",
        "http",
        T0,
    )


@pytest.mark.django_db
def test_http_gateway_failures_are_retried_then_given_up(gateway) -> None:
    gateway.answers = [(500, b'{"error": "quota"}')] * 5
    (pk,) = messaging.queue([sms()], now=T0, send=False)
    assert messaging.deliver(pk, now=T0) == Delivery.QUEUED
    msg = OutboundMessage.objects.get(pk=pk)
    assert (msg.attempts, msg.next_attempt_at) == (1, T0 + MIN)
    assert msg.last_error == 'HTTP 500: {"error": "quota"}'
    # Not due yet: the delivery job leaves it alone.
    assert messaging.deliver_due(now=T0 + dt.timedelta(seconds=59)) == 0
    assert messaging.deliver_due(now=T0 + MIN) == 1
    msg.refresh_from_db()
    assert (msg.attempts, msg.next_attempt_at) == (2, T0 + MIN + 5 * MIN)
    at = msg.next_attempt_at
    for waited in (15 * MIN, 60 * MIN, 60 * MIN):
        assert messaging.deliver_due(now=at) == 1
        msg.refresh_from_db()
        at = at + waited
    assert (msg.status, msg.attempts) == (Delivery.FAILED, 5)
    assert len(gateway.received) == 5
    assert messaging.deliver_due(now=at + 24 * 60 * MIN) == 0
    outcomes = list(
        AuditEntry.objects.filter(action=AuditAction.SEND).values_list("outcome", flat=True)
    )
    assert outcomes == ["failed"] * 5


@pytest.mark.django_db
def test_http_gateway_unreachable_is_a_failure(settings) -> None:
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/nothing-listens-here"
    (pk,) = messaging.queue([sms()], now=T0, send=False)
    assert messaging.deliver(pk, now=T0) == Delivery.QUEUED
    assert OutboundMessage.objects.get(pk=pk).last_error.startswith("gateway unreachable")


@pytest.mark.django_db
def test_a_second_worker_does_not_send_the_same_attempt(gateway) -> None:
    (pk,) = messaging.queue([sms()], now=T0, send=False)
    stale = OutboundMessage.objects.get(pk=pk)
    assert messaging.deliver(pk, now=T0) == Delivery.SENT
    # A worker that read the message before the first attempt cannot claim it any more.
    claimed = OutboundMessage.objects.filter(
        pk=pk, status=Delivery.QUEUED, attempts=stale.attempts
    ).update(attempts=1)
    assert claimed == 0
    assert len(gateway.received) == 1


@pytest.mark.django_db
def test_email_follows_a_notification_when_smtp_is_configured(
    settings, django_capture_on_commit_callbacks
) -> None:
    settings.EMAIL_ENABLED = True
    with_mail = UserFactory(email="wangli@dc.gov.cn")
    without = UserFactory(email="")
    notice = notify.Notice(key="case:9:overdue", title="案件超期督办", body="请立即处置")
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify([(notice, [with_mail, without])], now=T0)
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["wangli@dc.gov.cn"], "案件超期督办", "请立即处置")
    ]
    msg = OutboundMessage.objects.get(channel=Channel.EMAIL)
    assert (msg.status, msg.to_masked, msg.backend) == (Delivery.SENT, "wa***@dc.gov.cn", "smtp")


@pytest.mark.django_db
def test_no_email_without_smtp(settings) -> None:
    settings.EMAIL_ENABLED = False
    notify.notify([(notify.Notice(key="k", title="t"), [UserFactory(email="a@b.cn")])], now=T0)
    assert not OutboundMessage.objects.exists()
