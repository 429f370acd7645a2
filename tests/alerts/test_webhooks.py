"""Group robots: a warning reaches a local 企业微信-style receiver in its markdown format, once;
after acknowledging, later evaluations past the repeat interval send nothing more. 钉钉's
signature matches a value computed by hand; failures are kept and retried; the address is
encrypted at rest."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection

from chuangcheng.alerts.domain import actions
from chuangcheng.alerts.domain.engine import evaluate
from chuangcheng.alerts.domain.kinds import Finding
from chuangcheng.alerts.domain.webhooks import send_test, sign, signed_url
from chuangcheng.alerts.models import Warning, WebhookTarget
from chuangcheng.core import messaging
from chuangcheng.core.models_messages import Channel, Delivery, OutboundMessage
from tests.alerts.conftest import NOW, rule_for
from tests.conftest import login

H = dt.timedelta(hours=1)


@dataclass
class Receiver:
    """A robot on 127.0.0.1: records each POST (path, query, JSON) and answers ``answer``."""

    url: str = ""
    posts: list[dict[str, Any]] = field(default_factory=list)
    answer: dict[str, Any] = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})


@pytest.fixture
def robot() -> Iterator[Receiver]:
    got = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            parts = urlsplit(self.path)
            got.posts.append(
                {
                    "path": parts.path,
                    "query": parse_qs(parts.query),
                    "json": json.loads(body.decode("utf-8")),
                    "type": self.headers["Content-Type"],
                }
            )
            answer = json.dumps(got.answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    got.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield got
    server.shutdown()
    server.server_close()


def finding(world: Any) -> Finding:
    return Finding(
        key="unit:C001",
        title="多福巷社区居委会：2 件超期未处置",
        detail="最早一件 11-15 到期。",
        unit_id=world.unit_c1.pk,
        region_id=world.c1.pk,
        value=2.0,
    )


def test_wecom_robot_receives_markdown_once_and_nothing_after_acknowledging(
    world, steered, robot, settings
) -> None:
    settings.SITE_URL = "https://cc.example.gov.cn"
    target = WebhookTarget.objects.create(
        name="创城指挥群", format="wecom", url=f"{robot.url}/cgi-bin/webhook/send?key=k-123"
    )
    rule_for("test.steered", level="red", notify_webhooks=True, repeat_hours=2)
    steered.append(finding(world))

    evaluate(now=NOW)
    evaluate(now=NOW + H)  # still found, not yet due for a repeat
    assert messaging.deliver_due(now=NOW + H) == 1
    w = Warning.objects.get()
    [post] = robot.posts
    assert post["path"] == "/cgi-bin/webhook/send"
    assert post["query"] == {"key": ["k-123"]}
    assert post["type"] == "application/json; charset=utf-8"
    assert post["json"] == {
        "msgtype": "markdown",
        "markdown": {
            "content": (
                "### 红色预警：多福巷社区居委会：2 件超期未处置\n\n"
                "最早一件 11-15 到期。\n\n"
                "> 单位：多福巷社区居委会\n> 区域：多福巷社区\n> 预警时间：2026-11-20 12:00\n\n"
                f"[查看预警](https://cc.example.gov.cn/alerts/{w.pk}/)"
            )
        },
    }
    message = OutboundMessage.objects.get(channel=Channel.WEBHOOK)
    assert (message.key, message.status, message.to_masked) == (
        f"warning:{w.pk}:raised:hook{target.pk}",
        Delivery.SENT,
        "创城指挥群",
    )

    actions.acknowledge(w, actor=world.user_s1, note="正在处置", now=NOW + H)
    evaluate(now=NOW + 5 * H)
    assert messaging.deliver_due(now=NOW + 5 * H) == 0
    assert len(robot.posts) == 1


def test_unacknowledged_warning_is_posted_again_after_the_interval(world, steered, robot) -> None:
    WebhookTarget.objects.create(name="群", format="wecom", url=f"{robot.url}/send?key=x")
    rule_for("test.steered", notify_webhooks=True, repeat_hours=2)
    steered.append(finding(world))
    evaluate(now=NOW)
    evaluate(now=NOW + 2 * H)
    messaging.deliver_due(now=NOW + 2 * H)
    assert len(robot.posts) == 2
    assert robot.posts[1]["json"]["markdown"]["content"].startswith("### 第 2 次提醒")


def test_levels_and_region_choose_the_robots(world, steered, robot) -> None:
    WebhookTarget.objects.create(
        name="红色", format="wecom", url=f"{robot.url}/red?key=a", levels=["red"]
    )
    WebhookTarget.objects.create(
        name="景山", format="wecom", url=f"{robot.url}/s2?key=b", region=world.s2
    )
    WebhookTarget.objects.create(
        name="关闭", format="wecom", url=f"{robot.url}/off?key=c", enabled=False
    )
    WebhookTarget.objects.create(name="全区", format="wecom", url=f"{robot.url}/all?key=d")
    rule_for("test.steered", level="orange", notify_webhooks=True)
    steered.append(finding(world))
    evaluate(now=NOW)
    messaging.deliver_due(now=NOW)
    assert [p["path"] for p in robot.posts] == ["/all"]


def test_dingtalk_signature_by_hand() -> None:
    # timestamp + "\n" + secret, HMAC-SHA256 keyed by the secret, base64, urlencoded.
    assert sign("SEC0123456789abcdef", 1700000000000) == (
        "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D"
    )
    assert signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=t", "SEC0123456789abcdef", 1700000000000
    ) == (
        "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000"
        "&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D"
    )


def test_dingtalk_robot_gets_title_and_text_with_a_fresh_signature(world, steered, robot) -> None:
    WebhookTarget.objects.create(
        name="钉钉群",
        format="dingtalk",
        url=f"{robot.url}/robot/send?access_token=tok",
        secret="SECxyz",
    )
    rule_for("test.steered", notify_webhooks=True)
    steered.append(finding(world))
    evaluate(now=NOW)
    messaging.deliver_due(now=NOW)
    [post] = robot.posts
    body = post["json"]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "橙色预警：多福巷社区居委会：2 件超期未处置"
    assert body["markdown"]["text"].startswith("### 橙色预警：")
    stamp = int(post["query"]["timestamp"][0])
    # parse_qs decodes the value once, so compare with the decoded signature.
    from urllib.parse import unquote_plus

    assert post["query"]["access_token"] == ["tok"]
    assert post["query"]["sign"] == [unquote_plus(sign("SECxyz", stamp))]


def test_a_robot_refusal_is_kept_and_retried(world, steered, robot) -> None:
    robot.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    WebhookTarget.objects.create(name="群", format="wecom", url=f"{robot.url}/send?key=bad")
    rule_for("test.steered", notify_webhooks=True)
    steered.append(finding(world))
    evaluate(now=NOW)
    messaging.deliver_due(now=NOW)
    message = OutboundMessage.objects.get(channel=Channel.WEBHOOK)
    assert (message.status, message.attempts) == (Delivery.QUEUED, 1)
    assert message.last_error == "errcode 93000: invalid webhook url"
    assert message.next_attempt_at == NOW + dt.timedelta(minutes=1)
    robot.answer = {"errcode": 0, "errmsg": "ok"}
    messaging.deliver_due(now=NOW + dt.timedelta(minutes=1))
    message.refresh_from_db()
    assert message.status == Delivery.SENT


def test_address_and_secret_are_encrypted_at_rest(db) -> None:
    target = WebhookTarget.objects.create(
        name="群",
        format="dingtalk",
        url="https://oapi.dingtalk.com/robot/send?access_token=abcdef123",
        secret="SECsecret",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT url, secret FROM alerts_webhooktarget WHERE id = %s", [target.pk])
        url, secret = cursor.fetchone()
    assert "abcdef123" not in url and "SECsecret" not in secret
    assert target.url_masked == "https://oapi.dingtalk.com/robot/send?access_token=abcd****"


def test_send_a_test_message(world, robot) -> None:
    target = WebhookTarget.objects.create(name="群", format="wecom", url=f"{robot.url}/send?key=t")
    message = send_test(target, actor=world.office, now=NOW)
    assert message.status == Delivery.SENT
    [post] = robot.posts
    assert post["json"]["markdown"]["content"].startswith("### 创城平台测试消息")
    response = login(world.office).post(f"/alerts/webhooks/{target.pk}/test/", follow=True)
    assert "已送达" in response.content.decode()
    assert len(robot.posts) == 2


def test_test_message_refused_to_others(world, robot) -> None:
    target = WebhookTarget.objects.create(
        name="景山群", format="wecom", url=f"{robot.url}/send?key=t", region=world.s2
    )
    assert login(world.user_s1).post(f"/alerts/webhooks/{target.pk}/test/").status_code == 403
    assert login(world.leader).post(f"/alerts/webhooks/{target.pk}/test/").status_code == 403
    assert robot.posts == []
