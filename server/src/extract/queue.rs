//! Turns of the extracting children: one at a time, single uploads before bulk imports.
//!
//! The appliance has two cores and each child may take a gigabyte, so extractions never run side
//! by side. A bulk import queues its files one after another, up to thousands; a teacher who
//! uploads one file meanwhile waits for the child that is running, never for the rest of the
//! import: an [`Priority::Interactive`] job goes before every [`Priority::Bulk`] job still
//! waiting, and jobs of one priority run in the order they came.
//!
//! A job runs on its caller's thread once its turn comes; the turn passes on when the job returns
//! or panics. A job bounds its own duration (the child's timeout), so no job holds the queue for
//! good. A caller waits on a condition variable, holding no other lock.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Who is waiting for the text: a person at the upload form, or a bulk import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// A single upload or edit: someone is waiting for the page.
    Interactive,
    /// One file of a bulk import: it goes after every single upload that is waiting.
    Bulk,
}

/// A fair queue of jobs that run one at a time, [`Priority::Interactive`] ones first.
pub struct ExtractionQueue {
    state: Mutex<State>,
    /// Signalled when the running job ends and when a job joins the queue.
    changed: Condvar,
}

struct State {
    running: bool,
    next_ticket: u64,
    interactive: VecDeque<u64>,
    bulk: VecDeque<u64>,
}

impl State {
    fn waiting(&mut self, priority: Priority) -> &mut VecDeque<u64> {
        match priority {
            Priority::Interactive => &mut self.interactive,
            Priority::Bulk => &mut self.bulk,
        }
    }

    /// Whether the job holding `ticket` may start now.
    fn is_turn_of(&self, priority: Priority, ticket: u64) -> bool {
        let first = match priority {
            Priority::Interactive => self.interactive.front(),
            Priority::Bulk if self.interactive.is_empty() => self.bulk.front(),
            Priority::Bulk => None,
        };
        !self.running && first == Some(&ticket)
    }
}

impl ExtractionQueue {
    pub const fn new() -> Self {
        Self {
            state: Mutex::new(State {
                running: false,
                next_ticket: 0,
                interactive: VecDeque::new(),
                bulk: VecDeque::new(),
            }),
            changed: Condvar::new(),
        }
    }

    /// Waits for the turn of a job of `priority`, runs `job` on this thread, and passes the turn
    /// on, even if `job` panics.
    pub fn run<T>(&self, priority: Priority, job: impl FnOnce() -> T) -> T {
        let _turn = self.wait_for_turn(priority);
        job()
    }

    fn wait_for_turn(&self, priority: Priority) -> Turn<'_> {
        let mut state = self.lock();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.waiting(priority).push_back(ticket);
        self.changed.notify_all();
        while !state.is_turn_of(priority, ticket) {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.waiting(priority).pop_front();
        state.running = true;
        Turn { queue: self }
    }

    /// The state stays consistent whatever a job does: jobs run outside the lock, so a poisoned
    /// lock only means a panic between two plain assignments, and is taken over.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Blocks until `count` jobs of `priority` wait for their turn: tests queue jobs in a known
    /// order with it, without sleeping.
    #[cfg(test)]
    fn wait_until_waiting(&self, priority: Priority, count: usize) {
        let mut state = self.lock();
        while state.waiting(priority).len() < count {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// The turn of the running job; dropping it (on return or unwind) lets the next job start.
struct Turn<'a> {
    queue: &'a ExtractionQueue,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.queue.lock().running = false;
        self.queue.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::{self, Receiver, Sender};
    use std::sync::Arc;
    use std::thread::{self, JoinHandle};

    use super::*;

    /// Jobs that say when they ran, and a first job that holds the turn until the gate opens.
    struct Scenario {
        queue: Arc<ExtractionQueue>,
        ran: Sender<String>,
        order: Receiver<String>,
        threads: Vec<JoinHandle<()>>,
    }

    impl Scenario {
        /// A queue whose running job is a bulk one that ends when the returned gate is opened.
        fn blocked_by_a_running_bulk_job() -> (Self, Sender<()>) {
            let (ran, order) = mpsc::channel();
            let mut scenario = Self {
                queue: Arc::new(ExtractionQueue::new()),
                ran,
                order,
                threads: Vec::new(),
            };
            let (gate, opened) = mpsc::channel::<()>();
            let (started, running) = mpsc::channel();
            scenario.submit(Priority::Bulk, "bulk 0".into(), move || {
                started.send(()).unwrap();
                opened.recv().unwrap();
            });
            running.recv().unwrap();
            (scenario, gate)
        }

        /// Queues a job named `name` and returns once it waits in the queue (or runs).
        fn queue(&mut self, priority: Priority, name: String) {
            let before = self.queue.lock().waiting(priority).len();
            self.submit(priority, name, || ());
            self.queue.wait_until_waiting(priority, before + 1);
        }

        fn submit(
            &mut self,
            priority: Priority,
            name: String,
            job: impl FnOnce() + Send + 'static,
        ) {
            let queue = self.queue.clone();
            let ran = self.ran.clone();
            self.threads.push(thread::spawn(move || {
                queue.run(priority, || {
                    job();
                    ran.send(name).unwrap();
                })
            }));
        }

        /// The names of the jobs in the order they ran, once all are done.
        fn order(self) -> Vec<String> {
            for thread in self.threads {
                thread.join().unwrap();
            }
            drop(self.ran);
            self.order.iter().collect()
        }
    }

    #[test]
    fn an_upload_submitted_while_50_bulk_jobs_wait_runs_right_after_the_running_job() {
        let (mut scenario, gate) = Scenario::blocked_by_a_running_bulk_job();
        for i in 1..=50 {
            scenario.queue(Priority::Bulk, format!("bulk {i}"));
        }
        scenario.queue(Priority::Interactive, "upload".into());

        gate.send(()).unwrap();

        let order = scenario.order();
        let mut expected = vec!["bulk 0".to_owned(), "upload".to_owned()];
        expected.extend((1..=50).map(|i| format!("bulk {i}")));
        assert_eq!(order, expected);
    }

    #[test]
    fn uploads_run_in_the_order_they_came_and_all_before_waiting_bulk_jobs() {
        let (mut scenario, gate) = Scenario::blocked_by_a_running_bulk_job();
        scenario.queue(Priority::Bulk, "bulk 1".into());
        scenario.queue(Priority::Interactive, "upload 1".into());
        scenario.queue(Priority::Bulk, "bulk 2".into());
        scenario.queue(Priority::Interactive, "upload 2".into());

        gate.send(()).unwrap();

        assert_eq!(
            scenario.order(),
            ["bulk 0", "upload 1", "upload 2", "bulk 1", "bulk 2"]
        );
    }

    #[test]
    fn a_job_that_panics_passes_the_turn_on() {
        let queue = ExtractionQueue::new();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            queue.run(Priority::Bulk, || panic!("a job that fails"))
        }));
        assert!(panicked.is_err());

        assert_eq!(queue.run(Priority::Interactive, || 42), 42);
    }
}
