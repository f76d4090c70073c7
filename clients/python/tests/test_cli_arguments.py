"""The CLI's command line and configuration, without a service: parsing, precedence, usage errors' exit codes."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from jobline.cli import config, parser
from jobline.cli.app import main
from jobline.cli.exits import CliError, Exit


def test_submit_takes_input_files_options_and_a_key():
    args = parser.parse(["submit", "demo", "--input", '{"stages": 3}', "--file", "a.csv", "--file", "b.csv",
                         "--options", '{"max_attempts": 2, "priority": 5}', "--option", "max_attempts=3",
                         "--option", "timeout_ms=null", "--idempotency-key", "order-1", "--follow"])
    assert (args.command, args.type, args.input) == ("submit", "demo", {"stages": 3})
    assert args.files == ["a.csv", "b.csv"]
    assert args.options == {"max_attempts": 2, "priority": 5}
    assert args.option_pairs == [("max_attempts", 3), ("timeout_ms", None)]
    assert (args.idempotency_key, args.follow) == ("order-1", True)


def test_submit_takes_a_webhook_and_its_events():
    args = parser.parse(["submit", "noop", "--notify", "https://example.com/h", "--notify-events", "stage, terminal"])
    assert (args.notify, args.notify_events) == ("https://example.com/h", ["stage", "terminal"])
    assert parser.parse(["submit", "noop"]).notify is None


def test_webhooks_take_an_action_and_its_arguments():
    add = parser.parse(["webhooks", "add", "https://example.com/h", "--events", "terminal,progress",
                        "--types", "noop,demo", "--json"])
    assert (add.command, add.action, add.webhook_url) == ("webhooks", "add", "https://example.com/h")
    assert (add.events, add.job_types, add.json) == (["terminal", "progress"], ["noop", "demo"], True)
    assert parser.parse(["webhooks", "add", "https://example.com/h"]).events is None
    assert parser.parse(["--json", "webhooks", "list"]).action == "ls"
    removed = parser.parse(["webhooks", "delete", "whsub_1", "whsub_2"])
    assert (removed.action, removed.webhook_ids) == ("rm", ["whsub_1", "whsub_2"])
    assert parser.parse(["webhooks", "secret"]).action == "secret"
    assert parser.parse(["deliveries", "j-1", "--json"]).job_id == "j-1"


def test_notify_events_without_a_notify_url_is_a_usage_error(tmp_path):
    err = io.StringIO()
    code = main(["--url", "http://127.0.0.1:9", "submit", "noop", "--notify-events", "stage"],
                environ={"JOBLINE_CONFIG": str(tmp_path / "none.toml")}, stdout=io.StringIO(), stderr=err)
    assert code == Exit.USAGE
    assert "--notify-events needs --notify" in err.getvalue()


def test_an_option_value_that_is_not_json_is_taken_as_text():
    assert parser.option_pair("queue=fast lane") == ("queue", "fast lane")
    assert parser.option_pair("priority=-5") == ("priority", -5)


def test_input_can_come_from_a_file(tmp_path: Path):
    path = tmp_path / "input.json"
    path.write_text('{"stages": 2}')
    assert parser.parse(["submit", "demo", "-i", f"@{path}"]).input == {"stages": 2}


def test_the_common_options_go_before_or_after_the_command():
    before = parser.parse(["--json", "--url", "http://a:1", "ls"])
    after = parser.parse(["ls", "--json", "--url", "http://a:1"])
    neither = parser.parse(["ls"])
    assert (before.json, before.url) == (True, "http://a:1") == (after.json, after.url)
    assert (neither.json, neither.url) == (False, None)


def test_an_alias_runs_its_command():
    assert parser.parse(["list", "--all"]).command == "ls"
    assert parser.parse(["delete", "x", "y"]).command == "rm"
    assert parser.parse(["watch", "x"]).command == "follow"


@pytest.mark.parametrize("argv", [
    ["submit", "demo", "--input", "{not json"],
    ["submit", "demo", "--input", "[1, 2]"],
    ["submit", "demo", "--option", "no-equals-sign"],
    ["ls", "--status", "finished"],
    ["ls", "--limit", "0"],
    ["submit", "noop", "--notify", "https://example.com/h", "--notify-events", "terminal,everything"],
    ["webhooks"],
    ["webhooks", "add"],
    ["webhooks", "add", "https://example.com/h", "--events", ""],
    ["webhooks", "rm"],
    ["frobnicate"],
    [],
])
def test_a_usage_error_exits_3_with_a_message_not_a_traceback(argv, capsys):
    with pytest.raises(SystemExit) as exit:
        parser.parse(argv)
    assert exit.value.code == Exit.USAGE
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


def test_a_missing_file_to_upload_is_a_usage_error_before_anything_is_sent(tmp_path):
    err = io.StringIO()
    code = main(["--url", "http://127.0.0.1:9", "submit", "demo", "--file", str(tmp_path / "nope.csv")],
                environ={"JOBLINE_CONFIG": str(tmp_path / "none.toml")}, stdout=io.StringIO(), stderr=err)
    assert code == Exit.USAGE
    assert "no such file" in err.getvalue()


def test_a_service_that_does_not_answer_exits_5(tmp_path):
    err = io.StringIO()
    code = main(["--url", "http://127.0.0.1:9", "ls"], environ={"JOBLINE_CONFIG": str(tmp_path / "none.toml")},
                stdout=io.StringIO(), stderr=err)
    assert code == Exit.UNREACHABLE
    assert err.getvalue().startswith("jobline: cannot reach http://127.0.0.1:9")


FILE = {"url": "http://file", "api_key": "file-key",
        "profiles": {"prod": {"url": "https://prod", "api_key": "prod-key"}, "bare": {"url": "http://bare"}}}


def resolve(url=None, profile=None, environ=None, file=None):
    return config.resolve(url=url, profile=profile, environ=environ or {}, file=FILE if file is None else file,
                          path=Path("/c.toml"))


def test_without_any_setting_the_url_is_localhost_and_there_is_no_key():
    settings = resolve(file={})
    assert (settings.url, settings.api_key, settings.headers()) == ("http://localhost:8080", None, {})


def test_the_environment_beats_the_file_and_the_url_flag_beats_both():
    environ = {"JOBLINE_URL": "http://env/", "JOBLINE_API_KEY": "env-key"}
    assert (resolve(environ=environ).url, resolve(environ=environ).api_key) == ("http://env", "env-key")
    assert resolve(url="http://flag", environ=environ).url == "http://flag"
    assert resolve().api_key == "file-key"
    assert resolve(environ=environ).headers() == {"Authorization": "Bearer env-key"}


def test_a_profile_named_by_flag_beats_the_environment_and_one_named_by_environment_does_not():
    environ = {"JOBLINE_URL": "http://env", "JOBLINE_API_KEY": "env-key", "JOBLINE_PROFILE": "prod"}
    flagged = resolve(profile="prod", environ=environ)
    assert (flagged.url, flagged.api_key) == ("https://prod", "prod-key")
    assert resolve(environ=environ).url == "http://env"
    assert resolve(environ={"JOBLINE_PROFILE": "prod"}).api_key == "prod-key"


def test_a_profile_without_a_key_takes_the_next_layers_key():
    settings = resolve(profile="bare")
    assert (settings.url, settings.api_key, settings.api_key_source) == ("http://bare", "file-key", "/c.toml")


def test_an_unknown_profile_is_a_usage_error_naming_the_known_ones():
    with pytest.raises(CliError, match="profiles: bare, prod"):
        resolve(profile="staging")


def test_the_config_file_is_toml_found_by_environment(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('url = "http://toml"\n[profiles.x]\napi_key = "k"\n')
    assert config.config_path({"JOBLINE_CONFIG": str(path)}) == path
    assert config.config_path({"XDG_CONFIG_HOME": "/x"}) == Path("/x/jobline/config.toml")
    assert config.load_file(path) == {"url": "http://toml", "profiles": {"x": {"api_key": "k"}}}
    assert config.load_file(tmp_path / "missing.toml") == {}
    path.write_text("url = ")
    with pytest.raises(CliError, match="not valid TOML"):
        config.load_file(path)


def test_a_problem_reads_as_title_and_detail_with_its_violations_and_a_hint_for_a_missing_key():
    from jobline import ProblemError
    from jobline.cli.app import problem_text

    invalid = ProblemError(400, "Invalid job input", "The input does not match",
                           extra={"errors": ["input/stages: string found, integer expected"]})
    assert problem_text(invalid, "http://x") == ("jobline: Invalid job input: The input does not match (400)\n"
                                                 "  - input/stages: string found, integer expected\n")
    unauthorized = problem_text(ProblemError(401, "Unauthorized", None), "http://x")
    assert unauthorized.startswith("jobline: Unauthorized (401)\n") and "JOBLINE_API_KEY" in unauthorized
