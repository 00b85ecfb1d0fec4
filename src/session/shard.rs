//! Splitting the targets of a run over CI jobs (`run --shard K/N`): deterministic (the same
//! targets give the same split on every machine) and balanced by each target's cost, so
//! the slowest job is not much slower than the others. `audcheck index` merges the shard
//! folders back into the matrix of one run.

use crate::validator::Spec;
use std::fmt;
use std::str::FromStr;

/// Shard `k` of `n` (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a shard; give K/N with 1 <= K <= N, say 2/3 for the second of three jobs")]
pub struct BadShard(pub String);

impl FromStr for Shard {
    type Err = BadShard;
    fn from_str(s: &str) -> Result<Shard, BadShard> {
        let bad = || BadShard(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl Shard {
    /// The targets of this shard, in their given order. Targets are dealt costliest first
    /// (ties by name) to the shard with the least cost so far (ties to the lowest).
    pub fn pick(self, specs: Vec<Spec>) -> Vec<Spec> {
        let owner = assign(&specs.iter().map(|s| (s.name().to_string(), s.weight())).collect::<Vec<_>>(), self.n);
        specs.into_iter().zip(owner).filter(|(_, o)| *o == self.k - 1).map(|(s, _)| s).collect()
    }
}

/// For each (name, weight), the shard (0-based) it goes to.
fn assign(targets: &[(String, u32)], n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..targets.len()).collect();
    order.sort_by(|&a, &b| targets[b].1.cmp(&targets[a].1).then_with(|| targets[a].0.cmp(&targets[b].0)));
    let mut load = vec![0u64; n];
    let mut owner = vec![0; targets.len()];
    for i in order {
        let least = (0..n).min_by_key(|&s| (load[s], s)).expect("at least one shard");
        load[least] += u64::from(targets[i].1);
        owner[i] = least;
    }
    owner
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_k_of_n() {
        assert_eq!("2/3".parse::<Shard>().unwrap(), Shard { k: 2, n: 3 });
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    proptest! {
        // Every target lands in exactly one shard, the split does not depend on the order
        // the targets come in, and no shard carries more than the lightest plus the
        // heaviest single target.
        #[test]
        fn a_balanced_partition(weights in proptest::collection::vec(1u32..20, 0..40), n in 1usize..6, rotate in 0usize..40) {
            let targets: Vec<(String, u32)> = weights.iter().enumerate().map(|(i, w)| (format!("t{i:02}"), *w)).collect();
            let owner = assign(&targets, n);
            prop_assert!(owner.iter().all(|o| *o < n));
            let mut rotated = targets.clone();
            if !rotated.is_empty() { let r = rotate % rotated.len(); rotated.rotate_left(r); }
            let again = assign(&rotated, n);
            for (i, t) in rotated.iter().enumerate() {
                let j = targets.iter().position(|x| x == t).unwrap();
                prop_assert_eq!(again[i], owner[j]);
            }
            let mut load = vec![0u32; n];
            for (t, o) in targets.iter().zip(&owner) { load[*o] += t.1; }
            let heaviest = weights.iter().copied().max().unwrap_or(0);
            prop_assert!(load.iter().max().unwrap() - load.iter().min().unwrap() <= heaviest, "{:?}", load);
        }
    }
}
