"""Outlet names a flattened page states about itself."""

from __future__ import annotations

import pytest

from newsfuse.extract.outlet_text import outlet_from_text


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Ana Brill is a reporter for the Kestrel Daily, covering energy.", "Kestrel Daily"),
        (
            "Nils Quarry is a staff reporter and photographer for The Harbour Ledger covering "
            "ports.",
            "The Harbour Ledger",
        ),
        ("Tomasz Ilic is the Valdoria Post's labour and industry correspondent.", "Valdoria Post"),
        (
            "Jakob Ellery is business editor of the Northgate Times. He writes about trade.",
            "Northgate Times",
        ),
        ("Footer\n© 2025 Meridian Wire. All rights reserved.", "Meridian Wire"),
        ("Quake ruins in the old town © Lantern Review/Field Desk", "Lantern Review"),
    ],
)
def test_outlet_named_by_the_page(text: str, outlet: str) -> None:
    assert outlet_from_text(text) == outlet


def test_photo_agencies_are_not_outlets() -> None:
    text = "Leaders meet at the summit © Getty Images News/Pool\nPhoto: Reuters"
    assert outlet_from_text(text) is None


def test_bio_outweighs_a_photo_credit() -> None:
    text = (
        "Harbour at dusk © Coastline Courier/Photo Desk\n"
        "Mira Dane is a correspondent for the Kestrel Daily based in Port Seren."
    )
    assert outlet_from_text(text) == "Kestrel Daily"


def test_page_without_self_reference_has_no_outlet() -> None:
    assert (
        outlet_from_text("The council met on Tuesday. Residents said the vote was close.") is None
    )
