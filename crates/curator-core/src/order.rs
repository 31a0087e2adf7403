//! Reordering a collection with as few moves as possible.
//!
//! Plex moves one item per request (`.../items/{key}/move?after={key}`), and
//! each move is slow on a large collection, so the target order is reached
//! by moving only the items outside a longest increasing subsequence of
//! their current positions, front to back, each right after its predecessor
//! in the target.

use std::collections::HashMap;
use std::hash::Hash;

use rand::Rng;
use rand::seq::SliceRandom;

/// One move: put `item` right after `after`, or at the front when `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move<K> {
    /// The item to move.
    pub item: K,
    /// The item it goes after; `None` means the front.
    pub after: Option<K>,
}

/// The fewest moves that turn `current` into `target`.
///
/// Items of `target` that are not in `current` (just added, at a position
/// Plex does not promise) are always moved; items of `current` not in
/// `target` are ignored.
pub fn minimal_moves<K: Clone + Eq + Hash>(current: &[K], target: &[K]) -> Vec<Move<K>> {
    let position: HashMap<&K, usize> = current.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let known: Vec<(usize, usize)> = target
        .iter()
        .enumerate()
        .filter_map(|(i, k)| position.get(k).map(|&p| (i, p)))
        .collect();
    let in_run = longest_increasing(&known.iter().map(|(_, p)| *p).collect::<Vec<_>>());
    let mut keep = vec![false; target.len()];
    for ((i, _), kept) in known.iter().zip(in_run) {
        keep[*i] = kept;
    }
    target
        .iter()
        .enumerate()
        .filter(|(i, _)| !keep[*i])
        .map(|(i, item)| Move {
            item: item.clone(),
            after: i.checked_sub(1).map(|p| target[p].clone()),
        })
        .collect()
}

/// The moves that put `head` at the front, in order, leaving the other
/// items in their relative order: at most `head.len()` moves, fewer when
/// the collection already starts with part of the head.
pub fn head_moves<K: Clone + Eq>(current: &[K], head: &[K]) -> Vec<Move<K>> {
    let in_place = current.iter().zip(head).take_while(|(c, h)| c == h).count();
    head.iter()
        .enumerate()
        .skip(in_place)
        .map(|(i, item)| Move {
            item: item.clone(),
            after: i.checked_sub(1).map(|p| head[p].clone()),
        })
        .collect()
}

/// Marks the members of one longest strictly increasing subsequence.
fn longest_increasing(values: &[usize]) -> Vec<bool> {
    // tails[l] = index (into values) of the smallest tail of an increasing
    // run of length l + 1; parent links rebuild the run.
    let mut tails: Vec<usize> = Vec::new();
    let mut parent: Vec<Option<usize>> = vec![None; values.len()];
    for (i, &v) in values.iter().enumerate() {
        let at = tails.partition_point(|&t| values[t] < v);
        parent[i] = at.checked_sub(1).map(|p| tails[p]);
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut keep = vec![false; values.len()];
    let mut cursor = tails.last().copied();
    while let Some(i) = cursor {
        keep[i] = true;
        cursor = parent[i];
    }
    keep
}

/// Applies moves to a list, as Plex does; used to check plans.
pub fn apply_moves<K: Clone + Eq>(list: &mut Vec<K>, moves: &[Move<K>]) {
    for m in moves {
        list.retain(|k| k != &m.item);
        let at = match &m.after {
            None => 0,
            Some(after) => list
                .iter()
                .position(|k| k == after)
                .map_or(list.len(), |p| p + 1),
        };
        list.insert(at, m.item.clone());
    }
}

/// A fresh random order of `items`.
pub fn shuffled<K: Clone>(items: &[K], rng: &mut impl Rng) -> Vec<K> {
    let mut out = items.to_vec();
    out.shuffle(rng);
    out
}

/// A target order whose first `head_size` items are drawn at random with
/// probability growing with `weight`, in drawn order; the others keep their
/// order in `items`.
///
/// Drawing is weighted sampling without replacement (each item gets the
/// key `u^(1/w)` for a uniform `u`; the largest keys win).
pub fn weighted_head<K: Clone + Eq + Hash>(
    items: &[K],
    weight: impl Fn(&K) -> f64,
    head_size: usize,
    rng: &mut impl Rng,
) -> Vec<K> {
    let mut keyed: Vec<(f64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let w = weight(k).max(1e-6);
            let u: f64 = rng.random_range(f64::EPSILON..1.0);
            (u.powf(1.0 / w), i)
        })
        .collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0));
    let head: Vec<usize> = keyed.iter().take(head_size).map(|(_, i)| *i).collect();
    let mut in_head = vec![false; items.len()];
    for &i in &head {
        in_head[i] = true;
    }
    head.iter()
        .map(|&i| items[i].clone())
        .chain(
            items
                .iter()
                .enumerate()
                .filter(|(i, _)| !in_head[*i])
                .map(|(_, k)| k.clone()),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn no_moves_when_already_in_order() {
        let list = [1, 2, 3, 4];
        assert!(minimal_moves(&list, &list).is_empty());
    }

    #[test]
    fn one_insertion_at_the_front_is_one_move() {
        let current = [1, 2, 3, 4, 5];
        let target = [5, 1, 2, 3, 4];
        assert_eq!(
            minimal_moves(&current, &target),
            [Move {
                item: 5,
                after: None
            }]
        );
    }

    #[test]
    fn a_reversal_moves_all_but_one() {
        let current: Vec<u32> = (0..10).collect();
        let target: Vec<u32> = (0..10).rev().collect();
        let moves = minimal_moves(&current, &target);
        assert_eq!(moves.len(), 9);
        let mut list = current.clone();
        apply_moves(&mut list, &moves);
        assert_eq!(list, target);
    }

    #[test]
    fn new_items_are_always_moved() {
        // 9 was just added; Plex may have put it anywhere.
        let current = [1, 2, 3];
        let target = [1, 9, 2, 3];
        let moves = minimal_moves(&current, &target);
        assert_eq!(
            moves,
            [Move {
                item: 9,
                after: Some(1)
            }]
        );
        for appended_at in 0..=3 {
            let mut list = vec![1, 2, 3];
            list.insert(appended_at, 9);
            apply_moves(&mut list, &moves);
            assert_eq!(list, target);
        }
    }

    #[test]
    fn head_moves_skip_what_is_already_in_place() {
        let current = [5, 1, 2, 3, 4];
        assert_eq!(
            head_moves(&current, &[5, 3]),
            [Move {
                item: 3,
                after: Some(5)
            }]
        );
        let mut list = current.to_vec();
        apply_moves(&mut list, &head_moves(&current, &[4, 2]));
        assert_eq!(list, [4, 2, 5, 1, 3]);
    }

    #[test]
    fn the_head_is_weighted() {
        let items: Vec<u32> = (0..100).collect();
        let mut rng = StdRng::seed_from_u64(7);
        let mut heavy_in_head = 0;
        for _ in 0..50 {
            // Items 0..10 weigh 50, the rest 1.
            let order = weighted_head(&items, |k| if *k < 10 { 50.0 } else { 1.0 }, 10, &mut rng);
            heavy_in_head += order[..10].iter().filter(|k| **k < 10).count();
            // The tail keeps its original relative order.
            let tail = &order[10..];
            assert!(tail.windows(2).all(|w| w[0] < w[1]));
        }
        // Far more than the 10% a uniform draw would give.
        assert!(heavy_in_head > 250, "{heavy_in_head}");
    }

    proptest! {
        #[test]
        fn moves_reach_the_target_and_are_minimal(
            (current, target) in (1usize..60).prop_flat_map(|n| {
                let base: Vec<u32> = (0..n as u32).collect();
                (Just(base.clone()).prop_shuffle(), Just(base).prop_shuffle())
            })
        ) {
            let moves = minimal_moves(&current, &target);
            let mut list = current.clone();
            apply_moves(&mut list, &moves);
            prop_assert_eq!(&list, &target);
            // Minimal: n minus the longest run already in relative order,
            // computed here the slow way.
            let pos: Vec<usize> = target
                .iter()
                .map(|k| current.iter().position(|c| c == k).unwrap())
                .collect();
            let mut best = vec![1usize; pos.len()];
            for i in 0..pos.len() {
                for j in 0..i {
                    if pos[j] < pos[i] {
                        best[i] = best[i].max(best[j] + 1);
                    }
                }
            }
            let lis = best.into_iter().max().unwrap_or(0);
            prop_assert_eq!(moves.len(), target.len() - lis);
        }
    }
}
