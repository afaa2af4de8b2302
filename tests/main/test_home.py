from tests.auth.factories import UserFactory


def test_a_visitor_is_offered_to_log_in_or_register(client):
    page = client.get("/").text
    assert 'href="/auth/login"' in page and 'href="/auth/register"' in page


def test_a_logged_in_user_is_greeted_by_name(client, login):
    login(UserFactory(name="Margaret Hamilton"))
    page = client.get("/").text
    assert "Hello, Margaret Hamilton" in page
    assert 'href="/auth/login"' not in page
