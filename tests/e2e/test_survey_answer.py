"""Answering surveys in the browser: the skip-logic evaluator of answer.js against the Python
one; a resident on a 375 px phone through the public link (a question appearing, a reload
keeping the draft, a dropped connection, submit, a second attempt refused); an interviewer with
a fake position whose response carries it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chuangcheng.surveys.domain import expressions
from chuangcheng.surveys.enums import ResponseState
from chuangcheng.surveys.models import Answer, Credit, Response
from tests.e2e.conftest import fits, log_in, shot
from tests.surveys.conftest import SurveyWorld, sw  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER_JS = Path(__file__).resolve().parents[2] / "src/chuangcheng/surveys/static/surveys/answer.js"
CASES = json.loads(
    (Path(__file__).resolve().parents[1] / "surveys/data/expression_cases.json").read_text("utf-8")
)
POSITION = {"latitude": 39.9253, "longitude": 116.4049, "accuracy": 9}


def test_browser_evaluator_agrees_with_the_server_on_every_case(browser: Any) -> None:
    """Every expression of the shared table, parsed by Python, evaluated by answer.js and by
    Python with the same answers: the same truth value, and the one the table expects."""
    cases = [c for c in CASES["cases"] if "result" in c]
    extra = [
        ("${joined} = 'vol clean'", {"joined": "vol clean"}),
        ("count-selected(${joined}) >= 2 and not(selected(${joined}, 'none'))", {"joined": "a b"}),
        ("${n} > 9", {"n": "10"}),
        ("${t} > 'b'", {"t": "é"}),
        ("${t} < '𝒜'", {"t": "ｚ"}),
        ("${x} = 1.0", {"x": "1"}),
        ("(${a} = 'y') = (${b} = 'y')", {"a": "y", "b": "n"}),
        ("${a} > ${b}", {"a": "", "b": "3"}),
        ("${a} != ${b}", {"a": "", "b": ""}),
    ]
    table = [(c["expr"], CASES["answers"]) for c in cases] + extra
    trees = [expressions.as_tree(expressions.parse(text)) for text, _a in table]
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><title>t</title>")
    page.add_script_tag(content=ANSWER_JS.read_text("utf-8"))
    in_browser = page.evaluate(
        "([trees, answers]) => trees.map((t, i) => window.svSkip.evaluate(t, answers[i]))",
        [trees, [a for _t, a in table]],
    )
    context.close()
    in_python = [expressions.evaluate(expressions.parse(t), a) for t, a in table]
    assert in_browser == in_python
    assert in_python[: len(cases)] == [c["result"] for c in cases]
    assert len(table) >= 70


def test_resident_answers_on_a_phone_through_the_public_link(
    phone: Any,
    live_server: Any,
    sw: SurveyWorld,  # noqa: F811
) -> None:
    base = live_server.url
    link = f"{base}/s/{sw.survey.public_token}/"
    phone.goto(link)
    assert fits(phone)
    assert "隐私告知" in phone.inner_text("main")
    phone.fill("#sv-age", "36")
    phone.check("input[name=sex][value=f]")
    phone.fill("#sv-months", "48")
    phone.select_option("#sv-region", "110101001001")
    phone.check("input[name=notice]")
    shot(phone, "survey-public-screening-375")
    phone.click("button[type=submit]")
    phone.wait_for_url("**/answer/**")
    assert fits(phone)

    # The reason question appears only for "not satisfied".
    why = phone.locator("#q-why")
    assert why.is_hidden()
    phone.check("input[name=aware][value=yes]")
    phone.check("input[name=joined][value=clean]")
    phone.check("input[name=satisfied][value=ns]")
    assert why.is_visible()
    phone.fill("textarea[name=why]", "楼道堆物没人管")
    shot(phone, "survey-public-questions-375")

    # A reload keeps everything typed so far (the draft lives in the browser).
    phone.reload()
    phone.wait_for_load_state("networkidle")
    assert phone.is_checked("input[name=satisfied][value=ns]")
    assert phone.is_checked("input[name=joined][value=clean]")
    assert phone.input_value("textarea[name=why]") == "楼道堆物没人管"
    assert why.is_visible()
    assert "已恢复您尚未提交的回答" in phone.inner_text(".sv-status")

    # Changing the answer hides the reason again; it is not sent.
    phone.check("input[name=satisfied][value=bs]")
    assert why.is_hidden()

    # The connection drops at submit: the page says so and sends when it is back.
    phone.context.set_offline(True)
    phone.click("button[value=submit]")
    phone.wait_for_function(
        "document.querySelector('.sv-status').textContent.includes('网络已断开')"
    )
    assert not Response.objects.filter(state=ResponseState.COMPLETE).exists()
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.wait_for_url("**/thanks/complete/**")
    assert "谢谢" in phone.inner_text("main")
    assert fits(phone)

    response = Response.objects.get()
    assert (response.state, response.mode, response.street) == ("complete", "self", sw.world.s1)
    assert dict(
        Answer.objects.filter(response=response).values_list("question__name", "value")
    ) == {
        "aware": "yes",
        "joined": "clean",
        "satisfied": "bs",
    }
    assert Credit.objects.get(response=response, question=sw.satisfied).score == Decimal("0.900")
    # Drafts are gone once sent.
    assert (
        phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('sv-answers')).length")
        == 0
    )

    # A second attempt from the same phone is refused.
    phone.goto(link)
    assert "您已经回答过本调查" in phone.inner_text("main")
    assert Response.objects.count() == 1


def test_interviewer_answers_with_a_fake_position(
    browser: Any,
    live_server: Any,
    sw: SurveyWorld,  # noqa: F811 - the imported fixture
    password: str,
) -> None:
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        geolocation=POSITION,
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    log_in(page, base, "inspector", password)
    page.goto(f"{base}/surveys/interview/")
    assert fits(page)
    page.click("a.fw-go")
    page.wait_for_url("**/start/")
    page.wait_for_function("document.querySelector('input[name=lat]').value !== ''")
    # The street of the interviewer's grant is chosen already.
    assert page.input_value("#sv-region") == "110101001"
    page.check("input[name=mode][value=street]")
    page.fill("#sv-age", "52")
    page.check("input[name=sex][value=m]")
    page.fill("#sv-months", "300")
    shot(page, "survey-interview-start-375")
    page.click("button[type=submit]")
    page.wait_for_url("**/interview/r/*/")
    page.wait_for_function("document.querySelector('input[name=lat]').value !== ''")
    page.check("input[name=aware][value=no]")
    page.check("input[name=joined][value=none]")
    page.check("input[name=satisfied][value=s]")
    assert fits(page)
    page.click("button[value=submit]")
    page.wait_for_url("**/done/")
    assert "谢谢" in page.inner_text("main")
    response = Response.objects.get()
    assert (response.state, response.mode, response.interviewer) == (
        "complete",
        "street",
        sw.world.inspector,
    )
    assert (round(response.lat, 4), round(response.lng, 4), response.accuracy) == (
        39.9253,
        116.4049,
        9.0,
    )
    page.goto(f"{base}/surveys/interview/mine/")
    assert "±9 m" in page.inner_text("main")
    assert fits(page)
    context.close()
