use actix_web::test::TestRequest;
use governor::clock::FakeRelativeClock;

use super::*;

fn address(text: &str) -> IpAddr {
    text.parse().unwrap()
}

#[test]
fn a_client_is_throttled_after_its_allowance_and_others_are_not() {
    let limiter = FailureLimiter::new(3);
    let guesser = address("10.0.0.1");
    assert_eq!(limiter.record_failure(guesser), Failure::Counted);
    assert_eq!(limiter.record_failure(guesser), Failure::Counted);
    assert!(limiter.check(guesser).is_ok());
    assert_eq!(limiter.record_failure(guesser), Failure::Exhausted);
    let wait = limiter.check(guesser).unwrap_err();
    assert!(
        wait >= Duration::from_secs(1) && wait <= Duration::from_secs(21),
        "{wait:?}"
    );
    assert!(limiter.check(address("10.0.0.2")).is_ok());
}

#[test]
fn asking_does_not_spend_the_allowance() {
    let limiter = FailureLimiter::new(2);
    let client = address("10.0.0.1");
    for _ in 0..100 {
        assert!(limiter.check(client).is_ok());
    }
    assert_eq!(limiter.record_failure(client), Failure::Counted);
    assert_eq!(limiter.tracked(), 1, "asking alone tracks nobody");
}

#[test]
fn the_allowance_refills_and_refilled_clients_are_forgotten() {
    let clock = FakeRelativeClock::default();
    let limiter = FailureLimiter::with_clock(2, clock.clone());
    for i in 0..1000u32 {
        limiter.record_failure(IpAddr::from(i.to_be_bytes()));
    }
    let client = IpAddr::from(7u32.to_be_bytes());
    limiter.record_failure(client);
    assert!(limiter.check(client).is_err());
    clock.advance(Duration::from_secs(30));
    assert!(
        limiter.check(client).is_ok(),
        "one failure's worth came back"
    );
    clock.advance(Duration::from_secs(31));
    limiter.forget_idle();
    assert_eq!(limiter.tracked(), 1, "only the client still short is kept");
    clock.advance(Duration::from_secs(60));
    limiter.forget_idle();
    assert_eq!(limiter.tracked(), 0);
}

#[test]
fn ipv6_clients_share_their_slash_64() {
    let limiter = FailureLimiter::new(1);
    limiter.record_failure(address("2001:db8::1"));
    assert!(limiter.check(address("2001:db8::ffff")).is_err());
    assert!(limiter.check(address("2001:db8:0:1::1")).is_ok());
}

#[test]
fn ipv4_mapped_clients_are_keyed_as_ipv4() {
    let limiter = FailureLimiter::new(1);
    limiter.record_failure(address("::ffff:10.0.0.1"));
    assert!(limiter.check(address("10.0.0.1")).is_err());
    assert!(limiter.check(address("::ffff:10.0.0.2")).is_ok());
}

#[test]
fn zero_turns_throttling_off() {
    let limiter = FailureLimiter::new(0);
    let client = address("10.0.0.1");
    for _ in 0..100 {
        limiter.record_failure(client);
    }
    assert!(limiter.check(client).is_ok());
}

#[test]
fn writes_are_limited_per_member() {
    let clock = FakeRelativeClock::default();
    let limiter = WriteLimiter::with_clock(3, clock.clone());
    for _ in 0..3 {
        assert!(limiter.record_write("sec").is_ok());
    }
    let wait = limiter.record_write("sec").unwrap_err();
    assert_eq!(wait, Duration::from_secs(20));
    assert!(limiter.record_write("m-irica").is_ok());
    clock.advance(Duration::from_secs(20));
    assert!(limiter.record_write("sec").is_ok());
    assert!(WriteLimiter::new(0).record_write("sec").is_ok());
}

fn from(peer: &str, forwarded: &[&str]) -> HttpRequest {
    let mut request = TestRequest::default().peer_addr(peer.parse().unwrap());
    for value in forwarded {
        request = request.append_header(("x-forwarded-for", *value));
    }
    request.to_http_request()
}

#[test]
fn an_ipv4_mapped_peer_is_its_ipv4_address() {
    let request = from("[::ffff:198.51.100.7]:4000", &[]);
    assert_eq!(client_address(&request, &[]), address("198.51.100.7"));
}

#[test]
fn a_trusted_proxy_is_recognised_behind_an_ipv4_mapped_peer() {
    let proxy = [address("127.0.0.1")];
    let request = from("[::ffff:127.0.0.1]:4000", &["203.0.113.5"]);
    assert_eq!(client_address(&request, &proxy), address("203.0.113.5"));
    let mapped_proxy = [address("::ffff:127.0.0.1")];
    let request = from("127.0.0.1:4000", &["::ffff:203.0.113.6"]);
    assert_eq!(
        client_address(&request, &mapped_proxy),
        address("203.0.113.6")
    );
}

#[test]
fn the_proxy_appended_entry_counts_and_nothing_before_it() {
    let proxy = [address("127.0.0.1")];
    let client = |forwarded: &[&str]| client_address(&from("127.0.0.1:4000", forwarded), &proxy);
    assert_eq!(client(&["10.9.9.9, 203.0.113.5"]), address("203.0.113.5"));
    assert_eq!(client(&["10.9.9.9", "203.0.113.5"]), address("203.0.113.5"));
    assert_eq!(client(&["203.0.113.5:8443"]), address("203.0.113.5"));
    // An unparsable last entry falls back to the peer, never to a client-written entry.
    assert_eq!(client(&["10.9.9.9, not-an-address"]), address("127.0.0.1"));
    assert_eq!(client(&["10.9.9.9", ""]), address("127.0.0.1"));
    assert_eq!(client(&[]), address("127.0.0.1"));
}

#[test]
fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
    let request = from("192.0.2.1:4000", &["203.0.113.5"]);
    assert_eq!(
        client_address(&request, &[address("127.0.0.1")]),
        address("192.0.2.1")
    );
}
