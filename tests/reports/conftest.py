import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded evidence goes to the test's own directory, never to the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
