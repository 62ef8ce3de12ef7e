//! The CAS rules over a real store, with a clock and randomness the test holds.

use std::sync::Arc;

use chrono::TimeDelta;

use super::registry::{NewLink, NewService, RegistryProblem, Tile};
use super::service::{CasAttribute, CasService, PrefixProblem, UrlPrefix};
use super::{with_ticket, CasCode, CasFailure, ProxyGrant, Validated, Validation};
use crate::config::Config;
use crate::domain::accounts::account::Schooling;
use crate::domain::accounts::profile::Profile;
use crate::domain::accounts::sessions::SignedIn;
use crate::domain::accounts::{InitialState, NewAccount};
use crate::domain::clock::testing::ManualClock;
use crate::domain::entropy::testing::SeededEntropy;
use crate::domain::tables::Tables;
use crate::domain::{Domain, DomainError};

const MOODLE: &str = "https://moodle.college.example/login/index.php";
const VIE_SCOLAIRE: &str = "https://vs.college.example/";
const PORTAIL: &str = "https://portail.college.example/";
const CALLBACK: &str = "https://portail.college.example/pgt";

/// A validation as `serviceValidate` makes it (no proxy ticket, no callback).
fn check(
    domain: &Domain,
    ticket: &str,
    service: &str,
    renew: bool,
) -> Result<Validated, CasFailure> {
    domain
        .cas_validate(
            ticket,
            service,
            Validation {
                renew,
                ..Validation::default()
            },
        )
        .map(|(validated, grant)| {
            assert_eq!(grant, None, "no callback, no grant");
            validated
        })
}

/// A validation at `proxyValidate`, with a proxy callback or not.
fn proxy_validate(
    domain: &Domain,
    ticket: &str,
    service: &str,
    pgt_url: Option<&str>,
) -> Result<(Validated, Option<ProxyGrant>), CasFailure> {
    domain.cas_validate(
        ticket,
        service,
        Validation {
            proxy_tickets: true,
            pgt_url,
            ..Validation::default()
        },
    )
}

fn setup() -> (tempfile::TempDir, Arc<ManualClock>, Domain) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Tables::open(&dir.path().join("db"), 16 << 20).expect("store opens");
    let mut config = Config::default();
    config.cas.services = vec![
        CasService {
            name: "Moodle".into(),
            url: UrlPrefix::parse("https://moodle.college.example/").expect("valid"),
            attributes: vec![
                CasAttribute::DisplayName,
                CasAttribute::Profile,
                CasAttribute::Classes,
                CasAttribute::Email,
            ],
            profiles: None,
            single_logout: true,
            tile: true,
            proxy: false,
        },
        CasService {
            name: "Vie scolaire".into(),
            url: UrlPrefix::parse(VIE_SCOLAIRE).expect("valid"),
            attributes: vec![CasAttribute::Login],
            profiles: Some(vec![Profile::Enseignant, Profile::VieScolaire]),
            single_logout: false,
            tile: false,
            proxy: false,
        },
        CasService {
            name: "Portail".into(),
            url: UrlPrefix::parse(PORTAIL).expect("valid"),
            attributes: vec![CasAttribute::Login],
            profiles: None,
            single_logout: false,
            tile: false,
            proxy: true,
        },
    ];
    let clock = Arc::new(ManualClock::default());
    let domain = Domain::new(store, Arc::new(config), clock.clone())
        .with_entropy(Arc::new(SeededEntropy::new(11)));
    (dir, clock, domain)
}

fn signed_in(domain: &Domain, profile: Profile) -> SignedIn {
    signed_in_as(domain, profile, false)
}

fn signed_in_as(domain: &Domain, profile: Profile, is_admin: bool) -> SignedIn {
    let pupil = (profile == Profile::Eleve).then(|| Schooling {
        class: Some("4B".into()),
        groups: vec!["4-ESP2".into()],
        birth_date: None,
        ine: None,
        since: None,
        past: Vec::new(),
    });
    let account = domain
        .accounts()
        .create(NewAccount {
            login: None,
            first_name: "Inès".into(),
            last_name: "Da Silva".into(),
            email: None,
            profile,
            is_admin,
            initial: InitialState::Active {
                password_hash: "x".into(),
            },
            jointure: None,
            pupil,
            children: Vec::new(),
        })
        .expect("creates");
    let (token, _) = domain.sessions().open(account.id).expect("opens");
    domain
        .sessions()
        .resolve(&token)
        .expect("resolves")
        .expect("open")
}

#[test]
fn a_ticket_validates_once_for_its_exact_service_with_the_chosen_attributes() {
    let (_dir, _clock, domain) = setup();
    let pupil = signed_in(&domain, Profile::Eleve);
    let ticket = domain
        .cas_issue_ticket(&pupil, MOODLE, false)
        .expect("issued");
    let validated = check(&domain, &ticket, MOODLE, false).expect("valid");
    assert_eq!(validated.user, pupil.account.login);
    assert_eq!(
        validated.attributes,
        vec![
            ("displayName", vec!["Inès Da Silva".to_owned()]),
            ("profile", vec!["National_ELV".to_owned()]),
            ("classes", vec!["4B".to_owned()]),
        ],
        "no e-mail: the attribute is left out"
    );
    let replay = check(&domain, &ticket, MOODLE, false).expect_err("used");
    assert_eq!(replay.code, CasCode::InvalidTicket);
}

#[test]
fn a_ticket_for_another_service_is_refused_and_used_up() {
    let (_dir, _clock, domain) = setup();
    let pupil = signed_in(&domain, Profile::Eleve);
    let ticket = domain
        .cas_issue_ticket(&pupil, MOODLE, false)
        .expect("issued");
    let other = "https://moodle.college.example/autre";
    let wrong = check(&domain, &ticket, other, false).expect_err("wrong");
    assert_eq!(wrong.code, CasCode::InvalidService);
    let after = check(&domain, &ticket, MOODLE, false).expect_err("gone");
    assert_eq!(after.code, CasCode::InvalidTicket);
}

#[test]
fn a_ticket_expires_after_the_lifetime() {
    let (_dir, clock, domain) = setup();
    let pupil = signed_in(&domain, Profile::Eleve);
    let ticket = domain
        .cas_issue_ticket(&pupil, MOODLE, false)
        .expect("issued");
    clock.advance(TimeDelta::minutes(5) + TimeDelta::seconds(1));
    let late = check(&domain, &ticket, MOODLE, false).expect_err("expired");
    assert_eq!(late.code, CasCode::InvalidTicket);
}

#[test]
fn renew_accepts_only_a_ticket_from_a_fresh_sign_in() {
    let (_dir, _clock, domain) = setup();
    let pupil = signed_in(&domain, Profile::Eleve);
    let sso = domain
        .cas_issue_ticket(&pupil, MOODLE, false)
        .expect("issued");
    let refused = check(&domain, &sso, MOODLE, true).expect_err("sso");
    assert_eq!(refused.code, CasCode::InvalidTicket);
    let fresh = domain
        .cas_issue_ticket(&pupil, MOODLE, true)
        .expect("issued");
    assert!(
        check(&domain, &fresh, MOODLE, true)
            .expect("fresh")
            .from_fresh_sign_in
    );
}

#[test]
fn a_pupil_gets_no_ticket_for_a_staff_service_nor_anyone_for_an_unknown_one() {
    let (_dir, _clock, domain) = setup();
    let pupil = signed_in(&domain, Profile::Eleve);
    let teacher = signed_in(&domain, Profile::Enseignant);
    assert!(matches!(
        domain.cas_issue_ticket(&pupil, VIE_SCOLAIRE, false),
        Err(DomainError::CasServiceRefused(name)) if name == "Vie scolaire"
    ));
    assert!(domain
        .cas_issue_ticket(&teacher, VIE_SCOLAIRE, false)
        .is_ok());
    for unknown in [
        "https://evil.example/",
        "https://moodle.college.example.evil.example/",
        "",
    ] {
        assert!(matches!(
            domain.cas_issue_ticket(&teacher, unknown, false),
            Err(DomainError::CasUnknownService)
        ));
    }
}

#[test]
fn a_session_gives_the_services_that_asked_for_single_logout() {
    let (_dir, _clock, domain) = setup();
    let teacher = signed_in(&domain, Profile::Enseignant);
    let moodle = domain
        .cas_issue_ticket(&teacher, MOODLE, false)
        .expect("issued");
    domain
        .cas_issue_ticket(&teacher, VIE_SCOLAIRE, false)
        .expect("issued");
    assert_eq!(
        domain.cas_signed_out(&teacher.token_hash),
        vec![(MOODLE.to_owned(), moodle)]
    );
    assert!(domain.cas_signed_out(&teacher.token_hash).is_empty());
}

#[test]
fn sessions_ended_by_expiry_or_revocation_give_their_services_once() {
    let (_dir, clock, domain) = setup();
    let revoked = signed_in(&domain, Profile::Enseignant);
    let expiring = signed_in(&domain, Profile::Eleve);
    let open = signed_in(&domain, Profile::Eleve);
    let mut tickets = Vec::new();
    for session in [&revoked, &expiring, &open] {
        tickets.push(
            domain
                .cas_issue_ticket(session, MOODLE, false)
                .expect("issued"),
        );
    }
    assert!(domain.cas_ended_elsewhere().is_empty(), "all still open");
    domain
        .sessions()
        .revoke_all(revoked.account.id)
        .expect("revokes");
    assert_eq!(
        domain.cas_ended_elsewhere(),
        vec![(MOODLE.to_owned(), tickets[0].clone())]
    );
    assert!(domain.cas_ended_elsewhere().is_empty(), "told once");
    // `expiring` is left idle past the timeout; `open` signs out here first.
    let idle = domain.sessions().lifetimes().idle;
    clock.advance(TimeDelta::from_std(idle / 2).expect("short"));
    assert!(
        domain.cas_ended_elsewhere().is_empty(),
        "not idle long enough"
    );
    domain.sessions().close(&open).expect("closes");
    assert_eq!(
        domain.cas_signed_out(&open.token_hash),
        vec![(MOODLE.to_owned(), tickets[2].clone())],
        "a sign-out here tells them at once"
    );
    clock.advance(TimeDelta::from_std(idle).expect("short"));
    assert_eq!(
        domain.cas_ended_elsewhere(),
        vec![(MOODLE.to_owned(), tickets[1].clone())]
    );
    assert!(domain.cas_ended_elsewhere().is_empty());
}

#[test]
fn the_ticket_joins_the_service_address_as_a_parameter() {
    assert_eq!(
        with_ticket("https://a.example/", "ST-1"),
        "https://a.example/?ticket=ST-1"
    );
    assert_eq!(
        with_ticket("https://a.example/?x=1#top", "ST-1"),
        "https://a.example/?x=1&ticket=ST-1#top"
    );
}

#[test]
fn the_administrator_registers_services_and_links_that_make_home_tiles() {
    let (_dir, _clock, domain) = setup();
    let admin = signed_in_as(&domain, Profile::Direction, true);
    let pupil = signed_in(&domain, Profile::Eleve);
    let teacher = signed_in(&domain, Profile::Enseignant);
    let cdi = NewService {
        name: " CDI ".into(),
        url: "https://cdi.college.example/".into(),
        attributes: vec![CasAttribute::Login],
        profiles: vec![Profile::Enseignant],
        single_logout: false,
        tile: true,
        proxy: false,
    };
    assert!(matches!(
        domain.cas_register_service(&teacher.account, cdi.clone()),
        Err(DomainError::Forbidden)
    ));
    let id = domain
        .cas_register_service(&admin.account, cdi.clone())
        .expect("registered");
    assert!(matches!(
        domain.cas_register_service(&admin.account, cdi.clone()),
        Err(DomainError::CasRegistry(RegistryProblem::AlreadyCovered(_)))
    ));
    for (url, problem) in [
        ("https://*", PrefixProblem::Wildcard("https://*".into())),
        ("*", PrefixProblem::Wildcard("*".into())),
        ("cdi", PrefixProblem::Scheme("cdi".into())),
    ] {
        let refused = domain.cas_register_service(
            &admin.account,
            NewService {
                url: url.into(),
                ..cdi.clone()
            },
        );
        assert!(
            matches!(&refused, Err(DomainError::CasRegistry(RegistryProblem::Address(p))) if *p == problem),
            "{url}: {refused:?}"
        );
    }
    let service = "https://cdi.college.example/catalogue";
    assert!(matches!(
        domain.cas_issue_ticket(&pupil, service, false),
        Err(DomainError::CasServiceRefused(name)) if name == "CDI"
    ));
    let ticket = domain
        .cas_issue_ticket(&teacher, service, false)
        .expect("issued");
    assert_eq!(
        check(&domain, &ticket, service, false).expect("valid").user,
        teacher.account.login
    );
    domain
        .cas_add_link(
            &admin.account,
            NewLink {
                label: "Pronote".into(),
                url: "https://pronote.college.example/eleve.html".into(),
                profiles: vec![Profile::Eleve],
            },
        )
        .expect("added");
    let tile = |label: &str, href: &str| Tile {
        label: label.into(),
        href: href.into(),
        single_sign_on: !label.starts_with("Pronote"),
        logo: None,
    };
    assert_eq!(
        domain.home_tiles(&pupil.account).expect("reads"),
        vec![
            tile("Moodle", "https://moodle.college.example/"),
            tile("Pronote", "https://pronote.college.example/eleve.html"),
        ]
    );
    assert_eq!(
        domain.home_tiles(&teacher.account).expect("reads"),
        vec![
            tile("Moodle", "https://moodle.college.example/"),
            tile("CDI", "https://cdi.college.example/"),
        ]
    );
    domain.cas_remove(&admin.account, id).expect("removed");
    assert!(matches!(
        domain.cas_remove(&admin.account, id),
        Err(DomainError::CasUnknownEntry(_))
    ));
    assert!(matches!(
        domain.cas_issue_ticket(&teacher, service, false),
        Err(DomainError::CasUnknownService)
    ));
}

#[test]
fn a_service_allowed_to_proxy_gets_a_granting_ticket_for_its_own_https_callback_only() {
    let (_dir, _clock, domain) = setup();
    let pupil = signed_in(&domain, Profile::Eleve);
    let moodle = domain
        .cas_issue_ticket(&pupil, MOODLE, false)
        .expect("issued");
    let refused = proxy_validate(
        &domain,
        &moodle,
        MOODLE,
        Some("https://moodle.college.example/pgt"),
    )
    .expect_err("Moodle may not proxy");
    assert_eq!(refused.code, CasCode::UnauthorizedServiceProxy);
    for callback in [
        "http://portail.college.example/pgt",
        "https://evil.example/pgt",
        "https://portail.college.example.evil.example/pgt",
        "https://*.college.example/pgt",
        "pgt",
    ] {
        let ticket = domain
            .cas_issue_ticket(&pupil, PORTAIL, false)
            .expect("issued");
        let refused =
            proxy_validate(&domain, &ticket, PORTAIL, Some(callback)).expect_err(callback);
        assert_eq!(refused.code, CasCode::InvalidProxyCallback, "{callback}");
        assert_eq!(
            check(&domain, &ticket, PORTAIL, false)
                .expect_err("used up")
                .code,
            CasCode::InvalidTicket
        );
    }
    let ticket = domain
        .cas_issue_ticket(&pupil, PORTAIL, false)
        .expect("issued");
    let (validated, grant) = proxy_validate(
        &domain,
        &ticket,
        PORTAIL,
        Some("https://portail.college.example:8443/pgt"),
    )
    .expect("valid");
    assert_eq!(validated.user, pupil.account.login);
    assert!(validated.proxies.is_empty(), "a service ticket");
    let grant = grant.expect("granted");
    assert_eq!(grant.callback, "https://portail.college.example:8443/pgt");
    assert!(grant.pgt.starts_with("PGT-") && grant.iou.starts_with("PGTIOU-"));
    domain.cas_revoke_grant(&grant);
    assert_eq!(
        domain
            .cas_proxy_ticket(&grant.pgt, MOODLE)
            .expect_err("revoked")
            .code,
        CasCode::InvalidTicket
    );
}

#[test]
fn a_proxy_ticket_opens_what_the_person_may_open_and_validates_at_proxy_validate_only() {
    let (_dir, _clock, domain) = setup();
    let pupil = signed_in(&domain, Profile::Eleve);
    let ticket = domain
        .cas_issue_ticket(&pupil, PORTAIL, false)
        .expect("issued");
    let (_, grant) = proxy_validate(&domain, &ticket, PORTAIL, Some(CALLBACK)).expect("valid");
    let pgt = grant.expect("granted").pgt;

    let proxied = domain.cas_proxy_ticket(&pgt, MOODLE).expect("issued");
    assert!(proxied.starts_with("PT-"), "{proxied}");
    let refused = check(&domain, &proxied, MOODLE, false).expect_err("serviceValidate");
    assert_eq!(refused.code, CasCode::InvalidTicket);
    assert_eq!(
        proxy_validate(&domain, &proxied, MOODLE, None)
            .expect_err("used up")
            .code,
        CasCode::InvalidTicket
    );

    let proxied = domain.cas_proxy_ticket(&pgt, MOODLE).expect("issued");
    let (validated, grant) =
        proxy_validate(&domain, &proxied, MOODLE, None).expect("proxyValidate");
    assert_eq!(grant, None);
    assert_eq!(validated.user, pupil.account.login);
    assert_eq!(validated.proxies, vec![CALLBACK.to_owned()]);
    assert!(!validated.from_fresh_sign_in);

    let renewed = domain.cas_proxy_ticket(&pgt, MOODLE).expect("issued");
    let refused = domain
        .cas_validate(
            &renewed,
            MOODLE,
            Validation {
                renew: true,
                proxy_tickets: true,
                pgt_url: None,
            },
        )
        .expect_err("renew wants a password typed");
    assert_eq!(refused.code, CasCode::InvalidTicket);

    for target in [VIE_SCOLAIRE, "https://evil.example/"] {
        let refused = domain.cas_proxy_ticket(&pgt, target).expect_err(target);
        assert_eq!(refused.code, CasCode::UnauthorizedService, "{target}");
    }
    let unknown = domain
        .cas_proxy_ticket("PGT-unknown", MOODLE)
        .expect_err("unknown");
    assert_eq!(unknown.code, CasCode::InvalidTicket);
}

#[test]
fn a_proxy_of_a_proxy_is_named_first_and_granting_tickets_end_with_the_session() {
    let (_dir, _clock, domain) = setup();
    let teacher = signed_in(&domain, Profile::Enseignant);
    let ticket = domain
        .cas_issue_ticket(&teacher, PORTAIL, false)
        .expect("issued");
    let (_, grant) = proxy_validate(&domain, &ticket, PORTAIL, Some(CALLBACK)).expect("valid");
    let first = grant.expect("granted").pgt;
    let inner = "https://portail.college.example/notes";
    let proxied = domain.cas_proxy_ticket(&first, inner).expect("issued");
    let second_callback = "https://portail.college.example/notes/pgt";
    let (validated, grant) =
        proxy_validate(&domain, &proxied, inner, Some(second_callback)).expect("valid");
    assert_eq!(validated.proxies, vec![CALLBACK.to_owned()]);
    let second = grant.expect("granted").pgt;

    let twice = domain
        .cas_proxy_ticket(&second, VIE_SCOLAIRE)
        .expect("a teacher may open it");
    let (validated, _) = proxy_validate(&domain, &twice, VIE_SCOLAIRE, None).expect("valid");
    assert_eq!(
        validated.proxies,
        vec![second_callback.to_owned(), CALLBACK.to_owned()],
        "the most recent proxy first"
    );
    let again = domain
        .cas_proxy_ticket(&second, VIE_SCOLAIRE)
        .expect("issued");
    let refused = proxy_validate(&domain, &again, VIE_SCOLAIRE, Some(CALLBACK))
        .expect_err("the vie scolaire may not proxy");
    assert_eq!(refused.code, CasCode::UnauthorizedServiceProxy);

    domain
        .sessions()
        .revoke_all(teacher.account.id)
        .expect("revokes");
    for pgt in [&first, &second] {
        assert_eq!(
            domain
                .cas_proxy_ticket(pgt, MOODLE)
                .expect_err("session ended")
                .code,
            CasCode::InvalidTicket
        );
    }

    let pupil = signed_in(&domain, Profile::Eleve);
    let ticket = domain
        .cas_issue_ticket(&pupil, PORTAIL, false)
        .expect("issued");
    let (_, grant) = proxy_validate(&domain, &ticket, PORTAIL, Some(CALLBACK)).expect("valid");
    let pgt = grant.expect("granted").pgt;
    assert!(domain.cas_signed_out(&pupil.token_hash).is_empty());
    assert_eq!(
        domain
            .cas_proxy_ticket(&pgt, MOODLE)
            .expect_err("signed out")
            .code,
        CasCode::InvalidTicket
    );
}

#[test]
fn a_logo_is_the_administrators_to_give_and_shows_on_the_tile_until_removed() {
    use super::logo::{LogoFormat, LogoProblem};

    let (_dir, _clock, domain) = setup();
    let admin = signed_in_as(&domain, Profile::Direction, true);
    let teacher = signed_in(&domain, Profile::Enseignant);
    let id = domain
        .cas_register_service(
            &admin.account,
            NewService {
                name: "CDI".into(),
                url: "https://cdi.college.example/".into(),
                tile: true,
                ..NewService::default()
            },
        )
        .expect("registered");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    assert!(matches!(
        domain.cas_set_logo(&teacher.account, id, png.clone()),
        Err(DomainError::Forbidden)
    ));
    assert!(matches!(
        domain.cas_set_logo(&admin.account, id, b"<svg onload=alert(1)/>".to_vec()),
        Err(DomainError::CasLogo(LogoProblem::Svg))
    ));
    assert!(matches!(
        domain.cas_set_logo(&admin.account, id + 1000, png.clone()),
        Err(DomainError::CasUnknownEntry(_))
    ));
    assert_eq!(domain.cas_logo(id).expect("reads"), None, "nothing written");
    domain
        .cas_set_logo(&admin.account, id, png.clone())
        .expect("set");
    let logo = domain.cas_logo(id).expect("reads").expect("a logo");
    assert_eq!((logo.format, &logo.bytes), (LogoFormat::Png, &png));
    assert_eq!(
        logo.sha256, "02a3e298f1533f62558c58e4c70edcab9af5a50d62d925fd5390942020fb0fb8",
        "the SHA-256 of the bytes, in lower-case hex (as `sha256sum` prints it)"
    );
    let tiles = domain.home_tiles(&teacher.account).expect("reads");
    let cdi = tiles.iter().find(|tile| tile.label == "CDI").expect("tile");
    assert_eq!(
        cdi.logo.as_deref(),
        Some(format!("/services/{id}/logo?v={}", &logo.sha256[..16]).as_str())
    );
    domain.cas_remove_logo(&admin.account, id).expect("removed");
    assert_eq!(domain.cas_logo(id).expect("reads"), None);
    domain
        .cas_set_logo(&admin.account, id, logo.bytes.clone())
        .expect("set again");
    domain.cas_remove(&admin.account, id).expect("removed");
    assert_eq!(domain.cas_logo(id).expect("reads"), None);
    assert!(domain
        .tables()
        .cas_logos
        .get(id.to_be_bytes())
        .expect("reads")
        .is_none());
}
