//! Slows down password guessing without letting a stranger lock an owner out.
//!
//! Failed logins are counted over a sliding window under three keys: the account *from one
//! address* (tight: a stranger's guesses slow the stranger, while the owner, on their own
//! device, logs in as usual), the address (looser: a whole office may share one behind NAT),
//! and the account from anywhere (a high ceiling, reached only by guessing spread over many
//! addresses). Past a limit, logins are refused with 429 until the window has moved on.
//! Kept in memory: a restart forgets, which costs an attacker nothing they could not get by
//! waiting, and several app servers each keep their own count (see the README).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts allowed for one account from one address within the window.
pub const PER_ACCOUNT_AND_ADDRESS: usize = 5;
/// Failed attempts allowed from one address within the window, whatever the accounts.
pub const PER_ADDRESS: usize = 30;
/// Failed attempts allowed for one account from all addresses together within the window:
/// high, so that a stranger must guess from a great many addresses to inconvenience the owner.
pub const PER_ACCOUNT: usize = 100;
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
        self.check_at(username, address, Instant::now())
    }

    /// [`LoginThrottle::check`] at a given instant.
    ///
    /// # Errors
    /// As [`LoginThrottle::check`].
    pub fn check_at(&self, username: &str, address: Option<&str>, now: Instant) -> Result<(), u64> {
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
        self.failed_at(username, address, Instant::now());
    }

    /// [`LoginThrottle::failed`] at a given instant.
    pub fn failed_at(&self, username: &str, address: Option<&str>, now: Instant) {
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

    /// A successful login clears the account's failures from that address (the owner's own
    /// mistypes), not those from elsewhere nor the address's.
    pub fn succeeded(&self, username: &str, address: Option<&str>) {
        self.lock().remove(&pair_key(username, address));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        // A poisoned lock only means another request panicked while counting; the counts are
        // still usable.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn pair_key(username: &str, address: Option<&str>) -> String {
    format!("p:{}\u{0}{username}", address.unwrap_or("-"))
}

fn keys(username: &str, address: Option<&str>) -> Vec<(String, usize)> {
    let mut keys = vec![
        (pair_key(username, address), PER_ACCOUNT_AND_ADDRESS),
        (format!("u:{username}"), PER_ACCOUNT),
    ];
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

    const STRANGER: Option<&str> = Some("203.0.113.7");
    const OWNER: Option<&str> = Some("10.0.0.1");

    #[test]
    fn a_strangers_guesses_slow_the_stranger_not_the_owner() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..PER_ACCOUNT_AND_ADDRESS {
            assert_eq!(throttle.check_at("ban-to-chuc", STRANGER, now), Ok(()));
            throttle.failed_at("ban-to-chuc", STRANGER, now);
        }
        let wait = throttle
            .check_at("ban-to-chuc", STRANGER, now)
            .expect_err("the stranger waits");
        assert!(wait > 0 && wait <= WINDOW.as_secs());
        assert_eq!(
            throttle.check_at("ban-to-chuc", OWNER, now),
            Ok(()),
            "the owner on their own device logs in as usual"
        );
        assert_eq!(throttle.check_at("loc-bao", STRANGER, now), Ok(()));
        // The window moves on.
        assert_eq!(
            throttle.check_at("ban-to-chuc", STRANGER, now + WINDOW),
            Ok(())
        );
    }

    #[test]
    fn the_owners_own_mistypes_are_forgiven_by_a_success() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..PER_ACCOUNT_AND_ADDRESS {
            throttle.failed_at("loc-an", OWNER, now);
        }
        assert!(throttle.check_at("loc-an", OWNER, now).is_err());
        throttle.succeeded("loc-an", OWNER);
        assert_eq!(throttle.check_at("loc-an", OWNER, now), Ok(()));
    }

    #[test]
    fn one_address_guessing_many_usernames_is_refused() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..PER_ADDRESS {
            throttle.failed_at(&format!("user{i}"), Some("10.9.9.9"), now);
        }
        assert!(
            throttle
                .check_at("someone-new", Some("10.9.9.9"), now)
                .is_err()
        );
        assert_eq!(
            throttle.check_at("someone-new", Some("10.9.9.8"), now),
            Ok(())
        );
    }

    #[test]
    fn guessing_one_account_from_many_addresses_meets_the_high_ceiling() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..PER_ACCOUNT - 1 {
            throttle.failed_at("loc-an", Some(&format!("198.51.100.{i}")), now);
        }
        assert_eq!(throttle.check_at("loc-an", OWNER, now), Ok(()));
        throttle.failed_at("loc-an", Some("198.51.100.250"), now);
        assert!(throttle.check_at("loc-an", OWNER, now).is_err());
    }
}
