#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
//! The receiver's correlation: normalisation per kind, extraction from notes, clustering.

use indicia_core::correlate::{
    clusters, extract_from_text, normalise, Cluster, ReportSelectors, Selector, SelectorError,
    SelectorKind,
};
use indicia_core::ErrorKind;
use proptest::prelude::*;

fn norm(kind: SelectorKind, raw: &str, region: Option<&str>) -> Selector {
    normalise(kind, raw, region).unwrap_or_else(|e| panic!("{kind} {raw:?}: {e}"))
}

fn value(kind: SelectorKind, raw: &str, region: Option<&str>) -> String {
    norm(kind, raw, region).value
}

fn sel(kind: SelectorKind, value: &str) -> Selector {
    Selector {
        kind,
        value: value.to_owned(),
    }
}

fn phone(e164: &str) -> Selector {
    sel(SelectorKind::Phone, e164)
}

fn email(address: &str) -> Selector {
    sel(SelectorKind::Email, address)
}

fn report(id: &str, organisation: &str, selectors: Vec<Selector>) -> ReportSelectors {
    ReportSelectors {
        report_id: id.to_owned(),
        organisation: organisation.to_owned(),
        selectors,
        signer_revoked: false,
    }
}

// ---- kinds ----------------------------------------------------------------------------------

#[test]
fn kinds_have_stable_snake_case_names_in_json_and_as_str() {
    for kind in SelectorKind::ALL {
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{}\"", kind.as_str()));
        assert_eq!(kind.as_str().parse::<SelectorKind>().unwrap(), kind);
    }
    assert_eq!(SelectorKind::Workplace.as_str(), "workplace");
    assert_eq!(
        "fax".parse::<SelectorKind>().unwrap_err(),
        SelectorError::UnknownKind
    );
    let selector = phone("+421903123456");
    let json = serde_json::to_string(&selector).unwrap();
    assert_eq!(json, r#"{"kind":"phone","value":"+421903123456"}"#);
    assert_eq!(serde_json::from_str::<Selector>(&json).unwrap(), selector);
}

// ---- phones ---------------------------------------------------------------------------------

#[test]
fn slovak_national_international_and_00_forms_give_one_e164() {
    let forms = [
        ("0903 123 456", Some("SK")),
        ("+421903123456", Some("SK")),
        ("00421 903 123 456", Some("SK")),
        ("+421 903 123 456", None),
        ("00421-903-123-456", None),
        ("(0903) 123-456", Some("sk")),
        ("0903.123.456", Some("SK")),
        ("tel:+421-903-123-456", None),
        ("+421 (903) 123 456", Some("ES")),
    ];
    for (raw, region) in forms {
        assert_eq!(
            value(SelectorKind::Phone, raw, region),
            "+421903123456",
            "{raw}"
        );
    }
}

#[test]
fn spanish_national_number_reads_in_region_es() {
    assert_eq!(
        value(SelectorKind::Phone, "612 34 56 78", Some("ES")),
        "+34612345678"
    );
    assert_eq!(
        value(SelectorKind::Phone, "+34 612-34-56-78", Some("SK")),
        "+34612345678"
    );
}

#[test]
fn invalid_phone_numbers_are_rejected_without_echoing_the_digits() {
    let cases = [
        ("0903 12", Some("SK")),
        ("0123 456 789 012 345", Some("SK")),
        ("+999 123 456 789", None),
        ("+421 000 000 000", None),
        ("0903 123 456 ext. 12", Some("SK")),
        ("1-800-FLOWERS", Some("US")),
    ];
    for (raw, region) in cases {
        let err = normalise(SelectorKind::Phone, raw, region).unwrap_err();
        assert!(
            matches!(err, SelectorError::InvalidPhone { .. }),
            "{raw}: {err:?}"
        );
        assert_eq!(err.kind(), ErrorKind::InvalidSelector);
        let message = err.to_string();
        for digits in ["903", "123", "456", "999", "000", "FLOWERS"] {
            assert!(!message.contains(digits), "{message}");
        }
    }
    let err = normalise(SelectorKind::Phone, "0903 12", Some("SK")).unwrap_err();
    assert_eq!(err.to_string(), "not a valid phone number for region SK");
    let err = normalise(SelectorKind::Phone, "+999 123 456 789", Some("SK")).unwrap_err();
    assert_eq!(err.to_string(), "not a valid international phone number");
}

#[test]
fn national_phone_without_region_and_unknown_region_are_distinct_errors() {
    assert_eq!(
        normalise(SelectorKind::Phone, "0903 123 456", None).unwrap_err(),
        SelectorError::PhoneNeedsRegion
    );
    for region in ["XX", "Slovakia", "", "S"] {
        assert_eq!(
            normalise(SelectorKind::Phone, "0903 123 456", Some(region)).unwrap_err(),
            SelectorError::UnknownRegion,
            "{region}"
        );
    }
}

#[test]
fn empty_and_overlong_values_are_rejected_for_every_kind() {
    for kind in SelectorKind::ALL {
        assert_eq!(
            normalise(kind, "  \t ", Some("SK")).unwrap_err(),
            SelectorError::Empty { kind }
        );
        let err = normalise(kind, &"1".repeat(5000), Some("SK")).unwrap_err();
        assert!(
            matches!(err, SelectorError::TooLong { .. }),
            "{kind}: {err:?}"
        );
        assert!(!err.to_string().contains("1111"));
    }
}

// ---- e-mail ---------------------------------------------------------------------------------

#[test]
fn email_is_trimmed_and_lowercased_including_the_local_part() {
    assert_eq!(
        value(SelectorKind::Email, "  Anna.Novak@Example.SK ", None),
        "anna.novak@example.sk"
    );
    assert_eq!(
        value(SelectorKind::Email, "mailto:Info@Firma.ES.", None),
        "info@firma.es"
    );
    assert_eq!(
        value(SelectorKind::Email, "JOSÉ@correo.es", None),
        "josé@correo.es"
    );
}

#[test]
fn gmail_dots_and_plus_tags_are_dropped_and_googlemail_is_gmail() {
    let forms = [
        "j.o.b.s+agency@gmail.com",
        "Jobs@GMail.com",
        "jobs+x+y@googlemail.com",
        "jo.bs@googlemail.com",
    ];
    for raw in forms {
        assert_eq!(
            value(SelectorKind::Email, raw, None),
            "jobs@gmail.com",
            "{raw}"
        );
    }
    // Other providers keep dots and tags.
    assert_eq!(
        value(SelectorKind::Email, "j.obs+agency@outlook.com", None),
        "j.obs+agency@outlook.com"
    );
}

#[test]
fn strings_that_are_not_email_addresses_are_rejected_without_echo() {
    let cases = [
        "anna",
        "anna@",
        "@example.com",
        "anna@example",
        "anna@@example.com",
        "a@b@example.com",
        "Anna Novak <anna@example.com>",
        "\"anna\"@example.com",
        "anna@-example.com",
        "anna@example..com",
        ".anna@example.com",
        "an..na@example.com",
        "anna@192.168.1.1",
        "anna@[192.168.1.1]",
        "+tag@gmail.com",
        "anna novak@example.com",
    ];
    for raw in cases {
        let err = normalise(SelectorKind::Email, raw, None).unwrap_err();
        assert_eq!(err, SelectorError::InvalidEmail, "{raw}");
        assert_eq!(err.to_string(), "not an e-mail address");
    }
}

// ---- URLs and handles -----------------------------------------------------------------------

#[test]
fn url_tracking_params_fragment_www_default_port_and_trailing_slash_are_dropped() {
    let forms = [
        "https://www.Example.COM/Jobs/Offer/?utm_source=fb&utm_medium=x&id=7#apply",
        "HTTPS://example.com:443/Jobs/Offer?id=7&fbclid=abc",
        "http://example.com:80/Jobs/Offer?gclid=1&id=7",
        "example.com/Jobs/Offer?id=7&UTM_Campaign=z",
        "www.example.com/Jobs/Offer/?id=7",
    ];
    for raw in forms {
        assert_eq!(
            value(SelectorKind::Url, raw, None),
            "https://example.com/Jobs/Offer?id=7",
            "{raw}"
        );
    }
    assert_eq!(
        value(SelectorKind::Url, "https://example.com/", None),
        "https://example.com"
    );
    assert_eq!(
        value(
            SelectorKind::Url,
            "https://example.com:8443/a?utm_x=1",
            None
        ),
        "https://example.com:8443/a"
    );
    // Path case is kept.
    assert_ne!(
        value(SelectorKind::Url, "example.com/Offer", None),
        value(SelectorKind::Url, "example.com/offer", None)
    );
}

#[test]
fn non_http_urls_and_hostless_strings_are_rejected() {
    for raw in [
        "ftp://example.com/x",
        "javascript:alert(1)",
        "mailto:anna@example.com",
        "https://localhost/x",
        "not a url at all",
        "https://",
    ] {
        let err = normalise(SelectorKind::Url, raw, None).unwrap_err();
        assert_eq!(err, SelectorError::InvalidUrl, "{raw}");
    }
}

#[test]
fn telegram_url_equals_telegram_handle() {
    let handle = norm(SelectorKind::Handle, "telegram:@Anna_Jobs", None);
    assert_eq!(handle, sel(SelectorKind::Handle, "telegram:anna_jobs"));
    for raw in [
        "https://t.me/Anna_Jobs",
        "t.me/anna_jobs/",
        "https://telegram.me/anna_jobs?utm_source=x",
        "http://www.t.me/ANNA_JOBS#top",
    ] {
        assert_eq!(norm(SelectorKind::Url, raw, None), handle, "{raw}");
        assert_eq!(norm(SelectorKind::Handle, raw, None), handle, "{raw}");
    }
}

#[test]
fn platform_profile_urls_map_to_handles_but_posts_stay_urls() {
    let cases = [
        (
            "https://instagram.com/Model.Agency?igshid=x",
            "instagram:model.agency",
        ),
        (
            "https://www.facebook.com/jobs.abroad/",
            "facebook:jobs.abroad",
        ),
        ("https://m.facebook.com/jobs.abroad", "facebook:jobs.abroad"),
        ("https://www.tiktok.com/@Work_Now", "tiktok:work_now"),
        ("https://twitter.com/WorkNow", "x:worknow"),
        ("https://x.com/worknow", "x:worknow"),
    ];
    for (raw, handle) in cases {
        assert_eq!(
            norm(SelectorKind::Url, raw, None),
            sel(SelectorKind::Handle, handle)
        );
    }
    for raw in [
        "https://www.instagram.com/p/Cx1yZ/",
        "https://t.me/joinchat/AbCdEf",
        "https://t.me/anna_jobs/123",
        "https://www.facebook.com/profile.php?id=1000",
        "https://www.tiktok.com/@work_now/video/123",
    ] {
        assert_eq!(
            norm(SelectorKind::Url, raw, None).kind,
            SelectorKind::Url,
            "{raw}"
        );
    }
    assert_eq!(
        normalise(SelectorKind::Handle, "https://example.com/anna", None).unwrap_err(),
        SelectorError::NotAProfileUrl
    );
}

#[test]
fn whatsapp_link_is_the_phone_number() {
    assert_eq!(
        norm(SelectorKind::Url, "https://wa.me/421903123456", None),
        phone("+421903123456")
    );
    assert_eq!(
        norm(SelectorKind::Phone, "0903 123 456", Some("SK")),
        norm(SelectorKind::Handle, "wa.me/421903123456", None)
    );
}

#[test]
fn handles_are_lowercased_without_at_and_keep_their_platform() {
    assert_eq!(value(SelectorKind::Handle, "@Anna_Jobs", None), "anna_jobs");
    assert_eq!(
        value(SelectorKind::Handle, "Telegram: @Foo", None),
        "telegram:foo"
    );
    assert_eq!(value(SelectorKind::Handle, "twitter:@Foo", None), "x:foo");
    assert_eq!(
        value(SelectorKind::Handle, "signal:foo.01", None),
        "signal:foo.01"
    );
    // Without a platform a handle does not match one with a platform: exact after normalisation.
    assert_ne!(
        value(SelectorKind::Handle, "@foo", None),
        value(SelectorKind::Handle, "telegram:foo", None)
    );
    for raw in [
        "@",
        "foo bar",
        "tele gram:foo",
        "telegram:",
        "foo@bar",
        "a:b:c",
    ] {
        assert_eq!(
            normalise(SelectorKind::Handle, raw, None).unwrap_err(),
            SelectorError::InvalidHandle,
            "{raw}"
        );
    }
}

// ---- plates ---------------------------------------------------------------------------------

#[test]
fn plates_are_uppercased_without_separators_and_keep_a_country_prefix() {
    assert_eq!(
        value(SelectorKind::Plate, "SK:BA-123AB", None),
        "SK:BA123AB"
    );
    assert_eq!(
        value(SelectorKind::Plate, "sk: ba 123 ab", None),
        "SK:BA123AB"
    );
    assert_eq!(value(SelectorKind::Plate, "ba.123.ab", None), "BA123AB");
    assert_eq!(value(SelectorKind::Plate, "M-AB 1234", None), "MAB1234");
    // Cyrillic look-alike letters on Ukrainian plates match their Latin spelling.
    assert_eq!(
        value(SelectorKind::Plate, "UA:АА 1234 ВН", None),
        value(SelectorKind::Plate, "UA:AA1234BH", None)
    );
    // A country prefix makes a different selector.
    assert_ne!(
        value(SelectorKind::Plate, "SK:BA123AB", None),
        value(SelectorKind::Plate, "BA123AB", None)
    );
    for raw in [
        "B",
        "BA/123",
        "SLOVAKIA:BA123AB",
        "12:BA123",
        "A1234567890123456",
    ] {
        assert_eq!(
            normalise(SelectorKind::Plate, raw, None).unwrap_err(),
            SelectorError::InvalidPlate,
            "{raw}"
        );
    }
}

// ---- addresses and workplaces ---------------------------------------------------------------

#[test]
fn addresses_fold_case_and_collapse_whitespace_and_punctuation_but_expand_nothing() {
    assert_eq!(
        value(SelectorKind::Address, "  Hlavná  12/3,\n Bratislava ", None),
        "hlavná 12 3 bratislava"
    );
    assert_eq!(
        value(SelectorKind::Address, "HLAVNÁ 12-3; BRATISLAVA", None),
        "hlavná 12 3 bratislava"
    );
    // Composed and decomposed accents are the same (NFKC).
    assert_eq!(
        value(SelectorKind::Address, "Hlavna\u{301} 12", None),
        value(SelectorKind::Address, "Hlavná 12", None)
    );
    // Not fuzzy: abbreviations and missing accents stay different.
    assert_ne!(
        value(SelectorKind::Address, "Calle Mayor 5", None),
        value(SelectorKind::Address, "C/ Mayor 5", None)
    );
    assert_ne!(
        value(SelectorKind::Address, "Hlavna 12", None),
        value(SelectorKind::Address, "Hlavná 12", None)
    );
    assert_eq!(
        normalise(SelectorKind::Address, " ,.;- ", None).unwrap_err(),
        SelectorError::Empty {
            kind: SelectorKind::Address
        }
    );
}

#[test]
fn workplace_legal_form_suffix_is_dropped() {
    let forms = [
        "Agro Farma s.r.o.",
        "AGRO FARMA, S.R.O.",
        "Agro  Farma spol. s r.o.",
        "Agro Farma a.s.",
        "Agro Farma Ltd.",
        "Agro Farma GmbH",
        "Agro Farma S.L.",
        "Agro Farma, S.A.",
        "Agro Farma Sp. z o.o.",
        "Agro Farma SRL",
        "Agro Farma S.p.A.",
        "Agro Farma OOO",
        "Agro Farma ООО",
        "agro farma",
    ];
    for raw in forms {
        assert_eq!(
            value(SelectorKind::Workplace, raw, None),
            "agro farma",
            "{raw}"
        );
    }
    // Only at the end, only whole words, and never the whole name.
    assert_eq!(
        value(SelectorKind::Workplace, "Ltd Services", None),
        "ltd services"
    );
    assert_eq!(value(SelectorKind::Workplace, "Sarl", None), "sarl");
    assert_eq!(value(SelectorKind::Workplace, "S.R.O.", None), "s r o");
    // A spa is a business, not a legal form.
    assert_eq!(
        value(SelectorKind::Workplace, "Relax Spa", None),
        "relax spa"
    );
}

// ---- extraction -----------------------------------------------------------------------------

#[test]
fn extraction_finds_phones_emails_and_urls_in_a_multilingual_note() {
    let note = "Klientka uviedla, že jej volal sprostredkovateľ z čísla 0903 123 456 \
                (aj +421 905 987 654). Contacto: Jobs.Abroad+es@gmail.com; anuncio en \
                https://www.Anuncios-Trabajo.es/oferta/123?utm_source=fb#x. Telegram: \
                t.me/Anna_Jobs. Přijela 12.03.2024, adresa ubytovania neznáma. \
                Замовлення: +380 67 123 4567, пошта robota@ukr.net. \
                Opäť 0903-123-456 a JOBS.ABROAD@gmail.com.";
    let found = extract_from_text(note, Some("SK"));
    assert_eq!(
        found,
        vec![
            phone("+421903123456"),
            phone("+421905987654"),
            email("jobsabroad@gmail.com"),
            sel(SelectorKind::Url, "https://anuncios-trabajo.es/oferta/123"),
            sel(SelectorKind::Handle, "telegram:anna_jobs"),
            phone("+380671234567"),
            email("robota@ukr.net"),
        ]
    );
}

#[test]
fn extraction_without_region_finds_only_international_numbers() {
    let found = extract_from_text("call 0903 123 456 or 00421 905 987 654", None);
    assert_eq!(found, vec![phone("+421905987654")]);
    // An unknown region behaves like none.
    let found = extract_from_text("call 0903 123 456 or 00421 905 987 654", Some("??"));
    assert_eq!(found, vec![phone("+421905987654")]);
}

#[test]
fn extraction_ignores_dates_ibans_and_digits_inside_urls_and_emails() {
    let note = "On 2024-03-12 10:30 and 12/03/2024 she paid SK3112000000198742637541; \
                see https://example.com/item/0903123456 and 0903123456x@example.com; ref A0903123456.";
    let found = extract_from_text(note, Some("SK"));
    assert_eq!(
        found,
        vec![
            sel(SelectorKind::Url, "https://example.com/item/0903123456"),
            email("0903123456x@example.com"),
        ]
    );
}

#[test]
fn extraction_splits_neighbouring_numbers_and_keeps_url_brackets_balanced() {
    let found = extract_from_text(
        "numbers 0903123456 0905987654 (see https://en.wikipedia.org/wiki/Foo_(bar)).",
        Some("SK"),
    );
    assert_eq!(
        found,
        vec![
            phone("+421903123456"),
            phone("+421905987654"),
            sel(SelectorKind::Url, "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ]
    );
}

// ---- clustering -----------------------------------------------------------------------------

#[test]
fn two_organisations_sharing_a_phone_written_differently_form_one_cluster() {
    let a = norm(SelectorKind::Phone, "0903 123 456", Some("SK"));
    let b = norm(SelectorKind::Phone, "+421-903-123-456", None);
    let reports = [
        report("r-ngo-1", "NGO Slovakia", vec![a]),
        report(
            "r-insp-7",
            "Labour Inspectorate",
            vec![b, email("x@example.com")],
        ),
        report("r-other", "NGO Spain", vec![email("y@example.com")]),
    ];
    assert_eq!(
        clusters(&reports, 2),
        vec![Cluster {
            shared: vec![phone("+421903123456")],
            reports: vec!["r-insp-7".into(), "r-ngo-1".into()],
            organisations: vec!["Labour Inspectorate".into(), "NGO Slovakia".into()],
            revoked_reports: vec![],
        }]
    );
}

#[test]
fn reports_of_revoked_signers_are_named_in_their_cluster() {
    let shared = phone("+421903123456");
    let mut stolen = report("r-stolen", "NGO Slovakia", vec![shared.clone()]);
    stolen.signer_revoked = true;
    let reports = [
        report("r-insp", "Labour Inspectorate", vec![shared.clone()]),
        stolen.clone(),
        report("r-ngo", "NGO Spain", vec![shared.clone()]),
    ];
    let found = clusters(&reports, 2);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].reports, ["r-insp", "r-ngo", "r-stolen"]);
    assert_eq!(found[0].revoked_reports, ["r-stolen"]);
    // The same report id given twice is one report, revoked if either entry says so.
    let mut twice = reports.to_vec();
    twice.push(report("r-stolen", "NGO Slovakia", vec![]));
    assert_eq!(clusters(&twice, 2)[0].revoked_reports, ["r-stolen"]);
}

#[test]
fn links_within_one_organisation_only_are_not_reported_with_min_two() {
    let reports = [
        report("a", "NGO", vec![phone("+421903123456")]),
        report("b", "NGO", vec![phone("+421903123456")]),
    ];
    assert!(clusters(&reports, 2).is_empty());
    assert_eq!(clusters(&reports, 1).len(), 1);
}

#[test]
fn transitive_links_form_one_component_with_all_shared_selectors() {
    let reports = [
        report("A", "org1", vec![phone("+421903123456")]),
        report(
            "B",
            "org2",
            vec![phone("+421903123456"), email("boss@example.com")],
        ),
        report(
            "C",
            "org3",
            vec![email("boss@example.com"), phone("+34612345678")],
        ),
    ];
    let found = clusters(&reports, 2);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].reports, ["A", "B", "C"]);
    assert_eq!(found[0].organisations, ["org1", "org2", "org3"]);
    assert_eq!(
        found[0].shared,
        vec![phone("+421903123456"), email("boss@example.com")]
    );
}

#[test]
fn a_report_given_twice_counts_once() {
    let shared = phone("+421903123456");
    let reports = [
        report("r1", "NGO", vec![shared.clone()]),
        report("r1", "NGO", vec![shared.clone()]),
        report("r1", "NGO", vec![shared.clone(), shared.clone()]),
    ];
    // One report alone is no cluster, however often it is given.
    assert!(clusters(&reports, 1).is_empty());

    let mut with_other = reports.to_vec();
    with_other.push(report("r2", "Police", vec![shared.clone()]));
    let found = clusters(&with_other, 2);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].reports, ["r1", "r2"]);
    assert_eq!(found[0].shared, vec![shared]);
}

#[test]
fn cluster_order_is_deterministic_and_independent_of_input_order() {
    let mut reports = vec![
        // Two organisations, ids starting with "m".
        report("m1", "org1", vec![phone("+421903123456")]),
        report("m2", "org2", vec![phone("+421903123456")]),
        // Two organisations, ids starting with "b".
        report("b1", "org1", vec![email("a@example.com")]),
        report("b2", "org3", vec![email("a@example.com")]),
        // Three organisations.
        report("z1", "org1", vec![sel(SelectorKind::Plate, "SK:BA123AB")]),
        report("z2", "org2", vec![sel(SelectorKind::Plate, "SK:BA123AB")]),
        report("z3", "org3", vec![sel(SelectorKind::Plate, "SK:BA123AB")]),
        // Unlinked.
        report("solo", "org4", vec![phone("+34612345678")]),
    ];
    let expected: Vec<Vec<String>> = vec![
        vec!["z1".into(), "z2".into(), "z3".into()],
        vec!["b1".into(), "b2".into()],
        vec!["m1".into(), "m2".into()],
    ];
    let order = |found: Vec<Cluster>| found.into_iter().map(|c| c.reports).collect::<Vec<_>>();
    assert_eq!(order(clusters(&reports, 2)), expected);
    reports.reverse();
    assert_eq!(order(clusters(&reports, 2)), expected);
    reports.rotate_left(3);
    assert_eq!(order(clusters(&reports, 2)), expected);
    assert_eq!(order(clusters(&reports, 3)), expected[..1].to_vec());
}

#[test]
fn clusters_serialise_as_plain_json() {
    let found = clusters(
        &[
            report("a", "org1", vec![phone("+421903123456")]),
            report("b", "org2", vec![phone("+421903123456")]),
        ],
        2,
    );
    let json = serde_json::to_value(&found).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "shared": [{"kind": "phone", "value": "+421903123456"}],
            "reports": ["a", "b"],
            "organisations": ["org1", "org2"],
            "revoked_reports": [],
        }])
    );
}

// ---- properties -----------------------------------------------------------------------------

fn any_kind() -> impl Strategy<Value = SelectorKind> {
    proptest::sample::select(SelectorKind::ALL.to_vec())
}

/// Strings that look a bit like selectors, so the properties reach the success paths too.
fn selector_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,40}",
        "[+0(]?[0-9 ().-]{6,20}",
        "[a-zA-Z0-9._+-]{1,12}@[a-zA-Z0-9-]{1,10}\\.[a-zA-Z]{2,4}\\.?",
        "(https?://)?(www\\.)?[a-z0-9-]{1,10}\\.[a-z]{2,4}(:[0-9]{1,5})?(/[A-Za-z0-9._~@-]{0,8}){0,3}/?(\\?[a-z_]{1,6}=[a-z0-9]{0,4}(&[a-z_]{1,6}=[a-z0-9]{0,4}){0,2})?(#[a-z]{0,4})?",
        "([a-z]{1,8}:)?@?[A-Za-z0-9_.-]{1,12}",
        "([A-Za-z]{1,3}:)?[A-Za-zА-Я0-9 .-]{1,12}",
        "[\\p{L}\\p{N}\\p{P}\\p{Z}]{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn normalise_never_panics_and_is_idempotent(
        kind in any_kind(),
        raw in selector_like(),
        region in proptest::option::of(proptest::sample::select(vec!["SK", "ES", "US", "DE", "sk", "XX"])),
    ) {
        if let Ok(first) = normalise(kind, &raw, region) {
            // Phones are given back as E.164; other kinds as their value, under the result's kind
            // (a profile URL became a handle or a phone).
            let again = normalise(first.kind, &first.value, region);
            prop_assert_eq!(again.as_ref(), Ok(&first), "{:?} {:?}", kind, raw);
        }
    }

    #[test]
    fn errors_never_contain_the_value(kind in any_kind(), raw in "[a-z0-9]{6,20}") {
        if let Err(err) = normalise(kind, &raw, Some("SK")) {
            prop_assert!(!err.to_string().contains(&raw));
            prop_assert_eq!(err.kind(), ErrorKind::InvalidSelector);
        }
    }

    #[test]
    fn extraction_never_panics_and_yields_normalised_unique_selectors(
        text in prop_oneof![any::<String>(), "[a-z0-9 @.:/+()-]{0,80}", "\\PC{0,80}"],
    ) {
        let found = extract_from_text(&text, Some("SK"));
        let unique: std::collections::BTreeSet<_> = found.iter().collect();
        prop_assert_eq!(unique.len(), found.len());
        for selector in &found {
            let again = normalise(selector.kind, &selector.value, Some("SK"));
            prop_assert_eq!(again.as_ref(), Ok(selector));
        }
    }

    #[test]
    fn clusters_do_not_depend_on_input_order(
        links in proptest::collection::vec((0u8..8, 0u8..4, 0u8..6), 0..24),
    ) {
        let reports: Vec<ReportSelectors> = links
            .iter()
            .map(|(id, org, selector)| report(
                &format!("r{id}"),
                &format!("org{}", (id + org) % 3),
                vec![phone(&format!("+42190312345{selector}"))],
            ))
            .collect();
        let mut reversed = reports.clone();
        reversed.reverse();
        let found = clusters(&reports, 2);
        prop_assert_eq!(&found, &clusters(&reversed, 2));
        for cluster in &found {
            prop_assert!(cluster.reports.len() >= 2);
            prop_assert!(cluster.organisations.len() >= 2);
            prop_assert!(!cluster.shared.is_empty());
        }
    }
}

// ---- extraction over hostile notes (work stays linear; docs/correlation.md, "Limits") --------

#[test]
fn a_url_followed_by_thousands_of_closing_brackets_ends_before_them() {
    let note = format!("see https://jobs.example/offer{} now", ")".repeat(40_000));
    assert_eq!(
        extract_from_text(&note, None),
        vec![sel(SelectorKind::Url, "https://jobs.example/offer")]
    );
    // Balanced brackets stay part of the link; an unbalanced one after it does not.
    let found = extract_from_text("(https://en.example/wiki/Kosice_(city)).", None);
    assert_eq!(
        found,
        vec![sel(
            SelectorKind::Url,
            "https://en.example/wiki/Kosice_(city)"
        )]
    );
}

#[test]
fn a_long_note_of_real_numbers_finds_every_one() {
    // 2,000 different Slovak mobile numbers, one per line among words, in a note of ~76 KB:
    // each takes one candidate, within the phone budget (1024 + 1 per 64 bytes).
    let note: String = (0..2_000)
        .map(|i| {
            format!(
                "kontakt {i}: 0903 {:03} {:03}, volal v noci\n",
                i / 1000,
                i % 1000
            )
        })
        .collect();
    let found = extract_from_text(&note, Some("SK"));
    assert_eq!(found.len(), 2_000);
    assert_eq!(found[1_234], phone("+421903001234"));
}

#[test]
fn digit_junk_spends_the_phone_budget_and_the_rest_of_the_note_is_not_searched_for_numbers() {
    // 1 MiB of single-digit groups: every group starts up to 17 candidate windows. Extraction
    // stops looking for phone numbers once the budget is spent, so a number after the junk is
    // not found, while links and addresses still are.
    let junk: String = (0..1 << 19).map(|i| format!("{} ", i % 10)).collect();
    let note = format!("{junk}. Call 0903 123 456 or write to boss@farm.example");
    let found = extract_from_text(&note, Some("SK"));
    assert!(!found.contains(&phone("+421903123456")), "{found:?}");
    assert!(found.contains(&email("boss@farm.example")));
}

// ---- selectors as people write them (issue #11 item 8) -----------------------------------------

#[test]
fn a_bulgarian_plate_with_cyrillic_u_equals_its_latin_twin() {
    // Cyrillic С, В, У, Х against Latin C, B, Y, X.
    assert_eq!(
        value(SelectorKind::Plate, "СВ 1234 УХ", None),
        value(SelectorKind::Plate, "CB 1234 YX", None)
    );
    assert_eq!(
        value(SelectorKind::Plate, "bg:св1234ух", None),
        "BG:CB1234YX"
    );
}

#[test]
fn every_cyrillic_and_greek_plate_letter_is_written_in_latin() {
    let cases = [
        ("АВЕКМНОРСТУХІ", "ABEKMHOPCTYXI"),
        ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX"),
        // Lower case is read as the capital.
        ("αβεζηικμνορτυχ", "ABEZHIKMNOPTYX"),
    ];
    for (raw, latin) in cases {
        assert_eq!(value(SelectorKind::Plate, raw, None), latin, "{raw}");
    }
}

#[test]
fn plate_letters_without_a_latin_twin_and_digits_stay_what_they_are() {
    // Cyrillic О is the letter O, never the digit 0; З and Д have no Latin twin.
    assert_eq!(value(SelectorKind::Plate, "ВО12", None), "BO12");
    assert_ne!(
        value(SelectorKind::Plate, "ВО12", None),
        value(SelectorKind::Plate, "B012", None)
    );
    assert_eq!(value(SelectorKind::Plate, "ДЗЖΛ12", None), "ДЗЖΛ12");
    // Other Cyrillic look-alikes follow the confusables data too.
    assert_eq!(value(SelectorKind::Plate, "ЅЈ12", None), "SJ12");
    // Latin letters and digits the confusables data relates (l/1/I, O/0) are not folded.
    assert_ne!(
        value(SelectorKind::Plate, "BAI23", None),
        value(SelectorKind::Plate, "BA123", None)
    );
}

#[test]
fn telegram_channel_previews_share_and_app_links_are_the_telegram_handle() {
    let handle = sel(SelectorKind::Handle, "telegram:anna_jobs");
    for raw in [
        "https://t.me/s/anna_jobs",
        "t.me/s/Anna_Jobs/",
        "telegram.me/anna_jobs",
        "https://telegram.dog/anna_jobs",
        "tg://resolve?domain=Anna_Jobs",
        "tg:resolve?domain=anna_jobs",
    ] {
        assert_eq!(norm(SelectorKind::Url, raw, None), handle, "{raw}");
        assert_eq!(norm(SelectorKind::Handle, raw, None), handle, "{raw}");
    }
    // A channel preview of a post, and a private invite, stay web addresses.
    assert_eq!(
        norm(SelectorKind::Url, "https://t.me/s/anna_jobs/12", None).kind,
        SelectorKind::Url
    );
    assert_eq!(
        norm(SelectorKind::Url, "https://t.me/+AbCdEf123", None).kind,
        SelectorKind::Url
    );
    assert_eq!(
        normalise(SelectorKind::Url, "tg://msg?text=hi", None).unwrap_err(),
        SelectorError::InvalidUrl
    );
}

#[test]
fn t_me_s_name_links_with_a_bare_at_name_of_another_organisation() {
    let bare = norm(SelectorKind::Handle, "@Anna_Jobs", None);
    assert_eq!(bare, sel(SelectorKind::Handle, "anna_jobs"));
    let preview = norm(SelectorKind::Url, "https://t.me/s/anna_jobs", None);
    let found = clusters(
        &[
            report("r1", "ngo-a", vec![bare.clone()]),
            report("r2", "ngo-b", vec![preview.clone()]),
        ],
        2,
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].reports, ["r1", "r2"]);
    assert_eq!(found[0].shared, [bare, preview]);
}

#[test]
fn the_same_name_on_two_platforms_links_only_through_a_bare_handle() {
    let telegram = sel(SelectorKind::Handle, "telegram:anna_jobs");
    let instagram = sel(SelectorKind::Handle, "instagram:anna_jobs");
    let bare = sel(SelectorKind::Handle, "anna_jobs");
    let two = [
        report("r1", "ngo-a", vec![telegram.clone()]),
        report("r2", "ngo-b", vec![instagram.clone()]),
    ];
    assert!(clusters(&two, 2).is_empty());
    // A bare handle and a platform handle in the same report link nothing by themselves.
    let one = [
        report("r1", "ngo-a", vec![telegram.clone(), bare.clone()]),
        report("r2", "ngo-b", vec![phone("+421903123456")]),
    ];
    assert!(clusters(&one, 2).is_empty());
    let mut three = two.to_vec();
    three.push(report("r3", "ngo-c", vec![bare.clone()]));
    let found = clusters(&three, 2);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].reports, ["r1", "r2", "r3"]);
    assert_eq!(found[0].shared, [bare, instagram, telegram]);
}

#[test]
fn whatsapp_send_links_in_every_form_are_the_phone_number() {
    let number = norm(SelectorKind::Phone, "0903 123 456", Some("SK"));
    for raw in [
        "https://api.whatsapp.com/send?phone=421903123456",
        "https://api.whatsapp.com/send/?phone=%2B421903123456&text=Hi&type=phone_number&app_absent=0",
        "api.whatsapp.com/send?phone=+421903123456",
        "https://web.whatsapp.com/send?phone=421903123456&text=Ahoj",
        "https://wa.me/+421903123456?text=hi",
        "whatsapp://send?phone=421903123456",
    ] {
        assert_eq!(norm(SelectorKind::Url, raw, None), number, "{raw}");
    }
    // A chat link without a (valid) number is not a phone number.
    assert_eq!(
        norm(
            SelectorKind::Url,
            "https://api.whatsapp.com/send?text=hi",
            None
        )
        .kind,
        SelectorKind::Url
    );
    assert_eq!(
        normalise(SelectorKind::Url, "whatsapp://send?phone=12", None).unwrap_err(),
        SelectorError::InvalidUrl
    );
}

#[test]
fn other_platform_account_links_are_their_handles() {
    let cases = [
        (
            "https://www.instagram.com/_u/Model.Agency",
            "instagram:model.agency",
        ),
        (
            "instagram://user?username=Model.Agency",
            "instagram:model.agency",
        ),
        ("https://m.me/jobs.abroad", "facebook:jobs.abroad"),
        (
            "https://twitter.com/intent/user?screen_name=WorkNow",
            "x:worknow",
        ),
        ("https://mobile.twitter.com/WorkNow?s=21", "x:worknow"),
        (
            "https://www.tiktok.com/@Work_Now?lang=en",
            "tiktok:work_now",
        ),
    ];
    for (raw, handle) in cases {
        assert_eq!(
            norm(SelectorKind::Url, raw, None),
            sel(SelectorKind::Handle, handle),
            "{raw}"
        );
    }
}

#[test]
fn platform_share_parameters_are_dropped_only_on_their_platform() {
    let cases = [
        (
            "https://x.com/worknow/status/123?s=20&t=AbC",
            "https://x.com/worknow/status/123",
        ),
        (
            "https://www.instagram.com/p/Cx1yZ/?igsh=MWx0",
            "https://instagram.com/p/Cx1yZ",
        ),
        (
            "https://www.tiktok.com/@work_now/video/123?is_from_webapp=1&sender_device=pc",
            "https://tiktok.com/@work_now/video/123",
        ),
        ("https://youtu.be/AbC123?si=xyz", "https://youtu.be/AbC123"),
        (
            "https://www.facebook.com/groups/jobs?mibextid=Zb",
            "https://facebook.com/groups/jobs",
        ),
        // Elsewhere `s` and `t` may choose the page.
        (
            "https://example.com/search?s=jobs&t=2",
            "https://example.com/search?s=jobs&t=2",
        ),
    ];
    for (raw, normal) in cases {
        assert_eq!(value(SelectorKind::Url, raw, None), normal, "{raw}");
    }
}

#[test]
fn mailto_links_give_their_address_without_query_and_escapes() {
    for raw in [
        "mailto:a@b.org?subject=x",
        "MAILTO:A@B.org?subject=Job%20offer&body=hi",
        "mailto:a%40b.org",
        "mailto:a@b.org#top",
    ] {
        assert_eq!(value(SelectorKind::Email, raw, None), "a@b.org", "{raw}");
    }
    assert_eq!(
        value(SelectorKind::Email, "mailto:J%C3%A1n@b.org", None),
        "ján@b.org"
    );
    for raw in [
        "mailto:a@b.org,c@d.org",
        "mailto:%FF@b.org",
        "mailto:?subject=x",
    ] {
        assert_eq!(
            normalise(SelectorKind::Email, raw, None).unwrap_err(),
            SelectorError::InvalidEmail,
            "{raw}"
        );
    }
}

#[test]
fn internationalised_domains_have_one_form() {
    let ascii = "anna@xn--bcher-kva.de";
    for raw in [
        "anna@bücher.de",
        "Anna@BÜCHER.de",
        "anna@xn--bcher-kva.de",
        "mailto:anna@b%C3%BCcher.de",
    ] {
        assert_eq!(value(SelectorKind::Email, raw, None), ascii, "{raw}");
    }
    // The same domain as a URL host is written the same way.
    assert_eq!(
        value(SelectorKind::Url, "https://bücher.de/jobs", None),
        "https://xn--bcher-kva.de/jobs"
    );
}

#[test]
fn extraction_finds_the_apps_links_in_a_note() {
    let note = "Write on tg://resolve?domain=anna_jobs or \
                api.whatsapp.com/send?phone=421903123456, see t.me/s/anna_jobs. \
                <mailto:a@b.org?subject=x>";
    let found = extract_from_text(note, None);
    assert_eq!(
        found,
        [
            sel(SelectorKind::Handle, "telegram:anna_jobs"),
            phone("+421903123456"),
            email("a@b.org"),
        ]
    );
}

#[test]
fn national_numbers_read_in_each_organisations_own_region_link() {
    // A Ukrainian organisation writes a Ukrainian number nationally, a Slovak one writes the
    // same number with +380; each note read in its organisation's region gives one number.
    let ua = extract_from_text("Вербувальник: 067 123 45 67", Some("UA"));
    let sk = extract_from_text("Náborár: 00380 67 123 4567", Some("SK"));
    assert_eq!(ua, [phone("+380671234567")]);
    assert_eq!(ua, sk);
    // One region for both (the single --region before) loses the link.
    assert!(extract_from_text("Вербувальник: 067 123 45 67", Some("SK")).is_empty());
    // The US exit code is read as such in region US.
    assert_eq!(
        value(SelectorKind::Phone, "011 380 67 123 4567", Some("US")),
        "+380671234567"
    );
}
