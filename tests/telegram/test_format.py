"""Replies fit Telegram: escaped HTML, clickable links, length limits, keyboards."""

from __future__ import annotations

import pytest

from bot.channels.telegram_format import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_MESSAGE_LENGTH,
    CallbackPayloads,
    keyboard,
    link_text,
    sources_html,
    split_text,
    telegram_length,
    to_html,
)


def test_markup_characters_are_escaped_so_telegram_accepts_the_message():
    assert (
        to_html("Kosten < 50 € & mehr als <b>nichts</b>") == "Kosten &lt; 50 € &amp; mehr als &lt;b&gt;nichts&lt;/b&gt;"
    )


def test_addresses_become_links_without_the_punctuation_after_them():
    html = to_html("Siehe https://www.stuttgart.de/buergerbuero?a=1&b=2. Danach (www.bamf.de).")
    assert (
        '<a href="https://www.stuttgart.de/buergerbuero?a=1&amp;b=2">'
        "https://www.stuttgart.de/buergerbuero?a=1&amp;b=2</a>. Danach" in html
    )
    assert '(<a href="https://www.bamf.de">www.bamf.de</a>).' in html


def test_a_quote_in_an_address_cannot_break_out_of_the_link():
    assert to_html('https://x.de/a"onclick=1') == '<a href="https://x.de/a">https://x.de/a</a>"onclick=1'


def test_arabic_text_with_an_address_keeps_both():
    html = to_html("راجع https://www.anerkennung-in-deutschland.de للمزيد")
    assert html.startswith('راجع <a href="https://www.anerkennung-in-deutschland.de">')
    assert html.endswith("</a> للمزيد")


def test_sources_are_listed_as_links_under_a_label():
    html = sources_html("Quellen <&>", ["https://www.stuttgart.de/service/anmeldung/", "https://bamf.de"])
    assert html.splitlines() == [
        "<b>Quellen &lt;&amp;&gt;</b>",
        '• <a href="https://www.stuttgart.de/service/anmeldung/">stuttgart.de/service/anmeldung</a>',
        '• <a href="https://bamf.de">bamf.de</a>',
    ]


def test_a_long_address_is_shortened_for_display_only():
    url = "https://www.example.org/" + "a" * 100
    assert len(link_text(url)) == 60 and link_text(url).endswith("…")
    assert f'href="{url}"' in sources_html("Sources", [url])


def test_a_short_text_is_one_message():
    assert split_text("  Hallo!  ") == ["Hallo!"]
    assert split_text("   ") == []


def test_a_long_text_is_split_at_paragraphs():
    paragraphs = ["Absatz eins. " * 200, "Absatz zwei. " * 200, "Absatz drei. " * 200]
    pieces = split_text("\n\n".join(p.strip() for p in paragraphs))
    assert all(telegram_length(piece) <= MAX_MESSAGE_LENGTH for piece in pieces)
    assert [piece.split(". ")[0] for piece in pieces] == ["Absatz eins", "Absatz zwei", "Absatz drei"]


def test_a_long_paragraph_is_split_at_a_sentence_end():
    text = " ".join(f"Satz Nummer {i} endet hier." for i in range(400))
    pieces = split_text(text, limit=1000)
    assert len(pieces) > 1
    assert all(len(piece) <= 1000 and piece.endswith("hier.") for piece in pieces)
    assert " ".join(pieces) == text


def test_a_text_without_spaces_is_cut_hard_and_nothing_is_lost():
    text = "x" * 9000
    pieces = split_text(text)
    assert [len(p) for p in pieces] == [4096, 4096, 808]
    assert "".join(pieces) == text


def test_emoji_count_twice_as_telegram_counts_them():
    text = "👍" * 3000  # 6000 UTF-16 code units
    pieces = split_text(text)
    assert [telegram_length(p) for p in pieces] == [4096, 1904]


def test_buttons_become_an_inline_keyboard_with_the_payload_as_callback_data():
    buttons = [
        {"title": t, "payload": f'/change_language{{"language_choice":"{c}"}}'}
        for t, c in (
            ("Deutsch", "de"),
            ("English", "en"),
            ("Türkçe", "tr"),
            ("العربية", "ar"),
            ("Українська", "uk"),
            ("Español", "es"),
        )
    ]
    rows = keyboard(buttons, CallbackPayloads()).inline_keyboard
    assert [[b.text for b in row] for row in rows] == [
        ["Deutsch", "English", "Türkçe"],
        ["العربية", "Українська", "Español"],
    ]
    assert rows[1][0].callback_data == '/change_language{"language_choice":"ar"}'


def test_long_titles_get_a_row_each_and_links_open_an_address():
    markup = keyboard(
        [
            {"title": "I would like to talk to a counsellor", "payload": "/human"},
            {"title": "Website", "url": "https://www.welcome-center-stuttgart.de"},
        ],
        CallbackPayloads(),
    )
    assert [len(row) for row in markup.inline_keyboard] == [1, 1]
    assert markup.inline_keyboard[1][0].url == "https://www.welcome-center-stuttgart.de"


@pytest.mark.parametrize("payload", ['/inform{"topic":"' + "x" * 80 + '"}', "/ändern" * 10, "#not-an-id"])
def test_a_payload_too_long_for_telegram_travels_as_a_short_id(payload):
    payloads = CallbackPayloads()
    data = keyboard([{"title": "Go", "payload": payload}], payloads).inline_keyboard[0][0].callback_data
    assert len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
    assert data != payload
    assert payloads.payload_for(data) == payload


def test_an_unknown_or_forgotten_id_is_not_mistaken_for_a_payload():
    payloads = CallbackPayloads(capacity=1)
    first = payloads.data_for("/a" + "x" * 70)
    payloads.data_for("/b" + "x" * 70)
    assert payloads.payload_for(first) is None
    assert payloads.payload_for("#p:0123") is None
    assert payloads.payload_for("/help") == "/help"


def test_a_wait_time_is_read_as_seconds_or_as_a_timedelta():
    import datetime

    from bot.channels.telegram_output import seconds_of

    assert seconds_of(3) == 3.0
    assert seconds_of(datetime.timedelta(seconds=3, milliseconds=500)) == 3.5
