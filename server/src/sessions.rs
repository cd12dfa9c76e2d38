//! Who is logged in: the session's user, the cache of checked sessions, and how a session
//! token becomes its database key. Plain code: the HTTP layer reads the cookie and calls this.
//!
//! A session is a random 256-bit token in an HttpOnly, SameSite=Strict cookie. The database
//! keeps only an HMAC of it (keyed with `TAONGUON_SESSION_SECRET`), so a copy of the database
//! does not let anyone log in. Sessions last 30 days and slide with use: a unit that works a week
//! offline is still logged in when it comes back.

use app::domain::wire::Me;
use app::domain::{Role, Roles};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use uuid::Uuid;

/// How long a session lives without being used.
pub const SESSION_DAYS: i64 = 30;
/// A session's expiry is pushed forward at most this often, to spare a write per request.
pub const SLIDE_EVERY_MINUTES: i64 = 60;
/// Longest username and password accepted (Argon2 would hash a megabyte; we do not).
pub const MAX_USERNAME: usize = 64;
pub const MAX_PASSWORD: usize = 256;

/// The logged-in user of a request.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub roles: Roles,
    /// The unit the user works at: whose plans it fills (editor), whose direct subordinates
    /// it reviews (reviewer), whose subtree it manages (administrator).
    pub unit_id: Option<Uuid>,
    /// The unit above the user's: the committee that reviews its unit's plans.
    pub parent_id: Option<Uuid>,
}

impl AuthUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.has(role)
    }

    /// The unit whose campaigns this user sees: its own if it reviews, else the one above.
    pub fn reviewing_unit(&self) -> Option<Uuid> {
        if self.has(Role::Reviewer) {
            self.unit_id
        } else {
            self.parent_id
        }
    }

    pub fn me(&self, unit_name: Option<String>) -> Me {
        Me {
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.roles.primary().unwrap_or(Role::Editor),
            roles: self.roles.clone(),
            unit_id: self.unit_id,
            unit_name,
            campaigns_of: self.reviewing_unit(),
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

/// How long a checked session is trusted without asking the database again.
const CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(30);
/// Most sessions remembered; beyond this the cache starts over.
const CACHE_MAX: usize = 20_000;

/// Recently checked sessions, so that most requests skip the three database reads of a
/// session check. Logging out and resetting a password on this server take effect at once; a
/// session ended elsewhere (another app server, `tao-nguon reset-password`) stops working
/// within [`CACHE_TTL`].
#[derive(Default)]
pub struct SessionCache {
    entries: std::sync::Mutex<std::collections::HashMap<String, (AuthUser, std::time::Instant)>>,
}

impl SessionCache {
    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, (AuthUser, std::time::Instant)>>
    {
        // A poisoned lock means a panic elsewhere mid-update of a plain map: still usable.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn get(&self, id: &str) -> Option<AuthUser> {
        let entries = self.lock();
        entries
            .get(id)
            .filter(|(_, at)| at.elapsed() < CACHE_TTL)
            .map(|(user, _)| user.clone())
    }

    pub fn put(&self, id: String, user: AuthUser) {
        let mut entries = self.lock();
        if entries.len() >= CACHE_MAX {
            entries.clear();
        }
        entries.insert(id, (user, std::time::Instant::now()));
    }

    pub fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    /// Forgets every session of a user (password reset, account disabled).
    pub fn remove_user(&self, user_id: Uuid) {
        self.lock().retain(|_, (user, _)| user.id != user_id);
    }
}

/// A session key or token could not be made (the system's randomness or the HMAC key failed).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SessionError(pub String);

/// The database key of a session token.
pub fn session_id(secret: &[u8], token: &str) -> Result<String, SessionError> {
    let mut mac = HmacSha256::new_from_slice(secret)
        .map_err(|e| SessionError(format!("session HMAC key: {e}")))?;
    mac.update(token.as_bytes());
    Ok(mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

pub fn new_token() -> Result<String, SessionError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| SessionError(format!("random token: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_session_key_is_not_the_token() {
        let token = new_token().expect("token");
        let id = session_id(b"0123456789abcdef0123456789abcdef", &token).expect("id");
        assert_ne!(id, token);
        assert_eq!(id.len(), 64);
        let other = session_id(b"another secret another secret!!!", &token).expect("id");
        assert_ne!(id, other, "the key depends on the secret");
    }
}
