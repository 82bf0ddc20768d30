// useAction(run): wraps a state-changing call for a button or form.
// Returns {busy, error, done, perform(...args)}; perform runs run(...args), keeps
// its error for display (cleared on the next run) and resolves to its result or
// undefined when it failed.
import { useState } from 'preact/hooks';

export function useAction(run) {
  const [state, setState] = useState({ busy: false, error: null, done: false });
  const perform = async (...args) => {
    setState({ busy: true, error: null, done: false });
    try {
      const result = await run(...args);
      setState({ busy: false, error: null, done: true });
      return result;
    } catch (error) {
      setState({ busy: false, error, done: false });
      return undefined;
    }
  };
  return { ...state, perform };
}
