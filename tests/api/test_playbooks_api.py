"""API v1 for playbooks: start, tick, resume; documents; emails sent and received."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerops.core.roles import Role
from tests.api.client import Api
from tests.factories import prospect

pytestmark = pytest.mark.django_db


def test_a_playbook_through_the_api(api: Api) -> None:
    engagement = prospect(api.user, "Coastal Ocean")
    listed = api.call("GET", "/playbooks").json()
    assert [p["key"] for p in listed][:2] == ["hail-the-lead", "create-running-notes"]
    started = api.call(
        "POST", "/playbook-runs", {"engagement_id": engagement.pk, "playbook": "meet-with-the-lead"}
    )
    assert started.status_code == 201, started.content
    run = started.json()
    assert run["state"] == "waiting" and [s["state"] for s in run["steps"]] == ["pending"] * 5
    wrong = api.call("POST", f"/playbook-runs/{run['id']}/steps/3/complete", {})
    assert wrong.status_code == 409 and "is not the step to do now" in wrong.json()["detail"]
    for position in range(1, 5):
        api.call(
            "POST",
            f"/playbook-runs/{run['id']}/steps/{position}/complete",
            {"notes": f"step {position}"},
        )
    done = api.call("POST", f"/playbook-runs/{run['id']}/steps/5/complete", {"skip": True}).json()
    assert done["state"] == "done" and done["steps"][0]["notes"] == "step 1"
    assert done["steps"][4]["state"] == "skipped"
    assert api.call("GET", f"/playbook-runs?engagement_id={engagement.pk}").json()["count"] == 1


def test_documents_and_emails_through_the_api(api: Api) -> None:
    engagement = prospect(api.user, "Coastal Ocean")
    run = api.call(
        "POST",
        "/playbook-runs",
        {"engagement_id": engagement.pk, "playbook": "send-draft-contract"},
    ).json()
    assert run["state"] == "done", run
    documents = api.call("GET", f"/documents?engagement_id={engagement.pk}").json()["items"]
    (agreement,) = [d for d in documents if d["kind"] == "services_agreement"]
    download = api.call("GET", f"/documents/{agreement['id']}/file")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")
    shared = api.call("POST", f"/documents/{agreement['id']}/share").json()
    assert "/documents/shared/" in shared["url"] and shared["valid_days"] == 30
    exported = api.call("POST", "/documents/running-notes", {"engagement_id": engagement.pk})
    assert exported.status_code == 201 and exported.json()["kind"] == "running_notes"

    eml = SimpleUploadedFile("reply.eml", b"From: rep@coastal.example.edu\r\nDate: Tue, 03 Nov 2026 10:00:00 +0000\r\n"
                             b"Subject: Looks good\r\n\r\nThanks!\r\n")  # fmt: skip
    received = api.client.post("/api/v1/emails/received", {"engagement_id": engagement.pk, "email_file": eml},
                               HTTP_AUTHORIZATION=f"Bearer {api.token}")  # fmt: skip
    assert received.status_code == 201, received.content
    emails = api.call("GET", f"/emails?engagement_id={engagement.pk}").json()
    assert {(e["direction"], e["subject"]) for e in emails} >= {("received", "Looks good")}
    sent = [e for e in emails if e["direction"] == "sent"]
    assert (
        sent
        and sent[0]["status"] == "Sent"
        and sent[0]["subject"].startswith("Draft services agreement")
    )


def test_viewers_read_but_do_not_run(api: Api) -> None:
    engagement = prospect(api.user, "Coastal Ocean")
    viewer = Api(Role.VIEWER)
    assert viewer.call("GET", "/playbooks").status_code == 200
    refused = viewer.call(
        "POST", "/playbook-runs", {"engagement_id": engagement.pk, "playbook": "hail-the-lead"}
    )
    assert refused.status_code == 403


def test_pages_start_tick_and_resume(partnerships_client: Any, partnerships_user: Any) -> None:
    engagement = prospect(partnerships_user, "Coastal Ocean")
    page = partnerships_client.get(f"/engagements/{engagement.pk}/")
    assert b"Hail the Lead" in page.content and b'id="start-playbook"' in page.content
    preview = partnerships_client.get(
        f"/engagements/{engagement.pk}/playbooks/start/?playbook=hail-the-lead"
    )
    assert b"Thank you for your interest in Example Hubs" in preview.content
    assert (
        b"rep@coastal.example.edu" in preview.content and b"Service description" in preview.content
    )
    response = partnerships_client.post(
        f"/engagements/{engagement.pk}/playbooks/start/", {"playbook": "launch-meeting"}
    )
    run_url = response["Location"]
    page = partnerships_client.get(run_url)
    assert (
        b"Schedule the launch meeting" in page.content and b"Waiting for a person" in page.content
    )
    partnerships_client.post(
        f"{run_url}steps/1/complete/", {"notes": "Booked for Monday", "skip": "0"}
    )
    page = partnerships_client.get(run_url)
    assert b"Booked for Monday" in page.content
