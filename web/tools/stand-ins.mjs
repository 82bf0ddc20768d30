// Sample answers for the console routes a development server may not have yet
// (docs/api.md: GET /api/admin/stats, /api/admin/releases/{id}/progress,
// /api/admin/devices/{id}/attempts), shaped as the console contract says. Used
// only by check-pages.mjs --stand-ins, to look at those pages before the routes
// exist.
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const HOUR = 3600 * 1000;

const progress = (id) => ({
  release_id: id, eligible: 412, offered: 130, in_progress: 9, installed: 112, failed: 6, stuck: 2, rolled_back: 1, generated_at: iso(Date.now()),
});

function stats(url) {
  const bucket = new URL(url).searchParams.get('bucket') === 'day' ? 'day' : 'hour';
  const span = bucket === 'day' ? 30 : 24;
  const step = bucket === 'day' ? 24 * HOUR : HOUR;
  const now = Math.floor(Date.now() / step) * step;
  const buckets = Array.from({ length: span }, (_, i) => ({
    start: iso(now - (span - 1 - i) * step),
    installed: Math.round(20 + 15 * Math.sin(i / 3) + i),
    failed: i % 5 === 0 ? 3 : 1,
    stuck: i % 7 === 0 ? 1 : 0,
    rolled_back: i % 11 === 0 ? 1 : 0,
  }));
  const release = {
    id: 1, project_id: 'default', version: '1.1.0', channel: 'stable', state: 'active', state_reason: '',
    rollout_percent: 25, stages: [{ percent: 5 }, { percent: 25 }, { percent: 100 }], stage: 2, stage_started_at: iso(Date.now() - 5 * HOUR),
  };
  return {
    generated_at: iso(Date.now()),
    devices: { total: 1250, seen_last_hour: 1120, seen_last_day: 1231, never_seen: 7, blocked: 3 },
    versions: [
      { channel: 'stable', versions: [{ version: '1.1.0', devices: 112 }, { version: '1.0.0', devices: 905 }, { version: '0.9.0', devices: 88 }, { version: null, devices: 3 }] },
      { channel: 'beta', versions: [{ version: '1.2.0-beta.1', devices: 60 }, { version: '1.1.0', devices: 52 }] },
      { channel: 'dev', versions: [{ version: '1.3.0-dev.4', devices: 30 }] },
    ],
    outcomes: { bucket, buckets },
    rollouts: [{ release, progress: progress(1) }],
  };
}

function attempts(url) {
  const id = decodeURIComponent(new URL(url).pathname.split('/')[4]);
  return {
    device_id: id,
    attempts: [
      { id: 3, release_id: 1, version: '1.1.0', from_version: '1.0.0', status: 'flashing', status_at: iso(Date.now() - 60000), started_at: iso(Date.now() - 120000), outcome: null, ended_at: null },
      { id: 2, release_id: 1, version: '1.1.0', from_version: '1.0.0', status: 'failed', status_at: iso(Date.now() - 2 * HOUR), started_at: iso(Date.now() - 2.1 * HOUR), outcome: 'failed', ended_at: iso(Date.now() - 2 * HOUR) },
      { id: 1, release_id: 1, version: '1.0.0', from_version: '0.9.0', status: 'rebooting', status_at: iso(Date.now() - 50 * HOUR), started_at: iso(Date.now() - 50.2 * HOUR), outcome: 'installed', ended_at: iso(Date.now() - 50 * HOUR) },
    ],
  };
}

export function standInFor(url) {
  const path = new URL(url).pathname;
  if (path === '/api/admin/stats') return stats(url);
  if (path.endsWith('/progress')) return progress(Number(path.split('/')[4]));
  return attempts(url);
}
