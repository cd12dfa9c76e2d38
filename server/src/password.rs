//! Password hashing with Argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes).
//!
//! Each hash takes 19 MiB and tens of milliseconds of a core. A hundred devices logging in at
//! once must not take 2 GB: [`verify_async`] and [`hash_async`] run at most one hash per core
//! at a time, off the async workers.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Hashes a password into a PHC string (`$argon2id$…`) that carries its own salt and cost.
///
/// # Errors
/// Only if the hasher refuses its input (a password over Argon2's 4 GiB limit).
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// A real Argon2 hash of a random password, checked against when a username does not exist so
/// that a wrong username costs the same time as a wrong password.
pub static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut random = [0u8; 16];
    let _ = getrandom::fill(&mut random);
    let secret: String = random.iter().map(|b| format!("{b:02x}")).collect();
    // Hashing a short ASCII string cannot fail; an empty string would verify nothing anyway.
    hash(&secret).unwrap_or_default()
});

/// Checks a password against a stored PHC string. A damaged hash counts as a mismatch.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// At most this many hashes run at once.
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        tokio::sync::Semaphore::new(cores.clamp(1, 4))
    })
}

/// Why a hashing task could not run.
#[derive(Debug, thiserror::Error)]
pub enum HashTaskError {
    #[error("password hashing task failed: {0}")]
    Task(String),
    #[error("password hashing failed: {0}")]
    Hash(argon2::password_hash::Error),
}

/// [`verify`], bounded and off the async workers.
///
/// # Errors
/// [`HashTaskError::Task`] if the blocking task could not run.
pub async fn verify_async(password: String, stored: String) -> Result<bool, HashTaskError> {
    let _slot = hashing_slots()
        .acquire()
        .await
        .map_err(|e| HashTaskError::Task(e.to_string()))?;
    tokio::task::spawn_blocking(move || verify(&password, &stored))
        .await
        .map_err(|e| HashTaskError::Task(e.to_string()))
}

/// [`hash`], bounded and off the async workers.
///
/// # Errors
/// [`HashTaskError`] if the task could not run or the hasher refused the input.
pub async fn hash_async(password: String) -> Result<String, HashTaskError> {
    let _slot = hashing_slots()
        .acquire()
        .await
        .map_err(|e| HashTaskError::Task(e.to_string()))?;
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| HashTaskError::Task(e.to_string()))?
        .map_err(HashTaskError::Hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_own_password_only() {
        let stored = hash("mật khẩu đúng").expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("mật khẩu đúng", &stored));
        assert!(!verify("mật khẩu sai", &stored));
        assert!(!verify("mật khẩu đúng", "not a phc string"));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        assert_ne!(hash("x").expect("hash"), hash("x").expect("hash"));
    }
}
