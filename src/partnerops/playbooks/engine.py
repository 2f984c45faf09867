"""Running a playbook: automatic steps are done by PartnerOps in order, manual steps are
ticked by a person (who, when, notes); a failed step stops the run, shows its error
and is retried by "resume". Every step runs in its own transaction, so a failure
leaves nothing half-recorded; an email step stores its email first (the archive),
then waits for it to leave: if the mail server is down the step fails and the email
stays in the outbox, never to be sent twice.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.core.errors import DomainError
from partnerops.crm.models import Engagement, EntryKind, TimelineEntry
from partnerops.outbox.services import NotDelivered
from partnerops.playbooks.actions import ACTIONS, Outcome
from partnerops.playbooks.audit_actions import PlaybooksAction
from partnerops.playbooks.handoff import GitHubError
from partnerops.playbooks.models import (
    Playbook,
    PlaybookRun,
    RunState,
    RunStep,
    StepKind,
    StepState,
)

# What a step may fail with: shown on the step, which can then be resumed.
STEP_ERRORS = (DomainError, ValidationError, GitHubError, NotDelivered, OSError)


def _timeline(run: PlaybookRun, title: str, body: str = "", actor: Any = None) -> None:
    TimelineEntry.objects.create(
        engagement=run.engagement,
        kind=EntryKind.NOTE,
        author=user_or_none(actor),
        title=f"{run.name}: {title}"[:300],
        body=body,
    )


@transaction.atomic
def _create_run(actor: Any, engagement: Engagement, playbook: Playbook) -> PlaybookRun:
    steps = list(playbook.steps.order_by("position"))
    if not steps:
        raise DomainError(f"The playbook '{playbook.name}' has no steps.")
    run = PlaybookRun.objects.create(
        engagement=engagement, playbook=playbook, name=playbook.name, started_by=user_or_none(actor)
    )
    RunStep.objects.bulk_create(
        RunStep(
            run=run,
            position=step.position,
            title=step.title,
            help_text=step.help_text,
            kind=step.kind,
            action=step.action,
            params=step.params,
        )
        for step in steps
    )
    audit.record_create(actor=actor, instance=run)
    _timeline(run, "started", actor=actor)
    return run


def run_start(*, actor: Any, engagement: Engagement, playbook: Playbook) -> PlaybookRun:
    if not playbook.active:
        raise DomainError(f"The playbook '{playbook.name}' is retired.")
    run = _create_run(actor, engagement, playbook)
    return run_advance(actor=actor, run=run)


def current_step(run: PlaybookRun) -> RunStep | None:
    return (
        run.steps.exclude(state__in=[StepState.DONE, StepState.SKIPPED])
        .order_by("position")
        .first()
    )


def run_advance(*, actor: Any, run: PlaybookRun) -> PlaybookRun:
    """Do automatic steps until a manual one, a failure, or the end."""
    while True:
        step = current_step(run)
        if step is None:
            return _finish(run, actor)
        if step.kind == StepKind.MANUAL:
            return _set_state(run, RunState.WAITING)
        if not _execute(step, actor):
            return _set_state(run, RunState.FAILED)


def _set_state(run: PlaybookRun, state: str) -> PlaybookRun:
    if run.state != state:
        run.state = state
        run.save(update_fields=["state"])
    return run


@transaction.atomic
def _finish(run: PlaybookRun, actor: Any) -> PlaybookRun:
    run.state, run.finished_at = RunState.DONE, timezone.now()
    run.save(update_fields=["state", "finished_at"])
    _timeline(run, "finished", actor=actor)
    return run


def _execute(step: RunStep, actor: Any, *, notes: str = "", skip: bool = False) -> bool:
    """Run the step's action in one transaction; then deliver (email) if it needs to."""
    try:
        with transaction.atomic():
            locked = (
                RunStep.objects.select_for_update()
                .select_related("run__engagement")
                .get(pk=step.pk)
            )
            if locked.state in (StepState.DONE, StepState.SKIPPED):
                return True  # done by a concurrent request
            outcome = (
                Outcome() if skip or not locked.action else ACTIONS[locked.action](locked, actor)
            )
            locked.result = {**locked.result, **outcome.result}
            locked.attempts += 1
            locked.save(update_fields=["result", "attempts"])
            if outcome.deliver is None:
                _mark(
                    locked,
                    actor,
                    StepState.SKIPPED if skip else StepState.DONE,
                    notes,
                    outcome.note,
                )
    except STEP_ERRORS as error:
        _fail(step, error)
        return False
    if outcome.deliver is not None:
        try:
            outcome.deliver()
        except STEP_ERRORS as error:
            _fail(step, error)
            return False
        with transaction.atomic():
            _mark(
                RunStep.objects.select_for_update().get(pk=step.pk),
                actor,
                StepState.DONE,
                notes,
                outcome.note,
            )
    return True


def _message(error: BaseException) -> str:
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error) or type(error).__name__


@transaction.atomic
def _fail(step: RunStep, error: BaseException) -> None:
    locked = RunStep.objects.select_for_update().select_related("run__engagement").get(pk=step.pk)
    locked.state, locked.error = StepState.FAILED, _message(error)[:2000]
    locked.save(update_fields=["state", "error"])
    _timeline(locked.run, f"step {locked.position} failed: {locked.title}", locked.error)


def _mark(step: RunStep, actor: Any, state: str, notes: str, note: str) -> None:
    step.state, step.done_by, step.done_at, step.error = (
        state,
        user_or_none(actor),
        timezone.now(),
        "",
    )
    step.notes = notes
    step.save(update_fields=["state", "done_by", "done_at", "error", "notes"])
    body = "\n\n".join(part for part in (note, notes) if part)
    verb = "skipped" if state == StepState.SKIPPED else "done"
    _timeline(step.run, f"{step.title} ({verb})", body, actor=actor)
    audit.record(
        actor=actor,
        instance=step,
        action=PlaybooksAction.STEP_SKIPPED
        if state == StepState.SKIPPED
        else PlaybooksAction.STEP_DONE,
        changes={"state": {"old": StepState.PENDING, "new": state}},
    )


def step_complete(*, actor: Any, step: RunStep, notes: str = "", skip: bool = False) -> PlaybookRun:
    """Tick the run's current manual step (or skip it); its action, if any, runs now."""
    run = step.run
    current = current_step(run)
    if current is None or current.pk != step.pk:
        raise DomainError(f"'{step.title}' is not the step to do now in {run.name}.")
    if step.kind != StepKind.MANUAL:
        raise DomainError(f"'{step.title}' is done by PartnerOps; resume the run to retry it.")
    if not _execute(step, actor, notes=notes.strip(), skip=skip):
        return _set_state(run, RunState.FAILED)
    return run_advance(actor=actor, run=run)


def run_resume(*, actor: Any, run: PlaybookRun) -> PlaybookRun:
    """Retry the failed step, then carry on."""
    if run.state != RunState.FAILED:
        raise DomainError(f"{run.name} has no failed step to retry.")
    step = current_step(run)
    if step is not None and step.kind == StepKind.MANUAL:
        # A manual step whose action failed is retried by ticking it again.
        RunStep.objects.filter(pk=step.pk).update(state=StepState.PENDING)
        return _set_state(run, RunState.WAITING)
    return run_advance(actor=actor, run=run)
