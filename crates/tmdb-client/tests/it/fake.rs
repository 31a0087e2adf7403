//! The fake TMDb through the real client.
#![cfg(feature = "fake")]
