"""export-settings.yaml: defaults, overrides and errors that name the key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.ingest.export_settings import (
    ExportSettingsError,
    FileFormat,
    load_export_settings,
    parse_export_settings,
)


def test_absent_file_means_standard_csv(tmp_path: Path) -> None:
    fmt = load_export_settings(tmp_path).for_file("shop", "orders")
    assert fmt == FileFormat(",", ".", "iso", "utf-8", "UTC")


def test_file_overrides_system_overrides_defaults(tmp_path: Path) -> None:
    (tmp_path / "export-settings.yaml").write_text(
        "defaults: {delimiter: ';', timezone: Europe/Paris}\n"
        "systems:\n"
        "  support: {decimal: ',', date_format: '%d/%m/%Y %H:%M', encoding: utf-8-sig}\n"
        "files:\n"
        "  support/tickets: {date_format: '%d/%m/%Y', delimiter: \"\\t\"}\n",
        encoding="utf-8",
    )
    loaded = load_export_settings(tmp_path)
    assert loaded.for_file("shop", "orders") == FileFormat(";", ".", "iso", "utf-8", "Europe/Paris")
    assert loaded.for_file("support", "ticket_comments") == FileFormat(
        ";", ",", "%d/%m/%Y %H:%M", "utf-8-sig", "Europe/Paris"
    )
    tickets = loaded.for_file("support", "tickets")
    assert (tickets.delimiter, tickets.date_format, tickets.decimal) == ("\t", "%d/%m/%Y", ",")
    assert loaded.for_file("support", "ticket_comments").date_only_format == "%d/%m/%Y"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("defaults: {delimeter: ';'}", r"line 1, key 'defaults.delimeter': unknown key"),
        ("systems:\n  shop:\n    decimal: ';'\n", r"line 3, key 'systems.shop.decimal'"),
        ("systems:\n  erp: {decimal: ','}\n", r"key 'systems.erp': unknown key 'erp'"),
        ("files:\n  shop/order: {decimal: ','}\n", r"key 'files.shop/order'"),
        ("defaults: {date_format: '%d/%m'}", r"does not say the year"),
        ("defaults: {date_format: '%d/%m/%Y %Q'}", r"unsupported directive\(s\) %Q"),
        ("defaults: {encoding: utf-9}", r"unknown encoding 'utf-9'"),
        ("defaults: {timezone: Europe/Pariss}", r"unknown time zone"),
        ("defaults: [1, 2]", r"key 'defaults': expected a mapping"),
        ("defaults: {delimiter: ','\n", r"not valid YAML"),
    ],
)
def test_errors_name_the_key_path_and_line(text: str, message: str) -> None:
    with pytest.raises(ExportSettingsError, match=message):
        parse_export_settings(text, Path("exports/export-settings.yaml"))


def test_every_problem_is_reported_at_once_in_reading_order() -> None:
    text = (
        "defaults: {delimeter: ';', decimal: x}\n"
        "systems:\n"
        "  erp: {}\n"
        "  shop:\n"
        "    encoding: utf-9\n"
        "    encoding: utf-8\n"
    )
    with pytest.raises(ExportSettingsError) as caught:
        parse_export_settings(text, Path("exports/export-settings.yaml"))
    where = "exports/export-settings.yaml"
    assert str(caught.value).splitlines() == [
        f"{where}, line 1, key 'defaults.delimeter': unknown key 'delimeter'; expected one of: "
        "delimiter, decimal, date_format, encoding, timezone, mode, earliest_year, "
        "max_reject_share.",
        f"{where}, line 1, key 'defaults.decimal': 'x' is not supported; use \".\" or \",\".",
        f"{where}, line 3, key 'systems.erp': unknown key 'erp'; expected one of: "
        "shop, crm, support.",
        f"{where}, line 5, key 'systems.shop.encoding': unknown encoding 'utf-9'; "
        "use utf-8, latin-1, cp1252...",
        f"{where}, line 6, key 'systems.shop.encoding': this key appears twice.",
    ]


def test_values_are_read_as_written_and_an_empty_block_overrides_nothing() -> None:
    loaded = parse_export_settings(
        "defaults:\nsystems: {shop: ~}\nfiles:\n  crm/deals: {delimiter: tab, date_format: ISO}\n"
    )
    assert loaded.defaults == FileFormat()
    assert loaded.systems == {"shop": {}}
    assert loaded.files == {"crm/deals": {"delimiter": "\t", "date_format": "iso"}}


def test_limits_and_allow_partial_are_settings_like_the_formats() -> None:
    settings = parse_export_settings(
        "allow_partial: true\n"
        "defaults: {max_reject_share: 10%}\n"
        "systems:\n  crm: {earliest_year: 2015}\n"
        "files:\n  shop/orders: {max_reject_share: 0.5}\n"
    )
    assert settings.allow_partial is True
    assert settings.for_file("shop", "orders").max_reject_share == 0.5
    assert settings.for_file("shop", "reviews").max_reject_share == 0.1
    assert settings.for_file("crm", "deals").earliest_year == 2015
    assert settings.for_file("shop", "orders").earliest_year == 2000
    assert parse_export_settings("defaults: {}").allow_partial is False

    with pytest.raises(ExportSettingsError) as caught:
        parse_export_settings(
            "allow_partial: perhaps\ndefaults: {max_reject_share: 1.5, earliest_year: 99}\n"
        )
    assert str(caught.value).splitlines() == [
        "export-settings.yaml, line 1, key 'allow_partial': 'perhaps' is not true or false.",
        "export-settings.yaml, line 2, key 'defaults.earliest_year': '99' is not a year; "
        "write it with 4 digits, such as 2015.",
        "export-settings.yaml, line 2, key 'defaults.max_reject_share': '1.5' is not a share; "
        "write a number from 0 to 1 (0.05) or a percentage (5%).",
    ]
