//! Buffers kept per worker thread, and the size of a parallel task.
//!
//! Why: rayon's own splitting of a stage's blob list left tasks of
//! thousands of blobs, so at the end of a stage one worker could still be
//! busy with nothing left for the other to steal. Tasks of a few blobs end
//! together, but
//! `map_init` builds its state once per task, so each task would allocate
//! its buffers anew; [`PerWorker`] keeps one set per worker instead.
//!
//! In: a value type with a default. Out: a borrow of the calling worker's
//! value for the length of a closure.

use std::sync::Mutex;

/// Blobs per rayon task at most: small enough that workers finish a stage
/// close together (a relation or way blob takes much longer to visit than
/// a node blob), large enough that rayon's cost per task stays small beside
/// the work of a task.
pub const BLOBS_PER_TASK: usize = 8;

/// Tasks each worker should get at least, so that a stage of few blobs
/// still ends evenly: a relation section of a few dozen slow blobs, in
/// tasks of 8, left one worker alone with the last task.
const TASKS_PER_WORKER: usize = 16;

/// Blobs per task for a stage of `blobs` blobs on `workers` threads.
pub fn blobs_per_task(blobs: usize, workers: usize) -> usize {
    (blobs / (workers.max(1) * TASKS_PER_WORKER)).clamp(1, BLOBS_PER_TASK)
}

/// One `T` per worker of the rayon pool current when it is made.
pub struct PerWorker<T>(Vec<Mutex<T>>);

impl<T: Default> PerWorker<T> {
    pub fn for_current_pool() -> Self {
        PerWorker(
            (0..rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
        )
    }

    /// Runs `work` with the calling worker's value, or with a fresh one
    /// when that is taken (a worker waiting inside a task may be handed
    /// another task) or the caller is not a worker of the pool.
    pub fn with<R>(&self, work: impl FnOnce(&mut T) -> R) -> R {
        let mine = rayon::current_thread_index().and_then(|i| self.0.get(i));
        match mine.and_then(|value| value.try_lock().ok()) {
            Some(mut value) => work(&mut value),
            None => work(&mut T::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_blobs_make_tasks_of_one_and_many_make_full_tasks() {
        assert_eq!(blobs_per_task(48, 2), 1);
        assert_eq!(blobs_per_task(0, 2), 1);
        assert_eq!(blobs_per_task(100, 2), 3);
        assert_eq!(blobs_per_task(1_600, 2), BLOBS_PER_TASK);
        assert_eq!(blobs_per_task(20_000, 0), BLOBS_PER_TASK);
    }

    fn two_workers() -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap()
    }

    #[test]
    fn a_worker_keeps_its_value_from_task_to_task() {
        two_workers().install(|| {
            let buffers: PerWorker<Vec<u8>> = PerWorker::for_current_pool();
            assert_eq!(buffers.0.len(), 2);
            buffers.with(|mine| mine.push(1));
            assert_eq!(buffers.with(|mine| mine.len()), 1);
        });
    }

    #[test]
    fn a_worker_whose_value_is_taken_gets_a_fresh_one() {
        two_workers().install(|| {
            let buffers: PerWorker<Vec<u8>> = PerWorker::for_current_pool();
            let inner_len = buffers.with(|outer| {
                outer.push(1);
                buffers.with(|inner| inner.len())
            });
            assert_eq!(inner_len, 0);
            assert_eq!(buffers.with(|mine| mine.len()), 1);
        });
    }

    #[test]
    fn a_caller_outside_the_pool_gets_a_fresh_value_each_time() {
        let buffers: PerWorker<Vec<u8>> = PerWorker::for_current_pool();
        buffers.with(|value| value.push(1));
        assert_eq!(buffers.with(|value| value.len()), 0);
    }
}
