//! The box's health: `/metrics` for a monitoring system (loopback or token only), the
//! « État du serveur » card of `/admin`, and the certificate reloaded on SIGHUP.

use std::time::{Duration, Instant};

use preau_tests::{readable, Options, Server, StatusCode};
use sha2::{Digest, Sha256};

const TOKEN: &str = "un-jeton-de-supervision-assez-long";

fn metrics_of(server: &Server, client: &reqwest::blocking::Client) -> String {
    let answer = client
        .get(server.url("/metrics"))
        .send()
        .expect("metrics request");
    assert_eq!(answer.status(), StatusCode::OK);
    let kind = answer
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    answer.text().expect("text")
}

/// The value of the sample named exactly `series` (name and labels), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse().ok())
}

#[test]
fn metrics_count_requests_by_route_and_status_and_read_the_boxs_state() {
    let server = Server::demo();
    let client = server.browser();
    let before = metrics_of(&server, &client);
    let series =
        "preau_http_requests_total{method=\"GET\",route=\"/ressources/{id}\",status=\"404\"}";
    let counted_before = sample(&before, series).unwrap_or(0.0);
    let pupil = server.signed_in_browser("eleve.demo");
    for id in ["999999", "999998", "999997"] {
        let answer = pupil
            .get(server.url(&format!("/ressources/{id}")))
            .send()
            .expect("request");
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    }
    let after = metrics_of(&server, &client);
    assert_eq!(
        sample(&after, series),
        Some(counted_before + 3.0),
        "three 404s under the route's pattern, not the path: {after}"
    );
    assert!(
        !after.contains("/ressources/999999"),
        "paths never become series"
    );
    assert!(
        sample(
            &after,
            "preau_http_request_duration_seconds_count{method=\"POST\",route=\"/connexion\"}"
        )
        .is_some_and(|count| count >= 1.0),
        "the sign-in's latency is measured: {after}"
    );
    let active_pupils = sample(
        &after,
        "preau_accounts{profile=\"National_ELV\",state=\"active\"}",
    )
    .expect("pupils counted");
    assert!(active_pupils >= 1.0);
    assert!(sample(&after, "preau_sessions").is_some_and(|n| n >= 1.0));
    assert!(sample(&after, "preau_data_bytes{part=\"store\"}").is_some_and(|n| n > 0.0));
    assert!(sample(&after, "preau_disk_available_bytes").is_some_and(|n| n > 0.0));
    assert!(after.contains("preau_build_info{version="));
    assert!(after.trim_end().ends_with("# EOF"));
    // No backup and no directory sync yet: their series are absent, not zero.
    assert!(!after.contains("preau_backup_last_timestamp_seconds"));

    let admin = server.signed_in_browser("admin.demo");
    let page = preau_tests::html_of(&admin, &server.url("/admin/sauvegardes"));
    let backup = admin
        .post(server.url("/admin/sauvegardes"))
        .form(&[("csrf", preau_tests::csrf_of(&page))])
        .send()
        .expect("backup");
    assert_eq!(backup.status(), StatusCode::SEE_OTHER);
    let later = metrics_of(&server, &client);
    let taken = sample(&later, "preau_backup_last_timestamp_seconds").expect("a backup now");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs_f64();
    assert!((now - taken).abs() < 120.0, "{taken} vs {now}");
}

#[test]
fn metrics_answer_the_box_itself_or_the_token_and_no_one_else() {
    // Behind a reverse proxy on the box: the client is who the proxy forwards for.
    let server = Server::demo_with(&[
        ("PREAU_HTTP_TRUSTED_PROXIES", "127.0.0.1"),
        ("PREAU_MONITORING_METRICS_TOKEN", TOKEN),
    ]);
    let client = server.browser();
    let from = |address: &str, token: Option<&str>| {
        let mut request = client
            .get(server.url("/metrics"))
            .header("x-forwarded-for", address);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().expect("request").status()
    };
    assert_eq!(from("127.0.0.1", None), StatusCode::OK);
    assert_eq!(from("192.168.1.20", None), StatusCode::FORBIDDEN);
    assert_eq!(from("8.8.8.8", None), StatusCode::FORBIDDEN);
    assert_eq!(
        from("8.8.8.8", Some("un-jeton-de-supervision-assez-lonG")),
        StatusCode::FORBIDDEN
    );
    assert_eq!(from("8.8.8.8", Some(TOKEN)), StatusCode::OK);
    // A signed-in administrator from afar is not a monitoring system.
    let admin = server.signed_in_browser("admin.demo");
    let answer = admin
        .get(server.url("/metrics"))
        .header("x-forwarded-for", "8.8.8.8")
        .send()
        .expect("request");
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
}

#[test]
fn a_too_short_metrics_token_is_refused_at_start() {
    let data = preau_tests::data_dir();
    let output = std::process::Command::new(preau_tests::binary())
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .env_remove("PREAU_BIN")
        .env("PREAU_MONITORING_METRICS_TOKEN", "court")
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("metrics_token"), "{said}");
}

fn served_fingerprint(server: &Server) -> String {
    let client = reqwest::blocking::Client::builder()
        .danger_accept_invalid_certs(true)
        .tls_info(true)
        // A new connection each time: a reload applies to new handshakes.
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let answer = client
        .get(server.url("/healthz"))
        .send()
        .expect("TLS request");
    let info = answer
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .expect("TLS info");
    let der = info.peer_certificate().expect("a certificate");
    colon_hex(&Sha256::digest(der))
}

fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn admin_page(server: &Server) -> String {
    let admin = server.signed_in_browser("admin.demo");
    let answer = admin.get(server.url("/admin")).send().expect("admin page");
    assert_eq!(answer.status(), StatusCode::OK);
    readable(&answer.text().expect("HTML"))
}

fn wait_for_fingerprint(server: &Server, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let served = served_fingerprint(server);
        if served == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "still serving {served}, expected {expected}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn sighup_serves_a_renewed_certificate_without_a_restart_and_keeps_it_on_a_bad_file() {
    let server = Server::start(Options {
        demo: true,
        tls: true,
        ..Options::default()
    });
    let first = served_fingerprint(&server);
    let page = admin_page(&server);
    assert!(page.contains("État du serveur"), "{page}");
    assert!(
        page.contains(&first),
        "the page shows the served fingerprint: {page}"
    );
    assert!(page.contains("Version"), "{page}");
    assert!(page.contains("Espace libre"), "{page}");

    // A renewed certificate, as an administrator (or certbot) would drop it in place.
    let renewed = rcgen::generate_simple_self_signed(vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "ent.college.example".to_owned(),
    ])
    .expect("certificate");
    let tls = server.data.join("tls");
    std::fs::write(tls.join("key.pem"), renewed.signing_key.serialize_pem()).expect("key");
    std::fs::write(tls.join("cert.pem"), renewed.cert.pem()).expect("cert");
    let expected = colon_hex(&Sha256::digest(renewed.cert.der()));
    assert_ne!(expected, first);
    server.signal("HUP");
    wait_for_fingerprint(&server, &expected);
    let page = admin_page(&server);
    assert!(page.contains(&expected), "the page follows: {page}");
    assert!(page.contains("ent.college.example"), "{page}");

    // A broken file: the renewed certificate stays served, and the page says why.
    std::fs::write(tls.join("cert.pem"), "pas un certificat").expect("cert");
    server.signal("HUP");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = admin_page(&server);
        if page.contains("TLS certificate reload failed") {
            assert!(page.contains(&expected), "still the renewed one: {page}");
            break;
        }
        assert!(Instant::now() < deadline, "the failure shows: {page}");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(served_fingerprint(&server), expected);
    assert_eq!(
        server
            .browser()
            .get(server.url("/healthz"))
            .send()
            .expect("still serving")
            .status(),
        StatusCode::OK
    );
}
