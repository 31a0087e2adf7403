//! `curator demo`: the whole pipeline against built-in fake servers.

use crate::cli::{DemoArgs, Global};
use crate::error::{Done, Failure};

pub(crate) async fn demo(_global: &Global, _args: &DemoArgs) -> Result<Done, Failure> {
    Err(Failure::Fatal("the demo is not ready yet".into()))
}
