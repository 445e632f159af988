//! Building and running the server: open the database, migrate, start the background
//! workers, bind the listener. Tests use the same path with port 0.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::dev::Service as _;
use actix_web::{App, HttpServer, web};
use anyhow::Context;

use std::sync::Arc;

use crate::config::Settings;
use crate::db::Database;
use crate::engine::{Engine, SystemClock};
use crate::http::{self, AppState};
use crate::notify::{Dispatcher, LettreMailer};
use crate::scheduler::{EngineTimers, Scheduler};
use crate::side_writes::OpenEventStore;

/// A built server: where it listens and the future that runs it.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
    scheduler: tokio::task::JoinHandle<()>,
    dispatcher: tokio::task::JoinHandle<()>,
    housekeeping: tokio::task::JoinHandle<()>,
    stop_scheduler: tokio::sync::watch::Sender<bool>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        // Bound first: e-mails link to the address people use, which without
        // DAFTAR_PUBLIC_URL is the one bound here.
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let public_base = match &settings.web.public_url {
            Some(url) => url.join(""),
            None => {
                let ip = match settings.bind.ip() {
                    ip if ip.is_unspecified() => std::net::IpAddr::from([127, 0, 0, 1]),
                    ip => ip,
                };
                format!("http://{}", std::net::SocketAddr::new(ip, port))
            }
        };
        let database = Database::connect(&settings.database_url).await?;
        database.migrate().await?;
        let store = database.event_store();
        let documents = crate::documents::Documents::new(database.clone());
        let engine = Engine::start(
            store.clone(),
            documents,
            &settings.engine,
            Arc::new(SystemClock),
        )
        .await
        .context("loading the workflow catalog")?
        .with_public_base(&public_base);
        if let Some(token) = &settings.bootstrap_token {
            engine
                .bootstrap(token)
                .await
                .context("bootstrapping the admin member")?;
        }
        let (stop_scheduler, shutdown) = tokio::sync::watch::channel(false);
        let timers = crate::timers::Timers::new(database.clone());
        let handler = Arc::new(EngineTimers {
            engine: engine.clone(),
            timers: timers.clone(),
        });
        let scheduler = Scheduler::new(
            timers,
            handler,
            engine.clock.clone(),
            engine.timer_wake.clone(),
        );
        let mut workers = vec![("scheduler", scheduler.counts())];
        let scheduler = tokio::spawn(scheduler.run(shutdown.clone()));
        let mailer = Arc::new(LettreMailer::new(&settings.mail)?);
        let outbox = crate::outbox::Outbox::new(database.clone());
        let dispatcher = Dispatcher::new(
            outbox,
            store.clone(),
            mailer,
            engine.clock.clone(),
            settings.mail.clone(),
            engine.mail_wake.clone(),
        );
        workers.push(("dispatcher", dispatcher.counts()));
        let dispatcher = tokio::spawn(dispatcher.run(shutdown));
        let state = AppState::new(
            database,
            store,
            engine,
            settings.body_limit,
            settings.protection.clone(),
            workers,
        );
        let housekeeping = tokio::spawn(http::housekeeping(
            state.clone(),
            stop_scheduler.subscribe(),
        ));
        let data = web::Data::new(state.clone());
        let pages = web::Data::new(crate::web::WebState {
            store: crate::web::store::WebStore::new(state.database.clone()),
            settings: settings.web.clone(),
        });
        let protection = settings.protection.clone();
        let server =
            HttpServer::new(move || {
                App::new()
                    .app_data(data.clone())
                    .app_data(pages.clone())
                    .app_data(web::QueryConfig::default().error_handler(|e, request| {
                        crate::web::bad_request(request, e.to_string())
                    }))
                    .app_data(web::PathConfig::default().error_handler(|e, request| {
                        crate::web::bad_request(request, e.to_string())
                    }))
                    .wrap_fn(|request, service| {
                        let call = service.call(request);
                        async move { call.await.map(crate::web::finish) }
                    })
                    .wrap_fn(|request, service| {
                        let started = std::time::Instant::now();
                        let method = request.method().clone();
                        let state = request.app_data::<web::Data<AppState>>().cloned();
                        let call = service.call(request);
                        async move {
                            let response = call.await?;
                            if let Some(state) = state {
                                state.metrics.record(
                                    &method,
                                    response.request().match_pattern().as_deref(),
                                    response.status().as_u16(),
                                    started.elapsed(),
                                );
                            }
                            Ok(response)
                        }
                    })
                    .wrap(tracing_actix())
                    // gzip when the client asks for it (browsers do): a long form's page
                    // is mostly repeated markup and shrinks twenty-fold.
                    .wrap(actix_web::middleware::Compress::default())
                    .configure(http::routes)
                    .configure(crate::web::pages)
                    .default_service(web::to(crate::web::not_found))
            })
            // Explicit limits rather than actix's defaults, because operators rely on them:
            // a client must send its headers in time (slowloris), idle connections close,
            // and SIGTERM drains in-flight requests for a bounded time (below the 30 s a
            // container orchestrator usually allows before SIGKILL).
            .client_request_timeout(protection.request_head_timeout())
            .client_disconnect_timeout(std::time::Duration::from_secs(2))
            .keep_alive(std::time::Duration::from_secs(protection.keep_alive_secs))
            .shutdown_timeout(protection.shutdown_timeout_secs)
            .listen(listener)?
            .run();
        tracing::info!(address = %settings.bind, port, database = %settings.database_url.display(), "daftar is serving");
        Ok(Self {
            port,
            server,
            state,
            scheduler,
            dispatcher,
            housekeeping,
            stop_scheduler,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Runs until SIGTERM / ctrl-c (actix drains in-flight requests), then flushes the
    /// group-commit writer so nothing acknowledged is lost.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let result = self.server.await;
        let _ = self.stop_scheduler.send(true);
        let _ = self.scheduler.await;
        let _ = self.dispatcher.await;
        let _ = self.housekeeping.await;
        self.state.store.shutdown().await;
        self.state.database.close().await;
        tracing::info!("daftar stopped");
        result.context("the HTTP server failed")
    }
}

/// One line per request: method, path and query (a sign-in link's token blanked out, so
/// the log never holds a usable credential), status, duration.
fn tracing_actix() -> actix_web::middleware::Logger {
    actix_web::middleware::Logger::new("%{request}xi %s %Dms")
        .custom_request_replace("request", |request| {
            let target = match request.query_string() {
                "" => request.path().to_string(),
                query => format!("{}?{}", request.path(), redact_tokens(query)),
            };
            format!("{} {target}", request.method())
        })
        .log_target("daftar::http")
}

/// `token=…` query values replaced by `***`.
fn redact_tokens(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some(("token", _)) => "token=***",
            _ => pair,
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sign_in_links_token_never_reaches_the_log() {
        assert_eq!(
            super::redact_tokens("token=abc123&next=%2F"),
            "token=***&next=%2F"
        );
        assert_eq!(
            super::redact_tokens("status=open&page=2"),
            "status=open&page=2"
        );
    }
}
