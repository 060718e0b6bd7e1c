"""The pure rules behind the dossier workflow: windows, papers, nominees, names, file types."""

from datetime import date
from pathlib import Path

import pytest

from app.core.errors import InvalidTransition, UnsupportedMediaType
from app.models import Attachment, AwardHistory, Nomination, Round
from app.services.dossiers import checks, rules, uploads
from app.services.workflow import TRANSITIONS, check_move
from tests.factories_dossiers import JPEG, OLE2, PDF, PNG, office_zip

CLOSES = date(2026, 3, 15)


def _round(status: str) -> Round:
    return Round(status=status, submission_closes_on=CLOSES)


@pytest.mark.parametrize(
    ("status", "extension", "on", "expected"),
    [
        ("open", None, CLOSES, "open"),  # the whole last day counts
        ("open", None, date(2026, 3, 16), None),
        ("open", date(2026, 3, 20), date(2026, 3, 20), "extension"),
        ("closed", date(2026, 3, 20), date(2026, 3, 18), "extension"),  # outlives the close
        ("closed", date(2026, 3, 20), date(2026, 3, 21), None),
        ("closed", None, date(2026, 3, 1), None),
        ("draft", date(2026, 3, 20), date(2026, 3, 1), None),
        ("completed", date(2026, 3, 20), date(2026, 3, 18), None),
    ],
)
def test_submission_window(status, extension, on, expected):
    assert rules.submission_window(_round(status), extension, None, on) == expected


@pytest.mark.parametrize(
    ("status", "due", "on", "expected"),
    [
        ("closed", date(2026, 3, 25), date(2026, 3, 25), "supplement"),  # its last day counts
        ("closed", date(2026, 3, 25), date(2026, 3, 26), None),
        ("open", date(2026, 3, 25), CLOSES, "open"),
        ("completed", date(2026, 3, 25), date(2026, 3, 20), None),
    ],
)
def test_a_returned_dossier_comes_back_by_its_supplement_deadline(status, due, on, expected):
    assert rules.submission_window(_round(status), None, due, on) == expected


def _nomination(id_: int, **kw) -> Nomination:
    values = {"nominee_kind": "individual", "nominee_name": "Nguyễn Văn A",
              "award_type_code": "x", "birth_year": 1980, "nominee_unit_id": None}  # fmt: skip
    values.update(kw)
    return Nomination(id=id_, nominee_key=rules.nominee_key(values["nominee_name"]), **values)


def test_missing_documents_counts_shared_and_own_papers():
    a, b = _nomination(1), _nomination(2)
    papers = [
        Attachment(document_type="to_trinh", nomination_id=None),
        Attachment(document_type="bao_cao_thanh_tich", nomination_id=1),
    ]

    missing = rules.missing_documents([a, b], papers, {"x": ["to_trinh", "bao_cao_thanh_tich"]})

    assert [(m["nomination_id"], m["document_type"]) for m in missing] == [
        (2, "bao_cao_thanh_tich")
    ]
    assert missing[0]["document_name"] == "Báo cáo thành tích"
    assert "Nguyễn Văn A: Báo cáo thành tích" in rules.missing_message(missing)


def test_same_nominee_by_folded_name_and_birth_year_or_by_collective():
    assert rules.same_nominee(_nomination(1), _nomination(2, nominee_name="NGUYEN VAN  A"))
    assert not rules.same_nominee(_nomination(1), _nomination(2, birth_year=1981))
    team = {"nominee_kind": "collective", "birth_year": None, "nominee_unit_id": 5}
    assert rules.same_nominee(
        _nomination(1, collective_id=7, **team),
        _nomination(2, collective_id=7, nominee_name="Tên khác", **team),
    )
    # Two collectives of one unit (a sở and its hospital) are two nominees.
    assert not rules.same_nominee(
        _nomination(1, collective_id=7, **team), _nomination(2, collective_id=8, **team)
    )


def test_history_matches_people_by_name_and_unit_and_collectives_by_register_row():
    person = _nomination(1, nominee_unit_id=3)
    team = _nomination(
        2, nominee_kind="collective", nominee_unit_id=3, nominee_name="Phòng X", collective_id=9
    )

    def row(**kw):
        values = {
            "nominee_kind": "individual",
            "nominee_key": "nguyen van a",
            "unit_id": 3,
            "award_type_code": "chien_si_thi_dua_co_so",
            "year": 2025,
            "kind": "regular",
        }
        values.update(kw)
        return AwardHistory(**values)

    history = [
        row(),
        row(unit_id=4),
        row(nominee_key="nguyen van b"),
        row(nominee_kind="collective", nominee_key="ten cu", award_type_code="t", year=2024,
            collective_id=9),
        # Another collective of the same unit: not this one's award.
        row(nominee_kind="collective", nominee_key="benh vien", award_type_code="u", year=2024,
            collective_id=10),
    ]  # fmt: skip

    mine = checks.facts_for(person, 2026, history).awards
    ours = checks.facts_for(team, 2026, history).awards

    assert [(a.award_type_code, a.source) for a in mine] == [("chien_si_thi_dua_co_so", "history")]
    assert [(a.award_type_code, a.year) for a in ours] == [("t", 2024)]


def test_every_move_is_in_the_one_table():
    assert check_move("dossier", "submit", "returned") == "submitted"
    assert check_move("nomination", "appraise", "submitted", "ineligible") == "ineligible"
    with pytest.raises(InvalidTransition):
        check_move("dossier", "receive", "draft")
    with pytest.raises(InvalidTransition):
        check_move("nomination", "appraise", "submitted", "awarded")
    with pytest.raises(InvalidTransition):
        check_move("dossier", "teleport", "draft")
    assert {entity for entity, _ in TRANSITIONS} == {
        "round", "dossier", "nomination", "meeting", "complaint", "task", "webhook_delivery",
        "score_table", "score_sheet", "cluster_vote",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\Tờ trình.pdf", "Tờ trình.pdf"),
        ("bad\x00na\x1bme\u202e.pdf", "badname.pdf"),
        ("  ..  ", "tep-dinh-kem.pdf"),
        (None, "tep-dinh-kem.pdf"),
    ],
)
def test_safe_filename(raw, expected):
    assert uploads.safe_filename(raw, "application/pdf") == expected


def test_safe_filename_keeps_the_extension_when_shortening():
    name = uploads.safe_filename("a" * 500 + ".docx", uploads.DOCX)
    assert len(name) <= uploads.MAX_FILENAME_LENGTH and name.endswith(".docx")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (OLE2, "application/msword"),
        (office_zip("word/"), uploads.DOCX),
        (office_zip("xl/"), uploads.XLSX),
    ],
)
def test_sniff_by_content(tmp_path: Path, content, expected):
    path = tmp_path / "x"
    path.write_bytes(content)
    assert uploads.sniff(path) == expected


@pytest.mark.parametrize("content", [b"plain text", office_zip("ppt/"), b"PK\x03\x04broken"])
def test_sniff_refuses_the_rest(tmp_path: Path, content):
    path = tmp_path / "x"
    path.write_bytes(content)
    with pytest.raises(UnsupportedMediaType):
        uploads.sniff(path)
