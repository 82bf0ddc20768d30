// The console session (docs/api.md, console session routes): sign in with an admin
// key, ask who is signed in, sign out. Each returns the api() promise.
import { api } from './client.js';

export const signIn = (key) => api('/api/console/session', { method: 'POST', body: { key } });
export const currentSession = () => api('/api/console/session');
export const signOut = () => api('/api/console/session', { method: 'DELETE' });
