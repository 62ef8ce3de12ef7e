//! Who is at the other end of a request: the peer's address, or, when the peer is one of the
//! reverse proxies the administrator trusts (`[http] trusted_proxies`), the client it forwards
//! for, and whether that client speaks HTTPS. Forwarded headers from any other peer are
//! ignored: they are the client's to write.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

use super::AppState;

/// The client of a request, as resolved once by [`resolve`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    /// For throttling and logs.
    pub address: IpAddr,
    /// The client reached Préau over HTTPS (its own TLS, or a trusted proxy's): cookies get
    /// `Secure` and the `__Host-` prefix, pages get HSTS, links are `https://`.
    pub https: bool,
}

impl Client {
    pub fn scheme(&self) -> &'static str {
        if self.https {
            "https"
        } else {
            "http"
        }
    }
}

/// Works out the client of every request and hands it to the handlers as an extension.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip());
    let client = match peer {
        Some(peer) => client_of(
            peer,
            request.headers(),
            &state.domain.config().http.trusted_proxies,
            state.secure_cookies,
        ),
        // No socket (in-process tests): nothing to trust.
        None => Client {
            address: IpAddr::from([127, 0, 0, 1]),
            https: state.secure_cookies,
        },
    };
    request.extensions_mut().insert(client);
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Client>().copied().unwrap_or(Client {
            address: IpAddr::from([127, 0, 0, 1]),
            https: false,
        }))
    }
}

/// The client behind `peer`. From a trusted proxy, the forwarded chain is read from the right
/// (the hop nearest to us) and the first address that is not itself a trusted proxy is the
/// client; the scheme is the proxy's `X-Forwarded-Proto` (or `Forwarded: proto=`).
pub fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet], tls: bool) -> Client {
    let peer = canonical(peer);
    let direct = Client {
        address: peer,
        https: tls,
    };
    if !is_trusted(peer, trusted) {
        return direct;
    }
    let chain = forwarded_for(headers);
    let address = chain
        .iter()
        .rev()
        .copied()
        .map(canonical)
        .find(|hop| !is_trusted(*hop, trusted))
        .or_else(|| chain.first().copied().map(canonical))
        .unwrap_or(peer);
    let https = tls || forwarded_proto(headers).is_some_and(|proto| proto == "https");
    Client { address, https }
}

fn is_trusted(address: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&address))
}

/// An IPv4 client seen through an IPv6 socket is the IPv4 client.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The addresses of `X-Forwarded-For` (all of its headers, in order), else the `for=` of
/// `Forwarded` (RFC 7239). Entries that are not addresses (`unknown`, obfuscated names) end the
/// chain there: nothing to their left can be placed.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_owned())
            .collect()
    };
    let xff = values("x-forwarded-for");
    let items: Vec<String> = if xff.is_empty() {
        values("forwarded")
            .iter()
            .filter_map(|element| parameter(element, "for"))
            .collect()
    } else {
        xff
    };
    let mut chain = Vec::new();
    for item in items.iter().rev() {
        match parse_node(item) {
            Some(address) => chain.push(address),
            None => break,
        }
    }
    chain.reverse();
    chain
}

/// The scheme the nearest proxy received: the last `X-Forwarded-Proto`, else the last
/// `Forwarded: proto=`.
fn forwarded_proto(headers: &HeaderMap) -> Option<String> {
    let last = |name: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_ascii_lowercase())
            .rfind(|v| !v.is_empty())
    };
    last("x-forwarded-proto").or_else(|| {
        headers
            .get_all("forwarded")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|element| parameter(element, "proto"))
            .map(|proto| proto.to_ascii_lowercase())
            .next_back()
    })
}

/// The value of `name` in one `Forwarded` element (`for=192.0.2.60;proto=https`).
fn parameter(element: &str, name: &str) -> Option<String> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// `192.0.2.60`, `192.0.2.60:4711`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(address) = node.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = node.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    node.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|inner| inner.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().expect("net")).collect()
    }

    const PROXY: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn forwarded_headers_are_ignored_unless_the_peer_is_a_trusted_proxy() {
        let forged = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let client = client_of(PROXY, &forged, &[], false);
        assert_eq!(client.address, PROXY);
        assert!(!client.https);
        let client = client_of(PROXY, &forged, &nets(&["10.0.0.0/24"]), false);
        assert_eq!(client.address, "203.0.113.9".parse::<IpAddr>().expect("ip"));
        assert!(client.https);
    }

    #[test]
    fn the_client_is_the_first_untrusted_hop_from_the_right() {
        // The client wrote the first entry itself: it must not be believed.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.0.3")]);
        let client = client_of(PROXY, &chain, &nets(&["10.0.0.0/24"]), false);
        assert_eq!(
            client.address,
            "198.51.100.7".parse::<IpAddr>().expect("ip")
        );
    }

    #[test]
    fn rfc_7239_forwarded_is_read_when_there_is_no_x_forwarded_for() {
        let forwarded = headers(&[(
            "forwarded",
            "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.0.0.3",
        )]);
        let client = client_of(PROXY, &forwarded, &nets(&["10.0.0.0/24"]), false);
        assert_eq!(
            client.address,
            "2001:db8:cafe::17".parse::<IpAddr>().expect("ip")
        );
        assert!(client.https);
    }

    #[test]
    fn an_ipv4_client_through_an_ipv6_socket_is_ipv4() {
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().expect("ip");
        let client = client_of(mapped, &HeaderMap::new(), &[], true);
        assert_eq!(client.address, "192.0.2.1".parse::<IpAddr>().expect("ip"));
        assert!(client.https);
    }
}
