"""Drawing the board pack's charts: a browser that fails once is replaced, twice is an error."""

import sys

import pytest

from workforce.boardpack import images


@pytest.fixture
def draws(monkeypatch, settings):
    settings.CHROMIUM_PATH = sys.executable  # any file: the browser itself is stood in for
    calls = []

    def install(*outcomes):
        async def draw(figures):
            outcome = outcomes[len(calls)]
            calls.append(outcome)
            if isinstance(outcome, Exception):
                raise outcome
            return {key: outcome for key in figures}

        monkeypatch.setattr(images, "_draw", draw)
        return calls

    return install


def test_a_browser_that_fails_once_is_replaced_by_a_new_one(draws):
    calls = draws(RuntimeError("kaleido_scopes is not defined"), b"png")
    assert images.chart_images({"supply": {"data": []}}) == {"supply": b"png"}
    assert len(calls) == images.ATTEMPTS == 2


def test_a_browser_that_fails_every_time_is_a_chart_image_error(draws):
    calls = draws(RuntimeError("first"), RuntimeError("second"))
    with pytest.raises(images.ChartImageError, match="second"):
        images.chart_images({"supply": {"data": []}})
    assert len(calls) == 2
