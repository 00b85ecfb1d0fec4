//! `audcheck targets`: list the targets.

use super::{Exit, Failure};

pub fn targets() -> Result<Exit, Failure> {
    println!("{:<36} {:<16} {:<10} {:<10} transport", "name", "library", "version", "language");
    for t in audcheck::target::shipped() {
        let id = t.identity();
        println!("{:<36} {:<16} {:<10} {:<10} {}", id.name, id.library, id.version, id.language, id.transport);
    }
    Ok(Exit::Conformant)
}
