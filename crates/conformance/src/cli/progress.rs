//! The progress bar on a terminal (`indicatif`): rows done of all, elapsed time, and the rows
//! running now. Piped or in CI it draws nothing.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::matrix::Progress;

/// A progress bar over `rows` rows.
pub(crate) struct RowsBar {
    bar: ProgressBar,
    running: Mutex<Vec<(String, Instant)>>,
}

impl RowsBar {
    pub(crate) fn new(rows: usize) -> Self {
        // indicatif draws only on a terminal: stderr piped or captured, nothing is drawn.
        let bar = ProgressBar::with_draw_target(Some(rows as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("[{bar:24}] {pos}/{len} rows · {elapsed} · {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("#>.");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(250));
        Self { bar, running: Mutex::new(Vec::new()) }
    }

    fn show_running(&self) {
        let Ok(running) = self.running.lock() else { return };
        let now: Vec<String> =
            running.iter().map(|(name, since)| format!("{name} ({}s)", since.elapsed().as_secs())).collect();
        self.bar.set_message(if now.is_empty() { String::new() } else { format!("running: {}", now.join(", ")) });
    }

    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for RowsBar {
    fn started(&self, name: &str) {
        if let Ok(mut running) = self.running.lock() {
            running.push((name.to_owned(), Instant::now()));
        }
        self.show_running();
    }

    fn finished(&self, name: &str) {
        if let Ok(mut running) = self.running.lock() {
            running.retain(|(n, _)| n != name);
        }
        self.bar.inc(1);
        self.show_running();
    }
}
