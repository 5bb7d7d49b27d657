"""The brief's static text in French and English.

Labels that come from the company's own data (themes, segments, offers) are
read from the warehouse; everything else the reader sees is here. Both
languages hold the same keys (a test checks it). `{name}` placeholders are
filled by `Translator.__call__`.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("fr", "en")

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
        "kind_core": "Offre permanente",
        "kind_experiment": "Expérimentation",
        "kind_service": "Service",
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
        "trend_12m": "12 derniers mois",
        "top_offer": "Offre la plus citée\u00a0:",
        "verbatims": "Ce qu'ils disent",
        "no_verbatims": "Pas de citation disponible.",
        "kind_adapt": "Adapter",
        "kind_circumvent": "Contourner",
        "kind_suggest": "Suggérer",
        "kind_transform": "Transformer",
        "kind_reject": "Rejeter",
        "kind_adapt_text": "Les clients plient l'offre à un usage qu'elle n'avait pas prévu.",
        "kind_circumvent_text": (
            "Les clients trouvent un chemin de traverse pour obtenir ce qu'ils veulent."
        ),
        "kind_suggest_text": "Les clients demandent explicitement quelque chose qui manque.",
        "kind_transform_text": "Les clients font de l'offre autre chose que ce qu'elle est.",
        "kind_reject_text": (
            "Les clients se détournent de l'offre ou d'une de ses caractéristiques."
        ),
        # evidence sources
        "source_review": "avis",
        "source_ticket": "ticket",
        "source_ticket_comment": "échange support",
        "source_crm_note": "note CRM",
        "source_return_reason": "motif de retour",
        "source_lost_deal_reason": "motif de perte",
        "source_satisfaction_comment": "commentaire de satisfaction",
        # classifications
        "class_rising": "En hausse",
        "class_falling": "En baisse",
        "class_stable": "Stable",
        "class_insufficient_data": "Données insuffisantes",
        "class_breach": "Hors objectif",
        "class_ok": "Conforme",
        "class_off_target": "Hors cible",
        "class_emerging": "Émergent",
        "class_strong": "Fort",
        "class_weak": "Faible",
        "class_fading": "En recul",
        # metrics
        "metric_off_target_share": "Acheteurs hors cible",
        "metric_monthly_units": "Unités par mois",
        "metric_monthly_revenue": "Chiffre d'affaires mensuel",
        "metric_return_rate_max": "Taux de retour (max.)",
        "metric_repeat_rate_min": "Taux de réachat (min.)",
        "metric_tickets_per_100_orders_max": "Tickets pour 100 commandes (max.)",
        "metric_csat_min": "Satisfaction (min.)",
        "metric_rating_min": "Note moyenne (min.)",
        "metric_share": "Part des échanges",
        "metric_recent_share": "Part des échanges (3 derniers mois)",
        "metric_recent_offer_share": "Part des échanges sur l'offre (3 derniers mois)",
        "metric_documents": "Mentions",
        # appendix
        "method_intro": (
            "Chaque chiffre de ce document est calculé dans l'entrepôt de données "
            "(DuckDB, modèles SQL versionnés), puis simplement mis en forme ici. "
            "Les mêmes chiffres sont publiés dans le fichier JSON qui accompagne ce brief."
        ),
        "method_gaps": (
            "Écarts. Pour chaque offre, l'intention déclarée par l'entreprise (segments "
            "visés, objectifs chiffrés) est comparée à ce que montrent les commandes, le "
            "CRM et le support. Un objectif est « hors objectif » quand le réalisé dépasse "
            "la limite fixée (au-dessus d'un maximum, en dessous d'un minimum). La part "
            "d'acheteurs hors cible est signalée quand elle est significative au regard du "
            "nombre d'acheteurs. Les écarts sont classés par importance dans l'entrepôt."
        ),
        "method_signals": (
            "Signaux. Les avis, tickets, échanges support, notes CRM, motifs de retour et "
            "de perte sont rapprochés des thèmes déclarés par l'entreprise grâce à leurs "
            "listes de termes, sans tenir compte des majuscules ni des accents. Pour chaque "
            "thème, la part des échanges du mois est comparée à sa propre moyenne des mois "
            "précédents ; un test statistique (score z) dit si l'écart est en hausse, en "
            "baisse ou stable. Avec trop peu de données, le thème est marqué « données "
            "insuffisantes » plutôt que classé."
        ),
        "method_privacy": (
            "Confidentialité. Les citations sont anonymisées avant d'atteindre ce document "
            "(adresses, téléphones et noms retirés), limitées à 280 caractères et prises "
            "chez des clients distincts."
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
        "kind_core": "Core offer",
        "kind_experiment": "Experiment",
        "kind_service": "Service",
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
        "trend_12m": "Last 12 months",
        "top_offer": "Most mentioned offer:",
        "verbatims": "In their words",
        "no_verbatims": "No quote available.",
        "kind_adapt": "Adapt",
        "kind_circumvent": "Circumvent",
        "kind_suggest": "Suggest",
        "kind_transform": "Transform",
        "kind_reject": "Reject",
        "kind_adapt_text": "Customers bend the offer to a use it was not designed for.",
        "kind_circumvent_text": "Customers find a way around the offer to get what they want.",
        "kind_suggest_text": "Customers explicitly ask for something that is missing.",
        "kind_transform_text": "Customers turn the offer into something else.",
        "kind_reject_text": "Customers turn away from the offer or one of its features.",
        "source_review": "review",
        "source_ticket": "ticket",
        "source_ticket_comment": "support exchange",
        "source_crm_note": "CRM note",
        "source_return_reason": "return reason",
        "source_lost_deal_reason": "lost-deal reason",
        "source_satisfaction_comment": "satisfaction comment",
        "class_rising": "Rising",
        "class_falling": "Falling",
        "class_stable": "Stable",
        "class_insufficient_data": "Insufficient data",
        "class_breach": "Off target",
        "class_ok": "On target",
        "class_off_target": "Outside target",
        "class_emerging": "Emerging",
        "class_strong": "Strong",
        "class_weak": "Weak",
        "class_fading": "Fading",
        "metric_off_target_share": "Off-target buyers",
        "metric_monthly_units": "Units per month",
        "metric_monthly_revenue": "Monthly revenue",
        "metric_return_rate_max": "Return rate (max.)",
        "metric_repeat_rate_min": "Repeat rate (min.)",
        "metric_tickets_per_100_orders_max": "Tickets per 100 orders (max.)",
        "metric_csat_min": "Satisfaction (min.)",
        "metric_rating_min": "Average rating (min.)",
        "metric_share": "Share of voice",
        "metric_recent_share": "Share of voice (last 3 months)",
        "metric_recent_offer_share": "Share of voice on the offer (last 3 months)",
        "metric_documents": "Mentions",
        "method_intro": (
            "Every number in this document is computed in the data warehouse (DuckDB, "
            "versioned SQL models) and only formatted here. The same numbers are published "
            "in the JSON file that accompanies this brief."
        ),
        "method_gaps": (
            "Gaps. For each offer, the intent the company declared (intended segments, "
            "numeric targets) is compared with what orders, the CRM and support show. A "
            "target is \u201coff target\u201d when the actual value passes the limit set "
            "(above a maximum, below a minimum). The share of off-target buyers is flagged "
            "when it is significant given the number of buyers. Gaps are ranked by "
            "importance in the warehouse."
        ),
        "method_signals": (
            "Signals. Reviews, tickets, support exchanges, CRM notes, return and lost-deal "
            "reasons are matched to the themes the company declared using their term lists, "
            "ignoring case and accents. For each theme, this month's share of voice is "
            "compared with its own average over previous months; a statistical test "
            "(z-score) says whether it is rising, falling or stable. With too little data a "
            "theme is marked \u201cinsufficient data\u201d instead of being classified."
        ),
        "method_privacy": (
            "Privacy. Quotes are anonymised before they reach this document (emails, "
            "phone numbers and names removed), cut to 280 characters and taken from "
            "distinct customers."
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
    },
}


class Translator:
    """Looks up the brief's static strings in one language."""

    def __init__(self, lang: str) -> None:
        if lang not in STRINGS:
            raise ValueError(f"no translation for language {lang!r}; use one of {LANGUAGES}")
        self.lang = lang
        self.strings = STRINGS[lang]

    def __call__(self, key: str, **params: Any) -> str:
        """A static string; an unknown key is a bug and raises KeyError."""
        text = self.strings[key]
        return text.format(**params) if params else text

    def code(self, prefix: str, code: str | None) -> str:
        """The label of a code that comes from the data (a classification, a kind...).

        A code this version does not know yet is shown as written rather than
        stopping the brief.
        """
        if code is None:
            return ""
        return self.strings.get(f"{prefix}_{code}", code.replace("_", " "))
