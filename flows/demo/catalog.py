"""Static facts about the demo company: its products, where its customers live, names.

Kept apart from the generator so the fictional world can be read (and changed)
without reading any generation logic.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    offer: str
    price: float
    status: str  # active | limited | discontinued
    launched: str  # YYYY-MM-DD, or "capsule" for the capsule's start date
    weight: float  # relative popularity inside its offer
    discontinued_months_before_end: int | None = (
        None  # stops selling this many months before the end
    )
    tags: str = ""


# Prices in EUR. Products of one offer share a SKU prefix (the intent file maps offers by it).
PRODUCTS: tuple[Product, ...] = (
    Product(
        "JB-101-BRUT", "Jean brut droit 101", "jeans", "raw-denim", 129.0, "active", "2019-03-01", 5
    ),
    Product(
        "JB-102-FUSELE",
        "Jean brut fuselé 102",
        "jeans",
        "raw-denim",
        129.0,
        "active",
        "2019-03-01",
        4,
    ),
    Product(
        "JB-103-LARGE",
        "Jean brut coupe large 103",
        "jeans",
        "raw-denim",
        135.0,
        "active",
        "2021-09-15",
        3,
    ),
    Product(
        "JB-104-SELVEDGE",
        "Jean selvedge 104",
        "jeans",
        "raw-denim",
        165.0,
        "active",
        "2020-03-01",
        2,
    ),
    Product(
        "JB-105-FEMME",
        "Jean brut taille haute 105",
        "jeans",
        "raw-denim",
        129.0,
        "active",
        "2022-03-01",
        3,
    ),
    Product("JB-106-NOIR", "Jean noir 106", "jeans", "raw-denim", 125.0, "active", "2023-10-01", 2),
    Product(
        "JB-107-ECRU", "Jean écru 107", "jeans", "raw-denim", 125.0, "limited", "2025-04-01", 1
    ),
    Product(
        "JB-099-SLIM",
        "Jean slim 099",
        "jeans",
        "raw-denim",
        119.0,
        "discontinued",
        "2019-03-01",
        2,
        18,
    ),
    Product(
        "JB-100-ENFANT", "Jean enfant 100", "jeans", "raw-denim", 69.0, "active", "2023-03-01", 1
    ),
    Product("CH-201-SABLE", "Chino sable", "trousers", "chino", 89.0, "active", "2020-09-01", 4),
    Product("CH-202-MARINE", "Chino marine", "trousers", "chino", 89.0, "active", "2020-09-01", 4),
    Product("CH-203-OLIVE", "Chino olive", "trousers", "chino", 89.0, "active", "2021-03-01", 3),
    Product("CH-204-NOIR", "Chino noir", "trousers", "chino", 89.0, "active", "2022-09-01", 2),
    Product(
        "CH-205-TERRE", "Chino terracotta", "trousers", "chino", 92.0, "active", "2024-03-01", 1
    ),
    Product(
        "CH-200-GRIS",
        "Chino gris chiné",
        "trousers",
        "chino",
        85.0,
        "discontinued",
        "2020-09-01",
        1,
        20,
    ),
    Product("TA-301-DENIM", "Tablier denim", "aprons", "apron", 59.0, "active", "2021-04-01", 4),
    Product(
        "TA-302-TOILE", "Tablier toile de coton", "aprons", "apron", 45.0, "active", "2021-04-01", 3
    ),
    Product(
        "TA-303-BAVETTE",
        "Tablier à bavette croisée",
        "aprons",
        "apron",
        65.0,
        "active",
        "2022-04-01",
        2,
    ),
    Product(
        "TA-304-CUIR", "Tablier denim et cuir", "aprons", "apron", 89.0, "limited", "2024-10-01", 1
    ),
    Product("TA-305-ENFANT", "Tablier enfant", "aprons", "apron", 32.0, "active", "2023-04-01", 1),
    Product("TA-306-DEMI", "Demi-tablier", "aprons", "apron", 39.0, "active", "2024-01-15", 1),
    Product(
        "CAP-SURCHEMISE",
        "Surchemise en toile (capsule)",
        "capsule",
        "capsule",
        115.0,
        "limited",
        "capsule",
        3,
    ),
    Product(
        "CAP-BOB", "Bob en denim (capsule)", "capsule", "capsule", 39.0, "limited", "capsule", 3
    ),
    Product("CAP-SAC", "Sac cabas (capsule)", "capsule", "capsule", 55.0, "limited", "capsule", 3),
    Product(
        "GC-025", "Carte cadeau 25 €", "gift-cards", "gift-card", 25.0, "active", "2020-11-01", 2
    ),
    Product(
        "GC-050", "Carte cadeau 50 €", "gift-cards", "gift-card", 50.0, "active", "2020-11-01", 4
    ),
    Product(
        "GC-100", "Carte cadeau 100 €", "gift-cards", "gift-card", 100.0, "active", "2020-11-01", 3
    ),
    Product(
        "GC-150", "Carte cadeau 150 €", "gift-cards", "gift-card", 150.0, "active", "2023-11-01", 1
    ),
    Product(
        "KIT-ENTRETIEN",
        "Kit d'entretien du denim",
        "care",
        "care-kit",
        29.0,
        "active",
        "2022-02-01",
        4,
    ),
    Product(
        "KIT-BROSSE",
        "Brosse à vêtements en hêtre",
        "care",
        "care-kit",
        19.0,
        "active",
        "2022-02-01",
        2,
    ),
    Product(
        "KIT-SAVON", "Savon au fiel de bœuf", "care", "care-kit", 9.5, "active", "2022-06-01", 2
    ),
    Product("KIT-CIRE", "Cire pour toile", "care", "care-kit", 14.0, "active", "2024-05-01", 1),
    Product("TS-501-BLANC", "T-shirt blanc", "tops", "tee", 35.0, "active", "2019-03-01", 5),
    Product("TS-502-NOIR", "T-shirt noir", "tops", "tee", 35.0, "active", "2019-03-01", 4),
    Product("TS-503-CHINE", "T-shirt gris chiné", "tops", "tee", 35.0, "active", "2020-03-01", 3),
    Product("TS-504-MARINIERE", "Marinière", "tops", "tee", 49.0, "active", "2021-05-01", 2),
    Product("TS-505-ECRU", "T-shirt écru", "tops", "tee", 35.0, "active", "2022-05-01", 2),
    Product("TS-506-POCHE", "T-shirt à poche", "tops", "tee", 39.0, "active", "2023-05-01", 2),
    Product(
        "TS-507-MANCHES", "T-shirt manches longues", "tops", "tee", 42.0, "active", "2024-09-01", 1
    ),
    Product(
        "TS-500-COL-V", "T-shirt col V", "tops", "tee", 32.0, "discontinued", "2019-03-01", 1, 22
    ),
)

OFFERS = ("raw-denim", "chino", "apron", "capsule", "gift-card", "care-kit", "tee")

# (city, postal code, relative weight); the workshop is in Lyon, so most customers are nearby.
CITIES_FR: tuple[tuple[str, str, float], ...] = (
    ("Lyon", "69001", 4),
    ("Lyon", "69002", 4),
    ("Lyon", "69003", 5),
    ("Lyon", "69004", 4),
    ("Lyon", "69005", 3),
    ("Lyon", "69006", 4),
    ("Lyon", "69007", 5),
    ("Lyon", "69008", 3),
    ("Lyon", "69009", 3),
    ("Villeurbanne", "69100", 5),
    ("Caluire-et-Cuire", "69300", 2),
    ("Vénissieux", "69200", 2),
    ("Oullins", "69600", 1),
    ("Bron", "69500", 1),
    ("Écully", "69130", 1),
    ("Vienne", "38200", 1),
    ("Grenoble", "38000", 3),
    ("Saint-Étienne", "42000", 3),
    ("Roanne", "42300", 1),
    ("Annecy", "74000", 2),
    ("Chambéry", "73000", 1),
    ("Bourg-en-Bresse", "01000", 1),
    ("Mâcon", "71000", 1),
    ("Valence", "26000", 1),
    ("Clermont-Ferrand", "63000", 2),
    ("Dijon", "21000", 2),
    ("Paris", "75011", 4),
    ("Paris", "75018", 3),
    ("Paris", "75003", 2),
    ("Paris", "75015", 2),
    ("Marseille", "13006", 2),
    ("Bordeaux", "33000", 2),
    ("Nantes", "44000", 2),
    ("Lille", "59000", 2),
    ("Toulouse", "31000", 2),
    ("Montpellier", "34000", 1),
    ("Strasbourg", "67000", 1),
    ("Rennes", "35000", 1),
    ("Nice", "06000", 1),
    ("Besançon", "25000", 1),
    ("Tours", "37000", 1),
)
CITIES_ABROAD: tuple[tuple[str, str, str], ...] = (
    ("BE", "Bruxelles", "1000"),
    ("BE", "Liège", "4000"),
    ("CH", "Genève", "1201"),
    ("CH", "Lausanne", "1003"),
    ("DE", "Berlin", "10115"),
    ("LU", "Luxembourg", "1009"),
    ("GB", "London", "N1 7GU"),
    ("NL", "Amsterdam", "1012"),
)

FIRST_NAMES = (
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Jade",
    "Louise",
    "Alice",
    "Lina",
    "Emma",
    "Clara",
    "Juliette",
    "Zoé",
    "Anaïs",
    "Margaux",
    "Élise",
    "Mathilde",
    "Sarah",
    "Lucie",
    "Pauline",
    "Hugo",
    "Lucas",
    "Louis",
    "Nathan",
    "Gabriel",
    "Jules",
    "Arthur",
    "Tom",
    "Théo",
    "Raphaël",
    "Paul",
    "Antoine",
    "Maxime",
    "Baptiste",
    "Julien",
    "Romain",
    "Nicolas",
    "Thomas",
    "Mehdi",
    "Karim",
    "Yanis",
    "Sofiane",
    "Amina",
    "Fatou",
    "Moussa",
    "Nadia",
    "Bastien",
    "Quentin",
    "Océane",
    "Benoît",
    "Hélène",
    "Françoise",
    "Gérard",
    "Sylvie",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Benali",
    "Nguyen",
    "Diallo",
    "Haddad",
    "Pham",
    "Rey",
    "Brun",
    "Chabert",
    "Jacquet",
)
EMAIL_DOMAINS = (
    ("gmail.com", 9),
    ("orange.fr", 4),
    ("free.fr", 3),
    ("laposte.net", 2),
    ("hotmail.fr", 3),
    ("yahoo.fr", 2),
    ("outlook.com", 2),
    ("sfr.fr", 1),
    ("wanadoo.fr", 1),
    ("icloud.com", 2),
    ("proton.me", 1),
)

# CRM account naming, by (type, industry): name prefixes and place-like suffixes.
ACCOUNT_PREFIXES: dict[str, tuple[str, ...]] = {
    "hospitality": (
        "Brasserie",
        "Café",
        "Bistrot",
        "Bouchon",
        "Boulangerie",
        "Traiteur",
        "Cantine",
        "Salon de thé",
        "Pâtisserie",
        "Crêperie",
    ),
    "crafts": (
        "Menuiserie",
        "Ébénisterie",
        "Céramique",
        "Tapisserie",
        "Poterie",
        "Ferronnerie",
        "Reliure",
        "Sellerie",
        "Fleuriste",
    ),
    "construction": (
        "Maçonnerie",
        "Charpente",
        "Plomberie",
        "Électricité",
        "Couverture",
        "Peinture",
        "Rénovation",
    ),
    "retail": ("Librairie", "Concept store", "Épicerie fine", "Caviste"),
    "services": ("Agence", "Cabinet", "Studio", "Conseil"),
    "education": ("École", "Lycée professionnel", "Centre de formation"),
    "culture": ("Théâtre", "Musée", "Compagnie"),
    "health": ("Pharmacie", "Cabinet médical", "Clinique vétérinaire"),
}
PLACE_SUFFIXES = (
    "du Parc",
    "des Halles",
    "de la Croix-Rousse",
    "Saint-Jean",
    "Bellecour",
    "des Canuts",
    "de la Guillotière",
    "des Terreaux",
    "de Fourvière",
    "de Gerland",
    "du Confluent",
    "de Monplaisir",
    "des Brotteaux",
    "de Vaise",
    "de la Part-Dieu",
    "du Vieux Lyon",
    "des Pentes",
    "de Perrache",
    "de la Saône",
    "du Rhône",
)
NONPROFIT_NAMES = (
    "Les Amis du Quartier",
    "Solid'Aire",
    "Entraide Lyon",
    "Les Jardins Partagés",
    "Culture Pour Tous",
    "Sport Ensemble",
    "La Ressourcerie",
    "Habitat Jeunes",
    "Les Petites Mains",
    "Repas Partagés",
)
PUBLIC_NAMES = (
    "Mairie de Villeurbanne",
    "Mairie de Caluire",
    "Métropole de Lyon",
    "Mairie du 7e",
    "Centre social Gerland",
    "Médiathèque de Vaise",
    "CCAS de Bron",
    "Lycée hôtelier de Lyon",
    "Mairie d'Écully",
    "Maison de quartier Monplaisir",
)
PARTNER_PREFIXES = ("Boutique", "Dépôt-vente", "Concept store", "Mercerie", "Friperie")
