//! The baseline every append figure is a ratio of: one single-row INSERT per transaction
//! into a bare table, on the same backend, at the same concurrency, in the same run.

use std::time::Duration;

use daftar::db::Database;
use serde_json::json;

use super::{Figures, drive};

/// The baseline gets its own pool with one connection per writer (and patient acquires),
/// so it measures one-row transactions at that concurrency, not pool waits.
async fn raw_pool(database: &Database, workers: usize) -> Database {
    let patience = Duration::from_secs(120);
    match database {
        Database::Sqlite(pool) => {
            let options = (*pool.connect_options()).clone();
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(workers.min(16) as u32)
                .acquire_timeout(patience)
                .connect_with(options)
                .await
                .expect("sqlite pool");
            Database::Sqlite(pool)
        }
        Database::Postgres(pool) => {
            let options = (*pool.connect_options()).clone();
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(workers as u32)
                .acquire_timeout(patience)
                .connect_with(options)
                .await
                .expect("postgres pool");
            Database::Postgres(pool)
        }
    }
}

/// `total` single-row INSERTs (each its own transaction) from `workers` concurrent writers.
pub async fn raw_insert(database: &Database, workers: usize, total: usize) -> Figures {
    let database = raw_pool(database, workers).await;
    match &database {
        Database::Sqlite(pool) => sqlx::query("create table if not exists bench_raw (id integer primary key, stream text not null, data text not null)")
            .execute(pool).await.map(|_| ()),
        Database::Postgres(pool) => sqlx::query("create table if not exists bench_raw (id bigserial primary key, stream text not null, data text not null)")
            .execute(pool).await.map(|_| ()),
    }
    .expect("create bench_raw");
    drive(workers, total, move |worker, i| {
        let database = database.clone();
        async move {
            let data = json!({"n": i, "worker": worker}).to_string();
            let stream = format!("raw-{worker}");
            let result = match &database {
                Database::Sqlite(pool) => {
                    sqlx::query("insert into bench_raw (stream, data) values (?, ?)")
                        .bind(stream)
                        .bind(data)
                        .execute(pool)
                        .await
                        .map(|_| ())
                }
                Database::Postgres(pool) => {
                    sqlx::query("insert into bench_raw (stream, data) values ($1, $2)")
                        .bind(stream)
                        .bind(data)
                        .execute(pool)
                        .await
                        .map(|_| ())
                }
            };
            result.expect("raw insert");
        }
    })
    .await
}
