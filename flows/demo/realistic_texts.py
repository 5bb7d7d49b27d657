"""Themes and sentences of the demo's realistic mode (evaluation only, not the demo brief).

The realistic mode adds themes the signal engine is measured on (`flows/demo/realistic.py`
decides, per seed, which of them are controls, rises or shocks). For each theme:

- `terms`: what the intent file declares (no word of the demo's own sentences matches
  them, so the demo's texts keep their themes);
- `sentences`: customers saying it with a term of the list (the matcher finds them);
- `paraphrases`: customers saying the same thing in other words (the matcher misses
  them: a matching error the engine must live with);
- `false_senses`: a term of the list used about something else (the matcher finds a
  theme that is not there: the other matching error).

No sentence puts a term right after a negation ("pas de", "sans", "no"...), which the
warehouse reads as the theme not being raised, and none holds double quotes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RealisticTheme:
    theme_id: str
    kind: str  # adapt | circumvent | suggest | transform | reject
    label_fr: str
    label_en: str
    terms_fr: tuple[str, ...]
    terms_en: tuple[str, ...]
    sentences: dict[str, tuple[str, ...]]  # by language
    paraphrases: dict[str, tuple[str, ...]]
    false_senses: tuple[str, ...] = ()  # French only
    season: dict[int, float] | None = None  # calendar month -> level (seasonal themes)

    def intent_entry(self) -> dict[str, object]:
        return {
            "id": self.theme_id,
            "kind": self.kind,
            "label": {"fr": self.label_fr, "en": self.label_en},
            "terms": {"fr": list(self.terms_fr), "en": list(self.terms_en)},
        }


# Yearly profiles of the two seasonal themes (the same every year).
WINTER_PEAK = {10: 1.3, 11: 2.0, 12: 2.6, 1: 1.3}
SUMMER_PEAK = {6: 1.6, 7: 2.3, 8: 2.0, 9: 1.2}

THEMES: tuple[RealisticTheme, ...] = (
    RealisticTheme(
        "gift-wrap",
        "suggest",
        "Paquet cadeau",
        "Gift wrapping",
        ("paquet cadeau", "paquets cadeaux", "pour noël", "sous le sapin"),
        ("gift wrap*", "christmas", "under the tree"),
        {
            "fr": (
                "Dommage, un paquet cadeau aurait été parfait pour Noël.",
                "Commandé pour Noël, arrivé à temps et bien présenté.",
                "Pouvez-vous proposer un paquet cadeau à la commande ?",
                "Il a fini sous le sapin, ma sœur est ravie.",
                "Un petit paquet cadeau aurait été apprécié.",
                "Proposez des paquets cadeaux en fin d'année, ce serait parfait.",
            ),
            "en": (
                "Bought it for Christmas, a gift wrap option would be nice.",
                "It ended up under the tree and was a hit.",
                "Christmas present for my brother, he loved it.",
            ),
        },
        {
            "fr": (
                "Je l'ai offert pour les fêtes de fin d'année.",
                "Un emballage de fête aurait été bienvenu.",
            ),
            "en": ("Got it as a holiday present for my dad.",),
        },
        season=WINTER_PEAK,
    ),
    RealisticTheme(
        "summer-heat",
        "reject",
        "Chaleur",
        "Heat",
        ("chaleur", "canicule", "trop chaud", "trop chaude", "en été"),
        ("heat", "heatwave", "too warm", "in summer"),
        {
            "fr": (
                "Trop chaud pour les beaux jours, on étouffe dedans.",
                "Difficile à porter en été, la toile garde la chaleur.",
                "Pendant la canicule, impossible de le porter.",
                "On a vite trop chaud dedans dès qu'il fait beau.",
                "La chaleur de l'atelier rend le tissu pénible à porter.",
            ),
            "en": (
                "Way too warm in summer.",
                "Unwearable during the heatwave.",
                "The fabric traps the heat.",
            ),
        },
        {
            "fr": (
                "Dès qu'il fait trente degrés, on transpire dedans.",
                "On étouffe dès les beaux jours.",
            ),
            "en": ("You sweat in it as soon as the sun is out.",),
        },
        false_senses=("Acheté en été l'an dernier, toujours impeccable.",),
        season=SUMMER_PEAK,
    ),
    RealisticTheme(
        "comfort",
        "adapt",
        "Confort",
        "Comfort",
        ("confort", "confortable", "confortables", "inconfortable*"),
        ("comfort*", "uncomfortable"),
        {
            "fr": (
                "Très confortable, on l'oublie vite.",
                "Le confort n'est pas au rendez-vous.",
                "Confortable même après une longue journée.",
                "Question confort, rien à redire.",
                "Un peu inconfortable assis toute la journée.",
            ),
            "en": (
                "Really comfortable.",
                "Comfort is great for long days.",
                "A bit uncomfortable when sitting for hours.",
            ),
        },
        {
            "fr": ("On s'y sent bien du matin au soir.", "Agréable à porter toute la journée."),
            "en": ("Feels nice to wear all day.",),
        },
        false_senses=("Commandé depuis le confort de mon canapé, en deux clics.",),
    ),
    RealisticTheme(
        "laundry",
        "adapt",
        "Entretien en machine",
        "Laundry care",
        ("lessive*", "sèche-linge", "séchage", "essorage"),
        ("laundry", "tumble dr*", "dryer"),
        {
            "fr": (
                "Attention au sèche-linge, il a rétréci d'un coup.",
                "J'ai changé de lessive pour garder la teinte.",
                "Le séchage prend une éternité, la toile est lourde.",
                "Après un essorage fort, les coutures ont vrillé.",
                "Quelle lessive recommandez-vous pour ce tissu ?",
            ),
            "en": (
                "Shrank in the dryer.",
                "Which laundry detergent do you recommend?",
                "Do not tumble dry, it warps.",
            ),
        },
        {
            "fr": ("Il a rapetissé à la première machine.", "Il met des heures à sécher."),
            "en": ("It shrank after the first wash cycle.",),
        },
        false_senses=("Je l'ai reçu le jour de la grande lessive, super timing.",),
    ),
    RealisticTheme(
        "stock",
        "reject",
        "Ruptures de stock",
        "Stock-outs",
        ("rupture de stock", "ruptures de stock", "réassort*", "plus en stock", "en stock"),
        ("out of stock", "restock*", "sold out", "in stock"),
        {
            "fr": (
                "Encore une rupture de stock sur mon modèle habituel, c'est dommage.",
                "Quand prévoyez-vous un réassort ?",
                "Le modèle n'est plus en stock depuis des semaines.",
                "J'attends le réassort pour en racheter un.",
                "Vérifiez ce qui est en stock avant d'afficher le produit.",
            ),
            "en": (
                "Out of stock again in my usual fit.",
                "When will you restock?",
                "Sold out for weeks now.",
            ),
        },
        {
            "fr": (
                "Introuvable en boutique comme en ligne depuis un mois.",
                "Il n'en reste jamais quand je passe.",
            ),
            "en": ("Never available when I want one.",),
        },
        false_senses=("J'ai encore du tissu en stock à la maison pour les coudières.",),
    ),
    RealisticTheme(
        "website",
        "circumvent",
        "Site et appli",
        "Website and app",
        ("site internet", "appli", "application mobile", "mot de passe", "bug*"),
        ("website", "password", "checkout", "the app"),
        {
            "fr": (
                "Le site internet plante au moment de valider le panier.",
                "L'appli se déconnecte sans arrêt.",
                "Impossible de réinitialiser mon mot de passe.",
                "Encore un bug sur la page de commande.",
                "L'application mobile est lente mais pratique.",
            ),
            "en": (
                "The website crashed at checkout.",
                "Could not reset my password.",
                "The app keeps logging me out.",
            ),
        },
        {
            "fr": (
                "La page plante au moment de payer.",
                "Je dois m'y reprendre à trois fois pour me connecter.",
            ),
            "en": ("The page froze when I tried to pay.",),
        },
        false_senses=("Un ami m'a montré le modèle sur son appli de photos.",),
    ),
    RealisticTheme(
        "packaging",
        "reject",
        "Emballage",
        "Packaging",
        ("carton*", "plastique*", "suremballage"),
        ("cardboard", "plastic*", "packaging"),
        {
            "fr": (
                "Beaucoup trop de plastique autour du vêtement.",
                "Le carton était énorme pour un si petit article.",
                "Ce suremballage est inutile.",
                "Merci d'éviter les sachets plastiques.",
                "Carton écrasé à l'arrivée mais article intact.",
            ),
            "en": (
                "Far too much plastic around the item.",
                "Huge cardboard box for a tiny item.",
                "The packaging is wasteful.",
            ),
        },
        {
            "fr": (
                "Trois couches d'emballage pour un seul vêtement.",
                "Une boîte immense pour presque rien dedans.",
            ),
            "en": ("Three layers of wrapping for one shirt.",),
        },
        false_senses=("J'ai rangé l'ancien dans un carton au grenier.",),
    ),
    RealisticTheme(
        "smell",
        "reject",
        "Odeur",
        "Smell",
        ("odeur*", "sent mauvais", "sent fort"),
        ("smell*", "odour*", "odor*"),
        {
            "fr": (
                "Forte odeur chimique à l'ouverture.",
                "Il sent fort même après l'avoir aéré.",
                "Une odeur de teinture qui reste.",
                "Le tissu sent mauvais à la réception.",
            ),
            "en": (
                "Strong chemical smell when opened.",
                "The odour does not go away.",
                "It smells of dye.",
            ),
        },
        {
            "fr": ("Ça empeste le produit chimique.", "Il a fallu l'aérer trois jours."),
            "en": ("It reeks of chemicals.",),
        },
        false_senses=("Une boutique qui a une bonne odeur de café, j'adore y passer.",),
    ),
    RealisticTheme(
        "store-staff",
        "adapt",
        "Conseil en boutique",
        "Advice in store",
        ("vendeur", "vendeuse", "vendeurs", "vendeuses", "conseill*"),
        ("shop assistant*", "sales assistant*"),
        {
            "fr": (
                "La vendeuse m'a très bien conseillée sur la coupe.",
                "Les vendeurs connaissent leurs produits.",
                "Un vendeur m'a fait essayer trois modèles, top.",
                "Bien conseillé en boutique, je reviendrai.",
            ),
            "en": (
                "The shop assistant knew the fits by heart.",
                "Great sales assistant, very patient.",
                "A shop assistant helped me choose.",
            ),
        },
        {
            "fr": (
                "En boutique on m'a aidé à choisir la bonne coupe.",
                "L'équipe du magasin a pris le temps de m'expliquer.",
            ),
            "en": ("The people in the shop took time to explain.",),
        },
    ),
    RealisticTheme(
        "zips",
        "reject",
        "Fermetures",
        "Zips",
        ("fermeture éclair", "braguette*", "zip", "zips"),
        ("zip", "zips", "zipper*"),
        {
            "fr": (
                "La fermeture éclair accroche à chaque fois.",
                "La braguette s'ouvre toute seule.",
                "Le zip a cassé au bout d'un mois.",
                "Les zips sont durs à fermer.",
            ),
            "en": ("The zipper keeps catching.", "The zip broke after a month."),
        },
        {
            "fr": ("Ça s'ouvre tout seul au niveau de l'entrejambe.",),
            "en": ("The fly keeps opening.",),
        },
    ),
    RealisticTheme(
        "warranty",
        "suggest",
        "Garantie",
        "Warranty",
        ("garantie*", "sav"),
        ("warranty", "guarantee*"),
        {
            "fr": (
                "Quelle est la garantie sur ce modèle ?",
                "Le SAV a été rapide et efficace.",
                "Est-ce couvert par la garantie ?",
                "Une garantie de deux ans serait rassurante.",
            ),
            "en": ("Is this covered by the warranty?", "A two-year guarantee would help."),
        },
        {
            "fr": ("Combien de temps êtes-vous couverts si ça casse ?",),
            "en": ("How long are you covered if it breaks?",),
        },
    ),
    RealisticTheme(
        "eco",
        "suggest",
        "Écologie",
        "Environment",
        ("écolo*", "environnement*", "empreinte carbone", "bio"),
        ("eco friendly", "environment*", "organic", "carbon footprint"),
        {
            "fr": (
                "Le coton est-il bio ?",
                "Pensez à l'environnement avec les envois groupés.",
                "Une démarche écologique serait appréciée.",
                "Quelle est l'empreinte carbone de la fabrication ?",
            ),
            "en": ("Is the cotton organic?", "Please think about the environment."),
        },
        {
            "fr": ("Un coton cultivé sans pesticides serait un plus.",),
            "en": ("Cotton grown without pesticides would be a plus.",),
        },
        false_senses=("J'en ai parlé au marché bio du quartier, tout le monde a aimé.",),
    ),
    RealisticTheme(
        "hem",
        "adapt",
        "Ourlets",
        "Hems",
        ("ourlet*", "longueur de jambe", "raccourcir"),
        ("hem", "hemmed", "hemming", "inseam"),
        {
            "fr": (
                "J'ai dû faire un ourlet de cinq centimètres.",
                "Proposez une autre longueur de jambe.",
                "Vous pouvez raccourcir en boutique ?",
                "L'ourlet d'origine est mal fini.",
            ),
            "en": ("Had to get them hemmed.", "Please offer more inseam options."),
        },
        {
            "fr": ("J'ai dû reprendre le bas de cinq centimètres.",),
            "en": ("Had to take them up by two inches.",),
        },
    ),
    RealisticTheme(
        "softness",
        "reject",
        "Toucher du tissu",
        "Fabric feel",
        ("rugueu*", "rigide*", "raide", "gratte", "grattent"),
        ("stiff*", "scratchy", "itchy"),
        {
            "fr": (
                "La toile est rigide les premières semaines.",
                "Le col gratte un peu.",
                "Tissu rugueux au début, ça s'assouplit.",
                "Trop raide pour le bureau.",
            ),
            "en": ("Very stiff at first.", "The collar is scratchy."),
        },
        {
            "fr": ("Le tissu est dur comme du bois au début.",),
            "en": ("Feels like sandpaper at first.",),
        },
    ),
    RealisticTheme(
        "newsletter",
        "reject",
        "Courriels",
        "Emails",
        ("newsletter*", "désabonn*", "spam*"),
        ("newsletter*", "unsubscrib*", "spam*"),
        {
            "fr": (
                "Trop de newsletters, je vais me désabonner.",
                "Vos mails finissent en spam.",
                "Comment se désabonner des envois ?",
            ),
            "en": ("Too many newsletters.", "How do I unsubscribe?"),
        },
        {
            "fr": ("Je reçois trois mails par semaine, c'est trop.",),
            "en": ("Three emails a week is too much.",),
        },
    ),
    RealisticTheme(
        "payment",
        "circumvent",
        "Moyens de paiement",
        "Payment",
        ("carte bancaire", "paypal", "prélèvement*", "moyen de paiement", "moyens de paiement"),
        ("paypal", "credit card", "payment method*"),
        {
            "fr": (
                "Ajoutez PayPal, je n'aime pas saisir ma carte bancaire.",
                "Le prélèvement a été fait deux fois.",
                "Proposez d'autres moyens de paiement.",
                "Ma carte bancaire a été refusée sans raison.",
            ),
            "en": ("Please add PayPal.", "My credit card was charged twice."),
        },
        {
            "fr": ("J'ai été débité deux fois pour la même commande.",),
            "en": ("I was charged twice for one order.",),
        },
    ),
)

THEMES_BY_ID: dict[str, RealisticTheme] = {t.theme_id: t for t in THEMES}
SEASONAL_THEMES = tuple(t.theme_id for t in THEMES if t.season)
NEUTRAL_THEMES = tuple(t.theme_id for t in THEMES if not t.season)

# Notes the sales team writes from a template after a call (author_role staff): not
# customer voice, but they name control themes every time.
STAFF_NOTE_TEMPLATES: tuple[str, ...] = (
    "Appel de suivi trimestriel. Points abordés : délais de livraison, grille de prix. RAS.",
    "Relance commerciale : envoi du tarif {year}, point sur les livraisons en cours.",
    "Compte rendu de visite : qualité des derniers lots conforme, prix à revoir en fin d'année.",
    "Suivi de compte : mise à jour des coordonnées, rappel des conditions de livraison.",
)
