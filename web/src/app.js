// PLACEHOLDER until the web front end lands (helper D replaces web/src):
// shows who is signed in, so the embedding pipeline has a script to serve.
const app = document.getElementById('app');
fetch('/api/console/session', { credentials: 'same-origin' })
  .then((res) => (res.ok ? res.json() : null))
  .then((session) => {
    app.textContent = session ? `apiota console: signed in as ${session.key_id}` : 'apiota console: not signed in';
  });
