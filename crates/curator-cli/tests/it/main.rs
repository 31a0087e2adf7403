//! Runs the built `curator` binary against the fake Plex, Radarr, TMDb and
//! LLM servers started in the test process.

mod commands;
mod container;
mod crash;
mod faults;
mod migrate;
mod notify;
mod proxy;
mod run;
mod seerr;
mod serve;
mod support;
mod tv;
