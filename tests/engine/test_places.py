"""Birth places resolved offline: names as people type them, namesakes, unknown towns."""

import pytest

from engine.places import AmbiguousPlace, UnknownPlace, normalize, resolve_place, suggest_places


def test_a_big_city_is_found_from_its_plain_name_with_its_time_zone():
    place = resolve_place("Lyon")
    assert place.label == "Lyon (Auvergne-Rhône-Alpes)"
    assert place.timezone == "Europe/Paris"
    assert 45.7 < place.latitude_deg < 45.8 and 4.8 < place.longitude_deg < 4.9


@pytest.mark.parametrize("typed", ["saint denis", "SAINT-DENIS", "St Denis", "Saint Dénis"])
def test_namesakes_of_similar_size_are_ambiguous_and_listed_by_region(typed):
    with pytest.raises(AmbiguousPlace) as error:
        resolve_place(typed)
    assert set(error.value.candidates) == {"Saint-Denis (Île-de-France)", "Saint-Denis (La Réunion)"}
    assert "choisissez" in str(error.value)


def test_each_listed_candidate_resolves_as_is():
    with pytest.raises(AmbiguousPlace) as error:
        resolve_place("Saint-Denis")
    zones = {resolve_place(label).timezone for label in error.value.candidates}
    assert zones == {"Europe/Paris", "Indian/Reunion"}


def test_a_region_or_country_after_the_name_picks_among_namesakes():
    assert resolve_place("Saint-Denis (Réunion)").timezone == "Indian/Reunion"
    assert resolve_place("Saint-Denis, Île-de-France").timezone == "Europe/Paris"
    assert resolve_place("Paris (États-Unis)").country_code == "US"


def test_a_city_ten_times_larger_than_its_namesakes_wins():
    place = resolve_place("paris")
    assert (place.country_code, place.timezone) == ("FR", "Europe/Paris")


def test_a_french_name_of_a_foreign_city_is_understood():
    assert resolve_place("Londres").label == "London (Royaume-Uni)"
    assert resolve_place("Pékin").timezone == "Asia/Shanghai"


def test_overseas_france_is_named_as_the_french_say_it():
    assert resolve_place("Fort-de-France").label == "Fort-de-France (Martinique)"
    assert resolve_place("Nouméa").label == "Nouméa (Nouvelle-Calédonie)"


def test_a_misspelt_town_is_unknown_with_close_matches():
    with pytest.raises(UnknownPlace) as error:
        resolve_place("Marseile")
    assert "Marseille (Provence-Alpes-Côte d'Azur)" in error.value.candidates


def test_an_empty_or_unheard_of_place_is_unknown_without_a_guess():
    with pytest.raises(UnknownPlace) as error:
        resolve_place("   ")
    assert error.value.candidates == []
    with pytest.raises(UnknownPlace):
        resolve_place("Zzyzzxq")


def test_a_qualifier_matching_no_namesake_lists_the_namesakes():
    with pytest.raises(AmbiguousPlace) as error:
        resolve_place("Brest (Allemagne)")
    assert {"Brest (Bretagne)", "Brest (Biélorussie)"} <= set(error.value.candidates)


def test_suggestions_are_labels_of_the_largest_towns_for_a_prefix():
    suggestions = suggest_places("saint-de", limit=2)
    assert suggestions == ["Saint-Denis (La Réunion)", "Saint-Denis (Île-de-France)"]
    assert suggest_places("") == []
    assert "Lyon (Auvergne-Rhône-Alpes)" in suggest_places("lyo")
    assert "London (Royaume-Uni)" in suggest_places("Londr")  # a French name suggests the town too


def test_numbered_districts_do_not_crowd_the_suggestions():
    assert all(not label.startswith("Marseille 1") for label in suggest_places("marseille", limit=20))


def test_names_are_compared_without_accents_case_hyphens_or_abbreviations():
    assert normalize("Ste-Marie d’Ébène") == normalize("sainte marie d'ebene") == "sainte marie d ebene"
