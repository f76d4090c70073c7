"""Following a job over the WebSocket, without the socket: what is sent on (re)subscribe, what is handed on."""
import json

import pytest

import jobline
from jobline._follow import FollowState, SubscriptionRefused


def _progress(seq, progress=10):
    return json.dumps({"type": "job_progress", "job_id": "j1", "progress": progress, "message": "m", "stage": "s",
                       "seq": seq})


def _status(seq, status):
    return json.dumps({"type": "job_status", "job_id": "j1", "status": {"job_id": "j1", "status": status}, "seq": seq})


def test_the_first_subscribe_asks_for_the_current_state_only():
    assert json.loads(FollowState("j1", None, True).subscribe_message()) == {"subscribe": "j1"}


def test_a_resubscribe_asks_for_everything_after_the_last_sequence_seen():
    state = FollowState("j1", None, True)
    state.accept(_status(4, "running"))
    state.accept(_progress(6))
    assert json.loads(state.subscribe_message()) == {"subscribe": "j1", "after": 6}


def test_control_messages_and_updates_at_or_below_the_last_sequence_are_not_handed_on():
    state = FollowState("j1", None, True)
    assert state.accept(json.dumps({"type": "connection", "message": "hi"})) is None
    assert state.accept(json.dumps({"type": "subscribed", "job_id": "j1", "message": "ok"})) is None
    assert state.accept(_progress(7))["seq"] == 7
    assert state.accept(_progress(7)) is None
    assert state.accept(_status(5, "running")) is None
    assert state.accept(_progress(8))["seq"] == 8


def test_following_ends_with_the_final_status_unless_asked_to_go_on():
    until_finished = FollowState("j1", None, True)
    until_finished.accept(_status(9, "completed"))
    assert until_finished.finished
    going_on = FollowState("j1", None, False)
    going_on.accept(_status(9, "completed"))
    assert not going_on.finished


def test_an_unknown_job_is_a_404_problem_and_other_refusals_are_passing():
    state = FollowState("j1", None, True)
    with pytest.raises(jobline.ProblemError) as unknown:
        state.accept(json.dumps({"type": "error", "job_id": "j1", "message": "Unknown job j1"}))
    assert unknown.value.status == 404
    with pytest.raises(SubscriptionRefused):
        state.accept(json.dumps({"type": "error", "message": "The service is starting"}))
