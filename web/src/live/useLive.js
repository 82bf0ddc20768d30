// useLive(names, refetch, accept): calls refetch when a live event whose name is in
// names arrives (and accept(name, data) agrees, when given), at most once a second:
// the first event refetches at once, further ones within the second are folded
// into one trailing refetch. Unsubscribes when the component goes.
import { useEffect, useRef } from 'preact/hooks';
import { subscribe } from './events.js';

const MIN_INTERVAL_MS = 1000;

export function useLive(names, refetch, accept) {
  const latest = useRef({ refetch, accept });
  latest.current = { refetch, accept };
  const key = names.join(',');
  useEffect(() => {
    let last = 0;
    let timer = null;
    const run = () => {
      timer = null;
      last = Date.now();
      latest.current.refetch();
    };
    const off = subscribe((name, data) => {
      if (!key.split(',').includes(name)) return;
      if (latest.current.accept && !latest.current.accept(name, data)) return;
      if (timer) return;
      const wait = last + MIN_INTERVAL_MS - Date.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [key]);
}
