"""Files as French users have them (issue 15): Excel's ';' CSV in Windows-1252, decimal travel minutes,
unlikely coordinates, and problems that follow from another file's problem."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_copy import ScenarioCopy

from planner.ingestion.tables import UnreadableCsv, decode_csv, sniff_delimiter


def resave(mini: ScenarioCopy, name: str, *, delimiter: str, encoding: str, decimal_comma: bool = False) -> None:
    """Rewrite a table as a spreadsheet would save it."""
    rows = mini.read_csv(name)
    if decimal_comma:
        rows = [rows[0]] + [[cell.replace(".", ",") if cell.replace(".", "").replace("-", "").isdigit() else cell
                             for cell in row] for row in rows[1:]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    mini.file(name).write_bytes(buffer.getvalue().encode(encoding))


def test_french_excel_csv_loads_with_its_accents(mini: ScenarioCopy):
    mini.set_cell("members.csv", 2, "name", "Régie de quartier d'Échirolles")
    mini.set_cell("members.csv", 2, "commune", "Saint-Étienne-de-Crossey")
    resave(mini, "members.csv", delimiter=";", encoding="cp1252", decimal_comma=True)
    assert b";" in mini.file("members.csv").read_bytes() and b"\xc9" in mini.file("members.csv").read_bytes()
    scenario = mini.load()
    member = scenario.member["007"]
    assert member.name == "Régie de quartier d'Échirolles" and member.commune == "Saint-Étienne-de-Crossey"
    assert (member.lat, member.lon) == (45.1885, 5.7245)  # "45,1885" read with its decimal comma
    assert scenario.readings == ("members.csv: Windows-1252, ';'-separated",)


@pytest.mark.parametrize("delimiter,encoding,described", [
    (",", "utf-8", None),
    (",", "utf-8-sig", None),
    (";", "utf-8", "UTF-8, ';'-separated"),
    ("\t", "utf-16", "UTF-16, tab-separated"),
    (";", "cp1252", "Windows-1252, ';'-separated"),
])
def test_every_usual_saving_loads_the_same_scenario(mini: ScenarioCopy, delimiter, encoding, described):
    mini.set_cell("survey.csv", 2, "trainee_ref", "Zoé-1")  # a byte that tells cp1252 from UTF-8
    before = mini.load()
    resave(mini, "survey.csv", delimiter=delimiter, encoding=encoding)
    after = mini.load()
    assert after.requests == before.requests
    assert after.readings == ((f"survey.csv: {described}",) if described else ())


def test_the_summary_says_what_was_detected(mini: ScenarioCopy):
    mini.set_cell("members.csv", 2, "name", "Régie de quartier d'Échirolles")  # a byte that is not UTF-8
    resave(mini, "members.csv", delimiter=";", encoding="cp1252")
    result = mini.validate()
    assert "members.csv: Windows-1252, ';'-separated" in result.output, result.output


def test_bytes_that_are_no_known_text_are_refused_with_how_to_resave(mini: ScenarioCopy):
    mini.file("members.csv").write_bytes(mini.file("members.csv").read_bytes() + b"\x81\x8d\n")
    problems = mini.problems()
    assert [(p.file, p.row) for p in problems] == [("members.csv", None)]
    assert "CSV UTF-8" in problems[0].message


def test_a_header_that_reads_as_known_columns_two_ways_is_refused():
    with pytest.raises(UnreadableCsv):
        sniff_delimiter("a;b,c", ("a", "b,c", "a;b", "c"))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x17F, blacklist_categories=("Cs",)), max_size=60))
def test_french_text_survives_windows_1252(text):
    """Latin text saved in cp1252 reads back as itself, unless its bytes are also UTF-8 (then read as UTF-8)."""
    try:
        data = text.encode("cp1252")
    except UnicodeEncodeError:
        return
    decoded, encoding = decode_csv(data)
    try:
        as_utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is None or set(as_utf8) & {chr(c) for c in range(0x80, 0xA0)}:
        assert (decoded, encoding) == (text, "Windows-1252")
    else:
        assert (decoded, encoding) == (as_utf8, "UTF-8")


def test_travel_minutes_and_km_with_decimals(mini: ScenarioCopy):
    mini.write_csv("travel.csv", [["member_id", "venue_id", "minutes", "km"], ["007", mini.cell("venues.csv", 2, "venue_id"), "38.4", "31,46"],
                                  ["m2", mini.cell("venues.csv", 2, "venue_id"), "38.5", "2"]])
    scenario = mini.load()
    venue = mini.cell("venues.csv", 2, "venue_id")
    assert (scenario.legs["007", venue].minutes, scenario.legs["007", venue].road_hm) == (38, 315)
    assert scenario.legs["m2", venue].minutes == 39  # half up, as computed legs round


def test_swapped_coordinates_are_doubted_naming_the_row(mini: ScenarioCopy):
    lat, lon = mini.cell("members.csv", 3, "lat"), mini.cell("members.csv", 3, "lon")
    mini.set_cell("members.csv", 3, "lat", lon)
    mini.set_cell("members.csv", 3, "lon", lat)
    scenario = mini.load()  # a doubt, not an error
    assert [(d.file, d.row, d.column) for d in scenario.doubts] == [("members.csv", 3, "lat")]
    assert "outside France" in scenario.doubts[0].message and "swapped" in scenario.doubts[0].message
    result = mini.validate()
    assert result.exit_code == 1 and "outside France" in result.output, result.output


def test_a_venue_far_from_the_others_is_doubted(mini: ScenarioCopy):
    mini.set_cell("venues.csv", 2, "lat", "48.85")  # Paris, in an Isère scenario
    mini.set_cell("venues.csv", 2, "lon", "2.35")
    doubts = mini.load().doubts
    assert [(d.file, d.row) for d in doubts] == [("venues.csv", 2)] and "km from the centre" in doubts[0].message


def test_places_in_one_departement_raise_no_doubt(mini: ScenarioCopy):
    assert mini.load().doubts == ()


def test_a_toml_syntax_error_yields_no_survey_window_error(mini: ScenarioCopy):
    mini.toml = mini.toml + "\nbroken = 14,5\n"
    problems = mini.problems()
    assert {p.file for p in problems} == {"scenario.toml"}, "\n".join(map(str, problems))


def test_a_missing_venue_column_yields_no_false_offer_errors(mini: ScenarioCopy):
    mini.drop_column("venues.csv", "lon")
    problems = mini.problems()
    assert [(p.file, p.column) for p in problems] == [("venues.csv", "lon")], "\n".join(map(str, problems))
