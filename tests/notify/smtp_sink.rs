//! A small real SMTP server for tests: speaks enough ESMTP for lettre, keeps what it
//! receives, can refuse a recipient with 550, can accept connections and then say nothing,
//! and can be stopped and started again on the same port.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    rejected: Mutex<HashSet<String>>,
    hang: Mutex<bool>,
    sessions: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    /// Ends every open connection (a pooled client connection included).
    fn drop_sessions(&self) {
        for session in self.sessions.lock().unwrap().drain(..) {
            session.abort();
        }
    }
}

pub struct SmtpSink {
    pub port: u16,
    shared: Arc<Shared>,
    server: Option<JoinHandle<()>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut sink = SmtpSink {
            port,
            shared: Arc::default(),
            server: None,
        };
        sink.serve(listener);
        sink
    }

    fn serve(&mut self, listener: TcpListener) {
        let shared = self.shared.clone();
        self.server = Some(tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let handle = tokio::spawn(session(stream, shared.clone()));
                shared.sessions.lock().unwrap().push(handle);
            }
        }));
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The server goes away: connections are refused.
    pub fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
        self.shared.drop_sessions();
    }

    /// The server comes back on the same port.
    pub async fn restart(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.serve(listener);
    }

    pub fn reject(&self, address: &str) {
        self.shared
            .rejected
            .lock()
            .unwrap()
            .insert(address.to_string());
    }

    /// From now on, connections are accepted and then nothing is said.
    pub fn hang(&self, on: bool) {
        *self.shared.hang.lock().unwrap() = on;
        self.shared.drop_sessions();
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>) {
    if *shared.hang.lock().unwrap() {
        // Accept the connection, then say nothing at all.
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        drop(stream);
        return;
    }
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
    let mut to = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO")
            || upper.starts_with("RSET")
            || upper.starts_with("NOOP")
        {
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM") {
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO") {
            let address = line
                .split(['<', '>'])
                .nth(1)
                .unwrap_or_default()
                .to_string();
            if shared.rejected.lock().unwrap().contains(&address) {
                b"550 5.1.1 no such mailbox\r\n"
            } else {
                to.push(address);
                b"250 OK\r\n"
            }
        } else if upper.starts_with("DATA") {
            let _ = write.write_all(b"354 end with .\r\n").await;
            let mut data = String::new();
            while let Ok(Some(body)) = lines.next_line().await {
                if body == "." {
                    break;
                }
                data.push_str(body.strip_prefix('.').unwrap_or(&body));
                data.push_str("\r\n");
            }
            shared.received.lock().unwrap().push(Received {
                to: to.clone(),
                data,
            });
            b"250 queued\r\n"
        } else if upper.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"502 not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
