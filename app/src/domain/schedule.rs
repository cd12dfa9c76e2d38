//! When the browser's sync engine runs its next round: a pure function of how the last one
//! ended, so the policy is tested without a browser or a clock.
//!
//! A round pushes what is queued and pulls what is new. After it, the engine either goes again
//! at once (more to send, or a request came in meanwhile), waits and backs off (the network or
//! the server failed, or the server asked for some changes to be resent later), idles until the
//! periodic pull, or stops until the user logs in again. Back-off doubles from
//! [`BACKOFF_START_MS`] to [`BACKOFF_MAX_MS`] and starts over after a round that sent
//! everything it had.

/// Pull for others' changes this often while idle and online.
pub const IDLE_MS: u32 = 60_000;
/// The first wait after a failure.
pub const BACKOFF_START_MS: u32 = 2_000;
/// The longest wait.
pub const BACKOFF_MAX_MS: u32 = 300_000;

/// How a round ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Pushed and pulled. `unsent`: changes still queued that the server has not refused yet
    /// (more than one batch's worth, or typed during the round); `refused_for_now`: changes it
    /// asked to be resent later.
    Done { unsent: bool, refused_for_now: bool },
    /// The network or the server failed (or the device's storage did).
    Failed,
    /// The server no longer knows the session.
    NeedsLogin,
}

/// What to do next, and the back-off to keep for the round after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Next {
    /// Milliseconds until the next round, or `None` to wait for a login.
    pub delay_ms: Option<u32>,
    pub backoff_ms: u32,
}

/// The next round after `outcome`, with the current back-off, when a round was `requested`
/// while this one ran (an edit, the network coming back, "Đồng bộ ngay").
pub fn next(outcome: Outcome, backoff_ms: u32, requested: bool) -> Next {
    let doubled = backoff_ms
        .saturating_mul(2)
        .clamp(BACKOFF_START_MS, BACKOFF_MAX_MS);
    match outcome {
        Outcome::NeedsLogin => Next {
            delay_ms: None,
            backoff_ms,
        },
        Outcome::Failed => Next {
            delay_ms: Some(if requested { 0 } else { backoff_ms }),
            backoff_ms: doubled,
        },
        Outcome::Done { unsent: true, .. } => Next {
            delay_ms: Some(0),
            backoff_ms: BACKOFF_START_MS,
        },
        // Only changes the server asked to resend later: wait for them (not a tight loop of
        // rounds), longer each time, unless the user asked for a round.
        Outcome::Done {
            unsent: false,
            refused_for_now: true,
        } => Next {
            delay_ms: Some(if requested { 0 } else { backoff_ms }),
            backoff_ms: doubled,
        },
        Outcome::Done {
            unsent: false,
            refused_for_now: false,
        } => Next {
            delay_ms: Some(if requested { 0 } else { IDLE_MS }),
            backoff_ms: BACKOFF_START_MS,
        },
    }
}

/// The engine's state between rounds: whether one is running, whether another was asked for
/// meanwhile, and the back-off. One round runs at a time; asking during a round makes another
/// follow it at once, so no request is lost and none runs twice over itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheduler {
    running: bool,
    requested: bool,
    backoff_ms: u32,
}

impl Default for Scheduler {
    fn default() -> Self {
        Scheduler {
            running: false,
            requested: false,
            backoff_ms: BACKOFF_START_MS,
        }
    }
}

impl Scheduler {
    /// A round is due (its timer fired). `true`: start it now; `false`: one is running, and
    /// another will follow it.
    pub fn begin(&mut self) -> bool {
        if self.running {
            self.requested = true;
            return false;
        }
        self.running = true;
        true
    }

    /// The running round ended as `outcome`: milliseconds until the next one, or `None` to
    /// wait for a login.
    pub fn end(&mut self, outcome: Outcome) -> Option<u32> {
        let n = next(outcome, self.backoff_ms, self.requested);
        self.running = false;
        self.requested = false;
        self.backoff_ms = n.backoff_ms;
        n.delay_ms
    }

    /// The network came back: whatever failed before may work now, so the waits start over.
    pub fn online_again(&mut self) {
        self.backoff_ms = BACKOFF_START_MS;
    }

    pub fn is_running(&self) -> bool {
        self.running
    }

    /// The wait the next failure would get.
    pub fn backoff_ms(&self) -> u32 {
        self.backoff_ms
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    const DONE: Outcome = Outcome::Done {
        unsent: false,
        refused_for_now: false,
    };

    #[test]
    fn failures_back_off_doubling_to_the_ceiling_and_a_success_starts_over() {
        let mut backoff = BACKOFF_START_MS;
        let mut waits = Vec::new();
        for _ in 0..10 {
            let n = next(Outcome::Failed, backoff, false);
            waits.push(n.delay_ms.unwrap_or_default() / 1000);
            backoff = n.backoff_ms;
        }
        assert_eq!(waits, [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        let n = next(DONE, backoff, false);
        assert_eq!(n.delay_ms, Some(IDLE_MS));
        assert_eq!(n.backoff_ms, BACKOFF_START_MS);
    }

    #[test]
    fn changes_the_server_asked_to_resend_later_wait_instead_of_looping() {
        let later = Outcome::Done {
            unsent: false,
            refused_for_now: true,
        };
        let first = next(later, BACKOFF_START_MS, false);
        assert_eq!(first.delay_ms, Some(BACKOFF_START_MS));
        let second = next(later, first.backoff_ms, false);
        assert_eq!(
            second.delay_ms,
            Some(2 * BACKOFF_START_MS),
            "longer each time"
        );
        // More to send goes at once, whatever waits.
        let more = Outcome::Done {
            unsent: true,
            refused_for_now: true,
        };
        assert_eq!(next(more, second.backoff_ms, false).delay_ms, Some(0));
    }

    #[test]
    fn a_request_during_a_round_is_served_at_once_and_a_lost_session_waits_for_login() {
        assert_eq!(next(DONE, BACKOFF_START_MS, true).delay_ms, Some(0));
        assert_eq!(next(Outcome::Failed, 8_000, true).delay_ms, Some(0));
        assert_eq!(next(Outcome::NeedsLogin, 8_000, true).delay_ms, None);
        assert_eq!(next(Outcome::NeedsLogin, 8_000, true).backoff_ms, 8_000);
    }

    #[test]
    fn one_round_at_a_time_and_a_request_meanwhile_makes_another_follow_at_once() {
        let mut s = Scheduler::default();
        assert!(s.begin());
        assert!(s.is_running());
        // Two requests while it runs: one round follows, not two.
        assert!(!s.begin());
        assert!(!s.begin());
        assert_eq!(s.end(DONE), Some(0));
        assert!(!s.is_running());
        assert!(s.begin());
        assert_eq!(s.end(DONE), Some(IDLE_MS), "nothing asked for: idle");
    }

    #[test]
    fn the_scheduler_backs_off_across_failed_rounds_and_starts_over_when_online() {
        let mut s = Scheduler::default();
        let mut waits = Vec::new();
        for _ in 0..4 {
            assert!(s.begin());
            waits.push(s.end(Outcome::Failed));
        }
        assert_eq!(waits, [Some(2_000), Some(4_000), Some(8_000), Some(16_000)]);
        s.online_again();
        assert_eq!(s.backoff_ms(), BACKOFF_START_MS);
        assert!(s.begin());
        assert_eq!(s.end(Outcome::Failed), Some(BACKOFF_START_MS));
        assert!(s.begin());
        assert_eq!(s.end(Outcome::NeedsLogin), None);
        assert!(
            !s.is_running(),
            "a round waiting for a login is not running"
        );
    }
}
