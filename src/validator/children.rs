//! The processes audcheck starts (adapters, services) and everything they start in turn.
//! Each runs in a process group of its own, and the whole group is stopped: when its
//! target ends, when a run fails, and when audcheck is interrupted (SIGINT, SIGTERM). A
//! wrapper command (`npm start`, `sh -c ...`) leaves nothing behind.

use std::collections::BTreeSet;
use std::io;
use std::process::{Child, Command, ExitStatus};
use std::sync::{Mutex, Once};

/// Process groups running now, by their leader's pid.
static GROUPS: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// A started child and its process group, stopped when dropped.
pub struct Group {
    child: Child,
}

impl Group {
    /// Starts `command` as the leader of a new process group. The leader also dies with
    /// audcheck should audcheck be killed outright (its children then lose their parent,
    /// which is as far as the kernel lets a process reach).
    pub fn spawn(command: &mut Command) -> io::Result<Group> {
        stop_on_signals();
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
            #[cfg(target_os = "linux")]
            // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
            unsafe {
                command.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
        }
        // Registered before anything can interrupt between spawn and insert.
        let mut groups = GROUPS.lock().unwrap_or_else(|p| p.into_inner());
        let child = command.spawn()?;
        groups.insert(child.id() as i32);
        Ok(Group { child })
    }

    /// The leader's pid, which is the group's id.
    pub fn id(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// The leader's exit status, if it has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Waits for the leader to exit.
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        self.child.wait()
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = self.child.id() as i32;
        kill_group(pgid);
        let _ = self.child.wait();
        GROUPS.lock().unwrap_or_else(|p| p.into_inner()).remove(&pgid);
    }
}

fn kill_group(pgid: i32) {
    // SAFETY: kill has no memory effects; a negative pid names the process group.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}

/// Stops every running group (audcheck is ending without running its destructors).
pub fn stop_all() {
    let groups = GROUPS.lock().unwrap_or_else(|p| p.into_inner());
    for pgid in groups.iter() {
        kill_group(*pgid);
    }
}

/// On SIGINT or SIGTERM, stops every group, then ends audcheck as the signal would have.
fn stop_on_signals() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            stop_all();
            eprintln!("audcheck: interrupted; stopped every adapter and service it started");
            std::process::exit(130);
        });
    });
}
