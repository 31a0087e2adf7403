//! The `curator` command.

fn main() {
    println!("curator {}", env!("CARGO_PKG_VERSION"));
}
