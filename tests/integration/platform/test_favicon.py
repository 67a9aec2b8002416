"""Every page names an icon, and the address browsers guess for one answers, so nothing 404s."""


def test_the_icon_is_served_where_pages_link_it_and_where_browsers_guess(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and svg.data.startswith(b"<svg")
    with client.get("/favicon.ico") as ico:
        assert ico.status_code == 200
        assert ico.data[:4] == b"\x00\x00\x01\x00"  # an icon file, not an error page
        assert ico.mimetype == "image/vnd.microsoft.icon"
