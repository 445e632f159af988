//! Building the exchange matrix of 31 agencies × 500 needs and 500 offers each (generated
//! deterministically, Persian names with the spelling variants agencies type): the matrix
//! as built now (match quality, lookup-key-only needs, conflicts, offers indexed by
//! provider and item), with an empty catalogue and with a catalogue that knows every name,
//! against the exact-name matrix it replaced ([`baseline`]) in the same run. Reports build
//! time p50/p99 and the bytes allocated and the peak heap of one build.
//!
//! `cargo bench --bench matrix_build [-- --agencies 31 --entries 500 --runs 30]`;
//! `cargo test --bench matrix_build` runs a small smoke version.

#[path = "matrix_build/baseline/mod.rs"]
mod baseline;
#[path = "matrix_build/generate.rs"]
mod generate;

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use daftar::reports::build_matrix;
use daftar::reports::catalogue_index::CatalogueIndex;
use serde_json::Value;

/// The allocator of the `daftar` binary (mimalloc), counting while [`COUNTING`] is set: bytes allocated in all, bytes
/// live now and at most. Only the first run of each measurement counts; the timed runs
/// after it do not pay for the counting.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(true);

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !COUNTING.load(Ordering::Relaxed) {
            return unsafe { mimalloc::MiMalloc.alloc(layout) };
        }
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !COUNTING.load(Ordering::Relaxed) {
            return unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) };
        }
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|v| v.parse().expect("a number"))
        .unwrap_or(default)
}

#[derive(Clone, Copy)]
struct Figures {
    p50_ms: f64,
    p99_ms: f64,
    allocated_mb: f64,
    peak_mb: f64,
}

/// Runs `build` `runs` times. The bytes are those of the first run, which counts them and is
/// timed only when it is the only run.
fn measure<T>(runs: usize, mut build: impl FnMut() -> T) -> Figures {
    let (before, live) = (
        ALLOCATED.load(Ordering::Relaxed),
        LIVE.load(Ordering::Relaxed),
    );
    PEAK.store(live, Ordering::Relaxed);
    let mut times = Vec::with_capacity(runs);
    COUNTING.store(true, Ordering::Relaxed);
    let started = Instant::now();
    drop(build());
    let counted_ms = started.elapsed().as_secs_f64() * 1e3;
    COUNTING.store(false, Ordering::Relaxed);
    let allocated = ALLOCATED.load(Ordering::Relaxed) - before;
    let peak = PEAK.load(Ordering::Relaxed) - live;
    if runs == 1 {
        times.push(counted_ms);
    }
    for _ in 1..runs {
        let started = Instant::now();
        drop(std::hint::black_box(build()));
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    Figures {
        p50_ms: at(0.5),
        p99_ms: at(0.99),
        allocated_mb: allocated as f64 / 1e6,
        peak_mb: peak as f64 / 1e6,
    }
}

fn row(name: &str, f: &Figures, base: &Figures) {
    println!(
        "{name:<34} p50 {:>9.1} ms ({:>6.3}x)  p99 {:>9.1} ms  allocated {:>8.1} MB ({:>5.2}x)  peak {:>7.1} MB ({:>5.2}x)",
        f.p50_ms,
        f.p50_ms / base.p50_ms,
        f.p99_ms,
        f.allocated_mb,
        f.allocated_mb / base.allocated_mb,
        f.peak_mb,
        f.peak_mb / base.peak_mb,
    );
}

/// A catalogue with one item per concept, named by its plain spelling: every submitted
/// name resolves, so the matrix compares catalogue ids throughout.
fn full_catalogue() -> CatalogueIndex {
    let mut index = CatalogueIndex::default();
    let mut plain = generate::Rng::new(1);
    for concept in 0..generate::concepts() {
        // Seed 1's first draws may add variants; the match key folds them all the same.
        let name = generate::spelled(&mut plain, concept);
        index.insert_item(&format!("DI-{concept}"), [name.as_str()], None);
    }
    index
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let full = args.iter().any(|a| a == "--bench");
    let agencies = arg(&args, "--agencies", if full { 31 } else { 6 });
    let entries = arg(&args, "--entries", if full { 500 } else { 40 });
    let runs = arg(&args, "--runs", if full { 30 } else { 3 });
    let baseline_runs = arg(&args, "--baseline-runs", if full { 3 } else { 2 });
    let mut rng = generate::Rng::new(17);
    let codes = generate::codes(agencies);
    let inventories: Vec<(String, Value)> = codes
        .iter()
        .enumerate()
        .map(|(a, code)| {
            let data = generate::inventory(&mut rng, a, agencies, entries, entries);
            (code.clone(), data)
        })
        .collect();
    let empty = CatalogueIndex::default();
    let catalogue = full_catalogue();
    let new = build_matrix(&codes, &inventories, &empty);
    println!(
        "{agencies} agencies × {entries} needs and {entries} offers: now {} matches ({} full, {} partial), {} lookup-key-only, {} unmatched, {} duplicates, {} conflicts",
        new.cells.iter().map(|c| c.matched.len()).sum::<usize>(),
        new.totals.full,
        new.totals.partial,
        new.totals.lookup_key_only,
        new.unmatched_needs.len(),
        new.duplicates.len(),
        new.conflicts.len(),
    );
    drop(new);
    // `--baseline-runs 0` leaves the baseline out (to profile the matrix alone): figures
    // are then shown against the first of them.
    let base = (baseline_runs > 0).then(|| {
        let old = baseline::matrix::build_matrix(&codes, &inventories);
        println!(
            "the baseline: {} matches, {} unmatched, {} duplicates",
            old.cells.iter().map(|c| c.matched.len()).sum::<usize>(),
            old.unmatched_needs.len(),
            old.duplicates.len(),
        );
        drop(old);
        measure(baseline_runs, || {
            baseline::matrix::build_matrix(&codes, &inventories)
        })
    });
    let now = measure(runs, || build_matrix(&codes, &inventories, &empty));
    let with_catalogue = measure(runs, || build_matrix(&codes, &inventories, &catalogue));
    let base = base.unwrap_or(now);
    if baseline_runs > 0 {
        row("baseline (exact names, scans)", &base, &base);
    }
    row("now, empty catalogue", &now, &base);
    row("now, every name in the catalogue", &with_catalogue, &base);
}
