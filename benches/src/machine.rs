//! The facts about the machine that a ratio to the floor depends on, recorded with every
//! measurement so that figures from machines that differ in them are never compared: with the
//! SHA extensions the floor (HMAC-SHA1) is several times faster than without, and every ratio
//! to it grows accordingly.

/// The CPU and its extensions, and how busy the machine was.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Machine {
    /// The first `model name` of `/proc/cpuinfo`, if there is one.
    pub cpu_model: Option<String>,
    /// Whether the CPU has the SHA extensions (`is_x86_feature_detected!("sha")`), which the
    /// `sha1` and `sha2` crates use when present; `None` off x86.
    pub sha_extensions: Option<bool>,
    /// Whether the CPU has AVX2 (`is_x86_feature_detected!("avx2")`); `None` off x86.
    pub avx2: Option<bool>,
    /// The logical CPUs this process may run on.
    pub logical_cpus: Option<usize>,
}

impl Machine {
    /// This machine.
    #[must_use]
    pub fn this() -> Self {
        Self {
            cpu_model: cpu_model(),
            sha_extensions: has_feature(Feature::Sha),
            avx2: has_feature(Feature::Avx2),
            logical_cpus: std::thread::available_parallelism().ok().map(usize::from),
        }
    }
}

fn cpu_model() -> Option<String> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == "model name").then(|| value.trim().to_owned())
    })
}

#[derive(Clone, Copy)]
enum Feature {
    Sha,
    Avx2,
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn has_feature(feature: Feature) -> Option<bool> {
    Some(match feature {
        Feature::Sha => is_x86_feature_detected!("sha"),
        Feature::Avx2 => is_x86_feature_detected!("avx2"),
    })
}

#[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
fn has_feature(_feature: Feature) -> Option<bool> {
    None
}

/// The 1-, 5- and 15-minute load averages of `/proc/loadavg`.
#[must_use]
pub fn load_average() -> Option<[f64; 3]> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let mut fields = text.split_whitespace().map(str::parse::<f64>);
    Some([fields.next()?.ok()?, fields.next()?.ok()?, fields.next()?.ok()?])
}
