//! Long scans of the log in position order (verify, export). Pages are read ahead of the
//! caller, [`READERS`] at a time, each by a task of its own on a connection of its own: the
//! database reads and unpacks one page while another is read and the caller works on a
//! third. Memory stays flat: at most [`READERS`] pages being read and [`PAGES_AHEAD`] waiting.

use std::collections::VecDeque;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{Backend, RawEvent, StoreError};

/// Positions a reader covers at a time.
const PAGE: i64 = 2_500;

/// Pages read and waiting for the caller.
const PAGES_AHEAD: usize = 2;

/// Pages being read at once.
const READERS: usize = 2;

/// The pages of `from..=to`, in log order. A failure comes after the rows read before it and
/// ends the pages. A gap shows up as a row with a later position than the one expected; a
/// range without rows sends nothing. Every reader stops when this is dropped.
pub struct Pages {
    receiver: mpsc::Receiver<Result<Vec<RawEvent>, StoreError>>,
    task: JoinHandle<()>,
}

impl Pages {
    pub(crate) fn read(backend: Arc<dyn Backend>, from: i64, to: i64) -> Self {
        let (sender, receiver) = mpsc::channel(PAGES_AHEAD);
        let task = tokio::spawn(async move {
            let mut reading = VecDeque::new();
            let mut next = from;
            loop {
                while reading.len() < READERS && next <= to {
                    let last = to.min(next.saturating_add(PAGE - 1));
                    let page = read_page(backend.clone(), next, last);
                    reading.push_back(Reader(tokio::spawn(page)));
                    next = last + 1;
                }
                let Some(mut reader) = reading.pop_front() else {
                    return;
                };
                let (rows, error) = match (&mut reader.0).await {
                    Ok(read) => read,
                    Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                    Err(_) => return,
                };
                if !rows.is_empty() && sender.send(Ok(rows)).await.is_err() {
                    return;
                }
                if let Some(error) = error {
                    let _ = sender.send(Err(error)).await;
                    return;
                }
            }
        });
        Pages { receiver, task }
    }

    /// The next page, or `None` after the last.
    pub async fn next(&mut self) -> Option<Result<Vec<RawEvent>, StoreError>> {
        self.receiver.recv().await
    }
}

impl Drop for Pages {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A reader of one page; aborted when dropped, so no read outlives its [`Pages`].
struct Reader(JoinHandle<(Vec<RawEvent>, Option<StoreError>)>);

impl Drop for Reader {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The rows of `from..=to` as the backend's scans return them, and the failure that stopped
/// the reading, if one did.
async fn read_page(
    backend: Arc<dyn Backend>,
    from: i64,
    to: i64,
) -> (Vec<RawEvent>, Option<StoreError>) {
    let mut rows = Vec::new();
    let mut next = from;
    while next <= to {
        match backend.scan_range(next, to, PAGE).await {
            Ok(page) => {
                let Some(last) = page.last().map(|row| row.position) else {
                    break;
                };
                next = last + 1;
                rows.extend(page);
            }
            Err(error) => return (rows, Some(error)),
        }
    }
    (rows, None)
}
