//! Huawei Cloud plumbing for the IMS backend: IAM tokens and their on-disk
//! cache, the project look-up, token or AK/SK authenticated REST calls, and
//! the cloud's error shapes.

pub mod api;
pub mod auth;
pub mod cache;
pub mod errors;
pub mod ims;
