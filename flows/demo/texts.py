"""Text material of the demo company: what its customers, agents and sales staff write.

Sentences are grouped by the theme they mention (see intent.yaml) so the generator
can plant a theme by picking from its pool; "filler" pools mention no theme at all.
Slots in braces are filled with the product being talked about:

- French: {le} "le jean", {mon} "mon jean", {ce} "ce jean", {nom} "jean",
  {lo} object pronoun ("le" / "la"), {il} subject pronoun, {e} feminine agreement;
- English: {my} "my jeans", {the} "the jeans", {noun} "jeans", {it} "them" / "it".

The generator checks every text it writes against the theme terms, so a sentence
that accidentally mentions a second theme is caught by the tests, not by a reader.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """How customers name one kind of product, in French and English."""

    fr_noun: str
    feminine: bool
    en_noun: str
    en_plural: bool

    def slots(self) -> dict[str, str]:
        art = "la" if self.feminine else "le"
        elided = self.fr_noun[0] in "aeéiouh"
        le = f"l'{self.fr_noun}" if elided else f"{art} {self.fr_noun}"
        mon = "mon" if (not self.feminine or elided) else "ma"
        ce = "cette" if self.feminine else ("cet" if elided else "ce")
        return {
            "le": le,
            "mon": f"{mon} {self.fr_noun}",
            "ce": f"{ce} {self.fr_noun}",
            "nom": self.fr_noun,
            "lo": art,
            "il": "elle" if self.feminine else "il",
            "e": "e" if self.feminine else "",
            "my": f"my {self.en_noun}",
            "the": f"the {self.en_noun}",
            "noun": self.en_noun,
            "it": "them" if self.en_plural else "it",
        }


# Keyed by offer id, or by SKU for the capsule, whose three pieces differ.
ITEMS: dict[str, Item] = {
    "raw-denim": Item("jean", False, "jeans", True),
    "chino": Item("chino", False, "chinos", True),
    "apron": Item("tablier", False, "apron", False),
    "CAP-SURCHEMISE": Item("surchemise", True, "overshirt", False),
    "CAP-BOB": Item("bob", False, "bucket hat", False),
    "CAP-SAC": Item("cabas", False, "tote", False),
    "gift-card": Item("carte cadeau", True, "gift card", False),
    "care-kit": Item("kit", False, "care kit", False),
    "tee": Item("t-shirt", False, "tee", False),
}

# --- Theme sentences ------------------------------------------------------------------
# Every sentence of THEME[theme][lang] mentions that theme and no other.

THEME: dict[str, dict[str, tuple[str, ...]]] = {
    "everyday": {
        "fr": (
            "Je {lo} porte tous les jours depuis que je l'ai reçu{e}.",
            "Parfait{e} pour le quotidien, on l'oublie.",
            "Je {lo} mets quasiment tous les jours, au bureau comme le week-end.",
            "C'est devenu mon basique du quotidien.",
            "Porté{e} au quotidien depuis six mois, toujours impeccable.",
            "Idéal au quotidien, rien à redire.",
            "Je m'en sers chaque jour.",
        ),
        "en": (
            "I wear {it} every day now.",
            "Great for everyday wear.",
            "My daily go-to since it arrived.",
            "Worn nearly every day for months.",
        ),
    },
    "repair": {
        "fr": (
            "Après deux ans, j'ai fait recoudre l'entrejambe et {il} repart pour deux ans.",
            "Le genou a lâché, je l'ai réparé moi-même avec un morceau de toile.",
            "J'ai fait réparer la poche arrière chez une couturière, comme neuf.",
            "Je raccommode {mon} depuis l'an dernier, ça lui donne du caractère.",
            "Est-ce que vous proposez la réparation des jeans usés ?",
            "J'aimerais faire réparer {mon} plutôt que d'en racheter un.",
            "Couture de la ceinture recousue à la main, ça tient.",
            "J'ai rapiécé le genou avec un reste de denim, j'adore le résultat.",
            "Vous faites les réparations en boutique ? Le bas est à reprendre.",
            "Il faudrait vendre des pièces pour réparer soi-même.",
            "Je l'ai fait ravauder chez un tailleur du quartier, super travail.",
            "On a recousu le passant de ceinture, rien de grave.",
        ),
        "en": (
            "Mended the knee myself after a year, still going strong.",
            "Had the crotch repaired at a local tailor, good as new.",
            "Do you offer repairs? Mine needs a new pocket.",
            "I patched the knee with leftover denim.",
            "Would love a repair kit sold with {the}.",
        ),
    },
    "upcycling": {
        "fr": (
            "Mon vieux jean a fini coupé en short pour l'été.",
            "J'ai transformé l'ancien en sac de courses, le denim est assez épais pour ça.",
            "Les jambes découpées font de super pochettes.",
            "Avec les chutes de mon ancien jean j'ai fait un sac, proposez l'upcycling !",
            "Ma fille l'a transformé en jupe, vive la seconde vie.",
            "On pourrait vous renvoyer les vieux jeans pour les recycler ?",
            "Transformé en short après trois hivers, toujours aussi solide.",
        ),
        "en": (
            "My old pair got turned into shorts for the summer.",
            "Made into a tote bag once the knees were gone.",
            "Cut off the legs and wore them all summer.",
            "Would you take back old jeans to upcycle them?",
            "I repurposed the worn pair into patches for a quilt.",
        ),
    },
    "professional-use": {
        "fr": (
            "On en a équipé toute notre équipe de salle.",
            "Nos serveurs les portent tous les soirs en service, ils tiennent bien le coup.",
            "Parfait pour un usage pro : poches solides, lavages à 60 sans souci.",
            "Utilisé au restaurant depuis trois mois, il encaisse.",
            "Nos cuisiniers demandent une poche de plus pour le thermomètre.",
            "Pour le personnel de la brasserie il nous en faudrait douze de plus.",
            "Je l'utilise à l'atelier de menuiserie, c'est un vrai tablier professionnel.",
            "Sur le chantier il protège bien, même avec les outils.",
            "Pourriez-vous broder notre logo ? C'est pour mon équipe.",
        ),
        "en": (
            "We bought them for our staff at the restaurant.",
            "Tough enough for professional kitchens.",
            "Our team wears them every shift.",
            "I use mine in my workshop, holds up well.",
            "Could you add our logo? They are for work.",
        ),
    },
    "local-partners": {
        "fr": (
            "Ce serait bien de pouvoir l'utiliser aussi chez des commerçants du quartier.",
            "Pourquoi ne pas l'ouvrir aux commerces locaux de la Croix-Rousse ?",
            "J'aurais aimé la dépenser dans une boutique partenaire près de chez moi.",
            "Une carte valable chez les créateurs locaux, ce serait top.",
            "Vous pourriez l'ouvrir au commerce de proximité ?",
            "Les boutiques du quartier devraient pouvoir l'accepter.",
            "J'adorerais une version utilisable chez les producteurs locaux.",
        ),
        "en": (
            "Would be great if local shops in Lyon accepted it too.",
            "Please partner with other local businesses.",
            "I'd love to spend it at independent shops nearby.",
            "Could it work at partner shops in other cities?",
        ),
    },
    "donation": {
        "fr": (
            "Pourrait-on reverser le solde à une association ?",
            "J'aimerais faire un don du montant restant.",
            "Une option pour offrir la carte à une association caritative serait bienvenue.",
            "Pourquoi pas un pourcentage reversé en dons aux associations du coin ?",
            "Une carte cadeau solidaire, ce serait une belle idée.",
            "Le reste de ma carte, je préférerais en faire un don.",
        ),
        "en": (
            "Could the leftover balance go to a charity?",
            "I'd like to make a donation with the remaining amount.",
            "An option to give part of it to a nonprofit would be nice.",
            "Please add a donate-to-a-good-cause option.",
        ),
    },
    "keep-item": {
        "fr": (
            "Gardez la en collection, s'il vous plaît !",
            "Ce serait dommage de ne pas la reconduire.",
            "À mettre dans la gamme permanente sans hésiter.",
            "J'espère qu'elle restera en permanence au catalogue.",
            "Pérennisez ce modèle, j'en reprendrais une dans une autre couleur.",
            "Gardez le modèle, j'en ai déjà acheté deux.",
            "Collection permanente, vite !",
        ),
        "en": (
            "Please keep making this one.",
            "Make it permanent, I'd buy another colour.",
            "Bring it back in other colours please.",
            "This deserves a spot in the permanent range.",
        ),
    },
    "sizing": {
        "fr": (
            "Attention, {il} taille petit, prenez une taille au-dessus.",
            "Trop petit{e} à la ceinture alors que je fais la même taille partout.",
            "Beaucoup trop serré{e} aux cuisses par rapport à l'ancien modèle.",
            "La coupe a changé, ça taille plus petit qu'avant.",
            "J'ai dû échanger pour une taille au-dessus.",
            "Trop juste aux hanches, dommage.",
            "Un peu trop grand{e} pour moi, je vais échanger.",
            "Le guide des tailles n'est pas fiable.",
            "La jambe est devenue étroite, ce n'est plus la même coupe.",
        ),
        "en": (
            "Runs small, size up.",
            "Too tight at the waist compared to my previous pair.",
            "The sizing changed, my usual size no longer fits.",
            "A bit too big, exchanging.",
        ),
    },
    "delivery": {
        "fr": (
            "Livraison rapide, reçu en deux jours.",
            "Le colis est arrivé avec une semaine de retard.",
            "Le transporteur a laissé le paquet chez un voisin sans prévenir.",
            "Toujours pas livré alors que le suivi dit le contraire.",
            "Expédié vite et bien emballé.",
            "Le point relais a renvoyé mon colis, pas pratique.",
            "Livré à la mauvaise adresse, heureusement le gardien l'a récupéré.",
        ),
        "en": (
            "Delivery took ages.",
            "Parcel arrived quickly and well packed.",
            "The courier left it in the rain.",
            "Shipping to Belgium was slow.",
        ),
    },
    "price": {
        "fr": (
            "Un peu cher, j'ai attendu les soldes.",
            "Le prix est justifié vu la tenue dans le temps.",
            "Trop cher pour moi en plein tarif, acheté en promo.",
            "Les prix ont encore augmenté cette année.",
            "J'aurais aimé une réduction pour les clients fidèles.",
            "Je l'ai trouvé d'occasion, neuf c'est hors de prix.",
        ),
        "en": (
            "A bit pricey, waited for a discount.",
            "Expensive but worth it.",
            "Bought it on sale, full price felt too much.",
            "Prices went up again.",
        ),
    },
    "quality": {
        "fr": (
            "Très bonne qualité de toile, épaisse et bien finie.",
            "Déchiré à l'entrejambe après trois mois, décevant.",
            "La poche est décousue au bout de quelques semaines.",
            "Qualité au rendez-vous, les coutures sont nettes.",
            "Ça bouloche déjà après deux lavages.",
            "Le tissu s'est abîmé très vite.",
            "Couleur délavée bien plus vite que prévu.",
        ),
        "en": (
            "Great quality fabric.",
            "Ripped after a few weeks, disappointing.",
            "Seams frayed quickly.",
            "Colour faded after two washes.",
        ),
    },
}

# Control-theme sentences that praise rather than complain; picked for happy customers.
PRAISE = frozenset(
    {
        "Livraison rapide, reçu en deux jours.",
        "Expédié vite et bien emballé.",
        "Parcel arrived quickly and well packed.",
        "Le prix est justifié vu la tenue dans le temps.",
        "Expensive but worth it.",
        "Un peu cher, j'ai attendu les soldes.",
        "Bought it on sale, full price felt too much.",
        "Très bonne qualité de toile, épaisse et bien finie.",
        "Qualité au rendez-vous, les coutures sont nettes.",
        "Great quality fabric.",
    }
)

# Sentences that mention no theme, by tone.
FILLER: dict[str, dict[str, tuple[str, ...]]] = {
    "positive": {
        "fr": (
            "Très content{e} de mon achat.",
            "Je recommande sans hésiter.",
            "Belle finition, on sent le travail soigné.",
            "Exactement comme sur les photos.",
            "La toile est agréable et se patine joliment.",
            "Franchement top.",
            "Deuxième achat chez vous et toujours ravi.",
            "Le service client a été adorable.",
            "Merci à toute la boutique de Lyon pour les conseils.",
            "C'est un cadeau qui a fait plaisir.",
            "Très belle couleur, encore plus jolie en vrai.",
            "Superbe, rien à ajouter.",
        ),
        "en": (
            "Really happy with it.",
            "Looks exactly like the photos.",
            "Lovely finish, would buy again.",
            "Great customer service.",
            "Beautiful colour.",
        ),
    },
    "negative": {
        "fr": (
            "Déçu{e}, je m'attendais à mieux.",
            "Pas du tout ce que j'imaginais.",
            "La couleur ne correspond pas aux photos.",
            "Je ne le porte presque jamais finalement.",
            "Dommage, l'idée était bonne.",
            "Franchement bof.",
            "Le tissu est rêche et désagréable.",
            "Je n'achèterai pas à nouveau ce modèle.",
        ),
        "en": (
            "Not what I expected.",
            "Disappointed, the colour is off.",
            "Meh, I barely wear it.",
            "Would not buy this one again.",
        ),
    },
    "neutral": {
        "fr": (
            "Correct dans l'ensemble.",
            "Rien d'exceptionnel mais ça fait le travail.",
            "Conforme à la description.",
            "Je verrai avec le temps.",
            "Acheté pour offrir.",
            "Reçu hier, premières impressions plutôt bonnes.",
        ),
        "en": (
            "Does the job.",
            "As described.",
            "Bought it as a present.",
            "Fine overall.",
        ),
    },
}

# A use no theme names yet: old jeans sewn into cushion covers. It rises late in the
# demo so that "terms rising outside any theme" has something to find.
UNLABELLED_PHRASE = {"fr": "housse de coussin", "en": "cushion cover"}
UNLABELLED: dict[str, tuple[str, ...]] = {
    "fr": (
        "Avec mes vieux jeans j'ai cousu une housse de coussin pour le canapé.",
        "Le denim usé fait une housse de coussin magnifique, j'en ai fait trois.",
        "Astuce : une jambe de jean = une housse de coussin.",
        "Vous devriez vendre des patrons de housse de coussin en denim.",
        "Un de mes anciens jeans est devenu une housse de coussin.",
    ),
    "en": (
        "Sewed a cushion cover from my old pair.",
        "Old denim makes a great cushion cover.",
    ),
}

REVIEW_TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "good": {
        "fr": (
            "Top",
            "Très bon achat",
            "Je recommande",
            "Parfait",
            "Coup de cœur",
            "Ravie",
            "Super",
            "Excellent",
            "Rien à dire",
            "Bel objet",
        ),
        "en": ("Love it", "Great buy", "Excellent", "Recommended"),
    },
    "mixed": {
        "fr": ("Correct", "Mitigé", "Bien mais", "Moyen", "Peut mieux faire"),
        "en": ("Okay", "Mixed feelings", "Decent"),
    },
    "bad": {
        "fr": ("Déçu", "Bof", "Pas convaincu", "À éviter", "Dommage"),
        "en": ("Disappointed", "Not great", "Meh"),
    },
}

# --- Support ---------------------------------------------------------------------------

TICKET_SUBJECTS: dict[str, dict[str, tuple[str, ...]]] = {
    "delivery": {
        "fr": (
            "Où est mon colis ?",
            "Retard de livraison",
            "Commande non livrée",
            "Suivi de colis",
        ),
        "en": ("Where is my parcel?", "Late delivery"),
    },
    "sizing": {
        "fr": ("Échange de taille", "Question sur les tailles", "Taille trop petite"),
        "en": ("Size exchange", "Sizing question"),
    },
    "quality": {
        "fr": ("Produit abîmé", "Problème de qualité", "Couture décousue"),
        "en": ("Item ripped", "Quality issue"),
    },
    "price": {
        "fr": ("Code promo refusé", "Question sur le prix", "Différence de prix"),
        "en": ("Discount code not working", "Price question"),
    },
    "repair": {
        "fr": ("Réparation possible ?", "Demande de réparation", "Recoudre une poche"),
        "en": ("Repair request", "Can you repair my jeans?"),
    },
    "upcycling": {
        "fr": ("Idée d'upcycling", "Recyclage des vieux jeans"),
        "en": ("Upcycling idea",),
    },
    "professional-use": {
        "fr": (
            "Commande pour mon équipe",
            "Devis tabliers professionnels",
            "Tabliers pour restaurant",
        ),
        "en": ("Order for our staff", "Aprons for a restaurant"),
    },
    "local-partners": {
        "fr": ("Carte cadeau et commerces locaux", "Boutique partenaire ?"),
        "en": ("Gift card at local shops?",),
    },
    "donation": {
        "fr": ("Faire un don avec ma carte", "Solde de carte pour une association"),
        "en": ("Donate my gift card balance",),
    },
    "keep-item": {
        "fr": ("Gardez la surchemise !", "Collection permanente ?"),
        "en": ("Keep making the overshirt",),
    },
    "admin": {
        "fr": (
            "Question",
            "Ma commande",
            "Re: commande",
            "Besoin d'aide",
            "Demande",
            "Mon compte client",
            "urgent",
        ),
        "en": ("Question", "My order", "Need help"),
    },
}

TICKET_ADMIN: dict[str, tuple[str, ...]] = {
    "fr": (
        "Pourriez-vous m'envoyer la facture de ma commande ?",
        "Je souhaite modifier l'adresse de facturation.",
        "Je n'arrive pas à me connecter à mon compte.",
        "Est-il possible d'annuler ma commande passée ce matin ?",
        "Le paiement a été refusé mais j'ai quand même reçu un mail de confirmation.",
        "Comment utiliser le code de ma carte cadeau sur le site ?",
        "Pouvez-vous ajouter un article à ma commande ?",
        "J'ai reçu deux mails de confirmation, est-ce normal ?",
    ),
    "en": (
        "Could you send me the invoice for my order?",
        "I can't log into my account.",
        "Can I still cancel my order from this morning?",
        "How do I use my gift card code online?",
    ),
}

GREETINGS = {
    "fr": ("Bonjour,", "Bonjour", "Bonsoir,", "Hello,", "Madame, Monsieur,", ""),
    "en": ("Hi,", "Hello,", "Hi there,", ""),
}
SIGNOFFS = {
    "fr": ("Merci d'avance.", "Cordialement,", "Bonne journée", "Merci !", "Bien à vous", ""),
    "en": ("Thanks!", "Best regards,", "Thank you", ""),
}

# Agents answer politely and never name a theme: their words are not customer voice.
AGENT_REPLIES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Bonjour, merci pour votre message. Je regarde cela et je reviens vers vous rapidement.",
        "Bonjour, c'est noté, je transmets votre demande au service concerné.",
        "Merci pour votre patience, le nécessaire a été fait. Belle journée !",
        "Bonjour, pourriez-vous nous envoyer une photo et votre numéro de commande ?",
        "Je vous confirme que votre demande est traitée. N'hésitez pas si besoin.",
        "Merci pour ce retour, je le partage avec l'atelier.",
        "Bonjour, un bon d'échange vient de vous être envoyé par mail.",
        "Votre remboursement a été validé, il apparaîtra sous 5 à 7 jours ouvrés.",
    ),
    "en": (
        "Hello, thanks for reaching out. I am looking into it and will get back to you.",
        "Thanks for your patience, this is now sorted.",
        "Could you send us a photo and your order number?",
        "Your refund has been approved; it should appear within a week.",
    ),
}

CUSTOMER_FOLLOWUPS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Merci pour votre retour rapide.",
        "Toujours pas de nouvelles, pouvez-vous regarder ?",
        "Voici la photo demandée.",
        "Parfait, merci beaucoup !",
        "Je relance car je n'ai pas eu de réponse.",
        "D'accord, j'attends votre mail.",
        "ok merci",
        "C'est bon pour moi, vous pouvez clôturer.",
    ),
    "en": (
        "Thanks for the quick answer.",
        "Any update on this?",
        "Here is the photo.",
        "All good, thank you!",
    ),
}

SATISFACTION_COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "good": {
        "fr": (
            "Réponse rapide et efficace.",
            "Merci, très aimable.",
            "Super accueil.",
            "Problème résolu en une journée.",
            "Parfait",
        ),
        "en": ("Quick and helpful.", "Great service, thanks."),
    },
    "bad": {
        "fr": (
            "Trop long pour avoir une réponse.",
            "Personne ne m'a rappelé.",
            "Réponse à côté de la question.",
            "Pas satisfait de la solution proposée.",
        ),
        "en": ("Took too long.", "Nobody called me back."),
    },
}

# --- Shop returns ---------------------------------------------------------------------

RETURN_REASONS: dict[str, dict[str, tuple[str, ...]]] = {
    "too_small": {
        "fr": (
            "Trop petit",
            "Taille trop petite",
            "trop serré à la taille",
            "Trop juste aux cuisses",
            "taille petit, je reprends la taille au-dessus",
            "La nouvelle coupe taille beaucoup plus petit",
        ),
        "en": ("Too small", "Runs small"),
    },
    "too_large": {
        "fr": ("Trop grand", "Taille trop grande", "trop grand à la ceinture"),
        "en": ("Too big",),
    },
    "defect": {
        "fr": (
            "Couture décousue à réception",
            "Tissu abîmé",
            "Petit accroc, qualité décevante",
            "Bouton craqué",
        ),
        "en": ("Arrived ripped", "Poor quality stitching"),
    },
    "not_as_described": {
        "fr": (
            "Couleur différente des photos",
            "Pas conforme à la fiche",
            "Ne ressemble pas à la photo",
        ),
        "en": ("Colour not as pictured",),
    },
    "changed_mind": {
        "fr": ("Finalement pas mon style", "Plus besoin", "Changement d'avis", "Cadeau en double"),
        "en": ("Changed my mind",),
    },
    "late_delivery": {
        "fr": ("Livré trop tard pour l'anniversaire", "Colis arrivé après la date prévue"),
        "en": ("Delivered too late",),
    },
}

# --- CRM ------------------------------------------------------------------------------

LOST_REASONS: dict[str, tuple[str, ...]] = {
    "price": (
        "Trop cher par rapport au concurrent",
        "Prix unitaire trop élevé pour 30 pièces",
        "Budget validé inférieur à notre tarif",
        "Ont trouvé moins cher en ligne",
        "Price too high for the volume",
    ),
    "delivery": (
        "Délais de livraison trop longs pour leur ouverture",
        "Besoin livré sous 10 jours, impossible",
    ),
    "quality": ("Échantillon jugé de qualité insuffisante", "Doutes sur la qualité des coutures"),
    "none": (
        "Projet reporté à l'an prochain",
        "Pas de réponse après relance",
        "Ont choisi un autre fournisseur",
        "Changement de gérant",
        "Budget gelé",
        "No decision made",
    ),
}

NOTES: dict[str, tuple[str, ...]] = {
    "none": (
        "Appel de suivi, tout va bien. Relancer dans trois mois.",
        "Rendez-vous en boutique avec la gérante, très bon contact.",
        "Envoyé le catalogue de la saison et les conditions.",
        "Client satisfait de la dernière commande, pas de besoin immédiat.",
        "Mail envoyé pour présenter les nouveautés.",
        "Contact changé : la nouvelle interlocutrice est l'assistante de direction.",
        "Demande d'échantillons de toile, envoyés ce jour.",
        "Call with the manager, will follow up next month.",
    ),
    "price": (
        "Négociation sur le prix : ils demandent 10 % pour 40 pièces.",
        "Trouve nos tarifs élevés mais apprécie la fabrication locale.",
        "Demande une remise de fidélité, à voir avec la direction. Prix actuel jugé élevé.",
    ),
    "delivery": (
        "Inquiet sur les délais de livraison avant l'ouverture.",
        "Souhaite une livraison groupée sur deux sites.",
        "Dernier colis arrivé incomplet, renvoyé le manquant.",
    ),
    "quality": (
        "Retour positif sur la qualité des pièces reçues l'an dernier.",
        "Remonte deux pièces déchirées après lavage industriel, à analyser.",
    ),
    "professional-use": (
        "Veut équiper tout le personnel de salle en tabliers, 15 pièces.",
        "Le chef demande des tabliers plus longs pour ses cuisiniers. Usage pro intensif.",
        "Brasserie en ouverture : tabliers denim pour les serveurs et le bar.",
        "Tabliers utilisés au restaurant depuis un an, ils en commandent pour la nouvelle équipe.",
        "Atelier de céramique : tabliers pour les stagiaires, usage professionnel côté tour.",
        "Équipe de chantier intéressée par les chinos et les tabliers à poches.",
        "Restaurant partenaire : veut son logo brodé sur 20 tabliers.",
    ),
    "donation": (
        "L'association demande si nous pouvons faire un don de tabliers pour leur repas solidaire.",
        "Proposition de partenariat caritatif pour la fin d'année.",
    ),
    "local-partners": (
        "Dépôt-vente : souhaite devenir boutique partenaire pour nos cartes cadeaux.",
        "Le collectif des commerçants du quartier veut une carte commune.",
    ),
}

# Messages the customer wrote to the sales team, logged in the CRM (an e-mail, the
# contact form): the customer's own words, so customer voice. Same themes as NOTES.
CUSTOMER_NOTES: dict[str, tuple[str, ...]] = {
    "professional-use": (
        "Nous voudrions équiper tout le personnel de salle en tabliers, une quinzaine de pièces.",
        "Nos cuisiniers réclament des tabliers plus longs, avec une poche pour le thermomètre.",
        "Nous ouvrons une brasserie en mars : il nous faut des tabliers en denim pour le bar.",
        "Vos tabliers tiennent depuis un an au restaurant, nous en voulons pour les nouveaux.",
        "Pour notre atelier de céramique, auriez-vous des tabliers à usage professionnel ?",
        "Sur le chantier, les gars aimeraient des chinos et des tabliers à poches.",
        "Pourriez-vous broder notre logo sur 20 tabliers pour notre équipe ?",
    ),
    "donation": (
        "Notre association prépare un repas solidaire : accepteriez-vous de nous faire un don de "
        "tabliers ?",
        "Nous cherchons des partenaires caritatifs pour la fin d'année, seriez-vous partants ?",
    ),
    "local-partners": (
        "Notre dépôt-vente aimerait devenir boutique partenaire pour vos cartes cadeaux.",
        "Avec les commerçants de la rue, nous aimerions une carte cadeau commune.",
    ),
    "price": (
        "Vos tarifs sont élevés pour 40 pièces, une remise est-elle possible ?",
        "Nous aimons la fabrication locale mais le prix reste un frein.",
        "Une réduction de fidélité serait la bienvenue vu nos volumes.",
    ),
    "delivery": (
        "Nous ouvrons le 15 : la livraison peut-elle arriver avant ?",
        "Pouvez-vous livrer nos deux sites en une seule fois ?",
        "Le dernier colis est arrivé incomplet, il manque deux pièces.",
    ),
    "quality": (
        "Deux pièces se sont déchirées après un lavage industriel.",
        "Très contents de la qualité des pièces reçues l'an dernier.",
    ),
}
NOTE_GREETINGS = ("Bonjour,", "Bonjour {first},", "Hello,", "")
NOTE_SIGNOFFS = (
    "Cordialement,\n{first} {last}",
    "Bien à vous, {first} {LAST}",
    "{first}",
    "Merci d'avance,\n{LAST} {first}",
    "",
)

# What the sales team logs by itself (calls, mails sent, visits): staff text, never
# customer voice, often the same sentence for many accounts.
STAFF_NOTES: tuple[str, ...] = (
    *NOTES["none"],
    "Appel de suivi avec {first}, RAS.",
    "RDV à la boutique avec Mme {last}, très bon contact.",
    "Relance devis envoyée à {email}.",
    "Message laissé à {first} {last} au {phone}.",
)
# What the CRM writes by itself when a field changes: capitals, no sentence.
SYSTEM_NOTES: tuple[str, ...] = (
    "SHIPPING ADDRESS UPDATED: {ADDRESS}",
    "ADRESSE DE LIVRAISON MODIFIÉE : {ADDRESS}",
    "EMAIL UPDATED: {EMAIL}",
    "TÉLÉPHONE MODIFIÉ : {phone}",
    "CONTACT OWNER CHANGED",
    "LIFECYCLE STAGE: LEAD -> CUSTOMER",
)

# --- Noise and hazards --------------------------------------------------------------------

# Personal data customers paste into free text; the brief must redact it. {phone},
# {email} and {address} take one of the forms below; {first} and {last} are the writer's
# own names (as the exports also carry them in name columns), {LAST} in capitals.
PII_SENTENCES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Vous pouvez me joindre au {phone}.",
        "Mon numéro : {phone}",
        "Écrivez-moi plutôt sur {email}",
        "Pour le remboursement voici mon IBAN : FR76 3000 {p1}{p2} 0112 3456 7890 1{p3}",
        "J'ai été débité deux fois sur ma carte 4970 10{p1} {p2}{p3} {p4}90.",
        "Tél. {phone}",
        "Mon adresse : {address}.",
        "J'habite maintenant au {address}, merci de mettre à jour.",
        "{first} {LAST} - {phone}",
        "Merci de rappeler Mme {last} au {phone}.",
        "Bien cordialement,\n{first} {last}\n{address}",
    ),
    "en": (
        "Call me on {phone}.",
        "My email is {email} if easier.",
        "Card ending 4970 10{p1} {p2}{p3} {p4}90 was charged twice.",
        "Please send it to {address}.",
        "Thanks, {first} {last}",
    ),
}
# (format, digits after the leading 0): French numbers as people write them.
PHONE_FORMATS: tuple[str, ...] = (
    "0{a} {b} {c} {d} {e}",
    "0{a}.{b}.{c}.{d}.{e}",
    "0{a}-{b}-{c}-{d}-{e}",
    "0{a}/{b}/{c}/{d}/{e}",
    "0{a}{b}{c}{d}{e}",
    "+33 {a} {b} {c} {d} {e}",
    "+33 (0){a} {b} {c} {d} {e}",
    "0033 {a} {b} {c} {d} {e}",
    "(0{a}) {b} {c} {d} {e}",
    "+33{a}{b}{c}{d}{e}",
)
EMAIL_FORMATS: tuple[str, ...] = (
    "{f}.{l}@{domain}",
    "{f}.{l} [at] {name} [dot] {tld}",
    "{f}.{l} (at) {name} (dot) {tld}",
    "{f}.{l} arobase {name}.{tld}",
    "{f}{l}@{domain}",
    "{F}.{L}@{DOMAIN}",
    "{fa}.{la}@{domain}",
)
# (street, with {n} the house number): French street forms.
STREETS: tuple[str, ...] = (
    "{n} bis rue des Lilas",
    "{n}, avenue Jean Jaurès",
    "{n} ter impasse des Glycines",
    "{n} chemin du Moulin",
    "{n} bd de la Croix-Rousse",
    "{n} place Bellecour",
    "{n} allée des Tilleuls",
    "{n} quai Saint-Vincent",
)

# Strings a review body may carry that a report must show as inert text.
HOSTILE_STRINGS = (
    '<img src="http://127.0.0.1:9/x.png">',
    "<b>gras</b> et <i>italique</i>",
    "file:///etc/passwd",
    "<script>alert('x')</script>",
    "{{ 7*7 }} ${7*7}",
    "[lien](javascript:alert(1))",
)

SPELLING_VARIANTS = (
    ("c'est", "c est"),
    ("très", "tres"),
    ("vraiment", "vrmt"),
    ("parce que", "pcq"),
    ("je suis", "chui"),
    ("beaucoup", "bcp"),
    ("quand même", "qd même"),
    ("être", "etre"),
    ("à", "a"),
    ("déçu", "decu"),
    ("merci", "mrc"),
    ("s'il vous plaît", "svp"),
)


# The help desk's web widget, in use for the last months, exports what customers type in
# it as HTML: paragraphs, accented letters and the space before ? and ! as entities.
WIDGET_ENTITIES = (
    ("é", "&eacute;"),
    ("è", "&egrave;"),
    ("ê", "&ecirc;"),
    ("à", "&agrave;"),
    ("ç", "&ccedil;"),
    (" ?", "&nbsp;?"),
    (" !", "&nbsp;!"),
)


def widget_html(text: str) -> str:
    """`text` as the help desk widget exports it: <p> per line, entities for accents."""
    escaped = html.escape(text, quote=False)
    for char, entity in WIDGET_ENTITIES:
        escaped = escaped.replace(char, entity)
    return "".join(f"<p>{line}</p>" for line in escaped.split("\n") if line.strip())


def fill(template: str, slots: dict[str, str]) -> str:
    return template.format_map(slots)


def typo(text: str, rng: random.Random) -> str:
    """One keyboard slip in a word of five letters or more (swap, drop or double)."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif kind == 1:
        word = word[:j] + word[j + 1 :]
    else:
        word = word[:j] + word[j] + word[j:]
    words[i] = word
    return " ".join(words)


def casual(text: str, rng: random.Random) -> str:
    """Text-message spelling for a French sentence."""
    for formal, informal in SPELLING_VARIANTS:
        if formal in text and rng.random() < 0.5:
            text = text.replace(formal, informal)
    return text


def strip_accents(text: str) -> str:
    table = str.maketrans("àâäéèêëîïôöùûüçÀÂÉÈÊÎÔÙÛÇ", "aaaeeeeiioouuucAAEEEIOUUC")
    return text.translate(table)
