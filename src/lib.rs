//! imgctl: one command-line client for the life cycle of VM images on
//! Alibaba Cloud ENS and ECS, AWS EC2 and Huawei Cloud IMS.

pub mod backend;
pub mod cache;
pub mod cli;
pub mod cloud;
pub mod config;
pub mod config_write;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod error;
#[doc(hidden)]
pub mod fuzz;
pub mod ops;
pub mod output;
pub mod provider;
pub mod refresh;
pub mod secret;
pub mod sign;
pub mod transport;
pub mod vocab;
pub mod wait;

pub use cli::main_entry;
