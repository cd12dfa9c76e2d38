//! Slows down password guessing: failed logins are counted per username and per client
//! address over a sliding window; past the limit, logins are refused with 429 until the window
//! has moved on. Kept in memory: a restart forgets, which costs an attacker nothing they could
//! not get by waiting, and several app servers each keep their own count (see the README).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts allowed per username within the window.
pub const PER_USERNAME: usize = 5;
/// Failed attempts allowed per client address within the window (a whole office may share one
/// address behind NAT, so this is looser).
pub const PER_ADDRESS: usize = 30;
/// The window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Keys tracked at most; beyond this the stalest are forgotten, so a flood of made-up usernames
/// cannot exhaust memory.
const MAX_KEYS: usize = 50_000;

#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginThrottle {
    /// `Ok` when a login may be tried now, else the seconds to wait.
    ///
    /// # Errors
    /// The number of seconds until the oldest counted failure leaves the window.
    pub fn check(&self, username: &str, address: Option<&str>) -> Result<(), u64> {
        let now = Instant::now();
        let mut failures = self.lock();
        let mut wait = 0u64;
        for (key, limit) in keys(username, address) {
            if let Some(times) = failures.get_mut(&key) {
                prune(times, now);
                if times.len() >= limit {
                    let oldest = times.front().copied().unwrap_or(now);
                    let left = WINDOW.saturating_sub(now.duration_since(oldest));
                    wait = wait.max(left.as_secs().max(1));
                }
            }
        }
        if wait > 0 { Err(wait) } else { Ok(()) }
    }

    pub fn failed(&self, username: &str, address: Option<&str>) {
        let now = Instant::now();
        let mut failures = self.lock();
        if failures.len() >= MAX_KEYS {
            failures.retain(|_, times| {
                prune(times, now);
                !times.is_empty()
            });
            if failures.len() >= MAX_KEYS {
                failures.clear();
            }
        }
        for (key, _) in keys(username, address) {
            failures.entry(key).or_default().push_back(now);
        }
    }

    /// A successful login clears the username's failures (not the address's).
    pub fn succeeded(&self, username: &str) {
        self.lock().remove(&format!("u:{username}"));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        // A poisoned lock only means another request panicked while counting; the counts are
        // still usable.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn keys(username: &str, address: Option<&str>) -> Vec<(String, usize)> {
    let mut keys = vec![(format!("u:{username}"), PER_USERNAME)];
    if let Some(address) = address {
        keys.push((format!("a:{address}"), PER_ADDRESS));
    }
    keys
}

fn prune(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= WINDOW)
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_guess_for_a_username_is_refused_and_success_resets() {
        let throttle = LoginThrottle::default();
        for _ in 0..PER_USERNAME {
            assert_eq!(throttle.check("loc-an", Some("10.0.0.1")), Ok(()));
            throttle.failed("loc-an", Some("10.0.0.1"));
        }
        let wait = throttle
            .check("loc-an", Some("10.0.0.2"))
            .expect_err("throttled");
        assert!(wait > 0 && wait <= WINDOW.as_secs());
        assert_eq!(
            throttle.check("loc-bao", Some("10.0.0.2")),
            Ok(()),
            "other users are unaffected"
        );
        throttle.succeeded("loc-an");
        assert_eq!(throttle.check("loc-an", Some("10.0.0.2")), Ok(()));
    }

    #[test]
    fn one_address_guessing_many_usernames_is_refused() {
        let throttle = LoginThrottle::default();
        for i in 0..PER_ADDRESS {
            throttle.failed(&format!("user{i}"), Some("10.9.9.9"));
        }
        assert!(throttle.check("someone-new", Some("10.9.9.9")).is_err());
        assert_eq!(throttle.check("someone-new", Some("10.9.9.8")), Ok(()));
    }
}
