//! The Backend trait every cloud implements, and what a backend gets to
//! work with. It names no cloud: choosing one is `cloud::select`.

use crate::error::Result;
use crate::ops::{
    CopyImage, CreateImage, DeleteImage, ImportImage, ListImages, ModifyImage, Outcome, PollState,
    WaitTarget,
};

/// What every provider implements. Requests arrive validated; a backend
/// maps them to its wire format, sends them through the shared transport
/// and maps the answer back to an [`Outcome`].
#[allow(async_fn_in_trait)] // one current-thread runtime: no Send bound wanted
pub trait Backend {
    async fn create(&mut self, req: &CreateImage) -> Result<Outcome>;
    async fn import(&mut self, req: &ImportImage) -> Result<Outcome>;
    async fn modify(&mut self, req: &ModifyImage) -> Result<Outcome>;
    async fn describe(&mut self, image_id: &str) -> Result<Outcome>;
    /// The caller's own images, every page up to the request's limit.
    async fn list(&mut self, req: &ListImages) -> Result<Outcome>;
    async fn delete(&mut self, req: &DeleteImage) -> Result<Outcome>;
    /// Copies to another region. Afterwards the backend polls in the
    /// destination, so that a wait follows the new image there.
    async fn copy(&mut self, req: &CopyImage) -> Result<Outcome>;
    /// One observation for the shared waiter.
    async fn poll(&mut self, target: &WaitTarget) -> Result<PollState>;
}

/// What a backend gets to work with.
pub struct Ctx {
    pub settings: crate::config::Settings,
    pub transport: crate::transport::Transport,
    /// `--dry-run`: server-side DryRun where the cloud has one, otherwise
    /// sign and show the request (with --debug) without sending it.
    pub dry_run: bool,
    /// `--raw`: keep the provider's own response in the outcome.
    pub raw: bool,
    /// Where credential caches live (`config::cache_dir`, or a temporary
    /// directory for `--emulator` runs); `None`: no cache.
    pub cache_dir: Option<std::path::PathBuf>,
}
