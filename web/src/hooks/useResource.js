// useResource(load, deps): runs load(signal) when deps change and keeps
// {data, error, loading}; reload() runs it again keeping the shown data meanwhile
// (so a live refresh does not flash a spinner). An answer that arrives after a
// newer request started is dropped.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export function useResource(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const seq = useRef(0);
  const controller = useRef(null);
  const reload = useCallback(() => {
    const mine = ++seq.current;
    if (controller.current) controller.current.abort();
    controller.current = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(controller.current.signal).then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (error) => {
        if (error.name === 'AbortError' || mine !== seq.current) return;
        setState((s) => ({ data: s.data, error, loading: false }));
      }
    );
  }, deps);
  useEffect(() => {
    setState({ data: null, error: null, loading: true });
    reload();
    return () => controller.current && controller.current.abort();
  }, [reload]);
  return { ...state, reload };
}
