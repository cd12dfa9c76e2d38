//! Persistence: opening the database, the entities (generated shapes of the tables), the row
//! mappers between rows and domain records, the change sequence and the audit log. It imports
//! nothing above it; its errors say what went wrong with the data, and the HTTP layer decides
//! what a caller is told.

pub mod audit;
pub mod campaigns;
pub mod db;
pub mod entities;
pub mod records;
pub mod seq;
pub mod units;

/// What reading stored records can run into.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    /// A stored row does not read back as what it should hold.
    #[error("{0}")]
    Corrupt(String),
    /// A row the caller expected is not there (the name of what is missing, in Vietnamese).
    #[error("không có {0}")]
    NotFound(&'static str),
}
