"""When heartbeats are due: a plain one every interval, progress at most once a second unless it jumps."""
from jobline.worker.throttle import ProgressThrottle


def test_a_plain_heartbeat_is_due_one_interval_after_the_last_call():
    throttle = ProgressThrottle(interval=5.0, now=100.0)
    assert throttle.due_at() == 105.0
    throttle.renewed(103.0)
    assert throttle.due_at() == 108.0


def test_the_first_progress_of_an_attempt_is_due_at_once():
    throttle = ProgressThrottle(interval=5.0, now=100.0)
    throttle.offer(0.01, "starting")
    assert throttle.due_at() == float("-inf")
    assert throttle.take(100.5) == {"progress": 0.01, "message": "starting"}


def test_small_progress_steps_wait_a_second_after_the_last_progress_sent():
    throttle = ProgressThrottle(interval=5.0, now=100.0)
    throttle.offer(0.01, None)
    throttle.take(100.0)
    throttle.offer(0.02, None)
    throttle.offer(0.03, "latest wins")
    assert throttle.due_at() == 101.0
    assert throttle.take(101.0) == {"progress": 0.03, "message": "latest wins"}


def test_a_progress_jump_of_a_tenth_or_more_is_due_at_once():
    throttle = ProgressThrottle(interval=5.0, now=100.0)
    throttle.offer(0.05, None)
    throttle.take(100.0)
    throttle.offer(0.15, None)
    assert throttle.due_at() == float("-inf")


def test_a_heartbeat_without_new_progress_carries_no_progress_fields():
    throttle = ProgressThrottle(interval=5.0, now=100.0)
    assert throttle.take(105.0) == {}
    assert throttle.due_at() == 110.0


def test_a_new_stage_drops_the_unsent_progress_of_the_stage_before_and_counts_fractions_afresh():
    throttle = ProgressThrottle(interval=5.0, now=100.0)
    throttle.offer(0.9, None)
    throttle.take(100.0)
    throttle.offer(0.95, None)
    throttle.next_stage()
    assert throttle.due_at() == 105.0
    throttle.offer(0.1, None)
    assert throttle.due_at() == float("-inf")
