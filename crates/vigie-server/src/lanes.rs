//! Fair sharing of the query threads: a lane is a number of places for queries to run, shared
//! among the clients (client addresses) in turns, with a share per client.
//!
//! A client may hold at most its share of a lane's places at once. When a place frees up, it
//! goes to the next client in turn that waits and is under its share (round robin over the
//! clients, first come first served within one client), so a client sending many requests
//! waits behind its own requests, not the others behind it.

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

use rustc_hash::FxHashMap;

/// A number of places shared fairly among clients.
pub struct Lane {
    places: usize,
    share: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Places taken.
    taken: usize,
    /// Per client: places it holds and its requests waiting, in order.
    clients: FxHashMap<IpAddr, Client>,
    /// Clients with requests waiting, in turn order (each at most once).
    turns: VecDeque<IpAddr>,
}

#[derive(Default)]
struct Client {
    holds: usize,
    waiting: VecDeque<Arc<Waiter>>,
}

struct Waiter {
    granted: AtomicBool,
    wake: Notify,
}

/// A place in a lane, given back when dropped.
pub struct Place {
    lane: Arc<Lane>,
    client: IpAddr,
}

impl Drop for Place {
    fn drop(&mut self) {
        self.lane.give_back(self.client);
    }
}

impl Lane {
    /// A lane of `places` places, of which one client may hold `share` at once.
    pub fn new(places: usize, share: usize) -> Arc<Lane> {
        let places = places.max(1);
        Arc::new(Lane {
            places,
            share: share.clamp(1, places),
            state: Mutex::default(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for a place for `client`. Dropping the future before it is ready leaves the
    /// queue (or gives back a place granted meanwhile).
    pub async fn enter(self: &Arc<Self>, client: IpAddr) -> Place {
        let waiter = {
            let mut st = self.lock();
            let holds = st.clients.get(&client).map_or(0, |c| c.holds);
            if st.taken < self.places && holds < self.share && st.turns.is_empty() {
                st.taken += 1;
                st.clients.entry(client).or_default().holds += 1;
                return Place {
                    lane: self.clone(),
                    client,
                };
            }
            let w = Arc::new(Waiter {
                granted: AtomicBool::new(false),
                wake: Notify::new(),
            });
            let c = st.clients.entry(client).or_default();
            c.waiting.push_back(w.clone());
            if c.waiting.len() == 1 {
                st.turns.push_back(client);
            }
            // Places may be free for this client while others wait at their share.
            self.dispatch(&mut st);
            w
        };
        let guard = Leave {
            lane: self,
            client,
            waiter: &waiter,
            done: false,
        };
        while !waiter.granted.load(Ordering::Acquire) {
            waiter.wake.notified().await;
        }
        let mut guard = guard;
        guard.done = true;
        Place {
            lane: self.clone(),
            client,
        }
    }

    /// Hands free places to waiting clients, in turn, each under its share.
    fn dispatch(&self, st: &mut State) {
        let mut skipped = 0;
        while st.taken < self.places && skipped < st.turns.len() {
            let Some(ip) = st.turns.pop_front() else {
                break;
            };
            let c = st.clients.get_mut(&ip).expect("a client in turn is known");
            if c.holds >= self.share {
                // At its share: it keeps its turn for later.
                st.turns.push_back(ip);
                skipped += 1;
                continue;
            }
            skipped = 0;
            let w = c.waiting.pop_front().expect("a client in turn waits");
            c.holds += 1;
            st.taken += 1;
            if !c.waiting.is_empty() {
                st.turns.push_back(ip);
            }
            w.granted.store(true, Ordering::Release);
            w.wake.notify_one();
        }
    }

    fn give_back(&self, client: IpAddr) {
        let mut st = self.lock();
        st.taken -= 1;
        if let Some(c) = st.clients.get_mut(&client) {
            c.holds -= 1;
            if c.holds == 0 && c.waiting.is_empty() {
                st.clients.remove(&client);
            }
        }
        self.dispatch(&mut st);
    }

    /// Places taken now (for tests and figures).
    #[cfg(test)]
    pub fn taken(&self) -> usize {
        self.lock().taken
    }
}

/// Leaves the queue when a waiting request is dropped (its client hung up).
struct Leave<'a> {
    lane: &'a Arc<Lane>,
    client: IpAddr,
    waiter: &'a Arc<Waiter>,
    done: bool,
}

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut st = self.lane.lock();
        if self.waiter.granted.load(Ordering::Acquire) {
            // Granted meanwhile: give the place back.
            drop(st);
            self.lane.give_back(self.client);
            return;
        }
        let client = self.client;
        let Some(c) = st.clients.get_mut(&client) else {
            return;
        };
        c.waiting.retain(|w| !Arc::ptr_eq(w, self.waiter));
        if c.waiting.is_empty() {
            let gone = c.holds == 0;
            st.turns.retain(|ip| *ip != client);
            if gone {
                st.clients.remove(&client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;
    use std::time::Duration;

    fn ip(n: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(127, 0, 0, n))
    }

    #[tokio::test]
    async fn a_client_holds_its_share_and_the_others_get_the_rest() {
        let lane = Lane::new(3, 2);
        let a1 = lane.enter(ip(1)).await;
        let _a2 = lane.enter(ip(1)).await;
        // A third request of the same client waits, though a place is free...
        let l = lane.clone();
        let a3 = tokio::spawn(async move { l.enter(ip(1)).await });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!a3.is_finished());
        // ... which another client gets at once.
        let b1 = tokio::time::timeout(Duration::from_secs(1), lane.enter(ip(2)))
            .await
            .expect("another client is not kept waiting");
        assert_eq!(lane.taken(), 3);
        drop(b1);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!a3.is_finished(), "still at its share");
        drop(a1);
        let _a3 = tokio::time::timeout(Duration::from_secs(1), a3)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(lane.taken(), 2);
    }

    #[tokio::test]
    async fn places_go_round_the_waiting_clients() {
        let lane = Lane::new(1, 1);
        let first = lane.enter(ip(9)).await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        // Client 1 queues four requests, then client 2 one: client 2 comes second, not fifth.
        for (n, c) in [(1, 1), (2, 1), (3, 1), (4, 1), (5, 2)] {
            let (l, o) = (lane.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let _p = l.enter(ip(c)).await;
                o.lock().unwrap().push(n);
                tokio::time::sleep(Duration::from_millis(2)).await;
            }));
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        drop(first);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![1, 5, 2, 3, 4]);
        assert_eq!(lane.taken(), 0);
    }

    #[tokio::test]
    async fn a_request_dropped_while_waiting_leaves_no_trace() {
        let lane = Lane::new(1, 1);
        let held = lane.enter(ip(1)).await;
        let l = lane.clone();
        let waiting = tokio::spawn(async move { l.enter(ip(2)).await });
        tokio::time::sleep(Duration::from_millis(10)).await;
        waiting.abort();
        let _ = waiting.await;
        drop(held);
        let again = tokio::time::timeout(Duration::from_secs(1), lane.enter(ip(3)))
            .await
            .expect("the place was given back");
        drop(again);
        assert_eq!(lane.taken(), 0);
        assert!(lane.lock().clients.is_empty() && lane.lock().turns.is_empty());
    }
}
