//! Heap accounting per thread, for the per-document memory budget.
//!
//! A binary wraps its global allocator in [`Counting`]; every allocation then adds its size to
//! a counter of the thread that makes it, and every release takes it off the counter of the
//! thread that frees it. [`thread_net_bytes`] read before and after a piece of work done on one
//! thread (the analysis of one document) gives what that work holds on to. Without the
//! wrapper the counter stays at zero and no memory budget applies.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

thread_local! {
    static NET: Cell<i64> = const { Cell::new(0) };
}

/// Adds `n` bytes (negative: released) to this thread's counter. (During thread teardown the
/// counter may be gone: nothing is counted then.)
#[inline]
fn count(n: i64) {
    let _ = NET.try_with(|c| c.set(c.get().wrapping_add(n)));
}

/// Bytes allocated minus bytes freed by this thread since it started (0 without [`Counting`]).
pub fn thread_net_bytes() -> i64 {
    NET.try_with(Cell::get).unwrap_or(0)
}

/// A global allocator that counts, per thread, the bytes its inner allocator hands out.
pub struct Counting<A>(pub A);

// SAFETY: every call is forwarded to the inner allocator unchanged; the counting touches only
// a thread-local integer, and never allocates.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { self.0.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as i64);
        }
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as i64);
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { self.0.dealloc(ptr, layout) };
        count(-(layout.size() as i64));
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as i64 - layout.size() as i64);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counter_follows_the_wrapped_allocator() {
        let a = Counting(std::alloc::System);
        let before = thread_net_bytes();
        let layout = Layout::from_size_align(1000, 8).expect("valid layout");
        // SAFETY: a non-zero layout, freed with the same layout.
        unsafe {
            let p = a.alloc(layout);
            assert!(!p.is_null());
            assert_eq!(thread_net_bytes() - before, 1000);
            let q = a.realloc(p, layout, 3000);
            assert_eq!(thread_net_bytes() - before, 3000);
            a.dealloc(q, Layout::from_size_align(3000, 8).expect("valid layout"));
        }
        assert_eq!(thread_net_bytes(), before);
    }
}
