//! `report merge`: the reports of the shards of one run (`run --shard I/N`) made into the
//! report of the whole run. Each shard holds the cases at positions `I-1, I-1+N, …` of each
//! stream (the corpus, the generated sign cases, the generated verify cases), so the results
//! are put back in run order by taking them from the shards in turn, and each row's ties between
//! quirks broken again with the whole row's evidence ([`crate::row_evidence`]); the verdicts are then
//! judged on the merged results exactly as on a single run (by the caller, with its
//! baselines).

use std::collections::BTreeSet;

use super::{Error, Report, RunMetadata, Summary, REPORT_VERSION};
use crate::case::{CaseSource, GeneratedKind, Shard};
use crate::result::CaseResult;
use crate::row_evidence::break_ties;

/// What must be the same in every shard's report for them to be one run.
fn same_run(a: &RunMetadata, b: &RunMetadata) -> Result<(), Error> {
    let names = |m: &RunMetadata| m.implementations.iter().map(|r| r.info.name.clone()).collect::<Vec<_>>();
    if a.seed != b.seed {
        return Err(Error::SeedsDiffer(a.seed, b.seed));
    }
    if a.generated_per_implementation != b.generated_per_implementation {
        return Err(Error::GeneratedDiffer(a.generated_per_implementation, b.generated_per_implementation));
    }
    if a.vector_files != b.vector_files {
        return Err(Error::VectorFilesDiffer);
    }
    if names(a) != names(b) {
        return Err(Error::ImplementationsDiffer(names(a), names(b)));
    }
    Ok(())
}

/// Which stream of a run a result belongs to.
fn stream(result: &CaseResult) -> usize {
    match (&result.source, GeneratedKind::parse_id(&result.case)) {
        (CaseSource::Vector(_), _) => 0,
        (CaseSource::Generated, Some((GeneratedKind::Verify, _))) => 2,
        (CaseSource::Generated, _) => 1,
    }
}

/// Merges the `reports` of one run's shards. The verdicts are left empty for the caller to
/// judge; a missing shard makes the merged report `incomplete` (and says which in `Err` of
/// nothing: the caller prints the returned warnings).
///
/// # Errors
///
/// No reports, reports that are not shards of one run, or shards given twice.
pub fn merge(mut reports: Vec<Report>) -> Result<(Report, Vec<String>), Error> {
    let first = reports.first().ok_or(Error::NoReports)?;
    for report in &reports {
        same_run(&first.metadata, &report.metadata)?;
    }
    let mut shards: Vec<Shard> = reports.iter().flat_map(|r| r.metadata.shards.iter().copied()).collect();
    shards.sort_by_key(|s| (s.count, s.index));
    let counts: BTreeSet<u32> = shards.iter().map(|s| s.count).collect();
    let [count] = counts.into_iter().collect::<Vec<_>>()[..] else {
        return Err(Error::ShardCounts);
    };
    if reports.iter().any(|r| r.metadata.shards.len() != 1) {
        return Err(Error::NotOneShard);
    }
    if shards.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::ShardTwice);
    }
    let mut warnings = Vec::new();
    let missing: Vec<String> =
        (1..=count).filter(|i| !shards.iter().any(|s| s.index == *i)).map(|i| format!("{i}/{count}")).collect();
    if !missing.is_empty() {
        warnings.push(format!("shards {} are missing: the merged report is incomplete", missing.join(", ")));
    }
    reports.sort_by_key(|r| r.metadata.shards.first().map_or(0, |s| s.index));
    let mut metadata = reports.first().map(|r| r.metadata.clone()).ok_or(Error::NoReports)?;
    metadata.shards = shards;
    metadata.incomplete = !missing.is_empty() || reports.iter().any(|r| r.metadata.incomplete);
    metadata.seconds.clear();
    metadata.timings.clear();
    metadata.faults.clear();
    metadata.ruled_out.clear();
    for report in &reports {
        for (name, seconds) in &report.metadata.seconds {
            *metadata.seconds.entry(name.clone()).or_default() += seconds;
        }
        for (name, t) in &report.metadata.timings {
            let sum = metadata.timings.entry(name.clone()).or_default();
            sum.generating += t.generating;
            sum.answering += t.answering;
            sum.attributing += t.attributing;
            sum.shrinking += t.shrinking;
        }
        for (name, events) in &report.metadata.faults {
            metadata.faults.entry(name.clone()).or_default().extend(events.iter().cloned());
        }
        for (name, quirks) in &report.metadata.ruled_out {
            let all = metadata.ruled_out.entry(name.clone()).or_default();
            all.extend(quirks.iter().copied());
            all.sort_unstable();
            all.dedup();
        }
        for unavailable in &report.metadata.unavailable {
            if !metadata.unavailable.contains(unavailable) {
                metadata.unavailable.push(unavailable.clone());
            }
        }
    }
    let names: Vec<String> = metadata.implementations.iter().map(|r| r.info.name.clone()).collect();
    let mut results = Vec::new();
    for name in &names {
        let start = results.len();
        for stream_index in 0..3 {
            let mut per_shard: Vec<std::vec::IntoIter<CaseResult>> = reports
                .iter()
                .map(|r| {
                    let mine: Vec<CaseResult> = r
                        .results
                        .iter()
                        .filter(|x| &x.implementation == name && stream(x) == stream_index)
                        .cloned()
                        .collect();
                    mine.into_iter()
                })
                .collect();
            interleave(&mut per_shard, &mut results);
        }
        // Each shard broke its ties with its own share of the evidence; the whole row's decides.
        let ruled_out = metadata.ruled_out.get(name).map(Vec::as_slice).unwrap_or_default();
        break_ties(&mut results[start..], ruled_out);
    }
    let summary = Summary::of(&results);
    Ok((
        Report {
            version: REPORT_VERSION,
            metadata,
            verdicts: Vec::new(),
            summary,
            results,
            probe: None,
            capture: None,
        },
        warnings,
    ))
}

/// Takes one result from each shard in turn until all are taken: run order again.
fn interleave(per_shard: &mut [std::vec::IntoIter<CaseResult>], out: &mut Vec<CaseResult>) {
    loop {
        let mut took = false;
        for shard in per_shard.iter_mut() {
            if let Some(result) = shard.next() {
                out.push(result);
                took = true;
            }
        }
        if !took {
            break;
        }
    }
}
