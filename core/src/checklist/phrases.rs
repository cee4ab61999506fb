//! The few words the engine itself puts into explanations, per language. Checklist content
//! carries its own translations; these are the glue ("met", "strong", …). Translations other
//! than English have not been checked by native speakers (docs/formats/checklist.md).

/// Engine phrases in one language. `{…}` placeholders are replaced by the caller.
pub(crate) struct Phrases {
    pub met: &'static str,
    pub not_met: &'static str,
    pub no_indicators: &'static str,
    pub strengths: [&'static str; 4],
    pub and: &'static str,
    pub or: &'static str,
    /// `{variant}`, `{status}`, `{requires}`.
    pub rule_line: &'static str,
    /// `{score}`, `{threshold}`, `{status}`.
    pub score_line: &'static str,
    /// `{signs}`: the decisive signs that chose the outcome (format v2).
    pub decisive_line: &'static str,
    /// `{outcome}`.
    pub outcome_line: &'static str,
    pub unreviewed: &'static str,
}

const EN: Phrases = Phrases {
    met: "met",
    not_met: "not met",
    no_indicators: "no indicators",
    strengths: ["strong", "medium", "weak", "unweighted"],
    and: "and",
    or: "or",
    rule_line: "Rule ({variant}): {status} — requires {requires}",
    score_line: "Score {score} (threshold {threshold}): {status}",
    decisive_line: "Decisive sign: {signs}. On its own it calls for the outcome below, whatever the rule says.",
    outcome_line: "Outcome: {outcome}",
    unreviewed: "Note: the weights and rule of this checklist have not yet been checked against the primary source.",
};

const SK: Phrases = Phrases {
    met: "splnené",
    not_met: "nesplnené",
    no_indicators: "žiadne indikátory",
    strengths: ["silný", "stredný", "slabý", "bez váhy"],
    and: "a",
    or: "alebo",
    rule_line: "Pravidlo ({variant}): {status} — vyžaduje {requires}",
    score_line: "Skóre {score} (hranica {threshold}): {status}",
    decisive_line: "Rozhodujúci znak: {signs}. Sám osebe si vyžaduje výsledok uvedený nižšie, bez ohľadu na pravidlo.",
    outcome_line: "Výsledok: {outcome}",
    unreviewed:
        "Poznámka: váhy a pravidlo tohto zoznamu ešte neboli overené podľa pôvodného zdroja.",
};

const BG: Phrases = Phrases {
    met: "изпълнено",
    not_met: "неизпълнено",
    no_indicators: "няма индикатори",
    strengths: ["силен", "среден", "слаб", "без тежест"],
    and: "и",
    or: "или",
    rule_line: "Правило ({variant}): {status} — изисква {requires}",
    score_line: "Резултат {score} (праг {threshold}): {status}",
    decisive_line: "Решаващ признак: {signs}. Сам по себе си той налага извода по-долу, независимо от правилото.",
    outcome_line: "Извод: {outcome}",
    unreviewed: "Забележка: тежестите и правилото на този списък все още не са проверени спрямо първоизточника.",
};

const ES: Phrases = Phrases {
    met: "cumplida",
    not_met: "no cumplida",
    no_indicators: "ningún indicador",
    strengths: ["fuerte", "medio", "débil", "sin ponderar"],
    and: "y",
    or: "o",
    rule_line: "Regla ({variant}): {status} — requiere {requires}",
    score_line: "Puntuación {score} (umbral {threshold}): {status}",
    decisive_line: "Señal decisiva: {signs}. Por sí sola exige el resultado siguiente, diga lo que diga la regla.",
    outcome_line: "Resultado: {outcome}",
    unreviewed:
        "Nota: los pesos y la regla de esta lista aún no se han verificado con la fuente original.",
};

const CA: Phrases = Phrases {
    met: "complerta",
    not_met: "no complerta",
    no_indicators: "cap indicador",
    strengths: ["fort", "mitjà", "feble", "sense ponderar"],
    and: "i",
    or: "o",
    rule_line: "Regla ({variant}): {status} — requereix {requires}",
    score_line: "Puntuació {score} (llindar {threshold}): {status}",
    decisive_line: "Senyal decisiu: {signs}. Per si sol exigeix el resultat següent, digui el que digui la regla.",
    outcome_line: "Resultat: {outcome}",
    unreviewed: "Nota: els pesos i la regla d'aquesta llista encara no s'han verificat amb la font original.",
};

const EL: Phrases = Phrases {
    met: "πληρείται",
    not_met: "δεν πληρείται",
    no_indicators: "κανένας δείκτης",
    strengths: ["ισχυρός", "μέτριος", "ασθενής", "χωρίς στάθμιση"],
    and: "και",
    or: "ή",
    rule_line: "Κανόνας ({variant}): {status} — απαιτεί {requires}",
    score_line: "Βαθμολογία {score} (όριο {threshold}): {status}",
    decisive_line: "Καθοριστική ένδειξη: {signs}. Από μόνη της απαιτεί το παρακάτω αποτέλεσμα, ό,τι κι αν λέει ο κανόνας.",
    outcome_line: "Αποτέλεσμα: {outcome}",
    unreviewed: "Σημείωση: οι σταθμίσεις και ο κανόνας αυτής της λίστας δεν έχουν ακόμη ελεγχθεί με την πρωτότυπη πηγή.",
};

const PL: Phrases = Phrases {
    met: "spełniony",
    not_met: "niespełniony",
    no_indicators: "brak wskaźników",
    strengths: ["silny", "średni", "słaby", "bez wagi"],
    and: "i",
    or: "lub",
    rule_line: "Reguła ({variant}): {status} — wymaga {requires}",
    score_line: "Wynik {score} (próg {threshold}): {status}",
    decisive_line:
        "Znak rozstrzygający: {signs}. Sam w sobie wymaga poniższego wyniku, niezależnie od reguły.",
    outcome_line: "Wynik oceny: {outcome}",
    unreviewed:
        "Uwaga: wagi i reguła tej listy nie zostały jeszcze sprawdzone ze źródłem pierwotnym.",
};

const IT: Phrases = Phrases {
    met: "soddisfatta",
    not_met: "non soddisfatta",
    no_indicators: "nessun indicatore",
    strengths: ["forte", "medio", "debole", "non ponderato"],
    and: "e",
    or: "o",
    rule_line: "Regola ({variant}): {status} — richiede {requires}",
    score_line: "Punteggio {score} (soglia {threshold}): {status}",
    decisive_line: "Segnale decisivo: {signs}. Da solo richiede l'esito qui sotto, qualunque cosa dica la regola.",
    outcome_line: "Esito: {outcome}",
    unreviewed: "Nota: i pesi e la regola di questa lista non sono ancora stati verificati sulla fonte originale.",
};

const UK: Phrases = Phrases {
    met: "виконано",
    not_met: "не виконано",
    no_indicators: "жодного індикатора",
    strengths: ["сильний", "середній", "слабкий", "без ваги"],
    and: "і",
    or: "або",
    rule_line: "Правило ({variant}): {status} — вимагає {requires}",
    score_line: "Бал {score} (поріг {threshold}): {status}",
    decisive_line: "Вирішальна ознака: {signs}. Сама по собі вона вимагає наведеного нижче висновку, незалежно від правила.",
    outcome_line: "Висновок: {outcome}",
    unreviewed: "Примітка: ваги та правило цього списку ще не звірені з першоджерелом.",
};

/// Phrases for the first language of `chain` the engine knows, else English.
pub(crate) fn phrases(chain: &[String]) -> &'static Phrases {
    chain
        .iter()
        .find_map(|lang| match lang.split('-').next().unwrap_or_default() {
            "en" => Some(&EN),
            "sk" => Some(&SK),
            "bg" => Some(&BG),
            "es" => Some(&ES),
            "ca" => Some(&CA),
            "el" => Some(&EL),
            "pl" => Some(&PL),
            "it" => Some(&IT),
            "uk" => Some(&UK),
            _ => None,
        })
        .unwrap_or(&EN)
}
