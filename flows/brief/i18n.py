"""The brief's static text in French and English, and the labels of coded values.

Labels that come from the company's own data (themes, segments, offers) are read from
the warehouse; the names of the shared lists' values (metrics, channels, kinds, signal
classes...) are columns of their seeds (`flows.shared_lists`); everything else the
reader sees is here. Both languages hold the same keys (a test checks it). `{name}`
placeholders are filled by `Translator.__call__`.
"""

from __future__ import annotations

from typing import Any

from flows import shared_lists

# The shared lists (transforms/seeds/) whose labels `Translator.code` shows, by the
# prefix the templates name a code with: code('metric', gap.metric).
LISTED_CODES: dict[str, tuple[str, ...]] = {
    "metric": ("metrics",),
    "kind": ("offer_kinds", "signal_kinds"),
    "channel": ("channels",),
    "class": ("signal_classes", "experiment_recommendations", "decision_statuses", "figure_states"),
    "state": ("figure_states",),
    "no_data": ("no_data_reasons",),
    "dim": ("gap_dimensions",),
    "source": ("evidence_sources",),
}

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        # document
        "doc_title": "Brief stratégique",
        "doc_subtitle": "Ce que vos clients font réellement de vos offres",
        "period": "Période",
        "prepared_for": "Préparé pour",
        "generated_from": "Source",
        "incomplete_month": (
            "Mois incomplet : les données s'arrêtent au {date}. "
            "Les chiffres de ce mois peuvent encore évoluer."
        ),
        "stale_source": (
            "Source non à jour : {source}, chargée pour la dernière fois le {since}. "
            "Ses chiffres s'arrêtent à cette date."
        ),
        "stale_source_never": "Source jamais chargée : {source}. Ses chiffres manquent.",
        "cover_coverage": "Données analysées",
        "cover_span": "du {start} au {end}",
        "cover_systems": "Sources",
        "cover_rejects": "Lignes rejetées à l'import : voir l'annexe",
        "cover_no_rejects": "Aucune ligne rejetée à l'import",
        "cover_note": (
            "Ce document présente des constats et des pistes. "
            "Les décisions restent celles de la direction."
        ),
        "page": "page",
        # sections
        "glance_title": "L'essentiel du mois",
        "glance_intro": (
            "Les constats les plus marquants du mois, classés par importance "
            "dans l'entrepôt de données."
        ),
        "glance_empty": "Aucun constat marquant ce mois-ci.",
        "mail_subject": "{company} · brief stratégique · {month}",
        "mail_files": "En pièces jointes : {files}.",
        "summary_item": "{rank}. **{subject}** ({status}) : {value} · {metric}",
        "glance_vs_target": "objectif {value}",
        "glance_vs_reference": "référence {value}",
        "glance_vs_baseline": "habituellement {value}",
        "offers_title": "Intention et usage, offre par offre",
        "offers_intro": (
            "Pour chaque offre : qui l'achète réellement, comparé aux segments visés, "
            "et chaque objectif comparé au réalisé."
        ),
        "offers_empty": "Aucune offre n'a d'activité ce mois-ci.",
        "signals_title": "Ce que disent les clients",
        "signals_intro": (
            "Les thèmes dont parlent les clients (avis, tickets, notes CRM, retours, "
            "motifs de perte), regroupés par type de signal. Les citations sont anonymisées."
        ),
        "signals_empty": "Aucun signal ce mois-ci.",
        "appendix_title": "Annexe",
        "method_title": "Méthode",
        "coverage_title": "Couverture et fraîcheur des données",
        "lineage_title": "D'où vient chaque chiffre",
        # offers
        "orders": "Commandes",
        "units": "Unités",
        "revenue": "Chiffre d'affaires",
        "buyers": "Acheteurs",
        "returns": "Retours",
        "return_rate": "Taux de retour",
        "repeat_rate": "Taux de réachat",
        "tickets": "Tickets",
        "tickets_per_100_orders": "Tickets / 100 commandes",
        "csat": "Satisfaction",
        "avg_rating": "Note moyenne",
        "reviews": "Avis",
        "evidence_items": "Verbatims",
        "segment_mix": "Qui achète",
        "segment_mix_text": (
            "{share} des acheteurs ({count}) sont hors des segments visés ; "
            "ils pèsent {revenue_share} du chiffre d'affaires."
        ),
        "segment_mix_top": "Premier segment hors cible : {segment} ({share} des acheteurs).",
        "segment_mix_none": "Tous les acheteurs appartiennent aux segments visés.",
        "segment_mix_no_intent": "Aucun segment visé n'est déclaré pour cette offre.",
        "gaps_heading": "Intention et réalité",
        "gap_metric": "Indicateur",
        "gap_expected": "Attendu",
        "gap_actual": "Réalisé",
        "gap_value": "Écart",
        "gap_sample": "Base",
        "gap_status": "Statut",
        "gap_rank": "Rang",
        "gaps_none": "Aucun objectif déclaré pour cette offre.",
        # signals
        "documents": "Mentions",
        "customers": "Clients",
        "share": "Part des échanges",
        "baseline_share": "Habituellement",
        "share_ratio": "Rapport",
        "z_score": "Score z",
        "trend_months": "{months} derniers mois",
        "top_offer": "Offre la plus citée\u00a0:",
        "verbatims": "Ce qu'ils disent",
        "no_verbatims": "Pas de citation disponible.",
        # who wrote a text (crm notes, ticket comments)
        "role_customer": "le client",
        "role_staff": "l'équipe",
        "role_agent": "l'équipe",
        # classifications of gaps (those of signals, experiments and decisions are seeds)
        "class_rising": "En hausse",
        "class_falling": "En baisse",
        "class_breach": "Hors objectif",
        "class_ok": "Conforme",
        "class_off_target": "Hors cible",
        "signal_recent": "Mentions, {months} mois",
        "signal_recent_customers": "Clients, {months} mois",
        "signal_ratio": "Rapport lissé, {scope}",
        "scope_all": "tous échanges",
        "scope_offer": "échanges sur l'offre",
        "scope_source": "textes de la source",
        "signal_test": "p {p} · q {q} · tendance à la hausse p {trend}",
        "signal_test_fall": "p {p} · q {q} · tendance à la baisse p {trend}",
        "signal_periods": "Récent : {start} – {end} · référence : {baseline_start} – {baseline_end}",
        "signal_in_offer": "Lu dans les échanges sur l'offre",
        "signal_month": "Ce mois : {documents} mentions, {share} des échanges",
        "terms_title": "Termes émergents",
        "terms_intro": (
            "Des mots que les clients emploient de plus en plus et qu'aucun thème ne "
            "couvre encore : des candidats pour de nouveaux thèmes, à lire sans a priori."
        ),
        "terms_empty": "Aucun terme émergent ce mois-ci.",
        "term_customers": "Clients, {months} mois",
        "term_share": "Part des textes de la source",
        "term_source": "Source : {source}",
        "lineage_terms": "Termes émergents",
        # appendix
        "method_intro": (
            "Chaque chiffre de ce document est calculé dans l'entrepôt de données "
            "(DuckDB, modèles SQL versionnés), puis simplement mis en forme ici. "
            "Les mêmes chiffres sont publiés dans le fichier JSON qui accompagne ce brief."
        ),
        "method_gaps": (
            "Écarts. Pour chaque offre, l'intention déclarée (segments, canaux, usages, "
            "compléments, objectifs) est comparée à ce que montrent les commandes, le CRM et "
            "le support sur les {window} derniers mois : part des acheteurs d'un segment non "
            "visé (tolérance {segment_tolerance}) et dérive de la clientèle par rapport à ses "
            "{baseline} mois précédents (indice de stabilité, seuil {psi}) ; part des "
            "commandes passées par un canal non prévu (tolérance {channel_tolerance}), "
            "affaires gagnées du CRM comprises ; part des verbatims sur l'offre citant un usage non prévu (tolérance "
            "{use_tolerance}) ; achats associés sur {bundle_window} mois (indice de "
            "co-achat : 1 = hasard) ; retours par motif, annulations, affaires perdues, avis à "
            "1 ou 2 étoiles et insatisfaction comparés au passé de l'offre ; chaque objectif "
            "du mois."
        ),
        "method_gap_score": (
            "Honnêteté et classement. Un écart n'est retenu que s'il repose sur assez "
            "d'observations (au moins {min_buyers} acheteurs ou ventes, {min_evidence} "
            "verbatims, {min_sample} événements selon le cas) et s'il reste significatif "
            "quand on teste tous les écarts du mois ensemble (procédure de Benjamini-Hochberg, "
            "au plus {fdr} de fausses alertes) : 50 % d'acheteurs hors cible sur 4 acheteurs "
            "n'est pas un constat. Score = taille × significativité × poids. Taille : combien "
            "de fois la référence, sur une échelle logarithmique où quatre fois est le "
            "maximum. Significativité : 1 − p, où p est la probabilité d'observer un écart au "
            "moins aussi grand s'il n'y en avait aucun (test unilatéral) ; ce n'est pas la "
            "probabilité que l'écart soit réel. Poids : racine carrée de la part de l'offre "
            "dans le chiffre d'affaires de la période. Chaque écart cite ses chiffres, ses "
            "verbatims ou ses comptes, et la ligne de l'entrepôt qui les porte."
        ),
        "method_states": (
            "États. Un chiffre n'est jugé (conforme, hors objectif, hors cible...) que s'il "
            "est mesuré : ses données sont présentes et il atteint son plancher — {min_sample} "
            "observations pour un taux du mois, {history} mois complets d'historique de "
            "commandes pour un taux de réachat, {min_buyers} acheteurs ou ventes pour une "
            "répartition. Sinon il est signalé « données insuffisantes » (plancher nommé) ou "
            "« pas de données » (fichier absent nommé), et n'est pas jugé."
        ),
        "method_experiments": (
            "Expérimentations. Chaque article d'une offre expérimentale est comparé à la "
            "gamme permanente sur la même période : note (mêlée de {prior} avis à la moyenne "
            "de la gamme), rythme des ventes, retours, et, seulement quand ils le soutiennent, "
            "réachat et demandes des clients (verbatims de type suggestion sur l'article) : "
            "un article durable s'achète une fois, et l'absence de réachat ou de demande ne "
            "le pénalise pas. Un critère sans données ne compte pas. Score de -1 à 1 : à "
            "pérenniser au-dessus de {score}, à arrêter en dessous de -{score} ; trop tôt "
            "pour conclure sous {reviews} avis."
        ),
        "method_decisions": (
            "Décisions. Pour chaque décision, les indicateurs suivis sur les {months} mois qui "
            "précèdent sont comparés aux {months} derniers mois écoulés depuis, et cette "
            "évolution est corrigée de celle des autres offres sur la même période "
            "(différence de différences) ; « trop tôt pour conclure » tant que {months} mois "
            "ne sont pas passés."
        ),
        "method_signals": (
            "Signaux. Les avis, tickets, échanges support, notes CRM, motifs de retour et "
            "de perte et commentaires de satisfaction sont rapprochés des thèmes déclarés "
            "par l'entreprise grâce à leurs listes de termes, sans tenir compte des "
            "majuscules ni des accents ; un terme dit à la forme négative (« pas de souci "
            "de taille ») ou cité entre guillemets ne compte pas. Les tests comptent les "
            "clients distincts qui évoquent le thème, source par source et mois par mois : "
            "les messages répétés d'un même client ne comptent qu'une fois, et chaque source "
            "n'est comparée qu'à elle-même, si bien qu'une campagne d'avis ne fait pas monter "
            "tous les thèmes. La part du thème sur les {recent} derniers mois est comparée à "
            "sa part des {baseline} mois qui précèdent, en laissant {gap} mois d'écart, dans "
            "l'ensemble des échanges et dans ceux de chaque offre. Le test tient compte du "
            "hasard des comptes et des variations habituelles du thème d'un mois à l'autre, "
            "mesurées sur ses {dispersion_months} mois précédents ; le taux de fausses "
            "découvertes est contrôlé à {fdr} parmi les tests du mois. Une hausse demande une "
            "part au moins {ratio} fois plus forte (rapport lissé), visible sur au moins "
            "{persistence_months} des {recent} derniers mois, pour qu'un seul mois "
            "exceptionnel ne passe pas pour une tendance. Un thème se lit dans une seule "
            "offre quand les clients l'évoquent surtout à son propos."
        ),
        "method_classes_intro": "Chaque thème reçoit, chaque mois, l'un de ces statuts :",
        "method_class_strong": (
            "hausse significative, soutenue et en volume : au moins {strong_docs} mentions "
            "sur {recent} mois et une tendance à la hausse sur {trend_months} mois (test de "
            "Mann-Kendall, p ≤ {trend_p}) ;"
        ),
        "method_class_emerging": (
            "hausse significative, au moins {min_docs} mentions par {customers} clients "
            "distincts, mais pas encore soutenue en volume ;"
        ),
        "method_class_spike": (
            "ce mois seul, la part du thème atteint au moins {spike_ratio} fois son "
            "niveau des {spike_months} mois précédents, au-delà du hasard et des variations "
            "habituelles du thème (fausses découvertes contrôlées à {spike_fdr} entre les "
            "thèmes du mois), chez au moins {customers} clients distincts : un choc à "
            "regarder tout de suite, pas encore une tendance ;"
        ),
        "method_class_established": (
            "une hausse restée significative au moins {est_months} mois, qui ne "
            "progresse plus mais se maintient nettement au-dessus de son niveau d'avant (au "
            "moins {est_ratio} fois, jugé sur ses {est_window} derniers mois ensemble) ; une "
            "saison que les mêmes mois de l'an dernier montraient déjà ne compte pas ; le "
            "statut reste affiché jusqu'au retour à ce niveau, pour qu'un changement durable "
            "ne disparaisse pas du brief ;"
        ),
        "method_class_seasonal": (
            "une hausse, un pic ou une baisse que les mêmes mois de l'année "
            "précédente montraient déjà, sans que cette année aille nettement au-delà "
            "(possible à partir de 13 mois de données) : le thème suit sa saison ;"
        ),
        "method_class_weak": (
            "hausse non significative après contrôle des fausses découvertes, mais avec "
            "p ≤ {weak_p} avant ce contrôle et au moins {weak_docs} mentions par {customers} "
            "clients distincts : à surveiller ;"
        ),
        "method_class_fading": (
            "baisse significative, la part divisée par au moins {ratio}, d'un thème qu'au "
            "moins {customers} clients évoquaient ;"
        ),
        "method_class_stable": "ni hausse ni baisse démontrée ;",
        "method_class_insufficient_data": (
            "moins de {min_docs} mentions dans les deux périodes ou moins de {min_baseline} "
            "mois de référence : aucun statut n'est donné."
        ),
        "method_terms": (
            "Termes émergents. Les mots et expressions de deux mots qui n'appartiennent à "
            "aucun thème (mots vides français et anglais, noms de produits et mots des "
            "thèmes retirés, pluriels ramenés au singulier) sont comptés en textes, au sein "
            "de chaque source (avis, tickets, notes CRM...) : un terme est comparé aux "
            "textes de sa propre source, pour qu'une source qui grossit ne fasse pas "
            "émerger ses mots habituels. Un terme est retenu quand au moins "
            "{term_customers} clients distincts l'emploient sur {recent} mois dans une "
            "source, que sa fréquence y est au moins {term_ratio} fois celle de la période "
            "de référence et que la hausse est significative (taux de fausses découvertes "
            "{term_fdr} entre tous les tests du mois). Seules les données jusqu'au mois du "
            "brief sont lues."
        ),
        "method_voice": (
            "Voix des clients. Seuls les textes écrits par les clients comptent : les notes "
            "CRM et les commentaires de tickets écrits par l'équipe en sont exclus. Le rôle "
            "d'auteur vient de l'export ; à défaut, un message système (tout en majuscules) "
            "ou un texte fait de phrases écrites à l'identique pour au moins {threads} "
            "comptes ou tickets (des modèles) est attribué à l'équipe, et une note sans "
            "autre indice compte comme écrite par : {note_default}. Les phrases modèles ne "
            "comptent ni dans les thèmes ni dans les termes émergents, même au milieu d'un "
            "texte de client."
        ),
        "method_privacy": (
            "Confidentialité. Avant tout calcul, la mise en forme est retirée du texte des "
            "clients (balises HTML, entités, liens remplacés par [link]), puis ces données "
            "personnelles y sont remplacées par un jeton ; les citations sont ensuite "
            "limitées à {max_chars} caractères et prises chez des clients distincts :"
        ),
        "method_privacy_limits": (
            "Ce que le retrait ne garantit pas : un prénom inconnu de l'entrepôt sans "
            "indice autour (civilité, formule de politesse, signature), une adresse sans "
            "numéro ni code postal, un numéro épelé en toutes lettres, une adresse e-mail "
            "déguisée autrement (« jean chez gmail ») ; les autres identifiants (numéros de "
            "sécurité sociale, plaques, adresses IP) ne sont pas recherchés."
        ),
        "coverage_intro": "Volume chargé par source, lignes rejetées et dates extrêmes.",
        "cov_system": "Système",
        "cov_entity": "Données",
        "cov_rows": "Lignes",
        "cov_rejected": "Rejetées",
        "cov_first": "Première",
        "cov_last": "Dernière",
        "system_shop": "Boutique",
        "system_crm": "CRM",
        "system_support": "Support",
        "lineage_intro": ("Toutes les tables sont dans le schéma « report » du fichier {file}."),
        "lineage_section": "Section",
        "lineage_table": "Table",
        "lineage_cover": "Couverture, période",
        "lineage_glance": "L'essentiel du mois",
        "lineage_offers": "Chiffres par offre, segments",
        "lineage_gaps": "Objectifs et écarts",
        "lineage_signals": "Signaux et tendances",
        "lineage_verbatims": "Citations",
        "lineage_coverage": "Couverture des données",
        # intent versus usage: ranked gaps, experiments, decisions
        "gaps_ranked_title": "Les écarts à lire d'abord",
        "gaps_ranked_intro": (
            "Là où l'usage réel s'écarte de l'intention, toutes dimensions confondues, du "
            "plus important au moins important : taille de l'écart × significativité "
            "statistique (1 − p) × poids de l'offre dans le chiffre d'affaires. Seuls les écarts significatifs "
            "figurent ici, avec ce qui les prouve."
        ),
        "gaps_ranked_none": "Aucun écart significatif ce mois-ci.",
        "gaps_more": (
            "Les écarts testés sans être significatifs restent consultables dans la table "
            "{table} de l'entrepôt."
        ),
        "gap_subject": "Offre",
        "gap_finding": "Constat",
        "gap_score": "Score",
        "gap_evidence": "Preuves",
        "gap_vs": "réf.",
        "gap_significant_heading": "Écarts significatifs de l'offre",
        "evidence_count": "{count} verbatims",
        "evidence_accounts": "{count} comptes",
        "evidence_source": "Entrepôt : {source}",
        "cmp_tolerance": "tolérance {value}",
        "cmp_target": "objectif {value}",
        "cmp_baseline": "avant {value}",
        "cmp_threshold": "seuil {value}",
        "cmp_independence": "hasard {value}",
        "reason_too_small": "trop petit",
        "reason_too_large": "trop grand",
        "reason_defect": "défaut",
        "reason_not_as_described": "non conforme",
        "reason_changed_mind": "changement d'avis",
        "reason_late_delivery": "livraison tardive",
        "reason_unknown": "motif non renseigné",
        "class_significant": "Significatif",
        "class_watch": "À surveiller",
        "channel_heading": "Par où",
        "channel_mix_text": (
            "{share} des commandes (affaires gagnées du CRM comprises) passent par des "
            "canaux non prévus ; le premier : {channel} ({channel_share} des commandes)."
        ),
        "channel_mix_none": "Toutes les commandes passent par les canaux prévus.",
        "channel_mix_no_intent": "Aucun canal prévu n'est déclaré pour cette offre.",
        "use_heading": "Pour quoi faire",
        "use_text": "Usage non prévu le plus cité : {theme} ({share} des verbatims sur l'offre).",
        "use_none": "Aucun usage non prévu ne ressort des verbatims.",
        "drift_text": (
            "Indice de dérive de la clientèle : {intended} par rapport à la cible, {past} par "
            "rapport aux mois précédents (au-delà de {threshold} : changement net)."
        ),
        "glance_vs_core": "gamme {value}",
        "glance_vs_before": "avant {value}",
        "experiments_title": "Expérimentations : le verdict des clients",
        "experiments_intro": (
            "Chaque article testé, comparé à la gamme permanente sur la même période : note, "
            "réachat, rythme des ventes et demandes des clients. La recommandation est une "
            "piste ; la décision reste à la direction."
        ),
        "experiments_empty": "Aucune expérimentation en cours ce mois-ci.",
        "exp_period": "Du {start} au {end} · {months} mois · {items} articles",
        "exp_item": "Article",
        "exp_verdict": "Recommandation",
        "exp_rating": "Note",
        "exp_repeat": "Réachat",
        "exp_pace": "Ventes / mois",
        "exp_requests": "Demandes / 100 acheteurs",
        "exp_returns": "Retours",
        "exp_score": "Score",
        "exp_reasons": "Pourquoi",
        "exp_core": "gamme {value}",
        "exp_offer_row": "Toute l'offre",
        "why_too_early": "trop tôt (peu d'avis ou d'acheteurs)",
        "why_rating_above_core": "mieux noté que la gamme",
        "why_rating_below_core": "moins bien noté que la gamme",
        "why_repeat_above_core": "racheté plus souvent",
        "why_pace_above_core": "se vend plus vite",
        "why_pace_below_core": "se vend moins vite",
        "why_returns_below_core": "moins retourné que la gamme",
        "why_returns_above_core": "plus retourné que la gamme",
        "why_keep_requests": "les clients demandent de le garder",
        "decisions_title": "Décisions et leur effet mesuré",
        "decisions_intro": (
            "Chaque décision inscrite dans le fichier d'intention : les indicateurs suivis "
            "avant et après, comparés à la même évolution sur les autres offres, pour ne pas "
            "attribuer à la décision une tendance générale."
        ),
        "decisions_empty": "Aucune décision enregistrée à cette date.",
        "dec_taken": "Décidée le {date} · {offer}",
        "dec_signal": "en réponse au signal « {theme} »",
        "dec_windows": "Avant : {before_start} – {before_end} · après : depuis {after_start}",
        "dec_metric": "Indicateur suivi",
        "dec_before": "Avant",
        "dec_after": "Après",
        "dec_others": "Autres offres",
        "dec_effect": "Effet propre",
        "dec_status": "Verdict",
        "dec_too_early": "{months} mois écoulés sur les {needed} nécessaires",
        "lineage_experiments": "Expérimentations",
        "lineage_decisions": "Décisions et leur effet",
        # states of figures (their names are the seed figure_states'; the reasons of
        # no data, the seed no_data_reasons')
        "note_insufficient": (
            "Données insuffisantes : {observed} {what}, sous le plancher de {floor} ({name})"
        ),
        "note_no_data": "Pas de données : {reason}",
        "floor_gap_target_min_sample": "observations",
        "floor_repeat_min_history_months": "mois d'historique de commandes",
        "floor_gap_min_buyers": "acheteurs ou ventes sur la période",
        "floor_gap_min_evidence": "verbatims sur la période",
        "floor_gap_rejection_min_sample": "observations sur la période",
        "floor_gap_bundle_min_co_orders": "commandes communes",
        "floor_experiment_min_reviews": "avis",
        "card_period": "Chiffres du mois : du {start} au {end}",
        "window_period": "Sur {months} mois, du {start} au {end}",
        # cover: data health
        "health_title": "Santé des données",
        "health_source": "Source",
        "health_rows": "Lignes chargées",
        "health_rejected": "Rejetées",
        "health_dates": "Dates",
        "health_span": "{start} – {end}",
        "health_missing": "Sources absentes : {sources}.",
        "health_none_missing": "Aucune source absente.",
        "health_identity": "Lignes rattachées à un client de la boutique : {links}.",
        "health_not_assessed": "Non évalué faute de données :",
        "health_not_assessed_item": "{metrics} — {reason}",
        "health_partial": (
            "Brief produit malgré un contrôle de santé des données en échec (données "
            "partielles autorisées) : {problems}. Les chiffres qui dépendent de ces données "
            "peuvent être incomplets."
        ),
        "health_more": "Le détail des rejets est en annexe.",
        "rule_file_refused": "un fichier refusé en entier",
        "rule_too_many_rejects": "trop de lignes rejetées",
        "rule_required_entity_empty": "une source indispensable sans aucune ligne",
        "rule_too_many_excluded": "trop de montants écartés faute de taux de change",
        "no_data_month_title": "Aucune donnée pour ce mois",
        "no_data_month": (
            "Aucune commande ni aucun texte client n'est daté de {month} dans les données "
            "chargées, qui vont du {start} au {end}. Ce brief ne présente donc aucun constat."
        ),
        "glance_empty_partial": (
            "Aucun constat marquant parmi ce qui a pu être évalué ce mois-ci (voir la santé "
            "des données en couverture)."
        ),
    },
    "en": {
        "doc_title": "Strategy brief",
        "doc_subtitle": "What your customers actually do with your offers",
        "period": "Period",
        "prepared_for": "Prepared for",
        "generated_from": "Source",
        "incomplete_month": (
            "Incomplete month: data ends on {date}. This month's figures may still change."
        ),
        "stale_source": (
            "Stale source: {source}, last loaded on {since}. Its figures stop at that date."
        ),
        "stale_source_never": "Source never loaded: {source}. Its figures are missing.",
        "cover_coverage": "Data analysed",
        "cover_span": "from {start} to {end}",
        "cover_systems": "Sources",
        "cover_rejects": "Rows rejected at import: see the appendix",
        "cover_no_rejects": "No rows rejected at import",
        "cover_note": (
            "This document presents findings and options. "
            "Decisions remain with the leadership team."
        ),
        "page": "page",
        "glance_title": "The month at a glance",
        "glance_intro": (
            "The month's most notable findings, ranked by importance in the warehouse."
        ),
        "glance_empty": "No notable finding this month.",
        "mail_subject": "{company} · strategy brief · {month}",
        "mail_files": "Attached: {files}.",
        "summary_item": "{rank}. **{subject}** ({status}): {value} · {metric}",
        "glance_vs_target": "target {value}",
        "glance_vs_reference": "reference {value}",
        "glance_vs_baseline": "usually {value}",
        "offers_title": "Intent versus usage, offer by offer",
        "offers_intro": (
            "For each offer: who actually buys it, compared with the intended segments, "
            "and each target compared with what happened."
        ),
        "offers_empty": "No offer had any activity this month.",
        "signals_title": "What customers are saying",
        "signals_intro": (
            "The themes customers talk about (reviews, tickets, CRM notes, returns, "
            "lost-deal reasons), grouped by kind of signal. Quotes are anonymised."
        ),
        "signals_empty": "No signal this month.",
        "appendix_title": "Appendix",
        "method_title": "Method",
        "coverage_title": "Data coverage and freshness",
        "lineage_title": "Where each number comes from",
        "orders": "Orders",
        "units": "Units",
        "revenue": "Revenue",
        "buyers": "Buyers",
        "returns": "Returns",
        "return_rate": "Return rate",
        "repeat_rate": "Repeat rate",
        "tickets": "Tickets",
        "tickets_per_100_orders": "Tickets / 100 orders",
        "csat": "Satisfaction",
        "avg_rating": "Average rating",
        "reviews": "Reviews",
        "evidence_items": "Quotes",
        "segment_mix": "Who buys",
        "segment_mix_text": (
            "{share} of buyers ({count}) are outside the intended segments; "
            "they account for {revenue_share} of revenue."
        ),
        "segment_mix_top": "Largest off-target segment: {segment} ({share} of buyers).",
        "segment_mix_none": "All buyers belong to the intended segments.",
        "segment_mix_no_intent": "No intended segment is declared for this offer.",
        "gaps_heading": "Intent and reality",
        "gap_metric": "Measure",
        "gap_expected": "Expected",
        "gap_actual": "Actual",
        "gap_value": "Gap",
        "gap_sample": "Base",
        "gap_status": "Status",
        "gap_rank": "Rank",
        "gaps_none": "No target declared for this offer.",
        "documents": "Mentions",
        "customers": "Customers",
        "share": "Share of voice",
        "baseline_share": "Usually",
        "share_ratio": "Ratio",
        "z_score": "z-score",
        "trend_months": "Last {months} months",
        "top_offer": "Most mentioned offer:",
        "verbatims": "In their words",
        "no_verbatims": "No quote available.",
        # who wrote a text (crm notes, ticket comments)
        "role_customer": "the customer",
        "role_staff": "the team",
        "role_agent": "the team",
        "class_rising": "Rising",
        "class_falling": "Falling",
        "class_breach": "Off target",
        "class_ok": "On target",
        "class_off_target": "Outside target",
        "signal_recent": "Mentions, {months} months",
        "signal_recent_customers": "Customers, {months} months",
        "signal_ratio": "Smoothed ratio, {scope}",
        "scope_all": "all voice",
        "scope_offer": "the offer's voice",
        "scope_source": "the source's texts",
        "signal_test": "p {p} · q {q} · rising trend p {trend}",
        "signal_test_fall": "p {p} · q {q} · falling trend p {trend}",
        "signal_periods": "Recent: {start} – {end} · baseline: {baseline_start} – {baseline_end}",
        "signal_in_offer": "Read in the voice of the offer",
        "signal_month": "This month: {documents} mentions, {share} of voice",
        "terms_title": "Emerging terms",
        "terms_intro": (
            "Words customers use more and more that no theme covers yet: candidates for "
            "new themes, to read without prejudice."
        ),
        "terms_empty": "No emerging term this month.",
        "term_customers": "Customers, {months} months",
        "term_share": "Share of the source's texts",
        "term_source": "Source: {source}",
        "lineage_terms": "Emerging terms",
        "method_intro": (
            "Every number in this document is computed in the data warehouse (DuckDB, "
            "versioned SQL models) and only formatted here. The same numbers are published "
            "in the JSON file that accompanies this brief."
        ),
        "method_gaps": (
            "Gaps. For each offer, the declared intent (segments, channels, uses, "
            "complements, targets) is compared with what orders, the CRM and support show "
            "over the last {window} months: the share of buyers from a segment it was not "
            "designed for (tolerance {segment_tolerance}) and the drift of its customers "
            "against their previous {baseline} months (stability index, threshold {psi}); "
            "the share of orders through an unplanned channel (tolerance "
            "{channel_tolerance}), won CRM deals included; the share of the offer's customer texts citing an "
            "unplanned use (tolerance {use_tolerance}); co-purchases over {bundle_window} "
            "months (lift: 1 = chance); returns by reason, cancellations, lost deals, 1- and "
            "2-star reviews and dissatisfaction against the offer's own past; every target "
            "of the month."
        ),
        "method_gap_score": (
            "Honesty and ranking. A gap only counts when it rests on enough observations (at "
            "least {min_buyers} buyers or sales, {min_evidence} texts, {min_sample} events as "
            "the case may be) and stays significant when all the month's gaps are tested "
            "together (Benjamini-Hochberg, at most {fdr} false alarms): 50% off-target buyers "
            "out of 4 is not a finding. Score = size x significance x weight. Size: how many "
            "times the reference, on a log scale where four times is the maximum. "
            "Significance: 1 - p, where p is the chance of a gap at least this large if there "
            "were none (one-sided test); it is not the probability that the gap is real. "
            "Weight: square root of the offer's share of "
            "revenue over the period. Each gap cites its figures, its customer texts or "
            "accounts, and the warehouse row that holds them."
        ),
        "method_states": (
            "States. A figure is judged (on target, off target, outside the intent...) only "
            "when it is measured: its data is present and it reaches its floor — {min_sample} "
            "observations for a monthly rate, {history} complete months of order history for "
            "a repeat rate, {min_buyers} buyers or sales for a mix. Otherwise it is shown as "
            "\u201cinsufficient data\u201d (the floor named) or \u201cno data\u201d (the "
            "missing file named), and is not judged."
        ),
        "method_experiments": (
            "Experiments. Each item of an experimental offer is compared with the core range "
            "over the same period: rating (mixed with {prior} reviews at the range's "
            "average), sales pace, returns, and, only when they support it, repeat purchase "
            "and customer requests (suggestion texts about the item): a durable item is "
            "bought once, and no repeat purchase or request holds it back. A criterion with "
            "no data does not count. Score from -1 to 1: promote above {score}, retire below "
            "-{score}; too early to tell under {reviews} reviews."
        ),
        "method_decisions": (
            "Decisions. For each decision, the watched figures over the {months} months "
            "before are compared with the last {months} months since, and that change is "
            "corrected by the other offers' change over the same period (difference in "
            "differences); \u201ctoo early to tell\u201d until {months} months have passed."
        ),
        "method_signals": (
            "Signals. Reviews, tickets, support exchanges, CRM notes, return and lost-deal "
            "reasons and satisfaction comments are matched to the themes the company "
            "declared using their term lists, ignoring case and accents; a term said in the "
            "negative (\u201cno issue with the size\u201d) or inside quotation marks does "
            "not count. The tests count the distinct customers who raise a theme, source by "
            "source and month by month: one customer's repeated messages count once, and "
            "each source is only compared with itself, so a review campaign does not lift "
            "every theme. The theme's share over the last {recent} months is compared with "
            "its share over the {baseline} months before, leaving a {gap}-month gap, in all "
            "customer voice and in each offer's voice. The test allows for chance in the "
            "counts and for the theme's usual ups and downs from month to month, measured "
            "on its {dispersion_months} previous months; the false-discovery rate is held at "
            "{fdr} among the month's tests. A rise needs a share at least {ratio} times "
            "higher (smoothed ratio), visible in at least {persistence_months} of the last "
            "{recent} months, so that one exceptional month does not pass for a trend. A "
            "theme is read within one offer when customers mostly raise it about that offer."
        ),
        "method_classes_intro": "Each month, each theme gets one of these statuses:",
        "method_class_strong": (
            "a significant rise, sustained and at volume: at least {strong_docs} mentions "
            "over {recent} months and a rising trend over {trend_months} months "
            "(Mann-Kendall test, p \u2264 {trend_p});"
        ),
        "method_class_emerging": (
            "a significant rise, at least {min_docs} mentions by {customers} distinct "
            "customers, not yet sustained at volume;"
        ),
        "method_class_spike": (
            "this month alone, the theme's share is at least {spike_ratio} times its "
            "level of the {spike_months} months before, beyond chance and the theme's usual "
            "ups and downs (false discoveries held at {spike_fdr} across the month's "
            "themes), raised by at least {customers} distinct customers: a shock to look at "
            "now, not yet a trend;"
        ),
        "method_class_established": (
            "a rise that stayed significant for at least {est_months} months "
            "and has stopped growing, but still stands well above its level before (at "
            "least {est_ratio} times, judged on its last {est_window} months together); a "
            "season the same months of last year already showed does not count; the status "
            "stays until it returns to that level, so a lasting change does not drop out of "
            "the brief;"
        ),
        "method_class_seasonal": (
            "a rise, spike or fall the same months of the previous year already "
            "showed, and this year does not clearly go beyond (possible from 13 months of "
            "data on): the theme is following its season;"
        ),
        "method_class_weak": (
            "a rise not significant after false-discovery control, with p \u2264 {weak_p} "
            "before it and at least {weak_docs} mentions by {customers} distinct customers: "
            "one to watch;"
        ),
        "method_class_fading": (
            "a significant fall, the share divided by at least {ratio}, of a theme at least "
            "{customers} customers raised;"
        ),
        "method_class_stable": "no rise or fall shown;",
        "method_class_insufficient_data": (
            "fewer than {min_docs} mentions in both periods or fewer than {min_baseline} "
            "baseline months: no status is given."
        ),
        "method_terms": (
            "Emerging terms. Words and two-word phrases that belong to no theme (French and "
            "English stop words, product names and theme words removed, plurals made "
            "singular) are counted in texts, within each source (reviews, tickets, CRM "
            "notes...): a term is compared with the texts of its own source, so that a "
            "source that grows does not make its usual words emerge. A term is listed when "
            "at least {term_customers} distinct customers use it over {recent} months in one "
            "source, its frequency there is at least {term_ratio} times the baseline's and "
            "the rise is significant (false-discovery rate {term_fdr} across all the "
            "month's tests). Only data up to the brief's month is read."
        ),
        "method_voice": (
            "Customer voice. Only what customers wrote counts: CRM notes and ticket "
            "comments written by the team are left out. The author role comes from the "
            "export; without it, a system message (all in capitals) or a text made of "
            "sentences written word for word for at least {threads} accounts or tickets "
            "(templates) is the team's, and a note with no other clue counts as written by: "
            "{note_default}. Template sentences count neither in themes nor in emerging "
            "terms, even inside a customer's text."
        ),
        "method_privacy": (
            "Privacy. Before anything is computed, formatting is removed from customer "
            "text (HTML tags, entities, links replaced by [link]), then this personal data "
            "is replaced by a token; quotes are then cut to {max_chars} characters and taken from "
            "distinct customers:"
        ),
        "method_privacy_limits": (
            "What removal cannot guarantee: a first name the warehouse does not know with "
            "no clue around it (title, sign-off, signature), an address with neither a "
            "number nor a postcode, a number spelt out in words, an e-mail disguised "
            "another way (\u201cjean at gmail\u201d with no domain ending); other identifiers "
            "(social security numbers, number plates, IP addresses) are not looked for."
        ),
        "coverage_intro": "Rows loaded per source, rejected rows and first and last dates.",
        "cov_system": "System",
        "cov_entity": "Data",
        "cov_rows": "Rows",
        "cov_rejected": "Rejected",
        "cov_first": "First",
        "cov_last": "Last",
        "system_shop": "Shop",
        "system_crm": "CRM",
        "system_support": "Support",
        "lineage_intro": "Every table is in the \u201creport\u201d schema of the file {file}.",
        "lineage_section": "Section",
        "lineage_table": "Table",
        "lineage_cover": "Cover, period",
        "lineage_glance": "The month at a glance",
        "lineage_offers": "Offer figures, segments",
        "lineage_gaps": "Targets and gaps",
        "lineage_signals": "Signals and trends",
        "lineage_verbatims": "Quotes",
        "lineage_coverage": "Data coverage",
        # intent versus usage: ranked gaps, experiments, decisions
        "gaps_ranked_title": "The gaps to read first",
        "gaps_ranked_intro": (
            "Where real usage departs from the intent, across every dimension, most "
            "important first: size of the gap x statistical significance (1 - p) x the offer's weight "
            "in revenue. Only significant gaps are listed, with what proves them."
        ),
        "gaps_ranked_none": "No significant gap this month.",
        "gaps_more": "Gaps tested and found not significant stay in the warehouse table {table}.",
        "gap_subject": "Offer",
        "gap_finding": "Finding",
        "gap_score": "Score",
        "gap_evidence": "Evidence",
        "gap_vs": "ref.",
        "gap_significant_heading": "The offer's significant gaps",
        "evidence_count": "{count} customer texts",
        "evidence_accounts": "{count} accounts",
        "evidence_source": "Warehouse: {source}",
        "cmp_tolerance": "tolerance {value}",
        "cmp_target": "target {value}",
        "cmp_baseline": "before {value}",
        "cmp_threshold": "threshold {value}",
        "cmp_independence": "chance {value}",
        "reason_too_small": "too small",
        "reason_too_large": "too large",
        "reason_defect": "defect",
        "reason_not_as_described": "not as described",
        "reason_changed_mind": "changed mind",
        "reason_late_delivery": "late delivery",
        "reason_unknown": "no reason given",
        "class_significant": "Significant",
        "class_watch": "Watch",
        "channel_heading": "Through which channels",
        "channel_mix_text": (
            "{share} of orders (won CRM deals included) go through unplanned channels; the "
            "largest: {channel} ({channel_share} of orders)."
        ),
        "channel_mix_none": "Every order goes through the planned channels.",
        "channel_mix_no_intent": "No planned channel is declared for this offer.",
        "use_heading": "For what",
        "use_text": "Most cited unplanned use: {theme} ({share} of the offer's customer texts).",
        "use_none": "No unplanned use stands out in customer texts.",
        "drift_text": (
            "Customer drift index: {intended} against the intended mix, {past} against the "
            "previous months (above {threshold}: a clear shift)."
        ),
        "glance_vs_core": "core range {value}",
        "glance_vs_before": "before {value}",
        "experiments_title": "Experiments: the customers' verdict",
        "experiments_intro": (
            "Each item on trial, compared with the core range over the same period: rating, "
            "repeat purchase, sales pace and customer requests. The recommendation is an "
            "option; the decision stays with the leadership."
        ),
        "experiments_empty": "No experiment running this month.",
        "exp_period": "From {start} to {end} · {months} months · {items} items",
        "exp_item": "Item",
        "exp_verdict": "Recommendation",
        "exp_rating": "Rating",
        "exp_repeat": "Repeat",
        "exp_pace": "Sales / month",
        "exp_requests": "Requests / 100 buyers",
        "exp_returns": "Returns",
        "exp_score": "Score",
        "exp_reasons": "Why",
        "exp_core": "range {value}",
        "exp_offer_row": "Whole offer",
        "why_too_early": "too early (few reviews or buyers)",
        "why_rating_above_core": "rated above the range",
        "why_rating_below_core": "rated below the range",
        "why_repeat_above_core": "bought again more often",
        "why_pace_above_core": "sells faster",
        "why_pace_below_core": "sells slower",
        "why_returns_below_core": "returned less than the range",
        "why_returns_above_core": "returned more than the range",
        "why_keep_requests": "customers ask to keep it",
        "decisions_title": "Decisions and their measured effect",
        "decisions_intro": (
            "Each decision recorded in the intent file: the watched figures before and after, "
            "compared with the same change over the other offers, so that a general trend is "
            "not credited to the decision."
        ),
        "decisions_empty": "No decision recorded by this date.",
        "dec_taken": "Decided on {date} · {offer}",
        "dec_signal": "answering the \u201c{theme}\u201d signal",
        "dec_windows": "Before: {before_start} – {before_end} · after: since {after_start}",
        "dec_metric": "Watched figure",
        "dec_before": "Before",
        "dec_after": "After",
        "dec_others": "Other offers",
        "dec_effect": "Own effect",
        "dec_status": "Verdict",
        "dec_too_early": "{months} of the {needed} months needed have passed",
        "lineage_experiments": "Experiments",
        "lineage_decisions": "Decisions and their effect",
        # states of figures (their names are the seed figure_states'; the reasons of
        # no data, the seed no_data_reasons')
        "note_insufficient": (
            "Insufficient data: {observed} {what}, below the floor of {floor} ({name})"
        ),
        "note_no_data": "No data: {reason}",
        "floor_gap_target_min_sample": "observations",
        "floor_repeat_min_history_months": "months of order history",
        "floor_gap_min_buyers": "buyers or sales over the period",
        "floor_gap_min_evidence": "customer texts over the period",
        "floor_gap_rejection_min_sample": "observations over the period",
        "floor_gap_bundle_min_co_orders": "orders together",
        "floor_experiment_min_reviews": "reviews",
        "card_period": "Figures of the month: {start} to {end}",
        "window_period": "Over {months} months, {start} to {end}",
        # cover: data health
        "health_title": "Data health",
        "health_source": "Source",
        "health_rows": "Rows loaded",
        "health_rejected": "Rejected",
        "health_dates": "Dates",
        "health_span": "{start} – {end}",
        "health_missing": "Missing sources: {sources}.",
        "health_none_missing": "No source missing.",
        "health_identity": "Rows tied to a shop customer: {links}.",
        "health_not_assessed": "Not assessed for want of data:",
        "health_not_assessed_item": "{metrics} — {reason}",
        "health_partial": (
            "Rendered although the data health check failed (partial data allowed): "
            "{problems}. Figures that depend on this data may be incomplete."
        ),
        "health_more": "Rejects are detailed in the appendix.",
        "rule_file_refused": "a file refused whole",
        "rule_too_many_rejects": "too many rows rejected",
        "rule_required_entity_empty": "a required source with no row",
        "rule_too_many_excluded": "too many amounts left out for want of an exchange rate",
        "no_data_month_title": "No data for this month",
        "no_data_month": (
            "No order and no customer text is dated {month} in the data loaded, which runs "
            "from {start} to {end}. This brief therefore presents no finding."
        ),
        "glance_empty_partial": (
            "No notable finding among what could be assessed this month (see the data "
            "health on the cover)."
        ),
    },
}


class Translator:
    """Looks up the brief's static strings in one language."""

    def __init__(self, lang: str) -> None:
        if lang not in STRINGS:
            raise ValueError(
                f"no translation for language {lang!r}; use one of {', '.join(STRINGS)}"
            )
        self.lang = lang
        self.strings = STRINGS[lang]

    def __call__(self, key: str, **params: Any) -> str:
        """A static string; an unknown key is a bug and raises KeyError."""
        text = self.strings[key]
        return text.format(**params) if params else text

    def code(self, prefix: str, code: str | None) -> str:
        """The label of a code that comes from the data (a metric, a kind, a class...):
        from the seeds of LISTED_CODES, else from the strings (`<prefix>_<code>`).

        A code this version does not know yet is shown as written rather than
        stopping the brief.
        """
        if code is None:
            return ""
        for name in LISTED_CODES.get(prefix, ()):
            labels = shared_lists.labels(name).get(code)
            if labels is not None:
                return labels[self.lang]
        return self.strings.get(f"{prefix}_{code}", code.replace("_", " "))
