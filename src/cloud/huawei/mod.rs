//! Huawei Cloud plumbing for the IMS backend: IAM tokens (cached on disk
//! through `crate::cache`), the project look-up, token or AK/SK authenticated REST calls, and
//! the cloud's error shapes.

pub mod api;
pub mod auth;
pub mod credentials;
pub mod errors;
pub mod ims;
