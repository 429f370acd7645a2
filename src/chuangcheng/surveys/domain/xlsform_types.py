"""The vocabulary of XLSForm that surveys read: question types (taken, left out, refused),
measure names, and the columns used or ignored."""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

from chuangcheng.surveys.enums import Measure, QuestionKind

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")
MAX_POINTS = 11
MEASURES = {
    **{m.value: m.value for m in Measure},
    "知晓": Measure.AWARENESS,
    "知晓率": Measure.AWARENESS,
    "参与": Measure.PARTICIPATION,
    "参与率": Measure.PARTICIPATION,
    "支持": Measure.SUPPORT,
    "支持率": Measure.SUPPORT,
    "满意": Measure.SATISFACTION,
    "满意率": Measure.SATISFACTION,
    "满意度": Measure.SATISFACTION,
}
METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
    "username", "email", "audit", "calculate", "hidden", "start-geopoint", "background-audio",
    "xml-external", "csv-external", "imei", "uri:deviceid", "uri:subscriberid", "uri:simserial",
    "uri:phonenumber", "uri:username", "uri:email",
}  # fmt: skip
SELECTS = (
    ("select_one_from_file", None),
    ("select_multiple_from_file", None),
    ("select one from file", None),
    ("select multiple from file", None),
    ("select_one_external", None),
    ("select_one", QuestionKind.SINGLE),
    ("select_multiple", QuestionKind.MULTIPLE),
    ("select one from", QuestionKind.SINGLE),
    ("select one", QuestionKind.SINGLE),
    ("select1", QuestionKind.SINGLE),
    ("select all that apply from", QuestionKind.MULTIPLE),
    ("select all that apply", QuestionKind.MULTIPLE),
)
PLAIN = {
    "text": QuestionKind.TEXT,
    "string": QuestionKind.TEXT,
    "integer": QuestionKind.INTEGER,
    "int": QuestionKind.INTEGER,
    "decimal": QuestionKind.DECIMAL,
    "note": QuestionKind.NOTE,
}
# Survey columns read; others holding a value are reported as ignored. Appearance (how ODK
# lays a question out) and the messages of constraints are dropped silently.
USED = {"type", "name", "label", "hint", "required", "relevant", "measure", "clause"}
NAME_RULE = gettext_noop(
    "A name of letters, digits, _ and - (at most 64) starting with a letter is required."
)
FROM_FILE = gettext_noop(
    "Choices from a file or an external list (%(type)s) are not supported: "
    "put the choices on the choices sheet."
)
OR_OTHER = gettext_noop(
    "“%(extra)s” is not supported (for or_other, add an “other” choice and a text question "
    "asked when it is selected)."
)
UNKNOWN_TYPE = gettext_noop(
    "Questions of type “%(type)s” cannot be answered here (text, numbers and choices only)."
)
MEASURE_WORDS = gettext_noop(
    "Write one of awareness, participation, support, satisfaction (知晓, 参与, 支持, 满意)."
)
SILENT = {"appearance", "required_message", "constraint_message", "tutorial notes", "parameters"}
CHOICES_USED = {"list_name", "name", "label", "score", "excluded"}
