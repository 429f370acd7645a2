"""Search finds words in titles, descriptions and inside PDF and Word files, in Chinese, only
among the materials the user may see, with the hits highlighted."""

from __future__ import annotations

from chuangcheng.archives.domain.materials import Upload
from chuangcheng.archives.domain.search import search, snippet, terms
from chuangcheng.archives.samples import sample_docx, sample_pdf
from tests.archives.conftest import Arch, file_for
from tests.archives.test_pages import login


def setup(arch: Arch) -> None:
    w = arch.world
    file_for(
        arch,
        w.user_s1,
        arch.req(arch.ledger, w.unit_s1),
        title="一季度台账",
        upload=Upload(
            "台账.pdf", sample_pdf("活动记录", ["东华门街道志愿服务的台账", "清理小广告 35 处"])
        ),
    )
    file_for(
        arch,
        w.user_s2,
        arch.req(arch.plan, w.unit_s2),
        title="年度方案",
        upload=Upload("方案.docx", sample_docx("景山街道创建方案", ["开展垃圾分类宣传进社区"])),
    )


def test_terms_are_jieba_words() -> None:
    assert terms("志愿服务台账") == ["志愿服务", "台账"]
    assert terms("  ＰＤＦ  的 ") == ["pdf"]


def test_words_inside_pdf_and_word_files(arch: Arch) -> None:
    w = arch.world
    setup(arch)
    assert [h.material.title for h in search(w.office, "志愿服务台账")] == ["一季度台账"]
    assert [h.material.title for h in search(w.office, "垃圾分类")] == ["年度方案"]
    assert [h.material.title for h in search(w.office, "小广告")] == ["一季度台账"]
    assert search(w.office, "不存在的词") == []


def test_results_are_scoped(arch: Arch) -> None:
    w = arch.world
    setup(arch)
    assert search(w.user_s1, "垃圾分类") == []
    assert [h.material.title for h in search(w.user_s2, "垃圾分类")] == ["年度方案"]
    assert search(w.user_line, "台账") == []


def test_snippet_highlights_and_escapes() -> None:
    text = "前言" * 30 + "<b>志愿服务</b>的台账"
    out = snippet(text, ["志愿服务", "台账"])
    assert "<mark>志愿服务</mark>" in out and "<mark>台账</mark>" in out
    assert "&lt;b&gt;" in out and "<b>" not in out
    assert out.startswith("…")


def test_search_page(arch: Arch) -> None:
    w = arch.world
    setup(arch)
    body = login(w.office).get("/archives/materials/?q=垃圾分类").content.decode()
    assert "<mark>垃圾分类</mark>" in body and "1 份材料包含" in body
    body = login(w.user_s1).get("/archives/materials/?q=垃圾分类").content.decode()
    assert "年度方案" not in body
