//! The port a started service listens on. audcheck picks a free one and hands it over in
//! AUDCHECK_PORT; between the pick and the service's bind, another process may take it (a
//! service of another target starting, a connection's local port). A service that then
//! fails to bind exits and is started again on another port; but one still starting up
//! would find its ready path answered by whoever holds the port, and be sent its cases
//! there. So no port is handed to two instances at once, and an instance is ready only
//! once its own processes are what listens on its port.

use std::collections::BTreeSet;
use std::io;
use std::net::TcpListener;
use std::sync::Mutex;

/// Ports handed to instances that are starting or running.
static HANDED: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());

/// A port handed to one instance, free to hand out again once dropped.
#[derive(Debug)]
pub(super) struct Port(u16);

impl Port {
    /// A loopback port nobody listens on now, and not handed to another instance.
    pub(super) fn free() -> io::Result<Port> {
        loop {
            let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
            if HANDED.lock().unwrap_or_else(|p| p.into_inner()).insert(port) {
                return Ok(Port(port));
            }
        }
    }

    pub(super) fn number(&self) -> u16 {
        self.0
    }
}

impl Drop for Port {
    fn drop(&mut self) {
        HANDED.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.0);
    }
}

/// Whether another process listens on `port`: `Some(true)` when a socket listening there
/// belongs to no process of the process group `pgid`, `Some(false)` when every one does,
/// `None` when /proc cannot tell (not Linux, no listener seen, or a process of the group
/// audcheck may not look into).
#[cfg(target_os = "linux")]
pub(super) fn held_by_another(port: u16, pgid: i32) -> Option<bool> {
    use procfs::process::{Process, all_processes};
    let listening = listeners(port);
    if listening.is_empty() {
        return None;
    }
    // Most often the leader or a process it started holds the socket: those are looked at
    // first, and every process (for the rest of the group) only when they do not.
    let mut held = BTreeSet::new();
    let mut family = vec![pgid];
    while let Some(pid) = family.pop() {
        let Ok(process) = Process::new(pid) else { continue };
        // A process it started in a group of its own is another process.
        if !in_group(&process, pgid) {
            continue;
        }
        sockets(&process, &mut held)?;
        let children = process.task_main_thread().and_then(|t| t.children()).unwrap_or_default();
        family.extend(children.into_iter().map(|c| c as i32));
    }
    if listening.is_subset(&held) {
        return Some(false);
    }
    for process in all_processes().ok()?.flatten() {
        if in_group(&process, pgid) {
            sockets(&process, &mut held)?;
        }
    }
    Some(!listening.is_subset(&held))
}

#[cfg(target_os = "linux")]
fn in_group(process: &procfs::process::Process, pgid: i32) -> bool {
    process.stat().is_ok_and(|s| s.pgrp == pgid)
}

/// Adds the inodes of the sockets `process` holds; `None` when audcheck may not look.
#[cfg(target_os = "linux")]
fn sockets(process: &procfs::process::Process, held: &mut BTreeSet<u64>) -> Option<()> {
    for fd in process.fd().ok()?.flatten() {
        if let procfs::process::FDTarget::Socket(inode) = fd.target {
            held.insert(inode);
        }
    }
    Some(())
}

/// The inodes of the TCP sockets listening on `port`. The kernel lists listening sockets
/// before all others (often a thousand in TIME_WAIT here, slow to list): reading stops at
/// the first that is not listening.
#[cfg(target_os = "linux")]
fn listeners(port: u16) -> BTreeSet<u64> {
    use std::io::BufRead;
    let mut found = BTreeSet::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(file) = std::fs::File::open(table) else { continue };
        for line in io::BufReader::new(file).lines().skip(1).map_while(Result::ok) {
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.get(3) != Some(&"0A") {
                break;
            }
            let local_port = fields[1].rsplit(':').next().and_then(|p| u16::from_str_radix(p, 16).ok());
            if local_port == Some(port)
                && let Some(inode) = fields.get(9).and_then(|i| i.parse().ok())
            {
                found.insert(inode);
            }
        }
    }
    found
}

#[cfg(not(target_os = "linux"))]
pub(super) fn held_by_another(_port: u16, _pgid: i32) -> Option<bool> {
    None
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_port_is_handed_to_one_instance_at_a_time() {
        let ports: Vec<Port> = (0..200).map(|_| Port::free().unwrap()).collect();
        let distinct: BTreeSet<u16> = ports.iter().map(Port::number).collect();
        assert_eq!(distinct.len(), ports.len());
        let first = ports[0].number();
        drop(ports);
        assert!(!HANDED.lock().unwrap().contains(&first));
    }

    #[test]
    fn only_the_groups_own_listener_counts() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // SAFETY: getpgrp has no preconditions.
        let own = unsafe { libc::getpgrp() };
        assert_eq!(held_by_another(port, own), Some(false));
        assert_eq!(held_by_another(port, own + 1_000_000), Some(true));
        drop(listener);
        assert_eq!(held_by_another(port, own), None, "nobody listens");
    }
}
