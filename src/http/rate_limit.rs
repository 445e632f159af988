//! Throttling token guesses: a token bucket of failed authentications per client address.
//!
//! Each unknown or revoked token costs its client one unit; the bucket holds a minute's
//! allowance and refills steadily. An empty bucket answers 429 to *every* authenticated
//! request from that client, a right guess included, so a brute force cannot go faster than
//! the allowance. IPv6 clients are counted per /64, the block one subscriber usually gets.
//! The state is per process and in memory: with several nodes the allowance is per node.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;

/// The most client addresses tracked at once; beyond it, refilled buckets are forgotten
/// first, so an attacker spraying addresses cannot grow the map without bound.
const MAX_TRACKED: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Failed-authentication buckets, keyed by client address.
#[derive(Debug)]
pub struct FailureLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

/// The outcome of recording a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Still within the allowance.
    Counted,
    /// This failure used the last of the allowance: the client is now throttled.
    Exhausted,
}

impl FailureLimiter {
    /// `per_minute == 0` turns throttling off.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn rate_per_second(&self) -> f64 {
        f64::from(self.per_minute) / 60.0
    }

    fn refilled(&self, bucket: Bucket, now: Instant) -> Bucket {
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        let tokens =
            (bucket.tokens + elapsed * self.rate_per_second()).min(f64::from(self.per_minute));
        Bucket {
            tokens,
            updated: now,
        }
    }

    /// `Err(wait)` while `client` is throttled: how long until it may try again.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let now = Instant::now();
        let buckets = self.buckets.lock().expect("rate limit lock");
        let Some(bucket) = buckets.get(&key(client)) else {
            return Ok(());
        };
        let bucket = self.refilled(*bucket, now);
        if bucket.tokens >= 1.0 {
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / self.rate_per_second();
            Err(Duration::from_secs_f64(wait.max(1.0)))
        }
    }

    /// Counts one failed authentication from `client`.
    pub fn record_failure(&self, client: IpAddr) -> Failure {
        if self.per_minute == 0 {
            return Failure::Counted;
        }
        let now = Instant::now();
        let mut buckets = self.buckets.lock().expect("rate limit lock");
        if buckets.len() >= MAX_TRACKED && !buckets.contains_key(&key(client)) {
            let full = f64::from(self.per_minute);
            buckets.retain(|_, b| self.refilled(*b, now).tokens < full);
            if buckets.len() >= MAX_TRACKED {
                tracing::warn!(
                    tracked = buckets.len(),
                    "too many throttled clients; forgetting them all"
                );
                buckets.clear();
            }
        }
        let fresh = Bucket {
            tokens: f64::from(self.per_minute),
            updated: now,
        };
        let entry = buckets.entry(key(client)).or_insert(fresh);
        let mut bucket = self.refilled(*entry, now);
        bucket.tokens -= 1.0;
        *entry = bucket;
        if bucket.tokens < 1.0 {
            Failure::Exhausted
        } else {
            Failure::Counted
        }
    }
}

/// IPv4 addresses as they are; IPv6 addresses cut to their /64.
fn key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
    }
}

/// The client's address: the TCP peer, or — when the peer is a trusted reverse proxy — the
/// last address the proxy appended to `X-Forwarded-For` (earlier entries are client-written
/// and could be forged).
pub fn client_address(request: &HttpRequest, trusted_proxies: &[IpAddr]) -> IpAddr {
    let peer = request
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .next_back()
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_throttled_after_its_allowance_and_others_are_not() {
        let limiter = FailureLimiter::new(3);
        let guesser: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(limiter.record_failure(guesser), Failure::Counted);
        assert_eq!(limiter.record_failure(guesser), Failure::Counted);
        assert!(limiter.check(guesser).is_ok());
        assert_eq!(limiter.record_failure(guesser), Failure::Exhausted);
        let wait = limiter.check(guesser).unwrap_err();
        assert!(
            wait >= Duration::from_secs(1) && wait <= Duration::from_secs(21),
            "{wait:?}"
        );
        assert!(limiter.check(other).is_ok());
    }

    #[test]
    fn ipv6_clients_share_their_slash_64() {
        let limiter = FailureLimiter::new(1);
        limiter.record_failure("2001:db8::1".parse().unwrap());
        assert!(limiter.check("2001:db8::ffff".parse().unwrap()).is_err());
        assert!(limiter.check("2001:db8:0:1::1".parse().unwrap()).is_ok());
    }

    #[test]
    fn zero_turns_throttling_off() {
        let limiter = FailureLimiter::new(0);
        let client: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..100 {
            limiter.record_failure(client);
        }
        assert!(limiter.check(client).is_ok());
    }
}
