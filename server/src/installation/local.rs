//! Whether a client is on the box's own network: loopback, the private IPv4 ranges, link-local,
//! and IPv6 unique-local addresses. The installation page answers no one else, so that a box
//! reachable from the Internet before it is installed cannot be taken over from there.

use std::net::{IpAddr, Ipv6Addr};

pub fn is_local(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_local(IpAddr::V4(v4)),
            None => v6.is_loopback() || unique_local(v6) || link_local(v6),
        },
    }
}

/// fc00::/7
fn unique_local(address: Ipv6Addr) -> bool {
    address.segments()[0] & 0xfe00 == 0xfc00
}

/// fe80::/10
fn link_local(address: Ipv6Addr) -> bool {
    address.segments()[0] & 0xffc0 == 0xfe80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_school_network_is_local_and_the_internet_is_not() {
        for local in [
            "127.0.0.1",
            "10.12.0.7",
            "172.16.4.2",
            "192.168.1.20",
            "169.254.3.3",
            "::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:192.168.1.20",
        ] {
            assert!(is_local(local.parse().expect("address")), "{local}");
        }
        for remote in [
            "8.8.8.8",
            "172.32.0.1",
            "193.51.24.1",
            "2a01:e0a::1",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_local(remote.parse().expect("address")), "{remote}");
        }
    }
}
