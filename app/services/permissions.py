"""Who may do what, declared once: every operation of the API is one action of `ACTIONS`.

An action names the roles that may call it and the object rule that narrows it further. The
route's role gate is made from it (`app.api.deps.Allowed`), the service checks it again with
`require` so it refuses a caller without the right even outside HTTP, and the permission tests
take their role × endpoint matrix from it. Object rules are the pure functions of `policies`;
reads are narrowed in SQL by the scopes there, which deny any role they do not name.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.errors import Forbidden
from app.core.principal import (
    ALL_ROLES,
    CLUSTER_HEAD,
    COUNCIL_MEMBER,
    NOI_VU,
    READER,
    UNIT,
    Principal,
)
from app.models import Dossier
from app.services import policies

ROLE_REFUSED = "Vai trò của tài khoản không được phép thực hiện thao tác này."


@dataclass(frozen=True)
class Rule:
    """An object rule: `allows(principal, obj)` is a pure check of the caller against the
    object, `refusal(obj)` the error when it fails. A rule without `allows` is enforced where
    the object is read (a scope in SQL, or a row only the database knows)."""

    name: str
    allows: Callable[[Principal, Any], bool] | None = None
    refusal: Callable[[Any], Forbidden] | None = None


@dataclass(frozen=True)
class Action:
    name: str
    roles: frozenset[str]
    rule: Rule
    public: bool = False  # called before signing in (log in, refresh): no role gate


def _not_dossier_owner(dossier: Dossier) -> Forbidden:
    return Forbidden(
        f"Chỉ đơn vị lập hồ sơ {dossier.code} được sửa, nộp hoặc rút hồ sơ này.",
        code="not_dossier_owner",
    )


def _not_task_participant(_: policies.TaskPart) -> Forbidden:
    return Forbidden(
        "Chỉ đơn vị chủ trì hoặc đơn vị phối hợp của nhiệm vụ được báo cáo tiến độ.",
        code="not_task_participant",
    )


def _not_cluster_head(_: Any) -> Forbidden:
    return Forbidden(
        "Chỉ Trưởng khối của cụm, khối này được thẩm tra điểm và ghi kết quả bình xét.",
        code="not_cluster_head",
    )


def _not_sheet_reviewer(_: Any) -> Forbidden:
    return Forbidden(
        "Chỉ Trưởng khối của cụm, khối này được thẩm tra và điều chỉnh điểm; phó khối chỉ được "
        "làm khi Sở Nội vụ cho phép (deputies_verify) và không với bản chấm của chính mình.",
        code="not_cluster_head",
    )


def _not_table_definer(_: Any) -> Forbidden:
    return Forbidden(
        "Bảng điểm do Sở Nội vụ lập; Trưởng khối chỉ được lập, sửa và mở bảng điểm của cụm, khối "
        "mình khi Sở Nội vụ cho phép (head_defines_table).",
        code="not_cluster_head",
    )


def _not_sheet_owner(_: Any) -> Forbidden:
    return Forbidden(
        "Chỉ đơn vị tự chấm được ghi ý kiến về bản chấm điểm của mình.", code="not_sheet_owner"
    )


ANY = Rule("any")
# The read is narrowed in SQL by the caller's scope: a hidden row is a 404 and never counted.
IN_SCOPE = Rule("in_scope")
# The service takes the unit or cluster from the caller itself: there is no other's to touch.
OWN_UNIT = Rule("own_unit")
# The caller's own rows only (the service takes the account from the caller itself).
OWN_ACCOUNT = Rule("own_account")
# The council member's own council: the meeting's roll, fixed at the opening, is in the database.
OWN_COUNCIL = Rule("own_council")
OWNER_OF_DOSSIER = Rule("owner_of_dossier", policies.owns_dossier, _not_dossier_owner)
PARTICIPANT_OF_TASK = Rule("participant_of_task", policies.can_report_task, _not_task_participant)
HEAD_OF_CLUSTER = Rule("head_of_cluster", policies.heads_cluster_of, _not_cluster_head)
# A member unit on the cluster vote's roll, fixed at the opening (in the database).
ON_VOTE_ROLL = Rule("on_cluster_vote_roll")
REVIEWER_OF_SHEET = Rule("reviewer_of_score_sheet", policies.reviews_sheet, _not_sheet_reviewer)
DEFINER_OF_TABLE = Rule("definer_of_score_table", policies.defines_table_of, _not_table_definer)
OWNER_OF_SHEET = Rule("owner_of_score_sheet", policies.owns_score_sheet, _not_sheet_owner)

EVERYONE = frozenset(ALL_ROLES)
STAFF = EVERYONE - {READER}  # every signed-in person, not reporting scripts
ONLY_NOI_VU = frozenset({NOI_VU})
DRAFTERS = frozenset({UNIT, CLUSTER_HEAD})
COUNCIL_READERS = frozenset({NOI_VU, COUNCIL_MEMBER, READER})
COUNCIL_FOLLOWERS = frozenset({NOI_VU, COUNCIL_MEMBER})
MEMBERS = frozenset({COUNCIL_MEMBER})
NOI_VU_OR_READER = frozenset({NOI_VU, READER})
REPORTERS = frozenset({NOI_VU, UNIT})
REPORT_READERS = frozenset({NOI_VU, READER, UNIT, CLUSTER_HEAD})
EXTENSION_READERS = frozenset({NOI_VU, UNIT, READER})
ONLY_UNITS = frozenset({UNIT})
ONLY_HEADS = frozenset({CLUSTER_HEAD})
TABLE_DEFINERS = frozenset({NOI_VU, CLUSTER_HEAD})  # the head if its cluster's setting allows
SHEET_REVIEWERS = frozenset({CLUSTER_HEAD, UNIT})  # a unit as deputy, if its cluster allows
CLUSTER_FOLLOWERS = frozenset({NOI_VU, CLUSTER_HEAD, COUNCIL_MEMBER})
FACT_ENTERERS = frozenset({NOI_VU, UNIT})
NOMINEE_READERS = frozenset({NOI_VU, UNIT, COUNCIL_MEMBER, READER})

_TABLE: tuple[tuple[str, frozenset[str], Rule], ...] = (
    # sign-in and service tokens
    ("auth.logout", EVERYONE, ANY),
    ("auth.me", EVERYONE, ANY),
    ("auth.switch", EVERYONE, OWN_ACCOUNT),
    ("service_token.create", ONLY_NOI_VU, ANY),
    ("service_token.list", ONLY_NOI_VU, ANY),
    ("service_token.revoke", ONLY_NOI_VU, ANY),
    # accounts
    ("user.list", ONLY_NOI_VU, ANY),
    ("user.create", ONLY_NOI_VU, ANY),
    ("user.read", ONLY_NOI_VU, ANY),
    ("user.update", ONLY_NOI_VU, ANY),
    ("user.grant_role", ONLY_NOI_VU, ANY),
    ("user.list_grants", ONLY_NOI_VU, ANY),
    ("user.revoke_grant", ONLY_NOI_VU, ANY),
    # the directory
    ("unit.list", EVERYONE, ANY),
    ("unit.read", EVERYONE, ANY),
    ("unit.create", ONLY_NOI_VU, ANY),
    ("unit.update", ONLY_NOI_VU, ANY),
    ("cluster.list", EVERYONE, IN_SCOPE),
    ("cluster.read", EVERYONE, IN_SCOPE),
    ("cluster.create", ONLY_NOI_VU, ANY),
    ("cluster.update", ONLY_NOI_VU, ANY),
    ("council.list", COUNCIL_READERS, IN_SCOPE),
    ("council.read", COUNCIL_READERS, IN_SCOPE),
    ("council.create", ONLY_NOI_VU, ANY),
    ("council.update", ONLY_NOI_VU, ANY),
    ("council.add_member", ONLY_NOI_VU, ANY),
    ("council.update_member", ONLY_NOI_VU, ANY),
    ("council.remove_member", ONLY_NOI_VU, ANY),
    ("audit.list", ONLY_NOI_VU, ANY),
    # plans and their tasks
    ("plan.list", EVERYONE, ANY),
    ("plan.read", EVERYONE, ANY),
    ("plan.create", ONLY_NOI_VU, ANY),
    ("plan.import", ONLY_NOI_VU, ANY),
    ("plan.update", ONLY_NOI_VU, ANY),
    ("plan.list_tasks", EVERYONE, ANY),
    ("plan.calendar", EVERYONE, ANY),
    ("task.list", EVERYONE, ANY),
    ("task.read", EVERYONE, ANY),
    ("task.export", NOI_VU_OR_READER, ANY),
    ("task.counts", EVERYONE, ANY),
    ("task.create", ONLY_NOI_VU, ANY),
    ("task.update", ONLY_NOI_VU, ANY),
    ("task.report", REPORTERS, PARTICIPANT_OF_TASK),
    ("task.list_reports", REPORT_READERS, IN_SCOPE),
    # award types, rounds and the rule values
    ("award_type.list", EVERYONE, ANY),
    ("award_type.read", EVERYONE, ANY),
    ("award_type.update", ONLY_NOI_VU, ANY),
    ("round.list", EVERYONE, ANY),
    ("round.read", EVERYONE, ANY),
    ("round.create", ONLY_NOI_VU, ANY),
    ("round.update", ONLY_NOI_VU, ANY),
    ("round.open", ONLY_NOI_VU, ANY),
    ("round.close", ONLY_NOI_VU, ANY),
    ("round.complete", ONLY_NOI_VU, ANY),
    ("round.grant_extension", ONLY_NOI_VU, ANY),
    ("round.list_extensions", EXTENSION_READERS, IN_SCOPE),
    ("round.export_nominations", NOI_VU_OR_READER, ANY),
    ("holiday.list", EVERYONE, ANY),
    ("holiday.set", ONLY_NOI_VU, ANY),
    ("holiday.delete", ONLY_NOI_VU, ANY),
    ("rule_value.list", EVERYONE, ANY),
    ("rule_value.create", ONLY_NOI_VU, ANY),
    ("rule_value.update", ONLY_NOI_VU, ANY),
    # dossiers, their nominations and papers
    ("dossier.list", EVERYONE, IN_SCOPE),
    ("dossier.read", EVERYONE, IN_SCOPE),
    ("dossier.history", EVERYONE, IN_SCOPE),
    ("dossier.export", EVERYONE, IN_SCOPE),
    ("dossier.report", EVERYONE, IN_SCOPE),
    ("dossier.create", DRAFTERS, OWN_UNIT),
    ("dossier.update", DRAFTERS, OWNER_OF_DOSSIER),
    ("dossier.submit", DRAFTERS, OWNER_OF_DOSSIER),
    ("dossier.withdraw", DRAFTERS, OWNER_OF_DOSSIER),
    ("dossier.return", ONLY_NOI_VU, ANY),
    ("dossier.receive", ONLY_NOI_VU, ANY),
    ("dossier.complete_appraisal", ONLY_NOI_VU, ANY),
    ("nomination.add", DRAFTERS, OWNER_OF_DOSSIER),
    ("nomination.update", DRAFTERS, OWNER_OF_DOSSIER),
    ("nomination.delete", DRAFTERS, OWNER_OF_DOSSIER),
    ("nomination.appraise", ONLY_NOI_VU, ANY),
    ("nomination.review_check", ONLY_NOI_VU, ANY),
    ("nomination.withdraw_check_review", ONLY_NOI_VU, ANY),
    ("attachment.upload", DRAFTERS, OWNER_OF_DOSSIER),
    ("attachment.read", EVERYONE, IN_SCOPE),
    ("attachment.download", STAFF, IN_SCOPE),
    ("attachment.delete", DRAFTERS, OWNER_OF_DOSSIER),
    ("event.list", EVERYONE, IN_SCOPE),
    ("event.stream", EVERYONE, IN_SCOPE),
    # webhook subscriptions: Sở Nội vụ all, a reader (a script's service token) its own
    ("webhook.create", NOI_VU_OR_READER, ANY),
    ("webhook.list", NOI_VU_OR_READER, IN_SCOPE),
    ("webhook.read", NOI_VU_OR_READER, IN_SCOPE),
    ("webhook.update", NOI_VU_OR_READER, IN_SCOPE),
    ("webhook.delete", NOI_VU_OR_READER, IN_SCOPE),
    ("webhook.rotate_secret", NOI_VU_OR_READER, IN_SCOPE),
    ("webhook.ping", NOI_VU_OR_READER, IN_SCOPE),
    ("webhook.list_deliveries", NOI_VU_OR_READER, IN_SCOPE),
    ("webhook.redeliver", NOI_VU_OR_READER, IN_SCOPE),
    # the council's meetings and ballots
    ("meeting.schedule", ONLY_NOI_VU, ANY),
    ("meeting.list", COUNCIL_READERS, IN_SCOPE),
    ("meeting.read", COUNCIL_READERS, IN_SCOPE),
    ("meeting.set_agenda", ONLY_NOI_VU, ANY),
    ("meeting.set_attendance", ONLY_NOI_VU, ANY),
    ("meeting.open", ONLY_NOI_VU, ANY),
    ("meeting.close", ONLY_NOI_VU, ANY),
    ("meeting.results", COUNCIL_READERS, IN_SCOPE),
    ("ballot.cast", MEMBERS, OWN_COUNCIL),
    ("ballot.read_mine", MEMBERS, OWN_COUNCIL),
    # decisions, disclosures, complaints and the award history
    ("decision.record", ONLY_NOI_VU, ANY),
    ("decision.list", COUNCIL_READERS, ANY),
    ("decision.read", COUNCIL_READERS, ANY),
    ("decision.correct", ONLY_NOI_VU, ANY),
    ("decision.attach_signed", ONLY_NOI_VU, ANY),
    ("decision.download_signed", COUNCIL_FOLLOWERS, ANY),
    ("state_result.record", ONLY_NOI_VU, ANY),
    ("disclosure.record", ONLY_NOI_VU, ANY),
    ("disclosure.list", COUNCIL_FOLLOWERS, ANY),
    ("disclosure.record_list", ONLY_NOI_VU, ANY),
    ("disclosure.list_lists", COUNCIL_FOLLOWERS, ANY),
    ("disclosure.read", COUNCIL_FOLLOWERS, ANY),
    ("disclosure.update", ONLY_NOI_VU, ANY),
    ("disclosure.record_opinion", ONLY_NOI_VU, ANY),
    ("disclosure.list_opinions", COUNCIL_FOLLOWERS, ANY),
    ("disclosure.read_opinion", COUNCIL_FOLLOWERS, ANY),
    ("disclosure.update_opinion", ONLY_NOI_VU, ANY),
    ("complaint.record", ONLY_NOI_VU, ANY),
    ("complaint.list", COUNCIL_FOLLOWERS, ANY),
    ("complaint.read", COUNCIL_FOLLOWERS, ANY),
    ("complaint.resolve", ONLY_NOI_VU, ANY),
    ("award_history.list", EVERYONE, IN_SCOPE),
    # calendar subscriptions: each person's own feed addresses
    ("calendar_feed.create", STAFF, OWN_ACCOUNT),
    ("calendar_feed.list", STAFF, OWN_ACCOUNT),
    ("calendar_feed.revoke", STAFF, OWN_ACCOUNT),
    ("award_history.import", ONLY_NOI_VU, ANY),
    ("award_history.record", FACT_ENTERERS, OWN_UNIT),
    ("award_history.update", FACT_ENTERERS, OWN_UNIT),
    ("award_history.delete", FACT_ENTERERS, OWN_UNIT),
    ("award_history.confirm", ONLY_NOI_VU, ANY),
    # facts about nominees: a unit enters its own people's, Sở Nội vụ any unit's
    ("rating.list", EVERYONE, IN_SCOPE),
    ("rating.record", FACT_ENTERERS, OWN_UNIT),
    ("rating.import", FACT_ENTERERS, OWN_UNIT),
    ("rating.confirm", ONLY_NOI_VU, ANY),
    ("rating.update", FACT_ENTERERS, OWN_UNIT),
    ("rating.delete", FACT_ENTERERS, OWN_UNIT),
    ("discipline.list", FACT_ENTERERS, IN_SCOPE),
    ("discipline.record", FACT_ENTERERS, OWN_UNIT),
    ("discipline.update", FACT_ENTERERS, OWN_UNIT),
    ("discipline.delete", FACT_ENTERERS, OWN_UNIT),
    ("initiative.list", EVERYONE, IN_SCOPE),
    ("initiative.record", FACT_ENTERERS, OWN_UNIT),
    ("initiative.update", FACT_ENTERERS, OWN_UNIT),
    ("initiative.delete", FACT_ENTERERS, OWN_UNIT),
    ("nominee.read_person", NOMINEE_READERS, IN_SCOPE),
    ("nominee.read_collective", NOMINEE_READERS, IN_SCOPE),
    # the papers printed from the data (văn bản)
    ("document.dossier_submission", EVERYONE, IN_SCOPE),
    ("document.return_letter", EVERYONE, IN_SCOPE),
    ("document.achievement_report", STAFF, IN_SCOPE),
    ("document.meeting_minutes", COUNCIL_READERS, IN_SCOPE),
    ("document.tally_minutes", COUNCIL_READERS, IN_SCOPE),
    ("document.meeting_submission", COUNCIL_READERS, IN_SCOPE),
    ("document.decision_draft", COUNCIL_READERS, IN_SCOPE),
    ("document.decision", COUNCIL_READERS, ANY),
    ("document.ballot_paper", COUNCIL_READERS, IN_SCOPE),
    ("document.disclosure_list", COUNCIL_READERS, ANY),
    # cluster emulation (thi đua cụm, khối): tables, self-scoring, verification, results
    ("emulation.create_table", TABLE_DEFINERS, DEFINER_OF_TABLE),
    ("emulation.update_table", TABLE_DEFINERS, DEFINER_OF_TABLE),
    ("emulation.open_table", TABLE_DEFINERS, DEFINER_OF_TABLE),
    ("emulation.revise_table", ONLY_NOI_VU, ANY),
    ("emulation.list_tables", EVERYONE, IN_SCOPE),
    ("emulation.read_table", EVERYONE, IN_SCOPE),
    ("emulation.read_result", EVERYONE, IN_SCOPE),
    ("emulation.save_sheet", ONLY_UNITS, OWN_UNIT),
    ("emulation.submit_sheet", ONLY_UNITS, OWN_UNIT),
    ("emulation.list_sheets", EVERYONE, IN_SCOPE),
    ("emulation.read_sheet", STAFF, IN_SCOPE),
    ("emulation.adjust_score", SHEET_REVIEWERS, REVIEWER_OF_SHEET),
    ("emulation.verify_sheet", SHEET_REVIEWERS, REVIEWER_OF_SHEET),
    ("emulation.dispute_score", ONLY_UNITS, OWNER_OF_SHEET),
    ("emulation.ranking", EVERYONE, IN_SCOPE),
    ("emulation.publish_ranking", ONLY_HEADS, HEAD_OF_CLUSTER),
    ("emulation.record_result", ONLY_HEADS, HEAD_OF_CLUSTER),
    ("emulation.open_vote", ONLY_HEADS, HEAD_OF_CLUSTER),
    ("emulation.close_vote", ONLY_HEADS, HEAD_OF_CLUSTER),
    ("emulation.list_votes", EVERYONE, IN_SCOPE),
    ("emulation.read_vote", EVERYONE, IN_SCOPE),
    ("emulation.cast_vote", ONLY_UNITS, ON_VOTE_ROLL),
    ("emulation.read_my_ballot", ONLY_UNITS, ON_VOTE_ROLL),
    ("emulation.export_scores", CLUSTER_FOLLOWERS, IN_SCOPE),
    ("emulation.progress", NOI_VU_OR_READER, ANY),
    ("document_template.list", ONLY_NOI_VU, ANY),
    ("document_template.read", ONLY_NOI_VU, ANY),
    ("document_template.update", ONLY_NOI_VU, ANY),
    ("document_template.versions", ONLY_NOI_VU, ANY),
    ("document_template.revert", ONLY_NOI_VU, ANY),
)
# Called without a Bearer token: signing in, a calendar app reading a feed, whose secret
# address is the credential (the feed shows what its owner may see), and the public surface
# (`/public/*`): the lists under disclosure and the awards decided, rate-limited per address.
_PUBLIC = (
    "auth.login",
    "auth.refresh",
    "calendar.feed",
    "public.disclosures",
    "public.awards",
)


def _build() -> dict[str, Action]:
    table = {name: Action(name, roles, rule) for name, roles, rule in _TABLE}
    table.update({name: Action(name, frozenset(), ANY, public=True) for name in _PUBLIC})
    if len(table) != len(_TABLE) + len(_PUBLIC):
        raise RuntimeError("An action is declared twice in the permissions table.")
    return table


ACTIONS: Mapping[str, Action] = _build()


def action(name: str) -> Action:
    """The row of `name`; an unknown name is a programming error, not a refusal."""
    try:
        return ACTIONS[name]
    except KeyError:
        raise LookupError(f"No action {name!r} in the permissions table.") from None


def admits(principal: Principal, name: str) -> bool:
    """Whether the role gate of `name` lets `principal` through (the object rule aside)."""
    return principal.role in action(name).roles


def require(principal: Principal, name: str, obj: Any = None) -> None:
    """Refuse (403) a caller whose role may not do `name`, or whom the action's object rule
    refuses on `obj`. Services call it first, whoever called them."""
    entry = action(name)
    if entry.public:
        return
    if principal.role not in entry.roles:
        raise Forbidden(ROLE_REFUSED)
    rule = entry.rule
    if obj is not None and rule.allows is not None and not rule.allows(principal, obj):
        raise rule.refusal(obj) if rule.refusal else Forbidden(ROLE_REFUSED)
