"""decode_page: BOM, declared charsets, guesses, mixed encodings, binary refusal."""

from __future__ import annotations

import codecs

import pytest

from newsfuse.errors import ExtractError
from newsfuse.extract.decode import binary_kind, decode_page
from newsfuse.model import RejectReason

RUSSIAN = (
    "<html><body><p>Городской совет Верхнего Озерска утвердил бюджет на следующий год. "
    "Депутаты обсуждали расходы на ремонт мостов, школ и больниц почти шесть часов, "
    "прежде чем большинство проголосовало за проект.</p></body></html>"
)


def test_utf8_bom_is_dropped() -> None:
    assert decode_page(codecs.BOM_UTF8 + "<p>naïve</p>".encode()) == "<p>naïve</p>"


def test_utf16_with_bom_is_not_binary() -> None:
    data = codecs.BOM_UTF16_LE + "<p>Grüße</p>".encode("utf-16-le")
    assert decode_page(data) == "<p>Grüße</p>"


def test_declared_cp1251() -> None:
    assert decode_page(RUSSIAN.encode("cp1251"), "windows-1251") == RUSSIAN


def test_undeclared_cp1251_is_guessed() -> None:
    assert "Городской совет" in decode_page(RUSSIAN.encode("cp1251"))


def test_meta_charset_is_read() -> None:
    html = '<html><head><meta charset="koi8-r"></head><body>Привет, мир</body></html>'
    assert "Привет, мир" in decode_page(html.encode("koi8-r"))


def test_latin1_label_means_windows_1252() -> None:
    data = "<p>caf\u00e9 \u201cquoted\u201d</p>".encode("cp1252")
    assert decode_page(data, "ISO-8859-1") == "<p>café “quoted”</p>"


def test_utf8_mislabelled_as_latin1_is_read_as_utf8() -> None:
    assert decode_page("<p>Zürich — café</p>".encode(), "iso-8859-1") == "<p>Zürich — café</p>"


def test_broken_utf8_does_not_crash() -> None:
    data = "<p>Straße ".encode() + b"\xff\xfe\xc3" + b" end</p>"
    text = decode_page(data, "utf-8")
    assert text.startswith("<p>Straße") and text.endswith(" end</p>")


def test_mixed_utf8_and_cp1252_keeps_both() -> None:
    data = "<p>Zürich ".encode() + "and caf\u00e9 \u2019s</p>".encode("cp1252")
    text = decode_page(data)
    assert "Zürich" in text and "café ’s" in text


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.4\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "PNG"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"<html>\x00\x00\x00</html>", "data with NUL bytes"),
        (bytes(range(1, 9)) * 50, "data with many control characters"),
    ],
)
def test_binary_is_refused(data: bytes, name: str) -> None:
    assert binary_kind(data) == name
    with pytest.raises(ExtractError) as info:
        decode_page(data)
    assert info.value.reason is RejectReason.BINARY


def test_text_is_not_binary() -> None:
    assert binary_kind(b"<p>plain\ttext\r\n</p>") is None
