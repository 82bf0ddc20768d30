// The console session (docs/api.md, console session routes): sign in with an
// admin key, ask who is signed in, sign out. Each returns the api() promise;
// currentSession() resolves with the session, or with null when signed out
// (the server answers {"signed_in": false} then, not an error).
import { api } from './client.js';

export const signIn = (key) => api('/api/console/session', { method: 'POST', body: { key } });
export const currentSession = () => api('/api/console/session').then((s) => (s && s.signed_in ? s : null));
export const signOut = () => api('/api/console/session', { method: 'DELETE' });
