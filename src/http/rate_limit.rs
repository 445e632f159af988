//! Throttling, with `governor`'s keyed GCRA limiters: failed authentications per client
//! address, and writes per member.
//!
//! Each unknown or revoked token costs its client one unit of a minute's allowance, which
//! refills steadily. An exhausted client gets 429 on *every* authenticated request, a right
//! guess included, so a brute force cannot go faster than the allowance. Addresses are
//! canonical (an IPv4-mapped IPv6 peer is its IPv4 address); IPv6 clients are counted per
//! /64, the block one subscriber usually gets. Writes are counted per member, so one member
//! cannot hold the database's write lock for everyone. The state is per process and in
//! memory (with several nodes the allowance is per node); `forget_idle`, run periodically,
//! drops the keys whose allowance is full again, so memory stays bounded.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::StateStore;
use governor::state::keyed::{DashMapStateStore, ShrinkableKeyedStateStore};
use governor::{Quota, RateLimiter};

/// A keyed governor limiter without middleware.
type Keyed<K, S, C> = RateLimiter<K, S, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// The failure limiter's key: a client, and whether this call counts a failure or only asks
/// whether one more would still be allowed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Probe {
    client: IpAddr,
    counts: bool,
}

/// governor's DashMap store, keyed by client, behind a key that can also ask without
/// counting: governor has no such check, and "is this client throttled?", asked on every
/// authenticated request, must not spend the allowance that only failures spend.
#[derive(Default)]
struct Failures(DashMapStateStore<IpAddr>);

impl StateStore for Failures {
    type Key = Probe;

    fn measure_and_replace<T, F, E>(&self, probe: &Probe, decide: F) -> Result<T, E>
    where
        F: Fn(Option<Nanos>) -> Result<(T, Nanos), E>,
    {
        if probe.counts {
            return self.0.measure_and_replace(&probe.client, decide);
        }
        if !self.0.contains_key(&probe.client) {
            return decide(None).map(|(outcome, _)| outcome);
        }
        // The decision leaves as the error, so the store never takes the new state.
        let asked = self.0.measure_and_replace(&probe.client, |state| {
            Err::<(Infallible, Nanos), _>(decide(state).map(|(outcome, _)| outcome))
        });
        match asked {
            Ok(never) => match never {},
            Err(decision) => decision,
        }
    }
}

impl ShrinkableKeyedStateStore<Probe> for Failures {
    fn retain_recent(&self, drop_below: Nanos) {
        ShrinkableKeyedStateStore::<IpAddr>::retain_recent(&self.0, drop_below);
    }

    fn shrink_to_fit(&self) {
        ShrinkableKeyedStateStore::<IpAddr>::shrink_to_fit(&self.0);
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Failed-authentication allowances, keyed by client address.
pub struct FailureLimiter<C: Clock = DefaultClock> {
    limiter: Option<Keyed<Probe, Failures, C>>,
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
        Self::with_clock(per_minute, DefaultClock::default())
    }
}

impl<C: Clock> FailureLimiter<C> {
    fn with_clock(per_minute: u32, clock: C) -> Self {
        let limiter = NonZeroU32::new(per_minute)
            .map(|n| RateLimiter::new(Quota::per_minute(n), Failures::default(), clock));
        Self { limiter }
    }

    /// `Err(wait)` while `client` is throttled: how long until it may try again.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        let probe = Probe {
            client: key(client),
            counts: false,
        };
        limiter
            .check_key(&probe)
            .map_err(|refused| retry_after(refused.wait_time_from(limiter.clock().now())))
    }

    /// Counts one failed authentication from `client`.
    pub fn record_failure(&self, client: IpAddr) -> Failure {
        let Some(limiter) = &self.limiter else {
            return Failure::Counted;
        };
        let counted = limiter.check_key(&Probe {
            client: key(client),
            counts: true,
        });
        if counted.is_err() || self.check(client).is_err() {
            Failure::Exhausted
        } else {
            Failure::Counted
        }
    }

    /// Drops the clients whose allowance is full again: they are no different from clients
    /// never seen. Run periodically, so that sprayed addresses cannot grow memory for long.
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.limiter.as_ref().map_or(0, RateLimiter::len)
    }
}

/// Writes allowed per member.
pub struct WriteLimiter<C: Clock = DefaultClock> {
    limiter: Option<Keyed<String, DashMapStateStore<String>, C>>,
}

impl WriteLimiter {
    /// `per_minute == 0` turns the limit off.
    pub fn new(per_minute: u32) -> Self {
        Self::with_clock(per_minute, DefaultClock::default())
    }
}

impl<C: Clock> WriteLimiter<C> {
    fn with_clock(per_minute: u32, clock: C) -> Self {
        let limiter = NonZeroU32::new(per_minute)
            .map(|n| RateLimiter::dashmap_with_clock(Quota::per_minute(n), clock));
        Self { limiter }
    }

    /// Counts one write by `member`; `Err(wait)` once its allowance is spent.
    pub fn record_write(&self, member: &str) -> Result<(), Duration> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        limiter
            .check_key(&member.to_string())
            .map_err(|refused| retry_after(refused.wait_time_from(limiter.clock().now())))
    }

    /// Drops the members whose allowance is full again.
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// Whole seconds, at least one: what `Retry-After` can say.
fn retry_after(wait: Duration) -> Duration {
    Duration::from_secs(wait.as_secs_f64().ceil().max(1.0) as u64)
}

/// IPv4 addresses as they are; IPv6 addresses cut to their /64 (after canonicalisation, so
/// IPv4 clients of a dual-stack listener are not all one IPv6 /64).
fn key(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
    }
}

/// The client's address, canonical: the TCP peer, or — when the peer is a trusted reverse
/// proxy — the last `X-Forwarded-For` entry, the one the proxy appended. Earlier entries are
/// client-written and could be forged, so if the last one does not parse, the peer is used.
pub fn client_address(request: &HttpRequest, trusted_proxies: &[IpAddr]) -> IpAddr {
    let peer = request
        .peer_addr()
        .map(|a| a.ip().to_canonical())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if !trusted_proxies.iter().any(|p| p.to_canonical() == peer) {
        return peer;
    }
    appended_by_proxy(request).unwrap_or(peer)
}

/// The last entry of the last `X-Forwarded-For` header, if it is an address (some proxies
/// add a port).
fn appended_by_proxy(request: &HttpRequest) -> Option<IpAddr> {
    let header = request.headers().get_all("x-forwarded-for").last()?;
    let entry = header.to_str().ok()?.rsplit(',').next()?.trim();
    let address = entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|a| a.ip()))
        .ok()?;
    Some(address.to_canonical())
}

#[cfg(test)]
mod tests;
