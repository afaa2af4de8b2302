"""Guessing is throttled: per client address and per account, with a 429 page that tells nothing."""
import subprocess
import sys
import textwrap
import uuid

from project.extensions import limiter
from tests.auth.factories import UserFactory
from tests.cli import REPO_ROOT


def test_the_fourth_wrong_password_for_an_account_gets_429_with_retry_after(limits, login):
    user = UserFactory()
    answers = [login(user, password=f"wrong guess {n}").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = login(user)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many attempts" in refused.text and "Back to the home page" in refused.text


def test_one_account_is_throttled_from_every_address(limits, app, login, db_session):
    user = UserFactory()
    for number in range(3):
        address = app.test_client()
        login(user, password="wrong", client=address,
              environ_base={"REMOTE_ADDR": f"10.0.0.{number}"})
    from_elsewhere = app.test_client()
    answer = login(user, client=from_elsewhere, environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert answer.status_code == 429


def test_one_address_is_throttled_whichever_account_it_tries(limits, login):
    for number in range(3):
        login(UserFactory(), password="wrong")
    assert login(UserFactory()).status_code == 429


def test_throttling_tells_nothing_about_which_accounts_exist(limits, login):
    existing = UserFactory()
    nobody = UserFactory.build(email="nobody@example.com")
    for who in (existing, nobody):
        limiter.reset()
        answers = [login(who, password="wrong").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]


def test_a_successful_login_does_not_use_up_the_budget(limits, client, login):
    user = UserFactory()
    for _ in range(5):
        assert login(user).status_code == 302
        client.post("/auth/logout", data={"csrf_token": "x"})
        client.delete_cookie("session")


def test_password_reset_requests_are_throttled_too(limits, post_form):
    answers = [post_form("/auth/forgot", {"email": "someone@example.com"}).status_code
               for _ in range(4)]
    assert answers == [302, 302, 302, 429]


WORKER = textwrap.dedent("""
    import sys
    import flask_migrate
    from project import create_app
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": sys.argv[3], "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "RATELIMIT_KEY_PREFIX": sys.argv[1],
        "LOGIN_LIMITS": "3 per day",  # a day: see the limits fixture in tests/conftest.py
    })
    with app.app_context():
        flask_migrate.upgrade()
    client = app.test_client()
    for _ in range(int(sys.argv[2])):
        answer = client.post("/auth/login", data={"email": "ada@example.com", "password": "no"})
        print(answer.status_code)
""")


def run_worker(prefix, attempts, database):
    result = subprocess.run([sys.executable, "-c", WORKER, prefix, str(attempts), database],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [int(line) for line in result.stdout.split()]


def test_with_redis_the_limits_hold_across_worker_processes(tmp_path):
    """Production's gunicorn workers each have their own memory; Redis is what they share."""
    prefix = f"test-{uuid.uuid4().hex}"
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    assert run_worker(prefix, 2, database) == [200, 200]
    assert run_worker(prefix, 2, database) == [200, 429]
