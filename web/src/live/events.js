// The live feed: one EventSource('/api/admin/events') for the whole console.
// startLive() opens it (once; later calls do nothing), stopLive() closes it.
// subscribe(fn) registers fn(name, data) for every event (ota, release, device,
// audit) and returns the function that unregisters it; watchStatus(fn) reports
// "connecting" | "live" | "offline" as the connection changes.
const EVENT_NAMES = ['ota', 'release', 'device', 'audit'];
const listeners = new Set();
const statusListeners = new Set();
let source = null;
let status = 'offline';

function setStatus(next) {
  status = next;
  statusListeners.forEach((fn) => fn(status));
}

export function startLive() {
  if (source) return;
  source = new EventSource('/api/admin/events');
  setStatus('connecting');
  source.addEventListener('open', () => setStatus('live'));
  source.addEventListener('error', () => {
    setStatus(source && source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
  });
  for (const name of EVENT_NAMES) {
    source.addEventListener(name, (e) => {
      let data = {};
      try {
        data = JSON.parse(e.data);
      } catch {
        data = {};
      }
      listeners.forEach((fn) => fn(name, data));
    });
  }
}

export function stopLive() {
  if (source) source.close();
  source = null;
  setStatus('offline');
}

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function watchStatus(fn) {
  statusListeners.add(fn);
  fn(status);
  return () => statusListeners.delete(fn);
}
