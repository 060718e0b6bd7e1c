"""Services check the right themselves: each state-changing service function asks the
permissions table first, for its own action, so it refuses a caller without the right even
when it is called outside HTTP (a script, another service). And every scope denies a role it
does not name."""

import importlib
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import select

from app.api.deps import ActionGate
from app.core.errors import Forbidden
from app.core.principal import ALL_ROLES, Principal
from app.models import (
    AwardHistory,
    Cluster,
    Council,
    Dossier,
    Event,
    Meeting,
    RoundExtension,
    ScoreSheet,
    ScoreTable,
    TaskReport,
    WebhookSubscription,
)
from app.services import (
    accounts,
    award_types,
    calendar_feeds,
    directory,
    emulation,
    holidays,
    permissions,
    policies,
    rounds,
    webhooks,
)
from app.services import auth as auth_service
from app.services import rule_values as rule_value_service
from app.services.accounts import grants
from app.services.award_history import importing as history_import
from app.services.award_history import unit_titles
from app.services.award_history.records import history_scope
from app.services.decisions import complaints, state
from app.services.decisions import records as decisions
from app.services.decisions import signed as signed_decisions
from app.services.directory import clusters, councils
from app.services.disclosures import lists as disclosures
from app.services.disclosures import opinions as disclosure_opinions
from app.services.documents import templates as document_templates
from app.services.dossiers import actions, attachments, create, nominations, reviews
from app.services.emulation import votes as cluster_votes
from app.services.meetings import agenda, ballots, closing, meetings
from app.services.meetings.access import meeting_scope
from app.services.nominees import importing as nominee_import
from app.services.nominees import records as nominee_records
from app.services.plans import importing as plan_import
from app.services.plans import records as plans
from app.services.tasks import records as tasks
from app.services.tasks import reports as task_reports

# (service function, its action, the arguments after the caller when None will not do)
SERVICES: list[tuple[Callable[..., Any], str, tuple[Any, ...] | None]] = [
    (auth_service.logout, "auth.logout", None),
    (auth_service.switch, "auth.switch", None),
    (grants.grant_role, "user.grant_role", None),
    (grants.revoke_grant, "user.revoke_grant", None),
    (accounts.create_service_token, "service_token.create", None),
    (accounts.revoke_service_token, "service_token.revoke", None),
    (accounts.create_user, "user.create", None),
    (accounts.update_user, "user.update", None),
    (directory.create_unit, "unit.create", None),
    (directory.update_unit, "unit.update", None),
    (directory.create_cluster, "cluster.create", None),
    (directory.update_cluster, "cluster.update", None),
    (directory.create_council, "council.create", None),
    (directory.update_council, "council.update", None),
    (directory.add_member, "council.add_member", None),
    (directory.update_member, "council.update_member", None),
    (directory.remove_member, "council.remove_member", None),
    (plans.create_plan, "plan.create", None),
    (plan_import.import_plan, "plan.import", None),
    (plans.update_plan, "plan.update", None),
    (tasks.create_task, "task.create", None),
    (tasks.update_task, "task.update", None),
    (task_reports.submit_report, "task.report", None),
    (award_types.update_award_type, "award_type.update", None),
    (rounds.create_round, "round.create", None),
    (rounds.update_round, "round.update", None),
    (rounds.move_round, "round.open", (1, "open", None)),
    (rounds.move_round, "round.close", (1, "close", None)),
    (rounds.move_round, "round.complete", (1, "complete", None)),
    (rounds.grant_extension, "round.grant_extension", None),
    (holidays.set_holiday, "holiday.set", None),
    (holidays.delete_holiday, "holiday.delete", None),
    (rule_value_service.create, "rule_value.create", None),
    (rule_value_service.update, "rule_value.update", None),
    (create.create_dossier, "dossier.create", None),
    (create.update_dossier, "dossier.update", None),
    (actions.submit, "dossier.submit", None),
    (actions.withdraw, "dossier.withdraw", None),
    (actions.return_dossier, "dossier.return", None),
    (actions.receive, "dossier.receive", None),
    (actions.complete_appraisal, "dossier.complete_appraisal", None),
    (nominations.add_nomination, "nomination.add", None),
    (nominations.update_nomination, "nomination.update", None),
    (nominations.delete_nomination, "nomination.delete", None),
    (actions.appraise_nomination, "nomination.appraise", None),
    (reviews.review_check, "nomination.review_check", None),
    (reviews.withdraw_review, "nomination.withdraw_check_review", None),
    (attachments.upload, "attachment.upload", None),
    (attachments.delete_attachment, "attachment.delete", None),
    (meetings.schedule, "meeting.schedule", None),
    (agenda.set_agenda, "meeting.set_agenda", None),
    (meetings.set_attendance, "meeting.set_attendance", None),
    (meetings.open_meeting, "meeting.open", None),
    (closing.close, "meeting.close", None),
    (ballots.cast, "ballot.cast", None),
    (ballots.mine, "ballot.read_mine", None),
    (decisions.record, "decision.record", None),
    (signed_decisions.correct, "decision.correct", None),
    (signed_decisions.upload, "decision.attach_signed", None),
    (state.record_result, "state_result.record", None),
    (disclosures.record, "disclosure.record_list", None),
    (disclosures.record_for_nomination, "disclosure.record", None),
    (disclosures.update, "disclosure.update", None),
    (disclosure_opinions.record, "disclosure.record_opinion", None),
    (disclosure_opinions.update, "disclosure.update_opinion", None),
    (complaints.record, "complaint.record", None),
    (complaints.resolve, "complaint.resolve", None),
    (history_import.import_history, "award_history.import", None),
    (unit_titles.record_title, "award_history.record", None),
    (unit_titles.confirm_title, "award_history.confirm", None),
    (unit_titles.update_title, "award_history.update", None),
    (unit_titles.delete_title, "award_history.delete", None),
    (emulation.create_table, "emulation.create_table", None),
    (emulation.update_table, "emulation.update_table", None),
    (emulation.open_table, "emulation.open_table", None),
    (emulation.revise_table, "emulation.revise_table", None),
    (emulation.save_own_sheet, "emulation.save_sheet", None),
    (emulation.submit_own_sheet, "emulation.submit_sheet", None),
    (emulation.adjust_score, "emulation.adjust_score", None),
    (emulation.verify_sheet, "emulation.verify_sheet", None),
    (emulation.dispute_score, "emulation.dispute_score", None),
    (emulation.publish, "emulation.publish_ranking", None),
    (emulation.record_result, "emulation.record_result", None),
    (cluster_votes.open_vote, "emulation.open_vote", None),
    (cluster_votes.cast, "emulation.cast_vote", None),
    (cluster_votes.mine, "emulation.read_my_ballot", None),
    (cluster_votes.close, "emulation.close_vote", None),
    (document_templates.upload, "document_template.update", None),
    (document_templates.revert, "document_template.revert", None),
    (nominee_records.record_rating, "rating.record", None),
    (nominee_records.confirm_rating, "rating.confirm", None),
    (nominee_import.import_ratings, "rating.import", None),
    (nominee_records.record_discipline, "discipline.record", None),
    (nominee_records.record_initiative, "initiative.record", None),
    (nominee_records.update_rating, "rating.update", None),
    (nominee_records.delete_rating, "rating.delete", None),
    (nominee_records.update_discipline, "discipline.update", None),
    (nominee_records.delete_discipline, "discipline.delete", None),
    (nominee_records.update_initiative, "initiative.update", None),
    (nominee_records.delete_initiative, "initiative.delete", None),
    (calendar_feeds.create, "calendar_feed.create", None),
    (calendar_feeds.revoke, "calendar_feed.revoke", None),
    (webhooks.create, "webhook.create", None),
    (webhooks.update, "webhook.update", None),
    (webhooks.remove, "webhook.delete", None),
    (webhooks.rotate_secret, "webhook.rotate_secret", None),
    (webhooks.ping, "webhook.ping", None),
    (webhooks.redeliver, "webhook.redeliver", None),
]


def _arguments(service: Callable[..., Any], given: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """None for every required argument after (session, caller): the check comes first."""
    if given is not None:
        return given
    params = list(inspect.signature(service).parameters.values())[2:]
    return tuple(None for p in params if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD)


def _id(case: Any) -> str:
    return case if isinstance(case, str) else ""


class _Asked(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


@pytest.mark.parametrize(("service", "name", "given"), SERVICES, ids=lambda c: _id(c))
async def test_each_service_asks_for_its_own_action_first(monkeypatch, service, name, given):
    def ask(principal: Principal, action: str, obj: Any = None) -> None:
        raise _Asked(action)

    monkeypatch.setattr(permissions, "require", ask)

    with pytest.raises(_Asked) as asked:
        await service(None, Principal(role="noi_vu"), *_arguments(service, given))

    assert asked.value.name == name


REFUSALS = [
    (service, name, given, role)
    for service, name, given in SERVICES
    for role in ALL_ROLES
    if role not in permissions.action(name).roles
]


@pytest.mark.parametrize(("service", "name", "given", "role"), REFUSALS, ids=lambda c: _id(c))
async def test_a_service_refuses_a_role_its_action_does_not_admit(service, name, given, role):
    caller = Principal(role=role, user_id=1, unit_id=1, cluster_id=1, council_member_id=1)

    with pytest.raises(Forbidden):
        await service(None, caller, *_arguments(service, given))


async def test_receiving_a_dossier_as_a_unit_is_refused_outside_http():
    unit = Principal(role="unit", user_id=7, unit_id=3)

    with pytest.raises(Forbidden):
        await actions.receive(None, unit, 1, None, None)


def test_every_state_changing_route_has_its_service_checked(app):
    changing = {
        gate.action.name
        for context in iter_route_contexts(app.routes)
        if isinstance(route := context.original_route, APIRoute) and route.methods - {"GET"}
        for gate in (d.call for d in route.dependant.dependencies)
        if isinstance(gate, ActionGate)
    }

    assert changing - {name for _, name, _ in SERVICES} == set()


def test_the_table_names_known_roles_and_every_gated_action_admits_someone():
    for entry in permissions.ACTIONS.values():
        assert entry.roles <= set(ALL_ROLES), entry.name
        assert entry.public or entry.roles, entry.name
        assert not (entry.public and entry.roles), entry.name


def test_an_owner_rule_refuses_another_units_dossier_with_its_own_code():
    dossier = type("D", (), {"owner_kind": "unit", "submitting_unit_id": 1, "code": "HS-1"})()
    other = Principal(role="unit", unit_id=2)

    with pytest.raises(Forbidden) as refused:
        permissions.require(other, "dossier.submit", dossier)

    assert refused.value.code == "not_dossier_owner"
    permissions.require(Principal(role="unit", unit_id=1), "dossier.submit", dossier)


SCOPES = [
    (policies.dossier_scope, Dossier),
    (policies.event_scope, Event),
    (policies.extension_scope, RoundExtension),
    (policies.task_report_scope, TaskReport),
    (meeting_scope, Meeting),
    (clusters._cluster_scope, Cluster),
    (councils._council_scope, Council),
    (history_scope, AwardHistory),
    (policies.score_table_scope, ScoreTable),
    (policies.score_sheet_scope, ScoreSheet),
    (policies.webhook_scope, WebhookSubscription),
]


@pytest.mark.parametrize(("scope", "model"), SCOPES, ids=lambda c: getattr(c, "__name__", ""))
def test_a_scope_shows_nothing_to_a_role_it_does_not_name(scope, model):
    stranger = Principal(role="stranger", user_id=1, unit_id=1, cluster_id=1, council_member_id=1)

    assert "WHERE false" in str(scope(select(model), stranger))


MATRICES = (
    "tests.calendar_feeds.test_calendar_feeds",
    "tests.test_foundation_permissions",
    "tests.dossiers.test_permissions",
    "tests.dossiers.test_outputs",
    "tests.documents.test_papers",
    "tests.documents.test_templates",
    "tests.meetings.test_permissions",
    "tests.decisions.test_signed",
    "tests.nominees.test_permissions",
    "tests.plans.test_plans",
    "tests.rule_values.test_rule_values",
    "tests.tasks.test_tasks",
    "tests.tasks.test_reports",
    "tests.tasks.test_outputs",
    "tests.emulation.test_rules",
    "tests.webhooks.test_permissions",
    "tests.disclosures.test_disclosures",
)


def test_every_gated_action_has_a_row_in_a_role_matrix():
    rows = {e.action for module in MATRICES for e in importlib.import_module(module).ENDPOINTS}
    gated = {name for name, entry in permissions.ACTIONS.items() if not entry.public}

    assert gated - rows == set()
